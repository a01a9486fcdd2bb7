package claims

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// sameAnswer is how alike two answers' shapes must be to count as the
// same view.
const sameAnswer = 0.9

// subjectClaims identify the user a token speaks for, most common first.
var subjectClaims = []string{"sub", "username", "user", "uid", "user_id", "userId", "email"}

// impersonate proves a recovered secret lets one identity become another:
// for each other identity whose token the same secret signs, it forges the
// identity's token with the other's subject on the first endpoint where the
// two see different data, and reports jwt.forged-privilege when the answer
// is the other's view (reproduced, wrong-key control refused). It runs in
// the per-identity phase, so the endpoint it picks does not depend on
// scheduling.
func impersonate(ctx context.Context, p *probe.Pass, sl forgery.Slot, tok *jose.Token, c *capability) {
	for _, other := range p.Identities() {
		if other == p.Identity || ctx.Err() != nil {
			continue
		}
		oc, err := other.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		_, otok, ok := forgery.Find(oc)
		if !ok || otok.Alg() != tok.Alg() || jose.Verify(otok, c.hmacKey) != nil {
			continue
		}
		claim, val := subject(tok, otok)
		if claim == "" {
			continue
		}
		for _, ep := range p.Endpoints() {
			if tryImpersonation(ctx, p, sl, tok, c, other, ep, claim, val) {
				break
			}
		}
	}
}

// subject returns the first subject claim both tokens carry as distinct
// strings, and the other token's value.
func subject(mine, theirs *jose.Token) (string, string) {
	for _, k := range subjectClaims {
		a, okA := mine.Claims[k].(string)
		b, okB := theirs.Claims[k].(string)
		if okA && okB && a != b && len(b) >= 3 {
			return k, b
		}
	}
	return "", ""
}

func tryImpersonation(ctx context.Context, p *probe.Pass, sl forgery.Slot, tok *jose.Token, c *capability, other *identity.Identity, ep *inventory.Endpoint, claim, val string) bool {
	mine, theirs := p.Calibration(ep, p.Identity), p.Calibration(ep, other)
	if mine == nil || theirs == nil || !mine.Gated || !theirs.Gated {
		return false
	}
	own, their := mine.Accepted[0], theirs.Accepted[0]
	myVal, _ := tok.Claims[claim].(string)
	// The endpoint must show who is asking: the other's value in their
	// answer, not in ours.
	if own.Status/100 != 2 || their.Status/100 != 2 || !contains(their, val) || contains(own, val) {
		return false
	}
	pass := &probe.Pass{Env: p.Env, Endpoint: ep, Identity: p.Identity, Creds: p.Creds, Cal: mine}
	t := &forgery.Target{P: pass, Slot: sl, Tok: tok}
	forged, err := c.sign(tok, map[string]any{claim: val}, nil, "", false)
	if err != nil {
		return false
	}
	// Their view: their value shown, ours gone (when our answer shows it),
	// and the answer shaped like theirs.
	looksLikeTheirs := func(s *oracle.Sample) bool {
		return s != nil && s.Status/100 == 2 && contains(s, val) &&
			(myVal == "" || !contains(own, myVal) || !contains(s, myVal)) &&
			oracle.Similarity(s.Shape(), their.Shape()) >= sameAnswer
	}
	o := t.Send(ctx, claim+" of identity "+other.Name, forged)
	if !looksLikeTheirs(o.Sample) || !looksLikeTheirs(t.Send(ctx, claim+" of identity "+other.Name+" (reproduced)", forged).Sample) {
		return false
	}
	wrong, err := c.sign(tok, map[string]any{claim: val}, nil, "", true)
	if err != nil {
		return false
	}
	if ctl := t.Send(ctx, claim+" of identity "+other.Name+", wrong key", wrong); looksLikeTheirs(ctl.Sample) || !ctl.Rejected() {
		p.Note(fmt.Sprintf("%s: impersonating %s worked, but the wrong-key control was not refused (%s)", ep.Key(), other.Name, ctl.Why))
		return true
	}
	fd := pass.Finding(catalog.New(privilege))
	fd.Message = fmt.Sprintf("identity %s's token, re-signed with the recovered secret and %s set to %s's value, was answered with %s's data: anyone holding one token can act as any user",
		p.Identity.Name, claim, other.Name, other.Name)
	proof := fmt.Sprintf("the answer matches identity %s's own answer (not %s's) and shows %s's %s", other.Name, p.Identity.Name, other.Name, claim)
	fd.Evidence = pass.Evidence(o, proof, "the same claims signed with a wrong key were refused")
	fd.Evidence.Token = p.Redactor().Token(forged)
	fd.Confidence = finding.Confirmed
	p.Report(fd)
	return true
}

func contains(s *oracle.Sample, v string) bool {
	return s != nil && v != "" && strings.Contains(string(s.Body), v)
}
