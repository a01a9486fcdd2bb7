// Package forgery is what the key and claim checks share: where an
// identity's JWT travels, sending a forged token in its place, canaries
// that prove the forged payload was read, reproduction and negative
// controls. It holds no checks of its own.
package forgery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// NotVerified is the rule that, once proven on an endpoint, makes every
// forgery there meaningless: the signature is not checked at all.
const NotVerified = "jwt.signature-not-verified"

// Slot is where an identity's JWT travels (identity.Slot, Kind JWT): the
// bearer, a header, a cookie or a query parameter. Prefix is the scheme a
// header sends before the token ("Token "); every forged token keeps it.
type Slot = identity.Slot

// Find returns the identity's JWT and where it is sent.
func Find(c identity.Creds) (Slot, *jose.Token, bool) {
	if t, err := jose.Parse(c.Bearer); c.Bearer != "" && err == nil {
		return Slot{In: identity.InBearer, Kind: identity.KindJWT}, t, true
	}
	for _, m := range []struct {
		in   string
		vals map[string]string
	}{{identity.InHeader, c.Headers}, {identity.InCookie, c.Cookies}, {identity.InQuery, c.Query}} {
		for _, k := range slices.Sorted(maps.Keys(m.vals)) {
			if t, err := jose.Parse(m.vals[k]); err == nil {
				return Slot{In: m.in, Name: k, Kind: identity.KindJWT}, t, true
			}
		}
	}
	// A header carrying a scheme before its JWT: "Authorization: Token
	// eyJ...", "X-Auth: JWT eyJ...".
	for _, k := range slices.Sorted(maps.Keys(c.Headers)) {
		if prefix, tok, ok := SplitScheme(c.Headers[k]); ok {
			if t, err := jose.Parse(tok); err == nil {
				return Slot{In: identity.InHeader, Name: k, Kind: identity.KindJWT, Prefix: prefix}, t, true
			}
		}
	}
	return Slot{}, nil, false
}

// SplitScheme splits "Scheme value" into the scheme with its trailing
// space and the value; false when v has no single-word scheme.
func SplitScheme(v string) (prefix, value string, ok bool) {
	scheme, rest, found := strings.Cut(v, " ")
	rest = strings.TrimLeft(rest, " ")
	if !found || scheme == "" || rest == "" || strings.ContainsAny(rest, " ") {
		return "", "", false
	}
	return v[:len(v)-len(rest)], rest, true
}

// Tampered parses the token with its claims changed by set and the
// original signature kept.
func (t *Target) Tampered(set map[string]any) (*jose.Token, error) {
	s, err := t.Tok.Tampered(set)
	if err != nil {
		return nil, err
	}
	return jose.Parse(s)
}

// Canary is a value no server produces on its own.
func Canary() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return "authprobe" + hex.EncodeToString(b)
}

// Target is a pass whose identity carries a JWT.
type Target struct {
	P    *probe.Pass
	Slot Slot
	Tok  *jose.Token
}

// TargetOf returns the pass's JWT target, or false when it has none.
func TargetOf(p *probe.Pass) (*Target, bool) {
	sl, tok, ok := Find(p.Creds)
	if !ok {
		return nil, false
	}
	return &Target{P: p, Slot: sl, Tok: tok}, true
}

// Send tries tok in the identity's slot on the pass's endpoint, alone of
// the identity's JWTs (see Forging).
func (t *Target) Send(ctx context.Context, label, tok string) *probe.Outcome {
	return t.P.Try(ctx, label, Forging(t.P.Creds, t.Slot, tok))
}

// Forging returns c with tok in slot and every other JWT c carries
// removed. A companion token — the refresh token in the cookie next to the
// access token — authenticates on its own wherever the API falls back to
// it, so a forgery sent beside it proves nothing, and an attacker forging
// a token has no valid companion to send. Credentials that are not JWTs
// (a CSRF cookie, an API key, a plain header) stay.
func Forging(c identity.Creds, slot Slot, tok string) identity.Creds {
	out := slot.With(c, tok)
	for _, s := range c.Slots() {
		if s.In == slot.In && s.Name == slot.Name {
			continue
		}
		v := s.Value
		if s.In == identity.InHeader {
			if _, rest, ok := SplitScheme(v); ok {
				v = rest
			}
		}
		if _, err := jose.Parse(v); err == nil {
			out = s.Without(out)
		}
	}
	return out
}

// Rejected sends a control token and reports whether it was refused.
func (t *Target) Rejected(ctx context.Context, label, tok string) (*probe.Outcome, bool) {
	o := t.Send(ctx, label, tok)
	return o, o.Rejected()
}

// RandomKeyRejected sends the control of a forgery whose key is what it
// proves (an empty or a public key as the HMAC secret): the token signed
// HS256 with a random 32-byte key, carrying canary. It reports whether
// that was refused; the outcome is nil when no such token could be made.
func (t *Target) RandomKeyRejected(ctx context.Context, label, canary string) (*probe.Outcome, bool) {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	wrong, err := jose.HMAC("HS256", key)
	if err != nil {
		return nil, false
	}
	tok, err := t.Tok.Resign(map[string]any{"authprobe": canary}, wrong)
	if err != nil {
		return nil, false
	}
	return t.Rejected(ctx, label, tok)
}

// Forged is an accepted, reproduced forgery.
type Forged struct {
	O         *probe.Outcome
	Token     string
	Canary    string
	Claim     string
	Confirmed bool
}

// Build makes a forged token carrying the claim changes in set.
type Build func(set map[string]any) (string, error)

// Attempt sends build's forgery with a harmless canary claim and, when it
// is accepted, reproduces it and tries to confirm it: the claim the valid
// answer reflects, set to a canary, must come back in the response. It
// returns nil unless the forgery was accepted twice.
func (t *Target) Attempt(ctx context.Context, label string, build Build) *Forged {
	c := Canary()
	tok, err := build(map[string]any{"authprobe": c})
	if err != nil {
		return nil
	}
	o := t.Send(ctx, label, tok)
	if !o.Accepted() && o.Rejected() {
		// A server may refuse unknown claims even when it never checks
		// the signature; a one-second change of iat is a payload change it
		// cannot object to.
		if set := benignChange(t.Tok.Claims); set != nil {
			if tok2, err := build(set); err == nil {
				if o2 := t.Send(ctx, label+" (iat changed)", tok2); o2.Accepted() {
					tok, o, c = tok2, o2, ""
				}
			}
		}
	}
	if !o.Accepted() {
		return nil
	}
	again := t.Send(ctx, label+" (reproduced)", tok)
	if !again.Accepted() {
		t.P.Note(fmt.Sprintf("%s %s: accepted once, not on reproduction (%s)", t.P.Endpoint.Key(), label, again.Why))
		return nil
	}
	f := &Forged{O: o, Token: tok, Canary: c}
	if claim := ReflectedClaim(t.P, t.Tok.Claims); claim != "" {
		c2 := Canary()
		if tok2, err := build(map[string]any{claim: c2}); err == nil {
			if o2 := t.Send(ctx, label+" (reflected canary)", tok2); o2.Accepted() && o2.Reflects(c2) {
				f.O, f.Token, f.Canary, f.Claim, f.Confirmed = o2, tok2, c2, claim, true
			}
		}
	}
	return f
}

// benignChange moves iat one second back: a changed payload that no claim
// check objects to. Nil when the token has no numeric iat.
func benignChange(claims map[string]any) map[string]any {
	n, ok := claims["iat"].(json.Number)
	if !ok {
		return nil
	}
	v, err := n.Int64()
	if err != nil || v <= 1 {
		return nil
	}
	return map[string]any{"iat": v - 1}
}

// ReflectedClaim returns the identity claim (string-valued, not a
// registered claim) whose value the endpoint's valid answer shows, the
// subject first; empty when none is shown.
func ReflectedClaim(p *probe.Pass, claims map[string]any) string {
	if p.Cal == nil || len(p.Cal.Accepted) == 0 {
		return ""
	}
	body := string(p.Cal.Accepted[0].Body)
	preferred := []string{"sub", "username", "user", "preferred_username", "name", "email", "login", "uid", "user_id", "userId", "account"}
	rank := func(k string) int {
		for i, pk := range preferred {
			if strings.EqualFold(k, pk) {
				return i
			}
		}
		return len(preferred)
	}
	var keys []string
	for k, v := range claims {
		s, ok := v.(string)
		if !ok || len(s) < 3 || registered(k) {
			continue
		}
		if strings.Contains(body, `"`+s+`"`) || strings.Contains(body, ">"+s+"<") || strings.Contains(body, " "+s+"\n") {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if rank(keys[i]) != rank(keys[j]) {
			return rank(keys[i]) < rank(keys[j])
		}
		return keys[i] < keys[j]
	})
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

func registered(k string) bool {
	switch k {
	case "iss", "aud", "exp", "nbf", "iat", "jti", "typ", "type", "token_type", "alg", "kid", "role", "roles", "scope":
		return true
	}
	return false
}

// Report records a proven forgery of rule on the pass's endpoint.
func (t *Target) Report(rule string, f *Forged, msg, control string) {
	t.ReportWith(rule, f, msg, control, nil)
}

// ReportWith is Report with adjust applied to the finding before it is
// recorded (a weight the rule's catalog entry cannot know).
func (t *Target) ReportWith(rule string, f *Forged, msg, control string, adjust func(*finding.Finding)) {
	fd := t.P.Finding(catalog.New(rule))
	fd.Message = msg
	fd.Confidence = finding.Firm
	proof := fmt.Sprintf("accepted twice (%s)", f.O.Why)
	if f.Confirmed {
		fd.Confidence = finding.Confirmed
		proof = fmt.Sprintf("forged claim %q = %q was reflected in the response", f.Claim, f.Canary)
	}
	if f.O.Sample != nil && f.O.Sample.Status == 403 {
		fd.Message += "; it was answered 403, as the identity's own token is here: the forged token passed authentication and was stopped by the role check that follows it"
	}
	fd.Evidence = t.P.Evidence(f.O, proof, control)
	fd.Evidence.Token = t.P.Redactor().Token(f.Token)
	if anyoneCanSign(t.Tok, f.Token) {
		// Its signature is no secret (none, empty, random, an empty
		// key): the reproduce line shows it whole so that it replays.
		fd.Evidence.Curl = strings.ReplaceAll(fd.Evidence.Curl, fd.Evidence.Token, f.Token)
		fd.Evidence.Token = f.Token
	}
	if adjust != nil {
		adjust(&fd)
	}
	t.P.Report(fd)
}

// anyoneCanSign: the forged token's signature is one anyone can make from
// nothing — no signature, a random one, HS256 with an empty key — not the
// identity's real signature nor one made with a recovered secret.
func anyoneCanSign(orig *jose.Token, forged string) bool {
	ft, err := jose.Parse(forged)
	if err != nil {
		return false
	}
	r, ok := jose.RecipeOf(orig, ft)
	if !ok {
		return false
	}
	switch r.Forge {
	case "stripped", "random-signature", "blank-secret":
		return true
	case "none":
		return !r.KeepSig
	}
	return false
}

// Broken reports whether the endpoint's signature check is already proven
// missing, so that no forgery there proves anything new.
func Broken(p *probe.Pass) bool { return p.ResultOf(NotVerified, p.Endpoint) }
