package writes

import (
	"sync"

	"github.com/authprobe/authprobe/internal/inventory"
)

// accepted holds, per scan (its inventory), the request bodies a write
// endpoint answered 2xx to when an identity sent them: "METHOD /path" →
// body. The checks that probe the same endpoints without credentials
// (the actions check, registered after this phase) send these, so that
// an anonymous answer is judged on a body the route takes, not refused
// for its shape.
var accepted sync.Map // *inventory.Inventory → *acceptedBodies

type acceptedBodies struct {
	mu sync.Mutex
	m  map[string]map[string]any
}

// accept records that ep answered 2xx to body from an identity.
func accept(inv *inventory.Inventory, ep *inventory.Endpoint, body map[string]any) {
	if inv == nil || ep == nil || body == nil {
		return
	}
	v, _ := accepted.LoadOrStore(inv, &acceptedBodies{m: map[string]map[string]any{}})
	a := v.(*acceptedBodies)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.m[ep.Key()] = body
}

// Accepted is the body an identity's request to ep (key "METHOD /path")
// was last served with in this scan, nil when none was.
func Accepted(inv *inventory.Inventory, key string) map[string]any {
	v, ok := accepted.Load(inv)
	if !ok {
		return nil
	}
	a := v.(*acceptedBodies)
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.m[key]
}

// Forget drops what the scan of inv recorded (its last check calls it).
func Forget(inv *inventory.Inventory) { accepted.Delete(inv) }
