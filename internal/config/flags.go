package config

import (
	"encoding/json"
	"fmt"

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
	var ps []diag.Problem
	for _, flag := range sortedKeys(RequiredFlags) {
		var on bool
		if raw, ok := ctx[flag]; !ok || json.Unmarshal(raw, &on) != nil || !on {
			ps = append(ps, errorAt(fmt.Sprintf("context[%q]", flag), "must be true: "+RequiredFlags[flag],
				fmt.Sprintf(`add "%s": true to the "context" object`, flag)))
		}
	}
	return ps
}
