package fakeaws

import (
	"os"
	"path/filepath"
)

// awsVariables are the environment variables through which the SDK could
// pick up real credentials, real configuration or a real endpoint. Tests
// blank them all; IsolatedEnv then sets the few that must have a value.
var awsVariables = []string{
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
	"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CA_BUNDLE",
	"AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
	"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
	"AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_STS_REGIONAL_ENDPOINTS", "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
	"AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_DEFAULTS_MODE",
	"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
}

// IsolatedEnv returns environment settings (name → value) under which the
// SDK reads no real credentials or configuration and reaches nothing
// outside the test: every AWS variable blank, empty shared config and
// credentials files in dir, no instance metadata, no endpoint overrides
// from configuration. Callers add the test's own credentials and, for a
// subprocess, HTTPS_PROXY and AWS_CA_BUNDLE.
func IsolatedEnv(dir string) (map[string]string, error) {
	env := map[string]string{}
	for _, v := range awsVariables {
		env[v] = ""
	}
	cfg, creds := filepath.Join(dir, "aws-config"), filepath.Join(dir, "aws-credentials")
	for _, f := range []string{cfg, creds} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			return nil, err
		}
	}
	env["AWS_CONFIG_FILE"] = cfg
	env["AWS_SHARED_CREDENTIALS_FILE"] = creds
	env["AWS_EC2_METADATA_DISABLED"] = "true"
	env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
	return env, nil
}
