// Command wellknown checks, verifies and scaffolds the /.well-known link
// files of the WellKnown CDK app without starting the CDK (jsii) runtime.
//
//	go run ./cmd/wellknown --help
package main

import (
	"os"

	"github.com/acme/wellknown/cmd/wellknown/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
