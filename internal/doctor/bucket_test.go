package doctor

import (
	"testing"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

// devStack is the dev stack as CloudFormation lists it after a deploy.
func devStack(status, bucketStatus string) fakeaws.Stack {
	return fakeaws.Stack{Name: "WellKnown-dev", Status: status, Resources: []fakeaws.Resource{
		{LogicalID: "HostingBucketC4F6B5D8", PhysicalID: devBucket, Type: "AWS::S3::Bucket", Status: bucketStatus},
		{LogicalID: "HostingAccessLogs1F2A3B4C", PhysicalID: "wellknown-dev-hostingaccesslogs-1a2b3c4d", Type: "AWS::S3::Bucket", Status: "CREATE_COMPLETE"},
		{LogicalID: "HostingUploadCustomResource", PhysicalID: "aws.cdk.s3deployment.1234", Type: "Custom::CDKBucketDeployment", Status: "CREATE_COMPLETE"},
	}}
}

func TestBucket(t *testing.T) {
	for _, tc := range []struct {
		name     string
		setup    func(*fakeaws.Server)
		status   Status
		contains []string
		ops      []string // operations that must have been sent
	}{
		{"free name", func(*fakeaws.Server) {}, Pass,
			[]string{"bucket " + devBucket + " does not exist yet; the deploy creates it"}, []string{"HeadBucket"}},
		{"managed by the stack", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, devAccount, "eu-west-1")
			s.SetStack(devAccount, "eu-west-1", devStack("UPDATE_COMPLETE", "CREATE_COMPLETE"))
		}, Pass, []string{"exists in account 111111111111 and is managed by stack WellKnown-dev"}, []string{"HeadBucket", "ListStackResources"}},
		{"left behind by a deleted stack", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, devAccount, "eu-west-1")
		}, Fail, []string{"already exists in account 111111111111, but stack WellKnown-dev does not",
			`the create fails with "` + devBucket + ` already exists"`,
			"npx cdk import WellKnown-dev", `set "bucketName" of "dev" in cdk.json`}, nil},
		{"not the stack's", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, devAccount, "eu-west-1")
			st := devStack("CREATE_COMPLETE", "CREATE_COMPLETE")
			st.Resources = st.Resources[1:]
			s.SetStack(devAccount, "eu-west-1", st)
		}, Fail, []string{"but stack WellKnown-dev does not manage it"}, []string{"ListStackResources"}},
		{"kept by a rolled-back create", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, devAccount, "eu-west-1")
			s.SetStack(devAccount, "eu-west-1", devStack("ROLLBACK_COMPLETE", "DELETE_SKIPPED"))
		}, Warn, []string{"was kept (DELETE_SKIPPED) when stack WellKnown-dev rolled back; once the stack is deleted, it blocks the next create", "delete the bucket too"}, nil},
		{"another account's", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, otherAccount, "eu-west-1")
		}, Fail, []string{"bucket name " + devBucket + " is taken: the bucket exists but is not account 111111111111's (403", `context["wellknown:environments"].dev.bucketName`},
			[]string{"HeadBucket", "GetBucketLocation"}},
		{"another region", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, otherAccount, "us-west-2")
		}, Fail, []string{"bucket " + devBucket + " exists in us-west-2, but dev deploys to eu-west-1", "choose another name"}, nil},
		{"the account's, HeadBucket denied", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, devAccount, "eu-west-1")
			s.SetStack(devAccount, "eu-west-1", devStack("CREATE_COMPLETE", "CREATE_COMPLETE"))
			s.Deny(devAccount, "HeadBucket")
		}, Pass, []string{"managed by stack WellKnown-dev (HeadBucket was refused; GetBucketLocation shows it is the account's)"},
			[]string{"HeadBucket", "GetBucketLocation"}},
		{"the account's, in us-east-1, HeadBucket denied", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, devAccount, "us-east-1")
			s.Deny(devAccount, "HeadBucket")
		}, Fail, []string{"exists in us-east-1, but dev deploys to eu-west-1", "if the bucket in us-east-1 is yours and disposable, delete it first"}, nil},
		{"deleted outside CloudFormation", func(s *fakeaws.Server) {
			s.SetStack(devAccount, "eu-west-1", devStack("UPDATE_COMPLETE", "CREATE_COMPLETE"))
		}, Warn, []string{"stack WellKnown-dev manages bucket " + devBucket + ", but the bucket no longer exists"}, nil},
		{"renamed", func(s *fakeaws.Server) {
			st := devStack("UPDATE_COMPLETE", "CREATE_COMPLETE")
			st.Resources[0].PhysicalID = "old-name-of-the-bucket"
			s.SetStack(devAccount, "eu-west-1", st)
		}, Pass, []string{"does not exist yet; the deploy creates it"}, nil},
		{"stack unknown", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, devAccount, "eu-west-1")
			s.Deny(devAccount, "DescribeStacks")
		}, Warn, []string{"whether stack WellKnown-dev manages it is unknown (see the stack row)"}, nil},
		{"resources unreadable", func(s *fakeaws.Server) {
			s.AddBucket(devBucket, devAccount, "eu-west-1")
			s.SetStack(devAccount, "eu-west-1", devStack("UPDATE_COMPLETE", "CREATE_COMPLETE"))
			s.Deny(devAccount, "ListStackResources")
		}, Warn, []string{"could not confirm that stack WellKnown-dev manages it: AWS answered AccessDenied"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := healthyFake(t)
			tc.setup(srv)
			rep := mustRun(t, srv, devTarget())
			wantRow(t, rep, "dev", CheckBucket, tc.status, tc.contains...)
			for _, op := range tc.ops {
				if srv.Count(op) == 0 {
					t.Errorf("no %s call; calls: %v", op, srv.Operations())
				}
			}
		})
	}
}
