# The README's commands. Each target sets up .venv itself on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test check lint bench lab clean

$(STAMP): pyproject.toml requirements.lock package.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	npm install --no-audit --no-fund --silent
	touch $(STAMP)

book: $(STAMP)
	tools/system-packages build
	$(BIN)/kurswerk build

check: $(STAMP)
	$(BIN)/kurswerk check

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/kurswerk check
	$(BIN)/pytest -q -n 2 --dist loadscope --durations=15

lab: $(STAMP)
	$(BIN)/kurswerk lab

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf build
