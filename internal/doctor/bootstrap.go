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
// stack. `cdk bootstrap` upgrades in place, so it is the fix for both a
// missing and an outdated bootstrap.
func bootstrapCommand(t Target) string {
	cmd := fmt.Sprintf("npx cdk bootstrap aws://%s/%s", t.Account, t.Region)
	if q := t.qualifier(); q != config.DefaultQualifier {
		cmd += " --qualifier " + q
	}
	return cmd
}

// bootstrap reads the version `cdk bootstrap` recorded in SSM. Every
// template the CDK synthesizes carries a CheckBootstrapVersion rule against
// this parameter, so a missing parameter fails the deploy at once and an
// older version fails it with "bootstrap stack version N required". The
// required version comes from the cloud assembly, which records it per
// stack, never from a guess here.
func (d *doctor) bootstrap(ctx context.Context, c clients, t Target) Check {
	param := t.bootstrapParameter()
	row := Check{Name: CheckBootstrap}
	out, err := c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(param)})
	var notFound *ssmtypes.ParameterNotFound
	switch {
	case errors.As(err, &notFound):
		row.Status = Fail
		row.Message = fmt.Sprintf("aws://%s/%s is not bootstrapped: %s does not exist", t.Account, t.Region, param)
		if t.RequiredBootstrapVersion == 0 && t.AssemblyNote != "" {
			row.Message += " (" + t.AssemblyNote + ")"
		}
		row.Fix = "run " + bootstrapCommand(t)
		return row
	case isAccessDenied(err):
		row.Status = Warn
		row.Message = fmt.Sprintf("cannot read %s: %s", param, apiText(err))
		row.Fix = "allow ssm:GetParameter on it to check; `cdk deploy` reads it through the bootstrap deploy role, so the deploy itself may still work"
		return row
	case err != nil:
		f := describe(ctx, err, d.opts.Timeout)
		row.Status, row.Message, row.Fix = Fail, fmt.Sprintf("could not read %s: %s", param, f.message), f.fix
		return row
	}
	value := ""
	if out.Parameter != nil {
		value = strings.TrimSpace(aws.ToString(out.Parameter.Value))
	}
	have, convErr := strconv.Atoi(value)
	if convErr != nil || have < 0 {
		row.Status = Fail
		row.Message = fmt.Sprintf("%s holds %q, not a version number", param, value)
		row.Fix = "the bootstrap stack writes an integer there; run " + bootstrapCommand(t) + " to rewrite it"
		return row
	}
	need := t.RequiredBootstrapVersion
	switch {
	case need == 0:
		row.Status = Warn
		row.Message = fmt.Sprintf("bootstrapped (%s = %d), but the version the stack requires is unknown: %s", param, have, t.AssemblyNote)
		row.Fix = "run `make synth` first, then doctor again"
	case have < need:
		row.Status = Fail
		row.Message = fmt.Sprintf("bootstrap version %d in aws://%s/%s is older than the %d the synthesized stack requires; the deploy fails its CheckBootstrapVersion rule", have, t.Account, t.Region, need)
		row.Fix = "run " + bootstrapCommand(t) + " (updates the bootstrap stack in place)"
	case t.LookupBootstrapVersion > have:
		row.Status = Warn
		row.Message = fmt.Sprintf("bootstrap version %d is enough to deploy (the stack requires ≥ %d), but the lookup role that `cdk diff` falls back to requires ≥ %d", have, need, t.LookupBootstrapVersion)
		row.Fix = "run " + bootstrapCommand(t) + " to update it"
	default:
		row.Status = Pass
		row.Message = fmt.Sprintf("bootstrap version %d in %s (the synthesized stack requires ≥ %d)", have, t.Region, need)
	}
	if row.Status != Fail && need != 0 && t.AssemblyNote != "" {
		row.Status = Warn
		row.Message += "; but " + t.AssemblyNote
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
