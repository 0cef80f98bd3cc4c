package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	route53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// hostedZone checks the Route 53 zone the deploy writes the domain's
// alias records (and a created certificate's validation records) into:
// it must exist in the environment's account, be the zone cdk.json names,
// and be public, since Apple's and Google's verifiers resolve the host on
// the internet, where a private zone's records do not exist.
func (d *doctor) hostedZone(ctx context.Context, c clients, t Target) Check {
	dom := t.Domain
	row := Check{Name: CheckHostedZone}
	id := dom.HostedZoneID
	out, err := c.route53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(id)})
	var missing *route53types.NoSuchHostedZone
	switch {
	case errors.As(err, &missing):
		row.Status = Fail
		row.Message = fmt.Sprintf("hosted zone %s does not exist in account %s; the deploy writes the records of %s there", id, t.Account, dom.Name)
		row.Fix = fmt.Sprintf("set hostedZoneId to the ID of zone %s in account %s (Route 53 → Hosted zones)", dom.HostedZoneName, t.Account)
		return row
	case isAccessDenied(err):
		row.Status = Warn
		row.Message = fmt.Sprintf("cannot read hosted zone %s: %s", id, apiText(err))
		row.Fix = "allow route53:GetHostedZone on it to check; the deploy fails if it is missing, private or another zone"
		return row
	case err != nil:
		f := describe(ctx, err, d.opts.Timeout)
		row.Status, row.Message, row.Fix = Fail, fmt.Sprintf("could not read hosted zone %s: %s", id, f.message), f.fix
		return row
	case out.HostedZone == nil:
		row.Status = Fail
		row.Message = "Route 53 answered GetHostedZone without a hosted zone"
		row.Fix = "something other than AWS may be answering: check HTTPS_PROXY and AWS_ENDPOINT_URL"
		return row
	}
	z := out.HostedZone
	name, want := aws.ToString(z.Name), dom.HostedZoneName+"."
	private := z.Config != nil && z.Config.PrivateZone
	var problems, fixes []string
	if !strings.EqualFold(name, want) {
		problems = append(problems, fmt.Sprintf("hosted zone %s is %s, not %s (hostedZoneName)", id, name, want))
		fixes = append(fixes, "set hostedZoneId and hostedZoneName to the ID and name of the same zone (Route 53 → Hosted zones)")
	}
	if private {
		problems = append(problems, fmt.Sprintf("hosted zone %s (%s) is private: its records exist only inside its VPCs, and Apple's and Google's verifiers resolve %s on the internet", id, name, dom.Name))
		fixes = append(fixes, fmt.Sprintf("use the public hosted zone of %s", dom.HostedZoneName))
	}
	if len(problems) > 0 {
		row.Status = Fail
		row.Message = strings.Join(problems, "; ")
		row.Fix = strings.Join(fixes, "; ")
		return row
	}
	row.Status = Pass
	row.Message = fmt.Sprintf("public hosted zone %s (%s) in account %s", name, id, t.Account)
	if out.DelegationSet != nil && len(out.DelegationSet.NameServers) > 0 {
		row.Message += fmt.Sprintf("; %s resolves on the internet once %s is delegated to its name servers (%s)",
			dom.Name, dom.HostedZoneName, strings.Join(out.DelegationSet.NameServers, ", "))
	}
	return row
}
