package accounts

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// messageOnly: a JSON object with one field holding a string ({"message":
// "Your are not a chef"}): the shape of an answer that serves nothing,
// whatever its status and words.
func messageOnly(body []byte) (string, bool) {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || len(m) != 1 {
		return "", false
	}
	for k, v := range m {
		if _, ok := v.(string); ok {
			return k, true
		}
	}
	return "", false
}

// servedLikeOther: on an API that refuses with a 200 message, base got
// only a message there, as an anonymous caller does (the same field), and
// o is no message but answers like another identity's served answer
// (the same top-level fields): o is let in where base is refused. It
// names that identity.
func servedLikeOther(cells []probe.Cell, base string, ps, anon, o *oracle.Sample) string {
	if ps.Status/100 != 2 || anon == nil || anon.Status/100 != 2 {
		return ""
	}
	bk, ok := messageOnly(ps.Body)
	ak, aok := messageOnly(anon.Body)
	if !ok || !aok || bk != ak {
		return ""
	}
	if _, msg := messageOnly(o.Body); msg {
		return ""
	}
	want := oracle.JSONKeys(o.Body)
	if want == "" {
		return ""
	}
	for _, c := range cells {
		if c.Variant != slots.CellIdentity || c.Identity == base || c.Outcome == nil || c.Outcome.Sample == nil {
			continue
		}
		if s := c.Outcome.Sample; s.Status/100 == 2 && oracle.JSONKeys(s.Body) == want {
			return c.Identity
		}
	}
	return ""
}

// refused: an identity's matrix outcome is a refusal: 401 or 403, or the
// refusal its calibration learnt (a 200 with a message).
func refused(o *probe.Outcome) bool {
	st := o.Sample.Status
	return st == 401 || st == 403 || o.Rejected()
}

// chosenRoles compares each account registered with a chosen value of a
// privilege field with the configured members (not administrators): one
// let in where a member is refused holds the privilege its value names.
func chosenRoles(ctx context.Context, p *probe.Pass, res *Result) {
	admins := principal.Admins(ctx, p.Env)
	for _, acc := range res.Chosen {
		for _, id := range p.Identities() {
			if _, admin := admins[id.Name]; admin || ctx.Err() != nil {
				continue
			}
			c, err := id.Creds(ctx, p.Session())
			if err != nil {
				continue
			}
			if proveAgainst(ctx, p, res, acc, id.Name, id, c) {
				return
			}
		}
	}
}

// chosen: priv is an account the registration took only with a value of
// its privilege field. That value reads back whatever it grants, so only
// the matrix proves a privilege.
func chosen(res *Result, priv *Account) bool {
	for _, a := range res.Chosen {
		if a == priv {
			return true
		}
	}
	return false
}

// fieldValues are priv's privileged fields as sent ("role=2").
func fieldValues(priv *Account) []string {
	var out []string
	for _, k := range priv.Fields {
		out = append(out, fmt.Sprintf("%s=%v", k, priv.sent[k]))
	}
	return out
}
