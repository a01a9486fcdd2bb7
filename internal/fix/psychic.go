package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixPsychic adds the range check a hand-written ECDSA verifier lacks
// (jwt.psychic-signature, CVE-2022-21449): at the cause line it inverts s
// modulo the group order (`w = pow(s, N - 2, N)`, or pow(s, -1, N)); the
// two values the function reads from the same signature (r and s) must
// both lie in [1, N-1], else the function refuses as it already refuses a
// malformed signature (its own `return False`, `return None` or raise):
//
//	if not (0 < r < N and 0 < s < N):
//	    return False
func fixPsychic(s *site) (*attempt, string) {
	var inv, stmt *python.Node
	for _, c := range s.onLine("call") {
		if callName(c) == "pow" && len(positional(c)) == 3 && positional(c)[0].Kind == "identifier" {
			inv = c
			break
		}
	}
	if inv == nil {
		return nil, "no modular inverse pow(s, ..., N) on " + s.f.Location.String() + "; the verifier needs a person (replace it with the library's)"
	}
	for p := inv.Parent; p != nil; p = p.Parent {
		if p.Kind == "expression_statement" || p.Kind == "return_statement" {
			stmt = p
			break
		}
	}
	fn := inv.Ancestor("function_definition")
	if stmt == nil || fn == nil || stmt.Parent == nil || stmt.Parent != fn.ChildByField("body") {
		return nil, "the inverse is not a statement of the verifier's body; the check needs a person"
	}
	sName, order := positional(inv)[0].Text(), positional(inv)[2].Text()
	pair := signatureParts(fn, stmt, sName)
	if len(pair) != 2 {
		return nil, "the verifier does not read exactly two values (r, s) from one signature before the inverse; the check needs a person"
	}
	refusal := ownRefusal(fn, stmt)
	if refusal == "" {
		return nil, "the verifier has no refusal of its own (return False/None, raise) before the inverse to reuse"
	}
	src := s.src()
	ind := indentOf(src, stmt.Start)
	check := ind + "if not (0 < " + pair[0] + " < " + order + " and 0 < " + pair[1] + " < " + order + "):  # r and s must lie in [1, n-1]\n" +
		ind + "    " + refusal + "\n"
	at := lineStart(src, stmt.Start)
	return &attempt{edits: []Edit{{Start: at, End: at, New: check}},
		what: "the verifier refuses r or s outside [1, " + order + "-1] before inverting " + sName}, ""
}

// signatureParts returns, in order, the names the function assigns before
// stmt from the same sliced variable as name (r and s from signature[:32]
// and signature[32:]).
func signatureParts(fn, stmt *python.Node, name string) []string {
	source := map[string]string{} // name -> the variable it is sliced from
	var order []string
	for _, st := range fn.ChildByField("body").NamedChildren() {
		if st == stmt {
			break
		}
		as := firstNamed(st)
		if st.Kind != "expression_statement" || as == nil || as.Kind != "assignment" || as.ChildByField("left").Kind != "identifier" {
			continue
		}
		from := ""
		as.ChildByField("right").Walk(func(n *python.Node) bool {
			if n.Kind == "subscript" && n.ChildByField("subscript").Kind == "slice" && n.ChildByField("value").Kind == "identifier" {
				from = n.ChildByField("value").Text()
			}
			return from == ""
		})
		if from != "" {
			left := as.ChildByField("left").Text()
			source[left] = from
			order = append(order, left)
		}
	}
	from, ok := source[name]
	if !ok {
		return nil
	}
	var out []string
	for _, n := range order {
		if source[n] == from {
			out = append(out, n)
		}
	}
	return out
}

// ownRefusal returns the text of the first refusal in the function before
// stmt: `return False`, `return None`, a bare return or a raise.
func ownRefusal(fn, stmt *python.Node) string {
	out := ""
	fn.ChildByField("body").Walk(func(n *python.Node) bool {
		if out != "" || n.Start >= stmt.Start || n.Kind == "function_definition" {
			return false
		}
		switch n.Kind {
		case "return_statement":
			if t := strings.TrimSpace(strings.TrimPrefix(n.Text(), "return")); t == "False" || t == "None" || t == "" {
				out = n.Text()
			}
		case "raise_statement":
			out = n.Text()
		}
		return out == ""
	})
	return out
}
