package scan

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/matrix"
)

// TestLivePolicy: an anonymous request accepted where every identity got
// no usable answer (a handler crashing for each) proves no open endpoint:
// the join must not compare that row with the code's policy; where an
// identity was served, or none was tried, the row stays public.
func TestLivePolicy(t *testing.T) {
	ids := []*identity.Identity{{Name: "alice"}, {Name: "bobby"}}
	cases := []struct {
		name string
		m    map[string]string
		want string
	}{
		{"identities all inconclusive", map[string]string{"anonymous": "accepted", "alice": "inconclusive", "bobby": "inconclusive"}, "unknown"},
		{"an identity served", map[string]string{"anonymous": "accepted", "alice": "accepted", "bobby": "inconclusive"}, matrix.PolicyPublic},
		{"no identity tried", map[string]string{"anonymous": "accepted"}, matrix.PolicyPublic},
	}
	for _, c := range cases {
		if got := livePolicy(matrix.Row{Policy: matrix.PolicyPublic, Matrix: c.m}, ids); got != c.want {
			t.Errorf("%s: livePolicy = %q, want %q", c.name, got, c.want)
		}
	}
	if got := livePolicy(matrix.Row{Policy: matrix.PolicyJWT, Matrix: map[string]string{"alice": "inconclusive"}}, ids); got != matrix.PolicyJWT {
		t.Errorf("a non-public row keeps its policy, got %q", got)
	}
}
