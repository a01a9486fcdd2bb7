# authprobe — see README.md. `make demo` and `make test` do all set-up.
GO ?= go
BIN := bin/authprobe

.PHONY: all deps build demo test test-short bench vet fmt fuzz corpus-routes

all: build

deps:
	./scripts/install-deps.sh

build:
	$(GO) build -o $(BIN) ./cmd/authprobe

demo: deps build
	./scripts/demo.sh

# Labs mostly wait on the network, so run more of them at once than there
# are cores. Timing-sensitive tests are not parallel: they run alone.
TESTPARALLEL ?= 8

test: deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m -parallel $(TESTPARALLEL) ./...

# The inner loop: -short starts no lab, browser or other process and builds
# no binary (unit tests, fixtures, in-process servers). make test runs all.
test-short:
	$(GO) vet ./...
	$(GO) test -count=1 -short ./...

# Benchmarks, including peak RSS of a 300-endpoint scan of 1 GB answers
# (cmd/authprobe) and of parsing a 28 MB spec (internal/inventory).
bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# authprobe code on a generated 250k-line Flask tree (tests included): lines
# per CPU second and peak RSS (cmd/authprobe BenchmarkCode250k).
.PHONY: bench-code
bench-code:
	$(GO) test -run '^$$' -bench BenchmarkCode250k -benchtime 1x ./cmd/authprobe

# authprobe code on a generated module of N and 2N app-wide gates covering
# every route: CPU growth beside output growth (cmd/authprobe BenchmarkCodeGates).
.PHONY: bench-gates
bench-gates:
	$(GO) test -run '^$$' -bench BenchmarkCodeGates -benchtime 1x ./cmd/authprobe

# scan --targets over 16 lab instances: sequential vs parallel seconds,
# speed-up and peak RSS (internal/cli BenchmarkFleet).
.PHONY: bench-fleet
bench-fleet: deps
	$(GO) test -run '^$$' -bench BenchmarkFleet -benchtime 1x ./internal/cli

# Every fuzz target for FUZZTIME each (make test runs their seed corpora).
FUZZTIME ?= 60s
fuzz: deps
	@for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' internal | xargs -n1 dirname | sort -u); do \
	  for f in $$(grep -h '^func Fuzz' $$pkg/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    echo "== $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	  done; \
	done

# The API corpus (corpus/apis/README.md): real vulnerable and real APIs run
# on loopback, scored against ground truth. Not part of `make test`: it needs
# the pinned checkouts. SPLIT=tuning|held-out|all, BATCH=1|2|3|4|5|6|7|all
# (manifest `batch:`; batches 1 to 6 were measured and then read, batch 7 is
# the fresh one and runs only when named: BATCH=7),
# ONLY=name,name.
SPLIT ?= tuning
BATCH ?= all
.PHONY: corpus-apis
corpus-apis:
	./scripts/corpus-apis.sh --split $(SPLIT) --batch $(BATCH) $(if $(ONLY),--only $(ONLY))

fmt:
	gofmt -w $$(git ls-files '*.go')

# HS256 cracking speed side by side with hashcat -m 16500 (installs hashcat
# and pocl from Debian when missing); see scripts/bench-crack.sh.
.PHONY: bench-crack
bench-crack:
	./scripts/bench-crack.sh

# authprobe code over the static corpus of real Flask projects
# (corpus/flask-projects.tsv): routes, findings by severity, seconds and peak
# RSS per project. SPLIT=tuning|held-out|all, BATCH=1|2|3|4|5|6|7|all, CORPUS=checkouts dir; see
# scripts/corpus-static.sh. Needs the checkouts (or a network); not in `make test`.
.PHONY: corpus-static
corpus-static: build
	SPLIT=$(SPLIT) BATCH=$(BATCH) ./scripts/corpus-static.sh

# Route measurement on the static corpus (SPLIT=tuning|held-out|all, BATCH=1|2|3|4|5|6|7|all):
# registrations seen vs. resolved per project, exact mode (--import, RUNS
# the projects' code with /usr/bin/python3) where a project imports, and
# every miss with its reason. Not part of make test (needs the checkouts).
corpus-routes: build
	SPLIT=$(SPLIT) BATCH=$(BATCH) ./scripts/corpus-routes.sh

# authprobe fix on the pinned real projects of corpus/fix-projects.tsv
# (checkouts outside the repository; see scripts/corpus-fix.sh).
.PHONY: corpus-fix
corpus-fix:
	./scripts/corpus-fix.sh
