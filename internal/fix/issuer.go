package fix

import (
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// issuer is what the project's own token issuing says about its tokens:
// the algorithm it signs with and the iss/aud values it puts in them. A
// decode is pinned to these, never to a guess.
type issuer struct {
	algs []string        // algorithms named at encode calls (sorted, unique)
	pins []string        // single algorithms other decode calls pin to
	iss  map[string]bool // iss values issued
	aud  map[string]bool // aud values issued
	exp  bool            // the issuer sets exp (a literal claim or claims["exp"] = ...)
	// keys are, per file, the key expressions its encode calls sign with.
	keys map[string]map[string]bool
}

// key returns the one signing-key name the file's own encode calls use.
func (is *issuer) key(file string) string {
	k := one(is.keys[file])
	if k == "" || strings.ContainsAny(k, "()[] ") {
		return ""
	}
	return k
}

// learnIssuer reads every jwt.encode-like call: its algorithm= keyword and
// the iss/aud entries of a literal claims dictionary.
func learnIssuer(files map[string]*python.File) *issuer {
	is := &issuer{iss: map[string]bool{}, aud: map[string]bool{}, keys: map[string]map[string]bool{}}
	for _, f := range files {
		for _, call := range f.OfKind("call") {
			name := callName(call)
			switch {
			case strings.HasSuffix(name, ".encode") || name == "encode":
				if v, ok := kwarg(call, "algorithm").StringValue(); ok {
					is.algs = appendUnique(is.algs, v)
				}
				args := positional(call)
				if len(args) > 0 && args[0].Kind == "dictionary" {
					is.claims(args[0])
					// authlib: jwt.encode(header, payload, key), the header names alg.
					for _, pair := range args[0].NamedChildren() {
						if k, _ := pair.ChildByField("key").StringValue(); k == "alg" {
							if v, ok := pair.ChildByField("value").StringValue(); ok {
								is.algs = appendUnique(is.algs, v)
							}
						}
					}
				}
				if len(args) > 0 && args[0].Kind == "identifier" {
					// claims = {...}; jwt.encode(claims, ...) in one function.
					scope := call.Ancestor("function_definition")
					for _, a := range f.OfKind("assignment") {
						if a.ChildByField("left").Text() == args[0].Text() && a.Ancestor("function_definition") == scope && a.ChildByField("right").Kind == "dictionary" {
							is.claims(a.ChildByField("right"))
						}
					}
				}
				if len(args) > 1 {
					if is.keys[f.Path] == nil {
						is.keys[f.Path] = map[string]bool{}
					}
					is.keys[f.Path][args[1].Text()] = true
				}
			case isDecode(name):
				if list := kwarg(call, "algorithms"); list != nil {
					if vs := stringList(list); len(vs) == 1 && !strings.EqualFold(vs[0], "none") {
						is.pins = appendUnique(is.pins, vs[0])
					}
				}
			}
		}
		for _, a := range f.OfKind("assignment") {
			if left := a.ChildByField("left"); left != nil && left.Kind == "subscript" {
				if k, _ := left.ChildByField("subscript").StringValue(); k == "exp" {
					is.exp = true
				}
			}
			if key := configKey(a.ChildByField("left")); key == "JWT_ALGORITHM" {
				if v, ok := a.ChildByField("right").StringValue(); ok {
					is.algs = appendUnique(is.algs, v)
				}
			}
		}
	}
	slices.Sort(is.algs)
	slices.Sort(is.pins)
	return is
}

func (is *issuer) claims(d *python.Node) {
	for _, pair := range d.NamedChildren() {
		if pair.Kind != "pair" {
			continue
		}
		k, _ := pair.ChildByField("key").StringValue()
		if k == "exp" {
			is.exp = true
		}
		v, ok := pair.ChildByField("value").StringValue()
		if !ok {
			continue
		}
		switch k {
		case "iss":
			is.iss[v] = true
		case "aud":
			is.aud[v] = true
		}
	}
}

// alg returns the one algorithm to pin a decode to, choosing among the
// candidates (the decode's own list, when it has one) the algorithm the
// issuer signs with; "" when that is not one known algorithm.
func (is *issuer) alg(candidates []string) string {
	var known []string
	switch {
	case len(is.algs) > 0:
		known = is.algs
	case len(is.pins) > 0:
		known = is.pins
	}
	var real []string
	for _, c := range candidates {
		if !strings.EqualFold(c, "none") {
			real = append(real, c)
		}
	}
	if len(known) == 1 && (len(real) == 0 || slices.Contains(real, known[0])) {
		return known[0]
	}
	if len(known) == 0 && len(real) == 1 {
		return real[0]
	}
	if len(known) > 1 && len(real) > 0 {
		var both []string
		for _, r := range real {
			if slices.Contains(known, r) {
				both = append(both, r)
			}
		}
		if len(both) == 1 {
			return both[0]
		}
	}
	return ""
}

// one returns the single value of a set, or "".
func one(set map[string]bool) string {
	if len(set) != 1 {
		return ""
	}
	for v := range set {
		return v
	}
	return ""
}

// family is the key family of an algorithm: HS, RS/PS, ES, EdDSA.
func family(alg string) string {
	a := strings.ToUpper(alg)
	switch {
	case strings.HasPrefix(a, "HS"):
		return "HS"
	case strings.HasPrefix(a, "RS"), strings.HasPrefix(a, "PS"):
		return "RS"
	case strings.HasPrefix(a, "ES"):
		return "ES"
	}
	return a
}
