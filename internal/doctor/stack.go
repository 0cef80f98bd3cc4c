package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/acme/wellknown/internal/config"
)

// stackInfo is the stack row plus what the bucket verdict needs.
type stackInfo struct {
	check  Check
	known  bool // DescribeStacks answered
	exists bool
	status string
}

// stackStates says what each CloudFormation stack status means for the
// next `cdk deploy`. Statuses not listed are reported as unknown.
var stackStates = map[string]struct {
	status Status
	why    string
	fix    string // %[1]s stack name, %[2]s region
}{
	"CREATE_COMPLETE":          {Pass, "deployed", ""},
	"UPDATE_COMPLETE":          {Pass, "deployed", ""},
	"IMPORT_COMPLETE":          {Pass, "deployed (resources imported)", ""},
	"UPDATE_ROLLBACK_COMPLETE": {Pass, "the last update was rolled back; the stack is back at its previous state and can be updated", ""},
	"IMPORT_ROLLBACK_COMPLETE": {Pass, "the last import was rolled back; the stack can be updated", ""},
	"ROLLBACK_COMPLETE":        {Fail, "the first create failed and was rolled back; CloudFormation cannot update a stack in this state (cdk deploy deletes and re-creates it by itself, a pipeline's deploy action fails on it)", "delete it (aws cloudformation delete-stack --stack-name %[1]s --region %[2]s), fix the cause its events show, and deploy again"},
	"ROLLBACK_FAILED":          {Fail, "a failed create could not be rolled back; the stack can only be deleted", "delete it (aws cloudformation delete-stack --stack-name %[1]s --region %[2]s, with --retain-resources for what cannot be deleted), then deploy again"},
	"UPDATE_ROLLBACK_FAILED":   {Fail, "an update failed and so did its rollback; CloudFormation refuses updates until the rollback is finished", "fix what its events name, then aws cloudformation continue-update-rollback --stack-name %[1]s --region %[2]s (with --resources-to-skip for resources that cannot be rolled back), then deploy again"},
	"DELETE_FAILED":            {Fail, "a delete failed; the stack cannot be updated", "delete it again (aws cloudformation delete-stack --stack-name %[1]s --region %[2]s, with --retain-resources for what cannot be deleted), then deploy again"},
	"IMPORT_ROLLBACK_FAILED":   {Fail, "a failed import could not be rolled back; the stack cannot be updated", "fix the resources its events name, then continue the rollback from the CloudFormation console or delete the stack (aws cloudformation delete-stack --stack-name %[1]s --region %[2]s)"},
	"CREATE_FAILED":            {Warn, "the last create failed with rollback disabled (cdk deploy --no-rollback)", "deploy again to retry from here, or roll back with npx cdk rollback %[1]s"},
	"UPDATE_FAILED":            {Warn, "the last update failed with rollback disabled (cdk deploy --no-rollback)", "deploy again to retry from here, or roll back with npx cdk rollback %[1]s"},
	"REVIEW_IN_PROGRESS":       {Warn, "a change set was created but never executed", "`cdk deploy` creates the stack from a new change set; delete the pending one if it is not yours to keep"},
	"DELETE_COMPLETE":          {Pass, "deleted; the deploy creates it again", ""},
}

// describeStack reads the stack's status: a stack in ROLLBACK_COMPLETE,
// UPDATE_ROLLBACK_FAILED and the like cannot be updated, and `cdk deploy`
// fails on it with a message that does not say how to get out.
func (d *doctor) describeStack(ctx context.Context, c clients, t Target) stackInfo {
	return d.describeStackIn(ctx, c.cfn, CheckStack, t.StackName, t.Account, t.Region)
}

// describeCertStack reads the certificate stack's status the same way:
// `cdk deploy WellKnown-<env>` (and the pipeline's stage) deploys
// WellKnownCert-<env> first, so a certificate stack that cannot be updated
// stops the deploy there.
func (d *doctor) describeCertStack(ctx context.Context, c clients, t Target) stackInfo {
	return d.describeStackIn(ctx, c.cfnCert, CheckCertStack, t.CertStack.Name, t.Account, config.CertificateRegion)
}

func (d *doctor) describeStackIn(ctx context.Context, client *cloudformation.Client, name, stackName, account, region string) stackInfo {
	info := stackInfo{check: Check{Name: name}}
	row := &info.check
	out, err := client.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)})
	switch {
	case err != nil && stackMissing(err):
		info.known = true
		row.Status = Pass
		row.Message = fmt.Sprintf("%s does not exist in aws://%s/%s; the deploy creates it", stackName, account, region)
		return info
	case isAccessDenied(err):
		row.Status = Warn
		row.Message = fmt.Sprintf("cannot describe %s: %s", stackName, apiText(err))
		row.Fix = "allow cloudformation:DescribeStacks to check the stack's state"
		return info
	case err != nil:
		f := describe(ctx, err, d.opts.Timeout)
		row.Status, row.Message, row.Fix = Fail, fmt.Sprintf("could not describe %s: %s", stackName, f.message), f.fix
		return info
	case len(out.Stacks) == 0:
		// DescribeStacks answers ValidationError for a missing stack, so an
		// empty list is odd; treat it as missing but say so.
		info.known = true
		row.Status = Warn
		row.Message = fmt.Sprintf("DescribeStacks returned no stack named %s; assuming the deploy creates it", stackName)
		return info
	}
	s := out.Stacks[0]
	info.known, info.exists, info.status = true, true, string(s.StackStatus)
	if info.status == "DELETE_COMPLETE" {
		info.exists = false
	}
	reason := ""
	if r := strings.TrimRight(aws.ToString(s.StackStatusReason), ". "); r != "" {
		reason = " (" + r + ")"
	}
	state, ok := stackStates[info.status]
	switch {
	case ok:
		row.Status = state.status
		row.Message = fmt.Sprintf("%s is %s%s: %s", stackName, info.status, reason, state.why)
		if state.fix != "" {
			row.Fix = fmt.Sprintf(state.fix, stackName, region)
		}
	case strings.HasSuffix(info.status, "_IN_PROGRESS"):
		row.Status = Warn
		row.Message = fmt.Sprintf("%s is %s: an operation is running, and a deploy now waits for it or fails", stackName, info.status)
		row.Fix = "wait until it is *_COMPLETE (aws cloudformation describe-stacks --stack-name " + stackName + " --region " + region + "), then run doctor again"
	default:
		row.Status = Warn
		row.Message = fmt.Sprintf("%s is in a status doctor does not know: %q%s", stackName, info.status, reason)
		row.Fix = "check the stack in the CloudFormation console before deploying"
	}
	return info
}

// stackMissing: DescribeStacks answers a missing stack with a 400
// ValidationError "Stack with id X does not exist", not a typed error.
func stackMissing(err error) bool {
	return errorCode(err) == "ValidationError" && strings.Contains(apiText(err), "does not exist")
}
