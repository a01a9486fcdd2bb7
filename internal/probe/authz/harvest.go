package authz

import (
	"encoding/json"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
)

// maxIDs bounds the ids kept per identity and parameter.
const maxIDs = 20

// idParam is the path parameter a BOLA probe fills, with what names its
// values in response bodies.
type idParam struct {
	param inventory.Param
	// resource is the literal path segment before the parameter
	// ("orders" in /api/orders/{order_id}).
	resource string
	// collection is the path before the parameter (/api/orders): its
	// answer lists the objects.
	collection string
	// typed: the parameter's type was declared (spec, Flask converter),
	// not guessed from its name.
	typed bool
}

// lastPathParam returns the endpoint's last path parameter, which names
// the object.
func lastPathParam(ep *inventory.Endpoint) (idParam, bool) {
	segs := strings.Split(ep.Path, "/")
	for i := len(segs) - 1; i > 0; i-- {
		s := segs[i]
		if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
			continue
		}
		name := s[1 : len(s)-1]
		for _, prm := range ep.Params {
			if prm.In == "path" && prm.Name == name {
				res := ""
				if i > 0 && !strings.Contains(segs[i-1], "{") {
					res = resourceOf(segs[i-1])
				}
				typed := slices.Contains(ep.Sources, inventory.SourceSpec) || slices.Contains(ep.Sources, inventory.SourceCode)
				return idParam{param: prm, resource: res, collection: strings.Join(segs[:i], "/"), typed: typed}, true
			}
		}
		return idParam{}, false
	}
	return idParam{}, false
}

// rpcVerbs are the verbs an RPC-style segment starts with
// (get_customer_v1, listOrders): a hint that picks the resource's name out
// of the segment, so that its containers ("customers": [...]) are read as
// its listings like any REST collection's.
var rpcVerbs = []string{"get", "list", "read", "fetch", "show", "view", "find", "load", "retrieve", "describe", "search", "query"}

var versionSuffix = regexp.MustCompile(`(?i)[_-]?v[0-9]+$`)

// resourceOf names the resource of a path segment: the segment itself for
// REST (orders), the noun of an RPC-style one without its verb and version
// (get_customer_v1 and getCustomer are customer).
func resourceOf(seg string) string {
	s := versionSuffix.ReplaceAllString(seg, "")
	if s == "" {
		return seg
	}
	for _, v := range rpcVerbs {
		if len(s) <= len(v)+1 || !strings.EqualFold(s[:len(v)], v) {
			continue
		}
		next := s[len(v)]
		switch {
		case next == '_' || next == '-':
			return s[len(v)+1:]
		case next >= 'A' && next <= 'Z':
			return s[len(v):]
		}
	}
	return s
}

// norm is principal.Norm: order_id, orderId and order-id are all "orderid".
var norm = principal.Norm

func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "ses"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s"):
		return s[:len(s)-1]
	}
	return s
}

// names reports whether a JSON member named key, inside a container named
// container, holds this parameter's values. Only the resource's own
// listings count as evidence of ownership — the collection's answer, or a
// container named after the resource ("orders": [...]); the same id
// referenced from another resource (a favourite, a shipment) proves
// nothing about who owns it.
func (ip idParam) names(key, container string, fromCollection bool) bool {
	res := norm(ip.resource)
	ofResource := res != "" && (norm(container) == res || singular(norm(container)) == singular(res))
	if !fromCollection && !ofResource {
		return false
	}
	k, pn := norm(key), norm(ip.param.Name)
	return k == "id" || k == pn || (res != "" && k == singular(res)+"id")
}

var safeValue = regexp.MustCompile(`^[A-Za-z0-9._~-]{1,64}$`)

// value renders a JSON scalar as a path value of the parameter's type.
func (ip idParam) value(v any) (string, bool) {
	var s string
	switch t := v.(type) {
	case float64:
		if t != float64(int64(t)) {
			return "", false
		}
		s = strconv.FormatInt(int64(t), 10)
	case string:
		s = t
		if ip.typed && ip.param.Type == "integer" {
			if _, err := strconv.ParseInt(s, 10, 64); err != nil {
				return "", false
			}
		}
	default:
		return "", false
	}
	return s, safeValue.MatchString(s)
}

// harvest collects the parameter's values from one response body.
func (ip idParam) harvest(body []byte, fromCollection bool, into *[]string) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return
	}
	seen := map[string]bool{}
	for _, s := range *into {
		seen[s] = true
	}
	var walk func(v any, container string, depth int)
	walk = func(v any, container string, depth int) {
		if depth > 8 || len(*into) >= maxIDs {
			return
		}
		switch t := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(t)) {
				if s, ok := ip.value(t[k]); ok && ip.names(k, container, fromCollection) {
					if !seen[s] {
						seen[s] = true
						*into = append(*into, s)
					}
					continue
				}
				walk(t[k], k, depth+1)
			}
		case []any:
			for _, item := range t {
				walk(item, container, depth+1)
			}
		}
	}
	walk(v, "", 0)
}
