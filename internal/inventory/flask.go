package inventory

import (
	"regexp"
	"strconv"
	"strings"
)

// flaskVar matches a Werkzeug rule variable: <name>, <conv:name>, <conv(args):name>.
var flaskVar = regexp.MustCompile(`<(?:([A-Za-z_][A-Za-z0-9_]*)(?:\((.*?)\))?:)?([A-Za-z_][A-Za-z0-9_]*)\s*>`)

// FlaskRule converts a Flask (Werkzeug) URL rule into a path template and its
// parameters: "/orders/<int:order_id>" is "/orders/{order_id}" with an
// integer parameter. Converters int, float, uuid, path, string/default and
// any(...) are understood, with their arguments (int min and fixed_digits,
// string length/minlength/maxlength, any's first choice) shaping the example
// value; an unknown (custom) converter is treated like an untyped name.
func FlaskRule(rule string) (path string, params []Param) {
	if !strings.HasPrefix(rule, "/") {
		rule = "/" + rule
	}
	var b strings.Builder
	last := 0
	for _, m := range flaskVar.FindAllStringSubmatchIndex(rule, -1) {
		b.WriteString(rule[last:m[0]])
		var conv, args string
		if m[2] >= 0 {
			conv = rule[m[2]:m[3]]
		}
		if m[4] >= 0 {
			args = rule[m[4]:m[5]]
		}
		name := rule[m[6]:m[7]]
		b.WriteString("{" + name + "}")
		params = append(params, flaskParam(name, conv, parseConverterArgs(args)))
		last = m[1]
	}
	b.WriteString(rule[last:])
	return b.String(), params
}

// converterArgs are a converter's arguments: positional and keyword.
type converterArgs struct {
	pos []string
	kw  map[string]string
}

// parseConverterArgs splits "a, 'b', min=1" the way Werkzeug does for simple
// literals; quotes are stripped.
func parseConverterArgs(s string) converterArgs {
	args := converterArgs{kw: map[string]string{}}
	if strings.TrimSpace(s) == "" {
		return args
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if k, v, ok := strings.Cut(part, "="); ok && isIdent(strings.TrimSpace(k)) {
			args.kw[strings.TrimSpace(k)] = unquote(strings.TrimSpace(v))
			continue
		}
		if part != "" {
			args.pos = append(args.pos, unquote(part))
		}
	}
	return args
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r != '_' && !('a' <= r && r <= 'z') && !('A' <= r && r <= 'Z') && (i == 0 || !('0' <= r && r <= '9')) {
			return false
		}
	}
	return true
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// flaskParam builds the parameter of one rule variable.
func flaskParam(name, conv string, args converterArgs) Param {
	p := Param{Name: name, In: "path", Required: true}
	switch conv {
	case "", "default", "string":
		p.Type = "string"
		p.Example = flaskString(args)
	case "int":
		p.Type = "integer"
		p.Example = flaskInt(args)
	case "float":
		p.Type = "number"
		p.Example = DefaultNumber
		if f, err := strconv.ParseFloat(args.kw["min"], 64); err == nil && f > 1 {
			p.Example = strconv.FormatFloat(f, 'f', 1, 64)
		}
	case "uuid":
		p.Type, p.Example = "uuid", DefaultUUID
	case "path":
		p.Type, p.Example = "path", DefaultString
	case "any":
		p.Type, p.Example = "string", DefaultString
		if len(args.pos) > 0 {
			p.Example = args.pos[0]
		}
	default:
		p = guessParam(name)
	}
	return p
}

func flaskString(args converterArgs) string {
	atoi := func(key string, def int) int {
		if n, err := strconv.Atoi(args.kw[key]); err == nil && n >= 0 {
			return n
		}
		return def
	}
	if n := atoi("length", -1); n >= 0 {
		return fitLength(DefaultString, n, n)
	}
	if len(args.pos) > 0 { // string(2) is string(minlength=2)
		if n, err := strconv.Atoi(args.pos[0]); err == nil && n >= 0 {
			return fitLength(DefaultString, n, atoi("maxlength", -1))
		}
	}
	return fitLength(DefaultString, max(1, atoi("minlength", 1)), atoi("maxlength", -1))
}

func flaskInt(args converterArgs) string {
	n := int64(1)
	if lo, err := strconv.ParseInt(args.kw["min"], 10, 64); err == nil && lo > n {
		n = lo
	}
	if hi, err := strconv.ParseInt(args.kw["max"], 10, 64); err == nil && hi < n && (hi >= 0 || args.kw["signed"] == "True") {
		n = hi
	}
	s := strconv.FormatInt(n, 10)
	if d, err := strconv.Atoi(args.kw["fixed_digits"]); err == nil && d > len(s) && d <= 64 {
		s = strings.Repeat("0", d-len(s)) + s
	}
	return s
}
