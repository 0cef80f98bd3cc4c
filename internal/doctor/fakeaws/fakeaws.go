// Package fakeaws is a loopback stand-in for the AWS endpoints that
// `wellknown doctor` reads, for tests. It speaks the real wire protocols
// under the real host names — STS, CloudFormation and IAM query/XML, SSM
// and ACM JSON 1.1, S3 Control, S3 and Route 53 REST-XML — with AWS's
// error shapes, so the unmodified SDK talks to it over verified TLS:
//
//   - in process, through HTTPClient(), which dials the fake whatever the
//     host and trusts its CA;
//   - from another process, through ProxyURL(): an HTTPS CONNECT proxy
//     that terminates TLS with a certificate minted for each host by a
//     test CA (CAFile()), as a corporate TLS-inspecting proxy does. Only
//     HTTPS_PROXY and AWS_CA_BUNDLE change; no endpoint is overridden.
//
// STS also answers AssumeRole, so profiles with role_arn work as in AWS.
//
// State is per account (credentials, SSM parameters, Block Public Access,
// stacks, IAM roles and OIDC providers, ACM certificates, Route 53 hosted
// zones, denied operations) plus the global bucket namespace. Faults
// make an operation slow, throttled or answered with garbage. Every
// request is recorded. Nothing is ever forwarded to the network.
package fakeaws

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Server is a running fake. Configure it before the client runs; the
// methods are safe for concurrent use.
type Server struct {
	ca      *ca
	caFile  string
	tmpDir  string
	direct  net.Listener  // TLS, for in-process clients
	tunnels *chanListener // TLS, fed by the CONNECT proxy
	proxyLn net.Listener  // plain HTTP CONNECT proxy
	tlsSrv  *http.Server
	proxy   *http.Server

	mu       sync.Mutex
	keys     map[string]*key
	accounts map[string]*account
	buckets  map[string]Bucket
	faults   map[string]*Fault
	calls    []Call
	connects []string
	reqID    int
}

type key struct {
	account, arn string
	expired      bool
}

type account struct {
	params map[string]string // region + " " + name
	pab    *PublicAccessBlock
	stacks map[string]Stack        // region + " " + name
	denied map[string]bool         // operation name
	roles  map[string]Role         // IAM is global: by name
	oidc   map[string]OIDCProvider // by URL without the scheme
	certs  map[string]Certificate  // by ARN, which names the region
	zones  map[string]HostedZone   // by ID, without /hostedzone/
	// disabled are opt-in regions not enabled for the account: AWS
	// refuses its credentials there as if they did not exist.
	disabled map[string]bool
}

// PublicAccessBlock is an account's S3 Block Public Access configuration.
type PublicAccessBlock struct {
	BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets bool
}

// Bucket is an S3 bucket in the global namespace.
type Bucket struct {
	Owner, Region string
}

// Stack is a CloudFormation stack.
type Stack struct {
	Name, Status, StatusReason string
	Resources                  []Resource
}

// Resource is one stack resource.
type Resource struct {
	LogicalID, PhysicalID, Type, Status string
}

// Fault changes how one operation is answered.
type Fault struct {
	// Throttle answers the next Throttle requests with the service's
	// throttling error.
	Throttle int
	// Delay holds every answer this long, or until the client gives up.
	Delay time.Duration
	// Garbage answers 200 with an HTML page, as a captive portal or a
	// misconfigured proxy does (HEAD: 502 with no body).
	Garbage bool
	// Body, when set, is sent as a 200 answer in place of the real one
	// (well-formed but unexpected content).
	Body string
}

// Call is one request the fake received.
type Call struct {
	Service     string // SDK service ID: "STS", "SSM", "S3 Control", "S3", "CloudFormation", "IAM", "ACM", "Route 53"
	Operation   string // e.g. "GetCallerIdentity"; "Unknown" if not recognised
	Region      string // from the host name
	Host        string
	AccessKeyID string
	Proxied     bool // arrived through the CONNECT proxy
}

// Start starts a fake on loopback ports.
func Start() (*Server, error) {
	s := &Server{
		keys: map[string]*key{}, accounts: map[string]*account{},
		buckets: map[string]Bucket{}, faults: map[string]*Fault{},
	}
	if err := s.listen(); err != nil {
		s.Close()
		return nil, err
	}
	quiet := log.New(io.Discard, "", 0) // aborted handshakes and cancelled requests are expected
	s.tlsSrv = &http.Server{
		Handler:   http.HandlerFunc(s.serveAWS),
		ErrorLog:  quiet,
		TLSConfig: s.tlsConfig(),
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, proxiedKey{}, isTunnel(c))
		},
	}
	s.proxy = &http.Server{Handler: http.HandlerFunc(s.serveProxy), ErrorLog: quiet}
	go s.tlsSrv.ServeTLS(s.direct, "", "")
	go s.tlsSrv.ServeTLS(s.tunnels, "", "")
	go s.proxy.Serve(s.proxyLn)
	return s, nil
}

// listen makes the CA, writes its file and opens the listeners.
func (s *Server) listen() error {
	var err error
	if s.ca, err = newCA(); err != nil {
		return err
	}
	if s.tmpDir, err = os.MkdirTemp("", "fakeaws-"); err != nil {
		return err
	}
	s.caFile = filepath.Join(s.tmpDir, "ca.pem")
	if err = os.WriteFile(s.caFile, s.ca.pem, 0o644); err != nil {
		return err
	}
	if s.direct, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return err
	}
	if s.proxyLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return err
	}
	s.tunnels = newChanListener(s.direct.Addr())
	return nil
}

// Close stops the fake and removes its CA file.
func (s *Server) Close() {
	if s.proxy != nil {
		s.proxy.Close()
	}
	if s.tlsSrv != nil {
		s.tlsSrv.Close()
	}
	if s.direct != nil {
		s.direct.Close()
	}
	if s.proxyLn != nil {
		s.proxyLn.Close()
	}
	if s.tunnels != nil {
		s.tunnels.Close()
	}
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
}

// CAFile is the PEM file of the CA that signs every host's certificate
// (for AWS_CA_BUNDLE).
func (s *Server) CAFile() string { return s.caFile }

// ProxyURL is the CONNECT proxy's URL (for HTTPS_PROXY).
func (s *Server) ProxyURL() string { return "http://" + s.proxyLn.Addr().String() }

// HTTPClient is an HTTP client for in-process SDK clients: whatever host
// it is asked for, it connects to the fake and verifies the certificate
// the fake minted for that host against the fake's CA. It never follows
// redirects, like the SDK's own client for S3's 301s.
func (s *Server) HTTPClient() *http.Client {
	addr := s.direct.Addr().String()
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
		TLSClientConfig:     s.tlsClientConfig(),
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     10 * time.Second,
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// AddCredentials registers an access key of account; GetCallerIdentity
// answers arn for it. Requests signed with unknown keys are refused the
// way AWS refuses them.
func (s *Server) AddCredentials(accessKeyID, accountID, arn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[accessKeyID] = &key{account: accountID, arn: arn}
	s.acct(accountID)
}

// ExpireCredentials makes every request signed with the key fail with
// the service's ExpiredToken error.
func (s *Server) ExpireCredentials(accessKeyID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[accessKeyID]; ok {
		k.expired = true
	}
}

// SetParameter stores an SSM parameter.
func (s *Server) SetParameter(accountID, region, name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(accountID).params[region+" "+name] = value
}

// SetPublicAccessBlock sets the account's S3 Block Public Access; nil
// removes it (GetPublicAccessBlock then answers
// NoSuchPublicAccessBlockConfiguration).
func (s *Server) SetPublicAccessBlock(accountID string, pab *PublicAccessBlock) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(accountID).pab = pab
}

// AddBucket creates a bucket in the global namespace.
func (s *Server) AddBucket(name, owner, region string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buckets[name] = Bucket{Owner: owner, Region: region}
}

// SetStack creates or replaces a stack.
func (s *Server) SetStack(accountID, region string, st Stack) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(accountID).stacks[region+" "+st.Name] = st
}

// Deny makes operation answer the service's access-denied error for
// every principal of the account.
func (s *Server) Deny(accountID, operation string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(accountID).denied[operation] = true
}

// DisableRegion makes region an opt-in region the account has not
// enabled: every request there is refused as signed with an unknown key.
func (s *Server) DisableRegion(accountID, region string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(accountID).disabled[region] = true
}

// SetFault sets how operation (e.g. "GetParameter") is answered from now
// on; the zero Fault clears it.
func (s *Server) SetFault(operation string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[operation] = &f
}

// Calls returns the requests received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Operations returns the distinct "Service.Operation" names received,
// sorted.
func (s *Server) Operations() []string {
	seen := map[string]bool{}
	for _, c := range s.Calls() {
		seen[c.Service+"."+c.Operation] = true
	}
	out := make([]string, 0, len(seen))
	for op := range seen {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// Count returns how many requests for operation were received.
func (s *Server) Count(operation string) int {
	n := 0
	for _, c := range s.Calls() {
		if c.Operation == operation {
			n++
		}
	}
	return n
}

// Connects returns the CONNECT targets the proxy was asked for.
func (s *Server) Connects() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.connects...)
}

// acct returns the account, creating it; s.mu must be held.
func (s *Server) acct(id string) *account {
	a, ok := s.accounts[id]
	if !ok {
		a = &account{params: map[string]string{}, stacks: map[string]Stack{}, denied: map[string]bool{}, disabled: map[string]bool{},
			roles: map[string]Role{}, oidc: map[string]OIDCProvider{}, certs: map[string]Certificate{}, zones: map[string]HostedZone{}}
		s.accounts[id] = a
	}
	return a
}

type proxiedKey struct{}

// request is a parsed AWS request.
type request struct {
	*http.Request
	route
	operation string
	keyID     string
	scope     string // signing region
	caller    *key   // nil: unknown key
	account   *account
	requestID string
	// Read under the lock with the caller: the account denies the
	// operation, or has not enabled the region.
	denied, regionDisabled bool
}

// serveAWS answers one request: identify service and operation, record
// it, apply faults, check the credentials, then run the operation.
func (s *Server) serveAWS(w http.ResponseWriter, r *http.Request) {
	rt, ok := parseHost(r.Host)
	if !ok {
		s.record(Call{Service: "?", Operation: "Unknown", Host: r.Host, Proxied: proxied(r)})
		http.Error(w, "fakeaws: no AWS endpoint at "+r.Host, http.StatusNotFound)
		return
	}
	req := &request{Request: r, route: rt}
	if err := req.identify(); err != nil {
		req.operation = "Unknown"
	}
	req.keyID, req.scope = parseAuthorization(r.Header.Get("Authorization"))
	s.mu.Lock()
	s.reqID++
	req.requestID = fmt.Sprintf("fa%08d-0000-4000-8000-000000000000", s.reqID)
	s.calls = append(s.calls, Call{Service: rt.service, Operation: req.operation, Region: rt.region, Host: r.Host, AccessKeyID: req.keyID, Proxied: proxied(r)})
	fault := s.takeFault(req.operation)
	if k, ok := s.keys[req.keyID]; ok {
		copied := *k
		req.caller, req.account = &copied, s.acct(k.account)
		req.denied = req.account.denied[req.operation]
		req.regionDisabled = req.account.disabled[req.region]
	}
	s.mu.Unlock()

	if fault.Delay > 0 {
		t := time.NewTimer(fault.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			// Abort rather than return: a handler that returns unanswered
			// gets an empty 200 from net/http, which a client still
			// reading would take for an answer.
			t.Stop()
			panic(http.ErrAbortHandler)
		}
	}
	switch {
	case fault.throttled:
		s.throttle(w, req)
		return
	case fault.Garbage:
		garbage(w, req)
		return
	case req.operation == "Unknown":
		req.fail(w, http.StatusNotImplemented, "NotImplemented", "fakeaws does not implement this request")
		return
	}
	if !s.authorized(w, req) {
		return
	}
	if fault.Body != "" {
		w.Header().Set("Content-Type", req.contentType())
		io.WriteString(w, fault.Body)
		return
	}
	s.dispatch(w, req)
}

// activeFault is a Fault as it applies to one request.
type activeFault struct {
	Fault
	throttled bool
}

// takeFault returns the fault for one request of operation, consuming a
// throttle; s.mu must be held.
func (s *Server) takeFault(operation string) activeFault {
	f, ok := s.faults[operation]
	if !ok {
		return activeFault{}
	}
	a := activeFault{Fault: *f}
	if f.Throttle > 0 {
		f.Throttle--
		a.throttled = true
	}
	return a
}

func proxied(r *http.Request) bool {
	v, _ := r.Context().Value(proxiedKey{}).(bool)
	return v
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

// authorized refuses requests as AWS does: unsigned, unknown key,
// expired key, a signature scoped to another region, or an operation
// the account denies.
func (s *Server) authorized(w http.ResponseWriter, req *request) bool {
	switch {
	case req.keyID == "":
		req.fail(w, http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token")
	case req.caller == nil || req.regionDisabled:
		req.unknownKey(w)
	case req.caller.expired:
		req.expired(w)
	case req.scope != req.region:
		req.fail(w, http.StatusForbidden, "SignatureDoesNotMatch", fmt.Sprintf("Credential should be scoped to a valid region, not '%s'.", req.scope))
	case req.denied:
		req.accessDenied(w)
	default:
		return true
	}
	return false
}

func (s *Server) dispatch(w http.ResponseWriter, req *request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch req.service {
	case "STS":
		s.sts(w, req)
	case "SSM":
		s.ssm(w, req)
	case "S3 Control":
		s.s3control(w, req)
	case "S3":
		s.s3(w, req)
	case "CloudFormation":
		s.cloudformation(w, req)
	case "IAM":
		s.iam(w, req)
	case "ACM":
		s.acm(w, req)
	case "Route 53":
		s.route53(w, req)
	}
}

// parseAuthorization returns the access key ID and signing region of a
// SigV4 Authorization header. The signature itself is not verified: the
// fake checks who signed and for where, not the SDK's arithmetic.
func parseAuthorization(h string) (keyID, region string) {
	_, rest, ok := strings.Cut(h, "Credential=")
	if !ok {
		return "", ""
	}
	cred, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) < 5 {
		return parts[0], ""
	}
	return parts[0], parts[2]
}

// errUnknownOperation: the request names no operation the fake knows.
var errUnknownOperation = errors.New("unknown operation")
