package lifecycle

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// flow is one resolved lifecycle request.
type flow struct {
	role     string
	method   string
	url      string // absolute
	json     map[string]any
	form     map[string]string
	token    string // dot path of a token in the answer
	endpoint *finding.Endpoint
}

// flows finds the request of a role: the config's, else an endpoint the
// source shows in that role, else one whose path says it. near ranks
// candidates by the length of the path they share with it (the logout
// next to the login of the identity that logs out).
func flowFor(p *probe.Pass, role, near string) *flow {
	f := p.Settings().Flows
	if r := configured(f, role); r != nil {
		u, err := p.Session().Resolve(r.URL)
		if err != nil {
			return nil
		}
		m := methodOr(r.Method, http.MethodPost)
		return &flow{role: role, method: m, url: u, json: r.JSON, form: r.Form, token: r.Token,
			endpoint: &finding.Endpoint{Method: m, Path: pathOf(r.URL)}}
	}
	var cands []*inventory.Endpoint
	for i := range p.Inventory().Endpoints {
		ep := &p.Inventory().Endpoints[i]
		if f.Role(ep) == role {
			cands = append(cands, ep)
		}
	}
	if len(cands) == 0 && role == probe.RolePasswordChange {
		cands = passwordUpdates(p.Inventory())
	}
	if len(cands) == 0 && role == probe.RoleLogout {
		cands = probe.LogoutsAtLogin(p.Inventory(), loginPaths(p))
	}
	if len(cands) == 0 {
		return nil
	}
	sort.SliceStable(cands, func(i, j int) bool {
		ci, cj := common(cands[i].Path, near), common(cands[j].Path, near)
		if ci != cj {
			return ci > cj
		}
		return methodRank(cands[i].Method) < methodRank(cands[j].Method)
	})
	return endpointFlow(p, role, cands[0])
}

// endpointFlow is the flow of role an inventory endpoint carries.
func endpointFlow(p *probe.Pass, role string, ep *inventory.Endpoint) *flow {
	fl := &flow{role: role, method: ep.Method, url: p.URL(ep),
		endpoint: &finding.Endpoint{Method: ep.Method, Path: ep.Path}}
	if role == probe.RolePasswordChange {
		fl.json = passwordBody(p.Inventory().Bodies[ep.Key()])
		// Without a spec body, the password fields of the JSON body the
		// handler's code reads (scan --source: an update taking
		// {"password": ...}) beside the default ones: the code shows
		// the fields it reads directly, not those a helper reads.
		if b, ok := p.Settings().SourceBodies[ep.Key()]; ok && fl.json == nil && !b.Form {
			if pw := passwordBody(inventory.Body{Value: b.Value}); pw != nil {
				for k, v := range changeBody {
					if _, ok := pw[k]; !ok {
						pw[k] = v
					}
				}
				fl.json = pw
			}
		}
	}
	return fl
}

// asForm is the flow sending def as a form, when nothing configured its
// body; nil stays nil.
func (fl *flow) asForm(def map[string]string) *flow {
	if fl == nil || fl.form != nil || fl.json != nil {
		return fl
	}
	c := *fl
	c.form = def
	return &c
}

// loginPaths are the paths of the identities' logins.
func loginPaths(p *probe.Pass) []string {
	var out []string
	for _, id := range p.Identities() {
		if id.Login == nil {
			continue
		}
		if u, err := p.Session().Resolve(id.Login.URL); err == nil {
			out = append(out, pathOf(u))
		}
	}
	return out
}

func configured(f probe.Flows, role string) *probe.FlowRequest {
	switch role {
	case probe.RoleLogout:
		return f.Logout
	case probe.RoleRefresh:
		return f.Refresh
	case probe.RolePasswordChange:
		return f.PasswordChange
	case probe.RoleResetRequest:
		return f.ResetRequest
	case probe.RoleResetConfirm:
		return f.ResetConfirm
	}
	return nil
}

func methodRank(m string) int {
	switch m {
	case http.MethodPost:
		return 0
	case http.MethodPut, http.MethodPatch:
		return 1
	case http.MethodDelete:
		return 2
	}
	return 3
}

func common(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func methodOr(m, def string) string {
	if m == "" {
		return def
	}
	return strings.ToUpper(m)
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Path
}

// vars are the values a flow body's placeholders take.
type vars map[string]string

// request builds the flow's request: the configured body with its
// placeholders filled, else def (also filled).
func (fl *flow) request(def map[string]any, v vars, creds identity.Creds) *httpx.Request {
	req := &httpx.Request{Method: fl.method, URL: fl.url, Header: http.Header{}, NoRetry: true}
	switch {
	case fl.form != nil:
		form := url.Values{}
		for k, val := range fl.form {
			form.Set(k, fill(val, v))
		}
		req.Body = []byte(form.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case fl.json != nil || def != nil:
		body := fl.json
		if body == nil {
			body = def
		}
		req.Body, _ = json.Marshal(fillAll(body, v))
		req.Header.Set("Content-Type", "application/json")
	}
	_ = creds.Apply(req)
	return req
}

func fill(s string, v vars) string {
	for k, val := range v {
		s = strings.ReplaceAll(s, "{"+k+"}", val)
	}
	return s
}

func fillAll(m map[string]any, v vars) map[string]any {
	out := make(map[string]any, len(m))
	for k, val := range m {
		switch t := val.(type) {
		case string:
			out[k] = fill(t, v)
		case map[string]any:
			out[k] = fillAll(t, v)
		default:
			out[k] = val
		}
	}
	return out
}

// without drops the body fields whose value is a placeholder of name (the
// current password of a password change).
func (fl *flow) without(def map[string]any, name string) *flow {
	c := *fl
	src := fl.json
	if src == nil {
		src = def
	}
	c.json = dropPlaceholder(src, name)
	return &c
}

// dropPlaceholder copies m without the fields, at any depth, whose value
// is a placeholder of name.
func dropPlaceholder(m map[string]any, name string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch t := v.(type) {
		case string:
			if strings.Contains(t, "{"+name+"}") {
				continue
			}
		case map[string]any:
			out[k] = dropPlaceholder(t, name)
			continue
		}
		out[k] = v
	}
	return out
}

// flowResult is a sent flow request and its status, for evidence.
type flowResult struct {
	req    *httpx.Request
	status int
}
