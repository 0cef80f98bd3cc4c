package stacks

// What CloudFormation needs to create, update and delete the WellKnown
// stacks, kept in one place: the mapping below is the source of the
// wellknown-cfn-exec policy (cfnexec_policy.go), and ci_cfnexec_test.go
// synthesizes the real WellKnown stacks and fails when a resource type, a
// property or an intrinsic function of theirs is missing here, or when the
// policy does not grant a listed action on the ARN the resource will have;
// cfnexec_handlers_test.go holds the custom-domain types to their schemas'
// handler permissions.
//
// The actions are the IAM actions the CloudFormation registry handlers of
// each type call (the "handlers" permissions of the resource type schemas,
// as published in the CloudFormation registry, us-east-1), checked against
// IAM's Service Authorization Reference for which of them name a resource:
// read is called after every create and update, so all of it is listed;
// create and update actions that only configure a property are listed under
// that property, so a property the stacks start to use cannot go unnoticed.
// The custom-domain types whose schema sets cloudFormationSystemTags
// (certificates, log deliveries) get their tagging actions always:
// CloudFormation tags every such resource with the stack's
// aws:cloudformation:* tags. A type's grants reach an account's policy only
// when the account's environments can contain the type (usedIn), so an
// account without a custom domain gets nothing of CloudFront, ACM or
// Route 53.
// Left out on purpose, because the stacks never set what they serve:
//   - S3 bucket ACLs, website, CORS (forbidden by WK-003/WK-004),
//     replication and its iam:PassRole, notifications, analytics, inventory,
//     metrics, acceleration, intelligent tiering and object lock;
//   - Lambda VPC, file system, KMS key, code signing and reserved
//     concurrency (which would also need ec2:, elasticfilesystem: and kms:
//     actions on "*");
//   - log group KMS keys, data protection policies and log delivery into
//     log groups (logs:PutResourcePolicy is account-wide);
//   - inline policies for IAM users and groups;
//   - CloudFront connection groups (ConnectionMode, AnycastIpListId), VPC
//     origins and continuous deployment (Staging,
//     ContinuousDeploymentPolicyId): the distribution handler's
//     cloudfront:CreateConnectionGroup (no resource, so "*"),
//     GetConnectionGroup, GetVpcOrigin and
//     UpdateDistributionWithStagingConfig; the stacks set none of these
//     inside DistributionConfig;
//   - ACM certificates from a private CA (acm-pca:IssueCertificate,
//     GetCertificate) and CertificateTransparencyLoggingPreference
//     (acm:UpdateCertificateOptions);
//   - Route 53 records by HostedZoneName (the stacks name the zone by ID);
//   - cross-account log delivery (logs:PutDeliveryDestinationPolicy);
//   - names in the schemas that are no IAM action: the distribution
//     handler's cloudfront:CreateDistributionWithTags (IAM authorizes that
//     API as CreateDistribution plus TagResource) and the delivery source
//     handler's logs:, codewhisperer:, autoloop: and
//     workmail:AllowVendedLogDeliveryForResource (the source's own service
//     authorizes it, here cloudfront:AllowVendedLogDeliveryForResource);
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
	// scopeCloudFront: the account's CloudFront distributions and origin
	// access controls, whose IDs CloudFront generates.
	scopeCloudFront cfnScope = "cloudfront"
	// scopeCertificates: the account's ACM certificates in us-east-1,
	// whose IDs ACM generates.
	scopeCertificates cfnScope = "certificates"
	// scopeHostedZones: the Route 53 hosted zones of the configuration,
	// by ID.
	scopeHostedZones cfnScope = "hosted-zones"
	// scopeDNSChanges: Route 53 changes, whose IDs Route 53 returns.
	scopeDNSChanges cfnScope = "dns-changes"
	// scopeLogDeliveries: the CloudWatch Logs delivery sources and
	// destinations of the distributions' access logs (named after the
	// stack, see deliveryNamePrefix) and the deliveries between them
	// (generated IDs), in us-east-1.
	scopeLogDeliveries cfnScope = "log-deliveries"
	// scopeCertStacks: the WellKnownCert-<env> stacks whose outputs the
	// environments' stacks read.
	scopeCertStacks cfnScope = "cert-stacks"
	// scopeAll: "*", only for actions IAM authorizes without a resource.
	scopeAll cfnScope = "*"
)

type cfnGrant struct {
	scope   cfnScope
	actions []string
}

// cfnResourceType is what CloudFormation needs for one resource type. Its
// grants reach an account's policy when the type can occur there: when a
// scope of its always grants, other than "*", has resources in the
// account.
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

	// A custom domain (cdn.go, certstack.go, cdnlogs.go).
	"AWS::CloudFront::Distribution": {
		always: []cfnGrant{
			{scopeCloudFront, []string{
				"cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution",
				"cloudfront:DeleteDistribution", "cloudfront:ListTagsForResource",
			}},
			// Authorized before the distribution, and so its ARN, exists.
			{scopeAll, []string{"cloudfront:CreateDistribution"}},
		},
		// No Tags: CloudFormation adds no system tags to distributions
		// (cloudFormationSystemTags false), and the stacks set none.
		properties: map[string][]cfnGrant{"DistributionConfig": nil},
	},
	"AWS::CloudFront::OriginAccessControl": {
		always: []cfnGrant{
			{scopeCloudFront, []string{"cloudfront:GetOriginAccessControl", "cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl"}},
			// Authorized before the OAC exists.
			{scopeAll, []string{"cloudfront:CreateOriginAccessControl"}},
		},
		properties: map[string][]cfnGrant{"OriginAccessControlConfig": nil},
	},
	"AWS::CertificateManager::Certificate": {
		always: []cfnGrant{
			{scopeCertificates, []string{
				"acm:DescribeCertificate", "acm:DeleteCertificate",
				"acm:ListTagsForCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate",
			}},
			// Authorized before the certificate exists.
			{scopeAll, []string{"acm:RequestCertificate"}},
		},
		properties: map[string][]cfnGrant{
			"DomainName":       nil,
			"ValidationMethod": nil,
			// ACM's handler writes the DNS validation record itself.
			"DomainValidationOptions": {{scopeHostedZones, []string{"route53:ChangeResourceRecordSets"}}},
			"Tags":                    nil,
		},
	},
	// A legacy type without handlers in the registry; its actions are those
	// of the registry schema AWS published for it in October 2024 and
	// withdrew (the same ones the Route 53 API needs): change the records,
	// wait for the change, read the zone.
	"AWS::Route53::RecordSet": {
		always: []cfnGrant{
			{scopeHostedZones, []string{"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetHostedZone"}},
			{scopeDNSChanges, []string{"route53:GetChange"}},
			// A listing of the account's zones, which IAM authorizes on
			// "*" only; that schema lists it for every handler.
			{scopeAll, []string{"route53:ListHostedZones"}},
		},
		properties: map[string][]cfnGrant{"AliasTarget": nil, "HostedZoneId": nil, "Name": nil, "Type": nil},
	},
	"AWS::Logs::DeliverySource": {
		always: []cfnGrant{{scopeLogDeliveries, []string{
			"logs:PutDeliverySource", "logs:GetDeliverySource", "logs:DeleteDeliverySource",
			"logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource",
		}}},
		properties: map[string][]cfnGrant{
			"Name":    nil,
			"LogType": nil,
			// The service that vends the logs authorizes their delivery too
			// (CloudWatch Logs, "Service-specific permissions").
			"ResourceArn": {{scopeCloudFront, []string{"cloudfront:AllowVendedLogDeliveryForResource"}}},
		},
	},
	"AWS::Logs::DeliveryDestination": {
		always: []cfnGrant{{scopeLogDeliveries, []string{
			"logs:PutDeliveryDestination", "logs:GetDeliveryDestination", "logs:DeleteDeliveryDestination",
			"logs:GetDeliveryDestinationPolicy", "logs:DeleteDeliveryDestinationPolicy",
			"logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource",
		}}},
		properties: map[string][]cfnGrant{
			"Name":         nil,
			"OutputFormat": nil,
			// CloudWatch Logs reads the bucket policy and adds its delivery
			// statement when missing ("Logs sent to Amazon S3").
			"DestinationResourceArn": {{scopeBuckets, []string{"s3:GetBucketPolicy", "s3:PutBucketPolicy"}}},
		},
	},
	"AWS::Logs::Delivery": {
		always: []cfnGrant{
			{scopeLogDeliveries, []string{
				"logs:CreateDelivery", "logs:GetDelivery", "logs:DeleteDelivery",
				"logs:GetDeliverySource", "logs:GetDeliveryDestination",
				"logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource",
			}},
			// A listing, authorized on "*" only.
			{scopeAll, []string{"logs:DescribeDeliveries"}},
		},
		properties: map[string][]cfnGrant{
			"DeliverySourceName":     nil,
			"DeliveryDestinationArn": nil,
			"RecordFields":           {{scopeLogDeliveries, []string{"logs:UpdateDeliveryConfiguration"}}},
		},
	},
}

// cfnExecIntrinsics maps the intrinsic functions for which CloudFormation
// calls a service itself to what it needs; every other function of the
// templates is resolved without a call.
var cfnExecIntrinsics = map[string][]cfnGrant{
	// The weak reference to WellKnownCert-<env>'s certificate: without a
	// RoleArn, CloudFormation reads the other stack's outputs with the
	// stack's own execution role.
	"Fn::GetStackOutput": {{scopeCertStacks, []string{"cloudformation:DescribeStacks"}}},
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
	// cdnlogs.go names a delivery source and destination with
	// Names.uniqueResourceName of the hosting construct, which keeps the
	// letters and digits of its path: the stack name WellKnown-<env>
	// without its hyphens ("Default" is left out).
	deliveryNamePrefix = "WellKnown"
)
