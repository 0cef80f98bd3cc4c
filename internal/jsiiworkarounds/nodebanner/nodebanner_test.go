package nodebanner_test

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/jsiiworkarounds/nodebanner"
)

// This test binary imports aws-cdk-go, whose init functions create the jsii
// client and snapshot the environment. If nodebanner's init did not run
// first, the node child would print its banner when it starts.
func TestBannerSilencedBeforeJsiiStarts(t *testing.T) {
	for k := range nodebanner.Variables {
		if os.Getenv(k) == "" {
			t.Fatalf("%s is not set", k)
		}
	}
	real := os.Stderr
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stderr = w
	awscdk.NewApp(nil) // starts the node child
	jsii.Close()
	os.Stderr = real
	w.Close()
	out, _ := io.ReadAll(r)
	if strings.Contains(string(out), "end-of-life") || strings.Contains(string(out), "!!!!") {
		t.Errorf("node banner printed:\n%s", out)
	}
}
