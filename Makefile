# ippo: `make run` tries it in a terminal, `make test` runs the whole suite.
# Both create .venv and install first, so a fresh clone needs nothing else.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck unit bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

install: $(STAMP)
install-dev: $(DEVSTAMP)

## run: set up and start ippo on the embedded default (console adapter, ./ippo.db)
run: $(STAMP)
	$(BIN)/ippo run

## test: set up and pass the whole suite (lint, types, tests)
test: $(DEVSTAMP) lint typecheck unit

lint: $(DEVSTAMP)
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile

typecheck: $(DEVSTAMP)
	$(BIN)/mypy

unit: $(DEVSTAMP)
	$(BIN)/pytest -q

bench: $(DEVSTAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
