# One entry point for developers, operators and CI.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export SODA_CORE_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: bench bench-load scheduler install test test-fast fuzz lint format typecheck generate \
	generate-check check pre-commit demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## the whole suite, database tests included (PostgreSQL from DV_TEST_DSN or 127.0.0.1:5432)
test: $(STAMP)
	$(BIN)/pytest -q -m "not fuzz"

## property-based fuzzing with many generated inputs per target (the default run takes a bounded number)
fuzz: $(STAMP)
	$(BIN)/pytest -q -m fuzz

## tests that need no database, the long fuzzing left out; in FAST_WORKERS processes (pytest-xdist; 0: in this one)
FAST_WORKERS ?= 2
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not db and not fuzz" -n $(FAST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check generator pipelines tests
	$(BIN)/ruff format --check generator pipelines tests

format: $(STAMP)
	$(BIN)/ruff format generator pipelines tests
	$(BIN)/ruff check --fix generator pipelines tests

typecheck: $(STAMP)
	$(BIN)/mypy generator pipelines

generate: $(STAMP)
	$(BIN)/dv generate

generate-check: $(STAMP)
	$(BIN)/dv generate --check

## every check, in this order: what CI runs (.ci/run, after starting PostgreSQL)
check: lint typecheck generate-check test fuzz

## the hooks of .pre-commit-config.yaml on every file (lint, format, mypy on generator/, generate-check)
pre-commit: $(STAMP)
	$(BIN)/pre-commit run --all-files

## a demo warehouse: database $$DV_DSN, else jtld_demo on 127.0.0.1:5432, else an embedded PostgreSQL (created, or reset if dv demo made it),
## the simulated platform loaded by the Luigi pipeline over three days; rerunnable
demo: $(STAMP)
	$(BIN)/dv generate --check
	$(BIN)/dv demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info

## a central Luigi scheduler on 127.0.0.1:$(LUIGI_PORT): state and logs under .luigi/, task history in PostgreSQL
## ($(LUIGI_HISTORY_DSN), created when missing; LUIGI_HISTORY_DSN= for none); then:
## dv run --scheduler-host 127.0.0.1 --scheduler-port $(LUIGI_PORT)
LUIGI_PORT ?= 8082
LUIGI_HISTORY_DSN ?= postgresql+psycopg2://postgres@127.0.0.1:5432/luigi_history
scheduler: $(STAMP)
	@mkdir -p .luigi/logs
	@$(BIN)/python -m pipelines.scheduler --history '$(LUIGI_HISTORY_DSN)' --config .luigi/luigid.cfg --state .luigi/state.pickle
	LUIGI_CONFIG_PATH=.luigi/luigid.cfg $(BIN)/luigid --address 127.0.0.1 --port $(LUIGI_PORT) --state-path .luigi/state.pickle --logdir .luigi/logs

## benchmarks: ratios against floors measured in the same run (BENCH_KEYS, BENCH_VERSIONS, BENCH_BATCH;
## PIT: BENCH_PIT_KEYS, BENCH_PIT_DAYS, BENCH_PIT_VERSIONS; dv generate/validate/--help: BENCH_ENTITIES, BENCH_REPEAT)
bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_satellite
	$(BIN)/python -m tests.benchmarks.bench_pit
	$(BIN)/python -m tests.benchmarks.bench_generate

## the load engine on the simulated JTLD platform: initial batch, one daily delta and its rerun, phase by phase, against
## COPY and one-pass hash floors of the same rows; SCALE (1), DAYS (30), SCALES=0.1,1 for growth, BENCH_OUT=FILE for JSON
SCALE ?= 1
DAYS ?= 30
bench-load: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_load --scales $(or $(SCALES),$(SCALE)) --days $(DAYS) $(if $(BENCH_OUT),--out $(BENCH_OUT))
