// Package handoff derives, from the configuration and the link files, the
// exact values the app and account-linking teams must enter elsewhere: the
// redirect URL for the Alexa console and the identity provider, the iOS
// associated-domains entitlement and the Android intent filter.
package handoff

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/acme/wellknown/internal/linkfile"
	"github.com/acme/wellknown/internal/preflight"
)

// entitlement is the iOS entitlement key holding associated domains.
const entitlement = "com.apple.developer.associated-domains"

// Env is everything handed off for one environment.
type Env struct {
	Name        string `json:"env"`
	Stack       string `json:"stack"`
	Account     string `json:"account"`
	Region      string `json:"region"`
	Host        string `json:"host"`
	RedirectURL string `json:"redirect_url"`
	// S3Host is the bucket's host while a custom domain keeps S3 public:
	// the host being migrated away from, which apps built before the move
	// and linked accounts still name.
	S3Host string `json:"s3_host,omitempty"`
	// AlexaRedirectURLs go to the Alexa developer console (Account linking →
	// Your Redirect URLs) and IdPCallbackURLs to the identity provider's
	// app client; both hold the same bytes because they are compared exactly.
	// During a migration (S3Host set) they hold the domain's URL, then the
	// S3 host's, which stays until the migration is done.
	AlexaRedirectURLs []string `json:"alexa_redirect_urls"`
	IdPCallbackURLs   []string `json:"idp_callback_urls"`
	IOS               *IOS     `json:"ios,omitempty"`
	Android           *Android `json:"android,omitempty"`
}

// IOS is present when the environment publishes an AASA file.
type IOS struct {
	Entitlement          string   `json:"entitlement"`
	AssociatedDomains    []string `json:"associated_domains"`
	AppLinksAppIDs       []string `json:"applinks_app_ids"`
	WebCredentialsAppIDs []string `json:"webcredentials_app_ids,omitempty"`
	AppClipsAppIDs       []string `json:"appclips_app_ids,omitempty"`
}

// Android is present when the environment publishes android_app targets.
type Android struct {
	Scheme       string       `json:"scheme"`
	Host         string       `json:"host"`
	AutoVerify   bool         `json:"auto_verify"`
	IntentFilter string       `json:"intent_filter"`
	Apps         []AndroidApp `json:"apps"`
}

// AndroidApp is one android_app statement of assetlinks.json.
type AndroidApp struct {
	PackageName  string   `json:"package_name"`
	Fingerprints []string `json:"sha256_cert_fingerprints"`
	Relations    []string `json:"relations"`
}

// Build derives the hand-off of a preflight target (an environment whose
// files passed validation).
func Build(t preflight.Target) (Env, error) {
	e := t.Env
	url := e.RedirectURL()
	urls, hosts := []string{url}, []string{e.Host()}
	out := Env{Name: e.Name, Stack: e.StackName(), Account: e.Account, Region: e.Region, Host: e.Host(), RedirectURL: url}
	if e.Domain != nil && e.Domain.KeepS3Public {
		// The README's migration adds the domain's values and keeps the S3
		// host's until installed apps and linked accounts no longer use
		// it, so both are handed on, the new one first.
		out.S3Host = strings.TrimSuffix(strings.TrimPrefix(e.S3URL(), "https://"), "/")
		urls, hosts = append(urls, e.S3URL()), append(hosts, out.S3Host)
	}
	out.AlexaRedirectURLs, out.IdPCallbackURLs = urls, slices.Clone(urls)
	for _, f := range t.Files {
		switch f.Name {
		case linkfile.AppleAppSiteAssociation:
			info, err := linkfile.ParseAASA(f.Data)
			if err != nil {
				return Env{}, fmt.Errorf("%s: %w", f.Path, err)
			}
			out.IOS = buildIOS(hosts, info)
		case linkfile.AssetLinks:
			info, err := linkfile.ParseAssetLinks(f.Data)
			if err != nil {
				return Env{}, fmt.Errorf("%s: %w", f.Path, err)
			}
			out.Android = buildAndroid(e.Host(), info)
		}
	}
	return out, nil
}

// buildIOS lists the associated domains of every host, host by host.
func buildIOS(hosts []string, info linkfile.AASAInfo) *IOS {
	ios := &IOS{Entitlement: entitlement, AppLinksAppIDs: info.AppLinksAppIDs,
		WebCredentialsAppIDs: info.WebCredentialsAppIDs, AppClipsAppIDs: info.AppClipsAppIDs}
	// Only services the file declares: an entitlement without a matching
	// section makes iOS fetch the file for nothing.
	for _, host := range hosts {
		for _, s := range []struct {
			service string
			ids     []string
		}{{"applinks", info.AppLinksAppIDs}, {"webcredentials", info.WebCredentialsAppIDs}, {"appclips", info.AppClipsAppIDs}} {
			if len(s.ids) > 0 {
				ios.AssociatedDomains = append(ios.AssociatedDomains, s.service+":"+host)
			}
		}
	}
	if ios.AppLinksAppIDs == nil {
		ios.AppLinksAppIDs = []string{}
	}
	return ios
}

func buildAndroid(host string, info linkfile.AssetLinksInfo) *Android {
	if len(info.AndroidApps) == 0 {
		return nil
	}
	a := &Android{Scheme: "https", Host: host, AutoVerify: true, IntentFilter: intentFilter(host)}
	for _, app := range info.AndroidApps {
		a.Apps = append(a.Apps, AndroidApp{PackageName: app.PackageName, Fingerprints: app.Fingerprints, Relations: app.Relations})
	}
	return a
}

// intentFilter is the AndroidManifest.xml snippet for App Links on host.
// autoVerify makes Android fetch assetlinks.json at install; only https is
// listed because verification happens over https anyway.
func intentFilter(host string) string {
	return `<intent-filter android:autoVerify="true">
    <action android:name="android.intent.action.VIEW" />
    <category android:name="android.intent.category.DEFAULT" />
    <category android:name="android.intent.category.BROWSABLE" />
    <data android:scheme="https" />
    <data android:host="` + host + `" />
</intent-filter>`
}

// WriteJSON writes {"environments": [...]}.
func WriteJSON(w io.Writer, envs []Env) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // keep the intent filter's < > readable
	if envs == nil {
		envs = []Env{}
	}
	return enc.Encode(struct {
		Environments []Env `json:"environments"`
	}{envs})
}

// WriteText writes one section per environment, in the order people need
// the values.
func WriteText(w io.Writer, envs []Env) error {
	var b strings.Builder
	for i, e := range envs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "== %s (stack %s, account %s, region %s) ==\n\n", e.Name, e.Stack, e.Account, e.Region)
		b.WriteString("Alexa developer console → your skill → Account linking → Your Redirect URLs:\n")
		writeList(&b, e.AlexaRedirectURLs)
		if e.S3Host != "" {
			b.WriteString("  (the second, the S3 URL, is the one being migrated away from: keep it until the migration below is done)\n")
		}
		b.WriteString("\nIdentity provider → app client → allowed callback URLs:\n")
		writeList(&b, e.IdPCallbackURLs)
		if e.S3Host != "" {
			b.WriteString("  (must match the Alexa values byte for byte, trailing slash included; the second is the S3 URL being migrated away from)\n")
		} else {
			b.WriteString("  (must match the Alexa value byte for byte, trailing slash included)\n")
		}
		writeIOS(&b, e.IOS, e.S3Host)
		writeAndroid(&b, e.Android)
		if e.S3Host != "" {
			fmt.Fprintf(&b, "\nMigration from %s to %s (keepS3Public): both serve the files. Keep the S3 host's entries above, and its intent filter in the apps, until the app builds that name it are gone and linked accounts use %s; then remove them, set \"keepS3Public\": false and deploy.\n", e.S3Host, e.Host, e.RedirectURL)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeIOS(b *strings.Builder, ios *IOS, s3Host string) {
	b.WriteString("\niOS → Xcode → Signing & Capabilities → Associated Domains (" + entitlement + "):\n")
	if ios == nil {
		b.WriteString("  (no apple-app-site-association published: nothing to add)\n")
		return
	}
	writeList(b, ios.AssociatedDomains)
	if s3Host != "" {
		fmt.Fprintf(b, "  (the entries for %s are the S3 host being migrated away from: keep them until the migration below is done)\n", s3Host)
	}
	b.WriteString("  app IDs the file matches (Team ID.bundle ID of the app target):\n")
	writeIDs(b, "applinks", ios.AppLinksAppIDs)
	writeIDs(b, "webcredentials", ios.WebCredentialsAppIDs)
	writeIDs(b, "appclips", ios.AppClipsAppIDs)
}

func writeIDs(b *strings.Builder, service string, ids []string) {
	if len(ids) > 0 {
		fmt.Fprintf(b, "    %-15s %s\n", service+":", strings.Join(ids, ", "))
	}
}

func writeAndroid(b *strings.Builder, a *Android) {
	b.WriteString("\nAndroid → AndroidManifest.xml, inside the <activity> that handles the links:\n")
	if a == nil {
		b.WriteString("  (no android_app target published: nothing to add)\n")
		return
	}
	for _, line := range strings.Split(a.IntentFilter, "\n") {
		b.WriteString("  " + line + "\n")
	}
	b.WriteString("  verified for (applicationId, signing certificate SHA-256):\n")
	for _, app := range a.Apps {
		rel := make([]string, len(app.Relations))
		for i, r := range app.Relations {
			rel[i] = strings.TrimPrefix(r, "delegate_permission/common.")
		}
		fmt.Fprintf(b, "    %s (%s)\n", app.PackageName, strings.Join(rel, ", "))
		for _, fp := range app.Fingerprints {
			b.WriteString("      " + fp + "\n")
		}
	}
}

func writeList(b *strings.Builder, items []string) {
	for _, s := range items {
		b.WriteString("  " + s + "\n")
	}
}
