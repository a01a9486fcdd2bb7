package claims

import (
	"context"
	"crypto/rand"
	"fmt"
	"sort"
	"time"

	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// recoverSession cracks every Flask session cookie the identity holds and
// proves a recovered SECRET_KEY with one forged cookie and a wrong-key
// control. Each key is reported once, on the first cookie it signs.
func (f *family) recoverSession(ctx context.Context, p *probe.Pass) {
	names := make([]string, 0, len(p.Creds.Cookies))
	for k := range p.Creds.Cookies {
		names = append(names, k)
	}
	sort.Strings(names)
	st := f.of(p.Env)
	for _, name := range names {
		value := p.Creds.Cookies[name]
		target, err := crack.ParseFlaskSession(value)
		if err != nil {
			continue
		}
		sess, err := parseFlaskSession(value)
		if err != nil {
			p.Note(fmt.Sprintf("identity %s: cookie %s: %v", p.Identity.Name, name, err))
			continue
		}
		// One search per app key: the session cookies of one name are
		// signed by one SECRET_KEY, whoever they were issued to.
		issuer := "flask-session\x00" + name
		unlock := st.lockKey(issuer)
		if _, ok := st.known(target.Verify); ok || st.tried(issuer, false) {
			unlock()
			continue
		}
		res, written := fromSource(p, target)
		found := written != nil
		if !found {
			res, found = crackSecret(ctx, p, target, "Flask SECRET_KEY of cookie "+name)
		}
		if !found {
			if ctx.Err() == nil {
				st.tried(issuer, true)
			}
			unlock()
			continue
		}
		st.addSecret(res.Secret)
		unlock()
		what := fmt.Sprintf("Flask session cookie %q", name)
		live, where, token := confirmSession(ctx, p, name, sess, res.Secret)
		if live == nil {
			p.Report(pinned(secretFinding(p, sessionSecret, res, what, nil, nil, "", ""), written))
			continue
		}
		p.Report(pinned(secretFinding(p, sessionSecret, res, what, live, where.Endpoint,
			fmt.Sprintf("a session cookie forged with it (an extra key, a fresh timestamp) was accepted twice (%s)", live.Why), token), written))
	}
}

// confirmSession sends a forged cookie to up to three gated endpoints and
// returns the first accepted twice whose wrong-key control is refused.
func confirmSession(ctx context.Context, p *probe.Pass, name string, sess *flaskSession, secret []byte) (*probe.Outcome, *probe.Pass, string) {
	for _, ep := range gatedPasses(p, sess.values(), maxConfirmEndpoints) {
		if ctx.Err() != nil {
			return nil, nil, ""
		}
		send := func(label, cookie string) *probe.Outcome {
			c := p.Creds.Clone()
			c.Cookies[name] = cookie
			return ep.Try(ctx, label, c)
		}
		forged, err := sess.forge(map[string]any{"authprobe": forgery.Canary()}, secret, time.Now())
		if err != nil {
			return nil, nil, ""
		}
		o := send("session signed with the recovered key", forged)
		if !o.Accepted() || !send("session signed with the recovered key (reproduced)", forged).Accepted() {
			continue
		}
		wrongKey := make([]byte, 24)
		_, _ = rand.Read(wrongKey)
		wrong, err := sess.forge(map[string]any{"authprobe": forgery.Canary()}, wrongKey, time.Now())
		if err != nil {
			return nil, nil, ""
		}
		if ctl := send("session signed with a random key", wrong); !ctl.Rejected() {
			p.Note(fmt.Sprintf("%s: a session signed with the recovered key was accepted, but so was one signed with a random key (%s)", ep.Endpoint.Key(), ctl.Why))
			continue
		}
		return o, ep, forged
	}
	return nil, nil, ""
}
