package authz

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

const ruleCollection = "authz.collection-exposure"

// maxExamples bounds the objects a collection finding names.
const maxExamples = 3

// exposure is what one identity saw of others' objects in one collection.
type exposure struct {
	reader string
	owners map[string][]string // owner -> examples ("user_id=7")
	n      int
	// records are the exposed objects that are other principals' own
	// records (a user list's rows); owned counts the others.
	records []principal.Object
	owned   int
}

// runCollection reports each authenticated collection (a GET without path
// parameters that refuses anonymous requests) whose answer shows a
// non-admin identity objects owned by another configured identity: the
// owner field of each object is matched against every identity's own
// values, so the proof is the API's own data. One finding per collection,
// with examples, reproduced with a second request.
func runCollection(ctx context.Context, p *probe.Pass) {
	selves := principal.Selves(ctx, p.Env)
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		if ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") {
			continue
		}
		r := rowOf(p, ep)
		if !r.refused() || p.Proven(ruleBFLA, ep) || p.Proven(ruleBFLAMethod, ep) {
			// A list only an admin should see, open to a user, is that
			// function-level finding already.
			continue
		}
		if who := refusedMember(r); who != "" {
			p.Note(fmt.Sprintf("%s: %s is refused this list, so it is gated on a privilege and whoever it serves may see every object; not judged as exposure", ep.Key(), who))
			continue
		}
		for _, c := range r.cells {
			self := principal.Named(selves, c.Identity)
			if c.Variant != slots.CellIdentity || self == nil || self.Admin || !ok2xx(c.Outcome) {
				continue
			}
			ex := othersObjects(c.Outcome.Sample.Body, self, selves)
			if ex.n == 0 {
				continue
			}
			again := p.Send(ctx, ep, nil, c.Creds, nil)
			again.Label = c.Identity + " lists the collection again"
			if again.Sample.Unusable() != "" || again.Sample.Status/100 != 2 || othersObjects(again.Sample.Body, self, selves).n == 0 {
				p.Note(fmt.Sprintf("%s: %s saw other identities' objects once, not on reproduction (%s)", ep.Key(), c.Identity, status(again)))
				continue
			}
			anon := sendAnon(ctx, p, ep, c.Ref)
			if !denied(anon.Sample) {
				continue
			}
			var parts []string
			for _, owner := range sortedOwners(ex.owners) {
				parts = append(parts, fmt.Sprintf("%s's (%s)", owner, strings.Join(ex.owners[owner], ", ")))
			}
			msg := fmt.Sprintf("%s's list holds %d object(s) owned by other identities: %s", c.Identity, ex.n, strings.Join(parts, "; "))
			sev := finding.Severity("")
			if ex.owned == 0 {
				// Only other accounts' own records: what they show beyond
				// the handles they are listed by decides.
				var extra []string
				sev, extra = recordWeight(ex.records)
				msg = fmt.Sprintf("%s's list shows %d other account record(s): %s", c.Identity, ex.n, strings.Join(parts, "; "))
				if len(extra) == 0 {
					msg += "; ids and names only, no private field: who has an account (review whether members should see each other)"
				} else {
					msg += "; with " + strings.Join(extra, ", ")
				}
			}
			reportAt(p, ruleCollection, ep, c.Identity, finding.Confirmed, sev, again, msg,
				"each object's owner field holds a value the other identity is known by (its token, login or profile)",
				fmt.Sprintf("an anonymous request is refused (%s), so the list is meant for its caller", status(anon)))
			break
		}
	}
}

// refusedMember names a configured identity the list refuses. Such a list
// is gated on a privilege (observed in the matrix, not guessed from its path
// or a role name): whoever it serves is entitled to what it shows, and an
// identity served it without the privilege is the function-level finding.
func refusedMember(r row) string {
	for _, c := range r.cells {
		if c.Variant == slots.CellIdentity && refusedOutcome(c.Outcome) {
			return c.Identity
		}
	}
	return ""
}

// othersObjects counts the objects of body owned by an identity other than
// self, with examples per owner.
func othersObjects(body []byte, self *principal.Self, selves []*principal.Self) exposure {
	ex := exposure{reader: self.Name, owners: map[string][]string{}}
	for _, o := range principal.Objects(body) {
		s := principal.Whose(o, selves)
		if s == nil || s.Name == self.Name || self.Has(o.Owner) {
			continue
		}
		ex.n++
		if selfRecord(o) {
			ex.records = append(ex.records, o)
		} else {
			ex.owned++
		}
		if len(ex.owners[s.Name]) < maxExamples {
			ex.owners[s.Name] = append(ex.owners[s.Name], fmt.Sprintf("%s=%v", o.OwnerKey, o.Owner))
		}
	}
	return ex
}

func sortedOwners(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
