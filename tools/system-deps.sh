#!/bin/sh
# Install the Debian packages Eyelights needs, when missing.
#   tools/system-deps.sh run   - Qt for a real window (X11) and offscreen
#   tools/system-deps.sh test  - Qt offscreen, pdftotext, desktop-file-validate, appstreamcli,
#                                a real WordPress for the publishing tests (Debian's wordpress,
#                                mariadb-server, php-cli, php-mysql; nothing starts by itself)
# As root it installs them with apt-get; otherwise it prints the exact command to run.
set -eu
QT_BASE="libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core fonts-noto-color-emoji"
QT_X11="libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xfixes0"
TOOLS="python3 python3-venv make"
# Spell checking: Enchant and the Hunspell dictionaries of English (three spellings) and French.
SPELL="libenchant-2-2 hunspell-en-gb hunspell-en-us hunspell-en-ca hunspell-fr"
WORDPRESS="wordpress wordpress-theme-twentytwentythree mariadb-server php-cli php-mysql"
optional=""  # without these (and root to install them) some tests skip, saying why
case "${1:-run}" in
  run)  wanted="$TOOLS $QT_BASE $QT_X11 $SPELL" ;;
  test) wanted="$TOOLS $QT_BASE $SPELL poppler-utils desktop-file-utils appstream $WORDPRESS"
        optional="$WORDPRESS" ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
command -v dpkg-query >/dev/null 2>&1 || { echo "Not a Debian-like system: install the Qt 6 runtime libraries yourself." >&2; exit 0; }
missing=""
for p in $wanted; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# python3/python3-venv are only needed when no usable python3 with venv is on PATH (pyenv, etc.)
if python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing=$(echo "$missing" | tr ' ' '\n' | grep -v -x -e python3 -e python3-venv | tr '\n' ' ')
fi
missing=$(echo $missing)
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "Installing Debian packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  needed=$(for p in $missing; do case " $optional " in *" $p "*) ;; *) echo "$p" ;; esac; done)
  needed=$(echo $needed)
  if [ -z "$needed" ]; then
    echo "The publishing tests against a real WordPress will be skipped. To run them:"
    echo "  sudo apt-get install -y $missing"
    exit 0
  fi
  echo "Eyelights needs these Debian packages. Run:"
  echo "  sudo apt-get install -y $missing"
  exit 1
fi
