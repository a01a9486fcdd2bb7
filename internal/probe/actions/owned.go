package actions

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	ownership "github.com/authprobe/authprobe/internal/probe/principal"

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
// listed under "customers" counts as a customer id too. An id that a
// request without credentials was served too is nobody's own (a public
// listing of the API's seeded records): it is left out, so that no write
// addresses a record that is neither an identity's nor the scan's —
// unless it is one of the identity's own values (its user id from its
// token or login: an open read of its own record shows it to anyone).
func harvest(ctx context.Context, p *probe.Pass) map[string]ownedIDs {
	out := map[string]ownedIDs{}
	public := ownedIDs{}
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet {
			continue
		}
		for _, c := range p.Matrix(ep) {
			if c.Identity != "" || c.Outcome == nil || !oracle.Served(c.Outcome.Sample) || c.Verdict() == oracle.Rejected {
				continue
			}
			var doc any
			if json.Unmarshal(c.Outcome.Sample.Body, &doc) == nil {
				walk(public, doc, "", 0)
			}
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
	mine := ownedBy(ctx, p)
	for name, o := range out {
		o.drop(public, mine[name])
	}
	// The identity's own principal ids (its token's sub, its login
	// path's user id) fill a placeholder that names a principal
	// ({user_id}): its own record, whoever else can read it.
	for _, self := range ownership.Selves(ctx, p) {
		for _, v := range self.IDs() {
			if out[self.Name] == nil {
				out[self.Name] = ownedIDs{}
			}
			out[self.Name].add(selfKey+self.Key(v), v)
		}
	}
	return out
}

// selfKey prefixes the names of an identity's own principal ids in
// ownedIDs.
const selfKey = "\x00self:"

// ownedBy collects, per identity, the id values of the objects its served
// GET answers hold that the ownership model says are its own (an owner
// field holding one of its values: {"id": 1, "username": "atlas"} is
// atlas's, whoever else was served it).
func ownedBy(ctx context.Context, p *probe.Pass) map[string]map[string]bool {
	selves := ownership.Selves(ctx, p)
	out := map[string]map[string]bool{}
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet {
			continue
		}
		for _, c := range p.Matrix(ep) {
			if c.Variant != slots.CellIdentity || c.Identity == "" || c.Outcome == nil || !oracle.Served(c.Outcome.Sample) {
				continue
			}
			self := ownership.Named(selves, c.Identity)
			for _, o := range ownership.Objects(c.Outcome.Sample.Body) {
				if self == nil || whose(o, selves) != self {
					continue
				}
				for k, v := range o.Fields {
					if str, ok := scalar(v); ok && idName(norm(k)) {
						if out[c.Identity] == nil {
							out[c.Identity] = map[string]bool{}
						}
						out[c.Identity][str] = true
					}
				}
			}
		}
	}
	return out
}

// whose is the one self any of o's fields other than its ids names (its
// user name, e-mail or token subject), nil when none or several do.
func whose(o ownership.Object, selves []*ownership.Self) *ownership.Self {
	var found *ownership.Self
	for k, v := range o.Fields {
		if idName(norm(k)) && norm(k) != "userid" {
			continue
		}
		for _, s := range selves {
			if s.Has(v) {
				if found != nil && found != s {
					return nil
				}
				found = s
			}
		}
	}
	return found
}

// drop removes the values other holds under the same name, but for the
// identity's own (mine).
func (o ownedIDs) drop(other ownedIDs, mine map[string]bool) {
	for n, vs := range o {
		kept := vs[:0]
		for _, v := range vs {
			if !slices.Contains(other[n], v) || mine[v] {
				kept = append(kept, v)
			}
		}
		if len(kept) == 0 {
			delete(o, n)
		} else {
			o[n] = kept
		}
	}
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
	if vs := o[n]; len(vs) > 0 {
		return vs
	}
	var self []string
	for k, vs := range o {
		if key, ok := strings.CutPrefix(k, selfKey); ok && ownership.Fills(n, key) {
			self = append(self, vs...)
		}
	}
	sort.Strings(self)
	return self
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
// identity owns where one is known, and override sets one slot to a given
// value. A path parameter nobody's own value fills gets an id nobody has
// (bogus), never the example: the example names one of the API's own
// records (a seeded cafe 0), which no probe may change; the answer still
// tells a refusal from "no such record". Effects are proven on the scan's
// own records only (proveUpdate).
func fill(p *probe.Pass, ep *inventory.Endpoint, body map[string]any, own ownedIDs, override map[string]string) (string, map[string]any) {
	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	for _, q := range queryParams(p, ep) {
		if vs := own.candidates(q.Name); len(vs) > 0 && idName(norm(q.Name)) {
			q.Example = vs[0]
		}
		if v, ok := override[q.Name]; ok {
			q.Example = v
		}
		cp.Params = append(cp.Params, q)
	}
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
		if !ok && s.inPath {
			v, ok = madeUp(p, exampleOf(p, ep, s.name)), true
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

// madeUp is bogus(v), told to the scan's write guard: a write naming it
// changes nothing anyone has.
func madeUp(p *probe.Pass, v string) string {
	b := bogus(v)
	probe.Made(p.Env, b)
	return b
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

// exampleOf is the value the scan would put in ep's path parameter name
// (a harvested id, else the parameter's example), for the shape of an id
// nobody has: numeric where the API's ids are.
func exampleOf(p *probe.Pass, ep *inventory.Endpoint, name string) string {
	tmpl := strings.Split(strings.Trim(ep.Path, "/"), "/")
	got := strings.Split(strings.Trim(pathOf(p.URL(ep)), "/"), "/")
	if len(tmpl) == len(got) {
		for i, seg := range tmpl {
			if seg == "{"+name+"}" {
				if v, err := url.PathUnescape(got[i]); err == nil && v != "" {
					return v
				}
			}
		}
	}
	for _, prm := range ep.Params {
		if prm.In == "path" && prm.Name == name && prm.Example != "" {
			return prm.Example
		}
	}
	return "1"
}
