package jose

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

var auditNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func tokenWith(t *testing.T, header, payload, sig string) *Token {
	t.Helper()
	return mustParse(t, Assemble([]byte(header), []byte(payload), sig))
}

func TestAudit(t *testing.T) {
	now := auditNow.Unix()
	hs := `{"alg":"HS256","typ":"JWT"}`
	sig := B64(make([]byte, 32))
	num := func(n int64) string { return strconv.FormatInt(n, 10) }
	cases := []struct {
		name, header, payload, sig string
		want                       map[string]string // rule → substring of its detail
	}{
		{"clean", hs, `{"sub":"a","iat":` + num(now) + `,"exp":` + num(now+900) + `}`, sig, nil},
		{"exactly 24h", hs, `{"iat":` + num(now) + `,"exp":` + num(now+86400) + `}`, sig, nil},
		{"no exp", hs, `{"sub":"a"}`, sig, map[string]string{"jwt.no-expiry": "no exp claim"}},
		{"exp string", hs, `{"exp":"1764000000"}`, sig, map[string]string{"jwt.no-expiry": "JSON string"}},
		{"exp null", hs, `{"exp":null}`, sig, map[string]string{"jwt.no-expiry": "JSON null"}},
		{"30 days", hs, `{"iat":` + num(now) + `,"exp":` + num(now+30*86400) + `}`, sig, map[string]string{"jwt.long-lifetime": "exp - iat is 30d"}},
		{"24h and a second", hs, `{"iat":` + num(now) + `,"exp":` + num(now+86401) + `}`, sig, map[string]string{"jwt.long-lifetime": "1d"}},
		{"old token long lifetime", hs, `{"iat":1000,"exp":` + num(1000+7*86400) + `}`, sig, map[string]string{"jwt.long-lifetime": "7d"}},
		{"no iat, far exp", hs, `{"exp":` + num(now+3*86400+3600) + `}`, sig, map[string]string{"jwt.long-lifetime": "no iat, and exp is 3d1h from now"}},
		{"no iat, near exp", hs, `{"exp":` + num(now+3600) + `}`, sig, nil},
		{"no iat, expired", hs, `{"exp":1000}`, sig, nil},
		{"float times", hs, `{"iat":1764000000.5,"exp":1764000900.25}`, sig, nil},
		{"alg none", `{"alg":"none"}`, `{"exp":` + num(now+60) + `}`, "", map[string]string{"jwt.unsigned-token-issued": `alg "none"`}},
		{"alg NoNe", `{"alg":"NoNe"}`, `{"exp":` + num(now+60) + `}`, "", map[string]string{"jwt.unsigned-token-issued": `alg "NoNe"`}},
		{"empty sig", hs, `{"exp":` + num(now+60) + `}`, "", map[string]string{"jwt.unsigned-token-issued": "signature segment is empty"}},
		{"password", hs, `{"exp":` + num(now+60) + `,"password":"hunter2"}`, sig, map[string]string{"jwt.sensitive-claims": `"password" (its name says it holds a password)`}},
		{"everything", `{"alg":"none"}`, `{"user":{"pwd":"x"}}`, "", map[string]string{
			"jwt.unsigned-token-issued": "none", "jwt.no-expiry": "no exp", "jwt.sensitive-claims": `"user.pwd"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Audit(tokenWith(t, c.header, c.payload, c.sig), auditNow)
			if len(got) != len(c.want) {
				t.Fatalf("issues %+v, want rules %v", got, c.want)
			}
			for _, is := range got {
				sub, ok := c.want[is.Rule]
				if !ok || !strings.Contains(is.Detail, sub) {
					t.Errorf("issue %s: %q, want it to contain %q", is.Rule, is.Detail, sub)
				}
			}
		})
	}
}

func TestAuditNeverPrintsValues(t *testing.T) {
	payload := `{"password":"Tr0ub4dor&3","card":"4111 1111 1111 1111","h":"$2b$12$KIXQ4VqfLr0CL.d8OqtE1uY9ZkP2e7l6bQ7oX3Y8b7m0xQbW7mG1e"}`
	for _, is := range Audit(tokenWith(t, `{"alg":"HS256"}`, payload, "AA"), auditNow) {
		for _, secret := range []string{"Tr0ub4dor", "4111", "KIXQ4"} {
			if strings.Contains(is.Detail, secret) {
				t.Fatalf("detail %q leaks a value", is.Detail)
			}
		}
	}
}

func TestHumanDuration(t *testing.T) {
	cases := map[time.Duration]string{
		0: "0s", 45 * time.Second: "45s", 65 * time.Minute: "1h5m", 30 * 24 * time.Hour: "30d",
		51 * time.Hour: "2d3h", -90 * time.Second: "-1m30s", 24*time.Hour + 5*time.Minute: "1d",
	}
	for d, want := range cases {
		if got := HumanDuration(d); got != want {
			t.Errorf("HumanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSpanPastDurationRange(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	far := time.Unix(32_503_680_000, 0) // year 3000
	if got := Span(now, far); got != "976 years" {
		t.Errorf("Span = %q, want 976 years", got)
	}
	if got := Span(now, now.Add(30*time.Hour)); got != "1d6h" {
		t.Errorf("Span = %q, want 1d6h", got)
	}
}
