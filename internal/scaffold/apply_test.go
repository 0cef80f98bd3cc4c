package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cdkJSON = `{"context": {"wellknown:environments": {}}}`

func newPlanIn(t *testing.T, dir string) *Plan {
	t.Helper()
	plan, problems, err := NewPlan(Props{Dir: dir, Name: "qa", Account: "555555555555", Region: "eu-west-2",
		IOSAppIDs: []string{"ABCDE12345.com.acme.qa"}, AndroidApps: []AndroidApp{{Package: "com.acme.qa",
			Fingerprints: []string{"A7:23:F8:4E:13:2D:E3:B6:B3:22:D9:F4:91:B0:B3:C6:0F:6E:FA:74:45:8E:28:BD:8E:A8:5C:D2:08:D4:F2:94"}}}})
	if err != nil || plan == nil {
		t.Fatalf("plan: %v %v", err, problems)
	}
	return plan
}

// tree lists every path under dir.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		rel, _ := filepath.Rel(dir, path)
		out = append(out, rel)
		return nil
	})
	return out
}

// A failure at any rename — a link file or cdk.json — undoes the renames
// before it: no link file, no directory, no temporary file remains, and
// cdk.json is as it was, so the next run does not find "already exists".
func TestApplyAllOrNothing(t *testing.T) {
	for _, failAt := range []string{"apple-app-site-association", "assetlinks.json", "cdk.json"} {
		t.Run(failAt, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(cdkJSON), 0o644)
			before := tree(t, dir)
			plan := newPlanIn(t, dir)
			rename = func(from, to string) error {
				if filepath.Base(to) == failAt {
					return errors.New("disk full")
				}
				return os.Rename(from, to)
			}
			defer func() { rename = os.Rename }()
			err := plan.Apply()
			if err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Fatalf("err = %v", err)
			}
			if after := tree(t, dir); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("tree changed:\nbefore %v\nafter  %v", before, after)
			}
			if data, _ := os.ReadFile(filepath.Join(dir, "cdk.json")); string(data) != cdkJSON {
				t.Errorf("cdk.json changed: %s", data)
			}
			// And the same plan succeeds once the disk is fine again.
			rename = os.Rename
			if err := newPlanIn(t, dir).Apply(); err != nil {
				t.Fatalf("second run: %v", err)
			}
		})
	}
}

// A replaced file is restored, not just removed, when a later rename
// fails.
func TestApplyRestoresReplacedFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(cdkJSON), 0o644)
	if err := newPlanIn(t, dir).Apply(); err != nil {
		t.Fatal(err)
	}
	aasa := filepath.Join(dir, "assets", "qa", ".well-known", "apple-app-site-association")
	old, _ := os.ReadFile(aasa)
	plan, problems, err := NewPlan(Props{Dir: dir, Name: "qa", Account: "555555555555", Region: "eu-west-2", Force: true,
		IOSAppIDs: []string{"ABCDE12345.com.acme.other"}})
	if err != nil || plan == nil {
		t.Fatalf("%v %v", err, problems)
	}
	cdkBefore, _ := os.ReadFile(filepath.Join(dir, "cdk.json"))
	rename = func(from, to string) error {
		if filepath.Base(to) == "cdk.json" {
			return errors.New("read-only file system")
		}
		return os.Rename(from, to)
	}
	defer func() { rename = os.Rename }()
	if err := plan.Apply(); err == nil {
		t.Fatal("Apply succeeded")
	}
	if got, _ := os.ReadFile(aasa); string(got) != string(old) {
		t.Errorf("the replaced AASA file was not restored:\n%s", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "cdk.json")); string(got) != string(cdkBefore) {
		t.Error("cdk.json changed")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "assets", "qa", ".well-known", ".*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// A cdk.json that is a symlink is updated through the link.
func TestApplyThroughSymlinkedCDKJSON(t *testing.T) {
	dir := t.TempDir()
	shared := filepath.Join(t.TempDir(), "shared-cdk.json")
	os.WriteFile(shared, []byte(cdkJSON), 0o640)
	if err := os.Symlink(shared, filepath.Join(dir, "cdk.json")); err != nil {
		t.Fatal(err)
	}
	if err := newPlanIn(t, dir).Apply(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "cdk.json")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("cdk.json is no longer a symlink: %v", err)
	}
	data, _ := os.ReadFile(shared)
	if !strings.Contains(string(data), `"qa"`) {
		t.Errorf("the link's target was not updated:\n%s", data)
	}
	if fi, _ := os.Stat(shared); fi.Mode().Perm() != 0o640 {
		t.Errorf("the target's mode changed to %v", fi.Mode().Perm())
	}
}
