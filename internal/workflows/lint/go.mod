// A module of its own for the actionlint test: actionlint v1.7.12 requires
// go.yaml.in/yaml/v4 v4.0.0-rc.3, a pre-release that the main module must
// not depend on. The Makefile's test target runs this module's tests too.
module github.com/acme/wellknown/internal/workflows/lint

go 1.26.0

require (
	github.com/acme/wellknown v0.0.0
	github.com/rhysd/actionlint v1.7.12
)

require (
	github.com/bmatcuk/doublestar/v4 v4.10.0 // indirect
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/mattn/go-runewidth v0.0.21 // indirect
	github.com/mattn/go-shellwords v1.0.12 // indirect
	github.com/robfig/cron/v3 v3.0.1 // indirect
	go.yaml.in/yaml/v4 v4.0.0-rc.3 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)

replace github.com/acme/wellknown => ../../..
