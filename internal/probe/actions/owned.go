package actions

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	ownership "github.com/authprobe/authprobe/internal/probe/principal"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// ownedIDs maps a normalised id name ("customerid", "id") to the values an
// identity was served under it, in the order first seen.
type ownedIDs map[string][]string

func (o ownedIDs) add(name, v string) {
	for _, have := range o[name] {
		if have == v {
			return
		}
	}
	if len(o[name]) < 20 {
		o[name] = append(o[name], v)
	}
}

// harvest collects, per identity, the ids in its own served GET answers
// (the auth matrix), whatever the field is called: "id" in an object
// listed under "customers" counts as a customer id too.
func harvest(p *probe.Pass) map[string]ownedIDs {
	out := map[string]ownedIDs{}
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet {
			continue
		}
		for _, c := range p.Matrix(ep) {
			if c.Variant != slots.CellIdentity || c.Identity == "" || c.Outcome == nil || !oracle.Served(c.Outcome.Sample) {
				continue
			}
			var doc any
			if json.Unmarshal(c.Outcome.Sample.Body, &doc) != nil {
				continue
			}
			if out[c.Identity] == nil {
				out[c.Identity] = ownedIDs{}
			}
			walk(out[c.Identity], doc, "", 0)
		}
	}
	return out
}

func walk(o ownedIDs, v any, container string, depth int) {
	if depth > 8 {
		return
	}
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n := norm(k)
			if s, ok := scalar(t[k]); ok && idName(n) {
				o.add(n, s)
				if n == "id" && container != "" {
					o.add(norm(singular(container))+"id", s)
				}
				continue
			}
			walk(o, t[k], k, depth+1)
		}
	case []any:
		for _, e := range t {
			walk(o, e, container, depth+1)
		}
	}
}

func idName(n string) bool { return n == "id" || strings.HasSuffix(n, "id") && len(n) <= 32 }

func scalar(v any) (string, bool) {
	switch t := v.(type) {
	case float64:
		if t == float64(int64(t)) {
			return fmt.Sprint(int64(t)), true
		}
	case string:
		if t != "" && len(t) <= 64 && !strings.ContainsAny(t, " /?#") {
			return t, true
		}
	}
	return "", false
}

// candidates are the values an identity owns under a parameter or field
// name: the same name, or for a short name (tid, cid) the one id family
// whose name starts with its letters (transferid, customerid).
func (o ownedIDs) candidates(name string) []string {
	n := norm(name)
	if vs := o[n]; len(vs) > 0 && n != "id" {
		return vs
	}
	if prefix, ok := strings.CutSuffix(n, "id"); ok && prefix != "" && len(prefix) <= 2 {
		var match string
		for k := range o {
			if k != "id" && k != n && strings.HasPrefix(k, prefix) {
				if match != "" && match != k {
					return nil // ambiguous
				}
				match = k
			}
		}
		if match != "" {
			return o[match]
		}
	}
	return o[n]
}

// exclusive are the values of name that owner has and no other identity.
func exclusive(all map[string]ownedIDs, owner, name string) []string {
	var out []string
	for _, v := range all[owner].candidates(name) {
		mine := true
		for who, o := range all {
			if who == owner {
				continue
			}
			for _, w := range o.candidates(name) {
				if w == v {
					mine = false
				}
			}
		}
		if mine {
			out = append(out, v)
		}
	}
	return out
}

// slot is where an action names an object: a path parameter or a body
// field.
type slot struct {
	name   string
	inPath bool
}

// slots are the endpoint's path parameters and its body's id fields.
func idSlots(ep *inventory.Endpoint, body map[string]any) []slot {
	var out []slot
	for _, prm := range ep.Params {
		if prm.In == "path" {
			out = append(out, slot{name: prm.Name, inPath: true})
		}
	}
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if idName(norm(k)) {
			out = append(out, slot{name: k})
		}
	}
	return out
}

// fill builds the request URL and body: every id slot gets a value the
// identity owns where one is known (else the example), and override sets
// one slot to a given value.
func fill(p *probe.Pass, ep *inventory.Endpoint, body map[string]any, own ownedIDs, override map[string]string) (string, map[string]any) {
	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	var b map[string]any
	if body != nil {
		b = map[string]any{}
		for k, v := range body {
			b[k] = v
		}
	}
	for _, s := range idSlots(ep, body) {
		v, ok := override[s.name]
		if !ok {
			if vs := own.candidates(s.name); len(vs) > 0 {
				v, ok = vs[0], true
			}
		}
		if !ok {
			continue
		}
		if s.inPath {
			for i := range cp.Params {
				if cp.Params[i].In == "path" && cp.Params[i].Name == s.name {
					cp.Params[i].Example = url.PathEscape(v)
				}
			}
			continue
		}
		b[s.name] = typed(body[s.name], v)
	}
	return p.URL(&cp), b
}

// typed keeps a body field's JSON type: a number stays a number.
func typed(like any, v string) any {
	if _, isNum := like.(float64); isNum || isInt(like) {
		var n json.Number = json.Number(v)
		if i, err := n.Int64(); err == nil {
			return i
		}
	}
	return v
}

func isInt(v any) bool {
	switch v.(type) {
	case int, int64, int32, uint64:
		return true
	}
	return false
}

// bogus is an id shaped like v that nobody owns.
func bogus(v string) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	if strings.Trim(v, "0123456789") == "" {
		return "9" + strings.Repeat("0", len(v)+2) + fmt.Sprint(int(b[0])%90+10)
	}
	return "authprobe-missing-" + hex.EncodeToString(b)
}

// norm is principal.Norm: order_id, orderId and order-id are all "orderid".
var norm = ownership.Norm

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
