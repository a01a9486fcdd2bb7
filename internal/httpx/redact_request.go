package httpx

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

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
