# authprobe — see README.md. `make demo` and `make test` do all set-up.
GO ?= go
BIN := bin/authprobe

.PHONY: all deps build demo test bench vet fmt

all: build

deps:
	./scripts/install-deps.sh

build:
	$(GO) build -o $(BIN) ./cmd/authprobe

demo: deps build
	./scripts/demo.sh

test: deps
	$(GO) vet ./...
	$(GO) test -count=1 ./...

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# scan --targets over 16 lab instances: sequential vs parallel seconds,
# speed-up and peak RSS (internal/cli BenchmarkFleet).
.PHONY: bench-fleet
bench-fleet: deps
	$(GO) test -run '^$$' -bench BenchmarkFleet -benchtime 1x ./internal/cli

fmt:
	gofmt -w $$(git ls-files '*.go')

# HS256 cracking speed side by side with hashcat -m 16500 (installs hashcat
# and pocl from Debian when missing); see scripts/bench-crack.sh.
.PHONY: bench-crack
bench-crack:
	./scripts/bench-crack.sh
