package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// handler is a function that answers requests, with the auth it is
// guarded by: a decorated route function and its decorators, or a method
// of a Flask-RESTful Resource or MethodView and the class's
// method_decorators (with the method's own decorators).
type handler struct {
	fn   *python.Node // function_definition
	auth []string
}

// httpMethods are the method names a Resource or MethodView answers with.
var httpMethods = map[string]bool{"get": true, "post": true, "put": true, "patch": true, "delete": true}

// handlers lists the file's request handlers.
func handlers(f *python.File) []handler {
	var out []handler
	for _, def := range f.OfKind("decorated_definition") {
		if fn := def.ChildByField("definition"); isRoute(def) && fn != nil && fn.Kind == "function_definition" {
			out = append(out, handler{fn: fn, auth: authDecorators(def)})
		}
	}
	for _, cls := range f.OfKind("class_definition") {
		if !isResourceClass(cls) {
			continue
		}
		var classAuth []string
		if md := methodDecorators(cls); md != "" {
			classAuth = []string{"method_decorators = " + md}
		}
		for _, st := range cls.ChildByField("body").NamedChildren() {
			fn, own := st, []string(nil)
			if st.Kind == "decorated_definition" {
				fn = st.ChildByField("definition")
				for _, d := range decorators(st) {
					own = append(own, strings.TrimSpace(d.Text()))
				}
			}
			if fn == nil || fn.Kind != "function_definition" || !httpMethods[fn.ChildByField("name").Text()] {
				continue
			}
			out = append(out, handler{fn: fn, auth: append(append([]string(nil), classAuth...), own...)})
		}
	}
	return out
}

// isResourceClass: a class deriving from Resource or MethodView (by the
// last part of a base's name), or one setting method_decorators.
func isResourceClass(cls *python.Node) bool {
	if sup := cls.ChildByField("superclasses"); sup != nil {
		for _, b := range sup.NamedChildren() {
			name := b.DottedName()
			last := name[strings.LastIndexByte(name, '.')+1:]
			if last == "Resource" || last == "MethodView" {
				return true
			}
		}
	}
	return methodDecorators(cls) != ""
}

// methodDecorators returns the text of a class's method_decorators value.
func methodDecorators(cls *python.Node) string {
	for _, st := range cls.ChildByField("body").NamedChildren() {
		for _, as := range st.NamedChildren() {
			if as.Kind == "assignment" && as.ChildByField("left").Text() == "method_decorators" {
				return as.ChildByField("right").Text()
			}
		}
	}
	return ""
}

// handlerAt returns the request handler whose function spans the cause
// line (a Resource method included), or nil.
func (s *site) handlerAt() *handler {
	for _, h := range handlers(s.file) {
		first, last := h.fn.Line, h.fn.Line+strings.Count(h.fn.Text(), "\n")
		if first <= s.line && s.line <= last {
			return &h
		}
	}
	return nil
}
