package accounts

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// target is a write endpoint whose object is one account the scan made:
// its own profile (PUT /user beside a GET /user that answers the account's
// record), or a path its parameters fill with the account's own values
// (PUT /users/{username}/password), confirmed by the GET of that path when
// the API has one. Nothing else is ever written to.
type target struct {
	ep *inventory.Endpoint // parameters filled
	// read is the GET that answers the account's record (filled), nil
	// when the API has none for the path.
	read *inventory.Endpoint
	// byCreds: the path names no one; the credential says whose it is.
	byCreds bool
}

// generic parameter names say nothing of what they address: a value is
// put there only when the GET of the path shows the account's record.
var generic = map[string]bool{"id": true, "pk": true, "uid": true, "user": true, "key": true, "name": true}

// matches: a value learnt from field key may fill parameter param
// (username → {username}, id → {user_id}, id → {id}).
func matches(param, key string) bool {
	n := principal.Norm(param)
	if key == "" {
		return false
	}
	return n == key || n == "user"+key || key == "user"+n || key == n+"name" || key == n+"id" ||
		generic[n] && (key == "id" || key == "userid" || key == "uid" || key == "sub")
}

// pathParams lists the {names} of a path.
func pathParams(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, seg[1:len(seg)-1])
		}
	}
	return out
}

// withParam copies ep with its path (or query) parameter name set to v.
func withParam(ep *inventory.Endpoint, name, v string) *inventory.Endpoint {
	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	found := false
	for i := range cp.Params {
		if cp.Params[i].Name == name {
			cp.Params[i].Example, cp.Params[i].Required, found = v, true, true
		}
	}
	if !found {
		cp.Params = append(cp.Params, inventory.Param{Name: name, In: "path", Example: v, Required: true})
	}
	return &cp
}

// readOf is the GET that shows the object a write addresses: on the same
// path, else on the path cut after its last parameter (/users/{u} for
// /users/{u}/password).
func readOf(inv *inventory.Inventory, path string) *inventory.Endpoint {
	want := []string{path}
	if i := strings.LastIndex(path, "}"); i >= 0 && i+1 < len(path) {
		want = append(want, path[:i+1])
	}
	for _, w := range want {
		for i := range inv.Endpoints {
			if ep := &inv.Endpoints[i]; ep.Method == http.MethodGet && ep.Path == w {
				return ep
			}
		}
	}
	return nil
}

// names: the answer holds the account's registered user name or e-mail
// (fresh values no one else has; a first name filled with the user name
// counts too).
func names(body []byte, acc *Account) bool {
	low := strings.ToLower(string(body))
	for _, v := range acc.known() {
		if strings.Contains(low, strings.ToLower(v)) {
			return true
		}
	}
	return false
}

// known are the account's own fresh values: what it logs in with, and
// what it was registered with.
func (acc *Account) known() []string {
	var out []string
	for _, v := range append([]string{acc.User}, acc.names...) {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// record is the JSON object of an answer that holds the account's user
// value: its profile, inside whatever envelope.
func record(body []byte, acc *Account) map[string]any {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var found map[string]any
	var walk func(any, int)
	walk = func(v any, d int) {
		if found != nil || d > 6 {
			return
		}
		switch t := v.(type) {
		case map[string]any:
			for _, x := range t {
				s, ok := x.(string)
				for _, v := range acc.known() {
					if ok && strings.EqualFold(s, v) {
						found = t
						return
					}
				}
			}
			for _, x := range t {
				walk(x, d+1)
			}
		case []any:
			for _, x := range t {
				walk(x, d+1)
			}
		}
	}
	walk(v, 0)
	return found
}

// get sends a GET of ep as creds.
func get(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, creds identity.Creds) *probe.Outcome {
	return p.Send(ctx, ep, &httpx.Request{Method: http.MethodGet, URL: p.URL(ep), Header: http.Header{}}, creds, nil)
}

// targetsOf lists the write endpoints (methods) whose object is acc, and
// for the others with path parameters why they are not its.
func targetsOf(ctx context.Context, p *probe.Pass, acc *Account, self *principal.Self, creds identity.Creds, methods ...string) ([]target, map[string]string) {
	inv := p.Inventory()
	want := map[string]bool{}
	for _, m := range methods {
		want[m] = true
	}
	reg := ""
	if res := From(p.Env); res != nil && res.Registrar != nil {
		reg = res.Registrar.Method + " " + res.Registrar.Path
	}
	var out []target
	skipped := map[string]string{}
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if !want[ep.Method] || ep.Key() == reg || ctx.Err() != nil || flow(p, ep) {
			continue
		}
		params := pathParams(ep.Path)
		if len(params) == 0 {
			if ep.Method == http.MethodPost {
				continue // a create, the write phase's
			}
			read := readOf(inv, ep.Path)
			if read == nil {
				continue
			}
			if o := get(ctx, p, read, creds); oracle.Served(o.Sample) && names(o.Sample.Body, acc) {
				out = append(out, target{ep: ep, read: read, byCreds: true})
			}
			continue
		}
		t, why := address(ctx, p, ep, params, acc, self, creds)
		if why != "" {
			skipped[ep.Key()] = why
			continue
		}
		out = append(out, t)
	}
	return out, skipped
}

// address fills ep's parameters with acc's values and confirms, when the
// API has a GET of the path, that it answers acc's record.
func address(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, params []string, acc *Account, self *principal.Self, creds identity.Creds) (target, string) {
	filled, vague := ep, false
	for _, name := range params {
		v := ""
		for _, x := range self.IDs() {
			if matches(name, self.Key(x)) {
				v = x
				break
			}
		}
		if v == "" {
			return target{}, "no value of an account the scan made fills {" + name + "}"
		}
		vague = vague || generic[principal.Norm(name)]
		filled = withParam(filled, name, v)
	}
	read := readOf(p.Inventory(), ep.Path)
	if read == nil {
		if vague {
			return target{}, "a generic parameter and no GET of the path to show whose object it is"
		}
		return target{ep: filled}, ""
	}
	for _, name := range pathParams(read.Path) {
		for _, prm := range filled.Params {
			if prm.Name == name {
				read = withParam(read, name, prm.Example)
			}
		}
	}
	if o := get(ctx, p, read, creds); !oracle.Served(o.Sample) || !names(o.Sample.Body, acc) {
		return target{}, "the GET of the path filled with an account's values does not answer that account"
	}
	return target{ep: filled, read: read}, ""
}

// flow: a lifecycle request other than a password change (logout,
// refresh, reset, registration): not a write on the account's record.
func flow(p *probe.Pass, ep *inventory.Endpoint) bool {
	role := p.Settings().Flows.Hints[ep.Key()]
	if role == "" {
		role = probe.RoleOf(ep.Path)
	}
	return role != "" && role != probe.RolePasswordChange
}

// bodyOf is the body a write endpoint takes: the config's, the handler's
// (--source), the spec's.
func bodyOf(p *probe.Pass, ep *inventory.Endpoint) (map[string]any, bool) {
	if b, ok := p.Settings().Bodies[ep.Key()].(map[string]any); ok {
		return clone(b), true
	}
	if b, ok := p.Settings().SourceBodies[ep.Key()]; ok && b.Value != nil && !b.Form {
		return clone(b.Value), true
	}
	if b, ok := p.Inventory().Bodies[ep.Key()]; ok {
		if m, ok := b.Value.(map[string]any); ok {
			return clone(m), true
		}
	}
	return nil, false
}

func clone(m map[string]any) map[string]any {
	raw, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// jsonWrite is a JSON write request of body to ep's URL.
func jsonWrite(p *probe.Pass, ep *inventory.Endpoint, body map[string]any) *httpx.Request {
	h := http.Header{}
	req := &httpx.Request{Method: ep.Method, URL: p.URL(ep), Header: h}
	if body != nil {
		raw, _ := json.Marshal(body)
		h.Set("Content-Type", "application/json")
		req.Body = raw
	}
	return req
}

// PlanLines are the --dry-run steps of the accounts (what a scan with
// --allow-writes would send; nothing is sent): the registrations, then
// the writes on the accounts' own records, then their deletion.
func PlanLines(inv *inventory.Inventory, flows probe.Flows) []string {
	out := []string{
		"accounts: the registration (spec, source or common paths, each confirmed by a validation refusal of an empty JSON body) registers account-1, account-2 and account-privileged (privileged fields), then account-1's name again (enumeration)",
	}
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		switch ep.Method {
		case http.MethodPut, http.MethodPatch, http.MethodDelete:
		case http.MethodPost:
			if !strings.Contains(ep.Path, "{") {
				continue
			}
		default:
			continue
		}
		role := flows.Hints[ep.Key()]
		if role == "" {
			role = probe.RoleOf(ep.Path)
		}
		if role != "" && role != probe.RolePasswordChange {
			continue
		}
		out = append(out, ep.Key()+": if it writes an account's own record (its path filled with the account's values, confirmed by the path's GET; or beside a GET answering the account's profile): as another account the scan made on account-2 (read back), as account-1 on itself with fields its record shows (read back); a DELETE last")
	}
	return append(out, "accounts: each account deleted at the end through a DELETE of its own record, as itself, else as an identity with role: admin or the privileged account once its fields are proven to take")
}
