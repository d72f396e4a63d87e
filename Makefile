# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

.PHONY: run test setup install lock bench bench-scale lint format clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

setup: install
	$(BIN)/peninsula setup_site

run: setup
	PORT=$(PORT) $(BIN)/peninsula serve --port $(PORT)

test: install
	bash scripts/system-packages test
	bash scripts/test

bench: setup
	bash scripts/bench

bench-scale: setup
	bash scripts/bench-scale

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates jinja2 peninsula

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates jinja2 peninsula

# Rebuild the lock file from pyproject.toml in a scratch environment.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check ".[dev,s3]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^peninsula' > requirements.lock
	rm -rf .lock-venv build

clean:
	rm -rf $(VENV) var artifacts
