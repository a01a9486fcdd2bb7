package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixQuerySource stops reading a credential from the query string:
// flask-jwt-extended's JWT_TOKEN_LOCATION loses "query_string"; a
// hand-written `header() or request.args.get(...)` keeps its other source;
// `if x is None: x = request.args.get(...)` goes.
func fixQuerySource(s *site) (*attempt, string) {
	if a, why := s.tokenLocation(); a != nil || why != "" {
		return a, why
	}
	for _, call := range s.onLine("call") {
		name := callName(call)
		if !strings.HasSuffix(name, "request.args.get") && !strings.HasSuffix(name, "request.values.get") && !strings.HasSuffix(name, "args.get") {
			continue
		}
		up := call.Parent
		for up != nil && up.Kind == "parenthesized_expression" {
			up = up.Parent
		}
		switch {
		case up != nil && up.Kind == "boolean_operator" && up.HasChildKind("or"):
			other := up.ChildByField("left")
			if other.Contains(call) {
				other = up.ChildByField("right")
			}
			if _, lit := other.StringValue(); lit || other.Kind == "none" || other.Kind == "integer" {
				return nil, "the query string is the only source of the credential here (the other operand is a constant); removing it needs a person"
			}
			return &attempt{edits: []Edit{{Start: up.Start, End: up.End, New: other.Text()}},
				what: "the query-string source removed; " + other.Text() + " stays"}, ""
		case up != nil && up.Kind == "assignment" && up.Parent.Kind == "expression_statement":
			block := up.Parent.Parent
			ifs := block.Parent
			if block.Kind == "block" && len(block.NamedChildren()) == 1 && ifs != nil && ifs.Kind == "if_statement" && !hasAlternative(ifs) {
				return &attempt{edits: []Edit{{Start: lineStart(s.src(), ifs.Start), End: lineEnd(s.src(), ifs.End-1)}},
					what: "the fallback to the query string removed"}, ""
			}
			return nil, "the query-string read is assigned outside a fallback branch; removing it needs a person"
		}
		return nil, "the query-string read is not a fallback (x or query) this fix can remove"
	}
	return nil, "no request.args read on " + s.f.Location.String()
}

// tokenLocation edits JWT_TOKEN_LOCATION on the cause line.
func (s *site) tokenLocation() (*attempt, string) {
	for _, as := range s.onLine("assignment", "keyword_argument") {
		var value *python.Node
		switch as.Kind {
		case "assignment":
			if configKey(as.ChildByField("left")) == "JWT_TOKEN_LOCATION" {
				value = as.ChildByField("right")
			}
		case "keyword_argument":
			if as.ChildByField("name").Text() == "JWT_TOKEN_LOCATION" {
				value = as.ChildByField("value")
			}
		}
		if value == nil {
			continue
		}
		if v, ok := value.StringValue(); ok && v == "query_string" {
			return &attempt{edits: []Edit{{Start: value.Start, End: value.End, New: `["headers"]`}},
				what: `JWT_TOKEN_LOCATION set to ["headers"]`}, ""
		}
		have := stringList(value)
		if have == nil {
			return nil, "JWT_TOKEN_LOCATION is not a literal list"
		}
		var keep []string
		for _, h := range have {
			if h != "query_string" {
				keep = append(keep, h)
			}
		}
		if len(keep) == len(have) {
			return nil, "JWT_TOKEN_LOCATION has no query_string entry"
		}
		if len(keep) == 0 {
			keep = []string{"headers"}
		}
		return &attempt{edits: []Edit{{Start: value.Start, End: value.End, New: pyList(keep)}},
			what: "query_string removed from JWT_TOKEN_LOCATION"}, ""
	}
	return nil, ""
}

func hasAlternative(ifs *python.Node) bool {
	for _, c := range ifs.Children() {
		if c.Field() == "alternative" {
			return true
		}
	}
	return false
}
