# Two commands do all the set-up (see README): `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup serve build test lint browser bench dist clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Front-end assets (YASGUI, Vega-Lite) come from npm and are served from local files.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# The browser tests drive Debian's chromium (the machine's package, never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

build: setup
	$(BIN)/currigraph build

serve: setup
	$(BIN)/currigraph serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests bench

test: setup browser lint
	$(BIN)/python -m pytest

# The sdist and the wheel in dist/: setup.py copies the npm assets (with their licences) and the default project files
# into them. --no-isolation builds with the venv's setuptools, without fetching anything.
dist: setup
	$(BIN)/python -m build --no-isolation --outdir dist

bench: setup
	$(BIN)/pip install --quiet -e '.[test,bench]'
	bench/run

clean:
	rm -rf build dist .setuptools-build $(VENV) node_modules
