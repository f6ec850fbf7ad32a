# Neem: `make run` for the demo, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint check venv browser-deps migrate seed clean load load-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true
	$(PY) manage.py seed_demo
	$(PY) manage.py daily
	@echo "Serving on http://127.0.0.1:8000/ with the task worker (Ctrl-C stops both)"
	$(PY) manage.py db_worker & WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian's Chromium for the browser tests (Playwright's own download does not work here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# localstripe (a Stripe-protocol server the payment tests start) in its own venv: it pins aiohttp & co.
LOCALSTRIPE_VENV := var/localstripe-venv
$(LOCALSTRIPE_VENV)/.installed: requirements-localstripe.txt
	test -x $(LOCALSTRIPE_VENV)/bin/pip || $(PYTHON) -m venv $(LOCALSTRIPE_VENV)
	$(LOCALSTRIPE_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-localstripe.txt
	touch $@

# The URL x role matrix and the hostile-input tests (which open the matrix's pages) each build one world
# for the whole module inside an open transaction; they run on their own so that transaction never sits
# beside another file's tests or a browser test's live server (--dist loadfile: one file per worker).
# --dist loadfile keeps each other file's tests together on one worker.
WORLD_MODULES := tests/test_url_role_matrix.py tests/test_hostile_input.py
test: $(STAMP) browser-deps $(LOCALSTRIPE_VENV)/.installed
	$(PY) -m pytest -n 2 --dist loadfile --create-db -q $(addprefix --ignore=,$(WORLD_MODULES)) $(PYTEST_ARGS)
	$(PY) -m pytest -n 2 --dist loadfile --create-db -q $(WORLD_MODULES)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var

# Load and fault scripts (tests/load/, not part of `make test`): locust in its own venv, var/load-venv.
LOAD_VENV := var/load-venv
$(LOAD_VENV)/.installed: requirements-load.txt
	test -x $(LOAD_VENV)/bin/pip || $(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-load.txt
	touch $@

load-venv: $(LOAD_VENV)/.installed

load: $(STAMP) load-venv
	$(PY) tests/load/run_load.py
	$(PY) tests/load/fault_repayments.py --reuse-database
