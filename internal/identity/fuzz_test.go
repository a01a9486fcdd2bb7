package identity

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzLoginResponse: a login answer is target-controlled; reading the
// token from it and its expiry never panics.
func FuzzLoginResponse(f *testing.F) {
	f.Add([]byte(`{"data":{"token":"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln"}}`), "data.token")
	f.Add([]byte(`{"access_token":123}`), "access_token")
	f.Add([]byte(`[1,2,3]`), "a.b.c")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		if tok, err := dig(body, path); err == nil {
			_ = expiryOf(tok)
		}
		_ = expiryOf(string(body))
	})
}

// FuzzValidate: any identity either validates or is refused with an error
// that does not show its value.
func FuzzValidate(f *testing.F) {
	f.Add("X-API-Key", "sk_live_0123456789", "/login")
	f.Add("Bad Header", "v\r\nX: y", "http://evil.example/x")
	f.Add("Cookie", "a=b; c", "http://127.0.0.1:99999/")
	target, _ := url.Parse("http://127.0.0.1:5000")
	f.Fuzz(func(t *testing.T, name, value, login string) {
		id := &Identity{Name: "a", Base: Creds{Headers: map[string]string{name: value}, Cookies: map[string]string{"s": value}, Bearer: value}}
		if login != "" {
			id.Login = &Login{URL: login}
		}
		err := id.Validate(target)
		if err != nil && len(value) >= 8 && strings.Contains(err.Error(), value) && !strings.Contains(name+login, value) {
			t.Fatalf("error shows the value: %v", err)
		}
	})
}
