# Everything runs from a local virtual environment made with the Python on PATH.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The BibTeX tests run the real bibtex with plainnat: Debian's texlive-latex-base.
TEX_PACKAGES := texlive-latex-base
# The web page's tests drive Debian's chromium through its chromedriver (Selenium).
BROWSER_PACKAGES := chromium chromium-driver

.PHONY: install tex browser run test bench clean

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

tex:
	@command -v bibtex >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo -n ); \
	  echo "installing $(TEX_PACKAGES) for the bibtex tests"; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null; \
	} || echo "warning: could not install $(TEX_PACKAGES); the real-bibtex tests will fail"

browser:
	@{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo -n ); \
	  echo "installing $(BROWSER_PACKAGES) for the web page's browser tests"; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES) >/dev/null; \
	} || echo "warning: could not install $(BROWSER_PACKAGES); the browser tests will be skipped"

# The suite runs on a frozen fixture store (tests/data/store); the live list
# gets its own checks after it, as CI and pre-commit give them.
test: $(STAMP) tex browser
	$(BIN)/python -m pytest -n auto
	$(BIN)/mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/lclm --papers papers validate --strict

# Every figure the issues set a target for (within 20 minutes on a 2-core machine);
# BENCH=scale make bench runs one part, BENCH_SIZES=641,10000 leaves out the 100,000-paper store.
bench: $(STAMP) browser
	$(BIN)/python bench/bench.py $(BENCH)

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
