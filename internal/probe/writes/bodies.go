package writes

import (
	"net/http"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// FromSource gives the targets with no body from the config or the spec
// (and their updates) the bodies their handlers read, as the source shows
// them (scan --source).
func (pl *Plan) FromSource(bodies map[string]probe.SourceBody) {
	for _, t := range pl.Targets {
		if b, ok := bodies[t.Create.Key()]; ok && t.Body == nil {
			t.Body, t.From, t.Form, t.Files = withoutPrivileges(b.Value), "the handler's code ("+b.Where+")", b.Form, b.Files
			switch {
			case len(b.Files) > 0:
				t.From += ", a multipart form with harmless files"
			case b.Form:
				t.From += ", a form"
			}
		}
		for _, m := range []string{http.MethodPut, http.MethodPatch} {
			if it := t.Item[m]; it != nil && t.Update == nil {
				if b, ok := bodies[it.Key()]; ok {
					t.Update = withoutPrivileges(b.Value)
				}
			}
		}
	}
}

// bodyFor: the config's body, else the spec's example or schema sample.
func bodyFor(inv *inventory.Inventory, bodies map[string]any, key string) (map[string]any, string, map[string]any) {
	var ro map[string]any
	if b, ok := inv.Bodies[key]; ok {
		ro = b.ReadOnly
	}
	if v, ok := bodies[key]; ok {
		if m, ok := v.(map[string]any); ok {
			return m, "config", ro
		}
	}
	if b, ok := inv.Bodies[key]; ok {
		if m, ok := b.Value.(map[string]any); ok {
			if b.Generated {
				return m, "schema", ro
			}
			return m, "spec example", ro
		}
	}
	return nil, "", ro
}
