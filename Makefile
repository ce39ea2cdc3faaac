# AJET Nexus — the two commands: `make run` and `make test` (plus `make bench` and `make mutate`).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench mutate lint messages setup

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)
	$(PY) manage.py collectstatic --noinput >/dev/null

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runsite

test: setup
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -m "not browser"
	$(PY) -m pytest -m browser

bench: setup
	$(PY) -m bench

# Mutation testing of the permission core and the roster import (mutation/modules.toml); not part of `make test`.
mutate: setup
	$(PY) -m mutation

# Refresh the Japanese catalogue after changing strings (needs GNU gettext); the compiled .mo is committed.
messages: $(STAMP)
	$(PY) manage.py makemessages -l ja --ignore=.venv --ignore=tests --ignore=bench --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv
