package cli

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/report"
)

// TestScanRecoversDigitSecret: a six-digit HS256 secret is in no wordlist;
// the scan's offline recovery finds it with its masks, and proves it live.
func TestScanRecoversDigitSecret(t *testing.T) {
	t.Parallel()
	sign, tok := hs256Alice("482913")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		parts := strings.Split(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), ".")
		var claims struct {
			Sub string `json:"sub"`
		}
		if len(parts) != 3 || !hmac.Equal([]byte(parts[2]), []byte(sign(parts[0]+"."+parts[1]))) {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"unauthorized"}`))
			return
		}
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		json.Unmarshal(payload, &claims)
		w.Write([]byte(`{"user":"` + claims.Sub + `"}`))
	}))
	defer srv.Close()
	code, stdout, stderr := run("scan", srv.URL, "--endpoint", "GET /api/me", "--identity", "alice=bearer:"+tok,
		"--checks", "jwt.weak-secret", "--crack-time", "30s", "--format", "json", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res report.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Rule != "jwt.weak-secret" || res.Findings[0].Confidence == "tentative" {
		t.Fatalf("findings %+v, want one jwt.weak-secret", res.Findings)
	}
}

// TestScanCrackStopsWhenExhausted: with the default --crack-masks short,
// recovering a strong secret stops once the built-in list, the rules and
// the short masks are exhausted, not at the time budget (ten minutes here,
// which the test's own timeout would not survive), and says so.
func TestScanCrackStopsWhenExhausted(t *testing.T) {
	t.Parallel()
	_, tok := hs256Alice(rand.Text() + rand.Text())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+tok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"user":"alice"}`))
	}))
	defer srv.Close()
	code, stdout, stderr := run("scan", srv.URL, "--endpoint", "GET /api/me", "--identity", "alice=bearer:"+tok,
		"--checks", "jwt.weak-secret", "--crack-time", "10m", "--crack-masks", "short", "--format", "json", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res report.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("findings %+v for a random secret", res.Findings)
	}
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "short masks are exhausted") }) {
		t.Errorf("no warning that the search space was exhausted: %q", res.Warnings)
	}
}

// hs256Alice signs alice's token, valid for an hour, with secret, and
// returns the signer too (a signature of "header.payload").
func hs256Alice(secret string) (sign func(string) string, tok string) {
	enc := base64.RawURLEncoding
	sign = func(in string) string {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(in))
		return enc.EncodeToString(m.Sum(nil))
	}
	now := time.Now().Unix()
	in := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc.EncodeToString([]byte(fmt.Sprintf(`{"sub":"alice","iat":%d,"exp":%d}`, now, now+3600)))
	return sign, in + "." + sign(in)
}
