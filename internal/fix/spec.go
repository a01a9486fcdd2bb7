package fix

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/authprobe/authprobe/internal/report"
)

// spec is the OpenAPI or Swagger document the scan compared the code's
// routes with, when it lies inside the source directory.
type spec struct {
	rel     string // path relative to the source directory
	src     []byte
	root    *yaml.Node // the document's mapping
	swagger bool       // Swagger 2.0 (parameters carry type: directly)
	// served are the scan's endpoints: how each answered (its policy).
	served []report.Endpoint
}

// loadSpec reads path (a YAML spec inside dir); nil with no error when it
// is outside dir or is not YAML with a paths mapping.
func loadSpec(dir, path string, served []report.Endpoint) (*spec, error) {
	if path == "" {
		return nil, nil
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	absSpec, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	rel, err := filepath.Rel(absDir, absSpec)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, nil
	}
	src, err := os.ReadFile(absSpec)
	if err != nil {
		return nil, fmt.Errorf("read spec %s: %w", path, err)
	}
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	s := &spec{rel: filepath.ToSlash(rel), src: src, root: doc.Content[0], served: served}
	s.swagger = s.value(s.root, "swagger") != nil
	return s, nil
}

// value returns the value of key in a mapping node, or nil.
func (s *spec) value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// fixUndocumented documents a route the spec lacks
// (inventory.undocumented-endpoint) as the scan found it: an operation
// under paths naming the handler, its path parameters, `security: []` when
// the scan was served without credentials there (else the document's
// security applies), and a default response. Whether the route should
// exist at all is the owner's call; the hunk says so.
func fixUndocumented(s *site) (*attempt, string) {
	sp := s.p.spec
	if sp == nil {
		return nil, "the spec is not a YAML file inside the source directory (give the scan's -c config)"
	}
	if s.f.Endpoint == nil {
		return nil, "the finding names no endpoint"
	}
	paths := sp.value(sp.root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode || len(paths.Content) == 0 || paths.Style&yaml.FlowStyle != 0 {
		return nil, "the spec's paths are not a block mapping"
	}
	if sp.basePath() {
		return nil, "the spec's server puts a base path in front of its paths; document the route by hand"
	}
	policy := ""
	for _, e := range sp.served {
		if e.Method == s.f.Endpoint.Method && e.Path == s.f.Endpoint.Path {
			policy = e.Policy
		}
	}
	var security string
	switch {
	case policy == "public":
		security = "security: []"
	case policy == "" || policy == "unknown":
		return nil, "the scan did not see how " + s.f.Endpoint.String() + " answers; document it by hand"
	case sp.value(sp.root, "security") == nil:
		return nil, "the route needs a credential and the spec declares no security it could inherit; document it by hand"
	}
	path := s.f.Endpoint.Path
	method := strings.ToLower(s.f.Endpoint.Method)
	pathInd := strings.Repeat(" ", paths.Content[0].Column-1)
	opInd := pathInd + "  "
	if v := paths.Content[1]; v.Kind == yaml.MappingNode && len(v.Content) > 0 && v.Style&yaml.FlowStyle == 0 {
		opInd = strings.Repeat(" ", v.Content[0].Column-1)
	}
	step := strings.TrimPrefix(opInd, pathInd)
	handler := s.f.Location.String()
	if def := s.routeDef(); def != nil {
		handler = def.ChildByField("definition").ChildByField("name").Text() + " (" + handler + ")"
	}
	var b strings.Builder
	in := func(depth int, line string) { b.WriteString(opInd + strings.Repeat(step, depth) + line + "\n") }
	in(0, method+":")
	in(1, "summary: "+yamlString("served by "+handler+"; documented as the scan found it"))
	if params := pathParams(path); len(params) > 0 {
		in(1, "parameters:")
		for _, p := range params {
			in(2, "- name: "+p)
			in(2, "  in: path")
			in(2, "  required: true")
			if sp.swagger {
				in(2, "  type: string")
			} else {
				in(2, "  schema: {type: string}")
			}
		}
	}
	if security != "" {
		in(1, security)
	}
	in(1, "responses:")
	in(2, "default:")
	in(3, "description: "+yamlString("the answer of "+handler))
	var at int
	var text string
	for i := 0; i+1 < len(paths.Content); i += 2 {
		if paths.Content[i].Value != path {
			continue
		}
		ops := paths.Content[i+1]
		if ops.Kind != yaml.MappingNode || ops.Style&yaml.FlowStyle != 0 || sp.value(ops, method) != nil {
			return nil, "the spec's entry for " + path + " is not a block mapping without " + method
		}
		at, text = sp.blockEnd(paths, i), b.String()
	}
	if text == "" {
		at, text = sp.blockEnd(paths, len(paths.Content)-2), pathInd+path+":\n"+b.String()
	}
	if at == len(sp.src) && at > 0 && sp.src[at-1] != '\n' {
		text = "\n" + text
	}
	return &attempt{edits: []Edit{{File: sp.rel, Start: at, End: at, New: text, stack: true}},
		what: s.f.Endpoint.String() + " documented in " + sp.rel + " as the scan found it (" + orPolicy(policy) + "); remove the route instead if it should not be served"}, ""
}

// basePath reports whether the document's paths are relative to a base
// path (Swagger basePath, or a server URL with a path).
func (sp *spec) basePath() bool {
	if b := sp.value(sp.root, "basePath"); b != nil && strings.Trim(b.Value, "/") != "" {
		return true
	}
	servers := sp.value(sp.root, "servers")
	if servers == nil {
		return false
	}
	for _, sv := range servers.Content {
		u := sp.value(sv, "url")
		if u == nil {
			continue
		}
		rest := u.Value
		if _, after, ok := strings.Cut(rest, "://"); ok {
			rest = after
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				rest = rest[i:]
			} else {
				rest = ""
			}
		}
		if strings.Trim(rest, "/") != "" {
			return true
		}
	}
	return false
}

func orPolicy(p string) string {
	if p == "public" {
		return "served without credentials"
	}
	return "guarded: " + p
}

// blockEnd returns the offset after the last non-blank line of the i-th
// entry of mapping m (a key at index i, its value at i+1): its last line
// indented deeper than m's keys before the next key of m or of an
// enclosing mapping (comments and blank lines after it stay below).
func (sp *spec) blockEnd(m *yaml.Node, i int) int {
	lines := bytes.SplitAfter(sp.src, []byte("\n"))
	keyCol := m.Content[i].Column
	end := m.Content[i].Line // index of the first line past the block's last content line
	for l := end; l < len(lines); l++ {
		t := bytes.TrimRight(lines[l], " \t\r\n")
		if len(bytes.TrimSpace(t)) == 0 || bytes.HasPrefix(bytes.TrimSpace(t), []byte("#")) {
			continue
		}
		if ind := len(t) - len(bytes.TrimLeft(t, " ")); ind < keyCol {
			break
		}
		end = l + 1
	}
	off := 0
	for _, l := range lines[:end] {
		off += len(l)
	}
	return off
}

var pathParamRe = regexp.MustCompile(`\{([^}/]+)\}`)

func pathParams(path string) []string {
	var out []string
	for _, m := range pathParamRe.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}

// yamlString renders s as a double-quoted YAML scalar.
func yamlString(s string) string {
	return quote(s)
}
