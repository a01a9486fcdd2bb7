package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/python"
)

// throttleName is the decorator the throttling fix adds to a module.
const throttleName = "limit_failures"

// fixThrottle throttles the unthrottled credential check: the function
// holding the check line gets the module's limit_failures decorator (a
// small limiter the patch adds once per file, below the imports): a view
// or a before_request gate is decorated where it is registered; the
// wrapper of an auth decorator is returned wrapped (every route using the
// decorator is throttled); a Resource or MethodView method is decorated.
// A check in a helper that answers no response is listed, not guessed.
func fixThrottle(s *site) (*attempt, string) {
	counts, what := throttleCounts(s.f.Evidence)
	var edits []Edit
	var hows []string
	helped := map[string]bool{}
	wrapped := map[string]bool{} // auth decorators whose wrapper is throttled
	for i, at := range s.throttleSites() {
		if definesName(at.file, throttleName) {
			return nil, at.file.Path + " already defines " + throttleName
		}
		var use Edit
		var how, why string
		fn := at.enclosingFunc()
		if fn != nil {
			use, how, why = throttleUse(at.src(), fn)
		} else {
			why = "the credential check on " + at.where() + " is not inside a function"
		}
		var route *python.Node
		if at.ep != nil {
			route = routeFor(at.file, at.ep.Method, at.ep.Path)
		}
		if route != nil && behindWrapped(route, wrapped) {
			continue // its auth decorator's wrapper is throttled already
		}
		if why != "" && route != nil {
			// A check in a helper the view calls: the view is throttled.
			use, how, why = throttleUse(at.src(), route.ChildByField("definition"))
		}
		if why != "" {
			if i > 0 && route == nil {
				continue // an instance whose route the code does not show
			}
			return nil, why
		}
		if name, ok := strings.CutSuffix(how, wrapperHow); ok {
			wrapped[name] = true
		}
		use.File = at.file.Path
		use.New = strings.ReplaceAll(use.New, "@@COUNTS@@", counts)
		if slices.ContainsFunc(edits, func(e Edit) bool { return e.File == use.File && e.Start == use.Start }) {
			continue // two instances behind one check
		}
		if !helped[at.file.Path] {
			helped[at.file.Path] = true
			h := helperPos(at.file)
			if h == use.Start {
				return nil, "the limiter and its use would land on the same line of " + at.file.Path
			}
			edits = append(edits, Edit{File: at.file.Path, Start: h, End: h, New: throttleHelper(at.file)})
		}
		edits = append(edits, use)
		hows = append(hows, how)
	}
	return &attempt{edits: edits,
		what: strings.Join(hows, "; ") + " with " + throttleName + " (a per-client, per-endpoint limiter added to the module: " + what +
			"; AUTH_FAILURE_LIMIT in AUTH_FAILURE_WINDOW seconds lock the client out for AUTH_LOCKOUT_SECONDS, 429 + Retry-After)"}, ""
}

// behindWrapped reports whether a route carries an auth decorator whose
// wrapper the patch throttles.
func behindWrapped(route *python.Node, wrapped map[string]bool) bool {
	for _, d := range authDecorators(route) {
		name, _, _ := strings.Cut(strings.TrimPrefix(d, "@"), "(")
		if wrapped[name] {
			return true
		}
	}
	return false
}

// throttleSite is a cause line and the endpoint it was seen at.
type throttleSite struct {
	*site
	ep *finding.Endpoint
}

// throttleSites are the finding's cause and the causes of its instances
// (one weakness seen behind several checks), each once.
func (s *site) throttleSites() []throttleSite {
	out := []throttleSite{{s, s.f.Endpoint}}
	seen := map[string]bool{s.file.Path + ":" + itoa(s.line): true}
	for _, in := range s.f.Instances {
		if in.Location == nil || in.Location.Line <= 0 {
			continue
		}
		f := s.p.files[s.p.rel(in.Location.File)]
		k := s.p.rel(in.Location.File) + ":" + itoa(in.Location.Line)
		if in.Endpoint != nil {
			k += " " + in.Endpoint.String()
		}
		if f == nil || f.HasError || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, throttleSite{&site{p: s.p, f: s.f, file: f, line: in.Location.Line}, in.Endpoint})
	}
	return out
}

func (s *site) where() string { return s.file.Path + ":" + itoa(s.line) }

// routeFor returns the route function of the file serving method and
// path (Flask or OpenAPI parameters alike), when exactly one does.
func routeFor(f *python.File, method, path string) *python.Node {
	want := normRule(path)
	var found *python.Node
	for _, d := range f.OfKind("decorated_definition") {
		if !isRoute(d) || normRule(routeRule(d)) != want || !routeMethod(d, method) {
			continue
		}
		if found != nil {
			return nil
		}
		found = d
	}
	return found
}

// routeMethod reports whether a route's decorators serve method:
// @x.get/post/... by name, @x.route by its methods= (GET by default).
func routeMethod(def *python.Node, method string) bool {
	for _, d := range decorators(def) {
		if !isRouteDecorator(d) {
			continue
		}
		t := strings.TrimPrefix(d.Text(), "@")
		name, _, _ := strings.Cut(t, "(")
		verb := strings.ToUpper(name[strings.LastIndexByte(name, '.')+1:])
		if verb != "ROUTE" {
			if verb == method {
				return true
			}
			continue
		}
		if !strings.Contains(t, "methods") {
			if method == "GET" || method == "HEAD" {
				return true
			}
			continue
		}
		if strings.Contains(strings.ToUpper(t), `"`+method+`"`) || strings.Contains(strings.ToUpper(t), `'`+method+`'`) {
			return true
		}
	}
	return false
}

// enclosingFunc returns the innermost function definition spanning the
// cause line.
func (s *site) enclosingFunc() *python.Node {
	for _, n := range s.onLine("function_definition") {
		return n
	}
	return nil
}

// throttleUse returns the edit that applies the decorator to fn (its text
// holds @@COUNTS@@ for the decorator's arguments) and what it does.
func throttleUse(src []byte, fn *python.Node) (Edit, string, string) {
	name := fn.ChildByField("name").Text()
	def := fn
	if fn.Parent != nil && fn.Parent.Kind == "decorated_definition" {
		def = fn.Parent
		decs := decorators(def)
		last := -1
		for i, d := range decs {
			if isRouteDecorator(d) || isHookDecorator(d) {
				last = i
			}
		}
		if last >= 0 {
			d := decs[last]
			at := lineEnd(src, d.End-1)
			return Edit{Start: at, End: at, New: indentOf(src, d.Start) + "@" + throttleName + "@@COUNTS@@\n"},
				name + " throttled", ""
		}
	}
	// The wrapper an auth decorator returns: return it wrapped.
	if outer := fn.Parent.Ancestor("function_definition", "class_definition"); outer != nil && outer.Kind == "function_definition" {
		body := outer.ChildByField("body")
		for _, st := range body.NamedChildren() {
			if st.Kind != "return_statement" {
				continue
			}
			v := st.NamedChildren()
			if len(v) == 1 && v[0].Kind == "identifier" && v[0].Text() == name {
				return Edit{Start: v[0].Start, End: v[0].End, New: throttleName + "@@COUNTS@@(" + name + ")"},
					outer.ChildByField("name").Text() + wrapperHow, ""
			}
		}
		return Edit{}, "", "the credential check on line " + fmt.Sprint(fn.Line) + " is in " + name +
			", which its enclosing function does not return as a wrapper; throttle the views that call it"
	}
	// A method of a class view (Flask-RESTful Resource, MethodView).
	if cls := fn.Parent.Ancestor("class_definition"); cls != nil {
		at := lineStart(src, def.Start)
		return Edit{Start: at, End: at, New: indentOf(src, def.Start) + "@" + throttleName + "@@COUNTS@@\n"},
			cls.ChildByField("name").Text() + "." + name + " throttled", ""
	}
	return Edit{}, "", "the credential check is in " + name + ", a helper that is no view, gate or auth decorator; throttle the views that call it"
}

// wrapperHow ends the description of a throttled auth decorator's wrapper.
const wrapperHow = "'s wrapper throttled (every route it guards)"

// isHookDecorator reports whether a decorator registers a request hook
// that can refuse (before_request, before_app_request).
func isHookDecorator(d *python.Node) bool {
	t := strings.TrimPrefix(d.Text(), "@")
	return strings.HasSuffix(t, ".before_request") || strings.HasSuffix(t, ".before_app_request")
}

// throttleCounts says what the limiter counts, from the refusal the scan
// saw: 401 and 403 (and the observed refusal status, a 404 or a 302
// alike); when refusals came back 2xx no status tells them from a success,
// so every attempt counts (a rate limit).
func throttleCounts(ev *finding.Evidence) (string, string) {
	st := 0
	if ev != nil {
		st = ev.Status
	}
	switch {
	case st >= 200 && st < 300:
		return "(every=True)", "every attempt counts, as refusals came back " + fmt.Sprint(st)
	case st >= 300 && st != 401 && st != 403:
		return fmt.Sprintf("(statuses=(401, 403, %d))", st), fmt.Sprintf("answers 401, 403 and %d (the refusal seen) count", st)
	}
	return "", "answers 401 and 403 count"
}
