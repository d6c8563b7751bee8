# netweave: the two commands of the README.
#   make demo   set up, then validate, show and build the bundled example (stacks/lab/design.yaml)
#               into build/lab/ (configs/, network.json, cabling.csv) and its documentation site (build/lab/docs/)
#   make test   set up (Python venv + Debian packages the real-component tests need), then run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DESIGN ?= stacks/lab/design.yaml
DEBIAN_PACKAGES := frr frr-pythontools libyang2-tools iputils-ping iproute2 openssh-server graphviz chromium nodejs
DEMO_PACKAGES := graphviz
MERMAID := tests/support/mermaid

.PHONY: demo test setup system-deps demo-deps node-deps lint schema-check clean

$(BIN)/netweave: pyproject.toml
	@echo "setting up $(VENV) (python packages; again only when pyproject.toml changes)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,qot]'
	@touch $@

setup: $(BIN)/netweave

# Debian packages: everything the real-component tests need (test), or just graphviz for the docs (demo)
system-deps: PACKAGES = $(DEBIAN_PACKAGES)
demo-deps: PACKAGES = $(DEMO_PACKAGES)
system-deps demo-deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (run as root to install; real-component tests will skip)"; fi; \
	fi

# mermaid's own parser for the test of the diagrams in `netweave diff --format markdown` (test-only, pinned)
$(MERMAID)/node_modules/.package-lock.json: $(MERMAID)/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix $(MERMAID) --no-audit --no-fund --silent; \
	else echo "npm missing: the Mermaid parser test will skip (fail under CI=true)"; fi

node-deps: $(MERMAID)/node_modules/.package-lock.json

demo: setup demo-deps
	@$(BIN)/netweave validate $(DESIGN)
	@$(BIN)/netweave build $(DESIGN)
	@$(BIN)/netweave docs $(DESIGN)
	@echo "next: $(BIN)/netweave show $(DESIGN) devices   (or links, sessions, cabling, summary, sites)"

lint: setup
	$(BIN)/ruff check src tests benchmarks stacks policy
	$(BIN)/ruff format --check src tests benchmarks stacks policy
	$(BIN)/mypy

schema-check: setup
	$(BIN)/netweave schema --check

test: setup system-deps node-deps lint schema-check
	$(BIN)/pytest -q -n auto --dist loadgroup

clean:
	rm -rf $(VENV) build .pytest_cache
