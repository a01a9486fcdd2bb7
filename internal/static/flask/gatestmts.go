package flask

import "github.com/authprobe/authprobe/internal/static/python"

// gates walks the hook's top-level statements for one route: an if on the
// endpoint or path either exits early (route exempt) or runs the check.
func (p *Project) gates(h *Hook, r *Route) (bool, []Loc) {
	if !h.info.rejects {
		return false, nil // a gate is a hook that can refuse a request
	}
	if gated, _ := p.gateStmts(h.Def.ChildByField("body"), r); gated {
		return true, h.info.lines
	}
	return false, nil
}

// gateStmts judges a block of a hook for one route: decided is true when
// the block ends the hook for the route (it exits, or it runs the check).
// An if on something else than the route (a setting: "if a password is
// configured and the user is anonymous") is entered: an allow-list
// inside it exempts the route only there, and a check there may run.
func (p *Project) gateStmts(body *python.Node, r *Route) (gated, decided bool) {
	for _, st := range body.NamedChildren() {
		var in *ifInfo
		if st.Kind == "if_statement" {
			in = p.ifOf(st)
		}
		if in == nil || !in.routeIf {
			if in != nil && in.nested {
				for _, br := range in.arms {
					if g, d := p.gateStmts(br.body, r); g && d {
						return true, true
					}
				}
				continue
			}
			// A statement outside any route condition gates every route
			// that reaches it when it can refuse (verify_jwt_in_request(),
			// a helper that aborts, an if that returns a refusal); merely
			// reading a credential (key = request.headers.get(...)) does
			// not: the if that tests it decides.
			if fi := p.analyzeBodyMemo(st); fi.rejects || len(fi.kinds) > 0 && st.Kind != "expression_statement" {
				return true, true
			}
			continue
		}
		// The arms in order: an arm whose condition holds for the
		// route is the one taken; the else arm when none can hold.
		allFalse := true
		for _, br := range in.arms {
			res := triTrue
			if br.cond != nil {
				res = p.evalCond(br.cond, r)
				if res == triUnknown && br.setting {
					res = triFalse // a setting, alike for every route: not an allow-list entry
				}
			} else if !allFalse {
				break
			}
			if res == triUnknown && br.checks && p.mayExempt(br.cond, r) {
				// An allow-list the model cannot evaluate names this
				// route: the check may not run for it. Never claim it.
				allFalse = false
				continue
			}
			switch {
			case br.exits && res == triTrue:
				return false, true
			case br.checks && res != triFalse:
				return true, true
			}
			if res == triTrue {
				break
			}
			allFalse = allFalse && res == triFalse
		}
	}
	return false, false
}

// ifInfo is what gateStmts reads of an if statement of a hook whatever
// the route: worked out once, as every route covered re-examines it.
type ifInfo struct {
	routeIf bool // its condition reads the endpoint, path or blueprint
	nested  bool // nestedRouteIf
	arms    []ifArm
}

type ifArm struct {
	branch
	setting, exits, checks bool
}

func (p *Project) ifOf(st *python.Node) *ifInfo {
	if in, ok := p.ifMemo[st]; ok {
		return in
	}
	in := &ifInfo{routeIf: mentionsRequestField(st.ChildByField("condition")), nested: nestedRouteIf(st)}
	for _, br := range branches(st) {
		fi := p.analyzeBodyMemo(br.body)
		in.arms = append(in.arms, ifArm{branch: br, setting: br.cond != nil && settingCond(br.cond),
			exits: bodyExits(br.body), checks: len(fi.kinds) > 0 || fi.rejects || p.armRefuses(br)})
	}
	if p.ifMemo == nil {
		p.ifMemo = map[*python.Node]*ifInfo{}
	}
	p.ifMemo[st] = in
	return in
}

// armRefuses: the arm's condition reads a credential or the login state
// and its body returns a refusal (if "user" not in session and ...:
// response.status_code = 401; return response).
func (p *Project) armRefuses(br branch) bool {
	if br.cond == nil || !readsCredential(br.cond) && !readsLoginState(p, br.cond) {
		return false
	}
	for _, st := range br.body.NamedChildren() {
		if st.Kind == "return_statement" && p.refusalReturn(st, 0) {
			return true
		}
	}
	return false
}

// nestedRouteIf: an if statement one of whose arms holds an if on the
// route (endpoint, path or blueprint) at its top level, or in the arms of
// an if there (if auth_required: if key: ... else: if path in ALLOW: ...).
func nestedRouteIf(st *python.Node) bool {
	for _, br := range branches(st) {
		for _, c := range br.body.NamedChildren() {
			if c.Kind == "if_statement" && (mentionsRequestField(c.ChildByField("condition")) || nestedRouteIf(c)) {
				return true
			}
		}
	}
	return false
}
