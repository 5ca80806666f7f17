# The README's two commands:  `make run`  (the main job)  and  `make test`  (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# What a fresh install gets: the versions in constraints.txt (the suite last passed with them).
LOCK := constraints.txt
PIP_VERSION := 26.3

.PHONY: run serve test bench lint clean lock test-latest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q "pip==$(PIP_VERSION)"

$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install -q -c $(LOCK) -e ".[all,test,bench]"
	@touch $@

## run: install, extract the bundled sample pages, print what was found, ingest them into the
## embedded store, print what it holds and say how to open the web reader on it; it finishes
run: $(VENV)/.installed
	$(BIN)/warta demo

## serve: the web reader and the REST API on the store `make run` filled
## (http://127.0.0.1:$(PORT)/; Ctrl-C stops it)
PORT ?= 8000
serve: $(VENV)/.installed
	$(BIN)/warta serve --port $(PORT)

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
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy --strict src/warta

## lock: rewrite constraints.txt from what is installed in .venv (after `make test` passed)
lock: $(VENV)/.installed
	{ echo "# The versions the test suite last passed with (a fresh install gets exactly these)."; \
	  echo "# Regenerate: make lock   ·   check the newest releases: make test-latest"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^#'; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)

## test-latest: the suite on the newest releases of everything (a separate venv, no lock)
test-latest:
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install -q --upgrade pip
	.venv-latest/bin/python -m pip install -q --upgrade -e ".[all,test,bench]"
	.venv-latest/bin/python -m pytest

clean:
	rm -rf $(VENV) .venv-latest build dist src/*.egg-info .pytest_cache .hypothesis
