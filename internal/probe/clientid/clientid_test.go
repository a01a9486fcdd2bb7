package clientid

import (
	"encoding/base64"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

func TestNames(t *testing.T) {
	for name, want := range map[string]bool{
		"X-User": true, "X-User-Id": true, "X-Forwarded-User": true, "X-Remote-User": true, "username": true,
		"X-Role": true, "uid": true, "X-Client": false, "Accept-Language": false, "X-Request-Id": false,
	} {
		if identityName(name) != want {
			t.Errorf("identityName(%q) = %v", name, !want)
		}
	}
	for name, want := range map[string]bool{"X-API-Key": true, "X-Auth-Token": true, "X-User": false, "session_user": false} {
		if secretName(name) != want {
			t.Errorf("secretName(%q) = %v", name, !want)
		}
	}
}

// TestWire: a value goes out as the code builds it; withCarrier replaces
// the identity's own value wherever it sent it.
func TestWire(t *testing.T) {
	c := &carrier{In: "cookie", Name: "vulpy_session", encoding: "base64-json", field: "username"}
	raw, _ := base64.StdEncoding.DecodeString(c.wire("tim"))
	if string(raw) != `{"username":"tim"}` {
		t.Errorf("wire: %s", raw)
	}
	h := &carrier{In: "header", Name: "X-User"}
	cr := withCarrier(identity.Creds{Bearer: "T", Plain: map[string]string{"x-user": "alice"}}, h, "bob")
	if cr.Plain["x-user"] != "" || cr.Headers["X-User"] != "bob" || cr.Bearer != "T" {
		t.Errorf("withCarrier: %+v", cr)
	}
}

func TestSameAndAddressed(t *testing.T) {
	a := oracle.NewSample(200, nil, []byte(`{"id": 2, "user": "bob"}`), nil)
	b := oracle.NewSample(200, nil, []byte(`{"user":"bob","id":2}`), nil)
	c := oracle.NewSample(200, nil, []byte(`{"user":"alice","id":1}`), nil)
	if !same(a, b) || same(a, c) {
		t.Error("same compares JSON values, not bytes")
	}
	ep, _ := inventory.ParseEndpoint("GET /users/{user_id}")
	ep.Params[0].Type = "integer"
	if _, ok := addressed(&ep, "bob"); ok {
		t.Error("a word addressed an integer parameter")
	}
	got, ok := addressed(&ep, "2")
	if !ok || got.Params[0].Example != "2" || ep.Params[0].Example == "2" {
		t.Errorf("addressed: %+v %v", got, ok)
	}
}

// TestEchoes: an answer that only reflects the value sent (JSON or text)
// is an echo; one that also carries the named user's own data is not.
func TestEchoes(t *testing.T) {
	fake := "authprobe-nobody-abcdef"
	for _, c := range []struct {
		ctl, theirs string
		want        bool
	}{
		{`{"username":"` + fake + `","email":null}`, `{"email":null,"username":"alice"}`, true},
		{`Hello, ` + fake + `!`, `Hello, alice!`, true},
		{`{"username":"` + fake + `","email":null}`, `{"username":"alice","email":"alice@example.com"}`, false},
		{`{"error":"unknown user"}`, `{"username":"alice"}`, false},
	} {
		got := echoes(oracle.NewSample(200, nil, []byte(c.ctl), nil), oracle.NewSample(200, nil, []byte(c.theirs), nil), fake, "alice")
		if got != c.want {
			t.Errorf("echoes(%s, %s) = %v", c.ctl, c.theirs, got)
		}
	}
}

// TestAuthRefusal: the literal proof starts from a refusal of the caller,
// never from a validation error a missing parameter gets.
func TestAuthRefusal(t *testing.T) {
	for _, c := range []struct {
		s    *oracle.Sample
		want bool
	}{
		{oracle.NewSample(401, nil, []byte(`{"error":"Unauthorized"}`), nil), true},
		{oracle.NewSample(200, nil, []byte(`{"success":false,"error":"no"}`), nil), true},
		{oracle.NewSample(400, nil, []byte(`{"error":"format must be json"}`), nil), false},
		{oracle.NewSample(404, nil, []byte(`{"error":"not found"}`), nil), false},
		{oracle.NewSample(200, nil, []byte(`{"ok":1}`), nil), false},
	} {
		if authRefusal(c.s) != c.want {
			t.Errorf("%d %s: %v", c.s.Status, c.s.Body, !c.want)
		}
	}
}

// TestRefusalHeaders: a refusal that names the header carrying the caller
// makes it a candidate; secrets and answers that are no refusal do not.
func TestRefusalHeaders(t *testing.T) {
	got := refusalHeaders(oracle.NewSample(401, nil, []byte(`{"error": "X-User-Id header required (or X-API-Key)"}`), nil))
	if len(got) != 1 || got[0] != "X-User-Id" {
		t.Errorf("refusalHeaders = %v", got)
	}
	if got := refusalHeaders(oracle.NewSample(200, nil, []byte(`{"hint": "X-User-Id"}`), nil)); len(got) != 0 {
		t.Errorf("a served answer named %v", got)
	}
}

// TestEncodedSelf: an identity's own cookie that is base64 JSON naming it
// is read as such; a signed value (payload.signature) is not.
func TestEncodedSelf(t *testing.T) {
	self := principal.NewSelf("elliot")
	self.Add("elliot", "login body username")
	v := base64.StdEncoding.EncodeToString([]byte(`{"username": "elliot"}`))
	if f, who, ok := encodedSelf(v, self); !ok || f != "username" || who != "elliot" {
		t.Errorf("encodedSelf(%s) = %q %q %v", v, f, who, ok)
	}
	if _, _, ok := encodedSelf(v+".c2lnbmF0dXJl", self); ok {
		t.Error("a signed value was read as plain")
	}
}
