package leak

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// derivedFromInput reports an answer whose secrets are computed from the
// request's own input, not stored: a hashing helper (GET
// /hash_password?plain_password=x answering x and its hash). Two
// observations: the answer hands a query value the request sent back in a
// field named like a secret (the caller's own input), and sending another
// value changes the secret fields while echoing the new value. A lookup of
// stored records (?id=2) echoes no secret-named input and is never
// dropped.
func derivedFromInput(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, body []byte) bool {
	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	changed := false
	other := fmt.Sprintf("authprobe-%d", len(body)%9000+1000)
	for i, prm := range cp.Params {
		if prm.In == "query" && prm.Required && prm.Example != "" && echoedAsSecret(body, prm.Example) {
			cp.Params[i].Example = other
			changed = true
		}
	}
	if !changed {
		return false
	}
	o := p.Send(ctx, &cp, nil, credsOf(nil), nil)
	o.Label = "anonymous, another input (control: are the secrets computed from it?)"
	if !ok2xx(o.Sample) || !echoedAsSecret(o.Sample.Body, other) {
		return false
	}
	return secretValues(o.Sample.Body) != secretValues(body)
}

// echoedAsSecret: v is the value of a field named like a secret in body.
func echoedAsSecret(body []byte, v string) bool {
	var x any
	if json.Unmarshal(body, &x) != nil {
		return false
	}
	found := false
	var walk func(x any, depth int)
	walk = func(x any, depth int) {
		if found || depth > 8 {
			return
		}
		switch t := x.(type) {
		case map[string]any:
			for k, f := range t {
				if s, ok := f.(string); ok && s == v && secretNamed(k) {
					found = true
					return
				}
				walk(f, depth+1)
			}
		case []any:
			for _, f := range t {
				walk(f, depth+1)
			}
		}
	}
	walk(x, 0)
	return found
}

func secretNamed(k string) bool {
	n := normKey(k)
	return strings.Contains(n, "pass") || strings.Contains(n, "secret") || strings.Contains(n, "pwd")
}

// secretValues joins the values of body's sensitive fields, in order.
func secretValues(body []byte) string {
	var b strings.Builder
	for _, f := range sensitiveFields(body) {
		b.WriteString(f.path + "=" + f.value + "\x00")
	}
	return b.String()
}
