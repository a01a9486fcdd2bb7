package accounts

import (
	"encoding/json"
	"net/http"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

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
