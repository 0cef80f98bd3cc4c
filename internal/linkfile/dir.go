package linkfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/acme/wellknown/internal/diag"
)

// File is a link file found on disk.
type File struct {
	Name string // AssetLinks or AppleAppSiteAssociation
	Path string // filepath.Join(dir, Name)
	Data []byte
}

const notPublished = "not published: only " + AssetLinks + " and " + AppleAppSiteAssociation +
	" may be in " + Prefix + " (nothing is published by accident)"

// CheckDir validates one .well-known directory. Everything in it would be
// uploaded, so anything but the two link files is an error.
func CheckDir(dir string) ([]File, []diag.Problem) {
	createFix := "create " + filepath.Join(dir) + "/ with " + AssetLinks + " and/or " + AppleAppSiteAssociation
	dirProblem := func(msg string) []diag.Problem {
		return []diag.Problem{{File: dir, Path: "$", Severity: diag.Error, Message: msg, Fix: createFix}}
	}
	info, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err):
		return nil, dirProblem("directory does not exist")
	case err != nil:
		return nil, dirProblem("cannot read directory: " + err.Error())
	case !info.IsDir():
		return nil, dirProblem("is not a directory")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, dirProblem("cannot read directory: " + err.Error())
	}
	var files []File
	ps := Strays(dir, entries)
	known := 0
	for _, e := range entries {
		if !IsLinkFile(e.Name()) {
			continue
		}
		known++
		path := filepath.Join(dir, e.Name())
		f, p := readLinkFile(path, e)
		if p != nil {
			ps = append(ps, *p)
			continue
		}
		files = append(files, f)
		ps = append(ps, Validate(path, f.Data)...)
	}
	if known == 0 {
		ps = append(ps, diag.Problem{File: dir, Path: "$", Severity: diag.Error,
			Message: "contains neither " + AssetLinks + " nor " + AppleAppSiteAssociation,
			Fix:     "add " + AssetLinks + " and/or " + AppleAppSiteAssociation})
	}
	slices.SortStableFunc(files, func(a, b File) int {
		return slices.Index(Names, a.Name) - slices.Index(Names, b.Name)
	})
	return files, ps
}

// readLinkFile reads one regular link file, or says why it cannot be
// published. A file over the size limit is reported from its size alone,
// so a huge file costs neither memory nor a cascade of syntax errors.
func readLinkFile(path string, e fs.DirEntry) (File, *diag.Problem) {
	bad := func(msg, fix string) (File, *diag.Problem) {
		return File{}, &diag.Problem{File: path, Path: "$", Severity: diag.Error, Message: msg, Fix: fix}
	}
	switch t := e.Type(); {
	case t&fs.ModeSymlink != 0:
		return bad("is a symlink; the upload may follow it or skip it", "replace it with a regular file")
	case t.IsDir():
		return bad("is a directory, not a file", "replace it with the JSON file")
	case !t.IsRegular():
		return bad("is not a regular file", "replace it with the JSON file")
	}
	if info, err := e.Info(); err == nil && info.Size() > MaxSize {
		p := sizeProblem(path, info.Size())
		return File{}, &p
	}
	fh, err := os.Open(path)
	if err != nil {
		return bad("cannot read file: "+err.Error(), "check the file's permissions")
	}
	defer fh.Close()
	// The limit holds even if the file grows after the size was read.
	data, err := io.ReadAll(io.LimitReader(fh, MaxSize+1))
	if err != nil {
		return bad("cannot read file: "+err.Error(), "check the file's permissions")
	}
	if len(data) > MaxSize {
		p := sizeProblem(path, int64(len(data)))
		return File{}, &p
	}
	return File{Name: e.Name(), Path: path, Data: data}, nil
}

func sizeProblem(file string, size int64) diag.Problem {
	return diag.Problem{File: file, Path: "$", Severity: diag.Error,
		Message: fmt.Sprintf("file is %d bytes, over the %d-byte (128 KiB) limit Apple applies", size, MaxSize),
		Fix:     "make the file smaller: remove unused entries or merge patterns with wildcards"}
}

// maxStrays is how many stray entries are named one by one; the rest are
// counted, so a directory full of them stays readable.
const maxStrays = 5

// Strays reports every entry of a .well-known directory that is not a link
// file: it would be published, so it is an error wherever it is found.
func Strays(dir string, entries []fs.DirEntry) []diag.Problem {
	var ps []diag.Problem
	var rest []string
	for _, e := range entries {
		switch {
		case IsLinkFile(e.Name()):
		case len(ps) < maxStrays:
			ps = append(ps, diag.Problem{File: filepath.Join(dir, e.Name()), Path: "$", Severity: diag.Error,
				Message: notPublished, Fix: renameFix(e.Name())})
		default:
			rest = append(rest, e.Name())
		}
	}
	if len(rest) > 0 {
		shown := rest[:min(len(rest), 3)]
		more := ""
		if len(rest) > len(shown) {
			more = ", …"
		}
		ps = append(ps, diag.Problem{File: dir, Path: "$", Severity: diag.Error,
			Message: fmt.Sprintf("%d more entries are not published either (%s%s)", len(rest), strings.Join(shown, ", "), more),
			Fix:     "keep only " + AssetLinks + " and " + AppleAppSiteAssociation + " in " + Prefix})
	}
	return ps
}
