package actions

import (
	"sync"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// learntQuery keeps, per pass, the query parameters validation answers
// asked each write endpoint for (FastAPI's loc ["query", "key"], webargs'
// query errors, reqparse's "in the query string"): every later request
// to the endpoint carries them (fill).
var learntQuery sync.Map // *probe.Pass → *queryNames

type queryNames struct {
	mu    sync.Mutex
	names map[string][]string // "METHOD /path" → parameter names
}

func queryStore(p *probe.Pass) *queryNames {
	v, _ := learntQuery.LoadOrStore(p, &queryNames{names: map[string][]string{}})
	return v.(*queryNames)
}

// rememberQuery adds names to the query parameters ep is sent with.
func rememberQuery(p *probe.Pass, ep *inventory.Endpoint, names []string) {
	s := queryStore(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		if !contains(s.names[ep.Key()], n) {
			s.names[ep.Key()] = append(s.names[ep.Key()], n)
		}
	}
}

// queryParams are the learnt query parameters of ep as required
// parameters the endpoint's URL carries (an id the identity owns fills
// one named like an id, in fill; any other takes 1), less those ep
// already declares.
func queryParams(p *probe.Pass, ep *inventory.Endpoint) []inventory.Param {
	s := queryStore(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []inventory.Param
	for _, n := range s.names[ep.Key()] {
		declared := false
		for _, q := range ep.Params {
			declared = declared || q.In == "query" && q.Name == n && q.Required
		}
		if !declared {
			out = append(out, inventory.Param{Name: n, In: "query", Type: "string", Example: "1", Required: true})
		}
	}
	return out
}
