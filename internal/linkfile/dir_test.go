package linkfile

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/diag"
)

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// wantProblem fails unless ps has an diag.Error for file at "$" containing msg.
func wantProblem(t *testing.T, ps []diag.Problem, file, msg string) {
	t.Helper()
	for _, p := range ps {
		if p.File == file && p.Path == "$" && p.Severity == diag.Error && strings.Contains(p.Message, msg) && p.Fix != "" {
			return
		}
	}
	t.Errorf("no error for %s containing %q; got:\n%s", file, msg, dump(ps))
}

func TestCheckDirOK(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, AssetLinks), goodAssetLinks)
	files, ps := CheckDir(dir)
	if len(ps) != 0 {
		t.Fatalf("want no problems, got:\n%s", dump(ps))
	}
	if len(files) != 1 || files[0].Name != AssetLinks || files[0].Path != filepath.Join(dir, AssetLinks) || string(files[0].Data) != goodAssetLinks {
		t.Fatalf("files = %+v", files)
	}
}

func TestCheckDirBothSorted(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, AppleAppSiteAssociation), goodAASA)
	writeFile(t, filepath.Join(dir, AssetLinks), `[]`)
	files, ps := CheckDir(dir)
	if len(files) != 2 || files[0].Name != AssetLinks || files[1].Name != AppleAppSiteAssociation {
		t.Fatalf("files not in Names order: %+v", files)
	}
	// The invalid file is still returned and its problems carry its path.
	if len(ps) != 1 || ps[0].File != filepath.Join(dir, AssetLinks) || !strings.Contains(ps[0].Message, "no statements") {
		t.Fatalf("problems:\n%s", dump(ps))
	}
}

func TestCheckDirBad(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) (file string) // returns the file the problem must name
		msg   string
	}{
		{"unknown file", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, AssetLinks), goodAssetLinks)
			writeFile(t, filepath.Join(dir, "README.md"), "x")
			return filepath.Join(dir, "README.md")
		}, "not published: only assetlinks.json and apple-app-site-association may be in .well-known/"},
		{"misnamed aasa", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, AppleAppSiteAssociation+".json"), goodAASA)
			return filepath.Join(dir, AppleAppSiteAssociation+".json")
		}, "not published"},
		{"subdirectory", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, AssetLinks), goodAssetLinks)
			if err := os.Mkdir(filepath.Join(dir, "old"), 0o755); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "old")
		}, "not published"},
		{"ds_store", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, AssetLinks), goodAssetLinks)
			writeFile(t, filepath.Join(dir, ".DS_Store"), "\x00\x01")
			return filepath.Join(dir, ".DS_Store")
		}, "not published"},
		{"symlink", func(t *testing.T, dir string) string {
			target := filepath.Join(t.TempDir(), "real.json")
			writeFile(t, target, goodAssetLinks)
			if err := os.Symlink(target, filepath.Join(dir, AssetLinks)); err != nil {
				t.Skip("symlinks unsupported:", err)
			}
			return filepath.Join(dir, AssetLinks)
		}, "is a symlink"},
		{"unknown symlink", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, AssetLinks), goodAssetLinks)
			if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd")); err != nil {
				t.Skip("symlinks unsupported:", err)
			}
			return filepath.Join(dir, "passwd")
		}, "not published"},
		{"known name is directory", func(t *testing.T, dir string) string {
			if err := os.Mkdir(filepath.Join(dir, AppleAppSiteAssociation), 0o755); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, AppleAppSiteAssociation)
		}, "is a directory"},
		{"empty dir", func(t *testing.T, dir string) string { return dir }, "contains neither assetlinks.json nor apple-app-site-association"},
		{"invalid content", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, AppleAppSiteAssociation), "")
			return filepath.Join(dir, AppleAppSiteAssociation)
		}, "file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := tt.setup(t, dir)
			_, ps := CheckDir(dir)
			wantProblem(t, ps, file, tt.msg)
			if !diag.HasErrors(ps) {
				t.Error("HasErrors = false")
			}
		})
	}
}

func TestCheckDirMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".well-known")
	files, ps := CheckDir(dir)
	wantProblem(t, ps, dir, "does not exist")
	if files != nil || !strings.Contains(ps[0].Fix, "create "+dir+"/ with assetlinks.json and/or apple-app-site-association") {
		t.Errorf("files=%v fix=%q", files, ps[0].Fix)
	}
}

func TestCheckDirNotDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".well-known")
	writeFile(t, path, "")
	_, ps := CheckDir(path)
	wantProblem(t, ps, path, "is not a directory")
}

func TestDirAndURL(t *testing.T) {
	if got := DirIn("assets/dev"); got != "assets/dev/.well-known" {
		t.Errorf("DirIn = %q", got)
	}
	if got := URL("https://b-1.s3.eu-west-1.amazonaws.com/", AssetLinks); got != "https://b-1.s3.eu-west-1.amazonaws.com/.well-known/assetlinks.json" {
		t.Errorf("URL = %q", got)
	}
}

// A link file over the size limit is reported once, from its size, without
// being read: a 50 MB file must cost neither memory nor a second error.
func TestCheckDirHugeFileNotRead(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".well-known")
	writeFile(t, filepath.Join(dir, AssetLinks), "")
	if err := os.Truncate(filepath.Join(dir, AssetLinks), 50<<20); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	files, ps := CheckDir(dir)
	runtime.ReadMemStats(&after)
	if len(files) != 0 || len(ps) != 1 || !strings.Contains(ps[0].Message, "52428800 bytes, over the 131072-byte") {
		t.Fatalf("files %v, problems %v", files, ps)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 4<<20 {
		t.Errorf("checking the directory allocated %d bytes; the file was read", grown)
	}
}

// A directory full of stray entries is reported in a few lines that still
// say how many there are.
func TestCheckDirManyStraysCompact(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".well-known")
	writeFile(t, filepath.Join(dir, AssetLinks), `[{"relation": ["`+HandleAllURLs+`"], "target": {"namespace": "web", "site": "https://example.com"}}]`)
	for i := 0; i < 500; i++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("junk-%03d.txt", i)), "x")
	}
	_, ps := CheckDir(dir)
	if len(ps) != maxStrays+1 {
		t.Fatalf("%d problems for 500 stray files, want %d:\n%v", len(ps), maxStrays+1, ps)
	}
	last := ps[len(ps)-1]
	if last.File != dir || !strings.Contains(last.Message, "495 more entries are not published") || !strings.Contains(last.Message, "junk-005.txt") {
		t.Errorf("summary problem: %v", last)
	}
}
