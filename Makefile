# spinesim: `make run` starts the dashboard, `make test` passes every test (browser tests included).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint browser compare docs clean screenshots loadtest verdicts wheel-check constraints mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
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

## test: install and pass every test, the browser tests included, then check the installed wheel
test: $(STAMP) browser
	$(BIN)/ruff check simulator dashboard tests benchmarks
	$(BIN)/python -m pytest -q
	.ci/wheel-check $(BIN)/python

## wheel-check: build the wheel, install it in a fresh venv outside the repo, run list/run/calibrate/dashboard
wheel-check: $(STAMP)
	.ci/wheel-check $(BIN)/python

## mutation: mutation testing of simulator/model/ and simulator/output/ (mutmut) on a fixed-seed random
##   sample of MUTANTS mutants (default 150, about an hour on 2 cores; MUTANTS=all: ~9,600, days; SEED= another sample)
MUTANTS ?= 150
SEED ?= 2026
mutation: $(STAMP)
	$(BIN)/pip install --quiet "mutmut==3.8.1"  # pinned: tests/mutation_stats.py reads its stats state
	$(BIN)/python .ci/mutation-run --sample $(MUTANTS) --seed $(SEED)
	$(BIN)/python .ci/mutation-score

## constraints: pin the versions installed now (what CI tests with) in constraints.txt
constraints: $(STAMP)
	{ echo '# The versions CI tests with (make test installs with them): pip install -c constraints.txt -e ".[test]"'; \
	  echo '# Regenerate after a deliberate upgrade: make constraints'; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^spinesim' | sort -f; } > constraints.txt

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
