// Package retest replays the proof of each finding of a saved result —
// the proving request with forgeries re-made from a fresh credential,
// token audits on the token issued now — and says whether the finding is
// still open, fixed or inconclusive, without a scan. The scan package sets
// it up as it sets up a scan.
package retest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// Status is what a retest says about one finding.
type Status string

const (
	StillOpen    Status = "still open"
	Fixed        Status = "fixed"
	Inconclusive Status = "inconclusive"
)

// Retested is one finding's retest.
type Retested struct {
	Finding finding.Finding
	Status  Status
	Why     string
}

// Options configure a retest: the target, the client and the identities
// of the scan (their credentials are fetched fresh).
type Options struct {
	Client     *httpx.Client
	Session    *identity.Session
	Identities []*identity.Identity
}

// Run replays each finding's proving request — forgeries re-made from a
// fresh credential, identities logged in again — and says whether it still
// proves the finding. It sends one request per finding, and a second (the
// genuine credential) only to tell a fix from an endpoint that refuses
// everyone now.
// A *LoginError says an identity could not log in: its findings are
// inconclusive, the others retested.
func Run(ctx context.Context, opt Options, fs []finding.Finding) ([]Retested, error) {
	rt := &retester{opt: opt, creds: map[string]identity.Creds{}}
	out := make([]Retested, 0, len(fs))
	for _, f := range fs {
		if ctx.Err() != nil {
			out = append(out, Retested{Finding: f, Status: Inconclusive, Why: "interrupted"})
			continue
		}
		st, why := rt.one(ctx, f)
		out = append(out, Retested{Finding: f, Status: st, Why: why})
	}
	if rt.loginErr != nil {
		return out, &LoginError{Err: rt.loginErr}
	}
	return out, nil
}

// LoginError says an identity could not log in for the retest.
type LoginError struct{ Err error }

func (e *LoginError) Error() string { return "identity preflight: " + e.Err.Error() }
func (e *LoginError) Unwrap() error { return e.Err }

type retester struct {
	opt      Options
	creds    map[string]identity.Creds
	loginErr error
}

func (rt *retester) identity(ctx context.Context, name string) (identity.Creds, error) {
	if c, ok := rt.creds[name]; ok {
		return c, nil
	}
	for _, id := range rt.opt.Identities {
		if id.Name == name {
			c, err := id.Creds(ctx, rt.opt.Session)
			if err != nil {
				err = fmt.Errorf("identity %s: %w", name, err)
				if rt.loginErr == nil {
					rt.loginErr = err
				}
				return identity.Creds{}, err
			}
			rt.opt.Client.Redactor.Add(c.Secrets()...)
			rt.creds[name] = c
			return c, nil
		}
	}
	return identity.Creds{}, fmt.Errorf("identity %s is not configured (give the scan's -c or --identity)", name)
}

func (rt *retester) one(ctx context.Context, f finding.Finding) (Status, string) {
	switch {
	case seriesProof[f.Rule]:
		return Inconclusive, "no replayable proof in one request: " + f.Rule + " is proven by a series of requests (scan again)"
	case f.Replay != nil:
		return rt.replay(ctx, f.Replay)
	case f.Endpoint == nil && f.Identity != "" && hygiene(f.Rule):
		return rt.audit(ctx, f)
	}
	return Inconclusive, "no replayable proof in the result (run a scan)"
}

// seriesProof are the rules a series of requests proves (no throttling
// after many failures, a timing difference, a write confirmed by reading
// the object back, tokens minted in a guessable sequence): replaying one of its requests proves nothing either
// way (a refusal answered 200 looks like the write going through).
var seriesProof = map[string]bool{"apikey.no-bruteforce-protection": true, "account.user-enumeration-timing": true,
	"authz.bola-write": true, "apikey.predictable-token": true}

// hygiene: the rule is one of the token audit's, replayed by auditing the
// token the identity is issued now.
func hygiene(rule string) bool { return slices.Contains(jose.AuditRules, rule) }

// audit logs the identity in again and audits the token it is issued now.
func (rt *retester) audit(ctx context.Context, f finding.Finding) (Status, string) {
	c, err := rt.identity(ctx, f.Identity)
	if err != nil {
		return Inconclusive, err.Error()
	}
	_, tok, ok := forgery.Find(c)
	if !ok {
		return Inconclusive, "identity " + f.Identity + " holds no JWT now"
	}
	for _, is := range jose.Audit(tok, time.Now()) {
		if is.Rule == f.Rule {
			return StillOpen, "the token issued now: " + is.Detail
		}
	}
	return Fixed, "the token issued now passes the audit"
}

// build makes the replayed request's credentials.
func (rt *retester) build(ctx context.Context, rp *finding.Replay) (identity.Creds, string, error) {
	out := identity.Creds{}.Clone()
	first := ""
	for _, rc := range rp.Creds {
		v := rc.Value
		if rc.Identity != "" {
			if first == "" {
				first = rc.Identity
			}
			c, err := rt.identity(ctx, rc.Identity)
			if err != nil {
				return out, "", err
			}
			v = slotValue(c, rc.Slot)
			if v == "" {
				return out, "", fmt.Errorf("identity %s has no credential in %s now", rc.Identity, rc.Slot)
			}
			if rc.Forge != "" {
				tok, err := jose.Parse(v)
				if err != nil {
					return out, "", fmt.Errorf("identity %s's %s is no JWT now", rc.Identity, rc.Slot)
				}
				v, err = jose.Reforge(tok, jose.Recipe{Forge: rc.Forge, Alg: rc.Alg, KeepSig: rc.KeepSig, Claims: rc.Claims})
				if err != nil {
					return out, "", fmt.Errorf("re-forge %s: %w", rc.Forge, err)
				}
			}
		}
		switch rc.Kind {
		case "bearer":
			out.Bearer = v
		case "header":
			out.Headers[rc.Name] = v
		case "cookie":
			out.Cookies[rc.Name] = v
		case "query":
			out.Query[rc.Name] = v
		}
	}
	return out, first, nil
}

func slotValue(c identity.Creds, slot string) string {
	kind, name, _ := strings.Cut(slot, ":")
	switch kind {
	case "bearer":
		return c.Bearer
	case "header":
		return c.Headers[name]
	case "cookie":
		return c.Cookies[name]
	case "query":
		return c.Query[name]
	}
	return ""
}

func (rt *retester) send(ctx context.Context, rp *finding.Replay, c identity.Creds) (*oracle.Sample, error) {
	req := &httpx.Request{Method: rp.Method, URL: strings.TrimRight(rt.opt.Session.Target.String(), "/") + rp.Path, Header: http.Header{}}
	if err := c.Apply(req); err != nil {
		return nil, err
	}
	resp := rt.opt.Client.Do(ctx, req)
	return oracle.NewSample(resp.Status, resp.Header, resp.Body, resp.Err), nil
}

// replay sends the proving request again. The answer it got then means
// still open; a refusal means fixed, once the identity's genuine
// credential is shown to still get in; anything else is inconclusive.
func (rt *retester) replay(ctx context.Context, rp *finding.Replay) (Status, string) {
	c, who, err := rt.build(ctx, rp)
	if err != nil {
		return Inconclusive, err.Error()
	}
	s, err := rt.send(ctx, rp, c)
	if err != nil {
		return Inconclusive, err.Error()
	}
	if u := s.Unusable(); u != "" {
		return Inconclusive, u
	}
	if s.Status == rp.Status {
		return StillOpen, fmt.Sprintf("the proving request was answered %d again", s.Status)
	}
	if !refusal(s) || rp.Status/100 != 2 {
		return Inconclusive, fmt.Sprintf("answered %d, %d when found", s.Status, rp.Status)
	}
	candidates := []string{who}
	if who == "" {
		if len(rt.opt.Identities) == 0 {
			return Fixed, fmt.Sprintf("refused (%d)", s.Status)
		}
		// No identity in the proof (anonymous, a literal key): the control
		// is the first identity whose own credential is served there.
		candidates = controlIdentities(rt.opt.Identities, rp)
	}
	for _, name := range candidates {
		genuine, err := rt.identity(ctx, name)
		if err != nil {
			return Inconclusive, err.Error()
		}
		ctl, err := rt.send(ctx, &finding.Replay{Method: rp.Method, Path: rp.Path}, genuine)
		if err == nil && ctl.Unusable() == "" && !refusal(ctl) {
			return Fixed, fmt.Sprintf("refused (%d) while identity %s's own credential is answered %d", s.Status, name, ctl.Status)
		}
	}
	return Inconclusive, fmt.Sprintf("refused (%d), but so is the own credential of %s", s.Status, strings.Join(candidates, ", "))
}

// controlIdentities orders the identities for the genuine control of a
// replay made of literal values: first those holding a credential where the
// literal was sent (an empty X-API-Key is checked against the identity that
// has an X-API-Key), then the others.
func controlIdentities(ids []*identity.Identity, rp *finding.Replay) []string {
	var first, rest []string
	for _, id := range ids {
		match := false
		for _, rc := range rp.Creds {
			slot := rc.Kind
			if rc.Name != "" {
				slot += ":" + rc.Name
			}
			match = match || slotValue(id.Base, slot) != ""
		}
		if match {
			first = append(first, id.Name)
		} else {
			rest = append(rest, id.Name)
		}
	}
	return append(first, rest...)
}

func refusal(s *oracle.Sample) bool {
	switch s.Status {
	case 401, 403:
		return true
	case 400, 422:
		return true
	}
	return false
}
