package stacks

// What CloudFormation needs to create, update and delete the WellKnown
// stacks, kept in one place: the mapping below is the source of the
// wellknown-cfn-exec policy (cfnexec_policy.go), and ci_cfnexec_test.go
// synthesizes the real WellKnown stacks and fails when a resource type or a
// property of theirs is missing here, or when the policy does not grant a
// listed action on the ARN the resource will have.
//
// The actions are the IAM actions the CloudFormation registry handlers of
// each type call (the "handlers" permissions of the resource type schemas):
// read is called after every create and update, so all of it is listed;
// create and update actions that only configure a property are listed under
// that property, so a property the stacks start to use cannot go unnoticed.
// Left out on purpose, because the stacks never set what they serve:
//   - S3 bucket ACLs, website, CORS (forbidden by WK-003/WK-004),
//     replication and its iam:PassRole, notifications, analytics, inventory,
//     metrics, acceleration, intelligent tiering and object lock;
//   - Lambda VPC, file system, KMS key, code signing and reserved
//     concurrency (which would also need ec2:, elasticfilesystem: and kms:
//     actions on "*");
//   - log group KMS keys, data protection policies and log delivery
//     (logs:PutResourcePolicy is account-wide);
//   - inline policies for IAM users and groups;
//   - list handlers, which stack operations never call.

// cfnScope is the kind of resource a grant applies to; cfnexec_policy.go
// turns each into ARNs or ARN patterns for an account's environments.
type cfnScope string

const (
	// scopeBuckets: the content buckets (exact names) and the access-log
	// buckets (names CloudFormation generates from the stack name).
	scopeBuckets cfnScope = "buckets"
	// scopeRoles: the roles the stacks create (generated names).
	scopeRoles cfnScope = "roles"
	// scopePassRole: the same roles, passed to Lambda and nothing else.
	scopePassRole cfnScope = "pass-role"
	// scopeAttachPolicy: the same roles, with only the AWS managed policies
	// of allowedManagedPolicies.
	scopeAttachPolicy cfnScope = "attach-policy"
	// scopeFunctions: the Lambda functions (generated names).
	scopeFunctions cfnScope = "functions"
	// scopeLogGroups: the functions' log groups (/aws/lambda/<function>).
	scopeLogGroups cfnScope = "log-groups"
	// scopeLayers: the AWS CLI layer of the upload (named after its
	// logical ID).
	scopeLayers cfnScope = "layers"
	// scopeAssets: the objects of the CDK asset bucket, the code Lambda
	// reads at create time.
	scopeAssets cfnScope = "assets"
	// scopeBootstrapVersion: the SSM parameter every template checks.
	scopeBootstrapVersion cfnScope = "bootstrap-version"
	// scopeAll: "*", only for actions IAM authorizes without a resource.
	scopeAll cfnScope = "*"
)

type cfnGrant struct {
	scope   cfnScope
	actions []string
}

type cfnResourceType struct {
	// always: called for every resource of the type.
	always []cfnGrant
	// properties: every top-level property the stacks set, with what it
	// needs beyond always (nil for nothing).
	properties map[string][]cfnGrant
	// anyProperty: custom resources hand every property to their Lambda
	// function; CloudFormation itself only invokes it.
	anyProperty bool
}

var (
	// CloudFormation invokes a custom resource's Lambda function with the
	// stack's role.
	invokeProvider = []cfnGrant{{scopeFunctions, []string{"lambda:InvokeFunction"}}}
	readAssets     = []cfnGrant{{scopeAssets, []string{"s3:GetObject", "s3:GetObjectVersion"}}}
)

// cfnExecPermissions maps each resource type of the WellKnown stacks to what
// CloudFormation needs for it.
var cfnExecPermissions = map[string]cfnResourceType{
	"AWS::S3::Bucket": {
		always: []cfnGrant{{scopeBuckets, []string{
			"s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetBucketAcl",
			// read handler
			"s3:GetAccelerateConfiguration", "s3:GetAnalyticsConfiguration", "s3:GetBucketCORS",
			"s3:GetBucketLogging", "s3:GetBucketNotification", "s3:GetBucketObjectLockConfiguration",
			"s3:GetBucketOwnershipControls", "s3:GetBucketPublicAccessBlock", "s3:GetBucketTagging",
			"s3:GetBucketVersioning", "s3:GetBucketWebsite", "s3:GetEncryptionConfiguration",
			"s3:GetIntelligentTieringConfiguration", "s3:GetInventoryConfiguration",
			"s3:GetLifecycleConfiguration", "s3:GetMetricsConfiguration", "s3:GetReplicationConfiguration",
		}}},
		properties: map[string][]cfnGrant{
			"BucketName":                     nil,
			"BucketEncryption":               {{scopeBuckets, []string{"s3:PutEncryptionConfiguration"}}},
			"LifecycleConfiguration":         {{scopeBuckets, []string{"s3:PutLifecycleConfiguration"}}},
			"LoggingConfiguration":           {{scopeBuckets, []string{"s3:PutBucketLogging"}}},
			"OwnershipControls":              {{scopeBuckets, []string{"s3:PutBucketOwnershipControls"}}},
			"PublicAccessBlockConfiguration": {{scopeBuckets, []string{"s3:PutBucketPublicAccessBlock"}}},
			"Tags":                           {{scopeBuckets, []string{"s3:PutBucketTagging"}}},
			"VersioningConfiguration":        {{scopeBuckets, []string{"s3:PutBucketVersioning"}}},
		},
	},
	"AWS::S3::BucketPolicy": {
		always: []cfnGrant{{scopeBuckets, []string{"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"}}},
		properties: map[string][]cfnGrant{
			"Bucket":         nil,
			"PolicyDocument": nil,
		},
	},
	"AWS::IAM::Role": {
		always: []cfnGrant{{scopeRoles, []string{
			"iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole",
			"iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:GetRolePolicy",
			"iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:TagRole", "iam:UntagRole",
		}}},
		properties: map[string][]cfnGrant{
			"AssumeRolePolicyDocument": {{scopeRoles, []string{"iam:UpdateAssumeRolePolicy"}}},
			// Only the managed policies of allowedManagedPolicies: with any
			// policy, a template could give its roles AdministratorAccess.
			"ManagedPolicyArns": {{scopeAttachPolicy, []string{"iam:AttachRolePolicy"}}},
		},
	},
	"AWS::IAM::Policy": {
		// Inline policies of the stacks' roles; IAM authorizes
		// PutRolePolicy on the role.
		always: []cfnGrant{{scopeRoles, []string{"iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"}}},
		properties: map[string][]cfnGrant{
			"PolicyDocument": nil,
			"PolicyName":     nil,
			"Roles":          nil,
		},
	},
	"AWS::Lambda::Function": {
		always: []cfnGrant{{scopeFunctions, []string{
			"lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunction",
			"lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
			"lambda:GetFunctionCodeSigningConfig", "lambda:GetFunctionRecursionConfig", "lambda:PutFunctionRecursionConfig",
			"lambda:GetRuntimeManagementConfig", "lambda:PutRuntimeManagementConfig",
			"lambda:DeleteFunctionConcurrency",
			"lambda:ListTags", "lambda:TagResource", "lambda:UntagResource",
		}}},
		properties: map[string][]cfnGrant{
			"Architectures": nil,
			"Code":          readAssets,
			"Description":   nil,
			"Environment":   nil,
			"Handler":       nil,
			"Layers":        {{scopeLayers, []string{"lambda:GetLayerVersion"}}},
			"MemorySize":    nil,
			"Role":          {{scopePassRole, []string{"iam:PassRole"}}},
			"Runtime":       nil,
			"Timeout":       nil,
		},
	},
	"AWS::Lambda::LayerVersion": {
		always: []cfnGrant{{scopeLayers, []string{"lambda:PublishLayerVersion", "lambda:GetLayerVersion", "lambda:DeleteLayerVersion"}}},
		properties: map[string][]cfnGrant{
			"Content":     readAssets,
			"Description": nil,
		},
	},
	"AWS::Logs::LogGroup": {
		always: []cfnGrant{
			{scopeLogGroups, []string{
				"logs:CreateLogGroup", "logs:DeleteLogGroup",
				"logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource",
				"logs:GetDataProtectionPolicy", "logs:DeleteDataProtectionPolicy",
			}},
			// DescribeLogGroups lists by name prefix; IAM does not
			// authorize it against a log group, so it needs "*".
			{scopeAll, []string{"logs:DescribeLogGroups"}},
		},
		properties: map[string][]cfnGrant{
			"LogGroupName":    nil,
			"RetentionInDays": {{scopeLogGroups, []string{"logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"}}},
		},
	},
	// CloudFormation records CDK metadata itself; no service is called.
	"AWS::CDK::Metadata": {
		properties: map[string][]cfnGrant{"Analytics": nil},
	},
	"Custom::CDKBucketDeployment": {always: invokeProvider, anyProperty: true},
	"Custom::S3AutoDeleteObjects": {always: invokeProvider, anyProperty: true},
}

// cfnExecParameterTypes maps template parameter types to what CloudFormation
// needs to resolve them: the CDK's BootstrapVersion parameter reads SSM.
var cfnExecParameterTypes = map[string][]cfnGrant{
	"AWS::SSM::Parameter::Value<String>": {{scopeBootstrapVersion, []string{"ssm:GetParameters"}}},
}

// allowedManagedPolicies are the AWS managed policies the stacks' roles may
// have (ARN after arn:<partition>:iam::aws:policy/): the Lambda handlers'
// CloudWatch Logs permissions.
var allowedManagedPolicies = []string{"service-role/AWSLambdaBasicExecutionRole"}

// Logical ID prefixes of the resources whose names CloudFormation
// generates as <stack name>-<logical ID, shortened>-<random suffix>. They
// come from the CDK's construct IDs: the stack-level singletons that back
// custom resources are named "Custom::<provider>" — here the
// BucketDeployment handler "Custom::CDKBucketDeployment<uuid><memory>" (see
// uploadHandler) and "Custom::S3AutoDeleteObjectsCustomResourceProvider" —
// which gives their roles and functions logical IDs starting with
// "Custom"; the log bucket is "AccessLogs" (buckets.go), whose parent
// "Default" is left out of logical IDs.
const (
	providerPrefix  = "Custom"
	logBucketPrefix = "AccessLogs"
	// The AWS CLI layer of the upload is named after its logical ID
	// (Upload/AwsCliLayer under "Default"), with no stack name.
	layerPrefix = "UploadAwsCliLayer"
)
