package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// schemaValidated is the body a handler checks with jsonschema's
// validate(data, schema) (or a validator's .validate(data)) against a
// JSON Schema written in the code as a dict literal — inline or assigned
// to a name in the handler's module — when data is the request's body.
func (ix *models) schemaValidated(def, call *python.Node) []field {
	fn := call.ChildByField("function")
	args := call.ChildByField("arguments")
	if fn == nil || args == nil || lastName(fn.Text()) != "validate" {
		return nil
	}
	pos := positionals(args)
	if len(pos) < 2 || !fromRequest(def, pos[0]) {
		return nil
	}
	schema := pos[1].Unparen()
	if schema.Kind == "identifier" {
		schema = dictNamed(def.File, schema.Text())
	}
	if schema == nil || schema.Kind != "dictionary" {
		return nil
	}
	return schemaFields(schema, 0)
}

func positionals(args *python.Node) []*python.Node {
	var out []*python.Node
	for _, a := range args.NamedChildren() {
		if a.Kind != "keyword_argument" && a.Kind != "comment" {
			out = append(out, a)
		}
	}
	return out
}

// dictNamed is the dict literal assigned to name at the top of file.
func dictNamed(f *python.File, name string) *python.Node {
	if f == nil {
		return nil
	}
	for _, a := range f.OfKind("assignment") {
		left, right := a.ChildByField("left"), a.ChildByField("right")
		if left != nil && right != nil && left.Text() == name && right.Kind == "dictionary" {
			return right
		}
	}
	return nil
}

// entries maps a dict literal's string keys to their values.
func entries(d *python.Node) map[string]*python.Node {
	out := map[string]*python.Node{}
	for _, pair := range d.NamedChildren() {
		if pair.Kind != "pair" {
			continue
		}
		if k, ok := pair.ChildByField("key").StringValue(); ok {
			out[k] = pair.ChildByField("value")
		}
	}
	return out
}

// schemaFields are the properties of an object JSON Schema dict.
func schemaFields(d *python.Node, depth int) []field {
	props := entries(d)["properties"]
	if props == nil || props.Kind != "dictionary" || depth > 3 {
		return nil
	}
	var fs []field
	for _, pair := range props.NamedChildren() {
		if pair.Kind != "pair" {
			continue
		}
		name, ok := pair.ChildByField("key").StringValue()
		v := pair.ChildByField("value")
		if !ok || v == nil || v.Kind != "dictionary" {
			continue
		}
		fs = append(fs, schemaField(name, v, depth))
	}
	return fs
}

// schemaField is one property: its type and format, its enum's first
// value, an object's or array items' properties.
func schemaField(name string, v *python.Node, depth int) field {
	e := entries(v)
	f := field{Name: name}
	typ, _ := e["type"].StringValue()
	format, _ := e["format"].StringValue()
	switch typ {
	case "integer":
		f.Kind = "int"
	case "number":
		f.Kind = "float"
	case "boolean":
		f.Kind = "bool"
	case "array":
		f.Kind = "list"
		if it := e["items"]; it != nil && it.Kind == "dictionary" {
			f.Nested = schemaFields(it, depth+1)
		}
	case "object":
		f.Kind = "object"
		f.Nested = schemaFields(v, depth+1)
	case "string":
		f.Kind = "string"
		switch strings.ToLower(format) {
		case "email":
			f.Kind = "email"
		case "date-time":
			f.Kind = "datetime"
		case "date":
			f.Kind = "date"
		case "uri", "url":
			f.Kind = "url"
		case "uuid":
			f.Kind = "uuid"
		}
	}
	if en := e["enum"]; en != nil {
		if l := en.NamedChildren(); len(l) > 0 {
			if s, ok := l[0].StringValue(); ok {
				f.Value = s
			} else if n, ok := l[0].IntValue(); ok {
				f.Value = n
			}
		}
	}
	return f
}
