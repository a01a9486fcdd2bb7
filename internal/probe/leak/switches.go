package leak

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// withValue is ep with its path parameter name set to v.
func withValue(ep *inventory.Endpoint, name, v string) *inventory.Endpoint {
	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	for i := range cp.Params {
		if cp.Params[i].In == "path" && cp.Params[i].Name == name {
			cp.Params[i].Example = v
		}
	}
	return &cp
}

// lastParam is the endpoint's last path parameter ("" when none).
func lastParam(ep *inventory.Endpoint) string {
	segs := strings.Split(ep.Path, "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if s := segs[i]; strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			return s[1 : len(s)-1]
		}
	}
	return ""
}

// idsPerSelf bounds the anonymous lookups of one identity's ids per
// endpoint.
const idsPerSelf = 2

// publicLookups asks a public object endpoint, without credentials, for
// the configured identities themselves: their ids named like the
// parameter, then their other ids. It returns the first answer telling
// more about one of them than the value asked for, and that value.
func publicLookups(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, selves []*principal.Self) (*probe.Outcome, string) {
	name := lastParam(ep)
	if name == "" {
		return nil, ""
	}
	pn := principal.Norm(name)
	for _, s := range selves {
		if s.Admin {
			continue
		}
		var first, rest []string
		for _, v := range s.IDs() {
			if url.PathEscape(v) != v {
				continue
			}
			if k := s.Key(v); k == pn || k == "id" || k == "sub" {
				first = append(first, v)
			} else {
				rest = append(rest, v)
			}
		}
		tried := 0
		for _, v := range append(first, rest...) {
			if tried == idsPerSelf || ctx.Err() != nil {
				break
			}
			tried++
			o := p.Send(ctx, withValue(ep, name, v), nil, identity.Creds{}, nil)
			o.Label = fmt.Sprintf("anonymous lookup of %s's %s", s.Name, name)
			if !ok2xx(o.Sample) {
				continue
			}
			if who, _ := ownedData(o.Sample.Body, selves, []string{v}); who == s.Name {
				return o, v
			}
			if found, flags := principalValues(o.Sample.Body, []*principal.Self{s}); telling(found, flags, v) {
				return o, v
			}
		}
	}
	return nil, ""
}

// switches are debug and verbosity parameters a spec or the source names;
// each is sent once, switched on.
var switches = map[string]bool{"debug": true, "verbose": true, "trace": true, "dev": true, "test": true, "explain": true, "showall": true, "all": true}

// runSwitches sends each endpoint once more, anonymously, with each
// debug-like query parameter its inventory declares switched on, and
// reports when that answer holds sensitive fields the plain one does not.
func runSwitches(ctx context.Context, p *probe.Pass) {
	for _, ep := range p.Endpoints() {
		for _, prm := range ep.Params {
			if ctx.Err() != nil {
				return
			}
			if prm.In != "query" || !switches[principal.Norm(prm.Name)] || p.Proven(ruleSensitive, ep) {
				continue
			}
			base := len(sensitiveFields(bodyOf(p.Anonymous(ep))))
			u, err := url.Parse(p.URL(ep))
			if err != nil {
				continue
			}
			q := u.Query()
			q.Set(prm.Name, "1")
			u.RawQuery = q.Encode()
			o := p.Send(ctx, ep, &httpx.Request{Method: ep.Method, URL: u.String()}, identity.Creds{}, nil)
			o.Label = "anonymous with " + prm.Name + "=1"
			if !ok2xx(o.Sample) {
				continue
			}
			fs := sensitiveFields(o.Sample.Body)
			if len(fs) <= base {
				continue
			}
			pass := &probe.Pass{Env: p.Env, Endpoint: ep}
			reportSensitiveOutcome(pass, ep, o, fs, fmt.Sprintf("with %s=1 the answer to a request without credentials holds %d sensitive field(s) the plain answer does not", prm.Name, len(fs)-base))
		}
	}
}
