# The two commands of the README. Both install what they need first: the
# CDK CLI pinned in package-lock.json (into node_modules/) and the Go
# modules pinned in go.sum.

.PHONY: synth test bench fuzz

# Synthesize every environment of cdk.json and print the redirect URLs.
synth: node_modules/.installed
	npx cdk synth --quiet

# The whole test suite: formatting, vet, and go test (which synthesizes real
# stacks, so node must be on PATH). The workflow lint is a module of its own
# (actionlint depends on a pre-release YAML library), which ./... skips.
# Last, the committed workflows must be what cdk.json gives.
test: node_modules/.installed
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go test ./...
	cd internal/workflows/lint && go vet ./... && go test ./...
	go run ./cmd/wellknown ci --check

# Synth wall time for the example config and for 100 generated environments.
bench:
	go test -run '^$$' -bench Synth -benchtime 3x .

# Run each fuzz target for FUZZTIME (CI runs only the committed seeds).
FUZZTIME ?= 60s
fuzz:
	go test ./internal/linkfile -run '^$$' -fuzz '^FuzzValidateAASA$$' -fuzztime $(FUZZTIME)
	go test ./internal/linkfile -run '^$$' -fuzz '^FuzzValidateAssetLinks$$' -fuzztime $(FUZZTIME)
	go test ./internal/jsontree -run '^$$' -fuzz '^FuzzFirstDifference$$' -fuzztime $(FUZZTIME)
	go test ./internal/jsontree -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	go test ./internal/config -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	go test ./internal/config -run '^$$' -fuzz '^FuzzReadCDKJSON$$' -fuzztime $(FUZZTIME)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@
