package httpx

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Redactor hides known credentials in anything printed. Secrets are added as
// identities obtain them; with Show set nothing is hidden (--show-secrets).
type Redactor struct {
	Show    bool
	mu      sync.RWMutex
	secrets []string
}

// NewRedactor returns an empty redactor.
func NewRedactor() *Redactor { return &Redactor{} }

// Add registers secrets to hide; values shorter than 4 bytes are ignored so
// that ordinary words are not blanked out.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) >= 4 {
			r.secrets = append(r.secrets, s)
		}
	}
	// Longest first, so a token is hidden before any part of it.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// Mask shortens one credential to a recognisable, useless prefix.
func Mask(s string) string {
	if len(s) <= 8 {
		return "[redacted]"
	}
	return s[:6] + "…[redacted]"
}

// String hides every registered secret in s, and the signature of anything
// that looks like a JWT.
func (r *Redactor) String(s string) string {
	if r == nil || r.Show {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Mask(sec))
		}
		if esc := url.QueryEscape(sec); esc != sec && strings.Contains(s, esc) {
			s = strings.ReplaceAll(s, esc, Mask(sec))
		}
	}
	return s
}

// Token redacts a forged or real token for evidence: the header and payload
// stay readable (they are the point of the proof), the signature is hidden.
func (r *Redactor) Token(tok string) string {
	if r == nil || r.Show {
		return tok
	}
	if i := strings.LastIndexByte(tok, '.'); i > 0 && strings.Count(tok, ".") == 2 {
		if i+1 < len(tok) {
			return tok[:i+1] + "[sig-redacted]"
		}
		return tok
	}
	return r.String(tok)
}

// Curl renders a request as a reproducible curl command with credentials
// redacted.
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
			b.WriteString(" -H " + shellQuote(k+": "+r.headerValue(k, v)))
		}
	}
	if len(req.Body) > 0 {
		b.WriteString(" --data-binary " + shellQuote(r.String(string(req.Body))))
	}
	b.WriteString(" " + shellQuote(r.String(req.URL)))
	return b.String()
}

func (r *Redactor) headerValue(name, v string) string {
	if r.Show {
		return v
	}
	if http.CanonicalHeaderKey(name) == "Authorization" {
		if scheme, cred, ok := strings.Cut(v, " "); ok {
			return scheme + " " + r.Token(r.String(cred))
		}
	}
	return r.String(v)
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
