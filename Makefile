# MTSS Coordination. `make run` starts everything on the embedded set-up; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run test lint format bench chromium oidc-provider clean plotly-bundle

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (see .python-version); found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP) $@

install: $(STAMP)

install-dev: $(DEV_STAMP)

# Web server, Celery worker and Celery beat together; one Ctrl-C stops all three.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving http://$(HOST):$(PORT)/ with a Celery worker and beat (Ctrl-C stops all)."
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT INT TERM; \
	$(VENV)/bin/celery -A mtss worker --loglevel=INFO --concurrency=2 --without-mingle --without-gossip & \
	$(VENV)/bin/celery -A mtss beat --loglevel=INFO & \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload; \
	status=$$?; exit $$status

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	fi

# The real OpenID Connect provider the single sign-on tests run on loopback (Node.js, no browser download).
OIDC_PROVIDER_DIR := tests/oidc_provider
OIDC_PROVIDER_STAMP := $(OIDC_PROVIDER_DIR)/node_modules/.installed

$(OIDC_PROVIDER_STAMP): $(OIDC_PROVIDER_DIR)/package.json $(OIDC_PROVIDER_DIR)/package-lock.json
	cd $(OIDC_PROVIDER_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

oidc-provider: $(OIDC_PROVIDER_STAMP)

test: install-dev chromium oidc-provider
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy mtss coordinators implementation_plans meetings data_reviews

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install-dev chromium
	$(PY) -m tests.benchmarks.run

clean:
	rm -rf var/ .pytest_cache .ruff_cache .mypy_cache

# Plotly with only the trace types the app draws (static/vendor/plotly/README.md says why and what).
PLOTLY_VERSION := 4.1.1
ESBUILD_VERSION := 0.28.2
plotly-bundle:
	@rm -rf var/plotly-build && mkdir -p var/plotly-build
	cp static/vendor/plotly/entry.js var/plotly-build/entry.js
	cd var/plotly-build && npm init -y >/dev/null && \
	  npm install --no-audit --no-fund --silent plotly.js@$(PLOTLY_VERSION) esbuild@$(ESBUILD_VERSION) && \
	  npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
	    --define:global=window --define:define.amd=false --alias:stream=stream-browserify \
	    --loader:.css=empty --legal-comments=none \
	    --banner:js="/* plotly.js $(PLOTLY_VERSION) (MIT license, Plotly, Inc.), partial build: scatter, bar, heatmap. See static/vendor/plotly/README.md */" \
	    --outfile=plotly.min.js
	cp var/plotly-build/plotly.min.js static/vendor/plotly/plotly-strict.min.js
	@ls -l static/vendor/plotly/plotly-strict.min.js
