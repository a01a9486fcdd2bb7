package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// How the code sets a value that names the caller: a cookie it builds as
// base64 JSON, a dict of the server's own values the request body is
// merged over.

// encodedCookie: n sets a cookie to base64-encoded JSON of a dict literal
// whose first key names a principal (vulpy: response.set_cookie(
// 'vulpy_session', base64.b64encode(json.dumps({'username': username})
// .encode()))), directly or through a name assigned in the same function.
func encodedCookie(n *python.Node) (name, field string, ok bool) {
	d := n.ChildByField("function").DottedName()
	if !strings.HasSuffix(d, ".set_cookie") {
		return "", "", false
	}
	args := n.ChildByField("arguments")
	if args == nil || len(args.NamedChildren()) < 2 {
		return "", "", false
	}
	name, ok = args.NamedChildren()[0].StringValue()
	if !ok {
		return "", "", false
	}
	val := args.NamedChildren()[1]
	if val.Kind == "identifier" {
		if fn := n.Ancestor("function_definition"); fn != nil {
			fn.Walk(func(c *python.Node) bool {
				if c.Kind == "assignment" && c.Start < n.Start {
					if l := c.ChildByField("left"); l != nil && l.Text() == val.Text() {
						val = c.ChildByField("right")
					}
				}
				return true
			})
		}
	}
	if val == nil || !strings.Contains(val.Text(), "b64encode") || !strings.Contains(val.Text(), "json.dumps") {
		return "", "", false
	}
	val.Walk(func(c *python.Node) bool {
		if field != "" {
			return false
		}
		if c.Kind == "dictionary" {
			for _, pair := range c.NamedChildren() {
				if k, ok := pair.ChildByField("key").StringValue(); ok && pair.Kind == "pair" {
					field = k
					break
				}
			}
		}
		return true
	})
	return name, field, field != ""
}

// mergedOver: n merges the request's JSON body over a dict the function
// built itself (data = {"username": caller}; data.update(request.get_json())):
// the dict's literal keys that name a principal are values the server set
// that the body overrides (vulpy's POST /api/post).
func mergedOver(n *python.Node) []string {
	fn := n.ChildByField("function")
	if fn == nil || fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "update" {
		return nil
	}
	obj := fn.ChildByField("object").Unparen()
	args := n.ChildByField("arguments")
	if obj.Kind != "identifier" || args == nil || len(args.NamedChildren()) != 1 {
		return nil
	}
	arg := args.NamedChildren()[0].Unparen()
	if arg.Kind == "boolean_operator" {
		arg = arg.ChildByField("left").Unparen()
	}
	if !jsonRoot(arg) {
		return nil
	}
	def := n.Ancestor("function_definition")
	if def == nil {
		return nil
	}
	var keys []string
	def.Walk(func(c *python.Node) bool {
		if c.Kind != "assignment" || c.Start > n.Start {
			return true
		}
		l, r := c.ChildByField("left"), c.ChildByField("right")
		if l == nil || r == nil || l.Text() != obj.Text() || r.Unparen().Kind != "dictionary" {
			return true
		}
		keys = keys[:0]
		for _, pair := range r.Unparen().NamedChildren() {
			if k, ok := pair.ChildByField("key").StringValue(); ok && pair.Kind == "pair" && identityKey(k) {
				keys = append(keys, k)
			}
		}
		return true
	})
	return keys
}

// identityKey: a field that says who a principal is (user, username,
// user_id, owner, author...).
func identityKey(k string) bool {
	l := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(k))
	for _, w := range []string{"user", "owner", "author", "uid", "login", "email", "account", "creator", "member"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return l == "sub" || l == "by" || strings.HasSuffix(l, "by")
}
