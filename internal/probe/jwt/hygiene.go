package jwt

import (
	"context"
	"fmt"
	"time"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// hygieneRules are the rules of the token audit (one list, in jose).
var hygieneRules = jose.AuditRules

// runHygiene audits the token an identity holds, once per identity: the
// weakness is in what the API issued, not in any endpoint.
func runHygiene(_ context.Context, p *probe.Pass) {
	sl, tok, ok := forgery.Find(p.Creds)
	if !ok {
		return
	}
	origin := "configured"
	if p.Identity.Login != nil {
		origin = "issued by " + p.Identity.Login.URL
	}
	for _, is := range jose.Audit(tok, time.Now()) {
		f := p.Finding(catalog.New(is.Rule))
		f.Confidence = finding.Confirmed
		f.Message = fmt.Sprintf("identity %s's token (%s, sent in %s): %s", p.Identity.Name, origin, sl.Where(), is.Detail)
		f.Evidence = &finding.Evidence{
			Proof: "decoded from the token: " + is.Detail,
			Token: p.Redactor().Token(tok.Raw),
		}
		p.Report(f)
	}
}
