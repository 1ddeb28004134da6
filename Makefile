# The README's commands.  `make run` and `make test` set everything up on a fresh machine.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
FLASK   = $(BIN)/flask --app directory
STAMP   = $(VENV)/.installed-stamp
TEST_PROCESSES ?= 2

.PHONY: install run test lint format worker beat services bench bench-small load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty --reindex
	@echo ""
	@echo "  The directory is at http://127.0.0.1:5000  (emails: http://127.0.0.1:5000/dev/mailbox)"
	@echo ""
	$(FLASK) run --host 127.0.0.1 --port 5000

# Two processes share the tests; those marked `alone` (a load test, timing comparisons)
# run afterwards with the machine to themselves.
test: install
	bash scripts/ensure-services.sh
	$(BIN)/pytest -n $(TEST_PROCESSES) -m "not alone"
	$(BIN)/pytest -m alone

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	$(BIN)/celery -A workers worker --loglevel INFO

beat: install
	$(BIN)/celery -A workers beat --loglevel INFO --schedule instance/celerybeat-schedule

services:
	bash scripts/ensure-services.sh

# Load benchmark on PostgreSQL (not part of `make test`): figures go to docs/benchmarks.md.
bench: install
	bash scripts/ensure-services.sh
	$(BIN)/python -m scripts.bench

bench-small: install
	bash scripts/ensure-services.sh
	$(BIN)/python -m scripts.bench --small

# Ten minutes of mixed traffic through nginx (Debian's nginx-light) and gunicorn at 100,000
# therapists, failing on any error or lost review: figures go to docs/benchmarks.md.
load: install
	bash scripts/ensure-services.sh
	$(BIN)/python -m scripts.load

clean:
	rm -rf $(VENV) instance test-artifacts .pytest_cache .ruff_cache
