# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test test-fast test-slow lint browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m workbench demo
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT) --server.headless true

test: $(VENV)/.installed lint
	$(BIN)/python -m pytest -q
	$(MAKE) test-slow

test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -q

# Exit code 5 means no test carries the marker; that is not a failure.
test-slow: $(VENV)/.installed browser
	$(BIN)/python -m pytest -q -m slow || [ $$? -eq 5 ]

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Debian's Chromium drives the browser tests; Playwright's own download needs the internet.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
