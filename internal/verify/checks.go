package verify

import (
	"context"
	"crypto/tls"
	"fmt"
	"mime"
	"net/http"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
	"github.com/acme/wellknown/internal/linkfile"
)

// Check names, one row each, in the order they are evaluated.
const (
	CheckTLS         = "tls"
	CheckStatus      = "status"
	CheckContentType = "content-type"
	CheckSize        = "size"
	CheckValid       = "valid"
	CheckMatches     = "matches-local"
	CheckAppleCDN    = "apple-cdn"
	CheckGoogleDAL   = "google-dal"
)

// fileChecks collects one request's rows; once a step makes the rest
// impossible, the remaining checks are skipped with the reason.
type fileChecks struct{ checks []Check }

func (c *fileChecks) add(name string, s Status, format string, args ...any) {
	c.checks = append(c.checks, Check{Name: name, Status: s, Message: fmt.Sprintf(format, args...)})
}

func (c *fileChecks) skip(reason string, names ...string) {
	for _, n := range names {
		c.add(n, Skip, "%s", reason)
	}
}

// checkFile fetches one file and evaluates every serving rule separately.
func (v *Verifier) checkFile(ctx context.Context, t Target, f linkfile.File) (res Result) {
	u := linkfile.URL(t.BaseURL, f.Name)
	r := v.get(ctx, u, linkfile.MaxSize)
	res = Result{Env: t.Env, File: f.Name, URL: u}
	res.setLatency(r.latency)
	var c fileChecks
	defer func() { res.Checks = c.checks }() // every return below has its rows

	if !tlsCheck(&c, r, v.props.CAFile) {
		c.skip("no response", CheckStatus, CheckContentType, CheckSize, CheckValid, CheckMatches)
		return res
	}
	if r.err != nil {
		c.add(CheckStatus, Fail, "%v", r.err)
		c.skip("no response", CheckContentType, CheckSize, CheckValid, CheckMatches)
		return res
	}
	code := r.resp.StatusCode
	if code != http.StatusOK {
		c.add(CheckStatus, Fail, "%s", statusProblem(r.resp))
		c.skip(fmt.Sprintf("no file (status %d)", code), CheckContentType, CheckSize, CheckValid, CheckMatches)
		return res
	}
	c.add(CheckStatus, Pass, "%s", statusText(code))
	contentTypeCheck(&c, r.resp.Header.Get("Content-Type"))

	switch {
	case r.readErr != nil:
		c.add(CheckSize, Fail, "%v", r.readErr)
		c.skip("body incomplete", CheckValid, CheckMatches)
		return res
	case r.tooBig:
		c.add(CheckSize, Fail, "body is over %d bytes (the 128 KiB limit Apple applies); stopped reading there", linkfile.MaxSize)
		c.skip("body over the size limit, not read in full", CheckValid, CheckMatches)
		return res
	}
	c.add(CheckSize, Pass, "%d bytes (limit %d)", len(r.body), linkfile.MaxSize)
	validCheck(&c, f.Name, r.body)
	matchCheck(&c, f, r.body)
	return res
}

// tlsCheck reports the scheme and certificate row and says whether a
// response (or at least a verified connection) exists to check further.
func tlsCheck(c *fileChecks, r response, caFile string) bool {
	switch {
	case r.url == nil:
		c.add(CheckTLS, Fail, "%v", r.err)
		return false
	case r.url.Scheme != "https":
		c.add(CheckTLS, Fail, "scheme is %q; Apple and Google fetch the files only over https", r.url.Scheme)
		return true // the status row then shows what plain http returned
	case r.err != nil && certError(r.err):
		hint := " (for a self-signed test server pass --ca-file)"
		if caFile != "" {
			hint = " (not even with the CA certificates of --ca-file " + caFile + ")"
		}
		c.add(CheckTLS, Fail, "certificate not trusted: %v%s", r.err, hint)
		return false
	case r.err != nil && !r.tlsOK:
		c.add(CheckTLS, Fail, "no connection: %v", r.err)
		return false
	case r.resp != nil && r.resp.TLS != nil:
		c.add(CheckTLS, Pass, "%s, certificate chain verified", tls.VersionName(r.resp.TLS.Version))
	default:
		c.add(CheckTLS, Pass, "handshake completed, certificate chain verified")
	}
	return true
}

func statusProblem(resp *http.Response) string {
	code := resp.StatusCode
	switch {
	case code >= 300 && code < 400:
		loc := resp.Header.Get("Location")
		if loc == "" {
			loc = "(none)"
		}
		return fmt.Sprintf("%s → Location: %s; Apple and Google do not follow redirects, serve the file at this URL", statusText(code), loc)
	case code == http.StatusForbidden:
		return statusText(code) + "; S3 answers 403 for a missing key (listing is not public) or when the bucket policy does not grant public reads: deploy the stack and its files"
	case code == http.StatusNotFound:
		return statusText(code) + "; the file is not deployed at this URL"
	}
	return statusText(code) + ", want 200 OK"
}

func contentTypeCheck(c *fileChecks, ct string) {
	mt, _, err := mime.ParseMediaType(ct)
	switch {
	case ct == "":
		c.add(CheckContentType, Fail, "no Content-Type header, want application/json")
	case err == nil && mt == "application/json":
		c.add(CheckContentType, Pass, "%s", ct)
	default:
		c.add(CheckContentType, Fail, "%q, want application/json (set the content type when uploading the file)", ct)
	}
}

// validCheck applies exactly the validator used at synth.
func validCheck(c *fileChecks, name string, body []byte) {
	ps := linkfile.Validate(name, body)
	var errs, warns []diag.Problem
	for _, p := range ps {
		if p.Severity == diag.Error {
			errs = append(errs, p)
		} else {
			warns = append(warns, p)
		}
	}
	switch {
	case len(errs) > 0:
		c.add(CheckValid, Fail, "%s", summarize(errs))
	case len(warns) > 0:
		c.add(CheckValid, Warn, "%s", summarize(warns))
	default:
		c.add(CheckValid, Pass, "valid %s", name)
	}
}

func summarize(ps []diag.Problem) string {
	p := ps[0]
	s := p.Path + ": " + p.Message
	if p.Fix != "" {
		s += " — " + p.Fix
	}
	if len(ps) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(ps)-1)
	}
	return s
}

func matchCheck(c *fileChecks, f linkfile.File, body []byte) {
	path, err := jsontree.FirstDifference(withoutBOM(f.Data), withoutBOM(body))
	switch {
	case err != nil:
		c.add(CheckMatches, Fail, "served body is not JSON, so it is not %s", f.Path)
	case path != "":
		c.add(CheckMatches, Fail, "differs from %s at %s", f.Path, path)
	default:
		c.add(CheckMatches, Pass, "same JSON as %s", f.Path)
	}
}
