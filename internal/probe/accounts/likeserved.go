package accounts

import (
	"encoding/json"
	"sort"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
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
	want := topKeys(o.Body)
	if want == "" {
		return ""
	}
	for _, c := range cells {
		if c.Variant != slots.CellIdentity || c.Identity == base || c.Outcome == nil || c.Outcome.Sample == nil {
			continue
		}
		if s := c.Outcome.Sample; s.Status/100 == 2 && topKeys(s.Body) == want {
			return c.Identity
		}
	}
	return ""
}

// topKeys are a JSON object's top-level field names, sorted and joined
// ("" for anything else).
func topKeys(body []byte) string {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := ""
	for _, k := range keys {
		out += k + "\x00"
	}
	return out
}
