package leak

import (
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// tokenKeys name a credential an endpoint issues (lower case, without _
// and -).
var tokenKeys = map[string]bool{"accesstoken": true, "refreshtoken": true, "sessiontoken": true, "authtoken": true, "token": true}

// notIssued drops, on an endpoint a configured identity logs in at, the
// credentials it hands its caller (JWTs and fields named like the token
// it issues): the login's own product, which the identities are given
// there too, not another principal's secret. Anything else its answer
// holds (a password hash, another user's key) still counts.
func notIssued(p *probe.Pass, ep *inventory.Endpoint, fs []field) []field {
	if !p.LoginKeys()[ep.Key()] {
		return fs
	}
	var out []field
	for _, f := range fs {
		k := f.path[strings.LastIndexAny(f.path, ".]")+1:]
		if principal.Claims(f.value) != nil || tokenKeys[normKey(k)] {
			continue
		}
		out = append(out, f)
	}
	return out
}
