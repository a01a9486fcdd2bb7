package exact

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The project's code runs in a scratch copy of the tree, never in the
// analysed checkout: an app that creates its database, instance folder,
// log or config file at import writes into the copy, which is removed
// afterwards. Paths the helper reports are relative to the root it is
// given, so they are the same in the copy.

// notCopied are directories an import never needs (version control,
// caches, JavaScript packages).
var notCopied = map[string]bool{".git": true, ".hg": true, ".svn": true, "__pycache__": true, "node_modules": true,
	".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true, ".tox": true, ".nox": true}

// maxCopied bounds one file of the copy; larger files (datasets, media)
// are left out: an import that reads one fails and says which.
const maxCopied = 64 << 20

// scratchCopy copies the tree at src into a new temporary directory and
// returns it; the caller removes it.
func scratchCopy(src string) (string, error) {
	dst, err := os.MkdirTemp("", "authprobe-import-*")
	if err != nil {
		return "", fmt.Errorf("scratch copy: %w", err)
	}
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == src {
				return err
			}
			return nil // an unreadable entry is left out
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case p == src:
			return nil
		case d.IsDir():
			if notCopied[d.Name()] {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return nil
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			return copyFile(p, target)
		}
		return nil
	})
	if err != nil {
		os.RemoveAll(dst)
		return "", fmt.Errorf("scratch copy of %s: %w", src, err)
	}
	return dst, nil
}

func copyFile(src, dst string) error {
	st, err := os.Stat(src)
	if err != nil || st.Size() > maxCopied {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return nil
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm()|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
