# dutdiem: two commands on a fresh machine.
#   make run   - set everything up and serve the demo province on http://127.0.0.1:8000
#   make test  - set everything up and run the whole suite
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
DUTDIEM := $(VENV)/bin/dutdiem
export DUTDIEM_DATA_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint typecheck messages check-migrations ci clean bench replica

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]" --config-settings editable_mode=compat
	@touch $(STAMP)

run: install
	@mkdir -p "$(DUTDIEM_DATA_DIR)"
	$(DUTDIEM) compilemessages --ignore=.venv -v 0
	$(DUTDIEM) migrate --noinput -v 0
	$(DUTDIEM) load_demo --if-empty
	$(DUTDIEM) serve --host $(HOST) --port $(PORT)

test: install
	$(DUTDIEM) compilemessages --ignore=.venv -v 0
	$(VENV)/bin/pytest -n 2 -q

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy .

check-migrations:
	$(DUTDIEM) makemigrations --check --dry-run

messages:
	$(DUTDIEM) makemessages -l vi --ignore=.venv --ignore=node_modules --ignore=bench --no-obsolete
	$(DUTDIEM) compilemessages --ignore=.venv

ci:
	bash .ci/run

# A streaming replica of the PostgreSQL at 127.0.0.1:5432 on port 5433 (scripts/pg-replica),
# then the read-router tests against it. `scripts/pg-replica stop` stops it.
REPLICA_DB ?= dutdiem_replica_tests
replica: install
	scripts/pg-replica start
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(REPLICA_DB) \
	DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/$(REPLICA_DB) \
	$(VENV)/bin/pytest ops/tests/test_replica.py -q -rs

clean:
	rm -rf $(VENV) var
