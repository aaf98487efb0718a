# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
VENDOR := static/vendor/nhsuk-frontend
FRONTEND := node_modules/nhsuk-frontend/dist/nhsuk
export FLASK_APP := wsgi.py

.PHONY: run test install assets migrate content demo lint format clean

run: install migrate content demo
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

test: install
	$(BIN)/ruff check .
	$(BIN)/bandit -c pyproject.toml -r react_toolkit -ll
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed assets

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

assets: $(VENDOR)/.copied

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

$(VENDOR)/.copied: node_modules/.installed static/scss/nhsuk.scss
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)
	cp $(FRONTEND)/nhsuk-frontend.min.js $(VENDOR)/
	cp -R $(FRONTEND)/assets $(VENDOR)/assets
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules --quiet-deps \
		static/scss/nhsuk.scss $(VENDOR)/nhsuk-frontend.min.css
	touch $@

migrate: install
	mkdir -p instance
	$(BIN)/flask db upgrade

content: install
	$(BIN)/flask react sync-content

demo: install
	$(BIN)/flask react demo
	$(BIN)/flask react simulate --months 9 --sites 1 --once

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
