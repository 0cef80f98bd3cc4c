package config

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/acme/wellknown/internal/diag"
)

// RequiredFlags are the feature flags the stack depends on. Without them
// the CDK either refuses the log bucket wiring with an exception or turns
// policy-rule errors into mere warnings, so they are checked up front.
var RequiredFlags = map[string]string{
	"@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": "S3 log delivery writes through a bucket policy, which works with ACLs disabled",
	"@aws-cdk/core:validateAgainstDefaultRules":       "a violated policy rule (policy/*.rego) fails the synthesis instead of printing a warning",
}

// CheckFlags reports required feature flags that are missing or not true.
func CheckFlags(ctx Context) []diag.Problem {
	flags := make([]string, 0, len(RequiredFlags))
	for f := range RequiredFlags {
		flags = append(flags, f)
	}
	sort.Strings(flags)
	var ps []diag.Problem
	for _, flag := range flags {
		member := fmt.Sprintf("%q: true", flag)
		p := diag.Problem{Path: fmt.Sprintf("context[%q]", flag), Severity: diag.Error, Message: "must be true: " + RequiredFlags[flag]}
		var on bool
		raw, ok := ctx.Value(flag)
		switch {
		case !ok:
			p.File, p.Fix = ctx.Absent(flag, member)
		case json.Unmarshal(raw, &on) != nil || !on:
			p.File, p.Fix = ctx.Source(flag), "write "+member
		default:
			continue
		}
		ps = append(ps, p)
	}
	return ps
}
