package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// maxLifetime is the longest token lifetime left as it is (seconds): the
// long-lifetime check flags anything longer than a day.
const maxLifetime = 86400

// fixLongLifetime takes a lifetime over a day from configuration: a
// timedelta literal on the cause line, or the module-level timedelta
// constant an argument there names (directly, or through a local variable
// assigned from constants in the same function), becomes
// timedelta(seconds=int(os.environ.get("NAME", "86400"))).
func fixLongLifetime(s *site) (*attempt, string) {
	var targets []*python.Node // timedelta calls to replace
	var names []string
	for _, call := range s.onLine("call") {
		if isTimedelta(call) && call.Line == s.line {
			if sec, ok := timedeltaSeconds(call); ok && sec > maxLifetime {
				targets = append(targets, call)
				names = append(names, lifetimeName(call))
			}
			continue
		}
		for _, a := range args(call) {
			if a.Kind == "keyword_argument" {
				a = a.ChildByField("value")
			}
			if a.Kind != "identifier" {
				continue
			}
			for _, c := range s.p.constants(s.file, a) {
				if sec, ok := timedeltaSeconds(c.value); ok && sec > maxLifetime {
					targets = append(targets, c.value)
					names = append(names, c.name)
				}
			}
		}
	}
	if len(targets) != 1 {
		return nil, "the lifetime is not one timedelta over a day that the cause line uses; where tokens get their lifetime needs a person"
	}
	mod := strings.TrimSuffix(callName(targets[0]), "timedelta")
	text := mod + `timedelta(seconds=int(os.environ.get(` + quote(names[0]) + `, "86400")))`
	edits := []Edit{{Start: targets[0].Start, End: targets[0].End, New: text}}
	if e, ok := importIfMissing(targets[0].File, "os"); ok {
		edits = append(edits, e)
	}
	if targets[0].File != s.file {
		return nil, "the lifetime constant lives in another file"
	}
	return &attempt{edits: edits, what: names[0] + " from $" + names[0] + " (seconds), a day when unset"}, ""
}

type constant struct {
	name  string
	value *python.Node
}

// constants resolves a name used in a function to the module-level
// assignments it may hold: the name itself when it is a module constant,
// else the constants a local assignment of it in the same function picks
// from (`ttl = LONG if remember else SHORT`).
func (p *project) constants(f *python.File, id *python.Node) []constant {
	module := func(name string) *python.Node {
		for _, st := range f.Root.NamedChildren() {
			if st.Kind != "expression_statement" {
				continue
			}
			for _, as := range st.NamedChildren() {
				if as.Kind == "assignment" && as.ChildByField("left").Text() == name {
					return as.ChildByField("right")
				}
			}
		}
		return nil
	}
	fn := id.Ancestor("function_definition")
	if fn != nil {
		for _, as := range f.OfKind("assignment") {
			if as.Ancestor("function_definition") != fn || as.ChildByField("left").Text() != id.Text() || as.Start > id.Start {
				continue
			}
			var out []constant
			as.ChildByField("right").Walk(func(n *python.Node) bool {
				if n.Kind == "identifier" {
					if v := module(n.Text()); v != nil {
						out = append(out, constant{n.Text(), v})
					}
				}
				return true
			})
			return out
		}
	}
	if v := module(id.Text()); v != nil {
		return []constant{{id.Text(), v}}
	}
	return nil
}

func isTimedelta(call *python.Node) bool {
	n := callName(call)
	return n == "timedelta" || strings.HasSuffix(n, ".timedelta")
}

// timedeltaSeconds evaluates a timedelta(...) literal of integer arguments.
func timedeltaSeconds(n *python.Node) (int64, bool) {
	if n == nil || n.Kind != "call" || !isTimedelta(n) {
		return 0, false
	}
	unit := map[string]int64{"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
	order := []string{"days", "seconds"}
	var total int64
	for i, a := range positional(n) {
		v, ok := a.IntValue()
		if !ok || i >= len(order) {
			return 0, false
		}
		total += v * unit[order[i]]
	}
	for _, a := range args(n) {
		if a.Kind != "keyword_argument" {
			continue
		}
		u, ok := unit[a.ChildByField("name").Text()]
		v, isInt := a.ChildByField("value").IntValue()
		if !ok || !isInt {
			return 0, false
		}
		total += v * u
	}
	return total, true
}

// lifetimeName names the environment variable of a lifetime literal: the
// setting or constant it is assigned to, else TOKEN_LIFETIME_SECONDS.
func lifetimeName(call *python.Node) string {
	if as := call.Parent; as != nil && as.Kind == "assignment" {
		left := as.ChildByField("left")
		if k := configKey(left); envName.MatchString(k) {
			return k
		}
		if left.Kind == "identifier" && envName.MatchString(strings.ToUpper(left.Text())) {
			return strings.ToUpper(left.Text())
		}
	}
	return "TOKEN_LIFETIME_SECONDS"
}
