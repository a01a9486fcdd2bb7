package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/authprobe/authprobe/internal/engine/gates"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// A gate without the source is a hypothesis: endpoints that refuse alike
// can still verify differently. Before a member is trusted to share its
// representative's verdicts it answers the discriminating probes — the
// first request of the checks that tell verifiers apart for its token —
// and endpoints that answer them differently are different gates.

// discriminators returns the checks whose first requests tell verifiers
// of a token signed with alg apart (Check.Discriminates), in their rank
// order.
func (s *Scan) discriminators(alg string, hasKid bool) []probe.Check {
	var out []probe.Check
	for _, c := range s.opt.Checks {
		if d := c.Discriminates; d != nil && d.Tokens.Applies(alg, hasKid) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Discriminates.Rank < out[j].Discriminates.Rank })
	return out
}

// mapGates groups the gated endpoints: by refusal signature, refined by the
// discriminating probes; then recalibrates where checks will run in full.
func (s *Scan) mapGates(ctx context.Context) {
	groups := map[string][]*inventory.Endpoint{}
	s.mu.Lock()
	s.refusal = map[string]string{}
	for _, ep := range s.eps {
		if !s.gatedLocked(ep) {
			continue
		}
		sig := s.refusalSignature(ep)
		s.refusal[ep.Key()] = sig
		groups[sig] = append(groups[sig], ep)
	}
	s.mu.Unlock()
	var multi []*inventory.Endpoint
	for _, g := range groups {
		if len(g) > 1 {
			multi = append(multi, g...)
		}
	}
	s.discriminate(ctx, multi)
	sigs := map[string]string{}
	s.mu.Lock()
	for k, sig := range s.refusal {
		sigs[k] = sig
	}
	for _, ep := range multi {
		if len(s.disc[ep.Key()]) == 0 {
			// Nothing told this endpoint's verifier apart from its
			// neighbours' (no JWT to forge): it is checked on its own.
			sigs[ep.Key()] += "|alone:" + ep.Key()
			continue
		}
		sigs[ep.Key()] += "|" + s.discVector(ep)
	}
	for k := range sigs {
		// The code's verifier refines the grouping; it never joins
		// endpoints whose answers tell them apart.
		if v, ok := s.opt.SourceGates[k]; ok {
			sigs[k] = "source:" + v + "|" + sigs[k]
		}
	}
	for k := range s.gateOf {
		delete(s.gateOf, k)
	}
	s.groupByGate(sigs, s.eps)
	// Only gates with other members change how checks are scheduled.
	for k, g := range s.gateOf {
		if len(g.Members) < 2 {
			delete(s.gateOf, k)
		}
	}
	s.mu.Unlock()
	s.completeCalibration(ctx)
}

func (s *Scan) gatedLocked(ep *inventory.Endpoint) bool {
	for _, id := range s.opt.Identities {
		if c := s.cals[key{ep.Key(), id.Name}]; c != nil && c.Gated {
			return true
		}
	}
	return false
}

// member reports whether ep is a member (not the representative) of a gate.
func (s *Scan) member(ep *inventory.Endpoint) *gates.Gate {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.gateOf[ep.Key()]; g != nil && g.Representative() != ep {
		return g
	}
	return nil
}

// discriminate sends, on each endpoint, the first request of every
// discriminating check for each identity whose JWT it gates.
func (s *Scan) discriminate(ctx context.Context, eps []*inventory.Endpoint) {
	// Not errgroup.WithContext: its context ends with Wait, and what a
	// check starts for the whole scan (authprobe's key server) must not.
	var g errgroup.Group
	gctx := ctx
	g.SetLimit(s.opt.Parallel)
	for _, ep := range eps {
		g.Go(func() error {
			answers := map[string]*probe.Outcome{}
			// Forgeries tell a verifier apart per signing key and slot:
			// identities whose tokens one key signs share them.
			keys := map[string]bool{}
			for _, id := range s.opt.Identities {
				cal := s.Calibration(ep, id)
				if cal == nil || !cal.Gated {
					continue
				}
				creds, err := id.Creds(gctx, s.session)
				if err != nil {
					continue
				}
				sl, tok, ok := forgery.Find(creds)
				if !ok {
					continue
				}
				if k := signingKey(sl, tok); keys[k] {
					continue
				} else {
					keys[k] = true
				}
				_, hasKid := tok.Head["kid"]
				for _, c := range s.discriminators(tok.Alg(), hasKid) {
					if gctx.Err() != nil {
						continue
					}
					cid := c.ID
					env := newPassEnv(s, ep, true)
					if c.Discriminates.Cheap {
						env.budget = 1
					}
					c.Run(gctx, &probe.Pass{Env: env, Endpoint: ep, Identity: id, Creds: creds, Cal: cal})
					answers[cid+"|"+id.Name] = env.answer()
					if len(env.would) > 0 {
						// What the check would report tells the
						// endpoint apart on its own.
						answers[cid+"|"+id.Name+"|would:"+strings.Join(env.would, ",")] = nil
					}
					if c.Discriminates.Cheap && env.accepted != nil {
						// The signature is not checked, or alg none is
						// taken: the endpoint is proven broken and
						// shares its gate's full run; no further forgery
						// is needed to tell it apart.
						break
					}
				}
			}
			for _, o := range answers {
				if o != nil {
					o.Sample.Compact() // kept until confirmation: bounded
				}
			}
			s.mu.Lock()
			s.disc[ep.Key()] = answers
			s.mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
}

// discVector renders an endpoint's discriminating verdicts (caller holds mu).
func (s *Scan) discVector(ep *inventory.Endpoint) string {
	answers := s.disc[ep.Key()]
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := "-"
		if o := answers[k]; o != nil {
			v = string(o.Verdict) + "/" + gates.SampleSignature(o.Sample)
		}
		fmt.Fprintf(&b, "%s=%s;", k, v)
	}
	return b.String()
}

// SharesGate reports whether ep is a member (not the representative) of a
// gate: per-scan checks of the verifier skip it (probe.Shared).
func (s *Scan) SharesGate(ep *inventory.Endpoint) bool { return s.member(ep) != nil }

// signingKey names what a forgery of tok in slot tests: the slot, the
// algorithm, the key id and the issuer (tokens of one issuer share a key).
func signingKey(sl forgery.Slot, tok *jose.Token) string {
	kid, _ := tok.Head["kid"].(string)
	iss, _ := tok.Claims["iss"].(string)
	return strings.Join([]string{sl.String(), tok.Alg(), kid, iss}, "\x00")
}
