# The two commands of the quick start: `make run` and `make test`.
#
# Two stacks, each in its own virtual environment: the oldest supported (Python 3.11,
# Django 5.2 LTS) in .venv, which `make run` uses too, and the newest (Python 3.13,
# Django 6.1) in .venv-newest.
PYTHON ?= python3
NEWEST_PYTHON ?= $(or $(wildcard $(HOME)/.pyenv/versions/3.13.0/bin/python),$(shell command -v python3.13))
VENV := .venv
NEWEST_VENV := .venv-newest
PY := $(VENV)/bin/python
NEWEST_PY := $(NEWEST_VENV)/bin/python
OLDEST_DJANGO := Django>=5.2,<5.3
NEWEST_DJANGO := Django>=6.1,<6.2
EXTRAS := .[dev,postgres,testing]
# Installed again whenever the package's metadata changes.
STAMP := $(VENV)/.installed
NEWEST_STAMP := $(NEWEST_VENV)/.installed
POSTGRES_URL := $${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/framework}
# What does not depend on the stack runs once, on the oldest, in a run of its own: the benchmark's smoke
# run, the docs' and the layout's checks, `make run` (which uses .venv), the deployment
# files, two projects calling each other over HTTP (httpx and gunicorn; the client's Django
# side runs on both stacks in tests/outbound), the scale-out run (two of each process:
# minutes of processes, nothing of the Django version), and what builds or installs the
# same on both stacks: the Docker image (its own Python), a checkout's install into a
# fresh virtualenv (the wheel's, on each stack's Python and Django, runs on both); and schemathesis
# against a generated project (a minute of requests; the schema and its checks are the framework's,
# whose tests of each rule run on both stacks in tests/api).
STACK_INDEPENDENT := tests/test_bench.py tests/test_docs.py tests/test_layout.py tests/test_make_run.py \
	tests/e2e/test_deployment_files.py tests/e2e/test_services.py tests/e2e/test_scale_out.py \
	tests/e2e/test_schemathesis.py
STACK_INDEPENDENT_TESTS := \
	tests/e2e/test_installs.py::test_the_docker_image_of_the_wheel_project_builds_and_passes_the_deploy_check \
	tests/e2e/test_installs.py::test_the_docker_build_names_a_local_path_it_cannot_reach \
	tests/e2e/test_installs.py::test_a_project_from_a_checkout_installs_from_its_pyproject_in_a_fresh_venv
# Where `make test` keeps each run's output while the runs go on at once.
TEST_LOGS := .test-logs
# System packages are installed as root, or through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

SHELL := /bin/bash

.PHONY: run test test-postgres test-newest test-oldest test-independent tools docs docs-settings bench clean

# The demo's address: make run PORT=8001 (HOST=0.0.0.0 to be reached from other machines).
HOST ?= 127.0.0.1
PORT ?= 8000

run: $(STAMP)
	$(PY) manage.py migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

# Four runs at once (the machine's cores are shared; most of the suite's time is spent
# waiting for the processes it starts): the database tests on PostgreSQL, the newest
# stack, the oldest, and what does not depend on the stack. Each run's output is printed whole when it ends
# (and kept in .test-logs/); a summary line per run closes the output. Any run failing
# fails `make test`, after all four have finished.
test: tools $(STAMP) $(NEWEST_STAMP)
	@rm -rf $(TEST_LOGS) && mkdir -p $(TEST_LOGS)
	@echo "make test: test-postgres, test-newest, test-oldest and test-independent at once; each one's output when it ends (logs in $(TEST_LOGS)/)"
	@$(MAKE) --no-print-directory -k -j4 --output-sync=target test-postgres test-newest test-oldest test-independent; status=$$?; \
		echo; echo "make test summary:"; cat $(TEST_LOGS)/*.summary 2>/dev/null; \
		[ $$status -eq 0 ] && echo "make test: passed" || echo "make test: FAILED (see the output of the failed run above)"; \
		exit $$status

# $(call pytest_run,NAME,COMMAND): run COMMAND, its output shown and kept in .test-logs/NAME.log,
# and a line of summary in .test-logs/NAME.summary; the command's exit status.
pytest_run = mkdir -p $(TEST_LOGS); set -o pipefail; { $(2); } 2>&1 | tee $(TEST_LOGS)/$(1).log; status=$$?; \
	printf '  %-14s %s\n' "$(1)" "$$(grep -E '(passed|failed|error|skipped|no tests ran)' $(TEST_LOGS)/$(1).log | tail -n 1 | tr -d '=')" \
		> $(TEST_LOGS)/$(1).summary; \
	exit $$status

# The database-dependent tests (marked django_db) again, on PostgreSQL.
# Outside CI they skip, with the reason, when no server answers; under
# CI=true that is a failure. Exit status 5 is pytest's "no tests collected".
test-postgres: $(STAMP)
	@$(call pytest_run,test-postgres,DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest -m django_db -p no:cacheprovider -q || [ $$? -eq 5 ])

# The newest stack: the suite but what does not depend on the stack, on PostgreSQL
# (the e2e tests' generated projects run on SQLite), in databases of its own.
test-newest: $(NEWEST_STAMP)
	@$(call pytest_run,test-newest,DATABASE_URL=$(POSTGRES_URL)_newest TEST_POSTGRES_URL=$(POSTGRES_URL)_newest \
		$(NEWEST_PY) -m pytest -p no:cacheprovider -q $(addprefix --ignore=,$(STACK_INDEPENDENT)) \
		$(addprefix --deselect=,$(STACK_INDEPENDENT_TESTS)))

# The suite on the oldest stack, on SQLite, but what does not depend on the stack.
test-oldest: $(STAMP)
	@$(call pytest_run,test-oldest,$(PY) -m pytest -p no:cacheprovider -q $(addprefix --ignore=,$(STACK_INDEPENDENT)) \
		$(addprefix --deselect=,$(STACK_INDEPENDENT_TESTS)))

# What does not depend on the stack, once, on the oldest stack, in databases of its own.
test-independent: $(STAMP)
	@$(call pytest_run,test-independent,TEST_POSTGRES_URL=$(POSTGRES_URL)_independent \
		$(PY) -m pytest -p no:cacheprovider -q $(STACK_INDEPENDENT) $(STACK_INDEPENDENT_TESTS))

docs: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

# Regenerates the settings reference from the schemas.
docs-settings: $(STAMP)
	$(PY) manage.py settings --markdown > docs/settings.md

# The framework against plain Django + DRF and plain Celery (docs/performance.md).
# BENCH_ARGS passes options, e.g. make bench BENCH_ARGS=--postgres. wrk is installed when missing.
bench: $(STAMP) tools
	$(PY) bench/run.py $(BENCH_ARGS)

# From Debian's packages: wrk, the load generator of bench/ (the tests run the benchmark's
# smoke mode), and Chromium with its driver (tests/e2e drive the API docs and the admin in it).
# Without them those tests skip (under CI=true, fail).
tools:
	@command -v wrk >/dev/null || $(SUDO) sh -c 'apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }' \
		|| echo "warning: could not install wrk; the benchmark smoke test will not run"
	@{ command -v chromium && command -v chromedriver; } >/dev/null || $(SUDO) sh -c 'apt-get install -y -qq chromium chromium-driver >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }' \
		|| echo "warning: could not install chromium and chromium-driver; the browser tests will not run"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '$(EXTRAS)' '$(OLDEST_DJANGO)'
	touch $(STAMP)

$(NEWEST_STAMP): pyproject.toml
	@test -n "$(NEWEST_PYTHON)" || { echo "Python 3.13 not found: install it (pyenv install 3.13.0) or set NEWEST_PYTHON" >&2; exit 1; }
	test -x $(NEWEST_PY) || $(NEWEST_PYTHON) -m venv $(NEWEST_VENV)
	$(NEWEST_PY) -m pip install --quiet --upgrade pip
	$(NEWEST_PY) -m pip install --quiet -e '$(EXTRAS)' '$(NEWEST_DJANGO)'
	touch $(NEWEST_STAMP)

clean:
	rm -rf $(VENV) $(NEWEST_VENV) .demo .demo-render site dist build $(TEST_LOGS)
