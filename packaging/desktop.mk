# Desktop integration and bundling for Eyelights.
#
# Include from the main Makefile (`include packaging/desktop.mk`) or run directly:
#   make -f packaging/desktop.mk install-desktop      # menu entry, metainfo and icons for this user
#   make -f packaging/desktop.mk uninstall-desktop
#   make -f packaging/desktop.mk bundle               # PyInstaller one-folder build in dist/eyelights/
#
# Variables (all overridable on the command line):
#   XDG_DATA_HOME   where to install (default ~/.local/share)
#   EYELIGHTS_EXEC  command written to Exec= of the installed .desktop file (default: eyelights)
#   VENV, PY        interpreter used for `bundle` (default .venv/bin/python)

# Folder holding this fragment, captured before any other include changes MAKEFILE_LIST.
EYELIGHTS_PKG_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
EYELIGHTS_ROOT := $(patsubst %/,%,$(dir $(EYELIGHTS_PKG_DIR)))

EYELIGHTS_APP_ID := io.github.eyelights.Eyelights
EYELIGHTS_ICON_SIZES := 16 22 24 32 48 64 128 256 512
EYELIGHTS_EXEC ?= eyelights

XDG_DATA_HOME ?= $(HOME)/.local/share
EYELIGHTS_APPS_DIR := $(XDG_DATA_HOME)/applications
EYELIGHTS_META_DIR := $(XDG_DATA_HOME)/metainfo
EYELIGHTS_ICON_DIR := $(XDG_DATA_HOME)/icons/hicolor
EYELIGHTS_ICON_SRC := $(EYELIGHTS_ROOT)/journal/assets/icons/hicolor
EYELIGHTS_RES := $(EYELIGHTS_ROOT)/resources
EYELIGHTS_ICON_SUBDIRS := $(foreach s,$(EYELIGHTS_ICON_SIZES),$(s)x$(s)) scalable

VENV ?= .venv
PY ?= $(VENV)/bin/python
# PY as an absolute path when it names a file, so it survives the `cd` in the recipes.
EYELIGHTS_PY = $(if $(findstring /,$(PY)),$(abspath $(PY)),$(PY))
PYINSTALLER_VERSION ?= 6.22.3
BUNDLE_DIST ?= dist
BUNDLE_WORK ?= build/pyinstaller

.PHONY: install-desktop uninstall-desktop bundle bundle-smoke eyelights-bundle-python

# What `bundle` needs before it starts: the main Makefile names its own set-up (system
# libraries, the venv); run on its own, this file asks the main Makefile for the venv when the
# interpreter is missing (a fresh clone), so `bundle` never starts without one.
EYELIGHTS_BUNDLE_PREREQ ?= eyelights-bundle-python

# The caches are refreshed only when they already exist: a per-user folder needs none, and
# creating one would leave a file behind after uninstall-desktop.
define eyelights_refresh_caches
	@if command -v update-desktop-database >/dev/null 2>&1 \
	    && [ -f "$(EYELIGHTS_APPS_DIR)/mimeinfo.cache" ]; then \
	  update-desktop-database -q "$(EYELIGHTS_APPS_DIR)" || true; fi
	@if command -v gtk-update-icon-cache >/dev/null 2>&1 \
	    && [ -f "$(EYELIGHTS_ICON_DIR)/icon-theme.cache" ]; then \
	  gtk-update-icon-cache -q -f -t "$(EYELIGHTS_ICON_DIR)" || true; fi
endef

install-desktop:
	install -d "$(EYELIGHTS_APPS_DIR)" "$(EYELIGHTS_META_DIR)"
	sed 's|^Exec=eyelights|Exec=$(EYELIGHTS_EXEC)|;s|^TryExec=eyelights|TryExec=$(EYELIGHTS_EXEC)|' \
	  "$(EYELIGHTS_RES)/$(EYELIGHTS_APP_ID).desktop" > "$(EYELIGHTS_APPS_DIR)/$(EYELIGHTS_APP_ID).desktop"
	chmod 644 "$(EYELIGHTS_APPS_DIR)/$(EYELIGHTS_APP_ID).desktop"
	install -m 644 "$(EYELIGHTS_RES)/$(EYELIGHTS_APP_ID).metainfo.xml" "$(EYELIGHTS_META_DIR)/"
	@for d in $(EYELIGHTS_ICON_SUBDIRS); do \
	  for f in "$(EYELIGHTS_ICON_SRC)/$$d/apps/$(EYELIGHTS_APP_ID)".*; do \
	    install -D -m 644 "$$f" "$(EYELIGHTS_ICON_DIR)/$$d/apps/$${f##*/}" || exit 1; \
	  done; \
	done
	$(eyelights_refresh_caches)
	@echo "Installed Eyelights desktop entry under $(XDG_DATA_HOME)"

# Removes only our files, then the folders install-desktop may have created if they are empty.
uninstall-desktop:
	rm -f "$(EYELIGHTS_APPS_DIR)/$(EYELIGHTS_APP_ID).desktop" \
	  "$(EYELIGHTS_META_DIR)/$(EYELIGHTS_APP_ID).metainfo.xml"
	@for d in $(EYELIGHTS_ICON_SUBDIRS); do \
	  rm -f "$(EYELIGHTS_ICON_DIR)/$$d/apps/$(EYELIGHTS_APP_ID)".png \
	    "$(EYELIGHTS_ICON_DIR)/$$d/apps/$(EYELIGHTS_APP_ID)".svg; \
	  for e in "$(EYELIGHTS_ICON_DIR)/$$d/apps" "$(EYELIGHTS_ICON_DIR)/$$d"; do \
	    if [ -d "$$e" ]; then rmdir --ignore-fail-on-non-empty "$$e"; fi; \
	  done; \
	done
	@for e in "$(EYELIGHTS_ICON_DIR)" "$(XDG_DATA_HOME)/icons" \
	    "$(EYELIGHTS_APPS_DIR)" "$(EYELIGHTS_META_DIR)"; do \
	  if [ -d "$$e" ]; then rmdir --ignore-fail-on-non-empty "$$e"; fi; \
	done
	$(eyelights_refresh_caches)
	@echo "Removed Eyelights desktop entry from $(XDG_DATA_HOME)"

eyelights-bundle-python:
	@if [ "$(PY)" = "$(VENV)/bin/python" ] && [ ! -x "$(EYELIGHTS_PY)" ]; then \
	  $(MAKE) -C "$(EYELIGHTS_ROOT)" venv VENV="$(VENV)"; fi
	@"$(EYELIGHTS_PY)" -c 'import sys' 2>/dev/null || \
	  { echo "bundle: no Python at $(PY) (make venv, or PY=/path/to/python)" >&2; exit 1; }

bundle: $(EYELIGHTS_BUNDLE_PREREQ)
	"$(EYELIGHTS_PY)" -m pip install --quiet "pyinstaller==$(PYINSTALLER_VERSION)"
	cd "$(EYELIGHTS_ROOT)" && "$(EYELIGHTS_PY)" -m PyInstaller --noconfirm --clean \
	  --distpath "$(BUNDLE_DIST)" --workpath "$(BUNDLE_WORK)" packaging/eyelights.spec
	$(MAKE) -f "$(EYELIGHTS_PKG_DIR)/desktop.mk" bundle-smoke BUNDLE_DIST="$(BUNDLE_DIST)"

bundle-smoke:
	cd "$(EYELIGHTS_ROOT)" && sh packaging/smoke_bundle.sh "$(BUNDLE_DIST)/eyelights"
