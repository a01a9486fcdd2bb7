package clientid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// RuleOverride is what a body field overriding the owner the server set
// is: a field the client must not set, stored as sent.
const RuleOverride = "authz.mass-assignment"

// maxReadBacks bounds the reads tried to find a write's object.
const maxReadBacks = 15

// bodyOverride proves a body carrier (a field the code sets to the caller
// and then merges the request body over) on a write: identity A writes
// twice, once as it is (canary 1) and once with the field set to B's value
// (canary 2); a read as B then shows canary 2 and not canary 1 — the
// object was stored as B's because the client said so.
func bodyOverride(ctx context.Context, p *probe.Pass, c *carrier, creds map[string]identity.Creds) {
	if !p.AllowWrites() {
		return
	}
	a, b := pair(c, creds)
	if a == "" {
		return
	}
	for _, ep := range endpoints(p) {
		if ctx.Err() != nil || ep.Method == http.MethodGet {
			continue
		}
		for _, vb := range c.own[b] {
			if overrideOn(ctx, p, ep, c, creds, a, b, vb) {
				return
			}
		}
	}
}

// overrideOn tries the override with one of B's values on one write.
func overrideOn(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, c *carrier, creds map[string]identity.Creds, a, b, vb string) bool {
	base, ok := bodyOf(p, ep).(map[string]any)
	if !ok || len(base) == 0 {
		return false
	}
	can1, can2 := canary(), canary()
	plain := send(ctx, p, ep, creds[a], a+" writes as itself", marked(base, can1))
	if !servedWrite(plain) {
		return false
	}
	over := marked(base, can2)
	over[c.Name] = vb
	o := send(ctx, p, ep, creds[a], fmt.Sprintf("%s writes with %s %q", a, c.Name, vb), over)
	if !servedWrite(o) {
		return false
	}
	if read, ok := readBack(ctx, p, b, vb, creds[b], can2, can1); ok {
		pass := &probe.Pass{Env: p.Env, Endpoint: ep}
		f := pass.Finding(catalog.New(RuleOverride))
		f.Identity = a
		f.Confidence = finding.Confirmed
		f.Fields = []string{c.Name}
		f.Message = fmt.Sprintf("%s sent %s=%q in the body of %s and the object was stored as %s's: %s shows it to %s (the code sets %s to the caller and then merges the request body over it, %s)",
			a, c.Name, vb, ep.Key(), b, read.Key(), b, c.Name, c.where)
		f.Evidence = pass.Evidence(o, fmt.Sprintf("written by %s with %s %q; read back by %s on %s", a, c.Name, vb, b, read.Key()),
			fmt.Sprintf("the same write without %s was not shown to %s", c.Name, b))
		if loc := c.location(); loc != nil {
			f.Location = loc
		}
		p.Report(f)
		return true
	}
	return false
}

// pair picks two identities holding different values of the carrier.
func pair(c *carrier, creds map[string]identity.Creds) (string, string) {
	var names []string
	for _, id := range slices.Sorted(maps.Keys(c.own)) {
		if _, ok := creds[id]; ok && len(c.own[id]) > 0 {
			names = append(names, id)
		}
	}
	for _, a := range names {
		for _, b := range names {
			if a != b && !strings.EqualFold(c.own[a][0], c.own[b][0]) {
				return a, b
			}
		}
	}
	return "", ""
}

// readBack looks for the canary among the reads B can make (with B's value
// in the path where there is one), and not the other canary.
func readBack(ctx context.Context, p *probe.Pass, b, vb string, cr identity.Creds, want, not string) (*inventory.Endpoint, bool) {
	n := 0
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet || n >= maxReadBacks || ctx.Err() != nil {
			continue
		}
		target, ok := addressed(ep, vb)
		if !ok {
			continue
		}
		n++
		o := send(ctx, p, target, cr, b+" reads back")
		body := string(o.Sample.Body)
		if o.Sample.Status/100 == 2 && strings.Contains(body, want) && !strings.Contains(body, not) {
			return ep, true
		}
	}
	return nil, false
}

// marked is the body with each string field set to the canary.
func marked(base map[string]any, can string) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		if _, ok := v.(string); ok {
			out[k] = can
		} else {
			out[k] = v
		}
	}
	return out
}

func servedWrite(o *probe.Outcome) bool { return oracle.Served(o.Sample) }

func canary() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return "authprobe" + hex.EncodeToString(b)
}
