package doctor

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/acme/wellknown/internal/config"
)

// bootstrapCommand is the command that creates or updates the bootstrap
// stack of account in region. `cdk bootstrap` upgrades in place, so it is
// the fix for both a missing and an outdated bootstrap.
func bootstrapCommand(t Target, region string) string {
	cmd := fmt.Sprintf("npx cdk bootstrap aws://%s/%s", t.Account, region)
	if q := t.qualifier(); q != config.DefaultQualifier {
		cmd += " --qualifier " + q
	}
	return cmd
}

// requirement is what one stack's deploy needs of its region's bootstrap.
type requirement struct {
	row, stack, region string
	param              string
	need, lookup       int    // 0: unknown (need) or none (lookup)
	note               string // why need is unknown, or why it may be stale
}

// bootstrap reads the version `cdk bootstrap` recorded in SSM. Every
// template the CDK synthesizes carries a CheckBootstrapVersion rule against
// this parameter, so a missing parameter fails the deploy at once and an
// older version fails it with "bootstrap stack version N required". The
// required version comes from the cloud assembly, which records it per
// stack, never from a guess here.
func (d *doctor) bootstrap(ctx context.Context, c clients, t Target) Check {
	return d.bootstrapIn(ctx, c.ssm, t, requirement{
		row: CheckBootstrap, stack: t.StackName, region: t.Region, param: t.bootstrapParameter(),
		need: t.RequiredBootstrapVersion, lookup: t.LookupBootstrapVersion, note: t.AssemblyNote,
	})
}

// certBootstrap checks us-east-1's bootstrap for the certificate stack:
// `cdk deploy WellKnown-<env>` deploys it first, through that region's
// bootstrap roles, and fails there if the region was never bootstrapped.
func (d *doctor) certBootstrap(ctx context.Context, c clients, t Target) Check {
	cs := t.CertStack
	param := cs.BootstrapParameter
	if param == "" {
		param = config.BootstrapVersionParameter(t.qualifier())
	}
	return d.bootstrapIn(ctx, c.ssmCert, t, requirement{
		row: CheckCertBootstrap, stack: cs.Name, region: config.CertificateRegion, param: param,
		need: cs.RequiredBootstrapVersion, note: cs.AssemblyNote,
	})
}

func (d *doctor) bootstrapIn(ctx context.Context, client *ssm.Client, t Target, r requirement) Check {
	row := Check{Name: r.row}
	where := fmt.Sprintf("aws://%s/%s", t.Account, r.region)
	command := bootstrapCommand(t, r.region)
	// The environment's own row keeps the short wording; another stack's
	// row names that stack and its region.
	subject, synthesized, in := "the stack", "the synthesized stack", ""
	if r.stack != t.StackName {
		subject, synthesized, in = r.stack, "the synthesized "+r.stack, " in "+r.region
	}
	out, err := client.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(r.param)})
	var notFound *ssmtypes.ParameterNotFound
	switch {
	case errors.As(err, &notFound):
		row.Status = Fail
		row.Message = fmt.Sprintf("%s is not bootstrapped: %s does not exist", where, r.param)
		if r.stack != t.StackName {
			row.Message += fmt.Sprintf("; %s, which the deploy of %s creates first, is deployed there", r.stack, t.StackName)
		}
		if r.need == 0 && r.note != "" {
			row.Message += " (" + r.note + ")"
		}
		row.Fix = "run " + command
		return row
	case isAccessDenied(err):
		row.Status = Warn
		row.Message = fmt.Sprintf("cannot read %s%s: %s", r.param, in, apiText(err))
		row.Fix = "allow ssm:GetParameter on it to check; `cdk deploy` reads it through the bootstrap deploy role, so the deploy itself may still work"
		return row
	case err != nil:
		f := describe(ctx, err, d.opts.Timeout)
		row.Status, row.Message, row.Fix = Fail, fmt.Sprintf("could not read %s%s: %s", r.param, in, f.message), f.fix
		return row
	}
	value := ""
	if out.Parameter != nil {
		value = strings.TrimSpace(aws.ToString(out.Parameter.Value))
	}
	have, convErr := strconv.Atoi(value)
	if convErr != nil || have < 0 {
		row.Status = Fail
		row.Message = fmt.Sprintf("%s%s holds %q, not a version number", r.param, in, value)
		row.Fix = "the bootstrap stack writes an integer there; run " + command + " to rewrite it"
		return row
	}
	switch {
	case r.need == 0:
		row.Status = Warn
		row.Message = fmt.Sprintf("bootstrapped (%s = %d%s), but the version %s requires is unknown: %s", r.param, have, in, subject, r.note)
		row.Fix = "run `make synth` first, then doctor again"
	case have < r.need:
		row.Status = Fail
		row.Message = fmt.Sprintf("bootstrap version %d in %s is older than the %d %s requires; the deploy fails its CheckBootstrapVersion rule", have, where, r.need, synthesized)
		row.Fix = "run " + command + " (updates the bootstrap stack in place)"
	case r.lookup > have:
		row.Status = Warn
		row.Message = fmt.Sprintf("bootstrap version %d is enough to deploy (the stack requires ≥ %d), but the lookup role that `cdk diff` falls back to requires ≥ %d", have, r.need, r.lookup)
		row.Fix = "run " + command + " to update it"
	default:
		row.Status = Pass
		row.Message = fmt.Sprintf("bootstrap version %d in %s (%s requires ≥ %d)", have, r.region, synthesized, r.need)
	}
	if row.Status != Fail && r.need != 0 && r.note != "" {
		row.Status = Warn
		row.Message += "; but " + r.note
		if row.Fix == "" {
			row.Fix = "run `make synth` again, then doctor"
		}
	}
	return row
}

// isAccessDenied reports whether AWS refused the call for lack of a
// permission (each service spells it its own way).
func isAccessDenied(err error) bool {
	switch errorCode(err) {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError":
		return true
	}
	return false
}
