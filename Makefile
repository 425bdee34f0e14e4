# Tsunagu: `make run` starts the demo centre, `make test` runs the whole suite.
# Every target sets up .venv itself, so each works from a fresh clone.

SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo asks a second factor only of accounts that enrol one (アカウント → 二段階認証);
# production's default is "required". `make run TSUNAGU_MFA=required` shows enforcement.
TSUNAGU_MFA ?= optional
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Find Python 3.12+: python3.13, python3.12, then python3 (a .python-version file makes
# pyenv resolve these inside the repository). Stop with a clear message otherwise.
PYTHON_BIN := $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then echo $$p; break; fi; done)

.PHONY: run test test-browser lint format migrations-check venv demo benchmark throughput clean

$(STAMP): requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON_BIN)" ]; then \
		echo "Tsunagu needs Python 3.12 or newer (python3.13, python3.12 or a python3 that new); none was found on PATH." >&2; exit 1; fi
	@[ -x $(PY) ] || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@mkdir -p var
	@[ -s var/secret_key ] || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@export ALLOWED_HOSTS="$(HOST),127.0.0.1,localhost" TSUNAGU_MFA="$(TSUNAGU_MFA)"; \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py load_demo --if-empty && \
	$(PY) manage.py collectstatic --no-input --verbosity 0 && \
	$(PY) manage.py demo_accounts && \
	echo "Tsunagu: http://$(HOST):$(PORT)/" && \
	exec $(VENV)/bin/gunicorn tsunagu.wsgi --bind "$(HOST):$(PORT)" --workers 2 --threads 4 --access-logfile -

demo: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo --force

test: $(STAMP)
	$(PY) -m pytest

# A missing Chromium fails here, as in CI, rather than skipping every test.
test-browser: $(STAMP)
	TSUNAGU_REQUIRE_BROWSER=1 $(PY) -m pytest -m browser

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	TSUNAGU_TESTING=1 $(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(STAMP)
	TSUNAGU_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

# `make benchmark SIZE=10000`: a town of that many cases (generate_town), one table of
# p50/p95 per page and the ratio to /healthz, one of the full-text search beside icontains,
# also written to var/benchmark-<db>-<SIZE>.json.
benchmark: $(STAMP)
	TSUNAGU_MFA=optional $(PY) scripts/benchmark.py $(if $(SIZE),--cases $(SIZE))

# `make throughput`: requests per second under gunicorn of /healthz, a trivial signed-in
# page and the case page, on the town already in DATABASE_URL (scripts/throughput.py).
throughput: $(STAMP)
	$(PY) scripts/throughput.py

clean:
	rm -rf $(VENV) var staticfiles
