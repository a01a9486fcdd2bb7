package accounts

import (
	"context"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/slots"
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
	return principal.FirstObject(body, func(m map[string]any) bool {
		for _, x := range m {
			s, ok := x.(string)
			if !ok {
				continue
			}
			for _, v := range acc.known() {
				if strings.EqualFold(s, v) {
					return true
				}
			}
		}
		return false
	})
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
	// profile is the account's own record without a path to it (GET /me):
	// the read-back of a write whose path has no GET of its own.
	var prof *inventory.Endpoint
	looked := false
	profile := func() *inventory.Endpoint {
		if !looked {
			looked = true
			prof = profileOf(ctx, p, acc, creds)
		}
		return prof
	}
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
		if t.read == nil {
			t.read = profile()
		}
		out = append(out, t)
	}
	return out, skipped
}

// profileOf is the first GET without parameters whose answer to the
// account, as the scan's matrix holds it, is the account's record.
func profileOf(ctx context.Context, p *probe.Pass, acc *Account, creds identity.Creds) *inventory.Endpoint {
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") || ctx.Err() != nil {
			continue
		}
		// The matrix already holds the account's answer (an account that
		// joined the scan): nothing to send.
		for _, c := range p.Matrix(ep) {
			if c.Variant == slots.CellIdentity && c.Identity == acc.Name && c.Outcome != nil &&
				oracle.Served(c.Outcome.Sample) && record(c.Outcome.Sample.Body, acc) != nil {
				return ep
			}
		}
	}
	return nil
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
			v = shownBy(ctx, p, ep, name, acc, self, creds)
		}
		if v == "" {
			v = ownRecordField(acc, name)
		}
		if v == "" {
			return target{}, "no value of an account the scan made fills {" + name + "}"
		}
		// acc is an account the scan made: the write guard lets a
		// request naming its value (a member number) be sent, in the
		// collection the placeholder is in.
		where := ep.Path
		if i := strings.Index(where, "{"+name+"}"); i >= 0 {
			where = where[:i]
		}
		probe.MadeIn(p.Env, where, v)
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
	role := p.Settings().Flows.Role(ep)
	return role != "" && role != probe.RolePasswordChange
}

// maxTried bounds the account's values tried on a parameter no value is
// named for.
const maxTried = 4

// shownBy is the account's value (a token's public_id for {user_id}) that
// fills parameter name when no value is named like it: the one the GET of
// the path, filled with it, answers with the account's record (a JSON
// object holding its fresh user name, not an echo of the value). "" when the
// API has no such GET or none does.
func shownBy(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, name string, acc *Account, self *principal.Self, creds identity.Creds) string {
	read := readOf(p.Inventory(), ep.Path)
	if read == nil || len(pathParams(ep.Path)) != 1 {
		return ""
	}
	for i, x := range self.IDs() {
		if i >= maxTried || ctx.Err() != nil {
			break
		}
		if o := get(ctx, p, withParam(read, name, x), creds); oracle.Served(o.Sample) && record(o.Sample.Body, acc) != nil {
			return x
		}
	}
	return ""
}
