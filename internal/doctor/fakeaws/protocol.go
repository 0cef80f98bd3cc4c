package fakeaws

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// route is what the host name says: the service, the region, and for S3
// Control and virtual-hosted S3 the account or bucket in the host prefix.
type route struct {
	service   string
	region    string
	accountID string // S3 Control: {AccountId}.s3-control.{region}…
	bucket    string // S3 virtual-hosted style: {bucket}.s3.{region}…
	suffix    string // amazonaws.com or amazonaws.com.cn
}

// parseHost recognises the endpoints of the services, in the commercial,
// China and GovCloud partitions, as the SDK's endpoint rules build them.
// IAM and Route 53 are global: one endpoint per partition, signed for the
// partition's home region (us-east-1, cn-north-1 / cn-northwest-1,
// us-gov-west-1), which is what the route's region is then.
func parseHost(hostport string) (route, bool) {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	var rt route
	var rest string
	for _, suffix := range []string{".amazonaws.com.cn", ".amazonaws.com"} {
		if r, ok := strings.CutSuffix(host, suffix); ok {
			rt.suffix, rest = suffix[1:], r
			break
		}
	}
	if rt.suffix == "" {
		return rt, false
	}
	labels := strings.Split(rest, ".")
	global := func() string { // the partition's global endpoints sign for this region
		if rt.suffix == "amazonaws.com.cn" {
			return "cn-north-1"
		}
		return "us-east-1"
	}
	switch {
	case len(labels) == 1 && labels[0] == "sts":
		rt.service, rt.region = "STS", global()
	case len(labels) == 2 && labels[0] == "sts":
		rt.service, rt.region = "STS", labels[1]
	case len(labels) == 2 && labels[0] == "ssm":
		rt.service, rt.region = "SSM", labels[1]
	case len(labels) == 2 && labels[0] == "cloudformation":
		rt.service, rt.region = "CloudFormation", labels[1]
	case len(labels) == 1 && labels[0] == "iam" && rt.suffix == "amazonaws.com":
		rt.service, rt.region = "IAM", "us-east-1"
	case len(labels) == 2 && labels[0] == "iam" && labels[1] == "cn-north-1" && rt.suffix == "amazonaws.com.cn":
		rt.service, rt.region = "IAM", "cn-north-1"
	case len(labels) == 2 && labels[0] == "iam" && labels[1] == "us-gov":
		rt.service, rt.region = "IAM", "us-gov-west-1"
	case len(labels) == 2 && labels[0] == "acm":
		rt.service, rt.region = "ACM", labels[1]
	case len(labels) == 1 && labels[0] == "route53":
		rt.service, rt.region = "Route 53", map[string]string{"amazonaws.com": "us-east-1", "amazonaws.com.cn": "cn-northwest-1"}[rt.suffix]
	case len(labels) == 2 && labels[0] == "route53" && labels[1] == "us-gov":
		rt.service, rt.region = "Route 53", "us-gov-west-1"
	case len(labels) == 3 && labels[1] == "s3-control":
		rt.service, rt.accountID, rt.region = "S3 Control", labels[0], labels[2]
	case len(labels) == 1 && labels[0] == "s3":
		rt.service, rt.region = "S3", global()
	case len(labels) == 2 && labels[0] == "s3":
		rt.service, rt.region = "S3", labels[1]
	case len(labels) == 2 && labels[1] == "s3":
		rt.service, rt.bucket, rt.region = "S3", labels[0], global()
	case len(labels) == 3 && labels[1] == "s3":
		rt.service, rt.bucket, rt.region = "S3", labels[0], labels[2]
	default:
		return rt, false
	}
	return rt, true
}

// identify sets the operation name from the protocol: the Action form
// field (query), X-Amz-Target (JSON 1.1), or method and path (REST).
func (r *request) identify() error {
	switch r.service {
	case "STS", "CloudFormation", "IAM":
		if err := r.ParseForm(); err != nil {
			return err
		}
		r.operation = r.PostForm.Get("Action")
	case "SSM", "ACM":
		prefix := map[string]string{"SSM": "AmazonSSM.", "ACM": "CertificateManager."}[r.service]
		target, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), prefix)
		if !ok {
			return errUnknownOperation
		}
		r.operation = target
	case "Route 53":
		r.operation = route53Operation(r.Method, r.URL.Path)
	case "S3 Control":
		r.operation = s3ControlOperation(r.Method, r.URL.Path)
	case "S3":
		r.operation = s3Operation(r)
	}
	if r.operation == "" {
		return errUnknownOperation
	}
	return nil
}

func s3ControlOperation(method, path string) string {
	if path != "/v20180820/configuration/publicAccessBlock" {
		return ""
	}
	switch method {
	case http.MethodGet:
		return "GetPublicAccessBlock"
	case http.MethodPut:
		return "PutPublicAccessBlock"
	case http.MethodDelete:
		return "DeletePublicAccessBlock"
	}
	return ""
}

// s3Operation names bucket-level S3 requests, in both addressing styles.
// Unknown subresources stay unnamed.
func s3Operation(r *request) string {
	bucket, key := r.bucket, strings.TrimPrefix(r.URL.Path, "/")
	if bucket == "" { // path style: /{bucket}/{key}
		bucket, key, _ = strings.Cut(key, "/")
		r.route.bucket = bucket
	}
	if bucket == "" || key != "" {
		return ""
	}
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodHead && len(q) == 0:
		return "HeadBucket"
	case r.Method == http.MethodGet && q.Has("location"):
		return "GetBucketLocation"
	case r.Method == http.MethodGet && q.Has("policy"):
		return "GetBucketPolicy"
	case r.Method == http.MethodPut && q.Has("policy"):
		return "PutBucketPolicy"
	case r.Method == http.MethodPut && len(q) == 0:
		return "CreateBucket"
	case r.Method == http.MethodDelete && len(q) == 0:
		return "DeleteBucket"
	}
	return ""
}

// Namespaces of the services' XML.
var xmlns = map[string]string{
	"STS":            "https://sts.amazonaws.com/doc/2011-06-15/",
	"CloudFormation": "http://cloudformation.amazonaws.com/doc/2010-05-15/",
	"IAM":            "https://iam.amazonaws.com/doc/2010-05-08/",
	"Route 53":       "https://route53.amazonaws.com/doc/2013-04-01/",
	"S3":             "http://s3.amazonaws.com/doc/2006-03-01/",
	"S3 Control":     "http://awss3control.amazonaws.com/doc/2018-08-20/",
}

// jsonProtocol: the services that speak AWS JSON 1.1.
func (r *request) jsonProtocol() bool { return r.service == "SSM" || r.service == "ACM" }

func (r *request) contentType() string {
	switch {
	case r.jsonProtocol():
		return "application/x-amz-json-1.1"
	case r.service == "S3", r.service == "S3 Control":
		return "application/xml"
	}
	return "text/xml"
}

// fail writes an error in the service's own shape:
//   - query (STS, CloudFormation, IAM) and Route 53: <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
//   - JSON 1.1 (SSM, ACM): {"__type": code, "message": …}
//   - S3 Control: <ErrorResponse><Error><Code/><Message/></Error><RequestId/><HostId/></ErrorResponse>
//   - S3: <Error><Code/><Message/><RequestId/><HostId/></Error>, and no body at all for HEAD
func (r *request) fail(w http.ResponseWriter, status int, code, message string) {
	h := w.Header()
	h.Set("Content-Type", r.contentType())
	switch r.service {
	case "SSM", "ACM":
		h.Set("x-amzn-RequestId", r.requestID)
		w.WriteHeader(status)
		body := map[string]string{"__type": code}
		if message != "" {
			body["message"] = message
		}
		json.NewEncoder(w).Encode(body)
	case "STS", "CloudFormation", "IAM", "Route 53":
		h.Set("x-amzn-RequestId", r.requestID)
		w.WriteHeader(status)
		kind := "Sender"
		if status >= 500 {
			kind = "Receiver"
		}
		fmt.Fprintf(w, `<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
			xmlns[r.service], kind, esc(code), esc(message), r.requestID)
	case "S3 Control":
		h.Set("x-amz-request-id", r.requestID)
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<ErrorResponse><Error><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId><HostId>fakeaws</HostId></ErrorResponse>`,
			esc(code), esc(message), r.requestID)
	case "S3":
		h.Set("x-amz-request-id", r.requestID)
		h.Set("x-amz-id-2", "fakeaws")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId><HostId>fakeaws</HostId></Error>`,
				esc(code), esc(message), r.requestID)
		}
	}
}

func (r *request) unknownKey(w http.ResponseWriter) {
	switch r.service {
	case "SSM", "ACM":
		r.fail(w, http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid.")
	case "S3", "S3 Control":
		r.fail(w, http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
	default:
		r.fail(w, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
	}
}

func (r *request) expired(w http.ResponseWriter) {
	switch r.service {
	case "SSM", "ACM":
		r.fail(w, http.StatusBadRequest, "ExpiredTokenException", "The security token included in the request is expired")
	case "S3", "S3 Control":
		r.fail(w, http.StatusBadRequest, "ExpiredToken", "The provided token has expired.")
	default:
		r.fail(w, http.StatusForbidden, "ExpiredToken", "The security token included in the request is expired")
	}
}

func (r *request) accessDenied(w http.ResponseWriter) {
	action := map[string]string{"STS": "sts", "SSM": "ssm", "CloudFormation": "cloudformation", "S3": "s3", "S3 Control": "s3",
		"IAM": "iam", "ACM": "acm", "Route 53": "route53"}[r.service] + ":" + r.operation
	msg := fmt.Sprintf("User: %s is not authorized to perform: %s because no identity-based policy allows the %s action", r.caller.arn, action, action)
	switch r.service {
	case "SSM", "ACM":
		r.fail(w, http.StatusBadRequest, "AccessDeniedException", msg)
	case "S3", "S3 Control":
		r.fail(w, http.StatusForbidden, "AccessDenied", "Access Denied")
	case "Route 53":
		r.fail(w, http.StatusForbidden, "AccessDenied", fmt.Sprintf("User: %s is not authorized to access this resource", r.caller.arn))
	default:
		r.fail(w, http.StatusForbidden, "AccessDenied", msg)
	}
}

// throttle answers with the service's throttling error.
func (s *Server) throttle(w http.ResponseWriter, r *request) {
	switch r.service {
	case "SSM", "ACM":
		r.fail(w, http.StatusBadRequest, "ThrottlingException", "Rate exceeded")
	case "S3", "S3 Control":
		r.fail(w, http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
	default:
		r.fail(w, http.StatusBadRequest, "Throttling", "Rate exceeded")
	}
}

// garbage answers what a captive portal or a broken proxy answers.
func garbage(w http.ResponseWriter, r *request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	io.WriteString(w, "<html><head><title>Sign in to continue</title></head><body><form action=/login>Network login required</form></body></html>")
}

// writeXML writes a 200 answer.
func (r *request) writeXML(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", r.contentType())
	if r.service == "S3" || r.service == "S3 Control" {
		w.Header().Set("x-amz-request-id", r.requestID)
	} else {
		w.Header().Set("x-amzn-RequestId", r.requestID)
	}
	io.WriteString(w, body)
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// formValue is a query-protocol parameter.
func (r *request) formValue(name string) string { return r.PostForm.Get(name) }
