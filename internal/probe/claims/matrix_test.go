package claims

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/oracle"
)

func token(t *testing.T, claims string) *jose.Token {
	t.Helper()
	s, _ := jose.HMAC("HS256", []byte("k"))
	raw, err := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), []byte(claims), s)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jose.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func rules(cs []claimCase) map[string]int {
	out := map[string]int{}
	for _, c := range cs {
		out[c.rule]++
	}
	return out
}

// TestCasesFollowTheToken: iss/aud and missing-exp rows exist only when the
// API's own token carries the claim; alg rows only for the key's family.
func TestCasesFollowTheToken(t *testing.T) {
	hmacCap := &capability{hmacKey: []byte("k")}
	bare := rules(cases(token(t, `{"sub":"a"}`), hmacCap, time.Now()))
	for _, r := range []string{"jwt.missing-exp-accepted", "jwt.iss-not-validated", "jwt.aud-not-validated"} {
		if bare[r] != 0 {
			t.Errorf("token without the claim: unexpected %s row", r)
		}
	}
	if bare["jwt.expired-accepted"] != 1 || bare["jwt.nbf-ignored"] != 1 || bare["jwt.iat-future-accepted"] != 1 || bare["jwt.alg-not-pinned"] != 2 {
		t.Errorf("bare token rows: %v", bare)
	}
	full := rules(cases(token(t, `{"sub":"a","iss":"i","aud":["x"],"iat":1,"exp":901}`), hmacCap, time.Now()))
	if full["jwt.missing-exp-accepted"] != 1 || full["jwt.iss-not-validated"] != 2 || full["jwt.aud-not-validated"] != 2 {
		t.Errorf("full token rows: %v", full)
	}
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if n := rules(cases(token(t, `{"sub":"a"}`), &capability{priv: ecKey}, time.Now()))["jwt.alg-not-pinned"]; n != 0 {
		t.Errorf("EC key: %d alg rows, want 0", n)
	}
}

// TestExpiredCaseIsExpired decodes the token the expired row signs.
func TestExpiredCaseIsExpired(t *testing.T) {
	tok := token(t, `{"sub":"a","iat":1700000000,"exp":1700000900,"aud":"x"}`)
	c := &capability{hmacKey: []byte("k")}
	now := time.Unix(1_800_000_000, 0)
	for _, cc := range cases(tok, c, now) {
		raw, err := c.sign(tok, cc.set, cc.del, cc.alg, false)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := jose.Parse(raw)
		exp, hasExp := jose.NumericDate(got.Claims["exp"])
		switch cc.label {
		case "exp a day ago":
			if !hasExp || now.Sub(exp) < 23*time.Hour {
				t.Errorf("expired row: exp %v", exp)
			}
		case "no exp":
			if _, has := got.Claims["exp"]; has {
				t.Error("no-exp row still has exp")
			}
		case "wrong aud":
			if got.Claims["aud"] == "x" {
				t.Error("wrong-aud row kept the audience")
			}
		}
		if err := jose.Verify(got, []byte("k")); err != nil {
			t.Errorf("%s: not signed with the key: %v", cc.label, err)
		}
		wrong, _ := c.sign(tok, cc.set, cc.del, cc.alg, true)
		wt, _ := jose.Parse(wrong)
		if jose.Verify(wt, []byte("k")) == nil {
			t.Errorf("%s: wrong-key twin verifies with the key", cc.label)
		}
	}
}

func sample(status int, body string) *oracle.Sample {
	return oracle.NewSample(status, http.Header{}, []byte(body), nil)
}

func TestElevated(t *testing.T) {
	set := privilegeClaims(map[string]any{"scope": "read"})
	for _, tc := range []struct {
		name      string
		own, got  *oracle.Sample
		want      bool
		whyPrefix string
	}{
		{"refusal turned success", sample(403, `{"error":"admin only"}`), sample(200, `{"payouts":[1]}`), true, "status 403"},
		{"gained fields", sample(200, `{"owner":"bob","items":[]}`), sample(200, `{"owner":"bob","items":[],"all_accounts":[{"id":1}]}`), true, "the answer gained"},
		{"echoed claims are not data", sample(200, `{"claims":{"sub":"bob"}}`), sample(200, `{"claims":{"sub":"bob","role":"admin","is_admin":true,"scope":"read admin"}}`), false, ""},
		{"fields merely named like admin", sample(200, `{"owner":"bob"}`), sample(200, `{"owner":"bob","admin_panel":{"users":3}}`), true, "the answer gained"},
		{"same shape, other values", sample(200, `{"owner":"bob","role":"user"}`), sample(200, `{"owner":"bob","role":"admin"}`), false, ""},
		{"still refused", sample(403, `{"error":"admin only"}`), sample(403, `{"error":"admin only"}`), false, ""},
		{"server error", sample(403, `{}`), sample(500, `{"trace":"x"}`), false, ""},
		{"empty success", sample(403, `{}`), sample(204, ``), false, ""},
	} {
		got, why := elevated(tc.own, tc.got, set)
		if got != tc.want || !strings.HasPrefix(why, tc.whyPrefix) {
			t.Errorf("%s: elevated = %v (%q), want %v", tc.name, got, why, tc.want)
		}
	}
}

func TestPrivilegeClaimsKeepTypes(t *testing.T) {
	set := privilegeClaims(map[string]any{"roles": []any{"user"}, "scope": "read write", "role": "user", "is_staff": false})
	if r, ok := set["roles"].([]any); !ok || len(r) != 2 || r[1] != "admin" {
		t.Errorf("roles = %v", set["roles"])
	}
	if set["scope"] != "read write admin" || set["role"] != "admin" || set["is_staff"] != true {
		t.Errorf("set = %v", set)
	}
}
