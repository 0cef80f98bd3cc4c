package doctor

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/smithy-go/middleware"
)

// allowedOperations is every operation doctor may send, by service ID and
// operation name. All of them only read; the guard refuses anything else
// before it is signed or sent, so a later change cannot make doctor write
// by accident.
var allowedOperations = map[string]bool{
	"STS.GetCallerIdentity":             true,
	"SSM.GetParameter":                  true,
	"S3 Control.GetPublicAccessBlock":   true,
	"S3.HeadBucket":                     true,
	"S3.GetBucketLocation":              true,
	"CloudFormation.DescribeStacks":     true,
	"CloudFormation.ListStackResources": true,
	// The CI roles and the account's GitHub OIDC provider.
	"IAM.GetRole":                  true,
	"IAM.GetOpenIDConnectProvider": true,
	// A custom domain's certificate and hosted zone.
	"ACM.DescribeCertificate": true,
	"Route 53.GetHostedZone":  true,
}

// readOnlyVerbs are the operation-name prefixes AWS uses for calls that do
// not change anything.
var readOnlyVerbs = []string{"Get", "List", "Describe", "Head"}

// AllowedOperations lists the allowed operations as "Service.Operation",
// sorted.
func AllowedOperations() []string {
	out := make([]string, 0, len(allowedOperations))
	for op := range allowedOperations {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// IsReadOnlyName reports whether an operation name starts with a verb that
// only reads.
func IsReadOnlyName(operation string) bool {
	for _, v := range readOnlyVerbs {
		if rest, ok := strings.CutPrefix(operation, v); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
			return true
		}
	}
	return false
}

// ErrNotReadOnly is returned for a refused operation.
type ErrNotReadOnly struct{ Service, Operation string }

func (e *ErrNotReadOnly) Error() string {
	return fmt.Sprintf("doctor refuses to call %s.%s: it only reads (allowed: %s)", e.Service, e.Operation, strings.Join(AllowedOperations(), ", "))
}

// addReadOnlyGuard puts the guard first in the Initialize step, ahead of
// parameter validation, signing and every retry.
func addReadOnlyGuard(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("wellknownReadOnlyGuard",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			service, op := middleware.GetServiceID(ctx), middleware.GetOperationName(ctx)
			if !allowedOperations[service+"."+op] || !IsReadOnlyName(op) {
				return middleware.InitializeOutput{}, middleware.Metadata{}, &ErrNotReadOnly{Service: service, Operation: op}
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}
