# The pipeline, one target per stage:
#   data/*.csv --validate--> build/validated --figures--> figures/* --report--> report/_output/briefing.{pdf,html}
# Every target lists the files it is made from, so a no-op rebuild does nothing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SETUP  := $(VENV)/.installed

DATA      := data/datapackage.json $(wildcard data/*.csv)
SRC       := pyproject.toml $(shell find src/analysis -type f \( -name '*.py' -o -name '*.ttf' -o -name '*.lua' -o -name '*.typ' -o -name '*.css' -o -name '*.html' \) 2>/dev/null | LC_ALL=C sort)
FIGS      := troops bases attacks sources timeline
FIG_FILES := $(foreach f,$(FIGS),figures/$(f).svg figures/$(f).png figures/$(f).pdf)
REPORT_IN := $(shell find report -type f \( -name '*.qmd' -o -name '_quarto.yml' -o -name '*.css' -o -name '*.py' \) -not -path 'report/_output/*' -not -path 'report/_generated/*' 2>/dev/null | LC_ALL=C sort)
OUT       := report/_output
# Builds carry the date of the commit they are built from (fallback inside: the latest source's date).
GIT_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(GIT_EPOCH),)
export SOURCE_DATE_EPOCH ?= $(GIT_EPOCH)
endif

.PHONY: all setup validate figures report test test-mpl310 clean distclean bench
.DELETE_ON_ERROR:

all: report

# Stage 0: the virtual environment, from the pinned lock file.
$(SETUP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@
setup: $(SETUP)

# Stage 1: validate the curated data (schema, keys, provenance).
build/validated: $(SETUP) $(DATA) $(SRC)
	@mkdir -p build
	$(PY) -m analysis validate --data data
	@touch $@
validate: build/validated

# Stage 2: figures.
$(FIG_FILES) &: build/validated
	$(PY) -m analysis figures --data data --out figures --validated
figures: $(FIG_FILES)

# Stage 3: the briefing.
$(OUT)/briefing.pdf $(OUT)/briefing.html &: $(FIG_FILES) $(REPORT_IN)
	$(PY) -m analysis report --data data --figures figures --out $(OUT) --validated
report: $(OUT)/briefing.pdf $(OUT)/briefing.html

test: $(SETUP)
	$(PY) -m pytest

# The Arabic tests again under matplotlib 3.10, which needs reshaping (own venv: .venv-mpl310).
test-mpl310:
	tools/mpl310/run.sh

bench: $(SETUP)
	$(PY) bench/run.py

clean:
	rm -rf build figures/*.svg figures/*.png figures/*.pdf report/_output report/_generated report/_variables.yml

distclean: clean
	rm -rf $(VENV) .venv-mpl310
