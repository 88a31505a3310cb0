# Tocsin: the commands developers and CI share.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ASSETS := src/tocsin/web/static/vendor/.installed

.PHONY: run test lint unit bench fuzz install clean

## run: set everything up and start the demo room on SQLite, console on http://127.0.0.1:8000
run: $(STAMP) $(ASSETS)
	$(BIN)/tocsin db upgrade
	@test -f var/keys/logbook-signing.pem || $(BIN)/tocsin logbook keygen
	$(BIN)/tocsin demo seed --if-absent
	@echo "Open http://127.0.0.1:8000 and log in as operator / operator-demo-room (other roles: supervisor, admin, unit, client; password <name>-demo-room)."
	$(BIN)/tocsin serve --simulate-panels 40 --simulate-cameras

## test: lint, type-check, layer contracts, then the whole test suite (SQLite always, PostgreSQL if configured),
## on every core (pytest-xdist): a test file runs whole on one worker, in the order of the tree (contract, e2e,
## integration, unit), so the long browser modules start first and the short unit files fill the end
test: lint $(ASSETS)
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

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
	$(BIN)/python benchmarks/intake.py
	$(BIN)/python benchmarks/worker.py
	$(BIN)/python benchmarks/receiver.py
	$(BIN)/python benchmarks/alarms.py
	$(BIN)/python benchmarks/console_queue.py
	$(BIN)/python benchmarks/geocode.py
	$(BIN)/python benchmarks/kpis.py
	$(BIN)/python benchmarks/video.py
	$(BIN)/python benchmarks/engage_board.py

## fuzz: a million generated and mutated DC-09 frames through split + decode + intake (about a minute or two)
fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz.py 1000000

install: $(STAMP) $(ASSETS)

# The console's assets (font, map, accessibility checker, API docs, charts) come from pinned npm packages, served locally.
$(ASSETS): package-lock.json scripts/vendor_assets.py
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python scripts/vendor_assets.py
	touch $(ASSETS)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps dc09-spt==0.0.4  # a DC-09 peer for interop tests; declares the unbuildable pycrypto
	touch $(STAMP)

clean:
	rm -rf $(VENV) var node_modules src/tocsin/web/static/vendor .pytest_cache .mypy_cache .ruff_cache
