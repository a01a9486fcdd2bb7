package inventory

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxRefFiles bounds how many other files one spec may pull in.
const maxRefFiles = 256

// localRefReader lets a spec read from a file follow $refs to other files in
// its own directory tree, and nothing else: no URL is ever fetched, no file
// outside root (through ".." or a symbolic link) is read, each file is capped
// at MaxSpecBytes and there are at most maxRefFiles of them.
func localRefReader(root string) openapi3.ReadFromURIFunc {
	read := 0
	return func(_ *openapi3.Loader, location *url.URL) ([]byte, error) {
		if location.Scheme != "" && location.Scheme != "file" || location.Host != "" {
			return nil, fmt.Errorf("reference to %s: authprobe never fetches referenced documents; bundle the spec into one file", location.Redacted())
		}
		path, err := insideRoot(root, filepath.FromSlash(location.Path))
		if err != nil {
			return nil, err
		}
		if read++; read > maxRefFiles {
			return nil, fmt.Errorf("reference to %s: more than %d referenced files", location.Path, maxRefFiles)
		}
		return readFile(path)
	}
}

// insideRoot resolves path (symbolic links included) and checks that it lies
// under root, which is already resolved.
func insideRoot(root, path string) (string, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("referenced file: %w", err)
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", errors.New("reference to " + path + " leaves the spec's directory; not followed")
	}
	return real, nil
}

// specRoot is the resolved directory of a spec file, and the file's path as
// a URL for the loader to resolve relative references against.
func specRoot(file string) (string, *url.URL, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", nil, err
	}
	return filepath.Dir(real), &url.URL{Path: filepath.ToSlash(real)}, nil
}
