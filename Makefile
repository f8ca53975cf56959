# 执行监督平台 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install assets lint check bench soak fuzz lock clean

$(STAMP): pyproject.toml requirements/lock.txt
	@command -v $(PY) >/dev/null || { echo "需要 Python 3.11（$(PY)）"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/lock.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json

# The embedded default: SQLite, Celery eager, no Redis. Prints the demo logins.
# `make run PORT=8001` serves on another port (default 8000).
run: install
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py seed_demo --port $(PORT)
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite on real PostgreSQL and Redis (DATABASE_URL, REDIS_URL), browser
# journeys included: Chromium and CJK fonts are installed first where possible, and
# the run stops naming what is missing otherwise (deploy/ensure-browser.sh).
test: install
	deploy/ensure-browser.sh
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# A synthetic province in PostgreSQL and the figures of DESIGN "Scale", written to
# docs/performance.md. BENCH_CASES (default 200000); BENCH_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/zhixing_bench — dropped and re-created).
bench: install
	$(BIN)/python -m bench.run

# gunicorn (several workers) on loopback under a bounded mixed read/write load for a
# fixed time: throughput, p50/p95/p99, errors, audit rows = writes. Figures go to
# docs/reliability.md. SOAK_SECONDS (default 60), SOAK_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/zhixing_soak — dropped and re-created).
soak: install
	$(BIN)/python -m bench.soak

# schemathesis over /api/schema/ with a larger budget than the suite's
# (FUZZ_MAX_EXAMPLES, default 200 per operation).
fuzz: install
	FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-200} $(BIN)/python -m pytest tests/security/test_schemathesis.py -p no:xdist -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy core audit enforcement/services custody_funds/services supervision/services dualcheck/services \
		enforcement/selectors.py custody_funds/selectors.py supervision/selectors dualcheck/selectors.py \
		enforcement/policy.py custody_funds/policy.py supervision/policy.py dualcheck/policy.py \
		documents/services.py documents/selectors.py documents/policy.py documents/context.py documents/rendering.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py makemigrations --check --dry-run

lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements/lock.txt

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
