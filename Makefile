# The two commands of the README. Both install what they need first: a
# supported Node.js where the machine's is older, the CDK CLI pinned in
# package-lock.json (into node_modules/) and the Go modules pinned in go.sum.

.PHONY: synth test fmtcheck bench fuzz

# Everything the recipes build or install goes under .build/; .build/bin
# holds the wellknown command and, where the machine's node is too old, the
# Node.js that jsii and the CDK CLI run on. Put it first on PATH to run
# `npx cdk …` yourself with the same Node (README, "Two commands").
BIN = $(CURDIR)/.build/bin
export PATH := $(BIN):$(PATH)

# The wellknown command for the recipes' own steps, built rather than run
# with `go run`, which turns every failure into exit 1 and adds a line.
WELLKNOWN = $(BIN)/wellknown

# Node.js: the CDK supports 22 (until 2027-10-30) and 24 (until 2028-10-30,
# the active LTS); jsii prints an end-of-life banner on every run of an
# older one. A machine whose node is older gets NODE_VERSION from the npm
# registry (the node-<platform>-<arch> packages hold the official build),
# through npm's own configuration.
NODE_VERSION = 24.22.3
NODE_MIN_MAJOR = 22
system_node_major := $(shell PATH='$(subst $(BIN):,,$(PATH))' node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
ifeq ($(shell [ "0$(system_node_major)" -ge $(NODE_MIN_MAJOR) ] && echo supported),)
NODE = $(BIN)/node
endif

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
# The app prints nothing on stdout (it is the CDK CLI's: `cdk synth > t.yaml`
# must stay YAML); the summary is the recipe's last step, read from the
# assembly just written.
synth: node_modules/.installed
	@go build -o $(WELLKNOWN) ./cmd/wellknown
	@$(WELLKNOWN) synth-preflight && npx cdk synth --quiet || { code=$$?; $(WELLKNOWN) synth-cleanup; exit $$code; }
	@$(WELLKNOWN) synth-summary

# The whole test suite: formatting, vet, and go test (which synthesizes real
# stacks, so node must be on PATH), with each package shown as it starts
# and ends and the tests still running listed every 20 s (gotest). The
# workflow lint is a module of its own (actionlint depends on a pre-release
# YAML library), which ./... skips. Last, the committed workflows must be
# what cdk.json gives.
test: node_modules/.installed fmtcheck
	go vet ./...
	go run ./internal/tools/gotest ./...
	cd internal/workflows/lint && go vet ./... && go test ./...
	go run ./cmd/wellknown ci --check

# gofmt on every Go file of the project. Files are found with find, not
# git, so that a source archive is checked too; xargs -r never runs gofmt
# without arguments, which would read stdin.
fmtcheck:
	@unformatted="$$(find . \( -name node_modules -o -name .build -o -name .git -o -name 'cdk.out*' \) -prune -o -name '*.go' -type f -print | xargs -r gofmt -l)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed (run gofmt -w on these):"; echo "$$unformatted"; exit 1; fi

# Synth wall time for the example config and for 100 generated environments.
bench: node_modules/.installed
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

node_modules/.installed: package.json package-lock.json $(NODE)
	npm ci --no-audit --no-fund
	touch $@

# The node-<platform>-<arch> package's bin/node, linked into .build/bin.
# The platform is the machine's node's (linux-x64, darwin-arm64, …).
system_node_platform = $(shell PATH='$(subst $(BIN):,,$(PATH))' node -p 'process.platform + "-" + process.arch' 2>/dev/null)
$(BIN)/node:
	@echo "node $(or $(system_node_major),is missing): installing Node.js $(NODE_VERSION) into .build/node (jsii and the CDK CLI need Node.js $(NODE_MIN_MAJOR) or newer)"
	@command -v npm >/dev/null && [ -n "$(system_node_platform)" ] || { echo "Node.js with npm is missing: install it (any version) and run make again" >&2; exit 2; }
	@npm install --silent --no-save --no-audit --no-fund --prefix .build/node "node-$(system_node_platform)@$(NODE_VERSION)"
	@mkdir -p $(BIN) && ln -sf ../node/node_modules/.bin/node $@
