package workflows

// Action is a GitHub Action the workflows use, pinned to the commit of a
// release tag. A tag can be moved to other code at any time by whoever
// controls the action's repository; a full commit SHA cannot, so every
// `uses:` names the SHA and keeps the tag as a comment for readers. The
// table below is the only place to change them: the workflow files are
// regenerated from it.
type Action struct {
	Repo string
	Tag  string
	SHA  string
}

// Uses is the value of a step's `uses:`.
func (a Action) Uses() string { return a.Repo + "@" + a.SHA }

// The pins, one table. Each SHA is the commit the tag points to, read
// from the action's repository with git rev-parse '<tag>^{commit}'; to
// update, do the same for the new release tag and change both fields.
var (
	checkout = Action{"actions/checkout", "v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1"}
	setupGo  = Action{"actions/setup-go", "v7.0.0", "b7ad1dad31e06c5925ef5d2fc7ad053ef454303e"}
	// setup-node installs the Node.js that runs the CDK CLI (and jsii).
	setupNode = Action{"actions/setup-node", "v7.0.0", "820762786026740c76f36085b0efc47a31fe5020"}
	// configure-aws-credentials exchanges the job's OIDC token for a role
	// session; no AWS key is stored anywhere.
	configureAWSCredentials = Action{"aws-actions/configure-aws-credentials", "v6.2.3", "e6de054238d6b7531b4efff3b6587d9aade6a06c"}
)

// Actions lists the pinned actions, in a fixed order.
func Actions() []Action {
	return []Action{checkout, setupGo, setupNode, configureAWSCredentials}
}
