package doctor

import (
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

func TestPublicAccess(t *testing.T) {
	private := devTarget()
	private.PublicBucket = false
	for _, tc := range []struct {
		name        string
		pab         *fakeaws.PublicAccessBlock
		target      Target
		status      Status
		contains    []string
		notContains string
	}{
		{"no configuration", nil, devTarget(), Pass,
			[]string{"account 111111111111 has no account-level S3 Block Public Access"}, ""},
		{"all off", &fakeaws.PublicAccessBlock{}, devTarget(), Pass,
			[]string{"allows public bucket policies"}, ""},
		{"ACL flags only", &fakeaws.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true}, devTarget(), Pass,
			[]string{"allows public bucket policies"}, ""},
		{"BlockPublicPolicy", &fakeaws.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true}, devTarget(), Fail,
			[]string{"account 111111111111 has S3 Block Public Access on: BlockPublicPolicy makes S3 reject the public bucket policy (the deploy fails with Access Denied on PutBucketPolicy and rolls back)",
				"an administrator of account 111111111111 turns BlockPublicPolicy off (s3:PutAccountPublicAccessBlock",
				"or the organization's administrators if an AWS Organizations S3 policy sets it"},
			"RestrictPublicBuckets"},
		{"RestrictPublicBuckets", &fakeaws.PublicAccessBlock{RestrictPublicBuckets: true}, devTarget(), Fail,
			[]string{"has S3 Block Public Access on: RestrictPublicBuckets makes S3 refuse anonymous reads despite the policy (Apple and Google get 403", "turns RestrictPublicBuckets off"},
			"BlockPublicPolicy"},
		{"all on", &fakeaws.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}, devTarget(), Fail,
			[]string{"BlockPublicPolicy makes S3 reject", "; RestrictPublicBuckets makes S3 refuse", "turns BlockPublicPolicy and RestrictPublicBuckets off"}, ""},
		{"all on, private bucket", &fakeaws.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}, private, Pass,
			[]string{"bucket wellknown-dev-111111111111-eu-west-1 stays private, so account 111111111111's S3 Block Public Access does not affect it"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := healthyFake(t)
			srv.SetPublicAccessBlock(devAccount, tc.pab)
			rep := mustRun(t, srv, tc.target)
			c := wantRow(t, rep, "dev", CheckPublicAccess, tc.status, tc.contains...)
			if tc.notContains != "" && strings.Contains(c.Message+c.Fix, tc.notContains) {
				t.Errorf("row names %s, which is off: %q", tc.notContains, c.Message)
			}
			if tc.target.PublicBucket {
				wantRow(t, rep, "dev", CheckOrgPublicAccess, Warn, "cannot be read from a member account", "ask the organization's administrators")
			} else {
				wantRow(t, rep, "dev", CheckOrgPublicAccess, Pass, "the bucket is not public")
			}
		})
	}
}

func TestPublicAccessDenied(t *testing.T) {
	srv := healthyFake(t)
	srv.Deny(devAccount, "GetPublicAccessBlock")
	rep := mustRun(t, srv, devTarget())
	wantRow(t, rep, "dev", CheckPublicAccess, Warn, "cannot read account 111111111111's S3 Block Public Access: AccessDenied", "s3:GetAccountPublicAccessBlock")
}

// S3 Control addresses the account in the host name and in
// x-amz-account-id; the fake refuses a request whose two disagree, so a
// passing row proves both carried the environment's account.
func TestPublicAccessAddressesTheAccount(t *testing.T) {
	srv := healthyFake(t)
	mustRun(t, srv, devTarget())
	for _, c := range srv.Calls() {
		if c.Operation == "GetPublicAccessBlock" && c.Host != "111111111111.s3-control.eu-west-1.amazonaws.com" {
			t.Errorf("GetPublicAccessBlock sent to %s", c.Host)
		}
	}
	if srv.Count("GetPublicAccessBlock") != 1 {
		t.Errorf("calls: %+v", srv.Calls())
	}
}
