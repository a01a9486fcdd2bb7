package accounts

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
)

// TestExpectKeepsTypedValues: a registration field the handler's code
// parses (a date in its strptime format, a UUID) is sent with the value the
// code gave it, while name-like fields get fresh words; a plain placeholder
// word is not kept.
func TestExpectKeepsTypedValues(t *testing.T) {
	r := &Registrar{base: identity.Body{"email": "a@example.com", "password": "x"}, userPath: "email", passPath: "password",
		body: map[string]any{}}
	r.Expect(map[string]any{
		"email": "authprobe@example.com", "password": "Authprobe-pw-1",
		"date_of_birth": "2026-01-02", "invite": "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f",
		"first_name": "authprobe", "city": "authprobe",
	})
	b := r.bodyFor(fresh(), nil)
	if b["date_of_birth"] != "2026-01-02" || b["invite"] != "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f" {
		t.Errorf("typed values not kept: %v", b)
	}
	for _, k := range []string{"first_name", "city"} {
		if v, ok := b[k]; !ok || v == "authprobe" {
			t.Errorf("%s = %v, want a fresh word", k, v)
		}
	}
}
