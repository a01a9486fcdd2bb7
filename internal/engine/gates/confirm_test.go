package gates

import (
	"context"
	"fmt"
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// fakeHost records what Confirm asks of the scan.
type fakeHost struct {
	proven map[string]bool // rule|endpoint key
	replay bool
	calls  []string
}

func (h *fakeHost) Proven(rule string, ep *inventory.Endpoint) bool {
	return h.proven[rule+"|"+ep.Key()]
}
func (h *fakeHost) Discriminated(*inventory.Endpoint) map[string]*probe.Outcome { return nil }
func (h *fakeHost) AddPlace(rule string, ep *inventory.Endpoint, id string, o *probe.Outcome, confirmed bool) {
	h.calls = append(h.calls, fmt.Sprintf("place %s %s confirmed=%v", rule, ep.Path, confirmed))
}
func (h *fakeHost) Replay(_ context.Context, rep, ep *inventory.Endpoint, rule string) bool {
	h.calls = append(h.calls, fmt.Sprintf("replay %s %s->%s", rule, rep.Path, ep.Path))
	return h.replay
}
func (h *fakeHost) Note(string) { h.calls = append(h.calls, "note") }
func (h *fakeHost) Run(_ context.Context, c probe.Check, ep *inventory.Endpoint) {
	h.calls = append(h.calls, fmt.Sprintf("run %s %s", c.ID, ep.Path))
}

func TestConfirm(t *testing.T) {
	var members []*inventory.Endpoint
	for i := range FastSample + 3 {
		members = append(members, &inventory.Endpoint{Method: "GET", Path: fmt.Sprintf("/m%02d", i)})
	}
	g := &Gate{ID: "behaviour:x", Members: members}
	rep, last := members[0], members[len(members)-1]
	shared := []probe.Check{{ID: "jwt.none", Rules: []string{"jwt.none"}}, {ID: "jwt.weak", Rules: []string{"jwt.weak"}}}
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		replay bool
		fast   bool
		want   []string
	}{
		{"replayed", true, false, []string{"replay jwt.none /m00->/m07"}},
		{"not reproduced: checked in full", false, false, []string{"replay jwt.none /m00->/m07", "note", "run jwt.none /m07"}},
		{"fast, past the sample: inferred", false, true, []string{"place jwt.none /m07 confirmed=false"}},
	} {
		h := &fakeHost{proven: map[string]bool{"jwt.none|" + rep.Key(): true}, replay: c.replay}
		Confirm(ctx, h, g, last, shared, c.fast)
		if fmt.Sprint(h.calls) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.name, h.calls, c.want)
		}
	}
}
