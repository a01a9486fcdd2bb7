package ratelimit

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// keyedTargets: when the auth matrix told no key gate apart from no
// credential anywhere, the routes the code or the spec says check an API
// key — a write (with --allow-writes), or a read of an object that does
// not exist — get their key series on an object nobody has: a path
// parameter with a made-up value, so that neither a guess nor the valid
// key acts on anything. A write that names no object (POST /, POST
// /process_json: an API whose keyed routes are all writes) gets its series
// as it is, without a body: the guesses stop at the gate, and the valid
// key, twice, meets the route's own answer to an empty request. The
// valid key afterwards must be answered otherwise than the guesses were
// (past the gate: "no such cafe" where the guesses got "not allowed");
// answered alike, the series proves nothing and is noted.
func keyedTargets(p *probe.Pass) []target {
	inv := p.Inventory()
	return endpointTargets(inv, func(ep *inventory.Endpoint) (target, bool) {
		if !keyed(ep, inv) || p.ResultOf(randomKey, ep) {
			return target{}, false
		}
		switch {
		case ep.Method != http.MethodGet && !p.AllowWrites():
			return target{}, false
		case ep.Method == http.MethodGet && !strings.Contains(ep.Path, "{"):
			// A read of no object: the matrix judged it.
			return target{}, false
		}
		if gatedInMatrix(p, ep) {
			return target{}, false // keyTargets sends its series
		}
		for _, id := range p.Identities() {
			ss := slots.Of(id.Base, inv)
			sl, ok := slots.First(ss, slots.Key)
			if !ok || len(ss) != 1 || identifier(sl.Value) {
				continue
			}
			s, pre := keyedSeries(p, ep, id.Base, sl, slotValues(p, sl))
			t := targetAt(ep, id.Name, s)
			t.pre = pre
			if sl.In == slots.Query {
				t.after = inQuery(p, t, sl)
			}
			return t, true
		}
		return target{}, false
	})
}

// keyed: the code checks a key on the route (a custom token check too:
// the identity's credential is a key, and its verifier is the gate), or
// the spec requires an apiKey scheme there.
func keyed(ep *inventory.Endpoint, inv *inventory.Inventory) bool {
	for _, k := range ep.Expects {
		if k == "api-key" || k == "jwt-or-key" || k == "custom" {
			return true
		}
	}
	if !ep.Declared() || ep.Public() {
		return false
	}
	for _, set := range ep.Security {
		for _, name := range set {
			for _, sc := range inv.Schemes {
				if sc.Name == name && strings.EqualFold(sc.Type, "apiKey") {
					return true
				}
			}
		}
	}
	return false
}

func gatedInMatrix(p *probe.Pass, ep *inventory.Endpoint) bool {
	for _, c := range p.Matrix(ep) {
		if c.Ref != nil && c.Ref.Gated && c.Verdict() == oracle.Accepted {
			return true
		}
	}
	return false
}

// keyedSeries is the series on an object nobody has, and its check
// before it (gate.go): a made-up key and the valid one, once each.
func keyedSeries(p *probe.Pass, ep *inventory.Endpoint, creds identity.Creds, sl slots.Slot, values []string) (series, func(context.Context) (*oracle.Sample, string)) {
	u := p.URL(madeUp(p, ep))
	send := func(ctx context.Context, label string, c identity.Creds) *probe.Outcome {
		req := &httpx.Request{Method: ep.Method, URL: u, Header: http.Header{}, NoRetry: true}
		o := p.Send(ctx, ep, req, c, nil)
		o.Label = label
		return o
	}
	var first *oracle.Sample
	var before *oracle.Sample // the valid key's answer before the series
	pre := func(ctx context.Context) (*oracle.Sample, string) {
		bad := send(ctx, "invalid key (before the series)", sl.With(creds, slots.RandomLike(sl.Value)))
		good := send(ctx, "valid key (before the series)", creds)
		if why := bad.Sample.Unusable(); bad.Sample.Err != nil || bad.Sample.Status == 0 {
			return nil, "a made-up key got no answer: " + why
		}
		if good.Sample.Err != nil || good.Sample.Status == 0 ||
			oracle.SameRefusal(good.Sample, bad.Sample) || good.Sample.Status == bad.Sample.Status && string(good.Sample.Body) == string(bad.Sample.Body) {
			return nil, fmt.Sprintf("the valid key in %s was answered like a made-up one (status %d) on an object nobody has: it does not get past this route's gate there, so no key was guessed", sl.String(), good.Sample.Status)
		}
		before = good.Sample
		return bad.Sample, ""
	}
	return series{
		usable: func(o *probe.Outcome) bool {
			if o.Sample.Unusable() == "" {
				return true
			}
			return before != nil && o.Sample.Err == nil && o.Sample.Status != 0 && o.Sample.Status == before.Status
		},
		carriers: []string{sl.Name, "authorization"},
		what:     fmt.Sprintf("invalid API keys in %s, on an object nobody has (%s)", sl.String(), pathOf(u)),
		unproven: "the valid key was answered like the invalid ones on an object nobody has: the answers do not show the gate",
		attempt: func(ctx context.Context, i int) *probe.Outcome {
			o := send(ctx, fmt.Sprintf("invalid key %d", i+1), sl.With(creds, slots.RandomLike(sl.Value)))
			if i == 0 {
				first = o.Sample
			}
			return o
		},
		refused: func(o *probe.Outcome) bool { return oracle.Refusal(o.Sample) },
		control: func(ctx context.Context) *probe.Outcome { return send(ctx, "valid key (control)", creds) },
		works: func(o *probe.Outcome) bool {
			// Past the gate: answered, and not as the guesses were.
			return o.Sample != nil && o.Sample.Err == nil && o.Sample.Status != 0 && first != nil &&
				!oracle.SameRefusal(o.Sample, first) && string(o.Sample.Body) != string(first.Body)
		},
		keyBits:     keyBits(values...),
		guessesKeys: true,
	}, pre
}

func pathOf(u string) string {
	if pu, err := url.Parse(u); err == nil {
		return pu.Path
	}
	return u
}

// ruleQuery: a key the API takes in the query string.
const ruleQuery = "apikey.in-query"

// inQuery reports the key's query placement once the series' valid key
// got past the gate there (and the guesses in the same place did not).
func inQuery(p *probe.Pass, t target, sl slots.Slot) func(v verdict) {
	return func(v verdict) {
		if v.control == nil || v.last == nil || throttled(v.control.Sample) != "" || !t.s.works(v.control) {
			return
		}
		pass := &probe.Pass{Env: p.Env}
		f := catalog.New(ruleQuery)
		f.Endpoint = t.ep
		f.Identity = t.id
		f.Confidence = finding.Confirmed
		f.Message = fmt.Sprintf("identity %s's key travels in the query parameter %q, where server logs, proxies and Referer headers keep it; the route's gate takes it there", t.id, sl.Name)
		f.Evidence = pass.Evidence(v.control, fmt.Sprintf("the valid key in ?%s got past the gate (status %d, not the guesses' answer)", sl.Name, v.control.Sample.Status),
			fmt.Sprintf("invalid keys in ?%s were refused (status %d)", sl.Name, v.last.Sample.Status))
		p.Report(f)
	}
}
