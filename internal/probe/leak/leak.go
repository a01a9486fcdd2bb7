// Package leak holds the checks of credentials exposed where they should
// not be: in response bodies (the caller's own token or key echoed back, or
// secrets in well-known formats) and on the wire (credentials accepted over
// plain HTTP on a non-loopback target).
package leak

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

const (
	ruleLeak      = "leak.credential-in-response"
	ruleCleartext = "transport.cleartext-credentials"
)

// Checks are the exposure checks. Both read the answers the calibration
// already holds and send only their reproduction.
func Checks() []probe.Check {
	return []probe.Check{
		{ID: ruleLeak, Scope: probe.PerScan, Rules: []string{ruleLeak}, Run: runLeak,
			Doc: "looks for each identity's own credential and for well-known secret formats in its answers"},
		{ID: ruleSensitive, Scope: probe.PerScan, Rules: []string{ruleSensitive}, Run: runSensitive,
			Doc: "password, hash, token or key fields served to anonymous callers, or other users' served to an identity"},
		{ID: "leak.others-credentials", Scope: probe.PerScan, Rules: []string{ruleLeak}, Run: runCanaries,
			Doc: "each identity's own password, key, token or session value looked for in the reads anonymous callers and the other identities get, arrays included"},
		{ID: "leak.debug-switch", Scope: probe.PerScan, Rules: []string{ruleSensitive}, Run: runSwitches,
			Doc: "each debug or verbosity query parameter the spec or source names, sent once switched on without credentials"},
		{ID: rulePrincipal, Scope: probe.PerScan, Rules: []string{rulePrincipal}, Run: runPrincipal,
			Doc: "e-mails, ids and names of the configured identities served to anonymous callers"},
		{ID: ruleCleartext, Scope: probe.PerScan, Rules: []string{ruleCleartext}, Run: runCleartext,
			Doc: "credentials accepted over plain HTTP on a non-loopback target"},
	}
}

// detector finds one format of secret.
type detector struct {
	name string
	re   *regexp.Regexp
}

// detectors match formats whose shape alone says "secret"; generic
// high-entropy strings are left out (ids and hashes look the same).
var detectors = []detector{
	{"an AWS access key id", regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)},
	{"a GitHub token", regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b`)},
	{"a Slack token", regexp.MustCompile(`\bxox[abprs]-[A-Za-z0-9-]{10,}`)},
	{"a Stripe secret key", regexp.MustCompile(`\b[rs]k_live_[A-Za-z0-9]{16,}\b`)},
	{"a Google API key", regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`)},
	{"a private key", regexp.MustCompile(`-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----`)},
}

// exposed says what secret a body holds: one of the credentials of the
// request that got it (never shorter than 8 characters), or a well-known
// format; "" when none.
func exposed(body []byte, own []slots.Slot) string {
	text := string(body)
	for _, sl := range own {
		if len(sl.Value) >= 8 && containsAny(text, forms(sl.Value)) {
			return fmt.Sprintf("the request's own credential (%s, %s)", sl, sl.Kind)
		}
	}
	for _, d := range detectors {
		if d.re.MatchString(text) {
			return d.name
		}
	}
	return ""
}

// forms are the ways a value appears in a body: raw, JSON-escaped, and
// JSON-escaped with "/" escaped too (some encoders do).
func forms(v string) []string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return []string{v}
	}
	esc := strings.TrimSuffix(strings.TrimSpace(b.String()), `"`)
	esc = strings.TrimPrefix(esc, `"`)
	return []string{v, esc, strings.ReplaceAll(esc, "/", `\/`)}
}

func containsAny(text string, vs []string) bool {
	for _, v := range vs {
		if strings.Contains(text, v) {
			return true
		}
	}
	return false
}

// runLeak checks every identity's answer on every endpoint.
func runLeak(ctx context.Context, p *probe.Pass) {
	for _, ep := range p.Endpoints() {
		anon := p.Anonymous(ep)
		for _, c := range p.Matrix(ep) {
			if ctx.Err() != nil {
				return
			}
			if c.Variant != slots.CellIdentity || c.Outcome == nil || !oracle.Served(c.Outcome.Sample) {
				continue
			}
			own := slots.Of(c.Creds, p.Inventory())
			what := exposed(c.Outcome.Sample.Body, own)
			if what == "" {
				continue
			}
			if anon != nil && exposed(anon.Body, own) == what && !strings.HasPrefix(what, "the request's") {
				// A static secret everyone gets is still a leak; the
				// anonymous answer just cannot serve as the control.
				what += " (also served without credentials)"
			}
			again := p.Send(ctx, ep, nil, c.Creds, nil)
			again.Label = c.Identity + " (reproduced)"
			if again.Sample.Unusable() != "" || exposed(again.Sample.Body, own) == "" {
				p.Note(fmt.Sprintf("%s: %s seen once in %s's answer, not on reproduction (%s)", ep.Key(), what, c.Identity, again.Sample.Unusable()))
				continue
			}
			control := "the anonymous answer does not contain it"
			if anon != nil && exposed(anon.Body, own) != "" {
				control = "none possible: the anonymous answer contains it too"
			}
			pass := &probe.Pass{Env: p.Env, Endpoint: ep}
			f := pass.Finding(catalog.New(ruleLeak))
			f.Identity = c.Identity
			f.Confidence = finding.Confirmed
			f.Message = fmt.Sprintf("identity %s's answer contains %s", c.Identity, what)
			if strings.HasPrefix(what, "the request's own credential") {
				// The caller gets back what it sent: nobody else learns
				// it, but logs and caches of the response keep it.
				f.Severity = finding.Info
				f.Message += ": the caller's own credential echoed back to it (no one else receives it; it does end up wherever the response is logged or cached)"
			}
			f.Evidence = pass.Evidence(again, "found in the response body twice (value redacted here)", control)
			p.Report(f)
			break
		}
	}
}

// runCleartext reports, once, an identity let in over http:// on a target
// that is not on the loopback interface.
func runCleartext(ctx context.Context, p *probe.Pass) {
	t := p.Session().Target
	if t == nil || t.Scheme != "http" || loopback(t.Hostname()) {
		return
	}
	for _, ep := range p.Endpoints() {
		cells := p.Matrix(ep)
		if len(cells) == 0 || cells[0].Verdict() != oracle.Rejected {
			continue
		}
		for _, c := range cells {
			if c.Variant != slots.CellIdentity || c.Verdict() != oracle.Accepted || c.Ref == nil || !c.Ref.Gated {
				continue
			}
			again := p.Send(ctx, ep, nil, c.Creds, c.Ref)
			if !again.Accepted() {
				continue
			}
			pass := &probe.Pass{Env: p.Env, Endpoint: ep}
			f := pass.Finding(catalog.New(ruleCleartext))
			f.Identity = c.Identity
			f.Confidence = finding.Confirmed
			f.Message = fmt.Sprintf("identity %s's credentials were sent and accepted over plain HTTP to %s", c.Identity, t.Host)
			f.Evidence = pass.Evidence(again, "accepted over http:// ("+again.Why+")",
				"the same request without credentials is refused, so the credential is what was accepted")
			p.Report(f)
			return
		}
	}
}

// loopback: localhost names and loopback addresses.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
