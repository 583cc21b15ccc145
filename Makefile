# Everything a newcomer needs: `make run` and `make test` work on a machine with only Python.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test test-quick bench lint clean

setup: $(STAMP)

# --no-compile: byte-compile only what gets imported (scipy, sklearn and matplotlib hold
# thousands of modules the bot never loads), which saves about a quarter of the install. What the
# bot imports when it starts and warms up is compiled here, once: where PYTHONDONTWRITEBYTECODE
# is set, no import would ever write it, and every start would compile numpy and the rest again
# (0.4 s of a 1.2 s start-up, measured so).
# The titre is read once too, which writes its phrasings' cache (`knowledge/loader.py`): the
# first start is then as short as the next ones (a quarter of a second less). A problem in the
# data does not stop the install: the bot and the tests report it at its line.
STARTS := bot.cli.commands bot.transports.polling bot.transports.webhook bot.transports.console \
	knowledge.engine rapidfuzz.distance
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-compile -e '.[dev]'
	PYTHONDONTWRITEBYTECODE= $(PY) -c "import importlib, sys; [importlib.import_module(m) for m in sys.argv[1:]]" $(STARTS)
	-$(PY) -c "from knowledge.loader import default_titre_path as p, load_titre; load_titre(p())"
	touch $(STAMP)

run: setup
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then \
		$(PY) -m bot run; \
	else \
		echo "TELEGRAM_BOT_TOKEN n'est pas défini : le bot démarre dans le terminal (hors ligne)."; \
		echo "No TELEGRAM_BOT_TOKEN: running in the terminal. To go live: export TELEGRAM_BOT_TOKEN=... && make run"; \
		$(PY) -m bot chat; \
	fi

# Every test, spread over the machine's cores (pytest-xdist).
test: setup
	$(PY) -m pytest -n auto

# The quick loop while editing: no test over HTTP, in a subprocess or over a second.
test-quick: setup
	$(PY) -m pytest -n auto -m "not slow"

bench: setup
	$(PY) -m bench

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
