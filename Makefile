# netweave: the two commands of the README.
#   make demo   set up, then validate, show and build the bundled example (stacks/lab/design.yaml)
#               into build/lab/ (configs/, network.json, cabling.csv)
#   make test   set up (Python venv + Debian packages the real-component tests need), then run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DESIGN ?= stacks/lab/design.yaml
DEBIAN_PACKAGES := frr frr-pythontools libyang2-tools iputils-ping iproute2 openssh-server

.PHONY: demo test setup system-deps lint schema-check clean

$(BIN)/netweave: pyproject.toml
	@echo "setting up $(VENV) (python packages; again only when pyproject.toml changes)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,qot]'
	@touch $@

setup: $(BIN)/netweave

system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (run as root to install; real-component tests will skip)"; fi; \
	fi

demo: setup
	@$(BIN)/netweave validate $(DESIGN)
	@$(BIN)/netweave build $(DESIGN)
	@echo "next: $(BIN)/netweave show $(DESIGN) devices   (or links, sessions, cabling, summary)"

lint: setup
	$(BIN)/ruff check src tests benchmarks stacks policy
	$(BIN)/ruff format --check src tests benchmarks stacks policy
	$(BIN)/mypy

schema-check: setup
	$(BIN)/netweave schema --check

test: setup system-deps lint schema-check
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) build .pytest_cache
