# Coproduce: `make run` serves the demo borough, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install assets demo lint format bench clean

# The environment is rebuilt when pyproject.toml or the npm lockfile change.
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Vendored front-end files come from their npm packages into the git-ignored
# static/vendor/: GOV.UK Frontend's JavaScript and assets, Leaflet (with one
# stylesheet for the map: Leaflet's and the clustering plugin's), and our
# brand of its Sass (Arial, no crown) compiled to one stylesheet.
static/vendor/.built: node_modules/.installed static_src/coproduce.scss Makefile
	rm -rf static/vendor && mkdir -p static/vendor/govuk-frontend static/vendor/leaflet static/vendor/leaflet.markercluster
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk-frontend/
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk-frontend/assets
	cp -r node_modules/leaflet/dist/. static/vendor/leaflet/
	cp -r node_modules/leaflet.markercluster/dist/. static/vendor/leaflet.markercluster/
	# The map's one stylesheet, beside Leaflet's images so its url()s still resolve.
	cat node_modules/leaflet/dist/leaflet.css node_modules/leaflet.markercluster/dist/MarkerCluster.css \
		node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css > static/vendor/leaflet/map.css
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet \
		static_src/coproduce.scss static/vendor/coproduce.css
	touch $@

install: $(BIN)/.installed assets
assets: static/vendor/.built

demo: install
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo

run: demo
	@echo "Serving the demo borough at http://$(HOST):$(PORT)/ (demo accounts: see README)"
	$(MANAGE) runserver $(HOST):$(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

# PYTEST_ARGS passes options through, e.g. `make test PYTEST_ARGS="-k budget"`;
# by default the suite runs on two workers (pytest-xdist).
PYTEST_ARGS ?= -n 2
test: install lint
	$(MANAGE) makemigrations --check --dry-run --settings=coproduce.settings.test
	$(BIN)/pytest $(PYTEST_ARGS)

# `make bench` runs every benchmarks/bench_*.py; `make bench BENCH=panels` one.
# Production settings with Redis as the shared cache, as deployed (README).
# BENCH_REDIS_URL names it; each benchmark empties that database first.
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python -m benchmarks $(BENCH)

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .test-media
