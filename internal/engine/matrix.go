package engine

import (
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
)

// matrix summarises, per endpoint, who got in and the policy that implies.
func (s *Scan) matrix() []Row {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rows []Row
	for _, ep := range s.eps {
		row := Row{Endpoint: ep, Matrix: map[string]string{}, Requests: s.epReqs[ep.Key()]}
		anon := s.anon[ep.Key()]
		anyGated := false
		kinds := map[string]bool{}
		for _, id := range s.opt.Identities {
			cal := s.cals[key{ep.Key(), id.Name}]
			v := string(oracle.Inconclusive)
			switch {
			case cal == nil:
			case cal.Gated:
				v = string(oracle.Accepted)
				anyGated = true
				kinds[s.kinds[id.Name]] = true
			case len(cal.Accepted) > 0 && denied(cal.Accepted[0]):
				v = string(oracle.Rejected)
			case len(cal.Accepted) > 0 && cal.Accepted[0].Status/100 == 2:
				v = string(oracle.Accepted)
			}
			row.Matrix[id.Name] = v
		}
		switch {
		case anon == nil || anon.Unusable() != "":
			row.Matrix["anonymous"] = string(oracle.Inconclusive)
		case anyGated || denied(anon):
			row.Matrix["anonymous"] = string(oracle.Rejected)
		case anon.Status/100 == 2:
			row.Matrix["anonymous"] = string(oracle.Accepted)
		default:
			row.Matrix["anonymous"] = string(oracle.Inconclusive)
		}
		row.Policy = policyOf(row.Matrix["anonymous"], kinds)
		rows = append(rows, row)
	}
	return rows
}

func policyOf(anon string, kinds map[string]bool) string {
	switch {
	case anon == string(oracle.Accepted):
		return "public"
	case kinds["jwt"] && kinds["api-key"]:
		return "jwt-or-key"
	case kinds["jwt"]:
		return "jwt"
	case kinds["api-key"]:
		return "api-key"
	case kinds["session"]:
		return "session"
	}
	return "unknown"
}

// credKind names the kind of credential an identity presents.
func credKind(c identity.Creds) string {
	switch {
	case c.Bearer != "":
		return "jwt"
	case len(c.Headers) > 0 || len(c.Query) > 0:
		return "api-key"
	case len(c.Cookies) > 0:
		return "session"
	}
	return "other"
}
