// Package verify fetches deployed link files the way Apple's and Google's
// verifiers do and reports every requirement as a separate check, so that a
// failed deployment says exactly which rule it breaks.
package verify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/acme/wellknown/internal/linkfile"
)

// Default endpoints of the optional third-party checks.
const (
	DefaultAppleCDNURL  = "https://app-site-association.cdn-apple.com/a/v1/"
	DefaultGoogleDALURL = "https://digitalassetlinks.googleapis.com/v1/statements:list"
)

// Props configures a Verifier. Zero durations and counts take the defaults.
type Props struct {
	CAFile      string        // extra trusted CA (PEM), e.g. for a self-signed test server
	Timeout     time.Duration // per request; default 10s
	Deadline    time.Duration // whole run; default 60s
	Concurrency int           // requests in flight; default 8

	AppleCDN     bool   // also compare Apple's CDN copy of the AASA file
	AppleCDNURL  string // default DefaultAppleCDNURL; <host> is appended
	GoogleDAL    bool   // also query the Digital Asset Links API
	GoogleDALURL string // default DefaultGoogleDALURL
}

// Target is one environment's deployment: its local files and where they
// are served. Files are fetched from BaseURL + ".well-known/" + name.
type Target struct {
	Env     string
	BaseURL string // ends in "/"
	Files   []linkfile.File
}

// Verifier runs the checks with one HTTP client for the whole run.
type Verifier struct {
	props  Props
	client *http.Client
}

// New builds a Verifier whose client trusts the system roots plus
// props.CAFile and never follows redirects: both verifiers treat a redirect
// as failure, so following one would hide the problem.
func New(props Props) (*Verifier, error) {
	if props.Timeout <= 0 {
		props.Timeout = 10 * time.Second
	}
	if props.Deadline <= 0 {
		props.Deadline = 60 * time.Second
	}
	if props.Concurrency <= 0 {
		props.Concurrency = 8
	}
	if props.AppleCDNURL == "" {
		props.AppleCDNURL = DefaultAppleCDNURL
	}
	if props.GoogleDALURL == "" {
		props.GoogleDALURL = DefaultGoogleDALURL
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool() // no system pool (e.g. minimal container): --ca-file only
	}
	if props.CAFile != "" {
		pem, err := os.ReadFile(props.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--ca-file: %w", err)
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca-file %s: no PEM certificate found", props.CAFile)
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	client := &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Verifier{props: props, client: client}, nil
}

// Run fetches everything, at most Concurrency requests at a time, and
// returns the results in a stable order: per target, its files in
// linkfile.Names order, then the Apple CDN and Google checks.
func (v *Verifier) Run(ctx context.Context, targets []Target) Report {
	ctx, cancel := context.WithTimeout(ctx, v.props.Deadline)
	defer cancel()
	var tasks []func() Result
	for _, t := range targets {
		for _, f := range t.Files {
			tasks = append(tasks, func() Result { return v.checkFile(ctx, t, f) })
		}
		if f, ok := find(t.Files, linkfile.AppleAppSiteAssociation); ok && v.props.AppleCDN {
			tasks = append(tasks, func() Result { return v.checkAppleCDN(ctx, t, f) })
		}
		if f, ok := find(t.Files, linkfile.AssetLinks); ok && v.props.GoogleDAL {
			tasks = append(tasks, func() Result { return v.checkGoogleDAL(ctx, t, f) })
		}
	}
	results := make([]Result, len(tasks))
	sem := make(chan struct{}, v.props.Concurrency)
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = task()
		}()
	}
	wg.Wait()
	return newReport(results)
}

func find(files []linkfile.File, name string) (linkfile.File, bool) {
	for _, f := range files {
		if f.Name == name {
			return f, true
		}
	}
	return linkfile.File{}, false
}
