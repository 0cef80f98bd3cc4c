package policy

import "strings"

// Env is what the engine is told about a stack's environment: the CDK
// passes the stack's account and region (empty for an environment-agnostic
// stack) as the engine's pseudoParameterOverrides.
type Env struct {
	AccountID string
	Region    string
}

// The engine's stand-ins when the CDK passes no account or region, and the
// fixed values it gives the pseudo parameters it cannot know.
const (
	defaultAccount = "123456789012"
	defaultRegion  = "us-east-1"
	fakeStackName  = "teststack"
	fakeStackUUID  = "51af3dc0-da77-11e4-872e-1234567db123"
)

func (e Env) account() string {
	if e.AccountID == "" {
		return defaultAccount
	}
	return e.AccountID
}

func (e Env) region() string {
	if e.Region == "" {
		return defaultRegion
	}
	return e.Region
}

// partition follows the engine: China and GovCloud regions by prefix, and
// every other region (the ISO regions included) "aws".
func (e Env) partition() string {
	switch r := e.region(); {
	case strings.HasPrefix(r, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(r, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}

func (e Env) urlSuffix() string {
	if e.partition() == "aws-cn" {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// pseudoString returns the string the engine substitutes for a string
// pseudo parameter.
func (e Env) pseudoString(name string) (string, bool) {
	switch name {
	case "AWS::AccountId":
		return e.account(), true
	case "AWS::Region":
		return e.region(), true
	case "AWS::Partition":
		return e.partition(), true
	case "AWS::URLSuffix":
		return e.urlSuffix(), true
	case "AWS::StackName":
		return fakeStackName, true
	case "AWS::StackId":
		return "arn:" + e.partition() + ":cloudformation:" + e.region() + ":" + defaultAccount + ":stack/" + fakeStackName + "/" + fakeStackUUID, true
	}
	return "", false
}

// notificationARNs is the engine's value of Ref AWS::NotificationARNs.
func (e Env) notificationARNs() []string {
	return []string{"arn:" + e.partition() + ":sns:" + e.region() + ":" + defaultAccount + ":notification"}
}
