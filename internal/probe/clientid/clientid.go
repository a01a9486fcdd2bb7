// Package clientid finds APIs that take who the caller is from a value the
// client sets and nothing verifies: a header (X-User-Id, a `username`
// header), a plain cookie or a query parameter. Candidates are observed,
// never assumed: a value an identity sends that is one of its own public
// identifiers (its user name, the id its token or profile gives), or a
// request value the source reads (request.headers.get("X-User")) with the
// literals the code compares it with. A candidate is proven over HTTP:
// identity A's request carrying B's value is served B's answer (which A's
// own request is not, and a made-up value is not), or a request refused to
// everyone is served once the value is one the code compares with. One
// finding per carrier, with the endpoints it was proven on.
package clientid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// Rule is what the check reports.
const Rule = "authn.client-controlled-identity"

// Bounds: endpoints tried and requests sent per carrier, instances kept
// per finding.
const (
	maxEndpoints = 25
	maxRequests  = 120
	maxInstances = 6
)

// Checks is the client-controlled identity check.
func Checks() []probe.Check {
	return []probe.Check{{
		ID: Rule, Scope: probe.PerScan, Rules: []string{Rule, RuleOverride}, Run: run,
		Doc: "a header, plain cookie or query parameter that names the caller (seen in identities' requests or read by the source) is trusted: another identity's value is served its data, or a compared value opens what everyone is refused",
	}}
}

// proof is one endpoint where a carrier was shown to decide the caller.
type proof struct {
	ep       *inventory.Endpoint
	as, whom string // who sent it, and whose value it carried
	value    string
	o, ctl   *probe.Outcome
	detail   string
}

func run(ctx context.Context, p *probe.Pass) {
	selves := principal.Selves(ctx, p.Env)
	creds := map[string]identity.Creds{}
	for _, id := range p.Identities() {
		if c, err := id.Creds(ctx, p.Session()); err == nil {
			creds[id.Name] = c
		}
	}
	loginNames(ctx, p, selves)
	for _, c := range carriers(p, selves, creds) {
		if ctx.Err() != nil {
			return
		}
		if c.In == "body" {
			bodyOverride(ctx, p, c, creds)
			continue
		}
		var proofs []proof
		tried := 0
		for _, ep := range endpoints(p) {
			if ctx.Err() != nil || len(proofs) >= maxInstances || tried >= maxEndpoints || c.spent >= maxRequests {
				break
			}
			tried++
			if pr, ok := swap(ctx, p, ep, c, creds); ok {
				proofs = append(proofs, pr)
				continue
			}
			if pr, ok := literal(ctx, p, ep, c, creds); ok {
				proofs = append(proofs, pr)
			}
		}
		if len(proofs) > 0 {
			report(p, c, proofs)
		}
	}
}

// endpoints are the reads, then with --allow-writes the POST, PUT and
// PATCH endpoints without path parameters that no lifecycle check owns
// (the literal proof sends them only where a request without credentials
// is refused; nothing is deleted).
func endpoints(p *probe.Pass) []*inventory.Endpoint {
	var out []*inventory.Endpoint
	for _, ep := range p.Endpoints() {
		if ep.Method == http.MethodGet {
			out = append(out, ep)
		}
	}
	if !p.AllowWrites() {
		return out
	}
	inv := p.Inventory()
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		switch ep.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch:
		default:
			continue
		}
		if strings.Contains(ep.Path, "{") || probe.Reserved(ep, p.Settings().Flows) || probe.PasswordUpdate(inv, ep) || probe.LoginPath(ep.Path) {
			continue
		}
		out = append(out, ep)
	}
	return out
}

// madeUp is a value of the carrier no one is known by.
func madeUp(like string) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	if like != "" && strings.Trim(like, "0123456789") == "" {
		return fmt.Sprintf("9%07d", int(b[0])<<16|int(b[1])<<8|int(b[2]))
	}
	return "authprobe-nobody-" + hex.EncodeToString(b)
}

func report(p *probe.Pass, c *carrier, proofs []proof) {
	first := proofs[0]
	pass := &probe.Pass{Env: p.Env, Endpoint: first.ep}
	f := pass.Finding(catalog.New(Rule))
	f.Identity = first.as
	f.Confidence = finding.Confirmed
	var eps []string
	for _, pr := range proofs {
		eps = append(eps, pr.ep.Key())
		f.Instances = append(f.Instances, finding.Instance{
			Endpoint: &finding.Endpoint{Method: pr.ep.Method, Path: pr.ep.Path}, Identity: pr.as,
			Status: pr.o.Sample.Status, Confirmed: true, Curl: p.Redactor().Curl(pr.o.Request),
		})
	}
	sent := ""
	if c.encoding != "" {
		sent = fmt.Sprintf("; values sent %s-encoded as {%q: value}, as the code builds them", c.encoding, c.field)
	}
	f.Message = fmt.Sprintf("the API takes the caller from the %s %q, which the client sets (%s): %s; proven on %s%s",
		c.In, c.Name, c.why, first.detail, strings.Join(eps, ", "), sent)
	f.Evidence = pass.Evidence(first.o,
		fmt.Sprintf("%s %s=%q was served (status %d): %s", first.as, c.Name, first.value, first.o.Sample.Status, first.detail),
		fmt.Sprintf("the same request with a made-up %s was not (%s)", c.Name, status(first.ctl)))
	if loc := c.location(); loc != nil {
		f.Location = loc
	}
	p.Report(f)
}

func status(o *probe.Outcome) string {
	if o == nil || o.Sample == nil {
		return "no answer"
	}
	if u := o.Sample.Unusable(); u != "" {
		return u
	}
	return fmt.Sprintf("status %d", o.Sample.Status)
}
