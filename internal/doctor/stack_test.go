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

// The deploy of WellKnown-<env> deploys its certificate stack in us-east-1
// first: that stack's state is read there, in a row of its own, with the
// way out for us-east-1.
func TestCertStackState(t *testing.T) {
	certTarget := func() Target {
		t := domainTarget()
		t.Domain.CertificateARN = ""
		t.CertStack = &CertStack{Name: "WellKnownCert-dev", RequiredBootstrapVersion: 6, BootstrapParameter: bootParam}
		return t
	}
	for _, tc := range []struct {
		status   string
		want     Status
		contains []string
	}{
		{"", Pass, []string{"WellKnownCert-dev does not exist in aws://111111111111/us-east-1; the deploy creates it"}},
		{"CREATE_COMPLETE", Pass, []string{"WellKnownCert-dev is CREATE_COMPLETE: deployed"}},
		{"ROLLBACK_COMPLETE", Fail, []string{"WellKnownCert-dev is ROLLBACK_COMPLETE", "aws cloudformation delete-stack --stack-name WellKnownCert-dev --region us-east-1"}},
		{"CREATE_IN_PROGRESS", Warn, []string{"WellKnownCert-dev is CREATE_IN_PROGRESS: an operation is running", "--stack-name WellKnownCert-dev --region us-east-1"}},
	} {
		t.Run(tc.status, func(t *testing.T) {
			srv := healthyFake(t)
			withDomain(srv)
			srv.SetParameter(devAccount, "us-east-1", bootParam, "30")
			if tc.status != "" {
				srv.SetStack(devAccount, "us-east-1", fakeaws.Stack{Name: "WellKnownCert-dev", Status: tc.status})
			}
			// The environment's own stack, in eu-west-1, is unaffected.
			rep := mustRun(t, srv, certTarget())
			wantRow(t, rep, "dev", CheckStack, Pass, "WellKnown-dev does not exist in aws://111111111111/eu-west-1")
			wantRow(t, rep, "dev", CheckCertStack, tc.want, tc.contains...)
			if got := rep.OK(); got != (tc.want != Fail) {
				t.Errorf("OK() = %v with the cert-stack row %s", got, tc.want)
			}
		})
	}
	// A certificate stack in eu-west-1 is not the one the deploy uses.
	srv := healthyFake(t)
	withDomain(srv)
	srv.SetParameter(devAccount, "us-east-1", bootParam, "30")
	srv.SetStack(devAccount, "eu-west-1", fakeaws.Stack{Name: "WellKnownCert-dev", Status: "ROLLBACK_COMPLETE"})
	wantRow(t, mustRun(t, srv, certTarget()), "dev", CheckCertStack, Pass, "does not exist in aws://111111111111/us-east-1")
	// Without a certificate stack there is no such row.
	rep := mustRun(t, healthyFake(t), domainTarget())
	if _, ok := rep.Find("dev", CheckCertStack); ok {
		t.Error("cert-stack row without a certificate stack")
	}
}
