package ratelimit

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// bystanderFor is another identity's login on the same route as id's,
// sent with its own right password; nil when there is none.
func bystanderFor(p *probe.Pass, id *identity.Identity, method, path string) func(ctx context.Context) (bool, int) {
	for _, o := range p.Identities() {
		l := o.Login
		if o == id || l == nil {
			continue
		}
		m := strings.ToUpper(l.Method)
		if m == "" {
			m = http.MethodPost
		}
		u, err := p.Session().Resolve(l.URL)
		if err != nil || m != method || loginPath(p, l, u) != path {
			continue
		}
		field, ok := secretField(l)
		if !ok {
			if _, _, ok = l.Basic(); !ok {
				continue
			}
			field = basicField
		}
		other := loginSeries(p, l, m, u, field, "")
		return func(ctx context.Context) (bool, int) {
			c := other.control(ctx)
			status := 0
			if c.Sample != nil {
				status = c.Sample.Status
			}
			return other.works(c), status
		}
	}
	return nil
}

// loginPath is the route of a login request: the inventory's template
// when the URL is an instance of one, else the URL's path.
func loginPath(p *probe.Pass, l *identity.Login, u string) string {
	path := l.URL
	if pu, err := url.Parse(u); err == nil {
		path = pu.Path
	}
	if route, _ := principal.LoginRoute(l, p.Inventory()); route != nil {
		path = route.Path
	}
	return path
}
