package actions

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
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

// TestSignedJWTsNotJudgedPredictable: signed JWTs minted twice alike in
// one second (smartshop-fastapi's POST /login: sub, role, exp in seconds)
// are left to the JWT checks; unsigned ("none") ones and opaque values
// are still judged.
func TestSignedJWTsNotJudgedPredictable(t *testing.T) {
	s, err := jose.HMAC("HS256", []byte("super_secret_key_dont_share"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), []byte(`{"sub":"admin","role":"admin","exp":1765000000}`), s)
	if err != nil {
		t.Fatal(err)
	}
	rs := []string{tok, tok, tok, tok}
	if !signedJWTs(rs) {
		t.Errorf("signed JWTs %q not recognised", tok)
	}
	none := "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9."
	if signedJWTs([]string{none, none, none}) {
		t.Error("alg none tokens skipped")
	}
	if signedJWTs([]string{"tok-1", "tok-2", "tok-3"}) || predictable([]string{"tok-1", "tok-2", "tok-3"}) == "" {
		t.Error("opaque sequential tokens no longer judged")
	}
}

// TestBareMintedValue: a JSON string answered alone is a minted value
// when shaped like a token (FastAPI's `return key.key`), not a word or a
// message; the caller's own secret is not; and minting it again is done
// only where the path names a credential.
func TestBareMintedValue(t *testing.T) {
	for _, c := range []struct {
		body string
		want string
	}{
		{`"q3Vx9_Lm2RtY8pZa0KcW1g"`, bareAnswer},
		{`"Key succesfully deleted"`, ""},
		{`"deleted"`, ""},
		{`"abcdefghijklmnopqrstu"`, ""}, // letters only: a word-like value
		{`"own-secret-1234567890"`, ""},
	} {
		field, _ := mintedValue([]byte(c.body), []string{"own-secret-1234567890"})
		if field != c.want {
			t.Errorf("%s: field %q, want %q", c.body, field, c.want)
		}
	}
	if _, v := mintedValueAt([]byte(`"q3Vx9_Lm2RtY8pZa0KcW1g"`), bareAnswer); v != "q3Vx9_Lm2RtY8pZa0KcW1g" {
		t.Errorf("mintedValueAt(bare) = %q", v)
	}
	for path, want := range map[string]bool{"/api/keys": true, "/v1/api-keys/new": true, "/tokens": true, "/api/orders": false, "/api/{key}/items": false} {
		if got := credentialPath(path); got != want {
			t.Errorf("credentialPath(%s) = %v, want %v", path, got, want)
		}
	}
}
