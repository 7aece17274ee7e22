# Sinmun: two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_URL ?= redis://127.0.0.1:6379
# Both cores: each xdist worker gets its own test database and temporary SINMUN_VAR_DIR.
PYTEST := $(BIN)/pytest -n 2 --dist loadgroup --durations=15
export SINMUN_VAR_DIR ?= $(CURDIR)/var

.DEFAULT_GOAL := help
.PHONY: soak bench bench-templates bench-ads bench-scaleout bench-search bench-audience bench-audience-instructions bench-audience-sustained bench-related bench-million help install browser-deps migrate demo run serve worker test lint format test-sqlite test-postgres export clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install Sinmun with its test tools

browser-deps: ## Install Debian's chromium and Korean fonts for the browser tests (needs root/apt)
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi nanum; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum >/dev/null; \
		else \
			echo "chromium/fonts-nanum missing: run 'sudo apt-get install chromium fonts-nanum'"; exit 1; \
		fi; \
	fi

migrate: install ## Create or update the database (SQLite in ./var by default)
	$(BIN)/sinmun migrate --noinput
	$(BIN)/sinmun collectstatic --noinput -v0

demo: migrate ## Load the demo newsroom (idempotent), catch the search index up, the weather ticker
	$(BIN)/sinmun demo
	$(BIN)/sinmun reindex
	$(BIN)/sinmun related_rebuild -v0
	-$(BIN)/sinmun weather refresh

run: demo ## Set everything up and serve http://127.0.0.1:8000 (web processes and the background worker)
	$(BIN)/sinmun serve

worker: ## Run the background worker alone (search analysis, weather at HH:07, sweeps)
	$(BIN)/sinmun worker

serve: ## Serve without set-up steps
	$(BIN)/sinmun serve

lint: install ## ruff lint and format check
	$(BIN)/ruff check sinmun bench
	$(BIN)/ruff format --check sinmun bench
	$(BIN)/lint-imports --no-cache
	SINMUN_VAR_DIR=$$(mktemp -d) $(BIN)/sinmun makemigrations --check --dry-run

format: install ## Apply ruff formatting and safe fixes
	$(BIN)/ruff format sinmun
	$(BIN)/ruff check --fix sinmun

test-sqlite: install browser-deps ## The whole suite on SQLite
	SINMUN_DATABASE_URL= $(PYTEST)

test-postgres: install browser-deps ## The whole suite on PostgreSQL (SINMUN_TEST_POSTGRES_URL)
	@if [ -z "$$SINMUN_TEST_POSTGRES_URL" ]; then echo "SINMUN_TEST_POSTGRES_URL is not set"; exit 1; fi
	SINMUN_DATABASE_URL=$$SINMUN_TEST_POSTGRES_URL $(PYTEST)

test: install browser-deps lint ## Lint, then the suite on SQLite and its database tests on PostgreSQL (when it answers)
	@if [ -z "$$SINMUN_TEST_POSTGRES_URL" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		export SINMUN_TEST_POSTGRES_URL=$(PG_URL); \
	fi; \
	if [ -z "$$SINMUN_TEST_REDIS_URL" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 6379), 2)" 2>/dev/null; then \
		export SINMUN_TEST_REDIS_URL=$(REDIS_URL); \
	fi; \
	[ -n "$$SINMUN_TEST_REDIS_URL" ] || echo "Redis not reachable on 127.0.0.1:6379: the Redis tests will fail (set SINMUN_TEST_REDIS_URL)"; \
	echo "== SQLite =="; SINMUN_DATABASE_URL= $(PYTEST) || exit $$?; \
	if [ -n "$$SINMUN_TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL ($$SINMUN_TEST_POSTGRES_URL) =="; \
		SINMUN_TEST_PASS=database SINMUN_DATABASE_URL=$$SINMUN_TEST_POSTGRES_URL $(PYTEST) || exit $$?; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: suite ran on SQLite only"; fi

bench: install ## Reader pages under load vs the Wagtail peer and nginx (../shared/bench); memory per process
	$(BIN)/pip install --quiet -e '.[bench]'
	mkdir -p var && set -o pipefail && $(BIN)/python bench/site_bench.py 2>&1 | tee var/bench.txt

bench-ads: install ## Article page with four banner slots vs no ads, hit and render, as ratios
	$(BIN)/pip install --quiet -e '.[bench]'
	mkdir -p var && set -o pipefail && bench/ads 2>&1 | tee var/bench-ads.txt

bench-scaleout: install ## Two app processes on PostgreSQL + Redis under load: how soon both show a publish
	mkdir -p var && set -o pipefail && $(BIN)/python bench/scaleout_bench.py 2>&1 | tee var/bench-scaleout.txt

bench-search: install ## Search: indexing vs raw kiwipiepy, index size, query latency (SIZE=100000; REUSE=1)
	mkdir -p var && set -o pipefail && bench/search 2>&1 | tee var/bench-search.log

bench-related: install ## Related articles: one list, refresh after a publish, the box (SIZES="100000 1000000"; REUSE=1)
	mkdir -p var && set -o pipefail && bench/related 2>&1 | tee var/bench-related.log

bench-million: install ## Home, section and article pages at 1M articles against 10k, page cache off (REUSE=1)
	mkdir -p var && set -o pipefail && $(BIN)/python bench/million_bench.py 2>&1 | tee var/bench-million.txt

bench-audience: install ## View counting: views/s in-process (embedded, Redis) and the beacon's cost on a cached page
	mkdir -p var && set -o pipefail && bench/audience 2>&1 | tee var/bench-audience.txt

bench-audience-instructions: install ## The counting process's instructions a view, counted exactly by callgrind (BASE=<checkout> for a ratio)
	@command -v valgrind > /dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq valgrind > /dev/null; } || { echo "valgrind is missing: apt-get install valgrind"; exit 1; }
	mkdir -p var && set -o pipefail && $(BIN)/python bench/counting_instructions.py $(if $(BASE),--base $(BASE)) 2>&1 | tee var/bench-audience-instructions.txt

bench-audience-sustained: install ## View counting under 2 minutes of saturation beside two busy processes: every view counted?
	mkdir -p var && set -o pipefail && bench/audience --sustained 120 --hogs 2 2>&1 | tee var/bench-audience-sustained.txt

soak: install ## 10 minutes of mixed load on SQLite, then PostgreSQL + Redis: 5xx, lost saves, counts, memory (SOAK_SECONDS, SOAK_DB)
	mkdir -p var && set -o pipefail && $(BIN)/python bench/soak.py 2>&1 | tee var/soak.txt

bench-templates: install ## Django templates vs Jinja2: the engine's share of a cold render, Jinja2's speed-up on the teaser list
	$(BIN)/pip install --quiet -e '.[bench]'
	mkdir -p var && set -o pipefail && export SINMUN_VAR_DIR=$${SINMUN_TEMPLATE_BENCH_VAR:-/tmp/sinmun-template-bench} && \
		$(BIN)/sinmun migrate -v0 --noinput && $(BIN)/sinmun demo > /dev/null && \
		$(BIN)/python bench/template_engines.py 2>&1 | tee var/bench-templates.txt

export: install ## Export every article as ninjs to var/export.json
	$(BIN)/sinmun export -o var/export.json

clean: ## Remove the virtualenv and ./var (database, media, secret key)
	rm -rf $(VENV) var
