package source

import (
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// Gates names, per endpoint ("METHOD /path" as the scan knows it), the
// verifier its route reaches in the code: every decorator, hook or inline
// check that authenticates it, by name and place. Routes behind the same
// verifiers share a gate; one with an extra decorator does not. The first
// mechanism's place names the gate ("FILE:LINE").
func Gates(proj *flask.Project, eps []inventory.Endpoint) map[string]string {
	ix := NewIndex(proj)
	out := map[string]string{}
	for _, ep := range eps {
		r := ix.Route(ep.Method, ep.Path)
		if r == nil || len(r.Auth) == 0 {
			continue
		}
		parts := make([]string, 0, len(r.Auth))
		for _, a := range r.Auth {
			parts = append(parts, fmt.Sprintf("%s:%d %s %s %s", a.File, a.Line, a.Kind, a.Name, a.Via))
		}
		sort.Strings(parts)
		first := strings.SplitN(parts[0], " ", 2)[0]
		out[ep.Key()] = first + "|" + strings.Join(parts, ";")
	}
	return out
}
