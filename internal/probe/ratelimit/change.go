package ratelimit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// changeTargets are the password changes that ask for the current
// password (POST /user/change-password with {"old_password", ...}, its
// body from the config, the spec or the handler's code): guessing the
// current password there is a brute force of its own, with a session
// that only needs to be stolen once. Tried (with --allow-writes) as a
// throwaway identity only, since wrong guesses may lock its account: a
// series of wrong current passwords, then the right one with the same
// password as the new one, so that nothing changes.
func changeTargets(p *probe.Pass) []target {
	inv := p.Inventory()
	if inv == nil || !p.AllowWrites() {
		return nil
	}
	var id *identity.Identity
	for _, i := range p.Identities() {
		if i.Throwaway && i.Login != nil {
			id = i
			break
		}
	}
	if id == nil {
		return nil
	}
	pwField, ok := secretField(id.Login)
	if !ok {
		return nil
	}
	pw, _ := lookup(id.Login, pwField)
	user := ""
	if uf, ok := userField(id.Login, pwField); ok {
		user, _ = lookup(id.Login, uf)
	}
	return endpointTargets(inv, func(ep *inventory.Endpoint) (target, bool) {
		if ep.Method == http.MethodGet || strings.Contains(ep.Path, "{") || probe.RoleOf(ep.Path) != probe.RolePasswordChange {
			return target{}, false
		}
		body, cur, next := changeBody(p.Settings(), inv, ep)
		if body == nil || cur == "" || next == "" {
			return target{}, false
		}
		return targetAt(ep, id.Name, changeSeries(p, id, ep, body, cur, next, pw, user)), true
	})
}

// lookup reads a login body field as a string.
func lookup(l *identity.Login, path string) (string, bool) {
	if l.JSON != nil {
		v, ok := l.JSON.Lookup(path)
		s, isStr := v.(string)
		return s, ok && isStr
	}
	v, ok := l.Form[path]
	return v, ok
}

// changeBody is the password change's JSON body and its current- and
// new-password fields (top level).
func changeBody(st probe.Settings, inv *inventory.Inventory, ep *inventory.Endpoint) (map[string]any, string, string) {
	var m map[string]any
	if v, ok := st.Bodies[ep.Key()].(map[string]any); ok {
		m = v
	} else if b, ok := inv.Bodies[ep.Key()]; ok {
		m, _ = b.Value.(map[string]any)
	} else if b, ok := st.SourceBodies[ep.Key()]; ok && !b.Form {
		m = b.Value
	}
	cur, next := "", ""
	for k := range m {
		l := strings.ToLower(k)
		if !passwordField(k) {
			continue
		}
		switch {
		case strings.Contains(l, "old") || strings.Contains(l, "current"):
			cur = k
		case strings.Contains(l, "new"):
			next = k
		}
	}
	return m, cur, next
}

func changeSeries(p *probe.Pass, id *identity.Identity, ep *inventory.Endpoint, body map[string]any, cur, next, pw, user string) series {
	u := p.URL(ep)
	send := func(ctx context.Context, label, current, nw string) *probe.Outcome {
		b := map[string]any{}
		for k, v := range body {
			b[k] = v
			if user != "" && namesUser(k) {
				b[k] = user
			}
		}
		b[cur], b[next] = current, nw
		data, _ := json.Marshal(b)
		req := &httpx.Request{Method: ep.Method, URL: u, Header: http.Header{"Content-Type": {"application/json"}}, Body: data, NoRetry: true}
		creds, err := id.Creds(ctx, p.Session())
		if err != nil {
			return &probe.Outcome{Request: req, Sample: oracle.NewSample(0, nil, nil, err), Verdict: oracle.Inconclusive}
		}
		o := p.Send(probe.WithLabel(ctx, id.Name+": "+label), nil, req, creds, nil)
		o.Label = label
		return o
	}
	carriers := []string{cur, next}
	for k := range body {
		if namesUser(k) {
			carriers = append(carriers, k)
		}
	}
	return series{
		carriers: carriers,
		what:     fmt.Sprintf("wrong current passwords on the password change, as throwaway identity %s", id.Name),
		attempt: func(ctx context.Context, i int) *probe.Outcome {
			return send(ctx, fmt.Sprintf("wrong current password %d", i+1), slots.RandomLike(pw+"x"), slots.RandomLike(pw+"x"))
		},
		refused: func(o *probe.Outcome) bool { return oracle.Refusal(o.Sample) || o.Sample.Status == 400 },
		control: func(ctx context.Context) *probe.Outcome {
			// The right current password, and the same one as the new:
			// the change is accepted and nothing changes.
			return send(ctx, "right current password (control)", pw, pw)
		},
		works: func(o *probe.Outcome) bool { return oracle.Served(o.Sample) },
	}
}

// namesUser: a password change's body field that names whose password it
// is (user, username, email, login).
func namesUser(k string) bool {
	lk := strings.ToLower(k)
	return strings.Contains(lk, "user") || strings.Contains(lk, "email") || lk == "login"
}
