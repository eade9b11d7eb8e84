# Eyelights — the two commands a newcomer needs:  make run   and   make test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: run test bench bench-peers soak lint mutation sysdeps-run sysdeps-test venv clean screenshots \
	fuzz-render

run: sysdeps-run $(STAMP)
	$(PY) -m journal $(ARGS)

test: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benches/run_all.py $(BENCH_ARGS)

# Kill trials (docs/reliability.md): SIGKILL mid-import/backup/restore/autosave, 50 times each.
soak: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benches/soak.py $(SOAK_ARGS)

# Mutation testing of journal/core and journal/store (hours; not part of make test):
# docs/testing.md. MUTATION_ARGS="store" runs one package, "--report" prints the last results.
mutation: sysdeps-test $(STAMP)
	$(PY) tools/mutation.py $(MUTATION_ARGS)

# Render by pieces against a whole conversion with fresh random examples, one run per seed
# (not part of make test, which runs fixed ones): docs/testing.md. FUZZ_ARGS="--qt --scale 2".
SEEDS ?= 40
FIRST ?= 1
fuzz-render: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tools/fuzz_render.py --seeds $(SEEDS) --first $(FIRST) $(FUZZ_ARGS)

# Eyelights next to ReText and ghostwriter under Xvfb (installs them; not part of make test).
bench-peers: sysdeps-run $(STAMP)
	$(PY) benches/bench_peers.py $(BENCH_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check journal tests benches
	$(PY) -m mypy

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Eyelights needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

sysdeps-run:
	@sh tools/system-deps.sh run

sysdeps-test:
	@sh tools/system-deps.sh test

screenshots: $(STAMP)
	sh tools/screenshots.sh

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

# `make bundle` sets up what it needs first, as run and test do (a fresh clone has no .venv).
EYELIGHTS_BUNDLE_PREREQ = sysdeps-test $(STAMP)
include packaging/desktop.mk
