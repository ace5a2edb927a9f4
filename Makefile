# Two commands matter: `make run` and `make test`. Both create .venv and install on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGE_STAMP := $(VENV)/.installed-package
APP_DIR := dist/practitioner-app

.PHONY: run test lint typecheck layers unit bench clean package frozen-smoke

# Reinstall whenever the dependencies change.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1)); install it, or run: make PYTHON=python3.12 ..."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Could not create $(VENV); on Debian/Ubuntu install the venv module: sudo apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# PyInstaller and what the build ships besides the app (pyproject's `package` extra).
$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,package]"
	@touch $(PACKAGE_STAMP)

run: $(STAMP)
	$(BIN)/python -m practitioner_app.syscheck
	$(BIN)/practitioner-app

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

# One pytest worker per core (pytest-xdist); a single file runs faster as plain `pytest FILE`.
unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -n auto

# The Linux app in dist/practitioner-app/ and its tarball; prints their sizes and the system
# packages the app needs (packaging/README.md).
package: $(PACKAGE_STAMP)
	$(BIN)/python packaging/build_linux.py

# The frozen app's self-test, as a user would run it: from outside the checkout, with a clean
# environment and a private temp folder that must be empty afterwards. A hidden import or data
# file missing from the build fails here. Then the X11 plugin a desktop uses is loaded for real
# (the self-test itself runs offscreen). LANG is the one variable kept: every desktop session
# has a UTF-8 locale, and Qt complains without one. Missing system libraries are installed when
# root (as on CI), else named in one sentence.
frozen-smoke: package
	$(BIN)/python packaging/system_libs.py $(APP_DIR) --install
	@tmp=$$(mktemp -d) && mkdir $$tmp/home $$tmp/tmp && cd $$tmp && \
		clean="env -i HOME=$$tmp/home TMPDIR=$$tmp/tmp PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen"; \
		$$clean $(CURDIR)/$(APP_DIR)/practitioner-app self-test && \
		$$clean $(CURDIR)/$(APP_DIR)/practitioner-app check-window --platform xcb; status=$$?; \
		left=$$(ls -A $$tmp/tmp); rm -rf $$tmp; \
		if [ -n "$$left" ]; then echo "self-test left files in its temp folder: $$left"; exit 1; fi; \
		exit $$status

test: lint typecheck layers unit frozen-smoke

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .import_linter_cache build dist *.egg-info

# Timings against baselines measured in the same run (PERFORMANCE.md); reports, never fails on speed.
bench: $(STAMP)
	$(BIN)/python -m tests.bench $(SIZES)
