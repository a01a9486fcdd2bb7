package claims

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// recoverJWT cracks the identity's HS* token and, when the secret falls,
// proves it live with one forged request and a wrong-key control. A secret
// already recovered from another identity's token is reused silently: the
// finding is per secret, not per identity.
func (f *family) recoverJWT(ctx context.Context, p *probe.Pass) {
	sl, tok, ok := forgery.Find(p.Creds)
	if !ok || !strings.HasPrefix(tok.Alg(), "HS") {
		return
	}
	target, err := crack.ParseJWT(tok.Raw)
	if err != nil {
		return
	}
	st := f.of(p.Env)
	issuer := issuerOf(tok)
	// One key at a time: identities whose tokens one key signs wait for
	// the first one's search and reuse what it found.
	unlock := st.lockKey(issuer)
	defer unlock()
	if sec, ok := st.known(target.Verify); ok {
		st.setCap(p.Identity.Name, &capability{hmacKey: sec, recovered: true, origin: "the secret recovered from another identity's token"})
		return
	}
	if st.tried(issuer, false) {
		return
	}
	res, written := fromSource(p, target)
	found := written != nil
	if !found {
		res, found = crackSecret(ctx, p, target, tok.Alg()+" secret")
	}
	if !found {
		if ctx.Err() == nil {
			st.tried(issuer, true)
		}
		return
	}
	st.addSecret(res.Secret)
	c := &capability{hmacKey: res.Secret, recovered: true, origin: "the recovered secret"}
	st.setCap(p.Identity.Name, c)

	var live *forgery.Forged
	var where *probe.Pass
	for _, ep := range gatedPasses(p, tok.Claims, maxConfirmEndpoints) {
		if ctx.Err() != nil {
			return
		}
		t := &forgery.Target{P: ep, Slot: sl, Tok: tok}
		fg := t.Attempt(ctx, "signed with the recovered secret", func(set map[string]any) (string, error) {
			return c.sign(tok, set, nil, "", false)
		})
		if fg == nil {
			continue
		}
		wrong, err := c.sign(tok, map[string]any{"authprobe": forgery.Canary()}, nil, "", true)
		if err != nil {
			return
		}
		if ctl, ok := t.Rejected(ctx, "signed with a random key", wrong); !ok {
			p.Note(fmt.Sprintf("%s: a token signed with the recovered secret was accepted, but so was one signed with a random key (%s)", ep.Endpoint.Key(), ctl.Why))
			continue
		}
		live, where = fg, ep
		break
	}
	what := tok.Alg() + " token"
	if live == nil {
		p.Report(pinned(secretFinding(p, weakSecret, res, what, nil, nil, "", ""), written))
		return
	}
	proof := fmt.Sprintf("a token forged with it was accepted twice (%s)", live.O.Why)
	if live.Confirmed {
		proof = fmt.Sprintf("a token forged with it setting %q = %q was accepted and the value reflected", live.Claim, live.Canary)
	}
	p.Report(pinned(secretFinding(p, weakSecret, res, what, live.O, where.Endpoint, proof, live.Token), written))
	impersonate(ctx, p, sl, tok, c)
}

// issuerOf names the key that signed a token, for searching each key
// once: the alg, kid and iss claim. Tokens of one issuer share a key,
// whoever they were issued to and however they were obtained (a login, or
// a configured bearer token).
func issuerOf(tok *jose.Token) string {
	kid, _ := tok.Head["kid"].(string)
	iss, _ := tok.Claims["iss"].(string)
	return strings.Join([]string{tok.Alg(), kid, iss}, "\x00")
}
