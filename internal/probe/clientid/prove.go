package clientid

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// swap proves the carrier on ep with two identities: B's request is
// served; A's own request is not served B's answer; A's request carrying
// B's value is served exactly B's answer; A's request carrying a made-up
// value is not (control). An endpoint with a path parameter is tried with
// B's value in its last one (/users/{id} addressed as the caller).
func swap(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, c *carrier, creds map[string]identity.Creds) (proof, bool) {
	if ep.Method != http.MethodGet {
		return proof{}, false
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range c.own {
			if _, ok := creds[n]; ok && len(c.own[n]) > 0 && !yield(n) {
				return
			}
		}
	})
	admin := map[string]bool{}
	for _, id := range p.Identities() {
		admin[id.Name] = id.Admin()
	}
	pairs := 0
	for _, b := range names {
		for _, a := range names {
			// An administrator acting as another user (an impersonation
			// header) may be by design: the sender is never one.
			if a == b || admin[a] || strings.EqualFold(c.own[a][0], c.own[b][0]) || pairs >= 2 {
				continue
			}
			pairs++
			for _, vb := range c.own[b] {
				if pr, ok := trySwap(ctx, p, ep, c, a, b, c.own[a][0], vb, creds); ok {
					return pr, true
				}
			}
		}
	}
	return proof{}, false
}

func trySwap(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, c *carrier, a, b, va, vb string, creds map[string]identity.Creds) (proof, bool) {
	target, ok := addressed(ep, vb)
	if !ok {
		return proof{}, false
	}
	theirs := c.send(ctx, p, target, withCarrier(creds[b], c, vb), b+" with its own "+c.Name)
	if !oracle.Served(theirs.Sample) {
		return proof{}, false
	}
	mine := c.send(ctx, p, target, withCarrier(creds[a], c, va), a+" with its own "+c.Name)
	if same(mine.Sample, theirs.Sample) {
		return proof{}, false // everyone is served this: it names no one
	}
	// A query parameter is usually what is asked for, not who asks: it
	// names the caller only when A's own value is refused there.
	if c.In == "query" && !oracle.Refusal(mine.Sample) && !refusedCaller(p, mine.Sample) {
		return proof{}, false
	}
	spoofed := c.send(ctx, p, target, withCarrier(creds[a], c, vb), fmt.Sprintf("%s with %s's %s", a, b, c.Name))
	if !oracle.Served(spoofed.Sample) || !same(spoofed.Sample, theirs.Sample) {
		return proof{}, false
	}
	fake := madeUp(vb)
	ctl := c.send(ctx, p, target, withCarrier(creds[a], c, fake), a+" with a made-up "+c.Name+" (control)")
	if same(ctl.Sample, theirs.Sample) || ctl.Sample == nil || ctl.Sample.Status == 0 || ctl.Sample.Status == http.StatusTooManyRequests {
		p.Note(fmt.Sprintf("%s: %s with %s's %s got %s's answer, but so did a made-up value (%s)", ep.Key(), a, b, c.Name, b, status(ctl)))
		return proof{}, false
	}
	if echoes(ctl.Sample, theirs.Sample, fake, vb) {
		p.Note(fmt.Sprintf("%s: the answer only echoes the %s sent (a made-up value comes back in its place): it discloses nothing of %s's", ep.Key(), c.Name, b))
		return proof{}, false
	}
	how := "refused"
	if !oracle.Refusal(mine.Sample) {
		how = "served its own, different answer"
	}
	return proof{ep: ep, as: a, whom: b, value: vb, o: spoofed, ctl: ctl,
		detail: fmt.Sprintf("%s sending %s's %s %q got exactly %s's answer on %s, where its own request was %s", a, b, c.Name, vb, b, target.Path, how)}, true
}

// literal proves the carrier on an endpoint refused without credentials:
// the request carrying a value the code compares the carrier with is
// served, and the same request with a made-up value is refused (control).
// An identity's credentials are tried after none.
func literal(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, c *carrier, creds map[string]identity.Creds) (proof, bool) {
	if len(c.literals) == 0 || ep.Method != http.MethodGet && strings.Contains(ep.Path, "{") {
		// A read is sent with its parameters' examples; a write only
		// without path parameters (no object of anyone's is changed).
		return proof{}, false
	}
	anon := p.Anonymous(ep)
	if anon == nil || ep.Method != http.MethodGet {
		anon = c.send(ctx, p, ep, identity.Creds{}, "no credential").Sample
	}
	if !refusedCaller(p, anon) || c.In == "query" && !identityName(c.Name) {
		// A 400 or 404 to a request without a required parameter is
		// validation, not a refusal of who the caller is (?format=json).
		return proof{}, false
	}
	bases := []struct {
		name  string
		creds identity.Creds
	}{{"anonymous", identity.Creds{}}}
	for _, id := range p.Identities() {
		if cr, ok := creds[id.Name]; ok && !id.Admin() {
			bases = append(bases, struct {
				name  string
				creds identity.Creds
			}{id.Name, cr})
			break
		}
	}
	for _, base := range bases {
		if base.name != "anonymous" {
			own := c.send(ctx, p, ep, base.creds, base.name)
			if !refusedAlike(p, own.Sample, anon) {
				return proof{}, false
			}
		}
		for i, lit := range c.literals {
			if i >= 4 {
				break
			}
			o := c.send(ctx, p, ep, withCarrier(base.creds, c, lit), fmt.Sprintf("%s with %s %q", base.name, c.Name, lit))
			if !oracle.Served(o.Sample) {
				continue
			}
			ctl := c.send(ctx, p, ep, withCarrier(base.creds, c, madeUp(lit)), base.name+" with a made-up "+c.Name+" (control)")
			if !refusedAlike(p, ctl.Sample, anon) {
				p.Note(fmt.Sprintf("%s: %s %q was served, but a made-up value was not refused (%s)", ep.Key(), c.Name, lit, status(ctl)))
				continue
			}
			return proof{ep: ep, as: base.name, value: lit, o: o, ctl: ctl,
				detail: fmt.Sprintf("%s, refused without it, was served by sending %s %q (a value the code compares it with)", base.name, c.Name, lit)}, true
		}
	}
	return proof{}, false
}

// addressed is ep with its last path parameter set to v, or ep itself
// when it has none.
func addressed(ep *inventory.Endpoint, v string) (*inventory.Endpoint, bool) {
	if !strings.Contains(ep.Path, "{") {
		return ep, true
	}
	segs := strings.Split(ep.Path, "/")
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
			continue
		}
		name := s[1 : len(s)-1]
		cp := *ep
		cp.Params = slices.Clone(ep.Params)
		for j := range cp.Params {
			if cp.Params[j].In == "path" && cp.Params[j].Name == name {
				if cp.Params[j].Type == "integer" && strings.Trim(v, "0123456789") != "" {
					return nil, false
				}
				cp.Params[j].Example = v
				return &cp, true
			}
		}
		return nil, false
	}
	return nil, false
}

// withCarrier returns creds with the carrier set to v (replacing whatever
// value of it the identity sends).
func withCarrier(cr identity.Creds, c *carrier, v string) identity.Creds {
	v = c.wire(v)
	out := cr.Clone()
	drop := func(m map[string]string) {
		for k := range m {
			if strings.EqualFold(k, c.Name) {
				delete(m, k)
			}
		}
	}
	switch c.In {
	case "header":
		drop(out.Plain)
		drop(out.Headers)
		if out.Headers == nil {
			out.Headers = map[string]string{}
		}
		out.Headers[c.Name] = v
	case "cookie":
		drop(out.Cookies)
		if out.Cookies == nil {
			out.Cookies = map[string]string{}
		}
		out.Cookies[c.Name] = v
	case "query":
		drop(out.Query)
		if out.Query == nil {
			out.Query = map[string]string{}
		}
		out.Query[c.Name] = v
	}
	return out
}

// send sends a request of the carrier's proof, counting it against the
// carrier's budget.
func (c *carrier) send(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, cr identity.Creds, label string) *probe.Outcome {
	c.spent++
	return send(ctx, p, ep, cr, label)
}

// send sends ep with creds: a write with the body given, else the one the
// config, spec or source gives it.
func send(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, cr identity.Creds, label string, with ...any) *probe.Outcome {
	req := &httpx.Request{Method: ep.Method, URL: p.URL(ep), Header: http.Header{}}
	if ep.Method != http.MethodGet {
		b := bodyOf(p, ep)
		if len(with) > 0 {
			b = with[0]
		}
		body, _ := json.Marshal(b)
		req.Body = body
		req.Header.Set("Content-Type", "application/json")
	}
	o := p.Send(probe.WithLabel(ctx, label), ep, req, cr, nil)
	o.Label = label
	return o
}

// bodyOf is the body the config, the spec or the source gives a write, or
// an empty JSON object.
func bodyOf(p *probe.Pass, ep *inventory.Endpoint) any {
	if v, ok := p.Settings().Bodies[ep.Key()]; ok {
		return v
	}
	if b, ok := p.Inventory().Bodies[ep.Key()]; ok && b.Value != nil {
		return b.Value
	}
	if b, ok := p.Settings().SourceBodies[ep.Key()]; ok && b.Value != nil && !b.Form {
		return b.Value
	}
	return map[string]any{}
}

// same: two served answers carry the same content (JSON compared as
// values, anything else byte for byte).
// echoes reports whether an answer only reflects the carrier's value: the
// control's answer, with the made-up value written back as B's, is B's
// answer. Then A carrying B's value was served nothing of B's but what it
// sent itself (an endpoint that echoes a cookie or header).
func echoes(ctl, theirs *oracle.Sample, fake, vb string) bool {
	if ctl == nil || theirs == nil || fake == "" || !bytes.Contains(ctl.Body, []byte(fake)) {
		return false
	}
	back := oracle.NewSample(ctl.Status, nil, bytes.ReplaceAll(ctl.Body, []byte(fake), []byte(vb)), nil)
	return same(back, theirs)
}

func same(x, y *oracle.Sample) bool {
	if x == nil || y == nil || x.Err != nil || y.Err != nil || x.Status != y.Status {
		return false
	}
	var a, b any
	if json.Unmarshal(x.Body, &a) == nil && json.Unmarshal(y.Body, &b) == nil {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		return bytes.Equal(ja, jb)
	}
	return bytes.Equal(bytes.TrimSpace(x.Body), bytes.TrimSpace(y.Body))
}
