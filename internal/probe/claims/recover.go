package claims

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// defaultCrackTime bounds recovery when the caller sets no budget (the
// scan command always does: --crack-time, 20s by default). The wordlist,
// rules and the short masks take well under a second on one core, so the
// budget is an upper bound that only --crack-masks long (7-8 digits, 5-6
// letters) reaches.
const defaultCrackTime = 3 * time.Second

// maxConfirmEndpoints bounds how many endpoints a recovered secret is tried
// on before it is reported without a live confirmation.
const maxConfirmEndpoints = 3

// crackSecret runs the built-in list, the --wordlist files, the built-in
// list with mutation rules and the masks of the crack depth against t; it
// stops when they are exhausted or at the crack budget, whichever comes
// first. It sends no request.
func crackSecret(ctx context.Context, p *probe.Pass, t *crack.Target, what string) (crack.Result, bool) {
	st := p.Settings()
	budget := st.CrackTime
	if budget <= 0 {
		budget = defaultCrackTime
	}
	srcs := []crack.Source{crack.Builtin()}
	for _, path := range st.Wordlists {
		if path == "-" {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			p.Note(fmt.Sprintf("wordlist: %v", err))
			continue
		}
		defer f.Close()
		srcs = append(srcs, crack.Wordlist(f))
	}
	srcs = append(srcs, crack.WithRules(crack.Builtin()), crack.PatternsTo(st.CrackDepth))
	cctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	res, err := crack.Crack(cctx, t, crack.Chain(srcs...), crack.Options{})
	if res.Found {
		res.Known = res.Known || crack.IsBuiltin(res.Secret)
		return res, true
	}
	switch {
	case err == nil && st.CrackDepth == crack.Short:
		p.Note(fmt.Sprintf("identity %s: %s not recovered: the built-in list, rules and short masks are exhausted (%d guesses in %s); --crack-masks long or --wordlist go further",
			p.Identity.Name, what, res.Tried, res.Elapsed.Round(time.Millisecond)))
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		p.Note(fmt.Sprintf("identity %s: %s not recovered within the %s crack budget (%d guesses, %.1f M/s); raise --crack-time or add --wordlist to go further",
			p.Identity.Name, what, budget, res.Tried, res.Rate/1e6))
	case err != nil && ctx.Err() == nil:
		p.Note(fmt.Sprintf("identity %s: cracking %s: %v", p.Identity.Name, what, err))
	}
	return res, false
}

// gatedPasses returns passes for the endpoints that tell the identity's
// credential apart from none, those whose answer shows one of claims
// first (a reflected canary confirms a forgery), at most n.
func gatedPasses(p *probe.Pass, claims map[string]any, n int) []*probe.Pass {
	var out []*probe.Pass
	for _, ep := range p.Endpoints() {
		cal := p.Calibration(ep, p.Identity)
		if cal == nil || !cal.Gated {
			continue
		}
		out = append(out, &probe.Pass{Env: p.Env, Endpoint: ep, Identity: p.Identity, Creds: p.Creds, Cal: cal})
	}
	sort.SliceStable(out, func(i, j int) bool {
		return forgery.ReflectedClaim(out[i], claims) != "" && forgery.ReflectedClaim(out[j], claims) == ""
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// describeSecret says what was recovered without printing it unless the
// user asked for secrets.
func describeSecret(p *probe.Pass, res crack.Result) string {
	kind := "a weak secret"
	if res.Known {
		kind = "a publicly known default secret"
	}
	if p.Redactor() != nil && p.Redactor().Show {
		return fmt.Sprintf("%s, %q", kind, res.Secret)
	}
	return fmt.Sprintf("%s (%d bytes; --show-secrets prints it)", kind, len(res.Secret))
}

// secretFinding builds the weak-secret finding of rule: CWE-798 is added
// when the secret is a known default; confirmed when a live forgery with it
// was accepted and a wrong-key control refused.
func secretFinding(p *probe.Pass, rule string, res crack.Result, what string, live *probe.Outcome, ep *inventory.Endpoint, liveProof, token string) finding.Finding {
	fd := p.Finding(catalog.New(rule))
	if res.Known {
		fd.CWE = append(fd.CWE, catalog.CWEKnownDefault)
	}
	origin := "configured"
	if p.Identity.Login != nil {
		origin = "issued by " + p.Identity.Login.URL
	}
	offline := fmt.Sprintf("recovered offline in %s after %d guesses; it reproduces the signature of the identity's %s", res.Elapsed.Round(time.Millisecond), res.Tried, what)
	if res.Tried == 0 {
		offline = "taken from the source, without a guess; it reproduces the signature of the identity's " + what
	}
	fd.Message = fmt.Sprintf("identity %s's %s (%s) is signed with %s", p.Identity.Name, what, origin, describeSecret(p, res))
	if live == nil {
		fd.Confidence = finding.Firm
		fd.Message += "; no gated endpoint accepted a forgery with it, so it may sign tokens for another service"
		fd.Evidence = &finding.Evidence{Proof: offline}
		return fd
	}
	fd.Confidence = finding.Confirmed
	fd.Message += fmt.Sprintf("; a forgery signed with it was accepted by %s", ep.Key())
	fd.Evidence = p.Evidence(live, offline+"; "+liveProof, "the same forgery signed with a random key was refused")
	fd.Evidence.Token = p.Redactor().Token(token)
	return fd
}

// fromSource tries the signing secrets written in the source (scan
// --source) against the target before any cracking: no guess, no request.
// It returns the secret that signs the target and where it is written,
// nil when none does.
func fromSource(p *probe.Pass, t *crack.Target) (crack.Result, *probe.SourceSecret) {
	for i, s := range p.Settings().SourceSecrets {
		if len(s.Value) > 0 && t.Verify(s.Value) {
			sec := p.Settings().SourceSecrets[i]
			return crack.Result{Found: true, Secret: sec.Value, Known: crack.IsBuiltin(sec.Value)}, &sec
		}
	}
	return crack.Result{}, nil
}

// pinned ties a secret finding to the source line that writes the secret:
// a hardcoded secret is a hard-coded credential (CWE-798) whatever its
// strength.
func pinned(fd finding.Finding, written *probe.SourceSecret) finding.Finding {
	if written == nil {
		return fd
	}
	fd.Location = &finding.Location{File: written.File, Line: written.Line}
	has := false
	for _, c := range fd.CWE {
		has = has || c == catalog.CWEKnownDefault
	}
	if !has {
		fd.CWE = append(fd.CWE, catalog.CWEKnownDefault)
	}
	fd.Message += fmt.Sprintf("; the secret is written in the source at %s:%d (%s) and was tried as the key before any cracking", written.File, written.Line, written.What)
	return fd
}
