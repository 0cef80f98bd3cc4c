package fakeaws

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Role is an IAM role. TrustPolicy is its assume-role policy as JSON;
// GetRole answers it URL-encoded, as IAM does.
type Role struct {
	Name, TrustPolicy string
	// MaxSessionDuration in seconds; zero answers IAM's default, 3600.
	MaxSessionDuration int
}

// OIDCProvider is an IAM OpenID Connect identity provider. IAM names it
// after its URL without the scheme, so URL is also the last part of its
// ARN: arn:<partition>:iam::<account>:oidc-provider/<URL>.
type OIDCProvider struct {
	URL         string // e.g. token.actions.githubusercontent.com
	ClientIDs   []string
	Thumbprints []string
}

// SetRole creates or replaces a role of the account.
func (s *Server) SetRole(accountID string, r Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(accountID).roles[r.Name] = r
}

// SetOIDCProvider creates or replaces an OIDC provider of the account.
func (s *Server) SetOIDCProvider(accountID string, p OIDCProvider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.URL = strings.TrimPrefix(p.URL, "https://")
	s.acct(accountID).oidc[p.URL] = p
}

// iam: GetRole and GetOpenIDConnectProvider (query protocol, XML answer).
// Missing entities are 404 NoSuchEntity, as in IAM.
func (s *Server) iam(w http.ResponseWriter, r *request) {
	switch r.operation {
	case "GetRole":
		s.getRole(w, r)
	case "GetOpenIDConnectProvider":
		s.getOIDCProvider(w, r)
	default:
		r.fail(w, http.StatusBadRequest, "InvalidAction", fmt.Sprintf("Could not find operation %s for version 2010-05-08", r.operation))
	}
}

func (s *Server) getRole(w http.ResponseWriter, r *request) {
	name := r.formValue("RoleName")
	if name == "" {
		r.fail(w, http.StatusBadRequest, "ValidationError", "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null")
		return
	}
	role, ok := r.account.roles[name]
	if !ok {
		r.fail(w, http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("The role with name %s cannot be found.", name))
		return
	}
	maxSession := role.MaxSessionDuration
	if maxSession == 0 {
		maxSession = 3600
	}
	arn := fmt.Sprintf("arn:%s:iam::%s:role/%s", r.partition(), r.caller.account, role.Name)
	r.writeXML(w, fmt.Sprintf(`<GetRoleResponse xmlns="%s">
  <GetRoleResult>
    <Role>
      <Path>/</Path>
      <AssumeRolePolicyDocument>%s</AssumeRolePolicyDocument>
      <MaxSessionDuration>%d</MaxSessionDuration>
      <RoleId>TESTROLE%012d</RoleId>
      <RoleLastUsed/>
      <RoleName>%s</RoleName>
      <Arn>%s</Arn>
      <CreateDate>%s</CreateDate>
    </Role>
  </GetRoleResult>
  <ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>
</GetRoleResponse>`, xmlns["IAM"], esc(iamEncode(role.TrustPolicy)), maxSession, len(role.Name), esc(role.Name), esc(arn), timestamp, r.requestID))
}

// iamEncode percent-encodes a policy document the way IAM returns it
// (RFC 3986: everything but unreserved characters, spaces as %20).
func iamEncode(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

func (s *Server) getOIDCProvider(w http.ResponseWriter, r *request) {
	arn := r.formValue("OpenIDConnectProviderArn")
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "oidc-provider/") {
		r.fail(w, http.StatusBadRequest, "InvalidInput", fmt.Sprintf("ARN %s is not valid.", arn))
		return
	}
	switch {
	case parts[1] != r.partition():
		r.fail(w, http.StatusBadRequest, "InvalidInput", fmt.Sprintf("ARN %s is not valid in partition %s.", arn, r.partition()))
		return
	case parts[4] != r.caller.account:
		r.fail(w, http.StatusForbidden, "AccessDenied", fmt.Sprintf("User: %s is not authorized to perform: iam:GetOpenIDConnectProvider on resource: %s", r.caller.arn, arn))
		return
	}
	p, ok := r.account.oidc[strings.TrimPrefix(parts[5], "oidc-provider/")]
	if !ok {
		r.fail(w, http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("OpenIDConnect Provider not found for arn %s", arn))
		return
	}
	r.writeXML(w, fmt.Sprintf(`<GetOpenIDConnectProviderResponse xmlns="%s">
  <GetOpenIDConnectProviderResult>
    <ThumbprintList>%s</ThumbprintList>
    <CreateDate>%s</CreateDate>
    <ClientIDList>%s</ClientIDList>
    <Url>%s</Url>
    <Tags/>
  </GetOpenIDConnectProviderResult>
  <ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>
</GetOpenIDConnectProviderResponse>`, xmlns["IAM"], members(p.Thumbprints), timestamp, members(p.ClientIDs), esc(p.URL), r.requestID))
}

// members is a query-protocol XML list.
func members(values []string) string {
	var b strings.Builder
	for _, v := range values {
		b.WriteString("<member>" + esc(v) + "</member>")
	}
	return b.String()
}
