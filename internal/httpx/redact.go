package httpx

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Redactor hides known credentials, and every value derived from one, in
// anything printed. Secrets are added as identities obtain them (and as
// checks forge working credentials); with Show set nothing is hidden
// (--show-secrets).
//
// Derivations hidden: the value in any letter case, any run of at least
// MinPrefix bytes of it (a server that accepts a truncated key makes the
// prefix a credential), its URL-encoded forms and its base64 wrappings (Basic auth,
// cookies that wrap it). A JWT's header and payload are not secret (they are
// shared by every token of the issuer and are the point of a proof), so for
// a JWT the whole token and its signature are the hidden values.
type Redactor struct {
	Show    bool
	mu      sync.RWMutex
	secrets []string // as registered
	forms   []string // lower-cased derived forms, longest first
	seen    map[string]bool
	public  map[string]bool // lower-cased words never hidden
	places  map[string]bool // lower-cased names of places (headers, parameters, cookies)
	known   map[string]bool // every registered value, short ones too (Known)
}

// Known reports whether v was registered as a secret, however short (a
// value under 4 bytes is never masked inside text, but it is still a
// credential: a user's record number used as its token).
func (r *Redactor) Known(v string) bool {
	if r == nil || v == "" {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.known[v]
}

// Public declares words that are never hidden even when registered as a
// secret: identity names, which login bodies often repeat as usernames.
func (r *Redactor) Public(words ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.public == nil {
		r.public = map[string]bool{}
	}
	for _, w := range words {
		r.public[lowerASCII(w)] = true
	}
}

// Places declares the names of places a credential travels in (a header,
// a query parameter, a cookie): they are public, so a secret that is part
// of a longer name (the key "my_api_key" in the header "my_api_key_name")
// is not hidden inside that name. Unlike Public, a name equal to a secret
// protects nothing: the value stays hidden wherever it stands alone.
func (r *Redactor) Places(names ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.places == nil {
		r.places = map[string]bool{}
	}
	for _, n := range names {
		if n != "" {
			r.places[lowerASCII(n)] = true
		}
	}
}

// MinPrefix is the shortest prefix of a secret that is still hidden.
const MinPrefix = 8

// NewRedactor returns an empty redactor.
func NewRedactor() *Redactor { return &Redactor{} }

// Add registers secrets to hide; values shorter than 4 bytes are ignored so
// that ordinary words are not blanked out.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	for _, s := range secrets {
		if s != "" {
			if r.known == nil {
				r.known = map[string]bool{}
			}
			r.known[s] = true
		}
		if len(s) < 4 || r.seen[s] {
			continue
		}
		r.seen[s] = true
		r.secrets = append(r.secrets, s)
		for _, f := range Derivations(s) {
			f = lowerASCII(f)
			if !r.seen["\x00"+f] {
				r.seen["\x00"+f] = true
				r.forms = append(r.forms, f)
			}
		}
	}
	// Longest first, so a token is hidden before any part of it.
	sort.SliceStable(r.forms, func(i, j int) bool { return len(r.forms[i]) > len(r.forms[j]) })
}

// Secrets returns the registered values (not their derivations).
func (r *Redactor) Secrets() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]string(nil), r.secrets...)
}

// Derivations lists the values a secret can show up as in output: itself,
// URL-encoded, and the stable cores of its base64 wrappings at each of the
// three byte alignments; for a JWT also its signature. Prefixes and case
// are handled when matching.
func Derivations(s string) []string {
	out := []string{s}
	if sig, ok := jwtSignature(s); ok && len(sig) >= 4 {
		out = append(out, sig)
	}
	for _, esc := range []string{url.QueryEscape(s), url.PathEscape(s)} {
		if esc != s {
			out = append(out, esc)
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		out = append(out, wrapped(enc, s)...)
	}
	return out
}

// wrapped returns, for each alignment of s inside a longer base64-encoded
// string, the characters that are fixed by s alone.
func wrapped(enc *base64.Encoding, s string) []string {
	var out []string
	for pad := 0; pad < 3; pad++ {
		full := enc.EncodeToString([]byte(strings.Repeat("\x00", pad) + s))
		// Characters touching the pad bytes depend on what precedes s.
		skip := (pad*8 + 5) / 6
		if pad == 0 {
			skip = 0
		}
		// The last characters depend on what follows s.
		end := (pad + len(s)) * 8 / 6
		if end > len(full) || skip >= end {
			continue
		}
		core := strings.TrimRight(full[skip:end], "=")
		if len(core) >= MinPrefix {
			out = append(out, core)
		}
	}
	return out
}

func jwtSignature(s string) (string, bool) {
	if !strings.HasPrefix(s, "eyJ") || strings.Count(s, ".") != 2 {
		return "", false
	}
	return s[strings.LastIndexByte(s, '.')+1:], true
}

// Mask shortens one credential to a recognisable, useless prefix.
func Mask(s string) string {
	if len(s) <= 8 {
		return "[redacted]"
	}
	return s[:6] + "…[redacted]"
}

// String hides every registered secret and derivation in s.
func (r *Redactor) String(s string) string {
	if r == nil || r.Show || s == "" {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if len(r.forms) == 0 {
		return s
	}
	low := lowerASCII(s)
	hidden := make([]bool, len(s))
	found := false
	var inside func(i, j int) bool // computed at the first match only
	for _, f := range r.forms {
		if r.public[f] {
			continue
		}
		// Any run of at least MinPrefix bytes of the secret (a prefix the
		// server accepted, a variant with its first byte changed) is
		// hidden; a JWT only whole, never by its (public) header.
		minLen := min(MinPrefix, len(f))
		starts := len(f) - minLen
		if strings.HasPrefix(f, "eyj") && strings.Count(f, ".") == 2 {
			minLen, starts = len(f), 0
		}
		for k := 0; k <= starts; k++ {
			frag := f[k:]
			for from := 0; from+minLen <= len(low); {
				i := strings.Index(low[from:], frag[:minLen])
				if i < 0 {
					break
				}
				i += from
				n := minLen
				for n < len(frag) && i+n < len(low) && low[i+n] == frag[n] {
					n++
				}
				if inside == nil {
					inside = r.publicSpans(low)
				}
				if inside(i, i+n) {
					// Part of a longer public word (the secret "test"
					// inside the identity name "tester"): not the secret.
					from = i + n
					continue
				}
				for j := i; j < i+n; j++ {
					hidden[j] = true
				}
				found = true
				from = i + n
			}
		}
	}
	if !found {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !hidden[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && hidden[j] {
			j++
		}
		b.WriteString(Mask(s[i:j]))
		i = j
	}
	return b.String()
}

// publicSpans returns a test for whether [i, j) of low lies inside an
// occurrence of a public word or place name longer than the span itself.
func (r *Redactor) publicSpans(low string) func(i, j int) bool {
	var spans [][2]int
	for w := range r.public {
		spans = appendSpans(spans, low, w)
	}
	for w := range r.places {
		spans = appendSpans(spans, low, w)
	}
	return func(i, j int) bool {
		for _, sp := range spans {
			if sp[0] <= i && j <= sp[1] && sp[1]-sp[0] > j-i {
				return true
			}
		}
		return false
	}
}

// appendSpans adds every occurrence of the word w in low.
func appendSpans(spans [][2]int, low, w string) [][2]int {
	if len(w) < 4 {
		return spans
	}
	for from := 0; ; {
		k := strings.Index(low[from:], w)
		if k < 0 {
			return spans
		}
		spans = append(spans, [2]int{from + k, from + k + len(w)})
		from += k + 1
	}
}

// lowerASCII lower-cases ASCII letters only, so byte offsets are kept.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Token redacts a forged or real token for evidence: the header and payload
// stay readable (they are the point of the proof), the signature is hidden.
func (r *Redactor) Token(tok string) string {
	if r == nil || r.Show {
		return tok
	}
	// A JWT (two dots) or a signed cookie (itsdangerous: two dots, three
	// when compressed) keeps everything but its signature.
	if i := strings.LastIndexByte(tok, '.'); i > 0 && strings.Count(tok, ".") >= 2 {
		if i+1 < len(tok) {
			return tok[:i+1] + "[sig-redacted]"
		}
		return tok
	}
	return r.String(tok)
}

// Curl renders a request as a reproducible curl command with credentials
// redacted: every registered secret, and whatever travels where the
// request carried a credential (Request.Carriers, the Authorization and
// Cookie headers always).
func (r *Redactor) Curl(req *Request) string {
	var b strings.Builder
	b.WriteString("curl -sS")
	if req.Method != "GET" {
		b.WriteString(" -X " + req.Method)
	}
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range req.Header[k] {
			b.WriteString(" -H " + shellQuote(k+": "+r.headerValue(req, k, v)))
		}
	}
	if len(req.Body) > 0 {
		b.WriteString(" --data-binary " + shellQuote(r.String(string(req.Body))))
	}
	b.WriteString(" " + shellQuote(r.URL(req)))
	return b.String()
}

// URL renders the request's URL with registered secrets hidden and the
// value of every query parameter that carried a credential masked.
func (r *Redactor) URL(req *Request) string {
	if r == nil || r.Show {
		return req.URL
	}
	u, err := url.Parse(req.URL)
	if err != nil || u.RawQuery == "" || len(req.Carriers) == 0 {
		return r.String(req.URL)
	}
	parts := strings.Split(u.RawQuery, "&")
	changed := false
	for i, p := range parts {
		name, val, ok := strings.Cut(p, "=")
		if !ok || val == "" {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil && req.carries("query:"+n) {
			plain, _ := url.QueryUnescape(val)
			parts[i] = name + "=" + url.QueryEscape(r.carried(plain))
			changed = true
		}
	}
	if changed {
		u.RawQuery = strings.Join(parts, "&")
	}
	return r.String(u.String())
}

// carried hides a value that travelled where a credential goes: a
// registered secret as String does, a token or signed cookie by its
// signature, anything else (a guess, "2") whole.
func (r *Redactor) carried(v string) string {
	if r == nil || r.Show || v == "" {
		return v
	}
	if red := r.String(v); red != v {
		return red
	}
	if strings.Count(v, ".") >= 2 {
		return r.Token(v)
	}
	return Mask(v)
}

func (r *Redactor) headerValue(req *Request, name, v string) string {
	if r.Show {
		return v
	}
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization":
		if scheme, cred, ok := strings.Cut(v, " "); ok {
			return scheme + " " + r.carried(cred)
		}
		return r.carried(v)
	case "Cookie":
		// Every cookie value is a credential or a forgery of one (a
		// session signed with a recovered key works as well as the real
		// one): its signature is hidden like a token's; a cookie the
		// credentials put there is hidden whole.
		parts := strings.Split(v, "; ")
		for i, p := range parts {
			if name, val, ok := strings.Cut(p, "="); ok {
				if req.carries("cookie:" + name) {
					parts[i] = name + "=" + r.carried(val)
				} else {
					parts[i] = name + "=" + r.cookieValue(r.String(val))
				}
			}
		}
		return strings.Join(parts, "; ")
	}
	if req.carries("header:" + name) {
		return r.carried(v)
	}
	return r.String(v)
}

// cookieValue hides the signature of a signed cookie (itsdangerous
// "payload.timestamp.signature", a JWT) and keeps the readable part.
func (r *Redactor) cookieValue(v string) string {
	i := strings.LastIndexByte(v, '.')
	if i <= 0 || strings.Contains(v[i:], "[redacted]") {
		return v
	}
	if i+1 < len(v) {
		return v[:i+1] + "[sig-redacted]"
	}
	return v
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
