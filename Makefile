# Two commands on a fresh machine (Python 3.11+, gcc, cmake):
#   make demo   set up .venv and run codex on the embedded model against examples/stubs.py
#   make test   set up .venv and run the whole test suite
# llama-cpp-python builds from source the first time (about 5 minutes on 2 cores); pip caches
# the wheel, so later set-ups on the same machine take seconds.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.codex-installed
DEV    := $(VENV)/.codex-dev-installed

.PHONY: setup setup-dev tools lint demo test test-unit bench clean

# codex itself: all the demo needs.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar off -e .
	touch $(STAMP)

# Everything the tests use: linters, the real servers and engines (llama-cpp-python's server, Ray),
# tree-sitter grammars, and `codex learn`'s training stack. torch is pinned first: this machine
# kind carries its CPU wheel, and a bare `torch` could resolve to a multi-GB CUDA build.
$(DEV): $(STAMP)
	$(BIN)/python -m pip install --progress-bar off 'torch==2.13.0'
	$(BIN)/python -m pip install --progress-bar off -e '.[test,learn]'
	touch $(DEV)

setup: $(STAMP)

setup-dev: $(DEV)

# Toolchains the translate tests use beyond the system's (javac, node, g++ come from the OS):
# TypeScript's tsc, installed locally into node_modules/ when npm is there. Without it the
# TypeScript tests are skipped and `codex translate --to ts` reports "not verified". Neovim (as
# root, where apt is there) is the real editor tests/lsp/test_neovim.py drives `codex lsp` with.
# JUnit 5 (Debian's junit5, as root) is what `codex testgen` runs Java tests with.
tools:
	@command -v tsc >/dev/null || test -x node_modules/.bin/tsc || \
	  { command -v npm >/dev/null && npm install --no-save --no-audit --no-fund --prefix . typescript@5.6 ; } || \
	  echo "npm not found: TypeScript checks will be skipped"
	@command -v nvim >/dev/null || \
	  { command -v apt-get >/dev/null && test "$$(id -u)" = 0 && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q neovim >/dev/null ; } || \
	  echo "neovim not installed: the real-editor test of codex lsp will be skipped"
	@test -f /usr/share/java/junit-platform-console-standalone.jar || test -n "$$CODEX_JUNIT_JAR" || \
	  { command -v apt-get >/dev/null && test "$$(id -u)" = 0 && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q junit5 >/dev/null ; } || \
	  echo "junit5 not installed: codex testgen on Java files and its tests will be skipped"

# Fill the stub functions of a copy of examples/stubs.py with the embedded model and show the
# diff. Exit code 1 only means some stubs were skipped or held back below the evidence threshold
# (a 135M model is often wrong; codex reports it and keeps those stubs), so the demo accepts it.
demo: setup
	mkdir -p build/demo
	cp examples/stubs.py build/demo/stubs.py
	$(BIN)/codex models
	$(BIN)/codex generate "return the n-th Fibonacci number" ; test $$? -le 1
	$(BIN)/codex generate --fill build/demo/stubs.py ; test $$? -le 1
	git --no-pager diff --no-index --stat examples/stubs.py build/demo/stubs.py ; true

# ruff (lint + format) and mypy, with the settings in pyproject.toml.
lint: setup-dev
	$(BIN)/ruff check codexcli tests benchmarks
	$(BIN)/ruff format --check codexcli tests benchmarks
	$(BIN)/mypy

test: setup-dev tools lint
	$(BIN)/python -m pytest -q

test-unit: setup-dev tools
	$(BIN)/python -m pytest -q -m "not integration"

bench: setup
	$(BIN)/python benchmarks/bench_generate.py

clean:
	rm -rf $(VENV) build .pytest_cache node_modules
