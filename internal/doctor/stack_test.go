package doctor

import (
	"testing"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

func TestStack(t *testing.T) {
	for _, tc := range []struct {
		status, reason string
		want           Status
		contains       []string
	}{
		{"", "", Pass, []string{"WellKnown-dev does not exist in aws://111111111111/eu-west-1; the deploy creates it"}},
		{"CREATE_COMPLETE", "", Pass, []string{"WellKnown-dev is CREATE_COMPLETE: deployed"}},
		{"UPDATE_COMPLETE", "", Pass, nil},
		{"UPDATE_ROLLBACK_COMPLETE", "", Pass, []string{"can be updated"}},
		{"ROLLBACK_COMPLETE", "The following resource(s) failed to create: [HostingBucketC4F6B5D8]", Fail, []string{
			"WellKnown-dev is ROLLBACK_COMPLETE (The following resource(s) failed to create: [HostingBucketC4F6B5D8]): the first create failed",
			"aws cloudformation delete-stack --stack-name WellKnown-dev --region eu-west-1"}},
		{"UPDATE_ROLLBACK_FAILED", "", Fail, []string{"refuses updates", "aws cloudformation continue-update-rollback --stack-name WellKnown-dev --region eu-west-1", "--resources-to-skip"}},
		{"ROLLBACK_FAILED", "", Fail, []string{"can only be deleted", "delete-stack --stack-name WellKnown-dev"}},
		{"DELETE_FAILED", "", Fail, []string{"delete it again", "--retain-resources"}},
		{"IMPORT_ROLLBACK_FAILED", "", Fail, []string{"cannot be updated"}},
		{"UPDATE_FAILED", "", Warn, []string{"rollback disabled", "npx cdk rollback WellKnown-dev"}},
		{"UPDATE_IN_PROGRESS", "", Warn, []string{"is UPDATE_IN_PROGRESS: an operation is running", "wait until it is *_COMPLETE"}},
		{"UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "", Warn, []string{"an operation is running"}},
		{"REVIEW_IN_PROGRESS", "", Warn, []string{"change set was created but never executed"}},
		{"SOMETHING_NEW", "", Warn, []string{`a status doctor does not know: "SOMETHING_NEW"`}},
	} {
		name := tc.status
		if name == "" {
			name = "missing"
		}
		t.Run(name, func(t *testing.T) {
			srv := healthyFake(t)
			if tc.status != "" {
				srv.SetStack(devAccount, "eu-west-1", fakeaws.Stack{Name: "WellKnown-dev", Status: tc.status, StatusReason: tc.reason})
			}
			rep := mustRun(t, srv, devTarget())
			wantRow(t, rep, "dev", CheckStack, tc.want, tc.contains...)
			if got := rep.OK(); got != (tc.want != Fail) {
				t.Errorf("OK() = %v with the stack row %s", got, tc.want)
			}
		})
	}
}

func TestStackDenied(t *testing.T) {
	srv := healthyFake(t)
	srv.Deny(devAccount, "DescribeStacks")
	rep := mustRun(t, srv, devTarget())
	wantRow(t, rep, "dev", CheckStack, Warn, "cannot describe WellKnown-dev: AccessDenied: User: "+devARN+" is not authorized to perform: cloudformation:DescribeStacks", "allow cloudformation:DescribeStacks")
}
