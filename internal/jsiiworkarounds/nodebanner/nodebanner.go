// Package nodebanner silences the jsii runtime's node-version banner; import
// it for its side effect.
//
// Cause: these machines run Node 20, and jsii (jsii-runtime-go v1.139.0
// with its bundled @jsii/runtime) prints a multi-line end-of-life box on
// every synth, which teaches people to ignore stderr and hides real
// warnings. jsii reads JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION while a
// release is deprecated and, once support has ended, the comma-separated
// major versions in JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION.
//
// Delete this package when the machines run a Node.js release that jsii
// supports (22 or newer): remove the blank import from app.go and check
// that `cdk synth` stays quiet (TestCDKCLISynthIsQuiet).
//
// The variables must be set in an init function: aws-cdk-go's own init
// functions register types through the jsii client, which snapshots the
// environment for the node child right then. Go initializes packages in
// import-path order once their imports are ready, and this package imports
// only the standard library and sorts before github.com/aws/..., so its init
// runs first. TestBannerSilencedBeforeJsiiStarts guards that assumption.
package nodebanner

import "os"

// Variables are the settings applied unless the user already set them.
var Variables = map[string]string{
	"JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION":  "1",
	"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "18,20",
}

func init() {
	for k, v := range Variables {
		if _, set := os.LookupEnv(k); !set {
			os.Setenv(k, v)
		}
	}
}
