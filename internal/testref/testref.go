// Package testref finds the public reference data a few tests read and this
// repository does not redistribute: the SARIF 2.1.0 JSON schema and the
// wallarm/jwt-secrets wordlist. Only tests import it.
//
// Path looks, in order:
//
//  1. in shared/testdata/ of a parent directory of the test's package
//     (where CI lays it beside the clone);
//  2. in a package registry, by package name and pinned version, with the
//     content checked against a pinned SHA-256 (the SARIF schema: the Go
//     module github.com/owenrumney/go-sarif/v3, which embeds the OASIS
//     schema, fetched with `go mod download`);
//  3. nowhere: the test is skipped with a message naming the file, unless
//     the CI environment variable is set, in which case it fails.
package testref

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The files Path knows.
const (
	// SARIFSchema is the official SARIF 2.1.0 JSON schema.
	SARIFSchema = "sarif-schema-2.1.0.json"
	// JWTSecrets is wallarm/jwt-secrets' jwt.secrets.list (CRLF lines).
	JWTSecrets = "jwt.secrets.list"
)

// fetchers get a file from a registry; a name without one is only found
// in shared/testdata.
var fetchers = map[string]func(dir string) (string, error){
	SARIFSchema: fetchSARIFSchema,
}

// Path returns the path of the named reference file, or skips (CI unset)
// or fails (CI set) the test with a message naming the file.
func Path(t testing.TB, name string) string {
	t.Helper()
	if p, ok := shared(name); ok {
		return p
	}
	why := "no registry package ships it"
	if fetch := fetchers[name]; fetch != nil {
		p, err := fetch(t.TempDir())
		if err == nil {
			return p
		}
		why = err.Error()
	}
	msg := fmt.Sprintf("reference data %s: not in shared/testdata/ of any parent directory, and %s", name, why)
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set: the data must be there)")
	}
	t.Skip(msg + " (skipped: CI is unset)")
	return ""
}

// shared walks up from the working directory to a shared/testdata/name.
func shared(name string) (string, bool) {
	dir, err := filepath.Abs(".")
	if err != nil {
		return "", false
	}
	for {
		p := filepath.Join(dir, "shared", "testdata", name)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// The SARIF schema's registry package: go-sarif embeds the OASIS 2.1.0
// schema (errata01) as a Go string constant in one file.
const (
	sarifModule = "github.com/owenrumney/go-sarif/v3@v3.3.1"
	sarifFile   = "pkg/report/v210/sarif/schema.go"
	sarifSHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
)

func fetchSARIFSchema(dir string) (string, error) {
	src, err := goModFile(sarifModule, sarifFile)
	if err != nil {
		return "", err
	}
	start := []byte("const schema = `")
	i := bytes.Index(src, start)
	if i < 0 {
		return "", fmt.Errorf("%s in %s holds no schema constant", sarifFile, sarifModule)
	}
	body := src[i+len(start):]
	j := bytes.IndexByte(body, '`')
	if j < 0 {
		return "", fmt.Errorf("%s in %s: unterminated schema constant", sarifFile, sarifModule)
	}
	body = body[:j]
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != sarifSHA256 {
		return "", fmt.Errorf("the schema in %s has SHA-256 %x, want %s", sarifModule, sum, sarifSHA256)
	}
	p := filepath.Join(dir, SARIFSchema)
	if err := os.WriteFile(p, body, 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", p, err)
	}
	return p, nil
}

// goModFile downloads module@version with `go mod download` (into the
// module cache, checked against the checksum database) and reads one file.
func goModFile(module, file string) ([]byte, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module)
	cmd.Dir = os.TempDir() // outside any module: nothing to edit
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr == nil && info.Error != "" {
		return nil, fmt.Errorf("go mod download %s: %s", module, info.Error)
	}
	if err != nil {
		return nil, fmt.Errorf("go mod download %s: %v %s", module, err, bytes.TrimSpace(stderr.Bytes()))
	}
	if info.Dir == "" {
		return nil, errors.New("go mod download " + module + ": no directory")
	}
	data, err := os.ReadFile(filepath.Join(info.Dir, file))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", module, err)
	}
	return data, nil
}
