# Two commands for a fresh clone on a machine with Python 3.11+ and make:
#   make run   - install, migrate, schedules, demo data; web + worker + beat (Ctrl-C stops all)
#   make test  - install and run the whole suite on the embedded defaults (SQLite, no servers)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Service URLs for `make test-services`; CI and a developer with local servers can override.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ohmanager
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test test-services lint check-deploy audit migrate pdf-deps clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11+ is needed (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

migrate: $(VENV)/.installed-run
	mkdir -p var
	$(MANAGE) migrate --noinput

# The profile card's PDF needs Pango and a Korean font from the system (ohmanager.pdf). Best
# effort, never fatal: installed where apt-get exists and we are root, else one line saying so.
PDF_APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-nanum
pdf-deps: $(VENV)/.installed-run
	-@korean_font() { ! command -v dpkg-query >/dev/null 2>&1 || \
		dpkg-query -W -f='$${Status}\n' fonts-nanum fonts-noto-cjk 2>/dev/null | grep -q "ok installed"; }; \
	if $(BIN)/python -c 'import weasyprint' >/dev/null 2>&1 && korean_font; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing $(PDF_APT_PACKAGES) with apt-get (the card's PDF)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			$(PDF_APT_PACKAGES) >/dev/null 2>&1 && exit 0; \
	fi; \
	echo "Note: the profile card's PDF answers 503 pdf_unavailable until Pango and a Korean font are installed ($(PDF_APT_PACKAGES)); everything else runs."

run: pdf-deps migrate
	$(MANAGE) setup_periodic_tasks
	$(MANAGE) setup_staff_groups
	$(MANAGE) load_demo_data
	@echo "API: http://127.0.0.1:8000/api/v1/  docs: http://127.0.0.1:8000/api/docs/"
	@echo "Demo crawl: $(MANAGE) crawl demo-casting-board (saved pages on http://127.0.0.1:8765/demo/)"
	cat Procfile Procfile.dev > var/Procfile.run
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f var/Procfile.run

test: $(VENV)/.installed-dev
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u EMAIL_URL -u EMAIL_HOST \
		-u AWS_STORAGE_BUCKET_NAME OHMANAGER_IGNORE_DOTENV=1 \
		$(BIN)/pytest -m "not services" $(PYTEST_ARGS)

# The same suite against real PostgreSQL and Redis, plus the tests that need a real worker.
test-services: $(VENV)/.installed-dev
	OHMANAGER_IGNORE_DOTENV=1 OHMANAGER_SERVICES=1 DATABASE_URL=$(TEST_DATABASE_URL) \
		REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest --create-db $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

check-deploy: $(VENV)/.installed-run
	DJANGO_SETTINGS_MODULE=ohmanager.settings.production \
	DJANGO_SECRET_KEY="check-deploy-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
	DJANGO_ALLOWED_HOSTS=api.ohmanager.example \
		$(MANAGE) check --deploy --fail-level WARNING

# Known vulnerabilities in the pinned runtime dependencies (PyPI's advisory data, via pip-audit).
# --strict: a package that cannot be audited (advisory data unreachable, version unknown to the
# index) fails the target instead of being skipped, so an audit that did not happen never passes.
audit: $(VENV)/.installed-dev
	$(BIN)/pip-audit --requirement requirements.txt --strict --progress-spinner off \
		|| { echo "FATAL: dependency audit failed or could not run (see above)" >&2; exit 1; }

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
