package jose

import (
	"encoding/json"
	"strings"
	"testing"
)

func claimsOf(t *testing.T, payload string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(payload))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("bad test payload %s: %v", payload, err)
	}
	return m
}

func TestSensitiveClaimsPositive(t *testing.T) {
	cases := []struct{ payload, path, reason string }{
		{`{"password":"hunter2"}`, "password", "password"},
		{`{"Password":"p"}`, "Password", "password"},
		{`{"passwd":"p"}`, "passwd", "password"},
		{`{"pwd":123456}`, "pwd", "password"},
		{`{"password_hash":"abc"}`, "password_hash", "password"},
		{`{"hashedPassword":"abc"}`, "hashedPassword", "password"},
		{`{"userpassword":"abc"}`, "userpassword", "password"},
		{`{"user":{"profile":{"pwd":"x"}}}`, "user.profile.pwd", "password"},
		{`{"creds":[{"password":"a"}]}`, "creds[0].password", "password"},
		{`{"secret":"s3"}`, "secret", "secret"},
		{`{"client_secret":"s3"}`, "client_secret", "secret"},
		{`{"clientSecret":"s3"}`, "clientSecret", "secret"},
		{`{"api_secret":"s3"}`, "api_secret", "secret"},
		{`{"APISecret":"s3"}`, "APISecret", "secret"},
		{`{"secret_key":"s3"}`, "secret_key", "secret"},
		{`{"aws_secret_access_key":"s3"}`, "aws_secret_access_key", "secret"},
		{`{"private_key":"-----BEGIN"}`, "private_key", "private key"},
		{`{"privateKey":"k"}`, "privateKey", "private key"},
		{`{"api_key":"sk_live_abc"}`, "api_key", "API key"},
		{`{"apiKey":"abc"}`, "apiKey", "API key"},
		{`{"access_key":"abc"}`, "access_key", "API key"},
		{`{"x":"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"}`, "x", "password hash"},
		{`{"x":"$2y$10$abcdefghijklmnopqrstuuJ1.TfE1u3wWGkRxTKlcMhRvtL4vxM3m"}`, "x", "password hash"},
		{`{"x":"$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"}`, "x", "password hash"},
		{`{"x":"pbkdf2:sha256:600000$Zx9a$1f3c8b2e9d7a6f5e4d3c2b1a0f9e8d7c"}`, "x", "password hash"},
		{`{"x":"scrypt:32768:8:1$salt$0123456789abcdef0123456789abcdef"}`, "x", "password hash"},
		{`{"x":"sha256$salt$0123456789abcdef0123456789abcdef"}`, "x", "password hash"},
		{`{"x":"pbkdf2_sha256$600000$salt$aGFzaA=="}`, "x", "password hash"},
		{`{"x":"$6$rounds=5000$salt$hash"}`, "x", "password hash"},
		{`{"x":"$pbkdf2-sha256$29000$salt$hash"}`, "x", "password hash"},
		{`{"tags":["a","$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"]}`, "tags[1]", "password hash"},
		{`{"billing":"4111111111111111"}`, "billing", "card"},
		{`{"billing":{"n":"4111 1111 1111 1111"}}`, "billing.n", "card"},
		{`{"pm":"5555-5555-5555-4444"}`, "pm", "card"},
		{`{"amex":"378282246310005"}`, "amex", "card"},
		{`{"pm":4012888888881881}`, "pm", "card"},
		{`{"card_number":"1234567812345670"}`, "card_number", "card"},
	}
	for _, c := range cases {
		got := SensitiveClaims(claimsOf(t, c.payload))
		if len(got) != 1 || got[0].Path != c.path || !strings.Contains(got[0].Reason, c.reason) {
			t.Errorf("%s: got %+v, want %s (%s)", c.payload, got, c.path, c.reason)
		}
	}
}

func TestSensitiveClaimsNegative(t *testing.T) {
	for _, payload := range []string{
		`{"sub":"alice","role":"admin","iat":1764000000,"exp":1764000900,"jti":"4111111111111111"}`,
		`{"password_changed_at":1764000000,"passwordExpiresAt":1764000000,"pwd_last_set":1}`,
		`{"has_password":true,"password_set":true,"must_change_password":false,"password":false}`,
		`{"password":"","secret":null,"pwd":"********","private_key":"[REDACTED]"}`,
		`{"secret_question":"Name of your first pet?","secretHint":"pet"}`,
		`{"client_secret_expires_at":0,"secret_id":"abc","secret_name":"prod"}`,
		`{"passwordless":"yes","password_policy":"strong","password_min_length":12}`,
		`{"secretary":"Ms Jones","private":true,"is_private":"yes","key":"k1","private_note":"hi"}`,
		`{"password":{"policy":"x"}}`,
		`{"id":"4111111111111111","order_id":4111111111111111,"phone":"4111111111111111"}`,
		`{"n":"4111111111111112","big":1234567890123456789,"ms":1764000000000,"snow":1846102937561829376}`,
		`{"uuid":"550e8400-e29b-41d4-a716-446655440000","date":"2026-11-28","price":"$1$"}`,
		`{"digest":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}`,
		`{"note":"costs $2 or $5 total","hash":"5d41402abc4b2a76b9719d911017c592"}`,
		`{"pass_count":3,"compass":"n","passport_country":"DE","bypass":"no","boarding_pass":"BA123"}`,
		`{"api_key_id":"k1","apiKeyName":"prod","access_key_id":"AKIA","api":"v2","access":"read","key":"x"}`,
	} {
		if got := SensitiveClaims(claimsOf(t, payload)); len(got) != 0 {
			t.Errorf("%s: false positive %+v", payload, got)
		}
	}
}

func TestSensitiveClaimsSorted(t *testing.T) {
	got := SensitiveClaims(claimsOf(t, `{"z":{"secret":"a"},"a":{"pwd":"b"},"m":"4111111111111111"}`))
	var paths []string
	for _, s := range got {
		paths = append(paths, s.Path)
	}
	if strings.Join(paths, ",") != "a.pwd,m,z.secret" {
		t.Fatalf("paths %v", paths)
	}
}
