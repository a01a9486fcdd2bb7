package flask

import (
	"encoding/json"
	"path"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// FileValue is a config value read from a JSON or TOML file the app loads
// with config.from_file / from_json: its text and where it is written.
type FileValue struct {
	File string
	Line int
	S    string
	// Snippet is the line as written.
	Snippet string
}

// configFile reads the string settings of a file given to
// app.config.from_file (or from_json): relative to the app's directory
// (the module's), as Flask resolves it, or to the analysed root. JSON is
// parsed; TOML is read for its top-level KEY = "value" lines, which is
// where Flask settings live.
func (p *Project) configFile(m *Module, call *python.Node) {
	if p.readFile == nil {
		return
	}
	v := p.Eval(positional(call.ChildByField("arguments"), 0))
	if v.Kind != Str || v.S == "" || strings.HasPrefix(v.S, "/") {
		return
	}
	var rel string
	var src []byte
	for _, cand := range []string{path.Join(path.Dir(m.File.Path), v.S), path.Clean(v.S)} {
		if b, err := p.readFile(cand); err == nil {
			rel, src = cand, b
			break
		}
	}
	if src == nil {
		return
	}
	lines := strings.Split(string(src), "\n")
	lineOf := func(key, quoted string) (int, string) {
		for i, l := range lines {
			if strings.Contains(l, quoted) && strings.Contains(l, key) {
				return i + 1, strings.TrimSpace(l)
			}
		}
		return 1, ""
	}
	add := func(key, val string) {
		line, snip := lineOf(key, val)
		p.addConfig(key, ConfigEntry{Module: m, Stmt: call, File: &FileValue{File: rel, Line: line, S: val, Snippet: snip}})
	}
	switch strings.ToLower(path.Ext(rel)) {
	case ".json":
		var doc map[string]any
		if json.Unmarshal(src, &doc) != nil {
			return
		}
		for k, val := range doc {
			if s, ok := val.(string); ok {
				add(k, s)
			}
		}
	case ".toml":
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "[") {
				break // tables: not top-level settings
			}
			if mm := tomlString.FindStringSubmatch(l); mm != nil {
				add(mm[1], mm[2])
			}
		}
	}
}

var tomlString = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"\\]*)"\s*(?:#.*)?$`)
