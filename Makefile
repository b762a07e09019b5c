# The pipeline, one target per stage:
#   data/*.csv --validate--> build/validated --figures--> figures/* --report--> report/_output/briefing.{ar,en}.{pdf,html}
# Every target lists the files it is made from, so a no-op rebuild does nothing.
PYTHON ?= python3
# Python and its build tools read file names in the locale's encoding: in the C locale (CI
# containers, cron, ssh) a checkout in a folder named in Arabic could not even start Python.
# The recipes run in UTF-8 whatever the caller's locale.
ifeq ($(findstring UTF-8,$(or $(LC_ALL),$(LC_CTYPE),$(LANG))),)
export LC_ALL := C.UTF-8
endif
export PYTHONUTF8 := 1
VENV   := .venv
PY     := $(VENV)/bin/python
SETUP  := $(VENV)/.installed

DATA      := data/datapackage.json $(wildcard data/*.csv) $(wildcard data/geo/*.geojson)
# The source articles the provenance checks read (where the descriptor or ANALYSIS_CORPUS says).
CORPUS    := $(shell PYTHONPATH=src $(PYTHON) -m analysis.package data 2>/dev/null)
SRC       := pyproject.toml $(shell find src/analysis -type f \( -name '*.py' -o -name '*.ttf' -o -name '*.lua' -o -name '*.typ' -o -name '*.css' -o -name '*.html' \) 2>/dev/null | LC_ALL=C sort)
# Each stage depends on the code it runs, so an edit to the briefing code does not redraw figures.
BRIEFING_SRC := $(filter src/analysis/report.py src/analysis/briefing/% src/analysis/templates/%,$(SRC))
FIGURE_SRC   := $(filter src/analysis/figures/% src/analysis/registry.py src/analysis/maps.py src/analysis/timeline.py src/analysis/sourceline.py src/analysis/arabic.py src/analysis/fonts/%,$(SRC))
CORE_SRC     := $(filter-out $(BRIEFING_SRC) $(FIGURE_SRC),$(SRC))
# The figure names come from the one list of figures, src/analysis/registry.py (no dependencies).
FIGS      := $(shell cd src && $(PYTHON) -m analysis.registry)
ifeq ($(strip $(FIGS)),)
$(error cannot read the figure names from src/analysis/registry.py with $(PYTHON); set PYTHON=python3.11 or newer)
endif
FIG_SVG   := $(foreach f,$(FIGS),figures/$(f).svg)
FIG_PRINT := $(foreach f,$(FIGS),figures/$(f).png figures/$(f).pdf)
FIG_FILES := $(FIG_SVG) $(FIG_PRINT)
REPORT_IN := $(shell find report -type f \( -name '*.qmd' -o -name '_quarto.yml' -o -name '*.css' -o -name '*.py' -o -name '*.lua' -o -name '*.typ' -o -name '_extension.yml' \) -not -path 'report/_output/*' -not -path 'report/_generated/*' -not -path 'report/.quarto/*' 2>/dev/null | LC_ALL=C sort)
OUT       := report/_output
# The editions (analysis.config.LANGS: Arabic and English), each a PDF and a single-file HTML page.
LANGS     := $(shell cd src && $(PYTHON) -m analysis.config langs)
BRIEFINGS := $(foreach l,$(LANGS),$(OUT)/briefing.$(l).pdf $(OUT)/briefing.$(l).html)
UV        := uv==0.13.9
# Builds carry the date of this project's last commit (fallback inside: the latest source's date);
# never the date of a repository this tree merely sits inside.
GIT_EPOCH := $(shell top=$$(git rev-parse --show-toplevel 2>/dev/null) && [ "$$top" = "$$(pwd -P)" ] && git log -1 --format=%ct 2>/dev/null)
ifneq ($(GIT_EPOCH),)
export SOURCE_DATE_EPOCH ?= $(GIT_EPOCH)
endif

.PHONY: all help setup validate figures report test test-fast test-figures test-mpl310 lint clean distclean bench
# The stages write their outputs atomically and keep the previous ones when they fail or are
# stopped; make must not delete them either (it would on an error or a signal otherwise).
.PRECIOUS: $(FIG_FILES) $(BRIEFINGS)

all: report ## the default: the briefing (report/_output/briefing.{ar,en}.{pdf,html})

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | sed -E 's/^([a-z0-9-]+):.*## (.*)/  make \1\t\2/' | expand -t 22

# Stage 0: the virtual environment, from the pinned lock file (uv installs it in seconds). The
# modules the stages load are compiled to bytecode here: where Python may not write it
# (PYTHONDONTWRITEBYTECODE, a read-only venv) every stage would otherwise compile its libraries
# again, a second or more.  Only those: compiling the whole environment took 8-10 s.
$(SETUP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(UV)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .
	$(PY) tools/compile_stages.py
	touch $@
setup: $(SETUP) ## make .venv from requirements.lock

# Stage 1: validate the curated data (schema, keys, provenance).
build/validated: $(SETUP) $(DATA) $(CORPUS) $(CORE_SRC)
	@mkdir -p build
	$(PY) -m analysis validate --data data
	@touch $@
validate: build/validated ## check data/ against its descriptor and the source articles

# The digit style (ANALYSIS_DIGITS) is drawn into figures and written into the briefing: a stamp
# named after it makes a change of style rebuild both, as a change of file would.
DIGITS_STAMP := build/digits-$(or $(strip $(ANALYSIS_DIGITS)),latin)
$(DIGITS_STAMP):
	@mkdir -p build && rm -f build/digits-* && touch $@

# Stage 2: figures.  The briefing needs only the SVGs; `make figures` adds PNG and PDF for reuse.
$(FIG_SVG) &: build/validated $(FIGURE_SRC) $(DIGITS_STAMP)
	$(PY) -m analysis figures --data data --out figures --formats svg --validated
$(FIG_PRINT) &: build/validated $(FIGURE_SRC) $(DIGITS_STAMP)
	$(PY) -m analysis figures --data data --out figures --formats png,pdf --validated
figures: $(FIG_FILES) ## draw figures/*.{svg,png,pdf}

# Stage 3: the briefing, both editions.
$(BRIEFINGS) &: $(FIG_SVG) $(REPORT_IN) $(BRIEFING_SRC) $(FIGURE_SRC) $(DIGITS_STAMP)
	$(PY) -m analysis report --data data --figures figures --out $(OUT) --validated
report: $(BRIEFINGS) ## render the briefing, Arabic and English, to PDF and HTML

# pytest caches each test module's rewritten bytecode in __pycache__ (ignored by git); where the
# environment says PYTHONDONTWRITEBYTECODE, every run and every worker rewrote every test module
# again (1.4 s a worker).  The test targets let it write.
test test-fast test-figures: export PYTHONDONTWRITEBYTECODE :=

test: $(SETUP) ## the whole test suite
	$(PY) -m pytest

test-fast: $(SETUP) ## the core tests (data, analysis, briefing text, CLI), on every core
	$(PY) -m pytest -m "not slow and not figures" -q -n auto

test-figures: $(SETUP) ## the figure tests: every figure drawn and measured, both languages
	$(PY) -m pytest -m "figures and not slow" -q -n auto --dist loadgroup

lint: $(SETUP) ## ruff, configured in pyproject.toml (tests/test_lint.py runs it too)
	$(PY) -m ruff check .

# The Arabic tests again under matplotlib 3.10, which needs reshaping (own venv: .venv-mpl310).
test-mpl310: ## the Arabic tests again under matplotlib 3.10
	tools/mpl310/run.sh

bench: $(SETUP) ## print timings for this machine
	$(PY) bench/run.py

clean: ## remove every build output (and temporary files of killed builds)
	rm -rf build figures/*.svg figures/*.png figures/*.pdf figures/.*.tmp report/_output report/_generated report/_variables.yml

distclean: clean ## also remove the virtual environments
	rm -rf $(VENV) .venv-mpl310
