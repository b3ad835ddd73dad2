# ippo: `make run` tries it in a terminal, `make test` runs the whole suite.
# Both create .venv and install first, so a fresh clone needs nothing else.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck unit bench install install-dev lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Pinned dependencies first (the same requirements.lock the Dockerfile uses),
# then the project itself without resolving anything again.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --requirement requirements.lock
	$(BIN)/pip install --quiet --no-deps --editable .
	touch $@

$(DEVSTAMP): pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --requirement requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --editable .
	touch $(STAMP) $@

## lock: re-pin requirements*.lock from pyproject.toml in a throwaway venv
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet --upgrade pip
	.lockvenv/bin/pip install --quiet .
	.lockvenv/bin/pip freeze --exclude ippo > requirements.lock
	.lockvenv/bin/pip install --quiet '.[dev]'
	.lockvenv/bin/pip freeze --exclude ippo > requirements-dev.lock
	rm -rf .lockvenv

install: $(STAMP)
install-dev: $(DEVSTAMP)

# ical.js (pinned in tests/js/package-lock.json) for tests/test_ics_clients.py.
# Without npm the ical.js half of that test skips and says why.
JSDIR   := tests/js
JSSTAMP := $(JSDIR)/node_modules/.installed

$(JSSTAMP): $(JSDIR)/package.json $(JSDIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(JSDIR) --no-audit --no-fund --loglevel=error && touch $@ \
			|| echo "npm ci failed: the ical.js calendar test will be skipped"; \
	else \
		echo "npm not found: the ical.js calendar test will be skipped"; \
	fi

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

unit: $(DEVSTAMP) $(JSSTAMP)
	$(BIN)/pytest -q

## bench: fan-out, planning, Slack acks, start and memory, coffee matching -> bench/RESULTS.md
# Takes ~35 minutes on 2 cores: 10,000 Slack members at 3,000 a minute need 3
# minutes by Slack's limits, 10,000 Discord members at 50 a second 200 s,
# planning a million members about a minute per database, coffee 12 rounds
# of 10,000 about 4 minutes. Planning also runs on PostgreSQL when
# TEST_DATABASE_URL is set. Run it on a quiet machine: figures are wall time.
BENCH_MEMBERS ?= 10000
BENCH_SLACK_BUDGET ?= 3000
# The load beside the Slack acks: planned members and nudges sent in the same
# process, at 20,000 / 2,000 (3 minutes) and at the issue's size (about 9
# minutes on 2 cores: 45 bursts of 400 interactions while 10,000 nudges go
# out; the acks stay quick, and what the interactions do after the ack waits
# its turn for SQLite's one writer).
BENCH_ACK_PLANNED ?= 100000
BENCH_ACK_SENT ?= 10000
bench: $(DEVSTAMP)
	@log=$$(mktemp) && trap 'rm -f "$$log"' EXIT && \
	$(BIN)/python -m bench.fanout --platform slack --members $(BENCH_MEMBERS) \
		--slack-budget $(BENCH_SLACK_BUDGET) >> "$$log" && \
	$(BIN)/python -m bench.fanout --platform discord --members $(BENCH_MEMBERS) >> "$$log" && \
	$(BIN)/python -m bench.plan_nudges --members 10000 100000 1000000 >> "$$log" && \
	if [ -n "$$TEST_DATABASE_URL" ]; then \
		$(BIN)/python -m bench.plan_nudges --members 10000 100000 1000000 \
			--database "$$TEST_DATABASE_URL" >> "$$log"; fi && \
	$(BIN)/python -m bench.slack_ack_latency --members 20000 --fanout 2000 >> "$$log" && \
	$(BIN)/python -m bench.slack_ack_latency --members $(BENCH_ACK_PLANNED) \
		--fanout $(BENCH_ACK_SENT) >> "$$log" && \
	$(BIN)/python -m bench.startup >> "$$log" && \
	$(BIN)/python -m bench.coffee --members 10000 --departments 20 --rounds 12 >> "$$log" && \
	$(BIN)/python -m bench.report "$$log" bench/RESULTS.md

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(JSDIR)/node_modules
