package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/exit"
	"github.com/acme/wellknown/internal/scaffold"
)

var newEnvCommand = command{
	name:    "new-env",
	args:    "NAME --account ID --region R [--bucket-name B] [--android-package P --android-fingerprint F…]… [--ios-app-id TEAMID.bundle.id]… [--ios-path P]… [--webcredentials] [--force]",
	summary: "generate an environment's link files and add it to cdk.json",
	help: `Generates assets/NAME/.well-known/apple-app-site-association (with
--ios-app-id) and assetlinks.json (with --android-package), validates them
with the synth-time validator, and adds NAME to cdk.json's
"wellknown:environments", leaving the rest of the file as it is. Nothing is
written unless everything is valid, the rest of cdk.json included: a
configuration with errors elsewhere is refused, except errors of the
environment that --force replaces.

Android flags pair up in order: each --android-package starts an app, and
the --android-fingerprint flags after it (one or more) belong to that app:
  --android-package com.acme.shop --android-fingerprint AA:BB:… --android-fingerprint CC:DD:…
  --android-package com.acme.other --android-fingerprint EE:FF:…
Fingerprints may be given in any case, with or without colons; they are
written uppercase and colon-separated.

The AASA file lists every --ios-app-id in one applinks detail. Without
--ios-path its component matches the Alexa redirect URL (the bucket root
with ?code and ?state); each --ios-path P replaces that with {"/": P}.
--webcredentials adds a webcredentials section (iOS) and the get_login_creds
relation (Android).

Refuses to replace an existing environment or file without --force. Exit 0
created, 1 could not write, 2 invalid input or refused.`,
	run: runNewEnv,
}

// androidFlags keeps the order of --android-package and
// --android-fingerprint, which the flag package otherwise loses.
type androidFlags struct {
	apps []scaffold.AndroidApp
}

type androidPackage struct{ a *androidFlags }
type androidFingerprint struct{ a *androidFlags }

func (androidPackage) String() string     { return "" }
func (androidFingerprint) String() string { return "" }

func (p androidPackage) Set(v string) error {
	p.a.apps = append(p.a.apps, scaffold.AndroidApp{Package: v})
	return nil
}

func (f androidFingerprint) Set(v string) error {
	if len(f.a.apps) == 0 {
		return errors.New("must follow an --android-package (it gives that app's fingerprints)")
	}
	last := &f.a.apps[len(f.a.apps)-1]
	last.Fingerprints = append(last.Fingerprints, v)
	return nil
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runNewEnv(s *session, c command, args []string) error {
	fset := s.flags(c)
	account := fset.String("account", "", "12-digit AWS account `ID` (required)")
	region := fset.String("region", "", "AWS region code `R`, e.g. eu-west-1 (required)")
	bucket := fset.String("bucket-name", "", "bucket name `B` (default wellknown-NAME-ACCOUNT-REGION)")
	var android androidFlags
	fset.Var(androidPackage{&android}, "android-package", "Android applicationId `P`; starts an app (repeatable)")
	fset.Var(androidFingerprint{&android}, "android-fingerprint", "SHA-256 signing certificate fingerprint `F` of the preceding --android-package (repeatable)")
	var iosIDs, iosPaths stringList
	fset.Var(&iosIDs, "ios-app-id", "iOS app ID `TEAMID.bundle.id` (repeatable)")
	fset.Var(&iosPaths, "ios-path", "AASA component path pattern `P` (repeatable; default: the Alexa redirect)")
	webcred := fset.Bool("webcredentials", false, "also publish shared sign-in (webcredentials / get_login_creds)")
	force := fset.Bool("force", false, "replace an existing environment and its files")
	s.jsonFlag(fset, "print what was written, or the problems, as JSON")
	pos, err := s.parse(c, fset, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1:
		return usageError(c, "want exactly one environment NAME, got %d arguments", len(pos))
	case *account == "" || *region == "":
		return usageError(c, "--account and --region are required")
	}
	for _, a := range android.apps {
		if len(a.Fingerprints) == 0 {
			return usageError(c, "--android-package %s: give its --android-fingerprint right after it", a.Package)
		}
	}
	if len(iosPaths) > 0 && len(iosIDs) == 0 {
		return usageError(c, "--ios-path needs at least one --ios-app-id")
	}

	plan, problems, err := scaffold.NewPlan(scaffold.Props{
		Dir: s.dir, Name: pos[0], Account: *account, Region: *region, BucketName: *bucket,
		AndroidApps: android.apps, IOSAppIDs: iosIDs, IOSPaths: iosPaths,
		WebCredentials: *webcred, Force: *force,
	})
	if (plan == nil || err != nil) && len(problems) > 0 {
		s.writeProblems(problems)
	}
	switch {
	case errors.Is(err, scaffold.ErrExists) || errors.Is(err, fs.ErrNotExist):
		return exit.WithCode(exit.Usage, err)
	case err != nil:
		return usageError(c, "%v", err)
	case plan == nil:
		return exit.Usagef("nothing was written; fix the problems reported and run new-env again")
	}
	if !s.json {
		diag.Write(s.stderr, problems) // warnings; --json has them in its report
	}
	if err := plan.Apply(); err != nil {
		return exit.WithCode(exit.Failed, err)
	}
	return s.reportNewEnv(plan, problems)
}

// reportNewEnv says what was written; warnings is what NewPlan found that
// does not stop it, which --json reports in check's terms.
func (s *session) reportNewEnv(plan *scaffold.Plan, warnings []diag.Problem) error {
	e := plan.Env
	var files []string
	for _, f := range plan.Files {
		files = append(files, f.Path)
	}
	if s.json {
		return writeJSON(s.stdout, struct {
			Env          string   `json:"env"`
			Account      string   `json:"account"`
			Region       string   `json:"region"`
			Bucket       string   `json:"bucket"`
			RedirectURL  string   `json:"redirect_url"`
			Files        []string `json:"files"`
			CDKJSON      string   `json:"cdk_json"`
			Replaced     bool     `json:"replaced"`
			Kept         []string `json:"kept"`
			Promoted     bool     `json:"promoted"`
			PipelineWave bool     `json:"pipeline_wave"`
			NewCIAccount bool     `json:"new_ci_account"`
			problemsJSON
		}{e.Name, e.Account, e.Region, e.BucketName, e.RedirectURL(), files, plan.CDKJSONPath,
			plan.Replaced, append([]string{}, plan.Kept...), plan.Promoted, plan.Waved, plan.NewCIAccount, newProblemsJSON(warnings)})
	}
	verb := "added"
	if plan.Replaced {
		verb = "replaced"
	}
	fmt.Fprintf(s.stdout, "%s environment %q: account %s, region %s, bucket %s\n", verb, e.Name, e.Account, e.Region, e.BucketName)
	for _, f := range files {
		fmt.Fprintf(s.stdout, "  wrote   %s\n", f)
	}
	fmt.Fprintf(s.stdout, "  updated %s (%s)\n", plan.CDKJSONPath, config.EnvPath(e.Name))
	if plan.Promoted {
		fmt.Fprintf(s.stdout, "  updated %s (%s.promotion: %s deploys last; then run wellknown ci)\n", plan.CDKJSONPath, config.SectionPath(config.CIKey), e.Name)
	}
	if plan.Waved {
		fmt.Fprintf(s.stdout, "  updated %s (%s.waves: %s deploys in a last wave of its own; the pipeline updates itself with it)\n", plan.CDKJSONPath, config.SectionPath(config.PipelineKey), e.Name)
	}
	if plan.CI && !plan.Promoted {
		fmt.Fprintf(s.stdout, "  then    run wellknown ci: the workflows name every environment's account and region\n")
	}
	if plan.NewCIAccount {
		fmt.Fprintf(s.stdout, "  then    account %s is new to CI: an administrator deploys %s before the workflows can deploy %s (see \"Deploying from CI\")\n", e.Account, ciroles.StackName(e.Account), e.Name)
	}
	for _, k := range plan.Kept {
		fmt.Fprintf(s.stdout, "  kept    %s (still published; delete it if it no longer applies)\n", k)
	}
	deploy := "npx cdk deploy " + e.StackName()
	if plan.Waved {
		deploy = "commit and push (the pipeline deploys " + e.StackName() + "; a new account or region needs bootstrapping first)"
	}
	fmt.Fprintf(s.stdout, "redirect URL: %s\nnext: wellknown check, %s, wellknown verify --env %s, wellknown handoff --env %s\n",
		e.RedirectURL(), deploy, e.Name, e.Name)
	return nil
}
