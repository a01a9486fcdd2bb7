package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// funcInfo is what a function (and the project functions it calls) does
// with credentials.
type funcInfo struct {
	kinds   map[string]bool
	rejects bool
	// reads is set when a credential is taken from the request (header,
	// query, cookie, session, HTTP auth) — by this code or a library call.
	reads bool
	// failOpen is set when a decode sits in a try whose except lets the
	// request continue.
	failOpen bool
	// unauth is set when the code answers 401 (abort(401), a 401
	// response): by HTTP's meaning, a refusal for want of authentication.
	unauth bool
	lines  []Loc
}

func (fi *funcInfo) merge(o *funcInfo) {
	if o == nil {
		return
	}
	for k := range o.kinds {
		fi.kinds[k] = true
	}
	fi.rejects = fi.rejects || o.rejects
	fi.reads = fi.reads || o.reads
	fi.failOpen = fi.failOpen || o.failOpen
	fi.unauth = fi.unauth || o.unauth
	fi.lines = append(fi.lines, o.lines...)
}

// Kind folds the credential kinds into one name.
func (fi *funcInfo) Kind() string {
	switch {
	case fi.kinds["jwt"] && fi.kinds["api-key"]:
		return "jwt-or-key"
	case fi.kinds["jwt"]:
		return "jwt"
	case fi.kinds["api-key"]:
		return "api-key"
	case fi.kinds["login"]:
		return "login"
	case fi.kinds["basic"]:
		return "basic"
	case len(fi.kinds) > 0:
		return "custom"
	}
	return ""
}

func (p *Project) analyzeFunc(def *python.Node, depth int) *funcInfo {
	if fi, ok := p.funcMemo[def]; ok {
		return fi
	}
	p.funcMemo[def] = &funcInfo{kinds: map[string]bool{}} // breaks recursion
	fi := p.analyzeBody(def.ChildByField("body"), depth)
	p.funcMemo[def] = fi
	return fi
}

// IsJWTDecode reports whether a qualified callee decodes a JWT (PyJWT,
// python-jose, authlib, flask-jwt-extended).
func IsJWTDecode(q string) bool {
	last := q[strings.LastIndex(q, ".")+1:]
	switch last {
	case "decode":
		lq := strings.ToLower(q)
		return strings.Contains(lq, "jwt") || strings.Contains(lq, "jose") || strings.Contains(lq, "jws")
	case "decode_token", "verify_jwt_in_request":
		return strings.Contains(q, "flask_jwt_extended") || !strings.Contains(q, ".")
	}
	return false
}

// isJWTRead: flask-jwt-extended accessors that read what jwt_required
// verified; they show a route uses JWTs but reject nothing themselves.
func isJWTRead(q string) bool {
	last := q[strings.LastIndex(q, ".")+1:]
	switch last {
	case "get_jwt", "get_jwt_identity", "get_current_user", "get_jwt_header":
		return strings.Contains(q, "flask_jwt_extended")
	}
	return false
}

// headerKind classifies a credential-carrying header, cookie or query name.
func headerKind(name string) string {
	l := strings.ToLower(name)
	switch {
	case l == "authorization":
		return "bearer"
	case strings.Contains(l, "key") || strings.Contains(l, "api"):
		return "api-key"
	case strings.Contains(l, "token") || strings.Contains(l, "jwt") || strings.Contains(l, "auth"):
		return "bearer"
	}
	return ""
}

func (p *Project) analyzeBody(body *python.Node, depth int) *funcInfo {
	fi := &funcInfo{kinds: map[string]bool{}}
	if body == nil {
		return fi
	}
	m := p.ModuleOf(body)
	bearer, customToken := false, false
	loc := func(n *python.Node) Loc { return Loc{File: n.File.Path, Line: n.Line} }
	body.Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "call":
			d := n.ChildByField("function").DottedName()
			q := m.Qualify(d)
			args := n.ChildByField("arguments")
			switch {
			case IsJWTDecode(q):
				fi.kinds["jwt"] = true
				fi.reads = fi.reads || strings.HasSuffix(q, "verify_jwt_in_request")
				fi.lines = append(fi.lines, loc(n))
				if opt, _ := p.Eval(keyword(args, "optional")).Truthy(); !opt {
					if p.failsOpen(n) {
						fi.failOpen = true
					} else {
						fi.rejects = true
					}
				}
			case isJWTRead(q):
				fi.kinds["jwt"] = true
				fi.reads = true
			case strings.HasSuffix(d, "headers.get") || strings.HasSuffix(d, "args.get") ||
				strings.HasSuffix(d, "cookies.get") || strings.HasSuffix(d, "values.get"):
				if name := p.Eval(positional(args, 0)); name.Kind == Str && !p.sessionPaired(n) {
					if k := headerKind(name.S); k != "" {
						bearer = bearer || k == "bearer"
						customToken = customToken || k == "bearer" && !strings.EqualFold(name.S, "Authorization")
						fi.reads = true
						if k == "api-key" {
							fi.kinds["api-key"] = true
						}
						fi.lines = append(fi.lines, loc(n))
					}
				}
			case q == "flask.abort" || d == "abort":
				if s := p.Eval(positional(args, 0)); s.Kind == Int && (s.I == 401 || s.I == 403) {
					fi.rejects = true
					fi.unauth = fi.unauth || s.I == 401
					fi.lines = append(fi.lines, loc(n))
				}
			case p.frameworkRefusal(m, n):
				fi.rejects = true
				fi.unauth = true
				fi.lines = append(fi.lines, loc(n))
			case (d == "session.get" || d == "flask.session.get") && strings.Contains(q, "session") && !p.sessionChecked(n):
				// Flask's signed session cookie carrying the login.
				fi.kinds["login"] = true
				fi.reads = true
				fi.lines = append(fi.lines, loc(n))
			case strings.HasSuffix(d, "compare_digest"):
				fi.lines = append(fi.lines, loc(n))
			default:
				if st := keyword(args, "status"); st != nil {
					if s := p.Eval(st); s.Kind == Int && (s.I == 401 || s.I == 403) {
						fi.rejects = true
					}
				}
				if depth < 4 && d != "" && !strings.HasPrefix(d, "self.") {
					if _, def := p.ResolveFunc(m, d); def != nil && def != body.Parent {
						sub := p.analyzeFunc(def, depth+1)
						fi.merge(sub)
						if len(sub.kinds) > 0 {
							fi.lines = append(fi.lines, loc(n))
						}
					}
				}
			}
		case "decorator":
			// A nested wrapper decorated with another auth decorator
			// (@wraps(view) @token_required def wrapper) inherits its check.
			if e := n.NamedChildren(); len(e) > 0 && depth < 4 {
				callee := e[0]
				if callee.Kind == "call" {
					callee = callee.ChildByField("function")
				}
				if _, def := p.ResolveFunc(m, callee.DottedName()); def != nil && !def.Contains(n) {
					sub := p.analyzeFunc(def, depth+1)
					fi.merge(sub)
					if len(sub.kinds) > 0 {
						fi.lines = append(fi.lines, loc(n))
					}
				}
			}
		case "subscript":
			if d := n.ChildByField("value").DottedName(); strings.HasSuffix(d, "headers") || strings.HasSuffix(d, "args") {
				if s, ok := n.ChildByField("subscript").StringValue(); ok && !p.sessionPaired(n) {
					if k := headerKind(s); k != "" {
						bearer = bearer || k == "bearer"
						customToken = customToken || k == "bearer" && !strings.EqualFold(s, "Authorization")
						fi.reads = true
						if k == "api-key" {
							fi.kinds["api-key"] = true
						}
						fi.lines = append(fi.lines, loc(n))
					}
				}
			}
		case "attribute":
			switch n.DottedName() {
			case "request.authorization":
				fi.kinds["basic"] = true
				fi.reads = true
				fi.lines = append(fi.lines, loc(n))
			case "current_user.is_authenticated":
				fi.kinds["login"] = true
				fi.reads = true
				fi.lines = append(fi.lines, loc(n))
			default:
				// g.user.authenticated, flask_login's user.is_authenticated:
				// the login state, wherever the app keeps its user.
				if isLoginState(n) {
					fi.kinds["login"] = true
					fi.reads = true
					fi.lines = append(fi.lines, loc(n))
				}
			}
		case "return_statement":
			if returnsDenied(p, n) || p.redirectsAnonymous(m, n) {
				fi.rejects = true
				fi.lines = append(fi.lines, loc(n))
			}
		case "raise_statement":
			// A hand-written verifier raising PyJWT / jose errors checks JWTs.
			if exc := n.NamedChildren(); len(exc) > 0 {
				callee := exc[0]
				if callee.Kind == "call" {
					callee = callee.ChildByField("function")
				}
				if q := m.Qualify(callee.DottedName()); strings.HasPrefix(q, "jwt.") || strings.HasPrefix(q, "jose.") {
					fi.kinds["jwt"] = true
				}
			}
			if re, refuses := bareReraise(n); re && !refuses {
				break // a bare re-raise refuses nothing by itself (inline.go)
			}
			if raisesDenied(n) {
				fi.rejects = true
				fi.lines = append(fi.lines, loc(n))
			}
		}
		return true
	})
	if locs := p.inlineRefusals(body, depth); len(locs) > 0 {
		fi.rejects = true
		fi.lines = append(fi.lines, locs...)
	}
	switch {
	case bearer && fi.kinds["jwt"], fi.kinds["api-key"]:
	case customToken:
		// A token in a header of its own (X-Auth-Token) that is not a JWT
		// is a static service key.
		fi.kinds["api-key"] = true
	case bearer:
		fi.kinds["custom"] = true
	}
	fi.lines = dedupLocs(fi.lines)
	return fi
}

func returnsDenied(p *Project, ret *python.Node) bool {
	vals := ret.NamedChildren()
	if len(vals) != 1 {
		return false
	}
	v := vals[0].Unparen()
	if v.Kind != "expression_list" && v.Kind != "tuple" {
		return false
	}
	items := v.NamedChildren()
	if len(items) < 2 {
		return false
	}
	s := p.Eval(items[1])
	return s.Kind == Int && (s.I == 401 || s.I == 403)
}

func raisesDenied(r *python.Node) bool {
	t := r.Text()
	if strings.TrimSpace(t) == "raise" {
		return true
	}
	for _, w := range []string{"Unauthorized", "Forbidden", "Auth", "Permission", "Denied", "Invalid", "Expired", "Signature", "NoAuthorization"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}
