package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixNoneBranch removes the branch that accepts a token whose header says
// alg "none": `if <alg> == "none": accept` goes, its else (or the elif
// after it) becomes the code that always runs.
func fixNoneBranch(s *site) (*attempt, string) {
	for _, ifs := range s.onLine("if_statement") {
		cond := ifs.ChildByField("condition")
		if cond == nil || cond.Line > s.line || !comparesToNone(cond) {
			continue
		}
		if cond.Kind != "comparison_operator" {
			return nil, "the alg \"none\" test is part of a larger condition; which branch to keep needs a person"
		}
		e, why := dropBranch(s.src(), ifs)
		if why != "" {
			return nil, why
		}
		return &attempt{edits: []Edit{e}, what: `the branch accepting alg "none" removed`}, ""
	}
	return nil, `no if statement testing alg == "none" on ` + s.f.Location.String()
}

// comparesToNone reports whether a condition compares something to the
// string "none" (any casing) with ==.
func comparesToNone(n *python.Node) bool {
	if n.Kind != "comparison_operator" || !n.HasChildKind("==") {
		return false
	}
	for _, c := range n.NamedChildren() {
		if v, ok := c.StringValue(); ok && strings.EqualFold(v, "none") {
			return true
		}
	}
	return false
}

// dropBranch removes an if statement's first branch: with no else, the
// whole statement; with an else, the statement becomes the else body; with
// an elif, that elif becomes the if.
func dropBranch(src []byte, ifs *python.Node) (Edit, string) {
	alts := ifs.Children()
	var first *python.Node
	for _, c := range alts {
		if c.Field() == "alternative" {
			first = c
			break
		}
	}
	switch {
	case first == nil:
		return Edit{Start: lineStart(src, ifs.Start), End: lineEnd(src, ifs.End-1)}, ""
	case first.Kind == "elif_clause":
		return Edit{Start: ifs.Start, End: first.Start + len("elif"), New: "if"}, ""
	case first.Kind == "else_clause":
		body := first.ChildByField("body")
		if body == nil || body.Line == first.Line {
			return Edit{}, "the else branch is on one line with its colon"
		}
		return Edit{Start: lineStart(src, ifs.Start), End: lineEnd(src, ifs.End-1),
			New: reindent(src, body, indentOf(src, ifs.Start))}, ""
	}
	return Edit{}, "unexpected if statement shape"
}

// fixOptionalSignature makes the signature check that runs only when the
// token has a signature run always: `if signature: check` becomes `check`.
func fixOptionalSignature(s *site) (*attempt, string) {
	for _, ifs := range s.onLine("if_statement") {
		if ifs.Line != s.line {
			continue
		}
		for _, c := range ifs.Children() {
			if c.Field() == "alternative" {
				return nil, "the optional signature check has an else branch; what it should become needs a person"
			}
		}
		body := ifs.ChildByField("consequence")
		if body == nil || body.Line == ifs.Line {
			return nil, "the if statement's body is on its own line"
		}
		e := Edit{Start: lineStart(s.src(), ifs.Start), End: lineEnd(s.src(), ifs.End-1),
			New: reindent(s.src(), body, indentOf(s.src(), ifs.Start))}
		return &attempt{edits: []Edit{e}, what: "the signature check runs for every token, with or without a signature segment"}, ""
	}
	return nil, "no if statement on " + s.f.Location.String()
}

// reindent returns the whole lines of a block moved to indent.
func reindent(src []byte, block *python.Node, indent string) string {
	text := string(src[lineStart(src, block.Start):lineEnd(src, block.End-1)])
	old := indentOf(src, block.Start)
	var b strings.Builder
	for _, l := range splitLines(text) {
		if strings.HasPrefix(l, old) {
			l = indent + l[len(old):]
		}
		b.WriteString(l)
	}
	return b.String()
}

// fixEmptyKey keeps empty keys out of a decode that tries several keys in
// a loop: `for key in KEYS:` becomes `for key in [k for k in KEYS if k]:`.
func fixEmptyKey(s *site) (*attempt, string) {
	for _, call := range s.onLine("call") {
		if !isDecode(callName(call)) {
			continue
		}
		pos := positional(call)
		if len(pos) < 2 || pos[1].Kind != "identifier" {
			return nil, "the decode's key is not a plain name"
		}
		key := pos[1].Text()
		loop := call.Ancestor("for_statement")
		if loop == nil || loop.ChildByField("left").Text() != key {
			return nil, "the key is not the variable of a loop over keys; where the empty key comes from needs a person"
		}
		over := loop.ChildByField("right")
		v := "k"
		if key == v {
			v = "candidate"
		}
		text := "[" + v + " for " + v + " in " + over.Text() + " if " + v + "]"
		return &attempt{edits: []Edit{{Start: over.Start, End: over.End, New: text}}, what: "empty keys left out of the keys tried"}, ""
	}
	return nil, "no jwt.decode call on " + s.f.Location.String()
}

// fixMixedBranch removes the branch of a hand-written verifier that takes
// an HMAC algorithm while another branch of the same if-chain takes the
// public-key family: the HMAC branch is the one keyed with the public key.
func fixMixedBranch(s *site) (*attempt, string) {
	for _, n := range s.onLine("elif_clause", "if_statement") {
		cond := n.ChildByField("condition")
		if cond == nil || cond.Line != s.line {
			continue
		}
		alg := comparedAlg(cond)
		if family(alg) != "HS" {
			continue
		}
		chain := n
		if n.Kind == "elif_clause" {
			chain = n.Parent
		}
		other := false
		for _, c := range append([]*python.Node{chain}, chain.Children()...) {
			if c.Kind != "if_statement" && c.Kind != "elif_clause" {
				continue
			}
			if f := family(comparedAlg(c.ChildByField("condition"))); f == "RS" || f == "ES" {
				other = true
			}
		}
		if !other {
			return nil, "the verifier has no public-key branch; which family the issuer uses needs a person"
		}
		if n.Kind == "if_statement" {
			e, why := dropBranch(s.src(), n)
			if why != "" {
				return nil, why
			}
			return &attempt{edits: []Edit{e}, what: alg + " branch removed: the verifier takes its public-key algorithm only"}, ""
		}
		end := lineEnd(s.src(), n.End-1)
		return &attempt{edits: []Edit{{Start: lineStart(s.src(), n.Start), End: end}},
			what: alg + " branch removed: the verifier takes its public-key algorithm only"}, ""
	}
	return nil, "no branch comparing alg to an HMAC algorithm on " + s.f.Location.String()
}

// comparedAlg returns the algorithm string a condition compares to with ==.
func comparedAlg(cond *python.Node) string {
	if cond == nil || cond.Kind != "comparison_operator" || !cond.HasChildKind("==") {
		return ""
	}
	for _, c := range cond.NamedChildren() {
		if v, ok := c.StringValue(); ok {
			return v
		}
	}
	return ""
}
