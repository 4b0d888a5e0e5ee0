# Reproducible briefing pipeline: articles in, sourced briefing (HTML + PDF) out.
#   make                      build reports/briefing.html and reports/briefing.pdf
#   make COMPANY="Mistral AI" ARTICLES=/some/dir REPORTS=/tmp/out
#   make help                 list targets
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := all
MAKEFLAGS += --no-builtin-rules --no-print-directory -j2

## Parameters (override on the command line)
COMPANY ?= DeepSeek
ARTICLES ?= data/articles
AS_OF ?=
REPORTS ?= reports
BUILD_ROOT ?= build
PYTHON ?= python3
ALLOW_OUTSIDE_LINKS ?=
# The analyst's review decisions (docs/ARCHITECTURE.md, "Review decisions"); may be absent.
REVIEW ?= data/review/$(SLUG).yml

# Shell-quote a value for a recipe: 'it'\''s' (works for any character but newline).
q = '$(subst ','\'',$(1))'

# User paths (ARTICLES, REPORTS, the project folder) may hold spaces, quotes and any letter: they
# are only ever passed quoted to commands, never used as make targets (make splits targets on
# spaces). Targets are files in the build directory, named relative to the project folder.
ifneq ($(words $(BUILD_ROOT)),1)
$(error BUILD_ROOT=$(BUILD_ROOT): must be one path without spaces (make cannot use it for its targets); pass another, e.g. make BUILD_ROOT=/tmp/newsbrief-build)
endif
# Symbolic links inside ARTICLES that lead out of it are read only when asked for.
export NEWSBRIEF_ALLOW_OUTSIDE_LINKS := $(ALLOW_OUTSIDE_LINKS)

VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
ARTICLES_ABS := $(shell realpath -m -- $(call q,$(ARTICLES)))
REPORTS_ABS := $(shell realpath -m -- $(call q,$(REPORTS)))
# Same rule as newsbrief.paths.build_dir_for: <company slug>-<sha256(articles path)[:10]>.
SLUG := $(or $(shell printf %s $(call q,$(COMPANY)) | LC_ALL=C tr 'A-Z' 'a-z' | LC_ALL=C sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$$//'),company)
CORPUS_HASH := $(shell printf %s $(call q,$(ARTICLES_ABS)) | sha256sum | cut -c1-10)
BUILD := $(BUILD_ROOT)/$(SLUG)-$(CORPUS_HASH)
BUILD_ABS := $(shell realpath -m -- $(call q,$(BUILD)))

REVIEW_ABS := $(shell realpath -m -- $(call q,$(REVIEW)))
MANIFEST := $(BUILD)/inputs.manifest
# The earlier edition the front page compares with (REPORTS/editions/, newsbrief.briefing.editions)
# is an input of the sections: its fingerprint changes only when that edition does.
PREVIOUS_EDITION := $(BUILD)/previous-edition.txt
# the build's copy of the decision file: rewritten only when the file's content changes
REVIEW_COPY := $(BUILD)/review.yml
PARAMS_FILE := $(BUILD)/params.txt
EXECUTED := $(BUILD)/executed
EVIDENCE_NB := notebooks/01_evidence.ipynb
SECTION_NBS := $(filter-out $(EVIDENCE_NB),$(sort $(wildcard notebooks/[0-9]*.ipynb)))
EVIDENCE_LOG := $(EXECUTED)/01_evidence.ipynb
SECTION_LOGS := $(patsubst notebooks/%,$(EXECUTED)/%,$(SECTION_NBS))
NOTEBOOK_LOGS := $(EVIDENCE_LOG) $(SECTION_LOGS)
# Code dependencies follow the stage folders (docs/ARCHITECTURE.md): base modules and the stages
# up to the evidence layer (plus the build drivers and the knowledge files) rerun everything,
# briefing/ reruns the section notebooks, export/ only the export; dev/ is not part of the build.
PKG := src/newsbrief
EVIDENCE_SRC := $(wildcard $(PKG)/*.py $(addprefix $(PKG)/,$(addsuffix /*.py,ingest extract link evidence build))) \
	$(wildcard data/knowledge/*.yml)
SECTION_SRC := $(wildcard $(PKG)/briefing/*.py $(PKG)/briefing/*/*.py)
REVIEW_SRC := $(wildcard $(PKG)/review/*.py)
EXPORT_SRC := $(wildcard $(PKG)/export/*.py $(PKG)/export/templates/*/*)
# The export's stamp stands for the files in REPORTS (one stamp per REPORTS folder); when a
# report file is missing there, the export reruns.
REPORTS_HASH := $(shell printf %s $(call q,$(REPORTS_ABS)) | sha256sum | cut -c1-10)
EXPORT_STAMP := $(BUILD)/exported-$(REPORTS_HASH).stamp
REPORTS_PRESENT := $(shell test -f $(call q,$(REPORTS_ABS)/briefing.html) && test -f $(call q,$(REPORTS_ABS)/briefing.pdf) && echo yes)
NB_PARAMS = -p COMPANY $(call q,$(COMPANY)) -p ARTICLES $(call q,$(ARTICLES_ABS)) \
	-p AS_OF $(call q,$(AS_OF)) -p REPORTS $(call q,$(REPORTS_ABS)) -p BUILD $(call q,$(BUILD_ABS))

.PHONY: all help setup test eval bench check-reproducible lab lock catalog clean clean-notebooks FORCE

all: $(EXPORT_STAMP) ## Build the briefing (HTML + PDF + evidence CSVs) for COMPANY from ARTICLES
	@printf 'briefing: %s/briefing.html, %s/briefing.pdf\n' $(call q,$(REPORTS_ABS)) $(call q,$(REPORTS_ABS))

help: ## List targets and parameters
	@echo "Targets:"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 22
	@printf 'Parameters: COMPANY=%s ARTICLES=%s AS_OF=%s REPORTS=%s ALLOW_OUTSIDE_LINKS=%s REVIEW=%s\n' \
		$(call q,$(COMPANY)) $(call q,$(ARTICLES)) $(call q,$(AS_OF)) $(call q,$(REPORTS)) $(call q,$(ALLOW_OUTSIDE_LINKS)) \
		$(call q,$(REVIEW))

setup: $(VENV_STAMP) ## Create .venv from requirements.lock (done automatically by other targets)

$(VENV_STAMP): requirements.lock tools/setup-venv.sh
	@tools/setup-venv.sh $(call q,$(PYTHON)) $(VENV) requirements.lock
	@touch $@

# Validate parameters and fingerprint the inputs on every run; the files change only when
# their content does, so make redoes work only for real changes.
$(PARAMS_FILE): FORCE | $(VENV_STAMP)
	@$(PY) -m newsbrief.ingest.params --company $(call q,$(COMPANY)) --articles $(call q,$(ARTICLES_ABS)) \
		--as-of=$(call q,$(AS_OF)) --reports $(call q,$(REPORTS_ABS))
	@mkdir -p $(call q,$(BUILD))
	@printf 'COMPANY=%s\nAS_OF=%s\nALLOW_OUTSIDE_LINKS=%s\n' $(call q,$(COMPANY)) $(call q,$(AS_OF)) \
		$(call q,$(ALLOW_OUTSIDE_LINKS)) > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(MANIFEST): FORCE | $(PARAMS_FILE)
	@$(PY) -m newsbrief.build.manifest $(call q,$(ARTICLES_ABS)) $(call q,$@)

$(PREVIOUS_EDITION): FORCE | $(PARAMS_FILE)
	@$(PY) -m newsbrief.briefing.editions $(call q,$(REPORTS_ABS)) $(call q,$(COMPANY)) $(call q,$(AS_OF)) \
		$(call q,$(BUILD_ABS)/processed/run.json) $(call q,$@)

# A malformed decision file stops the build here, before any notebook runs.
$(REVIEW_COPY): FORCE | $(PARAMS_FILE)
	@$(PY) -m newsbrief.review.check $(call q,$(REVIEW_ABS)) $(call q,$@) $(call q,$(ARTICLES_ABS))

# The notebooks run in two kernels (the evidence first, then the sections side by side). Make
# passes `$?`, and the runner runs only what it affects: an edited section notebook or section
# code reruns the sections, not the evidence; new articles, parameters or evidence code rerun
# everything.
$(NOTEBOOK_LOGS) &: $(EVIDENCE_NB) $(SECTION_NBS) $(MANIFEST) $(PARAMS_FILE) $(PREVIOUS_EDITION) $(EVIDENCE_SRC) $(SECTION_SRC) $(REVIEW_SRC) $(REVIEW_COPY) $(VENV_STAMP)
	@printf 'notebooks: %s from %s\n' $(call q,$(COMPANY)) $(call q,$(ARTICLES))
	@$(PY) -m newsbrief.build.runner $(EVIDENCE_NB) $(SECTION_NBS) --out $(call q,$(EXECUTED)) --changed $? \
		--only-later $(SECTION_SRC) $(PREVIOUS_EDITION) $(REVIEW_SRC) $(REVIEW_COPY) --notes $(call q,$(BUILD_ABS)/processed/evidence/notes.csv) $(NB_PARAMS)

$(EXPORT_STAMP): $(SECTION_LOGS) $(EXPORT_SRC) $(if $(REPORTS_PRESENT),,FORCE)
	@echo "export: HTML and PDF"
	@$(PY) -m newsbrief.export.publish --build $(call q,$(BUILD_ABS)) --reports $(call q,$(REPORTS_ABS)) $(SECTION_LOGS)
	@touch $(call q,$@)

test: $(VENV_STAMP) ## Run the test suite (unit, notebooks on a fixture corpus, HTML/PDF checks)
	@tools/ensure-system-deps.sh
	@$(PY) -m pytest

eval: $(VENV_STAMP) ## Score the pipeline on every hand-labelled corpus (seeds, dev, held out): one table
	@$(PY) -m newsbrief.dev.scorecard

bench: $(VENV_STAMP) ## Build timings (cold, no-op, one article edited, floor) and the 10,000-article scale run
	@$(PY) -m newsbrief.dev.bench

check-reproducible: $(EXPORT_STAMP) ## Rebuild into a temporary directory and compare byte for byte
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	reports=$(call q,$(REPORTS_ABS)); mkdir -p "$$tmp/reports"; \
	if [ -d "$$reports/editions" ]; then cp -R "$$reports/editions" "$$tmp/reports/editions"; fi; \
	$(MAKE) COMPANY=$(call q,$(COMPANY)) ARTICLES=$(call q,$(ARTICLES_ABS)) AS_OF=$(call q,$(AS_OF)) \
		REVIEW=$(call q,$(REVIEW_ABS)) REPORTS="$$tmp/reports" BUILD_ROOT="$$tmp/build" >/dev/null; \
	status=0; \
	for f in briefing.html briefing.pdf $$(cd "$$reports" && ls evidence/*.csv) \
		$$(cd "$$reports" && find editions -type f 2>/dev/null | LC_ALL=C sort); do \
		if cmp -s "$$reports/$$f" "$$tmp/reports/$$f"; then echo "same  $$f"; \
		else echo "DIFF  $$f"; status=1; fi; done; \
	if [ $$status -eq 0 ]; then echo "reproducible: all files byte-identical"; else exit 1; fi

# JupyterLab lives in its own environment (the build pins plus JupyterLab, and the project
# kernel): its extra packages slow every nbformat import by seconds, and the build must not
# depend on whether someone once ran `make lab`.
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed

$(LAB_STAMP): requirements-lab.lock tools/setup-venv.sh
	@tools/setup-venv.sh $(call q,$(PYTHON)) $(LAB_VENV) requirements-lab.lock
	@touch $@

lab: $(LAB_STAMP) ## Open JupyterLab on the project with the project's kernel
	@$(LAB_VENV)/bin/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

catalog: $(VENV_STAMP) ## Render the table catalog (newsbrief/schemas.py) into docs/ARCHITECTURE.md
	@$(PY) -m newsbrief.dev.catalog

clean-notebooks: $(VENV_STAMP) ## Strip outputs and volatile metadata from the source notebooks
	@$(PY) -m newsbrief.dev.nbclean notebooks/*.ipynb

clean: ## Remove build products (keeps .venv)
	rm -rf $(call q,$(BUILD_ROOT)) $(call q,$(REPORTS_ABS)/briefing.html) $(call q,$(REPORTS_ABS)/briefing.pdf) \
		$(call q,$(REPORTS_ABS)/evidence)

FORCE:

# The resolver (uv, from PyPI) lives in its own small environment, made on first use.
TOOLS_VENV := .venv-tools
UV := $(TOOLS_VENV)/bin/uv
UV_VERSION := 0.13.9
UV_COMPILE = $(UV) pip compile pyproject.toml --generate-hashes --python-version 3.11 --python-platform linux --no-header

$(UV):
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

lock: $(UV) ## Re-resolve requirements.lock (+ lab lock, environment.yml) from pyproject.toml
	$(UV_COMPILE) --extra test -o requirements.lock
	$(UV_COMPILE) --extra test --extra lab -c requirements.lock -o requirements-lab.lock
	$(PYTHON) tools/sync_environment.py
