package rules

// Pagination cursors. A value named page_token or cursor travels in the
// query string by design: the server hands it out in one response (the
// API's nextPageToken) for the client to send back to get the next page.
// It names a position, not a caller. The round trip is observed: the
// function that passes the value as a call's keyword (pageToken=) also
// reads the answer's next-or-previous value of the same name
// (response.get("nextPageToken"), page["next_cursor"]).

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// cursorRoundTrip returns the string naming the next (or previous) value
// of the keyword kw in the function around call c, or nil.
func cursorRoundTrip(c *python.Node, kw string) *python.Node {
	fn := c.Ancestor("function_definition")
	if fn == nil {
		return nil
	}
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	k := norm(kw)
	var at *python.Node
	fn.Walk(func(x *python.Node) bool {
		if at != nil {
			return false
		}
		if x.Kind != "string" || x.Parent == nil {
			return true
		}
		s, ok := x.StringValue()
		if !ok {
			return true
		}
		n := norm(s)
		for _, pre := range []string{"next", "prev", "previous"} {
			if n == pre+k && readKey(x) {
				at = x
			}
		}
		return true
	})
	return at
}

// readKey: the string is a key read from a value (x["k"], x.get("k")).
func readKey(s *python.Node) bool {
	p := s.Parent
	if p.Kind == "subscript" && s.Field() == "subscript" {
		return true
	}
	if p.Kind == "argument_list" && p.Parent != nil && p.Parent.Kind == "call" {
		f := p.Parent.ChildByField("function")
		return f.Kind == "attribute" && f.ChildByField("attribute").Text() == "get"
	}
	return false
}
