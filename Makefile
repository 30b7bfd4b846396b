# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Installed again whenever the package's metadata changes.
STAMP := $(VENV)/.installed
# System packages are installed as root, or through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-postgres tools docs docs-settings bench clean

# The demo's address: make run PORT=8001 (HOST=0.0.0.0 to be reached from other machines).
HOST ?= 127.0.0.1
PORT ?= 8000

run: $(STAMP)
	$(PY) manage.py migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite last, so that its summary closes the output.
test: tools test-postgres
	$(PY) -m pytest

# The database-dependent tests (marked django_db) again, on PostgreSQL.
# Outside CI they skip, with the reason, when no server answers; under
# CI=true that is a failure. Exit status 5 is pytest's "no tests collected".
test-postgres: $(STAMP)
	DATABASE_URL=$${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/framework} \
		$(PY) -m pytest -m django_db -p no:cacheprovider -q || [ $$? -eq 5 ]

docs: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

# Regenerates the settings reference from the schemas.
docs-settings: $(STAMP)
	$(PY) manage.py settings --markdown > docs/settings.md

# The framework against plain Django + DRF and plain Celery (docs/performance.md).
# BENCH_ARGS passes options, e.g. make bench BENCH_ARGS=--postgres. wrk is installed when missing.
bench: $(STAMP) tools
	$(PY) bench/run.py $(BENCH_ARGS)

# wrk, the load generator of bench/, from Debian's packages: the tests run the
# benchmark's smoke mode. Without it that test skips (under CI=true, fails).
tools:
	@command -v wrk >/dev/null || $(SUDO) sh -c 'apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }' \
		|| echo "warning: could not install wrk; the benchmark smoke test will not run"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres,testing]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .demo .demo-render site dist build
