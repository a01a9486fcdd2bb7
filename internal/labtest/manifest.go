// Package labtest finds, describes and starts the Flask labs under labs/ for
// integration tests: each lab's manifest (lab.yaml) lists exactly the findings
// a correct scan of it must produce, and Start runs the lab on a free loopback
// port for the length of one test.
package labtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Expectation is one finding — one root cause — a scan of the lab must
// produce. Endpoint is "METHOD /path" with the path as written in the lab's
// config or spec (templates like /api/notes/{note_id} kept): the finding's
// representative; it is empty for findings about an identity's token, which
// name the Identity instead.
type Expectation struct {
	Rule     string `yaml:"rule"`
	Endpoint string `yaml:"endpoint,omitempty"`
	Identity string `yaml:"identity,omitempty"`
	CWE      string `yaml:"cwe"`
	// Cause is "FILE: code" — a fragment of the source line that causes
	// the finding, where scan --source must pin it.
	Cause string `yaml:"cause,omitempty"`
	// Instances, when given, are every place the root cause must be seen
	// ("METHOD /path" or an identity name), the representative included;
	// when absent the finding's only place is its endpoint or identity.
	Instances []string `yaml:"instances,omitempty"`
}

// Places returns the expected places: Instances, or the endpoint or
// identity alone.
func (e Expectation) Places() []string {
	if len(e.Instances) > 0 {
		return e.Instances
	}
	if e.Endpoint != "" {
		return []string{e.Endpoint}
	}
	return []string{e.Identity}
}

// String renders the expectation for test messages.
func (e Expectation) String() string {
	where := e.Endpoint
	if where == "" {
		where = "identity " + e.Identity
	}
	return fmt.Sprintf("%s at %s (%s)", e.Rule, where, e.CWE)
}

// Manifest is a lab's lab.yaml. A secure twin has an empty Expect.
type Manifest struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Twin        string `yaml:"twin,omitempty"`
	// Args are extra scan flags the lab needs (--allow-writes for labs
	// whose flaws only show in writes); tests append them.
	Args []string `yaml:"args,omitempty"`
	// Static says what the source analysis must find in a vulnerable lab:
	// empty means its # want comments; "none" declares a lab whose flaws
	// cannot be seen in source at all (a missing throttle), with Why.
	Static string        `yaml:"static,omitempty"`
	Expect []Expectation `yaml:"expect"`
}

// ManifestFile, AppFile and ConfigFile are the names of a lab's files.
const (
	ManifestFile = "lab.yaml"
	AppFile      = "app.py"
	ConfigFile   = "authprobe.yaml"
)

var (
	cwePattern      = regexp.MustCompile(`^CWE-[1-9][0-9]*$`)
	endpointPattern = regexp.MustCompile(`^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE) /\S*$`)
)

// Root returns the repository's labs/ directory, found by walking up from the
// working directory to the first directory holding go.mod and labs/.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("labs root: %w", err)
	}
	for {
		labs := filepath.Join(dir, "labs")
		if isFile(filepath.Join(dir, "go.mod")) && isDir(labs) {
			return labs, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("labs root: no directory with go.mod and labs/ above the working directory")
		}
		dir = parent
	}
}

// Names lists every lab directory that has a lab.yaml, sorted.
func Names() ([]string, error) {
	root, err := Root()
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("list labs: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && isFile(filepath.Join(root, e.Name(), ManifestFile)) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Load reads and validates the manifest of the named lab.
func Load(name string) (Manifest, error) {
	root, err := Root()
	if err != nil {
		return Manifest{}, err
	}
	path := filepath.Join(root, name, ManifestFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("lab %s: %w", name, err)
	}
	m, err := parseManifest(data)
	if err != nil {
		return Manifest{}, fmt.Errorf("lab %s: %s: %w", name, path, err)
	}
	if m.Name != name {
		return Manifest{}, fmt.Errorf("lab %s: manifest name %q differs from its directory", name, m.Name)
	}
	return m, nil
}

// parseManifest decodes a manifest strictly (unknown fields are errors) and
// checks every expectation's shape.
func parseManifest(data []byte) (Manifest, error) {
	var m Manifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("parse manifest: %w", err)
	}
	if m.Name == "" || strings.TrimSpace(m.Description) == "" {
		return Manifest{}, errors.New("manifest needs a name and a description")
	}
	if m.Twin != "" && len(m.Expect) == 0 {
		return Manifest{}, errors.New("a lab with a secure twin must expect findings")
	}
	seen := map[string]bool{}
	for i, e := range m.Expect {
		if err := checkExpectation(e); err != nil {
			return Manifest{}, fmt.Errorf("expect[%d]: %w", i, err)
		}
		k := e.Rule + "|" + e.Endpoint + "|" + e.Identity
		if seen[k] {
			return Manifest{}, fmt.Errorf("expect[%d]: duplicate %s", i, e)
		}
		seen[k] = true
	}
	return m, nil
}

func checkExpectation(e Expectation) error {
	switch {
	case e.Rule == "":
		return errors.New("missing rule")
	case !cwePattern.MatchString(e.CWE):
		return fmt.Errorf("%s: cwe %q is not CWE-<number>", e.Rule, e.CWE)
	case e.Endpoint != "" && e.Identity != "":
		return fmt.Errorf("%s: give an endpoint or an identity, not both", e.Rule)
	case e.Endpoint != "" && !endpointPattern.MatchString(e.Endpoint):
		return fmt.Errorf("%s: endpoint %q is not \"METHOD /path\"", e.Rule, e.Endpoint)
	case e.Cause != "" && !strings.Contains(e.Cause, ": "):
		return fmt.Errorf("%s: cause %q is not \"FILE: code\"", e.Rule, e.Cause)
	}
	if len(e.Instances) == 0 {
		return nil
	}
	rep := e.Endpoint
	if rep == "" {
		rep = e.Identity
	}
	seen := map[string]bool{}
	for _, in := range e.Instances {
		if strings.Contains(in, " ") && !endpointPattern.MatchString(in) {
			return fmt.Errorf("%s: instance %q is neither \"METHOD /path\" nor an identity", e.Rule, in)
		}
		if seen[in] {
			return fmt.Errorf("%s: instance %q listed twice", e.Rule, in)
		}
		seen[in] = true
	}
	if !seen[rep] {
		return fmt.Errorf("%s: the instances do not include the representative %q", e.Rule, rep)
	}
	return nil
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}
