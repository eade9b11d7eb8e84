#!/bin/sh
# Screenshot of the real window under Xvfb, on the sample journal, into docs/screenshot-main.png.
# Needs: xvfb, imagemagick (import) - apt-get install -y xvfb imagemagick libxcb-icccm4 libxcb-keysyms1
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
TMP=$(mktemp -d)
trap 'kill $APP $XVFB 2>/dev/null || true; rm -rf "$TMP"' EXIT
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
Xvfb :97 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
sleep 1
$PY -m journal sample --journal "$TMP/sample.eyelights" >/dev/null
DISPLAY=:97 QT_QPA_PLATFORM=xcb $PY -m journal --journal "$TMP/sample.eyelights" ${EYELIGHTS_SHOT_ARGS:-} &
APP=$!
sleep ${SHOT_DELAY:-5}
DISPLAY=:97 import -window root -crop 1180x760+0+0 docs/screenshot-main.png
echo "wrote docs/screenshot-main.png"
