# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
VENDOR := static/vendor/nhsuk-frontend
FRONTEND := node_modules/nhsuk-frontend/dist/nhsuk
export FLASK_APP := wsgi.py

.PHONY: run test test-dates install assets migrate content demo lint format clean

# Awkward moments for `make test-dates`, as UTC offsets say them in London: the first and last
# minute of a month (the first minute of June is still May in UTC), new year's eve, a leap day,
# both sides of the spring clock change (01:30 UTC is 02:30 in London: 01:00-02:00 does not exist
# that night), the autumn one's 00:59 and both 01:30s, and a bank holiday.
TEST_DATES := 2027-06-01T00:00:00+01:00 2027-04-30T23:59:00+01:00 2026-12-31T23:59:00+00:00 \
	2028-02-29T12:00:00+00:00 2027-03-28T00:59:00+00:00 2027-03-28T01:30:00+00:00 \
	2027-10-31T00:59:00+01:00 2027-10-31T01:30:00+01:00 2027-10-31T01:30:00+00:00 \
	2027-05-03T10:30:00+01:00
TEST_WORKERS ?= auto

# The outbox worker runs beside gunicorn and stops with it (Ctrl-C, or gunicorn exiting).
run: install migrate content demo
	$(BIN)/flask react deliver & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

test: install
	$(BIN)/ruff check .
	$(BIN)/bandit -c pyproject.toml -r react_toolkit -ll
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The date-sensitive tests (marked `dates`) on SQLite, each run once with the app's clock started
# at each of TEST_DATES.
test-dates: install
	REACT_TEST_DATES="$(TEST_DATES)" TEST_DATABASE_URL= $(BIN)/python -m pytest -n $(TEST_WORKERS) -m dates $(PYTEST_ARGS)

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
