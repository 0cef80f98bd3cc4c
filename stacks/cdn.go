package stacks

import (
	"errors"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/linkfile"
)

// DomainProps serves the files on a host of your own, through CloudFront
// in front of the bucket.
type DomainProps struct {
	// Name is the host (required): the redirect URL becomes https://<Name>/.
	Name string
	// Certificate covers Name and must be in us-east-1, where CloudFront
	// takes certificates from; CertificateArn names an existing one. With
	// neither, a DNS-validated certificate is created here in the hosted
	// zone, which needs a stack in us-east-1 (else create it with
	// NewWellKnownCertStack and pass it).
	Certificate    awscertificatemanager.ICertificate
	CertificateArn string
	// HostedZoneID and HostedZoneName, both or neither, name the Route 53
	// zone that gets A and AAAA alias records for Name. They are taken as
	// given: no lookup, so synthesis needs no credentials.
	HostedZoneID, HostedZoneName string
	// KeepS3Public keeps the S3 host serving the files too, for the time
	// installed apps and the Alexa console still name it.
	KeepS3Public bool
	// PriceClass of the distribution; default PriceClass_100.
	PriceClass awscloudfront.PriceClass
}

// validate applies the configuration's rules to the props, so that no
// CDK construct refuses them half way (the certificate's name length, say)
// and nothing is created on bad input. account is the stack's, a token
// when the stack has none.
func (d *DomainProps) validate(region, account string) error {
	var errs []error
	if err := config.CheckHostName(d.Name); err != nil {
		errs = append(errs, fmt.Errorf("Domain.Name: %w", err))
	}
	if (d.HostedZoneID == "") != (d.HostedZoneName == "") {
		errs = append(errs, errors.New("Domain: HostedZoneID and HostedZoneName go together"))
	} else if d.HostedZoneID != "" {
		if err := config.CheckHostedZone(d.HostedZoneID, d.HostedZoneName, d.Name); err != nil {
			errs = append(errs, fmt.Errorf("Domain: %w", err))
		}
	}
	if *awscdk.Token_IsUnresolved(account) {
		account = ""
	}
	if d.CertificateArn != "" {
		if d.Certificate != nil {
			errs = append(errs, errors.New("Domain: set Certificate or CertificateArn, not both"))
		} else if err := config.CheckCertificateARN(d.CertificateArn, account); err != nil {
			errs = append(errs, fmt.Errorf("Domain.CertificateArn: %w", err))
		}
	}
	switch {
	case d.CertificateArn != "":
	case d.Certificate == nil && d.HostedZoneID == "":
		errs = append(errs, errors.New("Domain: no certificate: pass Certificate, or a hosted zone to create a DNS-validated one"))
	case d.Certificate == nil && region != config.CertificateRegion:
		errs = append(errs, fmt.Errorf("Domain: CloudFront takes certificates only from %s and this stack is in %s: create the certificate in %s (NewWellKnownCertStack) and pass it as Certificate",
			config.CertificateRegion, region, config.CertificateRegion))
	case d.Certificate == nil:
		if err := config.CheckCertificateName(d.Name); err != nil {
			errs = append(errs, fmt.Errorf("Domain.Name: %w; pass a Certificate that covers it", err))
		}
	default:
		if arn := *d.Certificate.CertificateArn(); !*awscdk.Token_IsUnresolved(arn) {
			if err := config.CheckCertificateARN(arn, account); err != nil {
				errs = append(errs, fmt.Errorf("Domain.Certificate: %w", err))
			}
		}
	}
	if _, ok := cfnPriceClass[d.PriceClass]; d.PriceClass != "" && !ok {
		errs = append(errs, fmt.Errorf("Domain.PriceClass: %q is not a CloudFront price class; use awscloudfront.PriceClass_PRICE_CLASS_100, _200 or _ALL", d.PriceClass))
	}
	if p := config.PartitionID(region); p != "aws" {
		errs = append(errs, fmt.Errorf("Domain: custom domains are served by CloudFront with an ACM certificate, supported here only in the aws partition, not %s", p))
	}
	return errors.Join(errs...)
}

// cdn is the CloudFront side of a hosting with a domain.
type cdn struct {
	cfn          awscloudfront.CfnDistribution
	distribution awscloudfront.IDistribution
	certificate  awscertificatemanager.ICertificate
	loggingOn    bool // standard logging v2 delivers the distribution's access logs
}

// newCDN puts CloudFront with Origin Access Control in front of the bucket.
//
// The OAC is made here rather than by S3BucketOrigin_WithOriginAccessControl
// because that grants CloudFront s3:GetObject on the whole bucket, and cannot
// be narrowed; the grant below is for .well-known/* only, and only for this
// distribution. OAC,
// distribution and bucket stay in one stack: across stacks the OAC grant
// makes a dependency cycle (aws/aws-cdk 31462).
func (h *WellKnownHosting) newCDN() (*cdn, error) {
	d := h.props.Domain
	c := &cdn{certificate: d.Certificate}
	var zone awsroute53.IHostedZone
	if d.HostedZoneID != "" {
		zone = awsroute53.HostedZone_FromHostedZoneAttributes(h.Construct, jsii.String("HostedZone"), &awsroute53.HostedZoneAttributes{
			HostedZoneId: jsii.String(d.HostedZoneID), ZoneName: jsii.String(d.HostedZoneName),
		})
	}
	if d.CertificateArn != "" {
		c.certificate = awscertificatemanager.Certificate_FromCertificateArn(h.Construct, jsii.String("Certificate"), jsii.String(d.CertificateArn))
	}
	if c.certificate == nil {
		c.certificate = awscertificatemanager.NewCertificate(h.Construct, jsii.String("Certificate"), &awscertificatemanager.CertificateProps{
			DomainName:      jsii.String(d.Name),
			CertificateName: certificateName(h.Construct, "Certificate"),
			Validation:      awscertificatemanager.CertificateValidation_FromDns(zone),
		})
	}
	oac := awscloudfront.NewS3OriginAccessControl(h.Construct, jsii.String("OriginAccessControl"), &awscloudfront.S3OriginAccessControlProps{
		Description: jsii.String("CloudFront reads /" + linkfile.Dir + " of " + h.props.BucketName),
		Signing:     awscloudfront.Signing_SIGV4_ALWAYS(),
	})
	priceClass := d.PriceClass
	if priceClass == "" {
		priceClass = awscloudfront.PriceClass_PRICE_CLASS_100
	}
	const originID = "WellKnownBucket"
	// The distribution is written at the CloudFormation level, so that the
	// template — and cdk-nag, which reads it — shows every setting, the
	// Origin Access Control included.
	cfn := awscloudfront.NewCfnDistribution(h.Construct, jsii.String("Distribution"), &awscloudfront.CfnDistributionProps{
		DistributionConfig: &awscloudfront.CfnDistribution_DistributionConfigProperty{
			Enabled: jsii.Bool(true),
			Comment: jsii.String(distributionComment(d.Name)),
			Aliases: jsii.Strings(d.Name),
			Origins: &[]interface{}{&awscloudfront.CfnDistribution_OriginProperty{
				Id:                    jsii.String(originID),
				DomainName:            h.bucket.BucketRegionalDomainName(),
				OriginAccessControlId: oac.OriginAccessControlId(),
				// An empty identity: access is by OAC, not by a legacy OAI.
				S3OriginConfig: &awscloudfront.CfnDistribution_S3OriginConfigProperty{OriginAccessIdentity: jsii.String("")},
			}},
			DefaultCacheBehavior: &awscloudfront.CfnDistribution_DefaultCacheBehaviorProperty{
				TargetOriginId: jsii.String(originID),
				// Apple and Google fetch over HTTPS and refuse redirects, so
				// a redirect from http gains nothing; https-only makes the
				// template show that no 3xx is ever sent.
				ViewerProtocolPolicy: jsii.String("https-only"),
				AllowedMethods:       jsii.Strings("GET", "HEAD"),
				CachedMethods:        jsii.Strings("GET", "HEAD"),
				// Honours the objects' Cache-Control (max-age=300); no query
				// string, cookie or header in the cache key.
				CachePolicyId: awscloudfront.CachePolicy_CACHING_OPTIMIZED().CachePolicyId(),
				Compress:      jsii.Bool(true),
			},
			ViewerCertificate: &awscloudfront.CfnDistribution_ViewerCertificateProperty{
				AcmCertificateArn:      c.certificate.CertificateArn(),
				MinimumProtocolVersion: jsii.String("TLSv1.2_2021"),
				SslSupportMethod:       jsii.String("sni-only"),
			},
			HttpVersion: jsii.String("http2and3"),
			Ipv6Enabled: jsii.Bool(true),
			PriceClass:  jsii.String(cfnPriceClass[priceClass]),
			// No default root object: only the two files are served, and a
			// request for / gets S3's 403.
		},
	})
	c.distribution = awscloudfront.Distribution_FromDistributionAttributes(h.Construct, jsii.String("DistributionRef"), &awscloudfront.DistributionAttributes{
		DistributionId: cfn.Ref(), DomainName: cfn.AttrDomainName(),
	})
	c.cfn = cfn
	h.bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudFrontReadsWellKnown"),
		Effect:     awsiam.Effect_ALLOW,
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudfront.amazonaws.com"), nil)},
		Actions:    jsii.Strings("s3:GetObject"),
		Resources:  jsii.Strings(h.wellKnownObjects()),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"AWS:SourceArn": c.distributionARN()},
		},
	}))
	if zone != nil {
		target := awsroute53.RecordTarget_FromAlias(awsroute53targets.NewCloudFrontTarget(c.distribution))
		awsroute53.NewARecord(h.Construct, jsii.String("AliasA"), &awsroute53.ARecordProps{Zone: zone, RecordName: jsii.String(d.Name), Target: target})
		awsroute53.NewAaaaRecord(h.Construct, jsii.String("AliasAAAA"), &awsroute53.AaaaRecordProps{Zone: zone, RecordName: jsii.String(d.Name), Target: target})
	}
	c.loggingOn = h.logs != nil && standardLoggingIn(h.region)
	if c.loggingOn {
		h.newCDNLogging(c)
	}
	return c, nil
}

// distributionARN is arn:aws:cloudfront::<account>:distribution/<id>.
func (c *cdn) distributionARN() *string {
	stack := awscdk.Stack_Of(c.cfn)
	return jsii.String(fmt.Sprintf("arn:%s:cloudfront::%s:distribution/%s", config.PartitionID(*stack.Region()), *stack.Account(), *c.distribution.DistributionId()))
}

func (c *cdn) distributionOrNil() awscloudfront.IDistribution {
	if c == nil {
		return nil
	}
	return c.distribution
}

func (c *cdn) invalidationPaths() *[]*string {
	if c == nil {
		return nil
	}
	return jsii.Strings("/" + linkfile.Prefix + "*")
}

// Distribution is the CloudFront distribution, or nil without a domain.
func (h *WellKnownHosting) Distribution() awscloudfront.IDistribution {
	if h.cdn == nil {
		return nil
	}
	return h.cdn.distribution
}

// Certificate is the distribution's certificate, or nil without a domain.
func (h *WellKnownHosting) Certificate() awscertificatemanager.ICertificate {
	if h.cdn == nil {
		return nil
	}
	return h.cdn.certificate
}

// maxComment is the longest DistributionConfig.Comment CloudFront accepts;
// a longer one fails the deploy, and a DNS name may be 253 characters.
const maxComment = 128

func distributionComment(host string) string {
	c := "wellknown: /" + linkfile.Dir + " of " + host
	if len(c) > maxComment {
		c = c[:maxComment-3] + "..." // DNS names are ASCII: bytes are characters
	}
	return c
}

// cfnPriceClass maps the construct's price class to CloudFormation's.
var cfnPriceClass = map[awscloudfront.PriceClass]string{
	awscloudfront.PriceClass_PRICE_CLASS_100: "PriceClass_100",
	awscloudfront.PriceClass_PRICE_CLASS_200: "PriceClass_200",
	awscloudfront.PriceClass_PRICE_CLASS_ALL: "PriceClass_All",
}
