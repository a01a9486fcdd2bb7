package httpx

import (
	"sort"
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
