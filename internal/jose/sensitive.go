package jose

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Sensitive is one claim that exposes a secret: where it is and why.
type Sensitive struct{ Path, Reason string }

// SensitiveClaims walks claims (nested objects and arrays too) and returns
// members whose name says they hold a password, secret, private key or API key, and
// values that look like password hashes or payment card numbers, sorted by
// path. Booleans, numbers named like flags and masked values ("***") are not
// secrets: `password_changed_at`, `has_password: true` and
// `secret_question` are deliberately not reported.
func SensitiveClaims(claims map[string]any) []Sensitive {
	var out []Sensitive
	walkClaims("", claims, &out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func walkClaims(path string, v any, out *[]Sensitive) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if r := sensitiveMember(k, x[k]); r != "" {
				*out = append(*out, Sensitive{Path: p, Reason: r})
				continue
			}
			walkClaims(p, x[k], out)
		}
	case []any:
		for i, e := range x {
			p := fmt.Sprintf("%s[%d]", path, i)
			if r := sensitiveValue(lastName(path), e); r != "" {
				*out = append(*out, Sensitive{Path: p, Reason: r})
				continue
			}
			walkClaims(p, e, out)
		}
	}
}

// lastName is the member name an array element belongs to.
func lastName(path string) string {
	path = strings.TrimRight(path, "]0123456789[")
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// sensitiveMember prefers the value's evidence (a hash format) over the name's.
func sensitiveMember(name string, v any) string {
	if r := sensitiveValue(name, v); r != "" {
		return r
	}
	if kind := secretName(name); kind != "" && holdsSecret(v) {
		return "its name says it holds " + article(kind) + kind
	}
	return ""
}

// holdsSecret reports whether v could be a secret's value: a non-empty,
// unmasked string or a number. Flags, nulls and containers are not.
func holdsSecret(v any) bool {
	switch x := v.(type) {
	case json.Number:
		return true
	case string:
		s := strings.ToLower(strings.TrimSpace(x))
		if s == "" || strings.Trim(s, "*•") == "" || strings.Contains(s, "redacted") || strings.Contains(s, "masked") {
			return false
		}
		return true
	}
	return false
}

// nameWords splits a member name at punctuation and camelCase boundaries,
// lower-cased: "clientSecret_expiresAt" → client secret expires at.
func nameWords(name string) []string {
	var words []string
	var cur []rune
	rs := []rune(name)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if len(cur) > 0 {
				words, cur = append(words, string(cur)), nil
			}
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
			words, cur = append(words, string(cur)), nil
		}
		cur = append(cur, unicode.ToLower(r))
	}
	if len(cur) > 0 {
		words = append(words, string(cur))
	}
	return words
}

// harmless words turn a secret-sounding name into metadata about the secret.
var harmlessWord = regexp.MustCompile(`^(question|questions|hint|policy|policies|changed|change|updated|update|reset|expires|expiry|expired|expiration|exp|age|set|last|length|len|min|max|strength|required|require|history|count|attempts|version|ver|rotated|rotation|created|modified|at|date|time|ts|is|has|must|needs|need|enabled|id|name|type|algorithm|alg|scheme|present|exists|configured|valid|never|rule|rules|salt|less|url|uri|ref|location|path)$`)

func next(words []string, i int) string {
	if i+1 < len(words) {
		return words[i+1]
	}
	return ""
}

// secretName says what kind of secret a member name announces, or "".
func secretName(name string) string {
	words := nameWords(name)
	kind := ""
	for i, w := range words {
		switch {
		case harmlessWord.MatchString(w) || strings.HasSuffix(w, "less"):
			return ""
		case strings.Contains(w, "password") || strings.Contains(w, "passwd") || strings.Contains(w, "passphrase") ||
			w == "pwd" || w == "pw" || w == "pwdhash" || w == "pwhash" || w == "passhash":
			kind = "password"
		case w == "secret" || w == "secrets" || strings.HasSuffix(w, "secret") || strings.HasPrefix(w, "secretkey") || strings.HasPrefix(w, "secretaccess"):
			if kind == "" {
				kind = "secret"
			}
		case w == "privatekey" || w == "privkey" || (w == "private" || w == "priv") && next(words, i) == "key":
			kind = "private key"
		case w == "apikey" || w == "accesskey" || (w == "api" || w == "access") && next(words, i) == "key":
			if kind == "" {
				kind = "API key"
			}
		}
	}
	return kind
}

func article(kind string) string {
	if strings.HasPrefix(kind, "API") {
		return "an "
	}
	return "a "
}
