# Tocsin: the commands developers and CI share.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint unit bench install clean

## run: set everything up and start a Tocsin node on SQLite (http://127.0.0.1:8000 once the console lands)
run: $(STAMP)
	$(BIN)/tocsin db upgrade
	@test -f var/keys/logbook-signing.pem || $(BIN)/tocsin logbook keygen
	$(BIN)/tocsin serve

## test: lint, type-check, layer contracts, then the whole test suite (SQLite always, PostgreSQL if configured)
test: lint
	$(BIN)/pytest

## lint: ruff, mypy --strict, import-linter layer contracts
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

## unit: the fast tests only
unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

## bench: benchmarks, figures printed
bench: $(STAMP)
	$(BIN)/python benchmarks/logbook.py

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
