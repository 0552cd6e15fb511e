# One-command workflows. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MKDOCS := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs
SITE_STAMP := $(VENV)/.site-deps
TEST_STAMP := $(VENV)/.test-deps
SYS_STAMP := $(VENV)/.system-deps

.DEFAULT_GOAL := help
.PHONY: help serve build check data test test-fast system-deps clean

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

serve: $(SITE_STAMP) ## Serve the site at http://127.0.0.1:8000 with live reload
	$(MKDOCS) serve --dev-addr 127.0.0.1:8000 --livereload

data: $(SITE_STAMP) ## Regenerate files derived from data/ (abbreviations)
	$(PY) -m scripts.build_abbreviations

check: $(SITE_STAMP) ## Check pages and data files (path:line: message)
	$(PY) -m scripts.check_content

build: $(SITE_STAMP) check ## Strict build into site/ with link and anchor checks
	HTMLPROOFER=true $(MKDOCS) build --strict --clean

test: $(TEST_STAMP) $(SYS_STAMP) ## Install everything, build strictly, run every test
	$(PY) -m scripts.check_content
	HTMLPROOFER=true $(MKDOCS) build --strict --clean
	$(PY) -m pytest

clean: ## Remove build output (keeps .venv)
	rm -rf site .pytest_cache
