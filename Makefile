# fogbank — run `make help` for the targets.
SHELL      := bash
GO         ?= go
BIN        ?= bin/fogbank
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS    := -s -w -X github.com/fogbank/fogbank/internal/cli.Version=$(VERSION)
FUZZTIME   ?= 60s
BENCHTIME  ?= 10s
GOLANGCI_VERSION ?= v2.15.0
GOLANGCI   ?= $(shell $(GO) env GOPATH)/bin/golangci-lint

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build a static binary into bin/fogbank
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/fogbank

.PHONY: run
run: build ## Build and start fogbank on 127.0.0.1:4566 (data in ./.fogbank)
	./$(BIN) up

.PHONY: test
test: ## Run every test with the race detector (postgres, AWS CLI and conformance tests included when available)
	$(GO) test -race -count=1 -timeout 10m ./...

.PHONY: test-race
test-race: test ## Alias of test: the suite always runs with -race

.PHONY: test-short
test-short: ## Run the tests without the race detector
	$(GO) test -count=1 ./...

.PHONY: lint
lint: ## Run golangci-lint $(GOLANGCI_VERSION) (installed into GOPATH/bin when missing or another version)
	@$(GOLANGCI) version 2>/dev/null | grep -q "version $(GOLANGCI_VERSION:v%=%) " || \
		$(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)
	$(GOLANGCI) run ./...

.PHONY: fuzz
fuzz: ## Run every fuzz target for FUZZTIME each (default 60s)
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; done

.PHONY: bench
bench: ## Run the benchmarks (pattern matcher, store group commit, SQS, EventBridge, SNS, Lambda and Step Functions end to end)
	$(GO) test -run '^$$' -bench BenchmarkMatch -benchmem -cpu 1 -benchtime 1000000x -count 2 ./internal/pattern/
	$(GO) test -run '^$$' -bench BenchmarkApply -benchtime 3s ./internal/store/sqlite/ ./internal/store/postgres/
	$(GO) run ./bench/sqsbench -duration $(BENCHTIME)
	$(GO) run ./bench/snsbench -duration $(BENCHTIME)
	$(GO) run ./bench/eventsbench -duration $(BENCHTIME)
	$(GO) run ./bench/lambdabench -duration $(BENCHTIME)
	$(GO) run ./bench/sfnbench -duration $(BENCHTIME)

.PHONY: generate
generate: ## Regenerate generated code (TestState mock shapes from the botocore models, when botocore is installed)
	$(GO) generate ./...

.PHONY: verify
verify: ## Check formatting, vet, go.mod tidiness and that generated code is current
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	$(GO) vet ./...
	$(GO) mod tidy -diff
	$(GO) generate ./... && git diff --exit-code
