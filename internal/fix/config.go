package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// lifetimeKeys are flask-jwt-extended's lifetime settings and the default
// the patched config falls back to (seconds).
var lifetimeKeys = map[string]string{
	"JWT_ACCESS_TOKEN_EXPIRES":  "900",
	"JWT_REFRESH_TOKEN_EXPIRES": "86400",
}

// fixLifetime takes a token lifetime that is off (False) or too long from
// configuration: `int(os.environ.get("KEY", "900"))` seconds.
func fixLifetime(s *site) (*attempt, string) {
	for _, n := range s.onLine("assignment", "keyword_argument") {
		key, value := configAssignment(n)
		def, ok := lifetimeKeys[key]
		if !ok {
			continue
		}
		edits := []Edit{{Start: value.Start, End: value.End, New: `int(os.environ.get(` + quote(key) + `, ` + quote(def) + `))`}}
		if e, ok := importIfMissing(s.file, "os"); ok {
			edits = append(edits, e)
		}
		return &attempt{edits: edits, what: key + " from $" + key + ", " + def + " s when unset"}, ""
	}
	return nil, "the lifetime is not set by a JWT_*_TOKEN_EXPIRES setting on " + s.f.Location.String() + "; where tokens get their lifetime needs a person"
}

// configAssignment returns the key and value of app.config["KEY"] = value
// or of a KEY=value keyword (app.config.update(KEY=...)).
func configAssignment(n *python.Node) (string, *python.Node) {
	switch n.Kind {
	case "assignment":
		return configKey(n.ChildByField("left")), n.ChildByField("right")
	case "keyword_argument":
		return n.ChildByField("name").Text(), n.ChildByField("value")
	}
	return "", nil
}

// fixDebug takes debug mode from configuration: app.run(debug=True),
// app.debug = True and DEBUG = True become FLASK_DEBUG == "1".
func fixDebug(s *site) (*attempt, string) {
	const fromEnv = `os.environ.get("FLASK_DEBUG") == "1"`
	for _, n := range s.onLine("keyword_argument", "assignment") {
		var value *python.Node
		switch n.Kind {
		case "keyword_argument":
			if name := n.ChildByField("name").Text(); name == "debug" || name == "DEBUG" {
				value = n.ChildByField("value")
			}
		case "assignment":
			left := n.ChildByField("left")
			if configKey(left) == "DEBUG" || strings.HasSuffix(left.DottedName(), ".debug") || left.Text() == "DEBUG" {
				value = n.ChildByField("right")
			}
		}
		if value == nil {
			continue
		}
		if v, ok := value.BoolValue(); !ok || !v {
			return nil, "debug is not set to a literal True here"
		}
		edits := []Edit{{Start: value.Start, End: value.End, New: fromEnv}}
		if e, ok := importIfMissing(s.file, "os"); ok {
			edits = append(edits, e)
		}
		return &attempt{edits: edits, what: "debug only when FLASK_DEBUG=1"}, ""
	}
	return nil, "no debug=True on " + s.f.Location.String()
}

// fixVerifyType ends verify_type=False on a jwt_required decorator: a
// refresh endpoint (one that issues access tokens) takes refresh tokens
// only (refresh=True), any other route access tokens only.
func fixVerifyType(s *site) (*attempt, string) {
	for _, call := range s.onLine("call") {
		kw := kwargNode(call, "verify_type")
		if kw == nil {
			continue
		}
		if v, ok := kw.ChildByField("value").BoolValue(); !ok || v {
			return nil, "verify_type is not a literal False"
		}
		refresh := s.f.Rule == "session.access-at-refresh"
		if def := call.Ancestor("decorated_definition"); def != nil && !refresh && s.f.Rule != "session.refresh-as-access" {
			def.Walk(func(n *python.Node) bool {
				if n.Kind == "call" && strings.HasSuffix(callName(n), "create_access_token") {
					refresh = true
				}
				return !refresh
			})
		}
		if refresh {
			if kwargNode(call, "refresh") != nil {
				return nil, "the decorator already names refresh="
			}
			return &attempt{edits: []Edit{{Start: kw.Start, End: kw.End, New: "refresh=True"}},
				what: "the refresh endpoint takes refresh tokens only"}, ""
		}
		items := args(call)
		for i, a := range items {
			if a == kw {
				return &attempt{edits: []Edit{removeFromList(s.src(), items, i)},
					what: "verify_type=False removed: the route takes access tokens only"}, ""
			}
		}
	}
	return nil, "no verify_type=False on " + s.f.Location.String()
}

// fixCSRF turns flask-jwt-extended's CSRF protection of cookie tokens back
// on: JWT_COOKIE_CSRF_PROTECT = False becomes True (clients then send the
// X-CSRF-TOKEN header on state-changing requests; the tests proof tells).
func fixCSRF(s *site) (*attempt, string) {
	for _, n := range s.onLine("assignment", "keyword_argument") {
		key, value := configAssignment(n)
		if n.Kind == "assignment" && key == "" && n.ChildByField("left").Kind == "identifier" {
			key, value = n.ChildByField("left").Text(), n.ChildByField("right")
		}
		if key != "JWT_COOKIE_CSRF_PROTECT" {
			continue
		}
		if v, ok := value.BoolValue(); !ok || v {
			return nil, "JWT_COOKIE_CSRF_PROTECT is not a literal False"
		}
		return &attempt{edits: []Edit{{Start: value.Start, End: value.End, New: "True"}}, what: "CSRF protection of cookie tokens on"}, ""
	}
	return nil, "no JWT_COOKIE_CSRF_PROTECT setting on " + s.f.Location.String()
}
