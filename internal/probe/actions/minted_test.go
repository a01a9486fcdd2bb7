package actions

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// TestOwnValueIsNotMinted: a field that answers one caller the same value
// every time and another caller a different one is stored per caller (an
// update echoing the record's password hash), not minted; the same
// constant for everyone, or values that differ, are left to the
// predictability test.
func TestOwnValueIsNotMinted(t *testing.T) {
	alice := principal{id: &identity.Identity{Name: "alice"}}
	answer := func(body string) *probe.Outcome {
		return &probe.Outcome{Sample: &oracle.Sample{Status: 200, Body: []byte(body)}}
	}
	w := &write{as: map[string]*probe.Outcome{
		"alice": answer(`{"new_data": {"password": "$2b$12$aaaa"}}`),
		"bobby": answer(`{"new_data": {"password": "$2b$12$bbbb"}}`),
	}}
	same := []string{"$2b$12$aaaa", "$2b$12$aaaa", "$2b$12$aaaa", "$2b$12$aaaa"}
	if got := ownValue(w, alice, "new_data.password", same); got != "bobby" {
		t.Errorf("per-caller value: ownValue = %q, want bobby", got)
	}
	shared := &write{as: map[string]*probe.Outcome{
		"alice": answer(`{"token": "static-token"}`),
		"bobby": answer(`{"token": "static-token"}`),
	}}
	if got := ownValue(shared, alice, "token", []string{"static-token", "static-token", "static-token"}); got != "" {
		t.Errorf("one constant for everyone is a shared credential, judged: ownValue = %q", got)
	}
	if got := ownValue(w, alice, "new_data.password", []string{"a1", "a2", "a1"}); got != "" {
		t.Errorf("values that differ are judged: ownValue = %q", got)
	}
	if predictable(same) == "" {
		t.Error("a repeated value is still predictable to the test itself")
	}
}
