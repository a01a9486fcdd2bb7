package principal

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// An identity known by nothing yet (an API key, an opaque token) cannot
// learn its record from a list: a record is learnt when it holds a value
// the identity is already known by. Its own profile says who it is by
// another sign: a GET without path parameters that answers each identity
// one record (not a list), whose identity field holds a different value for
// every identity (GET /me answering ann {"username": "ann"} and ben
// {"username": "ben"}). An answer the same for two identities teaches
// nothing.

// learnProfiles teaches each self the identity fields of its own profile
// answers (profiles).
func learnProfiles(env probe.Env, selves []*Self) {
	for _, ep := range env.Endpoints() {
		if ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") {
			continue
		}
		recs := map[string]map[string]any{}
		for _, c := range env.Matrix(ep) {
			if c.Variant != slots.CellIdentity || c.Identity == "" || c.Key != c.Identity || !served(c) {
				continue
			}
			if rec := oneRecord(c.Outcome.Sample.Body); rec != nil {
				recs[c.Identity] = rec
			}
		}
		if len(recs) < 2 {
			continue
		}
		for _, k := range profileKeys(recs) {
			for _, s := range selves {
				if rec, ok := recs[s.Name]; ok {
					s.Add(rec[k], fmt.Sprintf("%s answer (its own profile) %s", ep.Key(), k))
				}
			}
		}
	}
}

// profileKeys are the identity fields every record holds a scalar under,
// with a different value in each.
func profileKeys(recs map[string]map[string]any) []string {
	var out []string
	var first map[string]any
	for _, r := range recs {
		first = r
		break
	}
	for k := range first {
		if !identityKeys[Norm(k)] {
			continue
		}
		seen := map[string]bool{}
		ok := true
		for _, r := range recs {
			v, isScalar := scalar(r[k])
			if !isScalar || seen[strings.ToLower(v)] {
				ok = false
				break
			}
			seen[strings.ToLower(v)] = true
		}
		if ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// oneRecord is the one JSON object an answer is (or holds alone under one
// key: {"user": {...}}); nil for a list or anything else.
func oneRecord(body []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	if reqbody.Envelope(m) != "" {
		return reqbody.Payload(m)
	}
	for _, v := range m {
		if _, isList := v.([]any); isList {
			return nil // a collection beside the fields, not a profile
		}
	}
	return m
}
