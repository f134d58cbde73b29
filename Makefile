# designa — the two commands are `make demo` and `make test` (see README.md).
# Everything a target needs is installed by the project itself: Python tools
# into ./.venv (pinned in infra/requirements.txt), Rust crates through cargo,
# the web app's packages from web/package-lock.json (npm ci).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV    := .venv
PYTHON  := $(VENV)/bin/python
SAM     := $(VENV)/bin/sam
STACK   := $(PYTHON) infra/local_stack.py
REGION  := eu-west-3

export AWS_ENDPOINT_URL ?= http://127.0.0.1:4566
export AWS_REGION ?= $(REGION)
export AWS_DEFAULT_REGION ?= $(REGION)
export AWS_ACCESS_KEY_ID ?= test
export AWS_SECRET_ACCESS_KEY ?= test
# SAM CLI asks before sending telemetry; never here.
export SAM_CLI_TELEMETRY := 0

.PHONY: help venv demo app web web-test web-e2e api openapi contract test unit integration lint fmt bench fuzz cold-starts local-stack stop build clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: infra/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r infra/requirements.txt
	touch $@

venv: $(VENV)/.installed ## install the pinned Python tools (moto, SAM CLI) into .venv

WEB_DEPS := web/node_modules/.package-lock.json
$(WEB_DEPS): web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web: $(WEB_DEPS) ## build the web app into web/dist
	cd web && npm run --silent build

web-test: $(WEB_DEPS) ## the web app's static checks and component tests: generated API types up to date, types, lint, Vitest
	cd web && npm run --silent check:types && npm run --silent typecheck && npm run --silent lint && npm run --silent test

web-e2e: venv web ## the web app's end-to-end tests in headless Chromium, on the emulator with the demo data
	infra/ensure_chromium.sh
	@trap '$(STACK) stop' EXIT; $(STACK) start && $(PYTHON) infra/web_e2e.py

demo: venv ## run the notice-ingest pipeline on the local emulator and print what landed where
	@trap '$(STACK) stop' EXIT; \
	$(STACK) start && $(STACK) reset && $(STACK) create && \
	cargo run --quiet -p designa-tools --bin demo

app: venv web ## serve the web app with demo data on http://127.0.0.1:3000 and print how to sign in (Ctrl-C stops)
	@trap '$(STACK) stop' EXIT; \
	$(STACK) start && $(STACK) reset && $(STACK) create && \
	cargo run --quiet -p designa-tools --bin app-seed && \
	cargo run --quiet -p designa-tools --bin api-local -- --app web/dist

api: venv ## serve the HTTP API on http://127.0.0.1:3000 against the emulator, with a fictional admin (Ctrl-C stops)
	@trap '$(STACK) stop' EXIT; \
	$(STACK) start && $(STACK) reset && $(STACK) create && \
	cargo run --quiet -p designa-tools --bin api-local

test: venv web ## all tests: format, lint, dependency rule, unit, integration (local emulator), API contract (schemathesis), web app (Vitest, headless Chromium), template lint
	cargo fmt --all -- --check
	python3 infra/check_layering.py
	cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings
	$(MAKE) --no-print-directory web-test
	infra/ensure_chromium.sh
	infra/ensure_poppler.sh
	@mkdir -p .local; trap '$(STACK) stop' EXIT; \
	$(STACK) start && $(STACK) reset && $(STACK) create && \
	cargo test --workspace 2>&1 | tee .local/test-output.txt && \
	$(PYTHON) infra/api_contract.py && \
	$(PYTHON) infra/web_e2e.py
	$(SAM) validate --lint --region $(REGION)
	$(PYTHON) infra/check_template.py
	@awk '/^test result:/ {p += $$4; f += $$6} END {printf "tests: %d passed, %d failed\n", p, f}' .local/test-output.txt

unit: ## unit tests only (no emulator)
	infra/ensure_poppler.sh
	cargo test --workspace --exclude designa-integration-tests

integration: venv ## integration tests against the local emulator
	infra/ensure_poppler.sh
	@trap '$(STACK) stop' EXIT; \
	$(STACK) start && $(STACK) reset && $(STACK) create && \
	cargo test -p designa-integration-tests

lint: venv ## rustfmt, clippy, the dependency rule, sam validate --lint and the template's dependency graph
	cargo fmt --all -- --check
	python3 infra/check_layering.py
	cargo clippy --workspace --all-targets --all-features -- -D warnings
	$(SAM) validate --lint --region $(REGION)
	$(PYTHON) infra/check_template.py

fmt: ## format the code
	cargo fmt --all

bench: venv web ## benchmarks: ingest (notices/s, DynamoDB requests/notice, peak memory), fleet-matrix read time, the API import of 5,000 vehicles, the dashboard's notices read for 12 to 36 months of history, a page of notices and of the journal in a tenant of 1,000 and 100,000 notices (requests, items read), the 20,000-notice export (time, peak memory), the outbound batch over 20,000 due answers (Queries per outbox shard, entries read), a load run of the API at 50 connections (p50, p99, no 5xx, one winner of 50 concurrent answers), the web app's first-screen weight and how fast the dashboard is ready, every function's cold start
	cargo bench -p designa-tools -p api -p export-worker -p answer-jobs --features export-worker/test-support
	cd web && npm run --silent budget
	infra/ensure_chromium.sh
	@trap '$(STACK) stop' EXIT; $(STACK) start && $(PYTHON) infra/web_e2e.py --measure
	$(MAKE) --no-print-directory cold-starts

fuzz: ## fuzz every parser and the API's bodies for FUZZ_SECONDS each (default 60; nightly, cargo-fuzz into .tools): executions and findings per target (make test replays the corpus)
	infra/fuzz.sh

FUNCTION_PACKAGES := $(foreach f,$(wildcard functions/*/Cargo.toml),-p $(notdir $(patsubst %/Cargo.toml,%,$(f))))

cold-starts: venv ## cold starts: each function's release binary under a minimal Lambda Runtime API on loopback, on the emulator: init time, its ratio to a bare lambda_runtime binary, first invocation (COLD_START_RUNS, default 7)
	cargo build --release --quiet $(FUNCTION_PACKAGES) --bins
	cargo build --release --quiet -p designa-cold-starts
	@trap '$(STACK) stop' EXIT; \
	$(STACK) start && $(STACK) reset && $(STACK) create >/dev/null && \
	target/release/cold-starts

openapi: $(WEB_DEPS) ## regenerate docs/openapi.yaml from the code, and the web app's API types from it (tests fail while either is stale)
	cargo run --quiet -p designa-tools --bin openapi
	cd web && npm run --silent types

contract: venv ## the API contract tests alone: schemathesis from docs/openapi.yaml against the local server
	@trap '$(STACK) stop' EXIT; \
	$(STACK) start && $(STACK) reset && $(STACK) create && \
	$(PYTHON) infra/api_contract.py

local-stack: venv ## start the emulator and create template.yaml's resources (stop with `make stop`)
	$(STACK) start && $(STACK) create

stop: ## stop the emulator started by `make local-stack`
	$(STACK) stop

$(VENV)/.build-installed: $(VENV)/.installed infra/requirements-build.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r infra/requirements-build.txt
	touch $@

build: $(VENV)/.build-installed ## sam build: cross-compile every function for arm64 with cargo-lambda
	rustup target add aarch64-unknown-linux-gnu
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SAM) build --beta-features

clean: ## remove build outputs and local state
	rm -rf target .aws-sam .local
