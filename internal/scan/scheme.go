package scan

import (
	"context"
	"net/url"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	codesrc "github.com/authprobe/authprobe/internal/source"
	"github.com/authprobe/authprobe/internal/transport"
)

// inferUse sets where each login identity without use: sends its token,
// from the spec, the source's JWT settings, the API's refusals and the
// request values the source reads to decide access, each
// tried once (see package transport). It returns one line per decision,
// for the result's warnings.
func inferUse(ctx context.Context, client *httpx.Client, inv *inventory.Inventory, target *url.URL, ids []*identity.Identity, src *source) []string {
	o := transport.Options{
		Client: client, Session: &identity.Session{Client: client, Target: target},
		Inventory: inv, Identities: ids,
	}
	if src != nil {
		codesrc.TransportOptions(src.proj, &o)
	}
	return transport.Infer(ctx, o)
}
