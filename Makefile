# One-command workflows. `make help` lists them. Each target is one or two
# `explainer ...` or `mkdocs ...` commands; the pipeline map is at the top of
# CONTRIBUTING.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EXPLAINER := $(VENV)/bin/explainer
MKDOCS := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs
SITE_STAMP := $(VENV)/.site-deps
LINT_STAMP := $(VENV)/.lint-deps
TEST_STAMP := $(VENV)/.test-deps
SYS_STAMP := $(VENV)/.system-deps
NODE_STAMP := node_modules/.installed
OFFLINE_OUT := build/explainer-offline.zip
# Everything a build reads: the offline zip is rebuilt when one changes.
INPUTS := mkdocs.yml package.json $(shell find docs data includes overrides explainer -type f -not -name '*.pyc' 2>/dev/null)
# Reproducible builds: every date the build writes (sitemap.xml lastmod, the
# downloads' build_date, the offline zip's entries) is the last commit's time.
ifndef SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
endif
export SOURCE_DATE_EPOCH
# The zip's entries carry that time, so a new commit (even one that changes
# no input) must rebuild it: this stamp changes only when the epoch does.
EPOCH_STAMP := build/.source-date-epoch
$(shell mkdir -p build; [ "$$(cat $(EPOCH_STAMP) 2>/dev/null)" = "$(SOURCE_DATE_EPOCH)" ] || echo "$(SOURCE_DATE_EPOCH)" > $(EPOCH_STAMP))

.DEFAULT_GOAL := help
.PHONY: help serve build offline check data figures urls test zensical system-deps clean bench bench-search

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# The package is installed editable: code changes need no reinstall.
$(SITE_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[site]'
	touch $@

$(LINT_STAMP): pyproject.toml $(SITE_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[lint]'
	touch $@

$(TEST_STAMP): pyproject.toml $(SITE_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(SYS_STAMP): scripts/install_system_deps.sh
	mkdir -p $(VENV)
	bash scripts/install_system_deps.sh
	touch $@

system-deps: $(SYS_STAMP) ## Install Debian packages the tests need (as root)

# npm packages (exact pins in package.json): PurgeCSS, the offline copy's
# iframe-worker shim, the map's geodata, Lighthouse for the bench.
$(NODE_STAMP): package.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js and npm (Debian: apt-get install npm)" >&2; exit 1; }
	npm install --no-audit --no-fund --loglevel=error
	touch $@

# The offline copy first: the hosted site links to it (/downloads/).
$(OFFLINE_OUT): $(SITE_STAMP) $(NODE_STAMP) $(INPUTS) $(EPOCH_STAMP)
	$(EXPLAINER) offline --out $@

offline: $(OFFLINE_OUT) ## Zip of the whole site for reading from disk (build/)

# `explainer serve` runs `mkdocs serve --dirty --livereload` (the command is
# in explainer/engine/serve.py, which the tests and the bench run too): after
# the first build, a save that changes only a page's text rebuilds that page
# alone (CONTRIBUTING.md, "Editing with make serve"); any other change
# rebuilds everything.
serve: $(SITE_STAMP) $(NODE_STAMP) $(OFFLINE_OUT) ## Serve the site at http://127.0.0.1:8000 with live reload
	$(EXPLAINER) serve --port 8000

data: $(TEST_STAMP) $(NODE_STAMP) ## Regenerate files derived from data/ (abbreviations, figures)
	$(EXPLAINER) data

figures: $(TEST_STAMP) $(NODE_STAMP) ## Redraw the SVG figures and their includes
	$(EXPLAINER) figures

urls: $(SITE_STAMP) $(OFFLINE_OUT) ## Record new page URLs and ids in data/published-urls.json
	$(EXPLAINER) urls --update

# ruff lints the Python code (rules in pyproject.toml); the suite runs it too.
check: $(SITE_STAMP) $(LINT_STAMP) ## Check pages and data files (path:line: message) and lint the code
	$(EXPLAINER) check
	$(VENV)/bin/ruff check .

# The content checks run inside the build too (explainer/engine/hooks.py).
build: $(SITE_STAMP) $(NODE_STAMP) $(OFFLINE_OUT) ## Strict build into site/ with content, link and anchor checks
	HTMLPROOFER=true $(MKDOCS) build --strict --clean
	$(EXPLAINER) nginx site build/deploy

# Zensical (Material's successor) builds the same mkdocs.yml into its own
# folder; tests/build/test_zensical.py compares it with the MkDocs build.
zensical: $(TEST_STAMP) ## Build with Zensical 0.0.73 into build/zensical-site/
	$(EXPLAINER) check
	SITE_DIR=build/zensical-site $(VENV)/bin/zensical build --clean
	$(EXPLAINER) generated build/zensical-site

# The suite runs on TEST_WORKERS processes (pytest-xdist; default: one per
# core). --dist loadfile keeps each file on one worker; every build the
# suite needs (the strict session build first) is made once per run and
# shared by the workers (tests/conftest.py; CONTRIBUTING.md, "How the suite
# is organised"). The slowest tests are listed at the end.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test: $(TEST_STAMP) $(SYS_STAMP) $(NODE_STAMP) $(OFFLINE_OUT) ## Install everything, build strictly, run every test
	OFFLINE_ZIP=$(CURDIR)/$(OFFLINE_OUT) $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15

# Not part of `make test`: minutes of Lighthouse, timed saves and timed
# searches. `make bench` also times the pytest run of `make test`.
bench-search: $(TEST_STAMP) $(SYS_STAMP) $(OFFLINE_OUT) ## Time search in Chromium and size its index; writes reports/search-bench.md
	$(PY) scripts/bench_search.py

bench: $(TEST_STAMP) $(SYS_STAMP) $(NODE_STAMP) $(OFFLINE_OUT) ## Search timings, then first view (Lighthouse, browser bytes), save-to-browser and test time vs stock Material; writes reports/bench.md
	$(PY) scripts/bench_search.py
	$(PY) scripts/bench.py

clean: ## Remove build output (keeps .venv)
	rm -rf site build .pytest_cache
