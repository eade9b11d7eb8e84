#!/bin/sh
# Smoke test of the PyInstaller bundle: version, journal check, window offscreen, plugins, size.
# Usage: sh packaging/smoke_bundle.sh [dist/eyelights]     (run from the project root)
set -eu

BUNDLE=${1:-dist/eyelights}
EXE="$BUNDLE/eyelights"
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
[ -x "$EXE" ] || fail "no executable at $EXE"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
# Keep settings and the default journal out of the real home.
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
export XDG_CACHE_HOME="$TMP/home/.cache" XDG_STATE_HOME="$TMP/home/.local/state"
export QT_QPA_PLATFORM=offscreen
unset EYELIGHTS_JOURNAL 2>/dev/null || true
mkdir -p "$HOME"
if command -v timeout >/dev/null 2>&1; then LIMIT="timeout 120"; else LIMIT=""; fi

expected=""
[ -f journal/__init__.py ] && expected=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' journal/__init__.py)
version=$($LIMIT "$EXE" --version) || fail "--version exited with $?"
echo "smoke: --version -> $version"
if [ -n "$expected" ]; then
  case "$version" in *"$expected"*) ;; *) fail "--version does not mention $expected" ;; esac
fi

$LIMIT "$EXE" sample --journal "$TMP/smoke.eyelights" || fail "sample --journal exited with $?"
$LIMIT "$EXE" check --journal "$TMP/smoke.eyelights" || fail "check --journal exited with $?"
echo "smoke: sample + check --journal ok"

# A WordPress export converted by a pool of spawned processes (freeze_support in the bundle).
cat > "$TMP/blog.xml" <<'WXR'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Smoke</title><link>https://smoke.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://smoke.example.org</wp:base_site_url>
<item><title><![CDATA[Stalker (1979) – 9/10]]></title><link>https://smoke.example.org/1</link>
<content:encoded><![CDATA[<p>The <em>Zone</em>, pooled.</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2015-01-01 10:00:00</wp:post_date_gmt>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
WXR
pooled=$(EYELIGHTS_IMPORT_WORKERS=2 $LIMIT "$EXE" import wxr "$TMP/blog.xml" --dry-run \
  --journal "$TMP/smoke.eyelights" 2>&1) || fail "import with a process pool exited with $?: $pooled"
case "$pooled" in *Stalker*) ;; *) fail "the pooled import did not plan the post: $pooled" ;; esac
echo "smoke: import with a process pool ok"

$LIMIT "$EXE" --smoke-test --journal "$TMP/smoke.eyelights" || fail "--smoke-test (window offscreen) exited with $?"
echo "smoke: window opened and painted offscreen"

# Complete the Catalogue's lookups run in the bundle started again (core/metadata/lookup_process.py)
ready=$(printf '{"source": "wikidata"}\n' | $LIMIT "$EXE" films serve-lookups) \
  || fail "films serve-lookups exited with $?"
[ "$ready" = '{"ready": true}' ] || fail "the lookup process did not start: $ready"
echo "smoke: the lookup process starts"

for plugin in platforms/libqxcb.so platforms/libqoffscreen.so platforms/libqwayland.so \
    imageformats/libqsvg.so imageformats/libqjpeg.so iconengines/libqsvgicon.so \
    printsupport/libcupsprintersupport.so; do
  found=$(find "$BUNDLE" -path "*/plugins/$plugin" | head -n 1)
  [ -n "$found" ] || fail "Qt plugin $plugin is missing from the bundle"
done
find "$BUNDLE" -path "*journal/assets/icons/hicolor/256x256/apps/*.png" | grep -q . \
  || fail "journal/assets is missing from the bundle"
find "$BUNDLE" -path "*journal/guide/search.md" | grep -q . \
  || fail "the user guide (journal/guide) is missing from the bundle"
echo "smoke: Qt plugins, assets and the user guide present"
echo "smoke: bundle size $(du -sh "$BUNDLE" | cut -f1) ($BUNDLE)"
