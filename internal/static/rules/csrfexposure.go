package rules

// What CSRF protection would have guarded. flask-jwt-extended's
// double-submit check protects the requests a browser sends with a token
// cookie. With it off, a cross-site page can make the victim's browser
// send such a request, which matters only where a cookie-borne token is
// accepted on a method the check covers (JWT_CSRF_METHODS: POST, PUT,
// PATCH, DELETE by default). Observed, not assumed: which tokens the app
// sets in cookies (set_access_cookies, set_refresh_cookies), and which
// routes accept the refresh token. When only the refresh token is a
// cookie and every route that takes it is a method the check never
// covers, the switch exposes nothing: a counter fact for the gate. When
// the app sets its cookies another way, nothing is known and the finding
// stands.

import (
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// csrfExposure returns the step that shows a cookie-borne token accepted
// on a covered method (evidence), or a counter step when only the
// refresh token is a cookie and no route takes it on a covered method;
// nil when the app's cookies are not seen.
func (ps *Pass) csrfExposure() *finding.Step {
	methods := []string{"POST", "PUT", "PATCH", "DELETE"}
	for _, e := range ps.Project.Config["JWT_CSRF_METHODS"] {
		if names, ok := ps.Project.Eval(e.Value).Strings(); ok {
			methods = nil
			for _, n := range names {
				methods = append(methods, strings.ToUpper(n))
			}
		}
	}
	var access, refresh *python.Node
	for _, c := range ps.Calls {
		switch c.Q {
		case "flask_jwt_extended.set_access_cookies":
			access = c.Node
		case "flask_jwt_extended.set_refresh_cookies":
			refresh = c.Node
		}
		if access != nil {
			st := step(access, "step", "access tokens are set in a cookie: every route that requires a JWT accepts it on a cross-site request")
			return &st
		}
	}
	if refresh == nil {
		return nil
	}
	var gets []string
	for _, r := range ps.Project.Routes {
		if !refreshRoute(r.Def) {
			continue
		}
		for _, m := range r.Methods {
			if slices.Contains(methods, m) {
				st := step(refresh, "step", "the refresh token is set in a cookie and "+m+" "+r.Rule+" accepts it")
				return &st
			}
		}
		gets = append(gets, strings.Join(r.Methods, ",")+" "+r.Rule)
	}
	if len(gets) == 0 {
		return nil // no route seen taking the refresh token: not known
	}
	slices.Sort(gets)
	gets = slices.Compact(gets)
	st := step(refresh, Counter, "only the refresh token is set in a cookie, and the routes that accept it ("+strings.Join(gets, "; ")+
		") take no method the CSRF check covers ("+strings.Join(methods, ", ")+")")
	return &st
}

// refreshRoute: the view requires a refresh token (@jwt_refresh_token_required,
// @jwt_required(refresh=True)).
func refreshRoute(def *python.Node) bool {
	if def == nil {
		return false
	}
	for _, d := range flask.Decorators(def) {
		t := strings.ReplaceAll(d.Text(), " ", "")
		if strings.Contains(t, "jwt_refresh_token_required") || strings.Contains(t, "jwt_required(refresh=True)") {
			return true
		}
	}
	return false
}
