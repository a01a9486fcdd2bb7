package fix

import (
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// issuer is what the project's own token issuing says about its tokens:
// per jwt.encode call, the algorithm, the key it signs with and whether
// every token it makes carries exp. A decode is pinned to what the encode
// calls signing with the same key say, never to a guess.
type issuer struct {
	encodes []encodeSite
	// pins are decodes elsewhere pinned to a single algorithm.
	pins []encodeSite
	// config holds JWT_ALGORITHM values (flask-jwt-extended).
	config []string
	// keys are, per file, the key expressions its encode calls sign with.
	keys map[string]map[string]bool
	// noExp is set when a finding says tokens are issued without exp and
	// it is not fixed: no decode is made to require exp.
	noExp bool
}

// encodeSite is one jwt.encode call (or one pinned decode).
type encodeSite struct {
	alg string // "" when not a literal
	key string // keyID of the key argument
	exp bool   // every token it makes carries exp
	// iss and aud are the literal values its claims carry ("" when not).
	iss, aud string
}

// key returns the one signing-key expression the file's own encode calls use.
func (is *issuer) key(file string) string {
	k := one(is.keys[file])
	if k == "" || strings.ContainsAny(k, "()\n") {
		return "" // a call: evaluating it again may not give the same key
	}
	return k
}

// learnIssuer reads every jwt.encode-like call (PyJWT and python-jose:
// encode(claims, key, algorithm=...); authlib: encode(header, claims, key)).
func learnIssuer(files map[string]*python.File) *issuer {
	is := &issuer{keys: map[string]map[string]bool{}}
	for _, f := range files {
		for _, call := range f.OfKind("call") {
			name := callName(call)
			switch {
			case strings.HasSuffix(name, ".encode") && strings.Contains(strings.ToLower(name), "jwt"):
				is.encode(f, call)
			case isDecode(name):
				if list := kwarg(call, "algorithms"); list != nil {
					if vs := stringList(list); len(vs) == 1 && !strings.EqualFold(vs[0], "none") {
						is.pins = append(is.pins, encodeSite{alg: vs[0], key: keyID(decodeKey(call))})
					}
				}
			}
		}
		for _, a := range f.OfKind("assignment") {
			if configKey(a.ChildByField("left")) == "JWT_ALGORITHM" {
				if v, ok := a.ChildByField("right").StringValue(); ok {
					is.config = appendUnique(is.config, v)
				}
			}
		}
	}
	return is
}

func (is *issuer) encode(f *python.File, call *python.Node) {
	args := positional(call)
	site := encodeSite{}
	if v, ok := kwarg(call, "algorithm").StringValue(); ok {
		site.alg = v
	}
	claims, key := 0, 1
	if len(args) > 0 && args[0].Kind == "dictionary" && dictString(args[0], "alg") != "" {
		site.alg = dictString(args[0], "alg") // authlib: the header names alg
		claims, key = 1, 2
	}
	if kn := kwargNode(call, "key"); kn != nil {
		site.key = keyID(kn.ChildByField("value"))
	} else if len(args) > key {
		site.key = keyID(args[key])
		if is.keys[f.Path] == nil {
			is.keys[f.Path] = map[string]bool{}
		}
		is.keys[f.Path][args[key].Text()] = true
	}
	if len(args) > claims {
		site.exp = carriesExp(f, call, args[claims])
		if d := claimsDict(f, call, args[claims]); d != nil {
			site.iss, site.aud = dictString(d, "iss"), dictString(d, "aud")
		}
	}
	is.encodes = append(is.encodes, site)
}

// sites returns the encode calls that sign with key ("" for any).
func (is *issuer) sites(key string) []encodeSite {
	if key == "" {
		return is.encodes
	}
	var out []encodeSite
	for _, e := range is.encodes {
		if e.key == key {
			out = append(out, e)
		}
	}
	return out
}

// exp reports whether the tokens a decode with this key verifies always
// carry exp: every encode call signing with that key puts it in.
func (is *issuer) exp(key string) bool {
	sites := is.sites(key)
	if is.noExp || len(sites) == 0 {
		return false
	}
	for _, e := range sites {
		if !e.exp {
			return false
		}
	}
	return true
}

// alg returns the one algorithm to pin a decode with this key to, among
// the candidates (the decode's own list, when it has one): the algorithm
// the encode calls signing with the same key use, else the one other
// decodes with that key pin; "" when that is not one known algorithm.
func (is *issuer) alg(candidates []string, key string) string {
	var real []string
	for _, c := range candidates {
		if !strings.EqualFold(c, "none") {
			real = append(real, c)
		}
	}
	sites := is.sites(key)
	if len(sites) == 0 && len(real) > 0 {
		// No encode signs with this key (a public key verifies what a
		// private one signed): the issuers' algorithms may only choose
		// among the decode's own list.
		sites = is.encodes
	}
	var known []string
	for _, e := range sites {
		if e.alg != "" {
			known = appendUnique(known, e.alg)
		}
	}
	if len(known) == 0 {
		for _, p := range is.pins {
			if key == "" || p.key == key {
				known = appendUnique(known, p.alg)
			}
		}
	}
	if len(known) == 0 && key == "" {
		known = is.config
	}
	slices.Sort(known)
	switch {
	case len(known) == 1 && (len(real) == 0 || slices.Contains(real, known[0])):
		return known[0]
	case len(known) == 0 && len(real) == 1:
		return real[0]
	case len(known) > 1 && len(real) > 0:
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
