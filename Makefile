# make run: set up .venv and run the main job on the offline default.
# make test: set up .venv and run the whole test suite.
# make setup: only the setup. All three are idempotent and cheap when up to date.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.nlpbench-installed
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup run test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

run: setup
	$(BIN)/nlpbench params
	$(BIN)/dvc repro

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check platform tests benchmarks pipelines

bench: setup
	$(BIN)/python benchmarks/cli_startup.py
	$(BIN)/python benchmarks/board_build.py
	$(BIN)/python benchmarks/tokenization_throughput.py
	$(BIN)/python benchmarks/scoring.py
	$(BIN)/python benchmarks/step_overhead.py

clean:
	rm -rf $(VENV) outputs .pytest_cache
