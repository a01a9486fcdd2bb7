package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// detectVersion reads the document's top-level "openapi" or "swagger" field;
// numeric reports a version written as a YAML number (swagger: 2.0). JSON is
// read with encoding/json and block YAML by scanning its unindented lines,
// both far cheaper than a second full YAML parse of a large spec; anything
// else gets the full parse, which also words the error of a broken document.
func detectVersion(data []byte) (kind, version string, numeric bool, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return "", "", false, errors.New("empty document")
	}
	var openapi, swagger any
	var top map[string]json.RawMessage
	switch {
	case trimmed[0] == '{' && json.Unmarshal(trimmed, &top) == nil:
		for key, dst := range map[string]*any{"openapi": &openapi, "swagger": &swagger} {
			if raw, ok := top[key]; ok {
				if err := json.Unmarshal(raw, dst); err != nil || *dst == nil {
					*dst = string(raw)
				}
			}
		}
	default:
		var ok bool
		if openapi, swagger, ok = scanVersion(data); !ok {
			var head struct {
				OpenAPI any `yaml:"openapi"`
				Swagger any `yaml:"swagger"`
			}
			if err := yaml.Unmarshal(data, &head); err != nil {
				return "", "", false, fmt.Errorf("not YAML or JSON (or its top level is not a mapping): %w", err)
			}
			openapi, swagger = head.OpenAPI, head.Swagger
		}
	}
	switch {
	case openapi != nil && swagger != nil:
		return "", "", false, errors.New("both \"openapi\" and \"swagger\" fields are set")
	case openapi != nil:
		_, isString := openapi.(string)
		return "openapi", versionString(openapi), !isString, nil
	case swagger != nil:
		_, isString := swagger.(string)
		return "swagger", versionString(swagger), !isString, nil
	}
	return "", "", false, errors.New("not an OpenAPI or Swagger document: no \"openapi\" or \"swagger\" field at the top level")
}

// scanVersion finds "openapi: V" or "swagger: V" on unindented lines of a
// block-style YAML document. It reports false when it finds neither or a
// value it does not read plainly (anchors, tags, flow or block values), for
// the caller to parse the document fully.
func scanVersion(data []byte) (openapi, swagger any, ok bool) {
	for line := range bytes.Lines(data) {
		var dst *any
		switch {
		case bytes.HasPrefix(line, []byte("openapi:")):
			dst = &openapi
		case bytes.HasPrefix(line, []byte("swagger:")):
			dst = &swagger
		default:
			continue
		}
		_, raw, _ := strings.Cut(string(line), ":")
		if i := strings.Index(raw, " #"); i >= 0 {
			raw = raw[:i]
		}
		raw = strings.TrimSpace(raw)
		switch {
		case raw == "" || strings.ContainsAny(raw[:1], "!&*|>[{%@`"):
			return nil, nil, false
		case len(raw) >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[len(raw)-1] == raw[0]:
			*dst = raw[1 : len(raw)-1]
		case raw[0] == '"' || raw[0] == '\'':
			return nil, nil, false
		default:
			if f, err := strconv.ParseFloat(raw, 64); err == nil {
				*dst = f
			} else {
				*dst = raw
			}
		}
	}
	return openapi, swagger, openapi != nil || swagger != nil
}

// quoteVersion rewrites the document with its top-level version field as a
// string.
func quoteVersion(data []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("re-read document: %w", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("top level is not a mapping")
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i].Value; k == "openapi" || k == "swagger" {
			m.Content[i+1].Tag = "!!str"
			m.Content[i+1].Style = yaml.DoubleQuotedStyle
		}
	}
	out, err := yaml.Marshal(&root)
	if err != nil {
		return nil, fmt.Errorf("re-write document: %w", err)
	}
	return out, nil
}

// versionString renders a version that YAML or JSON may have read as a
// number (2.0).
func versionString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		s := formatFloat(x)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	case int:
		return fmt.Sprintf("%d.0", x)
	default:
		return fmt.Sprint(x)
	}
}
