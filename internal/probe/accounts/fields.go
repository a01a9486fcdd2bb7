package accounts

import (
	"crypto/rand"
	"encoding/json"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/authprobe/authprobe/internal/identity"
)

// userPath and passwordPath find the user name and password of a login
// body: the configured user_field / password_field, else the first field
// named like one.
func passwordPath(l *identity.Login) string {
	if l.PasswordField != "" {
		return l.PasswordField
	}
	for _, p := range l.JSON.Paths() {
		if looksLike(last(p), "password", "passwd", "pwd", "pass", "secret") {
			return p
		}
	}
	return ""
}

func userPath(l *identity.Login, password string) string {
	if l.UserField != "" {
		return l.UserField
	}
	for _, p := range l.JSON.Paths() {
		if p == password {
			continue
		}
		if v, _ := l.JSON.Lookup(p); v != nil {
			if _, ok := v.(string); ok && looksLike(last(p), "user", "email", "login", "name", "account", "handle") {
				return p
			}
		}
	}
	return ""
}

func last(path string) string { return path[strings.LastIndex(path, ".")+1:] }

func looksLike(k string, words ...string) bool {
	k = norm(k)
	for _, w := range words {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// fill says how to make a value for a field a registration asked for.
type fill int

const (
	fillName fill = iota
	fillEmail
	fillPassword
	fillPhone
)

// known are the fields a registration may require, by normalized name,
// with their usual spelling.
var known = []struct {
	norm, key string
	f         fill
}{
	{"passwordconfirmation", "password_confirmation", fillPassword},
	{"confirmpassword", "confirm_password", fillPassword},
	{"passwordconfirm", "password_confirm", fillPassword},
	{"repeatpassword", "repeat_password", fillPassword},
	{"password2", "password2", fillPassword},
	{"emailaddress", "email_address", fillEmail},
	{"email", "email", fillEmail},
	{"username", "username", fillName},
	{"firstname", "first_name", fillName},
	{"lastname", "last_name", fillName},
	{"fullname", "full_name", fillName},
	{"displayname", "display_name", fillName},
	{"phonenumber", "phone_number", fillPhone},
	{"phone", "phone", fillPhone},
	{"name", "name", fillName},
	{"login", "login", fillName},
	{"password", "password", fillPassword},
}

// asked returns the fields a refusal names (JSON keys at any depth, then
// words of its messages), in the spelling the answer used when it is a key.
func asked(body []byte) map[string]fill {
	out := map[string]fill{}
	var v any
	keys := map[string]string{} // norm -> key as written
	if json.Unmarshal(body, &v) == nil {
		var walk func(any)
		walk = func(v any) {
			switch t := v.(type) {
			case map[string]any:
				for k, x := range t {
					keys[norm(k)] = k
					walk(x)
				}
			case []any:
				for _, x := range t {
					walk(x)
				}
			case string:
				// FastAPI and jsonschema name the field in a value:
				// {"loc": ["body", "fullname"]}.
				if ident.MatchString(t) {
					if _, ok := keys[norm(t)]; !ok {
						keys[norm(t)] = t
					}
				}
			}
		}
		walk(v)
	}
	text := norm(string(body))
	var hits []int
	for i, k := range known {
		if _, isKey := keys[k.norm]; isKey || strings.Contains(text, k.norm) {
			hits = append(hits, i)
		}
	}
	for _, i := range hits {
		k := known[i]
		_, isKey := keys[k.norm]
		inner := false // "name" inside "username": asked for the longer one only
		for _, j := range hits {
			if j != i && !isKey && strings.Contains(known[j].norm, k.norm) {
				inner = true
			}
		}
		if inner {
			continue
		}
		spelled := k.key
		if isKey {
			spelled = keys[k.norm]
		}
		out[spelled] = k.f
	}
	return out
}

var ident = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{1,40}$`)

// random returns n characters of set.
func random(set string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = set[int(b[i])%len(set)]
	}
	return string(b)
}

const (
	lower  = "abcdefghijkmnopqrstuvwxyz"
	alnum  = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	digits = "0123456789"
)

// credentials are the fresh values of one account.
type credentials struct {
	user, email, password string
}

// fresh makes an account's values. The user name is marked with "ap" and
// otherwise random: output redaction hides any 8-character prefix of a
// login value, so it must not start with a word the report prints.
func fresh() credentials {
	u := "ap" + random(lower+digits, 10)
	return credentials{user: u, email: u + "@example.com", password: "Ap" + random(alnum, 12) + "9z"}
}

// shorter keeps the values within common length limits (8 to 12
// characters; the user name stays marked and random).
func (c credentials) shorter() credentials {
	if len(c.user) > 10 {
		c.user = c.user[:10]
	}
	c.email = c.user + "@example.com"
	if len(c.password) > 12 {
		c.password = c.password[:10] + "9z"
	}
	return c
}

// value makes a field's value for an account.
func (c credentials) value(f fill, special bool) any {
	switch f {
	case fillEmail:
		return c.email
	case fillPassword:
		if special {
			return c.password + "!"
		}
		return c.password
	case fillPhone:
		return "+1555" + random(digits, 7)
	}
	return c.user
}

// refusal: a 2xx answer whose body says it failed (APIs that answer 200
// with {"status": "fail"}).
func refusal(body []byte) bool {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	for _, k := range []string{"status", "error", "errors"} {
		switch v := m[k].(type) {
		case string:
			l := strings.ToLower(v)
			if k != "status" || l == "fail" || l == "error" || l == "failed" {
				return true
			}
		case map[string]any, []any:
			return true
		}
	}
	return false
}

// norm is principal.Norm: user_id, userId and user-id are all "userid".
var norm = principal.Norm

// Expect adds to the registration body the fields the registration's own
// body (config bodies:, the handler's code, the spec) names beyond the
// login's, each with a fresh value of its kind. Only string fields are
// taken: a flag or a number there (is_admin: false) is the registration
// check's to forge, never a plain account's to send.
func (r *Registrar) Expect(body map[string]any) []string {
	var added []string
	base := map[string]bool{}
	for _, p := range r.base.Paths() {
		base[norm(last(p))] = true
	}
	for k, v := range body {
		if _, ok := v.(string); !ok || base[norm(k)] || k == last(r.userPath) || k == last(r.passPath) {
			continue
		}
		if _, priv := Privileged[k]; priv {
			continue
		}
		if _, ok := r.body[k]; ok {
			continue
		}
		r.body[k] = fillFor(k)
		if v := v.(string); typedValue(k, v) {
			// A value the code parses (a date in its strptime format, a
			// UUID): sent as written, not a fresh word.
			r.body[k] = v
		}
		added = append(added, k)
	}
	sort.Strings(added)
	return added
}

// fillFor is the kind of value a field named k takes.
func fillFor(k string) fill {
	n := norm(k)
	for _, x := range known {
		if x.norm == n {
			return x.f
		}
	}
	switch {
	case strings.Contains(n, "mail"):
		return fillEmail
	case strings.Contains(n, "pass"):
		return fillPassword
	case strings.Contains(n, "phone"):
		return fillPhone
	}
	return fillName
}

// typedValue: a field with no kind of its own (not a name, e-mail,
// password or phone) whose value from the handler's code is not a word —
// a date, a UUID, base64 — because the code parses it: a fresh word there
// is refused (400 "Invalid date format").
func typedValue(k, v string) bool {
	if fillFor(k) != fillName || v == "" {
		return false
	}
	for _, x := range known {
		if x.norm == norm(k) {
			return false
		}
	}
	for _, r := range v {
		if !unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
