# The two commands of the README:
#   make demo   set up, build the demo company on SQLite and serve it at http://127.0.0.1:8000
#               (with the background-jobs worker, manage.py db_worker, running beside it)
#   make test   set up, then lint (ruff, import layers), type check, catalogues up to date with
#               the source, migrations check, the suite on SQLite (browser tests apart, on a
#               SQLite file) and PostgreSQL, the SQLite
#               suite again with the system clock moved ahead (faketime), check --deploy, the
#               production smoke test (gunicorn on PostgreSQL, real HTTP), the load-test smoke
#               (locust, 5 users for 15 s, no failed request) and the API fuzz test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# How far test-moved-clock moves the system clock (any faketime offset: "+3 years", "-1 day").
CLOCK_OFFSET ?= +400 days

.PHONY: setup demo run test lint typecheck messages-check migrations-check test-sqlite test-e2e test-postgres \
	test-moved-clock deploy-check production-checks smoke-production load-smoke load-test serve-production fuzz messages

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

setup: $(VENV)/.installed
	scripts/install-system-packages

demo: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	@echo "Open http://127.0.0.1:8000 and sign in with a demo login above."
	@# The background-jobs worker (letters batches) runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-reload --interval 1 -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-0} $(PY) manage.py runserver 127.0.0.1:8000

run: demo

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

# mypy with django-stubs and djangorestframework-stubs; what it covers is in pyproject.toml.
typecheck: setup
	$(PY) -m mypy

messages-check: setup
	scripts/check-messages

migrations-check: setup
	$(PY) manage.py makemigrations --check --dry-run

# Each suite keeps the files it writes (letters, uploads) in a folder of its own, so that the
# three suites can run side by side (`make test` runs them in parallel).
suite_files = MEDIA_ROOT=$(CURDIR)/var/$(1)/media PRIVATE_MEDIA_ROOT=$(CURDIR)/var/$(1)/private

test-sqlite: setup
	env -u DATABASE_URL $(call suite_files,test-sqlite) $(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

# The browser tests run on a SQLite *file* (as `make demo` does): the live server's request threads
# then have connections of their own, and a page's background fetch (the to-do count) waits for
# the test's writes instead of sharing — and tripping over — one in-memory connection.
test-e2e: setup
	mkdir -p var
	env -u DATABASE_URL TEST_DATABASE_NAME=$(CURDIR)/var/test-e2e.sqlite3 $(PY) -m pytest -m e2e $(PYTEST_ARGS)

test-postgres: setup
	scripts/ensure-postgres
	DATABASE_URL=$(PG_URL) $(call suite_files,test-postgres) $(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

# The suite must pass on any date: the tests freeze their own clock (tests/clock.py), so moving
# the machine's clock changes nothing — unless something reads the real date behind their back.
test-moved-clock: setup
	env -u DATABASE_URL $(call suite_files,test-moved-clock) faketime '$(CLOCK_OFFSET)' \
	  $(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

deploy-check: setup
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=') \
	ALLOWED_HOSTS=ladder.example.com DATABASE_URL=$(PG_URL) \
	$(PY) manage.py check --deploy --fail-level WARNING

fuzz: setup
	scripts/fuzz-api

# The production profile really serves: collectstatic, gunicorn + db_worker, real HTTP checks.
smoke-production: setup
	scripts/smoke-production

# The load test's smoke version: 5 users for 15 s against gunicorn (production profile) on the
# demo company in PostgreSQL; any failed request fails it (docs/performance.md).
load-smoke: setup
	scripts/load-test --smoke

# The full load test (not part of `make test`): LOAD_ARGS="--users 50 --run-time 2m".
load-test: setup
	scripts/load-test $(LOAD_ARGS)

# Production: migrate, collect static files, gunicorn and the background worker (docs/deploy.md).
serve-production: setup
	scripts/serve-production

# The long steps run two at a time (scripts/run-tests): the PostgreSQL suite beside the fuzz test,
# then the SQLite suite, the browser tests, the moved-clock suite and the production checks.
test: lint typecheck messages-check migrations-check
	MAKE=$(MAKE) scripts/run-tests

# check --deploy, the production smoke test and the load-test smoke, one after the other.
production-checks: deploy-check smoke-production load-smoke

# Update every catalogue: the project's (core, org, templates) and each app's own.
APPS_WITH_LOCALE := $(patsubst %/locale,%,$(wildcard */locale))
messages: setup
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=tests \
	  --ignore=static $(foreach a,$(APPS_WITH_LOCALE),--ignore=$(a))
	for a in $(APPS_WITH_LOCALE); do \
	  (cd $$a && ../$(PY) ../manage.py makemessages -l zh_Hans -l en); done
	$(PY) manage.py compilemessages --ignore=.venv
