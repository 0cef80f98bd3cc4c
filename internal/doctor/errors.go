package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// CredentialsError means no check could run because of the credentials
// themselves: none found, expired, or not recognised by AWS. The command
// exits 2 for it, like a configuration error.
type CredentialsError struct {
	Err  error
	Hint string
}

func (e *CredentialsError) Error() string { return e.Err.Error() }
func (e *CredentialsError) Unwrap() error { return e.Err }

const loginHint = "Configure credentials as for the AWS CLI: --profile NAME or AWS_PROFILE " +
	"(after `aws sso login --profile NAME` for IAM Identity Center), " +
	"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance or container role."

func noCredentials(err error) *CredentialsError {
	return &CredentialsError{Err: fmt.Errorf("no usable AWS credentials: %w", err), Hint: loginHint}
}

// credentialCodes are the error codes with which AWS services refuse the
// credentials rather than the request.
var credentialCodes = map[string]string{
	"ExpiredToken":                "expired",
	"ExpiredTokenException":       "expired",
	"RequestExpired":              "", // clock skew, not the credentials
	"InvalidClientTokenId":        "invalid",
	"UnrecognizedClientException": "invalid",
	"InvalidAccessKeyId":          "invalid",
	"SignatureDoesNotMatch":       "invalid",
	"InvalidSignatureException":   "invalid",
	"MissingAuthenticationToken":  "invalid",
}

// credentialsProblem returns a *CredentialsError when AWS refused the
// credentials themselves.
func credentialsProblem(err error) *CredentialsError {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return nil
	}
	switch credentialCodes[api.ErrorCode()] {
	case "expired":
		return &CredentialsError{
			Err:  fmt.Errorf("the AWS credentials have expired (%s: %s)", api.ErrorCode(), api.ErrorMessage()),
			Hint: "Sign in again (e.g. `aws sso login --profile NAME`) or refresh AWS_SESSION_TOKEN, then run doctor again.",
		}
	case "invalid":
		return &CredentialsError{
			Err:  fmt.Errorf("AWS does not accept these credentials (%s: %s)", api.ErrorCode(), api.ErrorMessage()),
			Hint: "Check the access key and secret, or the profile they come from. " + loginHint,
		}
	}
	return nil
}

// failure is a call that got no usable answer, as a row's message and fix.
type failure struct{ message, fix string }

// describe turns an SDK error into one sentence a person can act on:
// which timeout fired, that AWS kept throttling, that something other
// than AWS answered, or AWS's own error code and message.
func describe(ctx context.Context, err error, timeout time.Duration) failure {
	var (
		attempts *retry.MaxAttemptsError
		deser    *smithy.DeserializationError
		api      smithy.APIError
		notRO    *ErrNotReadOnly
	)
	switch {
	case errors.As(err, &notRO):
		return failure{message: notRO.Error()}
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		return failure{
			message: fmt.Sprintf("no answer within %s (--timeout)", timeout),
			fix:     "check the network path to AWS (proxy, VPN) or run again with a longer --timeout",
		}
	case errors.As(err, &attempts) && isThrottle(err):
		return failure{
			message: fmt.Sprintf("AWS throttled all %d attempts (%s)", attempts.Attempt, apiText(err)),
			fix:     "run again in a minute; if it persists, something else in the account is calling this API heavily",
		}
	case errors.As(err, &deser):
		return failure{
			message: fmt.Sprintf("unexpected response%s that is not an AWS answer: %v", responseSummary(err), innermost(deser.Err)),
			fix:     "something other than AWS answered (a proxy, firewall or captive portal?): check HTTPS_PROXY, AWS_CA_BUNDLE and AWS_ENDPOINT_URL",
		}
	case strings.HasPrefix(responseHeader(err, "Content-Type"), "text/html"):
		// AWS APIs answer XML or JSON; an HTML page (often a 502 on a
		// HEAD, which has no body to misparse) comes from something else.
		return failure{
			message: fmt.Sprintf("unexpected response%s that is not an AWS answer", responseSummary(err)),
			fix:     "something other than AWS answered (a proxy, firewall or captive portal?): check HTTPS_PROXY, AWS_CA_BUNDLE and AWS_ENDPOINT_URL",
		}
	case errors.As(err, &api):
		msg := "AWS answered " + apiText(err)
		if errors.As(err, &attempts) {
			msg += fmt.Sprintf(" to all %d attempts", attempts.Attempt)
		}
		return failure{message: msg}
	}
	if f, ok := connectionFailure(err); ok {
		return f
	}
	return failure{message: innermost(err).Error()}
}

// connectionFailure describes a failure to reach AWS at all — TLS trust,
// DNS, the connection — which is never an answer from AWS.
func connectionFailure(err error) (failure, bool) {
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	if errors.As(err, &certErr) || errors.As(err, &unknownCA) {
		return failure{
			message: "the TLS certificate is not trusted: " + innermost(err).Error(),
			fix:     "behind a TLS-inspecting proxy, point AWS_CA_BUNDLE at the proxy's CA certificate (PEM)",
		}, true
	}
	var dns *net.DNSError
	var opErr *net.OpError
	if errors.As(err, &dns) || errors.As(err, &opErr) {
		return failure{
			message: "no connection to AWS: " + innermost(err).Error(),
			fix:     "check the network path to AWS (DNS, proxy via HTTPS_PROXY, VPN)",
		}, true
	}
	return failure{}, false
}

func isThrottle(err error) bool {
	return retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary
}

// apiText is "Code: message" of an AWS error, or its text.
func apiText(err error) string {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return innermost(err).Error()
	}
	if msg := api.ErrorMessage(); msg != "" && msg != api.ErrorCode() {
		return api.ErrorCode() + ": " + msg
	}
	return api.ErrorCode()
}

// errorCode is the AWS error code of err, or "".
func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// httpStatus is the HTTP status of the response behind err, or 0.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// responseHeader is a header of the response behind err.
func responseHeader(err error, name string) string {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.Header.Get(name)
	}
	return ""
}

func responseSummary(err error) string {
	status := httpStatus(err)
	if status == 0 {
		return ""
	}
	if ct := responseHeader(err, "Content-Type"); ct != "" {
		return fmt.Sprintf(" (HTTP %d, %s)", status, ct)
	}
	return fmt.Sprintf(" (HTTP %d)", status)
}

// innermost strips the SDK's "operation error X: Y, https response error
// StatusCode: …" layers down to the cause, which is what people can read.
func innermost(err error) error {
	for {
		var op *smithy.OperationError
		var re *awshttp.ResponseError
		var ue *url.Error
		switch {
		case errors.As(err, &op) && op.Err != nil && op.Err != err:
			err = op.Err
		case errors.As(err, &re) && re.Err != nil && error(re) != re.Err:
			err = re.Err
		case errors.As(err, &ue) && ue.Err != nil:
			err = ue.Err
		default:
			return trimPrefixes(err)
		}
	}
}

// trimPrefixes drops the SDK's wrapping prefixes that carry no news.
func trimPrefixes(err error) error {
	msg := err.Error()
	for _, p := range []string{"failed to refresh cached credentials, ", "get identity: ", "get credentials: "} {
		msg = strings.ReplaceAll(msg, p, "")
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}
