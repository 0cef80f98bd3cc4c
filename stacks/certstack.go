package stacks

import (
	"errors"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
)

// WellKnownCertStackProps configures the certificate of a custom domain
// whose hosting stack is not in us-east-1. StackProps.Env must be us-east-1.
type WellKnownCertStackProps struct {
	awscdk.StackProps
	DomainName                   string
	HostedZoneID, HostedZoneName string
}

// NewWellKnownCertStack creates a DNS-validated certificate for DomainName
// in us-east-1, where CloudFront takes certificates from, for a hosting
// stack in another region. Passing the certificate to that stack's
// DomainProps makes a weak cross-stack reference (the project's
// "@aws-cdk/core:defaultCrossStackReferences": "weak"), which synthesizes
// to Fn::GetStackOutput: no custom resource, no Fn::ImportValue that would
// pin this stack's output.
func NewWellKnownCertStack(scope constructs.Construct, id string, props *WellKnownCertStackProps) (awscdk.Stack, awscertificatemanager.ICertificate, error) {
	if props == nil {
		return nil, nil, errors.New("WellKnownCertStack: props are required")
	}
	if props.Env == nil || props.Env.Region == nil || *props.Env.Region != config.CertificateRegion {
		return nil, nil, fmt.Errorf("WellKnownCertStack %s: StackProps.Env.Region must be %s, where CloudFront takes certificates from", id, config.CertificateRegion)
	}
	if err := errors.Join(config.CheckHostName(props.DomainName), config.CheckCertificateName(props.DomainName),
		config.CheckHostedZone(props.HostedZoneID, props.HostedZoneName, props.DomainName)); err != nil {
		return nil, nil, fmt.Errorf("WellKnownCertStack %s: %w", id, err)
	}
	sprops := props.StackProps
	if sprops.Description == nil {
		sprops.Description = jsii.String("wellknown: the us-east-1 certificate of " + props.DomainName)
	}
	stack := awscdk.NewStack(scope, &id, &sprops)
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("HostedZone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String(props.HostedZoneID), ZoneName: jsii.String(props.HostedZoneName),
	})
	cert := awscertificatemanager.NewCertificate(stack, jsii.String("Certificate"), &awscertificatemanager.CertificateProps{
		DomainName:      jsii.String(props.DomainName),
		CertificateName: certificateName(stack, "Certificate"),
		Validation:      awscertificatemanager.CertificateValidation_FromDns(zone),
	})
	awscdk.NewCfnOutput(stack, jsii.String("CertificateArn"), &awscdk.CfnOutputProps{
		Value:       cert.CertificateArn(),
		Description: jsii.String("Certificate of " + props.DomainName + " for CloudFront"),
	})
	return stack, cert, nil
}
