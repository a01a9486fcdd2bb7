package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixSensitiveClaim drops a sensitive entry from the claims dictionary on
// the cause line, when nothing else in the project reads that claim.
func fixSensitiveClaim(s *site) (*attempt, string) {
	for _, d := range s.onLine("dictionary") {
		pairs := d.NamedChildren()
		for i, p := range pairs {
			if p.Kind != "pair" || p.Line != s.line {
				continue
			}
			key, ok := p.ChildByField("key").StringValue()
			if !ok || !sensitiveClaim(key) {
				continue
			}
			if s.p.readsKey(key, p) {
				return nil, "claim " + quote(key) + " is read elsewhere in the code; dropping it needs a person"
			}
			return &attempt{edits: []Edit{removeFromList(s.src(), pairs, i)}, what: "claim " + quote(key) + " no longer issued"}, ""
		}
	}
	return nil, "no sensitive claim in a dictionary literal on " + s.f.Location.String()
}

// sensitiveClaim reports whether a claim name is a secret's: the claims
// the static rule flags (password, hash, secret, key material).
func sensitiveClaim(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"password", "passwd", "pwd", "hash", "secret", "ssn", "card", "private"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// readsKey reports whether any string literal other than at `except`
// names the key (a subscript or .get of it anywhere).
func (p *project) readsKey(key string, except *python.Node) bool {
	for _, f := range p.files {
		for _, str := range f.OfKind("string") {
			if except.Contains(str) {
				continue
			}
			if v, ok := str.StringValue(); ok && v == key {
				return true
			}
		}
	}
	return false
}

// fixNoExpiry gives a token issued without a lifetime the lifetime the
// other call sites of the same issuing function pass: `issue(c, None)`
// becomes `issue(c, ACCESS_TTL)` when every other call passes ACCESS_TTL
// there.
func fixNoExpiry(s *site) (*attempt, string) {
	for _, call := range s.onLine("call") {
		pos := positional(call)
		at := -1
		for i, a := range pos {
			if a.Kind == "none" {
				at = i
			}
		}
		if at < 0 {
			if a, ok := s.noneKeyword(call); ok {
				return a, ""
			}
			continue
		}
		name := callName(call)
		if name == "" {
			return nil, "the issuing call has no plain name"
		}
		seen := map[string]bool{}
		for _, f := range s.p.files {
			for _, other := range f.OfKind("call") {
				if other == call || callName(other) != name {
					continue
				}
				// Constants only: a local variable's value is not known here.
				if op := positional(other); len(op) > at && op[at].Kind == "identifier" && isModuleName(f, op[at].Text()) {
					seen[op[at].Text()] = true
				}
			}
		}
		ttl := one(seen)
		if ttl == "" || call.File != s.file {
			return nil, "the other calls of " + name + " do not pass one module-level lifetime constant to copy"
		}
		return &attempt{edits: []Edit{{Start: pos[at].Start, End: pos[at].End, New: ttl}},
			what: "issued with " + ttl + ", the lifetime the other " + name + " calls pass"}, ""
	}
	return nil, "no call passing None as the lifetime on " + s.f.Location.String() + "; where tokens get their lifetime needs a person"
}

// noneKeyword drops a keyword argument passing None as the lifetime
// (issue(u, ttl=None)) when the called function of the file gives that
// parameter a default that is not None: the default lifetime applies.
func (s *site) noneKeyword(call *python.Node) (*attempt, bool) {
	fn := call.ChildByField("function")
	if fn == nil || fn.Kind != "identifier" {
		return nil, false
	}
	var def *python.Node
	for _, st := range s.file.Root.NamedChildren() {
		if d := st; d.Kind == "function_definition" && d.ChildByField("name").Text() == fn.Text() {
			def = d
		}
	}
	if def == nil {
		return nil, false
	}
	items := args(call)
	for i, a := range items {
		if a.Kind != "keyword_argument" || a.ChildByField("value").Kind != "none" {
			continue
		}
		param := a.ChildByField("name").Text()
		for _, p := range def.ChildByField("parameters").NamedChildren() {
			if p.Kind != "default_parameter" && p.Kind != "typed_default_parameter" || p.ChildByField("name").Text() != param {
				continue
			}
			if v := p.ChildByField("value"); v != nil && v.Kind != "none" {
				return &attempt{edits: []Edit{removeFromList(s.src(), items, i)},
					what: "issued with " + param + "'s default lifetime (" + v.Text() + "), as " + fn.Text() + "'s other calls"}, true
			}
		}
	}
	return nil, false
}

// isModuleName reports whether name is assigned at the file's top level.
func isModuleName(f *python.File, name string) bool {
	for _, st := range f.Root.NamedChildren() {
		if st.Kind != "expression_statement" {
			continue
		}
		for _, as := range st.NamedChildren() {
			if as.Kind == "assignment" && as.ChildByField("left").Text() == name {
				return true
			}
		}
	}
	return false
}
