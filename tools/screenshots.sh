#!/bin/sh
# The screenshots in docs/, from the real window under Xvfb, on the sample journal:
# 1600x1000 and 900x600, light and dark (the dark ones chosen as a user would: Preferences ->
# Appearance, written into the throwaway settings). Look at every PNG before committing.
# Needs: xvfb, imagemagick (import), xdotool, poppler-utils (pdftoppm):
#   apt-get install -y xvfb imagemagick xdotool poppler-utils libxcb-icccm4 libxcb-keysyms1
# SHOT_DISPLAY picks the X display (default :97); SHOT_DELAY the seconds the window gets to
# open (default 5); SHOTS_ONLY a space-separated list of the names below to make only those.
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DISPLAY_NUMBER=${SHOT_DISPLAY:-:97}
DELAY=${SHOT_DELAY:-5}
TMP=$(mktemp -d)
APP=""
XVFB=""
cleanup() {
  [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
  [ -n "$XVFB" ] && kill "$XVFB" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
for tool in Xvfb import xdotool pdftoppm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "screenshots: $tool is missing (see the top of $0)" >&2; exit 1; }
done
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
export XDG_CACHE_HOME="$TMP/home/.cache" XDG_STATE_HOME="$TMP/home/.local/state"
$PY -m journal sample --journal "$TMP/sample.eyelights" >/dev/null
# A second copy with something in the Trash (a film deleted with its review and viewing).
$PY -m journal sample --journal "$TMP/trash.eyelights" >/dev/null
$PY - "$TMP/trash.eyelights" <<'EOF'
import sys
from journal.core.journal import Journal
with Journal.open(sys.argv[1]) as j:
    films = {f.title: f.id for f in j.films.live()}
    j.viewings.delete(j.viewings.for_film(films["Sherlock Jr."])[0].id)
    j.films.delete(films["Nosferatu"], with_reviews=True)
EOF

wanted() { [ -z "${SHOTS_ONLY:-}" ] || case " $SHOTS_ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

screen() {  # screen WxH: a fresh X server of that size
  [ -n "$XVFB" ] && kill "$XVFB" 2>/dev/null && wait "$XVFB" 2>/dev/null || true
  Xvfb "$DISPLAY_NUMBER" -screen 0 "${1}x24" -nolisten tcp >/dev/null 2>&1 &
  XVFB=$!
  sleep 1
}

# shot NAME THEME JOURNAL KEYS ARGS...: open the window full screen, press KEYS (xdotool key
# names, "-" for none), and write docs/NAME.png.
shot() {
  name=$1 theme=$2 journal=$3 keys=$4
  shift 4
  wanted "$name" || return 0
  rm -rf "$HOME/.config"
  mkdir -p "$HOME/.config/Eyelights"
  printf '[appearance]\ntheme=%s\n' "$theme" > "$HOME/.config/Eyelights/Eyelights.conf"
  DISPLAY=$DISPLAY_NUMBER QT_QPA_PLATFORM=xcb $PY -m journal --journal "$journal" "$@" \
    >/dev/null 2>&1 &
  APP=$!
  sleep "$DELAY"
  window=$(DISPLAY=$DISPLAY_NUMBER xdotool search --onlyvisible --name "Eyelights" | head -n 1)
  DISPLAY=$DISPLAY_NUMBER xdotool windowsize "$window" 100% 100%
  DISPLAY=$DISPLAY_NUMBER xdotool windowfocus "$window"
  sleep 1
  if [ "$keys" != "-" ]; then
    for key in $keys; do DISPLAY=$DISPLAY_NUMBER xdotool key "$key"; sleep 1; done
  fi
  sleep 1.5
  DISPLAY=$DISPLAY_NUMBER import -window root "docs/$name.png"
  kill "$APP" 2>/dev/null || true
  wait "$APP" 2>/dev/null || true
  APP=""
  echo "wrote docs/$name.png"
}

S="$TMP/sample.eyelights"
T="$TMP/trash.eyelights"
if wanted print-page; then  # a printed page: the PDF export of The General, at 60 dpi
  QT_QPA_PLATFORM=offscreen $PY -m journal export 2 --format pdf -o "$TMP/page.pdf" \
    --journal "$S" >/dev/null
  pdftoppm -png -r 60 -singlefile "$TMP/page.pdf" docs/print-page
  echo "wrote docs/print-page.png"
fi
screen 1600x1000
shot screenshot-main light "$S" - --open review:2
shot screenshot-main-dark dark "$S" - --open review:2
shot screenshot-films light "$S" ctrl+2
shot screenshot-film light "$S" - --open film:4
shot screenshot-diary light "$S" ctrl+4
shot screenshot-statistics light "$S" ctrl+6
shot screenshot-help light "$S" F1 --open review:2
screen 900x600
shot screenshot-small light "$S" - --open review:2
shot screenshot-small-dark dark "$S" - --open review:2
shot screenshot-film-small-dark dark "$S" - --open film:4
shot screenshot-statistics-small-dark dark "$S" ctrl+6
shot screenshot-trash light "$T" ctrl+8
