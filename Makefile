# cognito-forms: `make run` serves the demo site against the embedded Cognito,
# `make test` runs the whole suite. Both install what they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
COGNITO_LOCAL_PORT ?= 9229
PYTEST_ARGS ?=

.PHONY: run test install lint format check-deploy bench clean

# Reinstall only when a requirements file changed, so a second `make run` starts in seconds.
$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP) .env

.env:
	cp .env.example .env
	@echo "Wrote .env from .env.example"

run: install
	$(PY) manage.py migrate --no-input -v 0
	PORT=$(PORT) COGNITO_LOCAL_PORT=$(COGNITO_LOCAL_PORT) $(PY) -m site_project.rundemo

test: install
	$(PY) manage.py migrate --no-input -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy cognito_forms site_project local_cognito
	$(VENV)/bin/mypy --strict cognito_forms

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Placeholders stand in for the site-specific values a real deployment sets in its environment.
check-deploy: install
	DJANGO_SETTINGS_MODULE=site_project.settings_production SECRET_KEY=$$(openssl rand -hex 32) \
	  ALLOWED_HOSTS=$${ALLOWED_HOSTS:-www.example.com} \
	  DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cognito_forms} \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	  COGNITO_USER_POOL_ID=us-east-1_Placeholder1 COGNITO_CLIENT_ID=placeholderclient000000000 \
	  $(PY) manage.py check --deploy --fail-level WARNING

bench: install
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
