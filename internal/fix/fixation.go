package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixFixation renews the session id at login (session.fixation) for a
// hand-written server-side session store, with the store's own API: the
// module's SessionInterface mints a new session as `Cls(NEWID)` in
// open_session, the session class keeps the id in the attribute its
// constructor sets from that argument (`self.sid = sid`), and save_session
// stores sessions as `STORE[session.sid] = ...`. Before the login view
// first writes into the session, the id handed out before login is
// dropped from the store and the session gets a new one:
//
//	SESSIONS.pop(session.sid, None)
//	session.sid = secrets.token_urlsafe(24)
//
// Flask's own cookie session, or a store whose API the module does not
// show, is listed with the reason.
func fixFixation(s *site) (*attempt, string) {
	def := s.viewAt()
	if def == nil {
		def = s.routeDef()
	}
	if def == nil {
		return nil, "no route function for " + s.where()
	}
	st := sessionStore(s.file)
	if st == nil {
		return nil, "the module defines no SessionInterface whose new-session id, session attribute and store it shows; how the session store renews an id needs a person"
	}
	var first *python.Node
	for _, stmt := range def.ChildByField("definition").ChildByField("body").NamedChildren() {
		if stmt.Kind == "expression_statement" && strings.HasPrefix(strings.TrimSpace(stmt.Text()), "session[") && strings.Contains(stmt.Text(), "=") {
			first = stmt
			break
		}
	}
	if first == nil {
		return nil, "the login view does not write into the session at its top level; where the id should change needs a person"
	}
	src := s.src()
	ind := indentOf(src, first.Start)
	at := lineStart(src, first.Start)
	text := ind + st.store + ".pop(session." + st.attr + ", None)  # a new session id at login: the one handed out before it is dropped\n" +
		ind + "session." + st.attr + " = " + st.mint + "\n"
	return &attempt{edits: []Edit{{Start: at, End: at, New: text}},
		what: "the session id is renewed at login (" + st.mint + ", as the session interface mints new ones) and the old one dropped from " + st.store}, ""
}

// serverSessions is what a module's SessionInterface shows of its store.
type serverSessions struct {
	mint  string // the expression open_session mints a new id with
	attr  string // the session attribute holding the id
	store string // the mapping save_session stores sessions in
}

// sessionStore reads the module's SessionInterface subclass: open_session
// returning Cls(<an id minted without request data>) for a new session,
// Cls.__init__ assigning its first parameter to self.ATTR, save_session
// assigning STORE[session.ATTR].
func sessionStore(f *python.File) *serverSessions {
	classes := map[string]*python.Node{}
	for _, c := range f.OfKind("class_definition") {
		classes[c.ChildByField("name").Text()] = c
	}
	for _, c := range f.OfKind("class_definition") {
		if !derivesFrom(c, "SessionInterface") {
			continue
		}
		open, save := method(c, "open_session"), method(c, "save_session")
		if open == nil || save == nil {
			continue
		}
		var out serverSessions
		open.Walk(func(n *python.Node) bool {
			if n.Kind != "return_statement" || out.mint != "" {
				return out.mint == ""
			}
			call := firstNamed(n)
			if call == nil || call.Kind != "call" || classes[callName(call)] == nil {
				return false
			}
			a := positional(call)
			if len(a) == 1 && (a[0].Kind == "call" || a[0].Kind == "attribute") && !strings.Contains(a[0].Text(), "request") {
				out.mint = a[0].Text()
				out.attr = ctorAttr(classes[callName(call)])
			}
			return false
		})
		if out.mint == "" || out.attr == "" {
			continue
		}
		save.Walk(func(n *python.Node) bool {
			if n.Kind == "assignment" {
				if l := n.ChildByField("left"); l != nil && l.Kind == "subscript" && strings.HasSuffix(l.ChildByField("subscript").Text(), "."+out.attr) {
					out.store = l.ChildByField("value").DottedName()
				}
			}
			return out.store == ""
		})
		if out.store != "" {
			return &out
		}
	}
	return nil
}

// derivesFrom reports whether a class names base (its last dotted part)
// among its superclasses.
func derivesFrom(cls *python.Node, base string) bool {
	sup := cls.ChildByField("superclasses")
	if sup == nil {
		return false
	}
	for _, b := range sup.NamedChildren() {
		name := b.DottedName()
		if name[strings.LastIndexByte(name, '.')+1:] == base {
			return true
		}
	}
	return false
}

// method returns the function a class body defines under name.
func method(cls *python.Node, name string) *python.Node {
	for _, st := range cls.ChildByField("body").NamedChildren() {
		if st.Kind == "decorated_definition" {
			st = st.ChildByField("definition")
		}
		if st != nil && st.Kind == "function_definition" && st.ChildByField("name").Text() == name {
			return st
		}
	}
	return nil
}

// ctorAttr returns ATTR of `self.ATTR = P` in the class's __init__, P its
// first parameter after self.
func ctorAttr(cls *python.Node) string {
	init := method(cls, "__init__")
	if init == nil {
		return ""
	}
	ps := init.ChildByField("parameters").NamedChildren()
	if len(ps) < 2 || ps[1].Kind != "identifier" {
		return ""
	}
	attr := ""
	init.Walk(func(n *python.Node) bool {
		if n.Kind == "assignment" && n.ChildByField("right") != nil && n.ChildByField("right").Text() == ps[1].Text() {
			if l := n.ChildByField("left"); l.Kind == "attribute" && l.ChildByField("object").Text() == "self" {
				attr = l.ChildByField("attribute").Text()
			}
		}
		return attr == ""
	})
	return attr
}

// firstNamed returns a node's first named child, or nil.
func firstNamed(n *python.Node) *python.Node {
	if cs := n.NamedChildren(); len(cs) > 0 {
		return cs[0]
	}
	return nil
}
