package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Limits on a spec's structure, checked while it is streamed, before the
// OpenAPI parser (which needs tens of times the document's size) sees it.
const (
	// MaxSpecDepth bounds nesting: deeper documents are hostile.
	MaxSpecDepth = 128
	// MaxOperations bounds the operations read from one spec.
	MaxOperations = 20000
)

// ErrSpecLimit marks a spec over one of the limits above.
var ErrSpecLimit = errors.New("spec over authprobe's limits")

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true}

// pruneJSON streams a JSON spec and returns it without what the inventory
// never reads — the responses of operations and the shared ones (request
// bodies and their examples are read: they are the write phase's bodies) —
// checking depth and the count
// of operations on the way. Memory then follows the routes, not the size
// of the response schemas.
func pruneJSON(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out bytes.Buffer
	out.Grow(len(data) / 4)
	p := &pruner{dec: dec, out: &out}
	if err := p.value(nil); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the document")
	}
	return out.Bytes(), nil
}

type pruner struct {
	dec *json.Decoder
	out *bytes.Buffer
	ops int
}

// drop says whether the value at path (keys from the root) is not needed.
func drop(path []string) bool {
	n := len(path)
	switch {
	case n == 4 && path[0] == "paths" && httpMethods[strings.ToLower(path[2])]:
		// Request bodies stay: the write phase sends what they describe.
		return path[3] == "responses"
	case n == 2 && path[0] == "components":
		return path[1] == "responses"
	}
	return false
}

func (p *pruner) value(path []string) error {
	if len(path) > MaxSpecDepth {
		return fmt.Errorf("%w: nested deeper than %d levels", ErrSpecLimit, MaxSpecDepth)
	}
	tok, err := p.dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			p.out.WriteByte('[')
			for i := 0; p.dec.More(); i++ {
				if i > 0 {
					p.out.WriteByte(',')
				}
				if err := p.value(append(path, "[]")); err != nil {
					return err
				}
			}
			if _, err := p.dec.Token(); err != nil {
				return err
			}
			p.out.WriteByte(']')
			return nil
		}
		p.out.WriteByte('{')
		first := true
		for p.dec.More() {
			kt, err := p.dec.Token()
			if err != nil {
				return err
			}
			key, _ := kt.(string)
			sub := append(path[:len(path):len(path)], key)
			if len(sub) == 3 && sub[0] == "paths" && httpMethods[strings.ToLower(key)] {
				if p.ops++; p.ops > MaxOperations {
					return fmt.Errorf("%w: more than %d operations", ErrSpecLimit, MaxOperations)
				}
			}
			if drop(sub) {
				if err := p.skip(len(sub)); err != nil {
					return err
				}
				if len(sub) == 4 && key == "responses" {
					// Operations must keep a responses object.
					p.sep(&first)
					p.out.WriteString(`"responses":{"default":{"description":""}}`)
				}
				continue
			}
			p.sep(&first)
			writeString(p.out, key)
			p.out.WriteByte(':')
			if err := p.value(sub); err != nil {
				return err
			}
		}
		if _, err := p.dec.Token(); err != nil {
			return err
		}
		p.out.WriteByte('}')
	case string:
		writeString(p.out, t)
	case json.Number:
		p.out.WriteString(t.String())
	case bool:
		fmt.Fprint(p.out, t)
	case nil:
		p.out.WriteString("null")
	}
	return nil
}

func (p *pruner) sep(first *bool) {
	if !*first {
		p.out.WriteByte(',')
	}
	*first = false
}

// skip consumes one value without writing it, still bounding its depth.
func (p *pruner) skip(depth int) error {
	level := 0
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				level++
				if depth+level > MaxSpecDepth {
					return fmt.Errorf("%w: nested deeper than %d levels", ErrSpecLimit, MaxSpecDepth)
				}
			default:
				level--
			}
		}
		if level == 0 {
			return nil
		}
	}
}

func writeString(out *bytes.Buffer, s string) {
	b, _ := json.Marshal(s)
	out.Write(b)
}

// yamlAlias finds anchors, aliases and merge keys: a pruned block could
// hold an anchor used elsewhere, so such documents are not pruned.
var yamlAlias = regexp.MustCompile(`(?m)(:|^\s*-)\s+[&*][\w.-]+\s*$|<<\s*:`)

// pruneYAML drops from a block-style YAML spec, line by line, the blocks
// pruneJSON drops (operation and shared responses): the YAML parser, which needs
// about fifty times a document's size, then reads the routes only. It
// reports false for documents it does not prune (aliases, flow style at
// the top, tabs).
func pruneYAML(data []byte) ([]byte, bool) {
	if yamlAlias.Match(data) || bytes.Contains(data, []byte("\t")) {
		return nil, false
	}
	type level struct {
		indent int
		key    string
	}
	var (
		stack     []level
		out       bytes.Buffer
		skipUnder = -1 // indent of the dropped key; deeper lines go
		scalarAt  = -1 // indent of a block scalar's key; deeper lines are text
	)
	out.Grow(len(data) / 4)
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		body := bytes.TrimLeft(line, " ")
		indent := len(line) - len(body)
		blank := len(bytes.TrimSpace(body)) == 0 || body[0] == '#'
		if skipUnder >= 0 {
			if blank || indent > skipUnder {
				continue
			}
			skipUnder = -1
		}
		if scalarAt >= 0 {
			if blank || indent > scalarAt {
				out.Write(line)
				continue
			}
			scalarAt = -1
		}
		if blank || body[0] == '-' || indent == 0 && (body[0] == '{' || body[0] == '[') {
			if indent == 0 && !blank && body[0] != '-' {
				return nil, false // flow style at the top
			}
			out.Write(line)
			continue
		}
		key, rest, ok := yamlKey(body)
		if !ok {
			out.Write(line)
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		path := make([]string, 0, len(stack)+1)
		for _, l := range stack {
			path = append(path, l.key)
		}
		path = append(path, key)
		stack = append(stack, level{indent, key})
		if drop(path) {
			skipUnder = indent
			if len(path) == 4 && key == "responses" {
				out.WriteString(strings.Repeat(" ", indent) + "responses: {default: {description: \"\"}}\n")
			}
			continue
		}
		if r := strings.TrimSpace(rest); strings.HasPrefix(r, "|") || strings.HasPrefix(r, ">") {
			scalarAt = indent
		}
		out.Write(line)
	}
	return out.Bytes(), true
}

// yamlKey splits "key: rest" (the key plain or quoted).
func yamlKey(body []byte) (key, rest string, ok bool) {
	s := strings.TrimRight(string(body), "\r\n")
	if s == "" {
		return "", "", false
	}
	if q := s[0]; q == '"' || q == '\'' {
		end := strings.IndexByte(s[1:], q)
		if end < 0 || !strings.HasPrefix(s[end+2:], ":") {
			return "", "", false
		}
		return s[1 : end+1], s[end+3:], true
	}
	i := strings.Index(s, ": ")
	if i < 0 {
		if !strings.HasSuffix(s, ":") {
			return "", "", false
		}
		i = len(s) - 1
	}
	return s[:i], s[i+1:], true
}
