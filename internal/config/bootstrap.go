package config

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/acme/wellknown/internal/diag"
)

// The CDK bootstrap qualifier names the bootstrap stack's roles, bucket and
// version parameter (cdk-<qualifier>-…, /cdk-bootstrap/<qualifier>/version);
// an app that was bootstrapped with another one says so in this context key.
const (
	QualifierKey     = "@aws-cdk/core:bootstrapQualifier"
	DefaultQualifier = "hnb659fds"
)

// qualifierShape is what `cdk bootstrap --qualifier` accepts.
var qualifierShape = regexp.MustCompile(`^[A-Za-z0-9_-]{1,10}$`)

// CheckQualifier accepts what `cdk bootstrap --qualifier` accepts.
func CheckQualifier(q string) error {
	if !qualifierShape.MatchString(q) {
		return fmt.Errorf("bootstrap qualifier %s: at most 10 letters, digits, '_' or '-' (cdk bootstrap --qualifier)", quoted(q))
	}
	return nil
}

// qualifier reads the bootstrap qualifier of ctx, the default when unset.
func qualifier(ctx Context) (string, []diag.Problem) {
	raw, ok := ctx.Value(QualifierKey)
	if !ok {
		return DefaultQualifier, nil
	}
	var q string
	err := json.Unmarshal(raw, &q)
	if err == nil {
		err = CheckQualifier(q)
	}
	if err != nil {
		return DefaultQualifier, []diag.Problem{{File: ctx.Source(QualifierKey), Path: fmt.Sprintf("context[%q]", QualifierKey), Severity: diag.Error,
			Message: fmt.Sprintf("is %s, not a bootstrap qualifier", raw), Fix: fmt.Sprintf(`write the --qualifier the accounts were bootstrapped with, e.g. %q: %q, or remove it for the default`, QualifierKey, DefaultQualifier)}}
	}
	return q, nil
}

// BootstrapRole is one of the roles `cdk bootstrap` creates per account and
// region.
type BootstrapRole string

const (
	// DeployRole changes CloudFormation stacks (and passes the execution
	// role to CloudFormation).
	DeployRole BootstrapRole = "deploy"
	// FilePublishingRole uploads file assets to the staging bucket.
	FilePublishingRole BootstrapRole = "file-publishing"
	// LookupRole reads the account (context lookups, and cdk diff's
	// fallback since CLI 2.132); it has ReadOnlyAccess.
	LookupRole BootstrapRole = "lookup"
)

// BootstrapRoleName is cdk-<qualifier>-<role>-role-<account>-<region>.
func BootstrapRoleName(account, region, qualifier string, role BootstrapRole) string {
	return fmt.Sprintf("cdk-%s-%s-role-%s-%s", qualifier, role, account, region)
}

// BootstrapVersionParameter is the SSM parameter in which `cdk bootstrap`
// records the bootstrap stack's version, which every CDK template checks.
func BootstrapVersionParameter(qualifier string) string {
	return "/cdk-bootstrap/" + qualifier + "/version"
}
