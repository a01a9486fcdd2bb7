package actions

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// RuleWeakSecret is the JWT checks' rule for an HMAC secret recovered
// offline; here for a token the API mints that no identity carries.
const RuleWeakSecret = "jwt.weak-secret"

// mintedCrackTime bounds the offline search on a minted token when the
// scan sets no --crack-time.
const mintedCrackTime = 3 * time.Second

// mintedSecret recovers the HMAC secret of a JWT the API minted (a login
// the identities do not use: their credentials are keys or Basic) from
// the secrets the source writes, then the built-in list, its rules and the
// short masks, offline. The JWT checks judge the identities' own tokens;
// this one is never carried by an identity, so without it a weak key
// signing every user's token goes untested.
func mintedSecret(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, o *probe.Outcome, token string, ids []principal) {
	if p.Proven(RuleWeakSecret, nil) {
		return // an identity's token gave the key up already
	}
	for _, pr := range ids {
		if _, tok, ok := forgery.Find(pr.creds); ok && strings.HasPrefix(tok.Alg(), "HS") {
			return // an identity carries a JWT: the JWT checks crack its key
		}
	}
	t, err := jose.Parse(token)
	if err != nil {
		return
	}
	if alg, _ := t.Head["alg"].(string); !strings.HasPrefix(strings.ToUpper(alg), "HS") {
		return
	}
	target, err := crack.ParseJWT(token)
	if err != nil {
		return
	}
	var res crack.Result
	written := ""
	for _, s := range p.Settings().SourceSecrets {
		if len(s.Value) > 0 && target.Verify(s.Value) {
			res = crack.Result{Found: true, Secret: s.Value, Known: crack.IsBuiltin(s.Value)}
			written = fmt.Sprintf("%s:%d", s.File, s.Line)
			break
		}
	}
	if !res.Found {
		budget := p.Settings().CrackTime
		if budget <= 0 {
			budget = mintedCrackTime
		}
		cctx, cancel := context.WithTimeout(ctx, budget)
		defer cancel()
		src := crack.Chain(crack.Builtin(), crack.WithRules(crack.Builtin()), crack.PatternsTo(p.Settings().CrackDepth))
		res, _ = crack.Crack(cctx, target, src, crack.Options{})
	}
	if !res.Found {
		p.Note(fmt.Sprintf("actions: the HMAC secret of the JWTs %s mints was not recovered offline (%d guesses)", ep.Key(), res.Tried))
		return
	}
	p.Redactor().Add(string(res.Secret))
	f := catalog.New(RuleWeakSecret)
	f.Endpoint = &finding.Endpoint{Method: ep.Method, Path: ep.Path}
	f.Confidence = finding.Firm
	kind := "a weak secret"
	if res.Known {
		kind = "a publicly known default secret"
		f.CWE = append(f.CWE, catalog.CWEKnownDefault)
	}
	how := fmt.Sprintf("recovered offline in %s after %d guesses", res.Elapsed.Round(time.Millisecond), res.Tried)
	if written != "" {
		how = "written in the source at " + written + ", and it verifies the token's signature"
		if !strings.Contains(strings.Join(f.CWE, ","), catalog.CWEKnownDefault) {
			f.CWE = append(f.CWE, catalog.CWEKnownDefault)
		}
	}
	f.Message = fmt.Sprintf("the %s tokens %s mints are signed with %s (%d bytes): %s; anyone who has it signs tokens for any user", t.Head["alg"], ep.Key(), kind, len(res.Secret), how)
	pass := &probe.Pass{Env: p.Env}
	f.Evidence = pass.Evidence(o, "the secret reproduces the signature of a token this request was answered with ("+how+")", "no identity carries these tokens: none of the scan's own credentials was used to find the key")
	p.Report(f)
}
