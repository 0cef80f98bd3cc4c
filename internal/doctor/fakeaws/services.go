package fakeaws

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The operations, one per service file section. s.mu is held.

const timestamp = "2025-01-02T03:04:05.000Z"

// sts: GetCallerIdentity, and AssumeRole for the credential chain of
// profiles with role_arn (query protocol, XML answer).
func (s *Server) sts(w http.ResponseWriter, r *request) {
	if r.operation == "AssumeRole" {
		s.assumeRole(w, r)
		return
	}
	if r.operation != "GetCallerIdentity" {
		r.fail(w, http.StatusBadRequest, "InvalidAction", fmt.Sprintf("Could not find operation %s for version 2011-06-15", r.operation))
		return
	}
	r.writeXML(w, fmt.Sprintf(`<GetCallerIdentityResponse xmlns="%s">
  <GetCallerIdentityResult>
    <Arn>%s</Arn>
    <UserId>%s</UserId>
    <Account>%s</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>%s</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>`, xmlns["STS"], esc(r.caller.arn), esc(r.keyID), esc(r.caller.account), r.requestID))
}

// assumeRole issues temporary keys for the role's account, as STS does:
// any caller may assume any role here (trust policies are not modelled).
func (s *Server) assumeRole(w http.ResponseWriter, r *request) {
	roleARN, session := r.formValue("RoleArn"), r.formValue("RoleSessionName")
	parts := strings.Split(roleARN, ":")
	if len(parts) != 6 || !strings.HasPrefix(parts[5], "role/") || session == "" {
		r.fail(w, http.StatusBadRequest, "ValidationError", "1 validation error detected: Value '"+roleARN+"' at 'roleArn' failed to satisfy constraint")
		return
	}
	roleAccount, roleName := parts[4], strings.TrimPrefix(parts[5], "role/")
	s.reqID++
	keyID := fmt.Sprintf("TESTTEMP%012d", s.reqID)
	arn := fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/%s", partition(r.suffix), roleAccount, roleName, session)
	s.keys[keyID] = &key{account: roleAccount, arn: arn}
	s.acct(roleAccount)
	r.writeXML(w, fmt.Sprintf(`<AssumeRoleResponse xmlns="%s">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>%s</AccessKeyId>
      <SecretAccessKey>fake-temporary-secret</SecretAccessKey>
      <SessionToken>fake-session-token</SessionToken>
      <Expiration>%s</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <Arn>%s</Arn>
      <AssumedRoleId>TESTROLE0000000000000:%s</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>
</AssumeRoleResponse>`, xmlns["STS"], keyID, time.Now().Add(time.Hour).UTC().Format(time.RFC3339), esc(arn), esc(session), r.requestID))
}

// ssm: GetParameter (JSON 1.1).
func (s *Server) ssm(w http.ResponseWriter, r *request) {
	if r.operation != "GetParameter" {
		r.fail(w, http.StatusBadRequest, "InvalidAction", "fakeaws: "+r.operation+" is not implemented")
		return
	}
	var in struct{ Name string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Name == "" {
		r.fail(w, http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
		return
	}
	value, ok := r.account.params[r.region+" "+in.Name]
	if !ok {
		r.fail(w, http.StatusBadRequest, "ParameterNotFound", "")
		return
	}
	arnName := in.Name
	if !strings.HasPrefix(arnName, "/") {
		arnName = "/" + arnName
	}
	out := map[string]any{"Parameter": map[string]any{
		"ARN":              fmt.Sprintf("arn:%s:ssm:%s:%s:parameter%s", partition(r.suffix), r.region, r.caller.account, arnName),
		"DataType":         "text",
		"LastModifiedDate": 1.735787045e9,
		"Name":             in.Name,
		"Type":             "String",
		"Value":            value,
		"Version":          1,
	}}
	w.Header().Set("Content-Type", r.contentType())
	w.Header().Set("x-amzn-RequestId", r.requestID)
	json.NewEncoder(w).Encode(out)
}

// s3control: GetPublicAccessBlock (REST-XML). The account is in both the
// host prefix and the x-amz-account-id header; S3 Control refuses a
// request whose two disagree, and one for an account that is not the
// caller's.
func (s *Server) s3control(w http.ResponseWriter, r *request) {
	header := r.Header.Get("x-amz-account-id")
	switch {
	case r.operation != "GetPublicAccessBlock":
		r.fail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "fakeaws: "+r.operation+" is not implemented")
		return
	case header != r.accountID:
		r.fail(w, http.StatusBadRequest, "InvalidRequest", fmt.Sprintf("the host's account %q does not match x-amz-account-id %q", r.accountID, header))
		return
	case header != r.caller.account:
		r.fail(w, http.StatusForbidden, "AccessDenied", "Access Denied")
		return
	}
	pab := r.account.pab
	if pab == nil {
		r.fail(w, http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
		return
	}
	r.writeXML(w, fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<PublicAccessBlockConfiguration xmlns="%s"><BlockPublicAcls>%t</BlockPublicAcls><IgnorePublicAcls>%t</IgnorePublicAcls><BlockPublicPolicy>%t</BlockPublicPolicy><RestrictPublicBuckets>%t</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
		xmlns["S3 Control"], pab.BlockPublicAcls, pab.IgnorePublicAcls, pab.BlockPublicPolicy, pab.RestrictPublicBuckets))
}

// s3: HeadBucket and GetBucketLocation. Like S3, a regional endpoint
// answers 301 with x-amz-bucket-region for a bucket of another region,
// and x-amz-expected-bucket-owner turns another account's bucket into 403.
func (s *Server) s3(w http.ResponseWriter, r *request) {
	b, exists := s.buckets[r.bucket]
	switch {
	case r.operation != "HeadBucket" && r.operation != "GetBucketLocation":
		r.fail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "fakeaws: "+r.operation+" is not implemented")
		return
	case !exists:
		r.fail(w, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
		return
	case r.operation == "HeadBucket" && b.Region != r.region:
		w.Header().Set("x-amz-bucket-region", b.Region)
		r.fail(w, http.StatusMovedPermanently, "PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.")
		return
	}
	expected := r.Header.Get("x-amz-expected-bucket-owner")
	if b.Owner != r.caller.account || (expected != "" && expected != b.Owner) {
		r.fail(w, http.StatusForbidden, "AccessDenied", "Access Denied")
		return
	}
	if r.operation == "HeadBucket" {
		w.Header().Set("x-amz-bucket-region", b.Region)
		w.Header().Set("x-amz-access-point-alias", "false")
		w.Header().Set("x-amz-request-id", r.requestID)
		w.Header().Set("Content-Type", "application/xml")
		return
	}
	constraint := b.Region
	if constraint == "us-east-1" { // S3's oldest region answers an empty constraint
		r.writeXML(w, fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<LocationConstraint xmlns="%s"/>`, xmlns["S3"]))
		return
	}
	r.writeXML(w, fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<LocationConstraint xmlns="%s">%s</LocationConstraint>`, xmlns["S3"], esc(constraint)))
}

// cloudformation: DescribeStacks and ListStackResources (query protocol).
// A missing stack is a 400 ValidationError, as in CloudFormation.
func (s *Server) cloudformation(w http.ResponseWriter, r *request) {
	name := r.formValue("StackName")
	if r.operation != "DescribeStacks" && r.operation != "ListStackResources" {
		r.fail(w, http.StatusBadRequest, "InvalidAction", "fakeaws: "+r.operation+" is not implemented")
		return
	}
	st, ok := r.account.stacks[r.region+" "+name]
	if !ok || name == "" {
		r.fail(w, http.StatusBadRequest, "ValidationError", fmt.Sprintf("Stack with id %s does not exist", name))
		return
	}
	stackID := fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/00000000-0000-4000-8000-000000000001", partition(r.suffix), r.region, r.caller.account, st.Name)
	if r.operation == "ListStackResources" {
		var members strings.Builder
		for _, res := range st.Resources {
			fmt.Fprintf(&members, `
      <member>
        <LogicalResourceId>%s</LogicalResourceId>
        <PhysicalResourceId>%s</PhysicalResourceId>
        <ResourceType>%s</ResourceType>
        <LastUpdatedTimestamp>%s</LastUpdatedTimestamp>
        <ResourceStatus>%s</ResourceStatus>
        <DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation>
      </member>`, esc(res.LogicalID), esc(res.PhysicalID), esc(res.Type), timestamp, esc(res.Status))
		}
		r.writeXML(w, fmt.Sprintf(`<ListStackResourcesResponse xmlns="%s">
  <ListStackResourcesResult>
    <StackResourceSummaries>%s
    </StackResourceSummaries>
  </ListStackResourcesResult>
  <ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>
</ListStackResourcesResponse>`, xmlns["CloudFormation"], members.String(), r.requestID))
		return
	}
	reason := ""
	if st.StatusReason != "" {
		reason = "<StackStatusReason>" + esc(st.StatusReason) + "</StackStatusReason>"
	}
	r.writeXML(w, fmt.Sprintf(`<DescribeStacksResponse xmlns="%s">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackId>%s</StackId>
        <StackName>%s</StackName>
        <CreationTime>%s</CreationTime>
        <StackStatus>%s</StackStatus>%s
        <DisableRollback>false</DisableRollback>
        <EnableTerminationProtection>false</EnableTerminationProtection>
        <DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>
      </member>
    </Stacks>
  </DescribeStacksResult>
  <ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>
</DescribeStacksResponse>`, xmlns["CloudFormation"], esc(stackID), esc(st.Name), timestamp, esc(st.Status), reason, r.requestID))
}

// partition is the ARN partition of the request's endpoint: GovCloud
// shares the amazonaws.com suffix, so the region decides.
func (r *request) partition() string {
	if strings.HasPrefix(r.region, "us-gov-") {
		return "aws-us-gov"
	}
	return partition(r.suffix)
}

func partition(suffix string) string {
	if suffix == "amazonaws.com.cn" {
		return "aws-cn"
	}
	return "aws"
}
