package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

func runJWTExtended(ps *Pass) {
	p := ps.Project
	for _, e := range p.Config["JWT_ACCESS_TOKEN_EXPIRES"] {
		v := p.Eval(e.Value)
		if v.Kind == flask.Bool && !v.B {
			ps.Report("py.jwtx-no-expiry", e.Stmt, finding.Firm, "JWT_ACCESS_TOKEN_EXPIRES = False: access tokens never expire", nil)
		} else if d, ok := durationSeconds(p, e.Value); ok && d > maxLifetime {
			ps.Report("py.jwt-long-lifetime", e.Stmt, finding.Firm, "access tokens live "+human(d), nil)
		}
	}
	var cookies *python.Node
	for _, e := range p.Config["JWT_TOKEN_LOCATION"] {
		names, _ := p.Eval(e.Value).Strings()
		for _, n := range names {
			switch n {
			case "query_string":
				ps.Report("py.jwtx-token-in-query", e.Stmt, finding.Firm, "JWT_TOKEN_LOCATION accepts tokens in the query string", nil)
			case "cookies":
				cookies = e.Stmt
			}
		}
	}
	for _, e := range p.Config["JWT_COOKIE_CSRF_PROTECT"] {
		if v := p.Eval(e.Value); v.Kind == flask.Bool && !v.B && cookies != nil {
			flow := []finding.Step{step(cookies, "source", "flask-jwt-extended reads tokens from cookies")}
			if st := ps.csrfExposure(); st != nil {
				flow = append(flow, *st)
			}
			flow = append(flow, step(e.Stmt, "sink", "the double-submit CSRF check is off: a cross-site request carries the cookie and is accepted"))
			ps.ReportFlow("py.jwtx-csrf-off", e.Stmt, finding.Firm, "tokens read from cookies without CSRF protection", flow, nil)
		}
	}
	for _, e := range p.Config["JWT_DECODE_ALGORITHMS"] {
		if names, ok := p.Eval(e.Value).Strings(); ok {
			reportAlgs(ps, e.Stmt, names, "JWT_DECODE_ALGORITHMS")
		}
	}
	for _, e := range p.Config["JWT_ALGORITHM"] {
		if v := p.Eval(e.Value); v.Kind == flask.Str && strings.EqualFold(v.S, "none") {
			ps.Report("py.jwt-alg-none", e.Stmt, finding.Firm, "JWT_ALGORITHM = \"none\": tokens are unsigned", nil)
		}
	}
	for _, c := range ps.Calls {
		if !strings.Contains(c.Q, "flask_jwt_extended") {
			continue
		}
		last := c.Q[strings.LastIndex(c.Q, ".")+1:]
		switch last {
		case "jwt_required", "verify_jwt_in_request":
			if v, known := p.Eval(c.Arg(-1, "verify_type")).Truthy(); known && !v {
				ps.Report("py.jwtx-verify-type-off", c.Node, finding.Firm, last+"(verify_type=False) accepts refresh tokens as access tokens", nil)
			}
		case "create_access_token":
			if v := p.Eval(c.Arg(-1, "expires_delta")); v.Kind == flask.Bool && !v.B {
				if loader := ps.allowListLoader(); loader != nil && jtiStored(c.Node) {
					ps.reportReview("py.jwtx-no-expiry", c.Node, "create_access_token(expires_delta=False): the token never expires, but its jti is stored and "+
						loader.ChildByField("name").Text()+" accepts only stored tokens: deleting the record revokes it", nil, nil)
					continue
				}
				ps.Report("py.jwtx-no-expiry", c.Node, finding.Firm, "create_access_token(expires_delta=False): the token never expires", nil)
			}
		}
	}
}
