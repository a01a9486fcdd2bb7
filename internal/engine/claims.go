package engine

import (
	"fmt"
	"strings"
)

// claimsAuth names a route the code or the spec says checks a credential
// ("the code checks one on DELETE /report-closed/{cafe_id}"), "" when
// neither says so: with no identity ever told apart from none, the
// checks that need a gated endpoint decided nothing there.
func (s *Scan) claimsAuth() string {
	if s.opt.Inventory == nil {
		return ""
	}
	for i := range s.opt.Inventory.Endpoints {
		ep := &s.opt.Inventory.Endpoints[i]
		if len(ep.Expects) > 0 {
			return fmt.Sprintf("the code checks one (%s) on %s", strings.Join(ep.Expects, ", "), ep.Key())
		}
		if ep.Declared() && !ep.Public() {
			return "the spec requires one on " + ep.Key()
		}
	}
	return ""
}
