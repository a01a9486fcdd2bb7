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

// selfScoped returns where the route's handler reads the caller's
// identity when the route acts only on the caller's own record, else nil.
func (ps *Pass) selfScoped(r *flask.Route) *python.Node {
	if r.Def == nil || len(r.Params) > 0 {
		return nil
	}
	body := r.Def.ChildByField("body")
	var who *python.Node
	other := false
	body.Walk(func(x *python.Node) bool {
		if other || x.Kind == "function_definition" {
			return false
		}
		switch x.Kind {
		case "identifier", "attribute":
			if who == nil && callerIdentity[x.DottedName()] {
				who = x
			}
		case "call":
			fn := x.ChildByField("function")
			if fn.Kind != "attribute" || !recordLookups[fn.ChildByField("attribute").Text()] {
				return true
			}
			// x.query.get(k), db.session.get(Model, k), filter_by(id=k):
			// a key the request chose names someone else's record. A
			// dict's .get on the request body reads a field, not a record.
			if strings.HasPrefix(fn.ChildByField("object").Text(), "request") || ps.requestDerived(fn.ChildByField("object"), 0) {
				return true
			}
			for _, a := range x.ChildByField("arguments").NamedChildren() {
				if a.Kind == "keyword_argument" {
					a = a.ChildByField("value")
				}
				if a != nil && ps.requestDerived(a, 0) {
					other = true
				}
			}
		}
		return true
	})
	if other {
		return nil
	}
	return who
}

// refuteSelfScoped records, on the finding just reported, that the route
// acts on the caller's own record.
func (ps *Pass) refuteSelfScoped(before int, r *flask.Route, who *python.Node) {
	ps.refute(before, step(who, "", "the route acts on the caller's own record ("+oneLineText(who.Text())+
		" at "+who.File.Path+":"+itoa(who.Line)+", no URL parameter or request field names another): self-service needs no role"))
}
