# Newsroom: `make run` serves the site with demo data; `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint ci install clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || { interp=$$(sh .ci/find-python) && echo "Using $$interp" && $$interp -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

# The address pages give for themselves (canonical links, feeds, the admin login printed).
run: export NEWSROOM_SITE_URL ?= http://$(HOST):$(PORT)
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
