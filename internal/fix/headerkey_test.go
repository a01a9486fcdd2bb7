package fix

import (
	"strings"
	"testing"
)

// keyCases: the verifier keeps its configured keys only.
var keyCases = []fixerCase{
	{"the jwk header branch gives way to the configured key", "jwt.jwk-header-trusted", `import jwt
def verify(token):
    header = jwt.get_unverified_header(token)
    if "jwk" in header:
        key = jwt.PyJWK(header["jwk"]).key
    else:
        key = local_key(header.get("kid"))
    return jwt.decode(token, key, algorithms=["RS256"])  # <-
`, `import jwt
def verify(token):
    header = jwt.get_unverified_header(token)
    key = local_key(header.get("kid"))
    return jwt.decode(token, key, algorithms=["RS256"])
`},
	{"a key function fetching the jku returns the local key", "jwt.jku-trusted", `import jwt
def _jku_key(header):
    jku = header.get("jku")
    if not jku:
        return local_key(header.get("kid"))
    keys = jwt.PyJWKSet.from_dict(fetch(jku))
    return keys.keys[0].key
def verify(token):
    return jwt.decode(token, _jku_key(jwt.get_unverified_header(token)), algorithms=["RS256"])  # <-
`, `import jwt
def _jku_key(header):
    return local_key(header.get("kid"))
def verify(token):
    return jwt.decode(token, _jku_key(jwt.get_unverified_header(token)), algorithms=["RS256"])
`},
	{"kid path allow-listed to the key directory", "jwt.kid-traversal", `import os
import jwt
def verify(token):
    kid = jwt.get_unverified_header(token).get("kid") or ""
    with open(os.path.join(KEY_DIR, kid)) as fh:  # <-
        key = fh.read()
    if not key:
        raise jwt.InvalidKeyError("empty key")
    return jwt.decode(token, key, algorithms=["HS256"])
`, `import os
import jwt
def verify(token):
    kid = jwt.get_unverified_header(token).get("kid") or ""
    if kid not in os.listdir(KEY_DIR):
        raise jwt.InvalidKeyError("unknown kid")
    with open(os.path.join(KEY_DIR, kid)) as fh:
        key = fh.read()
    if not key:
        raise jwt.InvalidKeyError("empty key")
    return jwt.decode(token, key, algorithms=["HS256"])
`},
	{"kid bound as a sqlite3 parameter", "jwt.kid-sqli", `import sqlite3
import jwt
def verify(token):
    kid = jwt.get_unverified_header(token).get("kid") or ""
    row = DB.execute(f"SELECT secret FROM keys WHERE kid = '{kid}'").fetchone()  # <-
    return jwt.decode(token, row[0], algorithms=["HS256"])
`, `import sqlite3
import jwt
def verify(token):
    kid = jwt.get_unverified_header(token).get("kid") or ""
    row = DB.execute("SELECT secret FROM keys WHERE kid = ?", (kid,)).fetchone()
    return jwt.decode(token, row[0], algorithms=["HS256"])
`},
}

func TestHeaderKeys(t *testing.T) {
	for _, c := range keyCases {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := plan(t, c.rule, map[string]string{"app.py": c.src})
			fx := pl.Fixes[0]
			if !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			if got := string(pl.New["app.py"]); got != c.want {
				t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestCacheKey(t *testing.T) {
	src := `def issue(claims):
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    head, payload, _ = token.split(".")
    verified_cache[head + "." + payload] = claims
    return token


def verify_cached(token):
    parts = token.split(".")
    signed = parts[0] + "." + parts[1]
    claims = verified_cache.get(signed)  # <-
    if claims is None:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        verified_cache[signed] = claims
    return claims
`
	pl, _ := plan(t, "jwt.invalid-signature-accepted", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	got := string(pl.New["app.py"])
	for _, want := range []string{"    verified_cache[token] = claims\n    return token", "    signed = token\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("patched app lacks %q:\n%s", want, got)
		}
	}
}
