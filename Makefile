# The two commands of the README. Both install what they need first: the
# CDK CLI pinned in package-lock.json (into node_modules/) and the Go
# modules pinned in go.sum.

.PHONY: synth test bench fuzz

# The wellknown command for the recipes' own steps, built rather than run
# with `go run`, which turns every failure into exit 1 and adds a line.
WELLKNOWN = .build/wellknown

# Synthesize every environment of cdk.json and print the redirect URLs.
#
# The CDK CLI parses cdk.json (and cdk.context.json, ~/.cdk.json) itself
# before it runs the app, and stops on a syntax error with only a character
# offset, before the app could remove the last run's assembly. So the
# project's reader reads them first and names file, line and column (exit
# 2); and whatever fails after the wellknown command is built — that read,
# the CLI before or after the app, the app — the deployable files of cdk.out
# are removed by the app's own cleanup (package cdkout), so that a failed
# run leaves nothing to deploy. The recipe exits with the failed step's code.
synth: node_modules/.installed
	@go build -o $(WELLKNOWN) ./cmd/wellknown
	@$(WELLKNOWN) synth-preflight && npx cdk synth --quiet || { code=$$?; $(WELLKNOWN) synth-cleanup; exit $$code; }

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
