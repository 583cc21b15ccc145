# Everything a newcomer needs: `make run` and `make test` work on a machine with only Python.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: setup
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then \
		$(PY) -m bot run; \
	else \
		echo "TELEGRAM_BOT_TOKEN n'est pas défini : le bot démarre dans le terminal (hors ligne)."; \
		echo "No TELEGRAM_BOT_TOKEN: running in the terminal. To go live: export TELEGRAM_BOT_TOKEN=... && make run"; \
		$(PY) -m bot chat; \
	fi

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) -m bench

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
