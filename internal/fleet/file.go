// Package fleet owns many-target scans: the targets file, the runner that
// scans targets concurrently with a bound on how many are in flight, and
// the summary (one line per target). It does not scan: the caller gives it
// the function that scans one target, and it never holds a target's result
// once its summary line is made, so memory grows with the targets in
// flight, not with the targets.
package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"

	"go.yaml.in/yaml/v4"
)

// File is a targets file:
//
//	defaults: {rate: 20, concurrency: 4, fail-on: high}   # any scan option
//	targets:
//	  - name: shop-staging
//	    url: https://staging.shop.internal
//	    config: shop.yaml        # relative to this file
//	  - name: shop-prod
//	    url: https://shop.internal
//	    options: {rate: 5}       # scan options for this target only
//	    identities: {...}        # or inline config keys instead of config:
type File struct {
	// Defaults are scan options (flag names without dashes) for every target.
	Defaults Options
	Targets  []Target
	// Dir is the file's directory: relative paths resolve from it.
	Dir string
}

// Target is one API to scan.
type Target struct {
	Name string
	URL  string
	// Config is the path of the target's scan config, resolved against
	// the targets file's directory; empty when none was given.
	Config string
	// Inline is the target's inline config (every key other than name, url,
	// config and options), as YAML; nil when there is none.
	Inline []byte
	// Options are the target's own scan options, applied after Defaults.
	Options Options
}

// Options are scan options by flag name; a list value repeats the flag.
type Options map[string][]string

// Args renders the options as command-line flags, sorted by name so that a
// run is reproducible.
func (o Options) Args() []string {
	names := make([]string, 0, len(o))
	for k := range o {
		names = append(names, k)
	}
	sort.Strings(names)
	var args []string
	for _, k := range names {
		for _, v := range o[k] {
			args = append(args, "--"+k+"="+v)
		}
	}
	return args
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Load reads and validates a targets file.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.Dir = filepath.Dir(path)
	for i := range f.Targets {
		if c := f.Targets[i].Config; c != "" && !filepath.IsAbs(c) {
			f.Targets[i].Config = filepath.Join(f.Dir, c)
		}
	}
	return f, nil
}

// Parse decodes a targets file; names must be unique and usable as file
// names (results are written to DIR/<name>.json), URLs must be http(s).
func Parse(data []byte) (*File, error) {
	var doc struct {
		Defaults yaml.Node   `yaml:"defaults"`
		Targets  []yaml.Node `yaml:"targets"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	f := &File{}
	var err error
	if f.Defaults, err = options(&doc.Defaults); err != nil {
		return nil, fmt.Errorf("defaults: %w", err)
	}
	if len(doc.Targets) == 0 {
		return nil, errors.New("no targets")
	}
	seen := map[string]bool{}
	for i := range doc.Targets {
		t, err := target(&doc.Targets[i])
		if err != nil {
			return nil, fmt.Errorf("target %d: %w", i, err)
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("target %d: name %q used twice", i, t.Name)
		}
		seen[t.Name] = true
		f.Targets = append(f.Targets, t)
	}
	return f, nil
}

// target decodes one entry: name, url, config, options, and the rest as
// inline config.
func target(n *yaml.Node) (Target, error) {
	var t Target
	if n.Kind != yaml.MappingNode {
		return t, fmt.Errorf("line %d: a target is a mapping (name, url, ...)", n.Line)
	}
	inline := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "name", "url", "config":
			if v.Kind != yaml.ScalarNode {
				return t, fmt.Errorf("line %d: %s must be a string", v.Line, k.Value)
			}
			switch k.Value {
			case "name":
				t.Name = v.Value
			case "url":
				t.URL = v.Value
			default:
				t.Config = v.Value
			}
		case "options":
			opts, err := options(v)
			if err != nil {
				return t, fmt.Errorf("options: %w", err)
			}
			t.Options = opts
		case "target":
			return t, fmt.Errorf("line %d: give the target's URL as url:", k.Line)
		default:
			inline.Content = append(inline.Content, k, v)
		}
	}
	if !namePattern.MatchString(t.Name) {
		return t, fmt.Errorf("name %q: want letters, digits, '.', '_' or '-' (it names the result file)", t.Name)
	}
	u, err := url.Parse(t.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return t, fmt.Errorf("%s: url %q is not an http(s) URL", t.Name, t.URL)
	}
	if len(inline.Content) > 0 {
		if t.Config != "" {
			return t, fmt.Errorf("%s: config: and inline config keys (%s, ...) both given; use one", t.Name, inline.Content[0].Value)
		}
		if t.Inline, err = yaml.Marshal(inline); err != nil {
			return t, err
		}
	}
	return t, nil
}

// options decodes a mapping of flag name to a scalar or a list of scalars.
func options(n *yaml.Node) (Options, error) {
	opts := Options{}
	if n.Kind == 0 {
		return opts, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a mapping of scan option to value", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		switch v.Kind {
		case yaml.ScalarNode:
			opts[k] = []string{v.Value}
		case yaml.SequenceNode:
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("line %d: %s: list items must be scalars", item.Line, k)
				}
				opts[k] = append(opts[k], item.Value)
			}
		default:
			return nil, fmt.Errorf("line %d: %s: want a value or a list", v.Line, k)
		}
	}
	return opts, nil
}

// Select returns the target at index (0-based, as JOB_COMPLETION_INDEX).
func (f *File) Select(index int) (Target, error) {
	if index < 0 || index >= len(f.Targets) {
		return Target{}, fmt.Errorf("target index %d: the file has %s targets (0 to %d)",
			index, strconv.Itoa(len(f.Targets)), len(f.Targets)-1)
	}
	return f.Targets[index], nil
}
