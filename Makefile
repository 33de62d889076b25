# multisee: the README's first two commands are `make reports` and `make test`.
# Both bootstrap everything they need into .venv (Python >= 3.10 with venv is the only prerequisite).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := $(VENV)/share/jupyter/kernels/multisee/kernel.json
JOBS   ?=
# Test workers (pytest-xdist): one per logical CPU; `make test TEST_JOBS=0` runs in one process.
# --dist loadscope keeps each test module on one worker, so a module's fixtures are made once.
TEST_JOBS ?= logical
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist loadscope

.PHONY: all reports test test-fast mutate screenshots readme chromium setup validate lint lab bench codebook export coverage gaps boundaries deck maps clean help

all: reports

help:
	@echo "make reports   - set up .venv, validate the data, build reports/ (site, exports, maps)"
	@echo "make test      - set up .venv (with dev tools), lint (ruff, mypy) and run the whole test suite"
	@echo "make test-fast - the suite without the slow tests (no notebook execution, no browser)"
	@echo "make mutate    - plant the rule mutants of tests/mutants.yaml, print the kill ratio (README figure)"
	@echo "make readme    - rewrite the README's generated blocks ; make screenshots - the explorer screenshots in docs/"
	@echo "make validate  - validate data/ ; make lint - ruff + mypy ; make lab - JupyterLab on the project kernel"
	@echo "make codebook  - regenerate docs/codebook.md ; make export - data package, CSV, XLSX"
	@echo "make bench     - benchmark the build ; make boundaries - rebuild data/boundaries from Natural Earth"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

$(KERNEL): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name multisee --display-name "multisee" >/dev/null

setup: $(STAMP) $(KERNEL)

notebooks/%.ipynb: notebooks/%.py $(STAMP)
	$(BIN)/jupytext --quiet --to ipynb --update $< -o $@ 2>/dev/null || $(BIN)/jupytext --quiet --to ipynb $< -o $@

NOTEBOOKS := $(patsubst %.py,%.ipynb,$(wildcard notebooks/*.py))

validate: $(STAMP)
	$(BIN)/multisee validate

reports: setup $(NOTEBOOKS) validate
	$(BIN)/multisee export --out reports/data --quiet
	$(BIN)/multisee gaps --format html --out reports/gaps.html >/dev/null
	$(BIN)/multisee explorer --out reports/explorer --quiet
	$(BIN)/multisee map --mechanism all --format png,svg,pdf --out reports/maps >/dev/null
	$(BIN)/multisee deck --session "Multi-SEE model: national multistakeholder mechanisms in SEE+" \
	  --out reports/deck.pdf --pptx reports/deck.pptx --gif reports/maps/cctld_animation.gif >/dev/null
	$(BIN)/multisee build $(if $(JOBS),--jobs $(JOBS),)
	@echo "open reports/index.html"

# Headless Chromium for the browser test: the Debian package, installed when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { echo "installing Debian package chromium (browser test)"; \
	    $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium >/dev/null; }

test: setup chromium $(NOTEBOOKS) lint
	$(PYTEST)

test-fast: setup $(NOTEBOOKS)
	$(PYTEST) -m "not slow"

# The README's explorer screenshots (docs/explorer_*.png) and page weight, in headless Chromium.
screenshots: setup chromium
	$(BIN)/python scripts/explorer_screenshots.py

# Rewrite the README's generated blocks (sources, panel coverage, the index method) from the library.
readme: $(STAMP)
	$(BIN)/python scripts/update_readme.py

mutate: $(STAMP)
	$(BIN)/python scripts/mutate.py

lint: $(STAMP)
	$(BIN)/ruff check src tests notebooks scripts bench
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

lab: setup $(NOTEBOOKS)
	$(BIN)/jupyter lab --allow-root --no-browser --notebook-dir=notebooks

codebook: $(STAMP)
	$(BIN)/multisee codebook --out docs/codebook.md

export: $(STAMP)
	$(BIN)/multisee export --out reports/data

coverage: $(STAMP)
	$(BIN)/multisee coverage

gaps: $(STAMP)
	$(BIN)/multisee gaps --top 30

maps: $(STAMP)
	$(BIN)/multisee map --mechanism all --format png,svg,pdf --out reports/maps

deck: $(STAMP)
	$(BIN)/multisee deck --session "Multi-SEE model: national multistakeholder mechanisms in SEE+" \
	  --out reports/deck.pdf --pptx reports/deck.pptx --gif reports/maps/cctld_animation.gif

boundaries: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[maps-build]'
	$(BIN)/python scripts/build_boundaries.py

bench: setup $(NOTEBOOKS)
	$(BIN)/python bench/bench_build.py $(BENCH_ARGS)

clean:
	rm -rf reports/countries reports/comparisons reports/maps reports/data reports/index.html reports/gaps.html reports/manifest.json reports/.cache
