package engine

import (
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe/slots"
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
		if ep.ChecksCredential() {
			return fmt.Sprintf("the code checks one (%s) on %s", strings.Join(ep.Expects, ", "), ep.Key())
		}
		if ep.Declared() && !ep.Public() {
			return "the spec requires one on " + ep.Key()
		}
	}
	return ""
}

// declares reports whether the spec requires a scheme of type typ (and,
// when format is set, of that bearer format) on the endpoint.
func (s *Scan) declares(ep *inventory.Endpoint, typ, format string) bool {
	if s.opt.Inventory == nil {
		return false
	}
	for _, set := range ep.Security {
		for _, name := range set {
			sc, ok := s.opt.Inventory.Schemes[name]
			if ok && sc.Type == typ && (format == "" || strings.EqualFold(sc.Format, format)) {
				return true
			}
		}
	}
	return false
}

// place names where a slot travels, for matching with a declared scheme.
func place(sl slots.Slot) string {
	if sl.In == slots.Bearer {
		return "header:authorization"
	}
	return sl.In + ":" + strings.ToLower(sl.Name)
}

// missingKey reports whether the spec requires an API key on the endpoint
// in a place none of the identities that get in send anything.
func (s *Scan) missingKey(ep *inventory.Endpoint, carried map[string]bool) bool {
	if s.opt.Inventory == nil {
		return false
	}
	for _, set := range ep.Security {
		for _, name := range set {
			sc, ok := s.opt.Inventory.Schemes[name]
			if ok && sc.Type == "apiKey" && !carried[sc.In+":"+strings.ToLower(sc.Param)] {
				return true
			}
		}
	}
	return false
}
