package linkfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// File is a link file found on disk.
type File struct {
	Name string // AssetLinks or AppleAppSiteAssociation
	Path string // filepath.Join(dir, Name)
	Data []byte
}

const notPublished = "not published: only " + AssetLinks + " and " + AppleAppSiteAssociation +
	" may be in .well-known/ (nothing is published by accident)"

// CheckDir validates one .well-known directory. Everything in it would be
// uploaded, so anything but the two link files is an error.
func CheckDir(dir string) ([]File, []Problem) {
	createFix := "create " + filepath.Join(dir) + "/ with " + AssetLinks + " and/or " + AppleAppSiteAssociation
	dirProblem := func(msg string) []Problem {
		return []Problem{{File: dir, Path: "$", Severity: Error, Message: msg, Fix: createFix}}
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
	var ps []Problem
	known := 0
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		bad := func(msg, fix string) {
			ps = append(ps, Problem{File: path, Path: "$", Severity: Error, Message: msg, Fix: fix})
		}
		if !slices.Contains(Names, e.Name()) {
			bad(notPublished, renameFix(e.Name()))
			continue
		}
		known++
		switch t := e.Type(); {
		case t&fs.ModeSymlink != 0:
			bad("is a symlink; the upload may follow it or skip it", "replace it with a regular file")
			continue
		case t.IsDir():
			bad("is a directory, not a file", "replace it with the JSON file")
			continue
		case !t.IsRegular():
			bad("is not a regular file", "replace it with the JSON file")
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			bad("cannot read file: "+err.Error(), "check the file's permissions")
			continue
		}
		files = append(files, File{Name: e.Name(), Path: path, Data: data})
		ps = append(ps, Validate(path, data)...)
	}
	if known == 0 {
		ps = append(ps, Problem{File: dir, Path: "$", Severity: Error,
			Message: "contains neither " + AssetLinks + " nor " + AppleAppSiteAssociation,
			Fix:     "add " + AssetLinks + " and/or " + AppleAppSiteAssociation})
	}
	slices.SortStableFunc(files, func(a, b File) int {
		return slices.Index(Names, a.Name) - slices.Index(Names, b.Name)
	})
	return files, ps
}
