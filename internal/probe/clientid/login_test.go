package clientid

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/authprobe/authprobe/internal/oracle"
)

func tokenFor(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(b) + ".c2ln"
}

func answer(status int, tok string) *oracle.Sample {
	b, _ := json.Marshal(map[string]any{"token": tok})
	return oracle.NewSample(status, nil, b, nil)
}

// TestControlVerdict: the made-up name's login decides whether a login
// without a secret is proven. Refused proves it (the name is checked but
// nothing else is); a token naming the made-up value proves it more broadly
// (any name is minted a token); a served token naming nobody, or an answer
// without a token, proves nothing.
func TestControlVerdict(t *testing.T) {
	const made = "authprobe-nobody-abc123"
	for _, c := range []struct {
		name        string
		s           *oracle.Sample
		anyName, ok bool
	}{
		{"refused", oracle.NewSample(401, nil, []byte(`{"error":"unknown user"}`), nil), false, true},
		{"token names the made-up user", answer(200, tokenFor(map[string]any{"user": made, "role": "user"})), true, true},
		{"token names someone else", answer(200, tokenFor(map[string]any{"user": "guest", "role": "user"})), false, false},
		{"served without a token", oracle.NewSample(200, nil, []byte(`{"message":"hello"}`), nil), false, false},
	} {
		anyName, ok := controlVerdict(c.s, "token", made)
		if anyName != c.anyName || ok != c.ok {
			t.Errorf("%s: controlVerdict = (%v, %v), want (%v, %v)", c.name, anyName, ok, c.anyName, c.ok)
		}
	}
}
