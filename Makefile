# spinesim: `make run` starts the dashboard, `make test` passes every test (browser tests included).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint browser compare docs clean screenshots loadtest verdicts

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

## run: install and start the dashboard on the bundled scenarios (http://127.0.0.1:8050)
run: $(STAMP)
	$(BIN)/spinesim dashboard

## compare: install and print the comparison of the bundled strategies
compare: $(STAMP)
	$(BIN)/spinesim run baseline rt-only surgery-eligible aggressive-resection fast-track-mri \
		awareness mri-capacity cement-fractures bone-agents --patients 4000 --replications 3 \
		--seed 1 --out .spinesim-out/compare --overwrite

## browser: install Debian's Chromium and ChromeDriver when missing (browser tests need them)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "installing chromium (Debian) for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

## test: install and pass every test, the browser tests included
test: $(STAMP) browser
	$(BIN)/ruff check simulator dashboard tests benchmarks
	$(BIN)/python -m pytest -q

## bench: speed and memory tables (never asserted)
bench: $(STAMP)
	$(BIN)/python -m benchmarks

## screenshots: every view at desktop and phone size into docs/screenshots/ (the README shows them)
screenshots: $(STAMP) browser
	$(BIN)/python -m dashboard.screenshots docs/screenshots

## loadtest: 3 rounds of 20 concurrent dashboard runs of 3,000 patients on a real server (loopback), printed
loadtest: $(STAMP)
	$(BIN)/python -m dashboard.loadtest

## verdicts: how often the headline verdicts on the bundled strategies flip between seeds, by cohort size
verdicts: $(STAMP)
	$(BIN)/python -m benchmarks.verdict_stability

## lint: ruff
lint: $(STAMP)
	$(BIN)/ruff check simulator dashboard tests benchmarks

## docs: regenerate the data dictionary in README.md from the column definitions
docs: $(STAMP)
	$(BIN)/python docs/update_readme.py

clean:
	rm -rf $(VENV) .spinesim-out .pytest_cache
