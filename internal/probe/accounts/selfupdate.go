package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/leak"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// maxSelfTries bounds the updates one endpoint gets: the fields together,
// then one at a time when the set is refused.
const maxSelfTries = 6

// selfUpdate sends, as the account, each update of its own record (PUT
// or PATCH of its profile, or of a path its values fill) with the fields
// its record shows that the update's known body does not take: flags
// (switched on), numbers (raised), fields an administrator's record holds
// otherwise (the administrator's value) and role-like fields. A field
// that reads back as sent is mass assignment on the account itself.
func selfUpdate(ctx context.Context, p *probe.Pass, acc *Account, self *principal.Self, creds identity.Creds) {
	if self == nil {
		return
	}
	targets, _ := targetsOf(ctx, p, acc, self, creds, http.MethodPut, http.MethodPatch)
	for _, t := range targets {
		if ctx.Err() != nil || t.read == nil || p.Proven(ruleMass, t.ep) || passwordOnly(p, t) {
			continue
		}
		before := record(get(ctx, p, t.read, creds).Sample.Body, acc)
		if before == nil {
			continue
		}
		forged := forgeable(before, declared(p, t), adminRecord(ctx, p, t))
		if len(forged) == 0 {
			p.Note(fmt.Sprintf("accounts: %s: the account's record shows no field beyond what the update takes", t.ep.Key()))
			continue
		}
		tryForged(ctx, p, acc, t, creds, before, forged)
		if p.Proven(ruleMass, t.ep) {
			// The account is now what it made itself: public lists that
			// did not hold it may (an employee directory).
			leak.PrincipalAgain(ctx, p)
		}
	}
}

// passwordOnly: a password change (its role, or a body of password
// fields alone), the lifecycle checks' and the cross-identity one's.
func passwordOnly(p *probe.Pass, t target) bool {
	if p.Settings().Flows.Role(t.ep) == probe.RolePasswordChange {
		return true
	}
	b, ok := bodyOf(p, t.ep)
	if !ok || len(reqbody.Payload(b)) == 0 {
		return false
	}
	for k := range reqbody.Payload(b) {
		if !strings.Contains(norm(k), "pass") {
			return false
		}
	}
	return true
}

// declared are the fields the update's known body takes (intended to be
// set by their owner): never forged.
func declared(p *probe.Pass, t target) map[string]bool {
	out := map[string]bool{}
	if b, ok := bodyOf(p, t.ep); ok {
		for k := range reqbody.Payload(b) {
			out[norm(k)] = true
		}
	}
	return out
}

// adminRecord is the record an administrator identity is answered on the
// same read, when the read names no one in its path (its own profile).
func adminRecord(ctx context.Context, p *probe.Pass, t target) map[string]any {
	if !t.byCreds {
		return nil
	}
	for _, id := range p.Identities() {
		if !id.Admin() {
			continue
		}
		c, err := id.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		o := get(ctx, p, t.read, c)
		var m map[string]any
		if oracle.Served(o.Sample) && json.Unmarshal(o.Sample.Body, &m) == nil {
			return m
		}
	}
	return nil
}

// forgeable picks the record's fields to send and their values.
func forgeable(rec map[string]any, declared map[string]bool, admin map[string]any) map[string]any {
	adminFlat := flags(mustJSON(admin))
	out := map[string]any{}
	for k, v := range rec {
		n := norm(k)
		if declared[n] || principal.IsIdentityKey(k) || strings.HasSuffix(n, "id") || strings.Contains(n, "pass") {
			continue
		}
		if av, ok := adminFlat[n]; ok && admin != nil && fmt.Sprint(av) != fmt.Sprint(v) {
			if _, scalar := av.(map[string]any); !scalar {
				out[k] = av
				continue
			}
		}
		switch t := v.(type) {
		case bool:
			if !t {
				out[k] = true
			}
		case float64:
			if t == 0 {
				out[k] = 1
			} else if t == float64(int64(t)) {
				out[k] = int64(t) + 1000
			}
		case string:
			if _, ok := Privileged[k]; ok {
				out[k] = "admin"
			}
		}
	}
	return out
}

func mustJSON(m map[string]any) []byte {
	if m == nil {
		return nil
	}
	b, _ := json.Marshal(m)
	return b
}

// tryForged sends the forged fields together, then one by one when the set
// is refused, and reads the record back.
func tryForged(ctx context.Context, p *probe.Pass, acc *Account, t target, creds identity.Creds, before, forged map[string]any) {
	keys := make([]string, 0, len(forged))
	for k := range forged {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sets := []map[string]any{forged}
	for _, k := range keys {
		sets = append(sets, map[string]any{k: forged[k]})
	}
	base, _ := bodyOf(p, t.ep)
	defer func() {
		if !p.Proven(ruleMass, t.ep) {
			p.Note(fmt.Sprintf("accounts: %s: %s sent %s on its own record; none read back as sent", t.ep.Key(), acc.Name, strings.Join(keys, ", ")))
		}
	}()
	for i, set := range sets {
		if i >= maxSelfTries || ctx.Err() != nil {
			return
		}
		// Declared fields keep their values (a password, which no record
		// shows, is never sent); the forged ones go beside them, inside
		// the body's envelope.
		body := map[string]any{}
		for k := range reqbody.Payload(base) {
			if v, ok := before[k]; ok {
				body[k] = v
			}
		}
		for k, v := range set {
			body[k] = v
		}
		if env := reqbody.Envelope(base); env != "" {
			body = map[string]any{env: body}
		}
		o := p.Send(ctx, t.ep, jsonWrite(p, t.ep, body), creds, nil)
		o.Label = acc.Name + " updates its own record with fields it is not given"
		if !oracle.Served(o.Sample) {
			continue
		}
		after := record(get(ctx, p, t.read, creds).Sample.Body, acc)
		var took, names []string
		for k, v := range set {
			if after != nil && same(after[k], v) && !same(before[k], v) {
				took = append(took, fmt.Sprintf("%s=%v (was %v)", k, after[k], before[k]))
				names = append(names, k)
			}
		}
		if len(took) == 0 {
			if i == 0 && len(sets) == 2 {
				return
			}
			continue
		}
		sort.Strings(took)
		sort.Strings(names)
		f := catalog.New(ruleMass)
		f.Endpoint = &finding.Endpoint{Method: t.ep.Method, Path: t.ep.Path}
		f.Identity = acc.Name
		f.Confidence = finding.Confirmed
		f.Message = fmt.Sprintf("%s sets fields of its own record that its answers show but the update does not take: %s", acc.Name, strings.Join(took, ", "))
		f.Fields = names
		f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(o,
			fmt.Sprintf("%s read back with %s", t.read.Key(), strings.Join(took, ", ")),
			"the record read before the update held the old values; the account is one the scan registered")
		p.Report(f)
		return
	}
}

// same compares JSON values loosely (1 and 1.0, true and true).
func same(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb) || fmt.Sprint(a) == fmt.Sprint(b)
}
