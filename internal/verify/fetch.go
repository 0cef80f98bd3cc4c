package verify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/acme/wellknown/internal/jsontree"
)

// response is what one GET produced. When err is set nothing was received;
// readErr means the headers arrived but the body did not.
type response struct {
	url     *url.URL
	resp    *http.Response // Body already drained and closed
	body    []byte         // at most limit+1 bytes
	tooBig  bool
	latency time.Duration
	tlsOK   bool // a TLS handshake with a verified chain completed
	err     error
	readErr error
}

// get fetches rawURL with the per-request timeout, reading at most limit+1
// bytes so an oversized body is detected without reading it all.
func (v *Verifier) get(ctx context.Context, rawURL string, limit int64) response {
	var r response
	u, err := url.Parse(rawURL)
	if err != nil {
		r.err = err
		return r
	}
	r.url = u
	reqCtx, cancel := context.WithTimeout(ctx, v.props.Timeout)
	defer cancel()
	// Trace callbacks run on transport goroutines, hence the atomic.
	var handshake atomic.Bool
	trace := &httptrace.ClientTrace{
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) { handshake.Store(err == nil) },
		GotConn: func(info httptrace.GotConnInfo) {
			if info.Reused && u.Scheme == "https" {
				handshake.Store(true) // verified when the connection was made
			}
		},
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(reqCtx, trace), http.MethodGet, rawURL, nil)
	if err != nil {
		r.err = err
		return r
	}
	req.Header.Set("User-Agent", "wellknown-verify/1")
	start := time.Now()
	resp, err := v.client.Do(req)
	if err != nil {
		r.latency, r.tlsOK = time.Since(start), handshake.Load()
		r.err = describe(err, ctx, v.props.Timeout, v.props.Deadline)
		return r
	}
	defer resp.Body.Close()
	r.resp = resp
	r.tlsOK = resp.TLS != nil
	r.body, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	r.latency = time.Since(start)
	if err != nil {
		r.readErr = describeBody(err, len(r.body), ctx, v.props.Timeout, v.props.Deadline)
	}
	r.tooBig = int64(len(r.body)) > limit
	return r
}

// describe turns transport errors into one readable sentence: which
// timeout fired, or the innermost cause without Go's "Get <url>:" prefix.
func describe(err error, run context.Context, timeout, deadline time.Duration) error {
	switch {
	case run.Err() != nil:
		return fmt.Errorf("run deadline of %s reached before a response (--deadline)", deadline)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Errorf("no response within %s (--timeout)", timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// describeBody explains a body that stopped arriving after the headers
// did: the server answered, so "no response" would send people looking in
// the wrong place.
func describeBody(err error, got int, run context.Context, timeout, deadline time.Duration) error {
	switch {
	case run.Err() != nil:
		return fmt.Errorf("the body was still arriving when the run deadline of %s was reached (--deadline); %d bytes received", deadline, got)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Errorf("the headers arrived but the body did not arrive in full within %s (--timeout); %d bytes received", timeout, got)
	}
	return fmt.Errorf("body not received in full after %d bytes: %v", got, describe(err, run, timeout, deadline))
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// certError reports whether err is a failed certificate verification.
func certError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// withoutBOM lets content be compared separately from the BOM, which the
// "valid" check already reports.
func withoutBOM(b []byte) []byte { return bytes.TrimPrefix(b, jsontree.BOM) }

func statusText(code int) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", code, http.StatusText(code)))
}
