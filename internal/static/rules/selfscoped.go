package rules

// A route that acts on the caller's own record needs no role its siblings
// check on anyone's: PUT /user/preferences editing the record the caller's
// token names is GET /users/me's kind, not an administrator's. The caller
// is observed through the framework's identity APIs (Flask-Login's
// current_user, flask-jwt-extended's get_jwt_identity / get_current_user /
// get_jwt()["sub"], g.user set by the app's own check); the record by the
// lookups the handler makes. Self-scoped: no URL parameter names another
// object, the handler reads the caller's identity, and no record lookup
// takes a key from the request. A counter fact for the gate.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// callerIdentity are the framework's names for the signed-in caller.
var callerIdentity = map[string]bool{
	"current_user": true, "g.user": true, "flask.g.user": true, "current_identity": true,
	"get_jwt_identity": true, "get_current_user": true, "get_jwt": true,
}

// recordLookups load one record by key.
var recordLookups = map[string]bool{"get": true, "get_or_404": true, "filter_by": true, "find_one": true, "one_or_404": true}

// selfScoped returns where the route's handler selects the caller's own
// record when the route acts only on it, else nil: no URL parameter, no
// record looked up by a key from the request, and a record looked up by
// the caller's identity (User.query.get(get_jwt_identity())) or a write
// whose arguments are the caller's (SyncJob(user_id=current_user.id)).
func (ps *Pass) selfScoped(r *flask.Route) *python.Node {
	if r.Def == nil || len(r.Params) > 0 {
		return nil
	}
	body := r.Def.ChildByField("body")
	var own *python.Node
	other := false
	body.Walk(func(x *python.Node) bool {
		if other || x.Kind == "function_definition" {
			return false
		}
		if x.Kind != "call" {
			return true
		}
		fn := x.ChildByField("function")
		if fn.Kind != "attribute" {
			return true
		}
		name := fn.ChildByField("attribute").Text()
		args := x.ChildByField("arguments").NamedChildren()
		switch {
		case recordLookups[name]:
			// x.query.get(k), db.session.get(Model, k), filter_by(id=k):
			// a key the request chose names someone else's record. A
			// dict's .get on the request body reads a field, not a record.
			if strings.HasPrefix(fn.ChildByField("object").Text(), "request") || ps.requestDerived(fn.ChildByField("object"), 0) {
				return true
			}
			for _, a := range args {
				if a.Kind == "keyword_argument" {
					a = a.ChildByField("value")
				}
				switch {
				case a == nil:
				case ps.requestDerived(a, 0):
					other = true
				case own == nil:
					own = identityIn(a, 0)
				}
			}
		case stateChanges[name] && own == nil:
			// the written object is the caller's: current_user.save(),
			// Visit(user_id=current_user.id).save(), add(Job(user_id=...))
			own = identityIn(fn.ChildByField("object"), 0)
			for _, a := range args {
				if own != nil {
					break
				}
				own = identityIn(a, 0)
			}
		}
		return true
	})
	if other {
		return nil
	}
	return own
}

// identityIn returns the caller's identity the expression is made from
// (through locals and conversions), or nil.
func identityIn(e *python.Node, depth int) *python.Node {
	if e == nil || depth > 4 {
		return nil
	}
	var out *python.Node
	e.Walk(func(x *python.Node) bool {
		if out != nil {
			return false
		}
		switch x.Kind {
		case "identifier", "attribute":
			if callerIdentity[x.DottedName()] {
				out = x
				return false
			}
			if x.Kind == "identifier" {
				if fn := x.Ancestor("function_definition"); fn != nil {
					if rhs := flask.LocalAssign(fn, x.Text(), x.Start); rhs != nil && !rhs.Contains(x) {
						out = identityIn(rhs, depth+1)
					}
				}
			}
		}
		return true
	})
	return out
}

// refuteSelfScoped records, on the finding just reported, that the route
// acts on the caller's own record.
func (ps *Pass) refuteSelfScoped(before int, r *flask.Route, who *python.Node) {
	ps.refute(before, step(who, "", "the route acts on the caller's own record ("+oneLineText(who.Text())+
		" at "+who.File.Path+":"+itoa(who.Line)+", no URL parameter or request field names another): self-service needs no role"))
}
