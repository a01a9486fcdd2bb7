package engine

import (
	"context"
	"fmt"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// principal is an identity with its credentials split into slots.
type principal struct {
	id    *identity.Identity
	creds identity.Creds
	slots []slots.Slot
}

// rowProbe builds one endpoint's cells.
type rowProbe struct {
	s        *Scan
	ep       *inventory.Endpoint
	anon     *oracle.Sample
	cells    []probe.Cell
	accepted []principal
	refs     map[string]*oracle.Calibration
}

// probeMatrix fills the auth matrix: the calibration's answers per identity
// and, on every endpoint that refuses anonymous requests, the credential
// variants — a garbage bearer, a forged JWT, an invalid key, each alone,
// mixed with valid credentials of the other kind, and each credential of a
// multi-credential identity alone. Verdicts compare with the identity's
// valid answers against the anonymous one (not against the malformed
// credential, which the calibration counts as refused even when the
// endpoint lets it through with a slightly different body).
func (s *Scan) probeMatrix(ctx context.Context) {
	var ps []principal
	for _, id := range s.opt.Identities {
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			s.Note(fmt.Sprintf("auth matrix: identity %s: %v", id.Name, err))
			continue
		}
		ps = append(ps, principal{id: id, creds: creds, slots: slots.Of(creds, s.opt.Inventory)})
	}
	// Members of a gate share their representative's answers to the
	// variants; their own cells are the calibration's.
	s.membersLast(ctx, func(gctx context.Context, ep *inventory.Endpoint) {
		r := &rowProbe{s: s, ep: ep, anon: s.Anonymous(ep), refs: map[string]*oracle.Calibration{}}
		r.base(ps)
		if gate := s.member(ep); gate != nil {
			r.shareVariants(gate.Representative())
		} else if gctx.Err() == nil {
			r.variants(gctx, ps)
		}
		for _, c := range r.cells {
			if c.Outcome != nil && c.Outcome.Sample != nil {
				c.Outcome.Sample.Compact() // kept: bounded memory
			}
		}
		s.mu.Lock()
		if s.cells == nil {
			s.cells = map[string][]probe.Cell{}
		}
		s.cells[ep.Key()] = r.cells
		s.mu.Unlock()
	})
}

// shareVariants copies the representative's variant cells.
func (r *rowProbe) shareVariants(rep *inventory.Endpoint) {
	have := map[string]bool{}
	for _, c := range r.cells {
		have[c.Key] = true
	}
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	for _, c := range r.s.cells[rep.Key()] {
		if !have[c.Key] {
			r.cells = append(r.cells, c)
		}
	}
}

// base adds the cells the calibration already answered: each identity and
// anonymous.
func (r *rowProbe) base(ps []principal) {
	for _, p := range ps {
		cal := r.s.Calibration(r.ep, p.id)
		var sample *oracle.Sample
		var valid []*oracle.Sample
		if cal != nil && len(cal.Accepted) > 0 {
			sample, valid = cal.Accepted[0], cal.Accepted
		} else {
			// No usable answer: a redirect or server error may still be a
			// refusal (identityVerdict decides).
			r.s.mu.Lock()
			sample = r.s.valid[key{r.ep.Key(), p.id.Name}]
			r.s.mu.Unlock()
		}
		v, ref := identityVerdict(sample, valid, r.anon)
		if v == oracle.Accepted && ref != nil && ref.Gated {
			r.accepted = append(r.accepted, p)
			r.refs[p.id.Name] = ref
		}
		r.cells = append(r.cells, probe.Cell{
			Key: p.id.Name, Identity: p.id.Name, Variant: slots.CellIdentity, Creds: p.creds, Ref: ref,
			Outcome: &probe.Outcome{Label: p.id.Name, Sample: sample, Verdict: v},
		})
	}
	r.cells = append([]probe.Cell{{
		Key: "anonymous", Variant: slots.CellAnonymous, Creds: identity.Creds{}.Clone(),
		Outcome: &probe.Outcome{Label: "anonymous", Sample: r.anon, Verdict: anonVerdict(r.anon, len(r.accepted) > 0)},
	}}, r.cells...)
}

// identityVerdict: a refusal (the one refusal oracle: 401/403, an error
// envelope, a redirect to sign in, ...) is rejected; an answer unlike the
// anonymous one is accepted; an answer like it is accepted when anonymous
// requests are served and rejected when they are refused.
func identityVerdict(sample *oracle.Sample, valid []*oracle.Sample, anon *oracle.Sample) (oracle.Verdict, *oracle.Calibration) {
	switch {
	case sample == nil:
		return oracle.Inconclusive, nil
	case oracle.Refusal(sample) || oracle.SameRefusal(sample, anon) && !oracle.Served(anon):
		return oracle.Rejected, nil
	case sample.Unusable() != "":
		return oracle.Inconclusive, nil
	case anon == nil || anon.Err != nil || anon.Status == 429:
		return oracle.Inconclusive, nil
	}
	ref := oracle.Calibrate(valid, []*oracle.Sample{anon})
	switch {
	case ref.Gated:
		return oracle.Accepted, ref
	case oracle.Served(anon):
		return oracle.Accepted, ref
	case oracle.Refusal(anon):
		return oracle.Rejected, ref
	}
	return oracle.Inconclusive, ref
}

// anonVerdict: a refusal, or an answer some identity's differs from (a
// consistent server error or redirect included), is rejected; a 2xx that
// no identity's answer differs from is accepted.
func anonVerdict(anon *oracle.Sample, someoneDiffers bool) oracle.Verdict {
	switch {
	case anon == nil || anon.Err != nil || anon.Status == 429:
		return oracle.Inconclusive
	case oracle.Refusal(anon) || someoneDiffers:
		return oracle.Rejected
	case anon.Unusable() != "":
		return oracle.Inconclusive
	case oracle.Served(anon):
		return oracle.Accepted
	}
	return oracle.Inconclusive
}

// variants sends the credential variants of a gated endpoint. Cells of
// one credential start from the first identity holding that kind, so that
// the columns are the same on every row; mixed cells start from the first
// identity of the other kind the endpoint lets in.
func (r *rowProbe) variants(ctx context.Context, ps []principal) {
	jp, jok := pick(ps, nil, slots.JWT)
	kp, kok := pick(ps, nil, slots.Key)
	if r.cells[0].Verdict() != oracle.Rejected {
		return
	}
	if len(r.accepted) == 0 {
		if jok && kok && jp.id != kp.id {
			r.combined(ctx, jp, kp)
		}
		return
	}
	garbage := r.send(ctx, "garbage-bearer", "", slots.CellGarbage, identity.Creds{Bearer: slots.Garbage()}, r.home("", slots.JWT))
	js, _ := slots.First(jp.slots, slots.JWT)
	ks, _ := slots.First(kp.slots, slots.Key)
	var forged string
	if jok {
		f, err := slots.ForgedJWT(js.Value)
		forged, jok = f, err == nil
	}
	bad := ""
	if kok {
		bad = slots.RandomLike(ks.Value)
	}
	if jok {
		r.send(ctx, jp.id.Name+":jwt-forged", jp.id.Name, slots.CellForgedJWT, js.Alone(forged), r.home(jp.id.Name, slots.JWT))
	}
	if kok {
		r.send(ctx, kp.id.Name+":key-invalid", kp.id.Name, slots.CellBadKey, ks.Alone(bad), r.home(kp.id.Name, slots.Key))
	}
	if ja, ok := pick(r.accepted, nil, slots.JWT); ok && kok && ja.id != kp.id {
		r.send(ctx, "jwt+key-invalid", ja.id.Name, slots.CellPlusBadKey, ks.With(ja.creds, bad), r.refs[ja.id.Name])
	}
	if ka, ok := pick(r.accepted, nil, slots.Key); ok && jok && ka.id != jp.id {
		r.send(ctx, "key+jwt-forged", ka.id.Name, slots.CellPlusForged, js.With(ka.creds, forged), r.refs[ka.id.Name])
	}
	for _, p := range ps {
		if len(p.slots) < 2 {
			continue
		}
		for _, sl := range p.slots {
			r.send(ctx, onlyKey(p, sl), p.id.Name, slots.CellOnly, sl.Alone(sl.Value), r.home(p.id.Name, sl.Kind))
		}
	}
	r.gateGarbage(ctx, garbage, ps)
	r.gateIdleJWT(ps)
}

// onlyKey names a one-credential cell: "alice:jwt-only", or with the slot's
// name when the identity has two of the kind.
func onlyKey(p principal, sl slots.Slot) string {
	n := 0
	for _, o := range p.slots {
		if o.Kind == sl.Kind {
			n++
		}
	}
	if n > 1 && sl.Name != "" {
		return fmt.Sprintf("%s:%s-only(%s)", p.id.Name, sl.Kind, sl.Name)
	}
	return p.id.Name + ":" + sl.Kind + "-only"
}

// combined tries a JWT identity's and a key identity's credentials together
// on an endpoint that neither opens alone (jwt-and-key).
func (r *rowProbe) combined(ctx context.Context, jp, kp principal) {
	o := r.s.Send(ctx, r.ep, nil, slots.Combine(jp.creds, kp.creds), nil)
	o.Label = "jwt+key"
	switch {
	case oracle.Refusal(o.Sample):
		o.Verdict = oracle.Rejected
	case o.Sample.Unusable() != "":
		o.Verdict = oracle.Inconclusive
	case oracle.Served(o.Sample) && oracle.Refusal(r.anon):
		o.Verdict = oracle.Accepted
	default:
		o.Verdict = oracle.Inconclusive
	}
	r.cells = append(r.cells, probe.Cell{Key: o.Label, Identity: jp.id.Name, Variant: slots.CellCombined,
		Creds: slots.Combine(jp.creds, kp.creds), Outcome: o})
}

func (r *rowProbe) send(ctx context.Context, key, id, variant string, creds identity.Creds, ref *oracle.Calibration) probe.Cell {
	o := r.s.Send(ctx, r.ep, nil, creds, ref)
	o.Label = key
	c := probe.Cell{Key: key, Identity: id, Variant: variant, Creds: creds, Ref: ref, Outcome: o}
	r.cells = append(r.cells, c)
	return c
}

// home is the reference a variant is judged against: the identity it comes
// from when that identity gets in, else one that gets in with the same kind
// of credential, else any that gets in.
func (r *rowProbe) home(id, kind string) *oracle.Calibration {
	if ref := r.refs[id]; ref != nil {
		return ref
	}
	for _, p := range r.accepted {
		for _, sl := range p.slots {
			if sl.Kind == kind {
				return r.refs[p.id.Name]
			}
		}
	}
	return r.refs[r.accepted[0].id.Name]
}

// pick returns the first identity with a credential of kind, preferring one
// the endpoint lets in.
func pick(all, accepted []principal, kind string) (principal, bool) {
	for _, group := range [][]principal{accepted, all} {
		for _, p := range group {
			if _, ok := slots.First(p.slots, kind); ok {
				return p, true
			}
		}
	}
	return principal{}, false
}
