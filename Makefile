# One-command workflows. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MKDOCS := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs
SITE_STAMP := $(VENV)/.site-deps
TEST_STAMP := $(VENV)/.test-deps
SYS_STAMP := $(VENV)/.system-deps
NODE_STAMP := node_modules/.installed
OFFLINE_OUT := build/explainer-offline.zip
# Reproducible builds: every date the build writes (sitemap.xml lastmod, the
# sitemap.xml.gz header, the offline zip's entries) is the last commit's time.
ifndef SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
endif
export SOURCE_DATE_EPOCH

.DEFAULT_GOAL := help
.PHONY: help serve build offline check data figures urls test test-fast system-deps clean bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(SITE_STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt $(SITE_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

$(SYS_STAMP): scripts/install_system_deps.sh
	mkdir -p $(VENV)
	bash scripts/install_system_deps.sh
	touch $@

system-deps: $(SYS_STAMP) ## Install Debian packages the tests need (as root)

# npm packages (exact pins in package.json): the iframe-worker shim that the
# offline copy needs is read from node_modules at build time.
$(NODE_STAMP): package.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js and npm (Debian: apt-get install npm)" >&2; exit 1; }
	npm install --no-audit --no-fund --loglevel=error
	touch $@

serve: $(SITE_STAMP) $(NODE_STAMP) ## Serve the site at http://127.0.0.1:8000 with live reload
	$(MKDOCS) serve --dev-addr 127.0.0.1:8000 --livereload

data: $(SITE_STAMP) ## Regenerate files derived from data/ (abbreviations, figures)
	$(PY) -m scripts.build_abbreviations
	$(MAKE) figures

# The map needs the test requirements (shapely, pyproj) and the npm geodata.
# scripts/draw_figures.py runs draw_timeline, draw_flows and draw_map, and
# records the map's input digests (includes/figures/digests.json) for `make check`.
figures: $(TEST_STAMP) $(NODE_STAMP) ## Redraw the SVG figures and their includes (scripts/draw_*.py)
	$(PY) -m scripts.draw_figures

urls: $(SITE_STAMP) ## Record new page URLs and anchors in tests/url-manifest.json
	$(PY) -m scripts.url_manifest --update

check: $(SITE_STAMP) ## Check pages and data files (path:line: message)
	$(PY) -m scripts.check_content

offline: $(SITE_STAMP) $(NODE_STAMP) ## Zip of the whole site for reading from disk (build/)
	$(PY) -m scripts.build_offline --out $(OFFLINE_OUT)

# The build also writes the offline zip to site/downloads/ (scripts/offline_hook.py)
# and runs the content checks of `make check` first (scripts/check_hook.py).
build: $(SITE_STAMP) $(NODE_STAMP) ## Strict build into site/ with content, link and anchor checks
	HTMLPROOFER=true $(MKDOCS) build --strict --clean
	$(PY) -m scripts.security_headers site --deploy deploy

# Test builds reuse the offline zip of this build (OFFLINE_ZIP) instead of
# each making their own; tests/test_delivery.py builds fresh ones where needed.
# The content checks run inside the build (scripts/check_hook.py).
test: $(TEST_STAMP) $(SYS_STAMP) $(NODE_STAMP) ## Install everything, build strictly, run every test
	HTMLPROOFER=true $(MKDOCS) build --strict --clean
	$(PY) -m scripts.security_headers site --deploy deploy
	OFFLINE_ZIP=$(CURDIR)/site/downloads/explainer-offline.zip $(PY) -m pytest

# Not part of `make test`: about half a minute per page (Lighthouse, both builds).
bench-search: $(TEST_STAMP) $(SYS_STAMP) ## Time search in Chromium and size its index; writes reports/search-bench.md
	$(PY) -m scripts.bench_search

bench: $(SITE_STAMP) $(SYS_STAMP) $(NODE_STAMP) ## Compare with stock Material (Lighthouse); writes reports/bench.md
	$(PY) -m scripts.bench

clean: ## Remove build output (keeps .venv)
	rm -rf site build .pytest_cache
