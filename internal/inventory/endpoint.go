package inventory

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// methods are the HTTP methods an endpoint may use.
var methods = []string{"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE"}

// ParseEndpoint reads "METHOD /path" as given to --endpoint or in the
// config's endpoints list: "GET /api/me", "get /api/orders/{id}". A bare
// "/path" means GET. The method is case-insensitive and must be a known HTTP
// method; the path must start with "/". Placeholders are {name} or Flask's
// <converter:name>. A query string is kept out of Path: each of its
// parameters becomes a required query Param whose Example is the given value,
// and Concrete puts it back. Sources is left empty for the caller to fill.
func ParseEndpoint(s string) (Endpoint, error) {
	fields := strings.Fields(s)
	var method, target string
	switch len(fields) {
	case 1:
		method, target = "GET", fields[0]
	case 2:
		method, target = strings.ToUpper(fields[0]), fields[1]
	default:
		return Endpoint{}, fmt.Errorf("endpoint %q: want \"METHOD /path\"", s)
	}
	if !slices.Contains(methods, method) {
		return Endpoint{}, fmt.Errorf("endpoint %q: unknown HTTP method %q (want one of %s)", s, fields[0], strings.Join(methods, ", "))
	}
	if !strings.HasPrefix(target, "/") {
		return Endpoint{}, fmt.Errorf("endpoint %q: path must start with \"/\" (give the path, not a URL)", s)
	}
	if strings.ContainsAny(target, "#\x00") {
		return Endpoint{}, fmt.Errorf("endpoint %q: path must not contain a fragment or NUL", s)
	}
	path, rawQuery, _ := strings.Cut(target, "?")
	if strings.ContainsRune(path, '<') {
		flaskPath, params := FlaskRule(path)
		if err := checkTemplate(flaskPath); err != nil {
			return Endpoint{}, fmt.Errorf("endpoint %q: %w", s, err)
		}
		path = flaskPath
		return withQuery(Endpoint{Method: method, Path: path, Params: params}, s, rawQuery)
	}
	if err := checkTemplate(path); err != nil {
		return Endpoint{}, fmt.Errorf("endpoint %q: %w", s, err)
	}
	var params []Param
	for _, name := range placeholders(path) {
		params = append(params, guessParam(name))
	}
	return withQuery(Endpoint{Method: method, Path: path, Params: params}, s, rawQuery)
}

// ParseEndpoints parses each line with ParseEndpoint and marks the results
// with source (SourceFlag, SourceConfig).
func ParseEndpoints(lines []string, source string) ([]Endpoint, error) {
	out := make([]Endpoint, 0, len(lines))
	var errs []error
	for _, line := range lines {
		e, err := ParseEndpoint(line)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		e.Sources = []string{source}
		out = append(out, e)
	}
	return out, errors.Join(errs...)
}

// withQuery turns a raw query string into required query parameters.
func withQuery(e Endpoint, s, rawQuery string) (Endpoint, error) {
	if rawQuery == "" {
		return e, nil
	}
	values, err := url.ParseQuery(rawQuery)
	if err != nil {
		return Endpoint{}, fmt.Errorf("endpoint %q: query string: %w", s, err)
	}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		e.Params = append(e.Params, Param{Name: name, In: "query", Type: "string", Example: values.Get(name), Required: true})
	}
	return e, nil
}

// checkTemplate accepts a path whose braces pair up around distinct,
// non-empty placeholder names.
func checkTemplate(path string) error {
	if strings.ContainsFunc(path, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errors.New("path must not contain spaces or control characters")
	}
	seen := map[string]bool{}
	rest := path
	for {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			return nil
		}
		if rest[open] == '}' {
			return errors.New("unbalanced \"}\" in path")
		}
		end := strings.IndexAny(rest[open+1:], "{}")
		if end < 0 || rest[open+1+end] != '}' {
			return errors.New("unbalanced \"{\" in path")
		}
		name := rest[open+1 : open+1+end]
		if name == "" {
			return errors.New("empty placeholder {} in path")
		}
		if seen[name] {
			return fmt.Errorf("placeholder {%s} appears twice", name)
		}
		seen[name] = true
		rest = rest[open+1+end+1:]
	}
}

// placeholders lists the {name} placeholders of a template in order.
func placeholders(path string) []string {
	var names []string
	for {
		open := strings.IndexByte(path, '{')
		if open < 0 {
			return names
		}
		end := strings.IndexByte(path[open:], '}')
		if end < 0 {
			return names
		}
		if name := path[open+1 : open+end]; name != "" && !strings.ContainsRune(name, '{') {
			names = append(names, name)
		}
		path = path[open+end+1:]
	}
}

// Concrete fills the path template: each placeholder takes values[name] if
// present, else its Param's Example, else a default guessed from the name.
// Each value is path-escaped ("/" too, except in a parameter of Type "path",
// whose segments are escaped one by one). Required query Params are appended
// as a query string, values by name first, in name order.
func (e Endpoint) Concrete(values map[string]string) string {
	params := make(map[string]Param, len(e.Params))
	for _, p := range e.Params {
		if p.In == "path" {
			params[p.Name] = p
		}
	}
	var b strings.Builder
	rest := e.Path
	for {
		open := strings.IndexByte(rest, '{')
		end := -1
		if open >= 0 {
			end = strings.IndexByte(rest[open:], '}')
		}
		if open < 0 || end < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:open])
		name := rest[open+1 : open+end]
		p, ok := params[name]
		if !ok {
			p = guessParam(name)
		}
		value, ok := values[name]
		if !ok {
			value = p.Example
		}
		b.WriteString(escapePathValue(value, p.Type == "path"))
		rest = rest[open+end+1:]
	}
	query := url.Values{}
	for _, p := range e.Params {
		if p.In != "query" || !p.Required {
			continue
		}
		value, ok := values[p.Name]
		if !ok {
			value = p.Example
		}
		query.Set(p.Name, value)
	}
	if len(query) > 0 {
		b.WriteByte('?')
		b.WriteString(query.Encode())
	}
	return b.String()
}

func escapePathValue(v string, keepSlashes bool) string {
	if !keepSlashes {
		return url.PathEscape(v)
	}
	parts := strings.Split(v, "/")
	for i, part := range parts {
		parts[i] = url.PathEscape(part)
	}
	return strings.Join(parts, "/")
}
