package inventory

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"
)

// Exclusion is one "METHOD /path-glob" the user never wants called; the
// method may be "*" or left out (any method). The glob is path.Match's,
// with "*" also matching across "/" at the end ("/admin/*" covers
// "/admin/a/b").
type Exclusion struct{ Method, Glob string }

// ParseExclusion reads "GET /api/maintenance/*", "* /internal/*" or
// "/reset".
func ParseExclusion(s string) (Exclusion, error) {
	fields := strings.Fields(s)
	var e Exclusion
	switch len(fields) {
	case 1:
		e = Exclusion{Method: "*", Glob: fields[0]}
	case 2:
		e = Exclusion{Method: strings.ToUpper(fields[0]), Glob: fields[1]}
	default:
		return e, fmt.Errorf("exclude %q: want \"METHOD /path-glob\"", s)
	}
	if e.Method != "*" && !slices.Contains(methods, e.Method) {
		return e, fmt.Errorf("exclude %q: unknown HTTP method %q", s, fields[0])
	}
	if !strings.HasPrefix(e.Glob, "/") {
		return e, fmt.Errorf("exclude %q: the path glob must start with \"/\"", s)
	}
	if _, err := path.Match(e.Glob, "/"); err != nil {
		return e, fmt.Errorf("exclude %q: %w", s, err)
	}
	return e, nil
}

// Matches reports whether the exclusion covers the endpoint.
func (e Exclusion) Matches(ep Endpoint) bool {
	if e.Method != "*" && e.Method != ep.Method {
		return false
	}
	if ok, _ := path.Match(e.Glob, ep.Path); ok {
		return true
	}
	if prefix, ok := strings.CutSuffix(e.Glob, "/*"); ok {
		return strings.HasPrefix(ep.Path, prefix+"/")
	}
	return false
}

// stateWords are what a path or summary says when a request changes state.
var stateWords = map[string]bool{
	"reset": true, "seed": true, "init": true, "initialize": true, "initialise": true,
	"createdb": true, "initdb": true, "dropdb": true, "resetdb": true, "setup": true,
	"delete": true, "remove": true, "logout": true, "signout": true, "revoke": true,
	"flush": true, "purge": true, "wipe": true, "drop": true, "truncate": true,
	"destroy": true, "clear": true, "migrate": true, "shutdown": true, "restart": true,
	"rotate": true, "disable": true, "deactivate": true, "unsubscribe": true,
	"del": true, "rm": true, // abbreviations of delete and remove (GET /del_items)
}

// dbObjects follow "create" in a path or summary that builds storage.
var dbObjects = map[string]bool{"db": true, "database": true, "tables": true, "schema": true, "all": true}

// SideEffect reports whether a GET (or HEAD) endpoint's path or summary says
// that calling it changes state ("/createdb", "/api/reset", "Delete all
// users"), or the code shows it (Changes), and the word that says so.
func SideEffect(ep Endpoint) (string, bool) {
	if ep.Method != "GET" && ep.Method != "HEAD" {
		return "", false
	}
	if ep.Changes != "" {
		return ep.Changes, true
	}
	for _, text := range []string{literalPath(ep.Path), ep.Summary} {
		words := splitWords(text)
		for i, w := range words {
			if stateWords[w] {
				return w, true
			}
			if w != "create" {
				continue
			}
			for _, next := range words[i+1 : min(i+3, len(words))] {
				if dbObjects[next] {
					return w + " " + next, true
				}
			}
		}
	}
	return "", false
}

// literalPath drops placeholders: a parameter named {reset_token} says
// nothing about what the route does.
func literalPath(p string) string {
	var b strings.Builder
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, "{") {
			continue
		}
		b.WriteString(seg + "/")
	}
	return b.String()
}

// splitWords lowercases and splits on anything not a letter or digit and at
// lower-to-upper case changes ("resetDb" → reset, db).
func splitWords(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return out
}
