package fix

import (
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// carriesExp reports whether every token of an encode call carries exp:
// its claims are a dictionary literal with "exp" (directly, or assigned to
// the name passed, in the same function), or the function sets
// claims["exp"] unconditionally (not under an if, loop or try).
func carriesExp(f *python.File, call, claims *python.Node) bool {
	if claims.Kind == "dictionary" {
		return dictHas(claims, "exp")
	}
	if claims.Kind != "identifier" {
		return false
	}
	fn := call.Ancestor("function_definition")
	for _, a := range f.OfKind("assignment") {
		if a.Ancestor("function_definition") != fn || a.Start > call.Start {
			continue
		}
		left, right := a.ChildByField("left"), a.ChildByField("right")
		if left.Text() == claims.Text() && right.Kind == "dictionary" && dictHas(right, "exp") {
			return true
		}
		if left.Kind == "subscript" && left.ChildByField("value").Text() == claims.Text() {
			if k, _ := left.ChildByField("subscript").StringValue(); k == "exp" && a.Ancestor("if_statement", "for_statement", "while_statement", "try_statement") == call.Ancestor("if_statement", "for_statement", "while_statement", "try_statement") {
				return true
			}
		}
	}
	return false
}

// claimsDict returns the dictionary literal an encode's claims are: the
// argument itself, or the dictionary assigned to the name in the function.
func claimsDict(f *python.File, call, claims *python.Node) *python.Node {
	if claims.Kind == "dictionary" {
		return claims
	}
	if claims.Kind != "identifier" {
		return nil
	}
	fn := call.Ancestor("function_definition")
	var out *python.Node
	for _, a := range f.OfKind("assignment") {
		if a.Ancestor("function_definition") == fn && a.Start < call.Start && a.ChildByField("left").Text() == claims.Text() && a.ChildByField("right").Kind == "dictionary" {
			out = a.ChildByField("right")
		}
	}
	return out
}

// claim returns the one literal value the encode calls signing with key
// put in a claim (iss or aud), or "".
func (is *issuer) claim(name, key string) string {
	seen := map[string]bool{}
	for _, e := range is.sites(key) {
		v := e.iss
		if name == "aud" {
			v = e.aud
		}
		if v == "" {
			return "" // a token without a literal value: not one known value
		}
		seen[v] = true
	}
	return one(seen)
}

func dictHas(d *python.Node, key string) bool {
	for _, p := range d.NamedChildren() {
		if k, _ := p.ChildByField("key").StringValue(); p.Kind == "pair" && k == key {
			return true
		}
	}
	return false
}

func dictString(d *python.Node, key string) string {
	for _, p := range d.NamedChildren() {
		if k, _ := p.ChildByField("key").StringValue(); p.Kind == "pair" && k == key {
			v, _ := p.ChildByField("value").StringValue()
			return v
		}
	}
	return ""
}

// decodeKey returns the key argument of a decode call, or nil.
func decodeKey(call *python.Node) *python.Node {
	if v := kwarg(call, "key"); v != nil {
		return v
	}
	if a := positional(call); len(a) > 1 {
		return a[1]
	}
	return nil
}

// keyID names a key expression so that the same key reads the same in an
// encode and a decode: the config key it names (app.config["SECRET_KEY"],
// settings.SECRET_KEY, os.environ.get("JWT_SECRET")), else its last name.
func keyID(n *python.Node) string {
	if n == nil {
		return ""
	}
	return keyIDOf(n.Text())
}

// quotedName is a name in quotes inside a key expression.
var quotedName = regexp.MustCompile(`["']([A-Za-z_][A-Za-z0-9_]*)["']`)

func keyIDOf(t string) string {
	if m := quotedName.FindStringSubmatch(t); m != nil {
		return strings.ToUpper(m[1])
	}
	t = strings.TrimSpace(t)
	return strings.ToUpper(t[strings.LastIndexByte(t, '.')+1:])
}
