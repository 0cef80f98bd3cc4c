package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/acme/wellknown/internal/verify"
)

var verifyCommand = command{
	name:    "verify",
	args:    "[--env NAME]… [--base-url URL] [--ca-file PEM] [--timeout DURATION] [--json]",
	summary: "fetch the deployed files and check they are served as Apple and Google require",
	help: `After "cdk deploy", fetches <base>/.well-known/<file> for every file each
selected environment has locally (default: all environments) and checks,
each as its own row: tls (https, verified chain), status (200, redirects
are not followed), content-type (application/json), size (≤ 128 KiB),
valid (the synth-time validator) and matches-local (same JSON as the local
file; the first differing path is named). The base defaults to the
environment's redirect URL; --base-url overrides it for every selected
environment (e.g. a staging host or a local test server); it takes no query,
fragment, user name or password. An environment
with a custom domain is fetched on its domain; with "keepS3Public" its S3
host is checked as well.

--apple-cdn also compares Apple's CDN copy (404 = not ingested yet, a
warning); --google-dal asks the Digital Asset Links API whether every
android_app target is listed.

Exit 0 when every check passes (warnings allowed), 1 when one fails, 2 for
usage or configuration errors.`,
	run: runVerify,
}

func runVerify(s *session, c command, args []string) error {
	fs := s.flags(c)
	var envs envList
	fs.Var(&envs, "env", "environment `NAME` to verify (repeatable; default: all)")
	baseURL := fs.String("base-url", "", "fetch from `URL`/.well-known/… instead of each environment's redirect URL")
	caFile := fs.String("ca-file", "", "also trust the CA certificates in `PEM` (self-signed test servers)")
	timeout := fs.Duration("timeout", 10*time.Second, "timeout of each request")
	deadline := fs.Duration("deadline", 60*time.Second, "timeout of the whole run")
	concurrency := fs.Int("concurrency", 8, "requests in flight at once")
	s.jsonFlag(fs, "print the results as JSON")
	appleCDN := fs.Bool("apple-cdn", false, "also check Apple's CDN copy of apple-app-site-association")
	appleCDNURL := fs.String("apple-cdn-url", verify.DefaultAppleCDNURL, "Apple CDN base `URL`; the host is appended")
	googleDAL := fs.Bool("google-dal", false, "also query the Digital Asset Links API for the android_app targets")
	googleDALURL := fs.String("google-dal-url", verify.DefaultGoogleDALURL, "Digital Asset Links statements:list `URL`")
	pos, err := s.parse(c, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usageError(c, "unexpected argument %q", pos[0])
	case *timeout <= 0 || *deadline <= 0 || *concurrency <= 0:
		return usageError(c, "--timeout, --deadline and --concurrency must be positive")
	}
	for _, f := range []struct{ name, value string }{{"base-url", *baseURL}, {"apple-cdn-url", *appleCDNURL}, {"google-dal-url", *googleDALURL}} {
		if err := noUserinfo(c, f.name, f.value); err != nil {
			return err
		}
	}
	base := ""
	if *baseURL != "" {
		u, err := url.Parse(*baseURL)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
			return usageError(c, "--base-url %q: want an absolute URL such as https://links.example.com", shownURL(*baseURL))
		case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(*baseURL, "#"):
			// The files are fetched at <base>/.well-known/<file>; a query or
			// fragment would be dropped or end up in the wrong place.
			return usageError(c, "--base-url %q: remove the query or fragment; the files are fetched at <base>/.well-known/<file>", *baseURL)
		}
		base = strings.TrimRight(*baseURL, "/") + "/"
	}
	v, err := verify.New(verify.Props{
		CAFile: *caFile, Timeout: *timeout, Deadline: *deadline, Concurrency: *concurrency,
		AppleCDN: *appleCDN, AppleCDNURL: *appleCDNURL, GoogleDAL: *googleDAL, GoogleDALURL: *googleDALURL,
	})
	if err != nil {
		return usageError(c, "%v", err)
	}
	// Comparing against broken local files would only repeat `check`.
	res, err := s.loadValidTargets(c, envs.sel, "the local files above are invalid; fix them (wellknown check) before verifying the deployment")
	if err != nil {
		return err
	}
	var targets []verify.Target
	for _, t := range res.Targets {
		b := t.Env.RedirectURL()
		if base != "" {
			b = base
		}
		targets = append(targets, verify.Target{Env: t.Env.Name, BaseURL: b, Files: t.Files})
		// While a domain keeps S3 public, installed apps and the Alexa
		// console may still use the S3 host: it must serve correctly too.
		if base == "" && t.Env.Domain != nil && t.Env.Domain.KeepS3Public {
			targets = append(targets, verify.Target{Env: t.Env.Name + " (S3)", BaseURL: t.Env.S3URL(), Files: t.Files})
		}
	}
	if base != "" && len(targets) > 1 {
		fmt.Fprintf(s.stderr, "wellknown verify: note: --base-url %s is used for all %d selected environments\n", base, len(targets))
	}

	rep := v.Run(context.Background(), targets)
	if s.json {
		out := struct {
			OK      bool   `json:"ok"`
			BaseURL string `json:"base_url,omitempty"`
			verify.Report
		}{rep.OK(), base, rep}
		err = writeJSON(s.stdout, out)
	} else {
		for _, t := range targets {
			fmt.Fprintf(s.stdout, "%s: %s.well-known/\n", t.Env, t.BaseURL)
		}
		fmt.Fprintln(s.stdout)
		err = rep.WriteText(s.stdout)
	}
	return reported(err, rep.Tally)
}

// noUserinfo refuses a URL flag with a user name or password in it. Apple
// and Google fetch the files anonymously, so a check with credentials
// would prove nothing about what they see; and the URL is printed in the
// report and in --json, which would show the password. The message shows
// the URL without them.
func noUserinfo(c command, flag, raw string) error {
	u, err := url.Parse(raw)
	if err == nil && u.User == nil {
		return nil
	}
	if err == nil || strings.Contains(raw, "@") {
		// An "@" in a URL that does not even parse may still end a
		// password; it is refused the same way, never echoed.
		return usageError(c, "--%s %q: remove the user name and password; Apple and Google fetch the files without credentials, and so does verify", flag, shownURL(raw))
	}
	return nil // not a URL at all: the flag's own check says so
}

// shownURL is raw as a message may show it: everything between the scheme
// and the last "@" (a user name and password) replaced by "…". The last
// "@", not the authority's: an unencoded "/", "?" or "#" in a password
// would end the authority early and leave the rest of it in view.
func shownURL(raw string) string {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return raw
	}
	if scheme, _, ok := strings.Cut(raw[:at], "://"); ok {
		return scheme + "://…" + raw[at:]
	}
	return "…" + raw[at:]
}
