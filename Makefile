# paramlab: two commands set everything up on a fresh machine.
#   make lab    create .venv if missing, install the pinned set, open JupyterLab on the course
#   make test   the same set-up, then ruff and the whole pytest suite
# The install re-runs only when pyproject.toml (the one place versions are pinned) changed.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0

.PHONY: lab lecture hub test test-fast lint bench notebooks handouts site lite pins binder-url clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab         set up .venv and open JupyterLab on notebooks/"
	@echo "make lecture     JupyterLab ready to present the course as slides (larger type)"
	@echo "make hub         a workshop JupyterHub on this machine (as root; PARAMLAB_HUB_PASSWORD=...)"
	@echo "make test        set up .venv, then ruff and every test, on every core"
	@echo "make test-fast   the same without the browser, hub and notebook tests (a quick loop)"
	@echo "make bench       run the benchmarks under bench/"
	@echo "make notebooks   re-execute every notebook top to bottom and save it clean"
	@echo "make handouts    write learner copies (no solutions) and printable HTML to build/handouts/"
	@echo "make site        a static HTML site of the course from the stored outputs, in build/site/"
	@echo "make lite        the course in the browser alone (JupyterLite, Pyodide), in build/lite/"
	@echo "make pins        regenerate environment.yml and binder/environment.yml from pyproject.toml"
	@echo "make binder-url  print the Binder and nbgitpuller links for this repository's remote"
	@echo "make clean       remove .venv and caches"

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"paramlab needs Python 3.11, found {sys.version.split()[0]}"'
	$(PYTHON) -m venv $(VENV)

LAB_EXTENSIONS := $(VENV)/share/jupyter/labextensions
LITE_ONLY := $(VENV)/share/paramlab-lite
KERNEL_EXTENSION := @jupyterlite/pyodide-kernel-extension

$(STAMP): pyproject.toml binder/overrides.json Makefile | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[course,test,hub,lite]'
	@# The lite extra brings the Pyodide kernel's JupyterLab extension for make lite. The course's
	@# own JupyterLab must not load it (it needs JupyterLite's services: an error in every page,
	@# disabled or not), so it moves where only make lite looks (tools/lite.py: KERNEL_EXTENSION).
	@if [ -d $(LAB_EXTENSIONS)/$(KERNEL_EXTENSION) ]; then \
	  rm -rf $(LITE_ONLY)/$(KERNEL_EXTENSION) && mkdir -p $(LITE_ONLY)/@jupyterlite && \
	  mv $(LAB_EXTENSIONS)/$(KERNEL_EXTENSION) $(LITE_ONLY)/$(KERNEL_EXTENSION) && \
	  rmdir $(LAB_EXTENSIONS)/@jupyterlite 2>/dev/null || true; fi
	@# the JupyterLab settings and server extension the course wants, exactly as binder/postBuild
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(PY) -m paramlab.ui._save_hook
	@touch $(STAMP)

# JupyterLab refuses to run as root without --allow-root (containers, cloud VMs): pass it then only.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: $(STAMP)
	@echo "Starting JupyterLab on notebooks/ (the URL to open is printed below; Ctrl-C stops it)"
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks $(ALLOW_ROOT) $(LAB_ARGS)

lecture: $(STAMP)
	$(PY) -m tools.lecture $(LAB_ARGS)

# The workshop JupyterHub (hub/), as root: PARAMLAB_HUB_PASSWORD=... make hub (README: make hub).
# configurable-http-proxy comes from npm, pinned by hub/package-lock.json, into hub/node_modules.
HUB_PROXY := hub/node_modules/.bin/configurable-http-proxy

$(HUB_PROXY): hub/package.json hub/package-lock.json
	npm ci --prefix hub --no-audit --no-fund
	@touch $(HUB_PROXY)

hub: $(STAMP) $(HUB_PROXY)
	$(PY) -m hub.run $(HUB_ARGS)

# Pyodide for the browser edition comes from npm, pinned by lite/package-lock.json, into
# lite/node_modules (make lite copies its core files into build/lite).
PYODIDE_NPM := lite/node_modules/pyodide/pyodide.mjs

$(PYODIDE_NPM): lite/package.json lite/package-lock.json
	npm ci --prefix lite --no-audit --no-fund
	@touch $(PYODIDE_NPM)

lite: $(STAMP) $(PYODIDE_NPM)
	$(PY) -m tools.lite $(LITE_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Every core runs tests (pytest-xdist); a group of tests that shares a server or a kernel stays
# on one worker (the groups: the root conftest.py).
XDIST := -n auto --maxprocesses 4 --dist loadgroup --no-loadscope-reorder

test: lint $(PYODIDE_NPM)
	$(PY) -m pytest $(XDIST) --nbval tests notebooks instructor $(PYTEST_ARGS)

test-fast: lint
	$(PY) -m pytest $(XDIST) -m "not browser and not hub and not notebooks" tests $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(PY) -m tools.run_notebooks

handouts: $(STAMP)
	$(PY) -m tools.handouts $(HANDOUTS_ARGS)

site: $(STAMP)
	$(PY) -m tools.course_site $(SITE_ARGS)

bench: $(STAMP)
	$(PY) -m bench.run_all $(BENCH_ARGS)

pins:
	$(PYTHON) -m tools.pins

binder-url: $(STAMP)
	@$(PY) -m paramlab.core.links

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
