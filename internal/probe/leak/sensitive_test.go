package leak

import "testing"

func TestSensitiveFields(t *testing.T) {
	t.Parallel()
	body := []byte(`{"users":[{"username":"alice","password":"pbkdf2:sha256:1000$ab$cd"},{"username":"bob","Password_Hash":"$2b$12$abcdefgh"}],
		"me":{"api_key":"********","token":"[redacted]","secret":"x"},"count":2}`)
	fs := sensitiveFields(body)
	if len(fs) != 2 || fs[0].path != "users[0].password" || fs[1].path != "users[1].Password_Hash" || records(fs) != 2 {
		t.Fatalf("fields %+v", fs)
	}
	for _, clean := range []string{`{"username":"alice","email":"a@x.io"}`, `{"password":""}`, `not json`, `{"token_type":"bearer"}`} {
		if fs := sensitiveFields([]byte(clean)); len(fs) != 0 {
			t.Errorf("%s: %+v", clean, fs)
		}
	}
}
