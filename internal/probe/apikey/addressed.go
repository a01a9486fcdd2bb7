package apikey

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// maxSteps bounds how far along the counter a guess goes from the
// identity's own value.
const maxSteps = 2

// proveAddressed covers keys that are a counter and also the number of
// the record they open (the key is the user's id): a guess next to the
// identity's own counter value is sent to a route addressed with that
// same number. It is proven when the guessed key is served there while
// the identity's own key is refused that record and a random key of the
// same shape is refused too. The guess is made from the identity's own
// key alone; it may be another identity's key, which is the point.
func proveAddressed(ctx context.Context, p *probe.Pass, id *identity.Identity, creds identity.Creds, sl slots.Slot, start, width int, own uint64) bool {
	if !onlyCredential(creds, sl.Value) {
		return false // a number beside another credential names the caller: the client-controlled identity check's case
	}
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil || !strings.Contains(ep.Path, "{") {
			continue
		}
		for _, g := range steps(own) {
			guess := withCounter(sl.Value, start, width, g)
			at, ok := addressedBy(ep, strconv.FormatUint(g, 10))
			if guess == "" || !ok {
				continue
			}
			mine := p.Send(ctx, at, nil, creds, nil)
			if oracle.Served(mine.Sample) || mine.Sample == nil {
				break // the identity's own key reads it: the route is not owner-checked by key
			}
			p.Redactor().Add(guess)
			o := p.Send(ctx, at, nil, sl.With(creds, guess), nil)
			if !oracle.Served(o.Sample) {
				continue
			}
			random := p.Send(ctx, at, nil, sl.With(creds, otherThan(sl.Value, guess)), nil)
			if oracle.Served(random.Sample) {
				break
			}
			reportAddressed(p, at, id, sl, o, mine, random)
			return true
		}
	}
	return false
}

// onlyCredential: the key is the one value the identity authenticates
// with (no token or cookie beside it).
func onlyCredential(c identity.Creds, key string) bool {
	vals := map[string]bool{}
	for _, v := range c.Secrets() {
		vals[v] = true
	}
	for _, v := range c.Plain {
		vals[v] = true
	}
	delete(vals, "")
	return len(vals) == 1 && vals[key]
}

// otherThan is a random key of the shape of key that is neither key nor
// guess (a short key's random twin can land on either).
func otherThan(key, guess string) string {
	r := slots.RandomLike(key)
	for i := 0; i < 16 && (r == key || r == guess); i++ {
		r = slots.RandomLike(key)
	}
	return r
}

// steps are the counter values nearest own, own excluded.
func steps(own uint64) []uint64 {
	var out []uint64
	for d := uint64(1); d <= maxSteps; d++ {
		out = append(out, own+d)
		if own >= d {
			out = append(out, own-d)
		}
	}
	return out
}

// addressedBy fills the last path parameter of ep with v; false when the
// route has none or v does not fit its type.
func addressedBy(ep *inventory.Endpoint, v string) (*inventory.Endpoint, bool) {
	segs := strings.Split(ep.Path, "/")
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
			continue
		}
		cp := *ep
		cp.Params = slices.Clone(ep.Params)
		for j := range cp.Params {
			if cp.Params[j].In == "path" && cp.Params[j].Name == s[1:len(s)-1] {
				cp.Params[j].Example = v
				return &cp, true
			}
		}
		return nil, false
	}
	return nil, false
}

func reportAddressed(p *probe.Pass, ep *inventory.Endpoint, id *identity.Identity, sl slots.Slot, o, mine, random *probe.Outcome) {
	pass := &probe.Pass{Env: p.Env, Endpoint: ep, Identity: id}
	f := pass.Finding(catalog.New(ruleSequential))
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("%s's key in %s is a counter that is also the number of the record it opens: the key guessed one step along was served the record of that number, which %s's own key is refused", id.Name, sl, id.Name)
	f.Evidence = pass.Evidence(o, fmt.Sprintf("a key guessed from %s's own by counting was served the record with that number (status %d)", id.Name, o.Sample.Status),
		fmt.Sprintf("%s's own key was refused that record (status %d); a random key of the same shape was refused (status %d)", id.Name, mine.Sample.Status, random.Sample.Status))
	p.Report(f)
}
