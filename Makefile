# Two entry points: `make atlas` builds everything into output/, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: atlas test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	# GDAL's validate_gpkg.py needs no GDAL bindings; gdal-utils would build them, so no deps.
	$(BIN)/python -m pip install --quiet --no-deps gdal-utils==3.13.3.0
	touch $(STAMP)

atlas: $(STAMP)
	$(BIN)/corridors build

test: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks) scripts
	$(BIN)/ruff format --check src tests $(wildcard benchmarks) scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) output/*.html output/corridors output/*.md output/*.csv
