package claims

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// privilegeClaims returns the claim changes that make a token an
// administrator's in the common conventions, keeping each existing claim's
// JSON type (a list stays a list, a space-separated scope a string).
func privilegeClaims(claims map[string]any) map[string]any {
	set := map[string]any{
		"role": "admin", "roles": []any{"admin"}, "admin": true, "is_admin": true,
		"isAdmin": true, "groups": []any{"admin"}, "scope": "admin",
	}
	for k, v := range claims {
		switch k {
		case "role", "roles", "groups", "scope", "scopes", "permissions", "authorities":
			switch cur := v.(type) {
			case []any:
				set[k] = append(append([]any{}, cur...), "admin")
			case string:
				if k == "scope" || k == "scopes" {
					set[k] = strings.TrimSpace(cur + " admin")
				} else {
					set[k] = "admin"
				}
			}
		case "admin", "is_admin", "isAdmin", "is_staff", "superuser", "is_superuser":
			set[k] = true
		}
	}
	return set
}

// elevated compares an answer to a forged privileged token with the
// identity's own answer: a refusal turned into success, or a success that
// gained fields. Fields named like the forged claims do not count (an API
// that echoes its claims shows nothing elevated).
func elevated(own, s *oracle.Sample, forged map[string]any) (bool, string) {
	if s == nil || s.Unusable() != "" || s.Status/100 != 2 || len(s.Body) == 0 {
		return false, ""
	}
	if oracle.Refusal(own) || own.Status == 404 {
		return true, fmt.Sprintf("status %d with the identity's own token, %d with forged privilege claims", own.Status, s.Status)
	}
	if own.Status/100 != 2 {
		return false, ""
	}
	was := oracle.ShapeOf(own.Body)
	var gained []string
	for path := range oracle.ShapeOf(s.Body) {
		if strings.Contains(path, "=") || was[path] > 0 || namesClaim(path, forged) {
			continue
		}
		gained = append(gained, path)
	}
	if len(gained) == 0 {
		return false, ""
	}
	sort.Strings(gained)
	if len(gained) > 5 {
		gained = append(gained[:5], "…")
	}
	return true, "the answer gained fields the identity's own answer lacks: " + strings.Join(gained, ", ")
}

// namesClaim reports whether a shape path has a segment named like one of
// the forged claims (or our canary claim).
func namesClaim(path string, forged map[string]any) bool {
	for _, seg := range strings.Split(path, ".") {
		seg = strings.TrimRight(seg, "[]{}")
		if _, ok := forged[seg]; ok || seg == "authprobe" {
			return true
		}
	}
	return false
}

// privilege forges admin claims with signing material (obtained by
// attack, or the owner's) and reports only proven elevation: reproduced against both valid
// answers, with the same claims under a wrong key refused.
func (f *family) privilege(ctx context.Context, p *probe.Pass) {
	if forgery.Broken(p) || len(p.Cal.Accepted) == 0 {
		return
	}
	t, ok := forgery.TargetOf(p)
	if !ok {
		return
	}
	c := f.of(p.Env).capFor(p, t.Tok)
	if c == nil || !p.First(privilege+"|"+p.Endpoint.Key()) {
		return
	}
	set := privilegeClaims(t.Tok.Claims)
	tok, err := c.sign(t.Tok, set, nil, "", false)
	if err != nil {
		return
	}
	o := t.Send(ctx, "forged privilege claims", tok)
	up, why := elevated(p.Cal.Accepted[0], o.Sample, set)
	if !up {
		return
	}
	for _, own := range p.Cal.Accepted[1:] {
		if ok, _ := elevated(own, o.Sample, set); !ok {
			return
		}
	}
	if again := t.Send(ctx, "forged privilege claims (reproduced)", tok); !sameElevation(p.Cal.Accepted[0], again.Sample, set, why) {
		return
	}
	wrong, err := c.sign(t.Tok, set, nil, "", true)
	if err != nil {
		return
	}
	ctl := t.Send(ctx, "forged privilege claims, wrong key", wrong)
	if up, _ := elevated(p.Cal.Accepted[0], ctl.Sample, set); up || !(ctl.Rejected() || oracle.Refusal(ctl.Sample)) {
		p.Note(fmt.Sprintf("%s: forged privilege claims changed the answer, but the wrong-key control was not refused (%s)", p.Endpoint.Key(), ctl.Why))
		return
	}
	fd := p.Finding(catalog.New(privilege))
	fd.Message = fmt.Sprintf("a token forged with %s and admin claims (%s) was accepted and %s", c.origin, claimNames(set), why)
	fd.Evidence = p.Evidence(o, why, "the same claims signed with a wrong key were refused")
	fd.Evidence.Token = p.Redactor().Token(tok)
	fd.Confidence = finding.Confirmed
	if !c.recovered {
		// The owner's key: not an attack by itself, but the API takes
		// privilege from the token's claims alone, so whoever holds or
		// steals the key is an administrator.
		fd.Severity = finding.Medium
		fd.Confidence = finding.Firm
		fd.Message += "; the privilege comes from the token's claims alone (no server-side role check), so whoever holds or steals the signing key is an administrator"
	}
	p.Report(fd)
}

func sameElevation(own, s *oracle.Sample, set map[string]any, why string) bool {
	ok, w := elevated(own, s, set)
	return ok && w == why
}

func claimNames(set map[string]any) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
