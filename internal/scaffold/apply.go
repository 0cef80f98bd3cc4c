package scaffold

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/acme/wellknown/internal/linkfile"
)

// Apply writes the plan all or nothing. Every file is first written in
// full to a temporary file beside its target; only then are they renamed
// into place, cdk.json last. If anything fails, the files already renamed
// are put back as they were, directories it created are removed, and no
// temporary file is left, so the next run does not find half an
// environment ("already exists"). A cdk.json that is a symlink is updated
// through the link: its target changes, the link stays.
func (pl *Plan) Apply() (err error) {
	cdkTarget, err := filepath.EvalSymlinks(pl.CDKJSONPath)
	if err != nil {
		return err
	}
	// A rename replaces a read-only file without asking; refuse instead,
	// before anything is written.
	if err := syscall.Access(cdkTarget, wOK); err != nil {
		return fmt.Errorf("%s is not writable (%v); nothing was written", describeTarget(pl.CDKJSONPath, cdkTarget), err)
	}
	tx := &transaction{}
	defer func() {
		if err != nil {
			if rerr := tx.rollback(); rerr != nil {
				err = fmt.Errorf("%w; undoing the partial write failed too: %v", err, rerr)
			}
		}
	}()
	if err := tx.mkdirAll(linkfile.DirIn(pl.Env.AssetsDir)); err != nil {
		return err
	}
	for _, f := range pl.Files {
		if err := tx.stage(f.Path, f.Data); err != nil {
			return err
		}
	}
	if err := tx.stage(cdkTarget, pl.CDKJSON); err != nil {
		return err
	}
	return tx.commit()
}

func describeTarget(path, target string) string {
	if path == target {
		return path
	}
	return fmt.Sprintf("%s (the target of the symlink %s)", target, path)
}

// transaction is a set of staged writes and what undoes them.
type transaction struct {
	staged  []staged
	dirs    []string // created, deepest last
	renamed []staged // committed so far
}

type staged struct {
	target, tmp, backup string
}

// wOK is W_OK of access(2): may the caller write the file.
const wOK = 2

// rename is os.Rename; tests replace it to fail at a chosen file.
var rename = os.Rename

// mkdirAll creates dir and records the directories it had to create.
func (tx *transaction) mkdirAll(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || d == filepath.Dir(d) {
			break
		}
		missing = append(missing, d)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil && !os.IsExist(err) {
			return err
		}
		tx.dirs = append(tx.dirs, missing[i])
	}
	return nil
}

// stage writes data to a temporary file in target's directory, with
// target's permissions when it exists.
func (tx *transaction) stage(target string, data []byte) (err error) {
	mode := os.FileMode(0o644)
	if info, err := os.Stat(target); err == nil {
		mode = info.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", target, err)
	}
	tx.staged = append(tx.staged, staged{target: target, tmp: tmp.Name()})
	if _, err = tmp.Write(data); err == nil {
		if err = tmp.Chmod(mode); err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", target, err)
	}
	return nil
}

// commit renames every staged file into place, keeping what it replaces
// until the last rename succeeded.
func (tx *transaction) commit() error {
	for _, s := range tx.staged {
		if _, err := os.Lstat(s.target); err == nil {
			s.backup = s.tmp + ".old"
			if err := rename(s.target, s.backup); err != nil {
				return fmt.Errorf("writing %s: %w", s.target, err)
			}
		}
		if err := rename(s.tmp, s.target); err != nil {
			if s.backup != "" {
				os.Rename(s.backup, s.target)
			}
			return fmt.Errorf("writing %s: %w", s.target, err)
		}
		tx.renamed = append(tx.renamed, s)
	}
	for _, s := range tx.renamed {
		if s.backup != "" {
			os.Remove(s.backup)
		}
	}
	tx.staged, tx.renamed, tx.dirs = nil, nil, nil
	return nil
}

// rollback restores every renamed file, removes the temporary files and
// the directories it created.
func (tx *transaction) rollback() error {
	var errs []error
	for i := len(tx.renamed) - 1; i >= 0; i-- {
		s := tx.renamed[i]
		if s.backup != "" {
			errs = append(errs, os.Rename(s.backup, s.target))
		} else {
			errs = append(errs, os.Remove(s.target))
		}
	}
	for _, s := range tx.staged {
		os.Remove(s.tmp)
	}
	for i := len(tx.dirs) - 1; i >= 0; i-- {
		os.Remove(tx.dirs[i]) // only if empty: never anything it did not create
	}
	return errors.Join(errs...)
}
