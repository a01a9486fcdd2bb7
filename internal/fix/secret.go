package fix

import (
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// minSecret is the shortest secret the patched code starts with (bytes):
// an HS256 key shorter than the hash output is guessable sooner.
const minSecret = 32

// envName is what an environment variable may be called.
var envName = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

// fixSecret moves a hardcoded or weak default secret into the environment:
// `NAME = "literal"`, `NAME = os.environ.get("ENV", "default")`,
// `NAME = os.getenv(...) or "default"`, `app.secret_key = ...` and
// `app.config["KEY"] = ...` become `os.environ["ENV"]` with no default,
// followed by a start-up check that the secret is at least 32 bytes.
func fixSecret(s *site) (*attempt, string) {
	for _, as := range s.onLine("assignment") {
		left, right := as.ChildByField("left"), as.ChildByField("right")
		if left == nil || right == nil || as.Parent == nil || as.Parent.Kind != "expression_statement" {
			continue
		}
		env := secretEnv(left, right)
		if env == "" {
			return nil, "the secret's assignment has no name to read it from the environment under"
		}
		stmt := as.Parent
		if stmt.Parent == nil || (stmt.Parent.Kind != "module" && stmt.Parent.Kind != "block") {
			return nil, "the secret is assigned inside an expression"
		}
		ind := indentOf(s.src(), stmt.Start)
		check := ind + "if len(" + left.Text() + ") < " + itoa(minSecret) + ":\n" +
			ind + "    raise RuntimeError(" + quote(env+" must hold a random secret of at least "+itoa(minSecret)+" bytes") + ")\n"
		edits := []Edit{
			{Start: right.Start, End: right.End, New: `os.environ[` + quote(env) + `]`},
			insertAfter(s.src(), stmt.End, check),
		}
		if e, ok := importIfMissing(s.file, "os"); ok {
			edits = append(edits, e)
		}
		return &attempt{edits: edits, env: []string{env},
			what: left.Text() + " read from $" + env + " with no default; start-up refuses one shorter than " + itoa(minSecret) + " bytes"}, ""
	}
	return nil, "no assignment of the secret on " + s.f.Location.String()
}

// secretEnv names the environment variable a secret should come from: the
// one the code already reads, else the config key or variable name.
func secretEnv(left, right *python.Node) string {
	var env string
	right.Walk(func(n *python.Node) bool {
		if env != "" {
			return false
		}
		if n.Kind == "call" {
			name := callName(n)
			if name == "os.environ.get" || name == "os.getenv" || name == "environ.get" || name == "getenv" {
				if a := positional(n); len(a) > 0 {
					env, _ = a[0].StringValue()
				}
			}
		}
		if n.Kind == "subscript" && n.ChildByField("value").DottedName() == "os.environ" {
			env, _ = n.ChildByField("subscript").StringValue()
		}
		return true
	})
	if env == "" {
		switch {
		case configKey(left) != "":
			env = configKey(left)
		case strings.HasSuffix(left.DottedName(), ".secret_key"):
			env = "SECRET_KEY"
		case left.Kind == "identifier":
			env = strings.ToUpper(left.Text())
		}
	}
	if !envName.MatchString(env) {
		return ""
	}
	return env
}

// importIfMissing returns an edit adding `import NAME` when the file does
// not import it at module level.
func importIfMissing(f *python.File, name string) (Edit, bool) {
	for _, st := range f.Root.NamedChildren() {
		if st.Kind != "import_statement" {
			continue
		}
		for _, c := range st.NamedChildren() {
			if c.Text() == name {
				return Edit{}, false
			}
		}
	}
	at := importPos(f)
	return Edit{Start: at, End: at, New: "import " + name + "\n", stack: true}, true
}

// importPos is where an added import goes: above the first import that is
// not a __future__ import, else below the module docstring and __future__
// imports (coding comments stay first).
func importPos(f *python.File) int {
	var after *python.Node
	for i, st := range f.Root.NamedChildren() {
		switch st.Kind {
		case "import_statement", "import_from_statement":
			return lineStart(f.Src, st.Start)
		case "future_import_statement":
			after = st
		case "expression_statement":
			if i == 0 && len(st.NamedChildren()) == 1 && st.NamedChildren()[0].Kind == "string" {
				after = st // the module docstring
			}
		}
	}
	if after != nil {
		return lineEnd(f.Src, after.End-1)
	}
	return 0
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// fixHardcodedKey moves API keys committed to source into the environment:
// `KEYS = os.environ.get("KEYS", "k1,k2").split(",")` and
// `TOKEN = os.environ.get("TOKEN") or "literal"` read os.environ["NAME"]
// with no default, followed by a start-up check that a key is set. The
// dynamic proof starts the patched copy with the keys the code held, so the
// identities keep working; rotate them when deploying.
func fixHardcodedKey(s *site) (*attempt, string) {
	for _, as := range s.onLine("assignment") {
		left, right := as.ChildByField("left"), as.ChildByField("right")
		if left == nil || right == nil || as.Parent == nil || as.Parent.Kind != "expression_statement" || left.Kind != "identifier" {
			continue
		}
		get, literal := envDefault(right)
		if get == nil {
			return nil, "the key is not an environment read with a literal default"
		}
		env, _ := positional(get)[0].StringValue()
		if !envName.MatchString(env) {
			return nil, "the environment variable's name is not a constant"
		}
		edits := []Edit{{Start: get.Start, End: get.End, New: "os.environ[" + quote(env) + "]"}}
		if or := get.Parent; or != nil && or.Kind == "boolean_operator" && or.HasChildKind("or") {
			edits = []Edit{{Start: or.Start, End: or.End, New: "os.environ[" + quote(env) + "]"}}
		}
		stmt := as.Parent
		ind := indentOf(s.src(), stmt.Start)
		name := left.Text()
		empty := "not " + name
		if strings.Contains(right.Text(), ".split(") {
			empty = "not [k for k in " + name + " if k]"
		}
		edits = append(edits, insertAfter(s.src(), stmt.End, ind+"if "+empty+":\n"+ind+
			"    raise RuntimeError("+quote(env+" must name the API key(s); it has no default")+")\n"))
		if e, ok := importIfMissing(s.file, "os"); ok {
			edits = append(edits, e)
		}
		return &attempt{edits: edits, env: []string{env}, proofEnv: map[string]string{env: literal},
			what: name + " read from $" + env + " with no default; start-up refuses an empty one"}, ""
	}
	return nil, "no assignment of the key on " + s.f.Location.String()
}

// envDefault finds os.environ.get("NAME", "literal") or
// os.environ.get("NAME") or "literal" in an expression: the get call and
// the literal.
func envDefault(n *python.Node) (*python.Node, string) {
	var get *python.Node
	literal := ""
	n.Walk(func(x *python.Node) bool {
		if get != nil || x.Kind != "call" {
			return get == nil
		}
		name := callName(x)
		if name != "os.environ.get" && name != "os.getenv" {
			return true
		}
		a := positional(x)
		if len(a) == 0 {
			return true
		}
		if len(a) == 2 {
			if v, ok := a[1].StringValue(); ok && v != "" {
				get, literal = x, v
			}
			return false
		}
		if p := x.Parent; p != nil && p.Kind == "boolean_operator" && p.ChildByField("left") == x {
			if v, ok := p.ChildByField("right").StringValue(); ok && v != "" {
				get, literal = x, v
			}
		}
		return false
	})
	return get, literal
}
