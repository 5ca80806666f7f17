# The README's two commands:  `make run`  (the main job)  and  `make test`  (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test,bench]"
	@touch $@

## run: install, then extract the bundled sample pages and print what was found
run: $(VENV)/.installed
	$(BIN)/warta demo

## test: install, then run the whole test suite
test: $(VENV)/.installed
	$(BIN)/python -m pytest

## bench: the benchmarks under bench/ (they print figures; not part of CI)
bench: $(VENV)/.installed
	$(BIN)/python bench/golden_pages.py
	$(BIN)/python bench/detik_furniture.py
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/language_id.py
	$(BIN)/python bench/html_parsers.py
	$(BIN)/python bench/html_extraction.py
	$(BIN)/python bench/html_metadata.py
	$(BIN)/python bench/html_speed.py
	$(BIN)/python bench/warc_read.py
	$(BIN)/python bench/tokens.py
	$(BIN)/python bench/entities.py --ablation
	$(BIN)/python bench/times.py
	$(BIN)/python bench/quotes.py test
	$(BIN)/python bench/events.py
	$(BIN)/python bench/summary.py
	$(BIN)/python bench/enrichment.py

lint: $(VENV)/.installed
	$(BIN)/python -m pip install -q ruff mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy --strict src/warta

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .hypothesis
