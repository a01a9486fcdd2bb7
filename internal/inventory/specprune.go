package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// never reads — response and request body schemas of operations, shared
// responses, request bodies and examples — checking depth and the count
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
		return path[3] == "responses" || path[3] == "requestBody"
	case n == 2 && path[0] == "components":
		return path[1] == "responses" || path[1] == "requestBodies" || path[1] == "examples"
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
