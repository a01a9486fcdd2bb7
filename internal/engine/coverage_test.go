package engine

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
)

func TestWhoIs(t *testing.T) {
	t.Parallel()
	s := &Scan{secrets: map[string]string{"tokA": "alice", "keyA": "alice", "tokB": "bob"}}
	cases := []struct {
		c    identity.Creds
		want string
	}{
		{identity.Creds{}, "anonymous"},
		{identity.Creds{Bearer: "tokA", Headers: map[string]string{"X-API-Key": "keyA"}}, "alice"},
		{identity.Creds{Bearer: "forged", Headers: map[string]string{"X-API-Key": "keyA"}}, "alice (modified)"},
		{identity.Creds{Bearer: "tokA", Headers: map[string]string{"X-API-Key": "tokB"}}, "combined"},
		{identity.Creds{Bearer: "forged"}, "crafted"},
	}
	for _, c := range cases {
		if got := s.whoIs(c.c); got != c.want {
			t.Errorf("whoIs(%+v) = %q, want %q", c.c, got, c.want)
		}
	}
}
