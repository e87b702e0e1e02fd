# Everything runs from a local virtual environment made with the Python on PATH.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The main job on the committed list: check it, then search it.
run: $(STAMP)
	$(BIN)/lclm validate
	$(BIN)/lclm search rope --limit 10

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench.py $(BENCH)

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
