package labtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// failedLogins posts n wrong passwords for alice and returns the statuses and
// the Retry-After of the first 429, if any.
func failedLogins(t *testing.T, url string, n int) ([]int, string) {
	t.Helper()
	var statuses []int
	retry := ""
	for i := range n {
		body := fmt.Sprintf(`{"username": "alice", "password": "wrong-%d"}`, i)
		resp, err := http.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests && retry == "" {
			retry = resp.Header.Get("Retry-After")
		}
	}
	return statuses, retry
}

// expectLoginThrottle sends 30 failed logins (the scanner's default budget)
// and checks whether a 429 with a usable Retry-After comes back.
func expectLoginThrottle(t *testing.T, url string, want bool) {
	t.Helper()
	statuses, retry := failedLogins(t, url, 30)
	got := retry != ""
	if got != want {
		t.Errorf("30 failed logins at %s: %v, want throttled=%v", url, statuses, want)
	}
	if n, err := strconv.Atoi(retry); got && (err != nil || n <= 0) {
		t.Errorf("429 at %s with Retry-After %q", url, retry)
	}
}

// expectRouteThrottle sends bad credentials until a 429 with Retry-After
// comes back (within 30), then checks the lockout holds for good ones too.
func expectRouteThrottle(t *testing.T, url string, bad, good map[string]string) {
	t.Helper()
	for range 30 {
		status, _ := call(t, url, bad)
		if status == http.StatusTooManyRequests {
			if st, _ := call(t, url, good); st != http.StatusTooManyRequests {
				t.Errorf("%s: a valid credential during the lockout got %d, want 429", url, st)
			}
			return
		}
	}
	t.Errorf("%s: 30 bad credentials, no 429", url)
}

// orderIDs lists the ids of the caller's orders.
func orderIDs(t *testing.T, lab *Lab, token string) []int {
	t.Helper()
	_, body := call(t, lab.URL+"/api/orders", bearer(token))
	var doc struct {
		Orders []struct {
			ID int `json:"id"`
		} `json:"orders"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || len(doc.Orders) == 0 {
		t.Fatalf("/api/orders: %v %s", err, body)
	}
	ids := make([]int, len(doc.Orders))
	for i, o := range doc.Orders {
		ids[i] = o.ID
	}
	return ids
}

// partnerKey is the partner identity's X-API-Key from the lab's config.
func partnerKey(t *testing.T, lab *Lab) string {
	t.Helper()
	id := loadConfig(t, lab.Dir).Identities["partner"]
	if id == nil || id.APIKey == nil || id.APIKey.Header != "X-API-Key" || id.APIKey.Value == "" {
		t.Fatal("config: partner has no api_key in X-API-Key")
	}
	return id.APIKey.Value
}

func key(k string) map[string]string { return map[string]string{"X-API-Key": k} }

func keyCases(k string) map[string]map[string]string {
	return map[string]map[string]string{
		"valid key":      key(k),
		"no credential":  nil,
		"empty key":      key(""),
		"random key":     key("pk_live_0000000000000000"),
		"upper-case key": key(strings.ToUpper(k)),
		"truncated key":  key(k[:len(k)-3]),
		"extended key":   key(k + "0"),
	}
}

func TestAPIKeyLabGroundTruth(t *testing.T) {
	t.Parallel()
	lab := StartDefaults(t, "apikey")
	k := partnerKey(t, lab)
	alice, bob, admin := loginAs(t, lab, "alice"), loginAs(t, lab, "bob"), loginAs(t, lab, "admin")
	keys := keyCases(k)
	expectAccess(t, lab.URL+"/api/partner/products", keys, only("valid key", "empty key"))
	expectAccess(t, lab.URL+"/api/partner/shipments", keys, only("valid key", "upper-case key"))
	expectAccess(t, lab.URL+"/api/partner/invoices", keys, only("valid key", "no credential",
		"empty key", "random key", "upper-case key", "truncated key", "extended key"))
	if st, _ := call(t, lab.URL+"/api/partner/products?api_key="+k, nil); st != http.StatusOK {
		t.Errorf("products?api_key=: status %d, want the query key accepted", st)
	}
	expectAccess(t, lab.URL+"/api/reports/daily", map[string]map[string]string{
		"no credential": nil, "valid key": key(k), "random key": key("nope"),
		"alice": bearer(alice), "garbage bearer": bearer("garbage"),
	}, only("valid key", "alice", "garbage bearer"))

	ids := orderIDs(t, lab, alice)
	other := fmt.Sprintf("%s/api/orders/%d", lab.URL, ids[0])
	expectAccess(t, other, map[string]map[string]string{
		"owner": bearer(alice), "other customer": bearer(bob), "anonymous": nil,
	}, only("owner", "other customer"))
	expectAccess(t, lab.URL+"/api/admin/users", map[string]map[string]string{
		"customer": bearer(alice), "admin": bearer(admin), "anonymous": nil,
	}, only("customer", "admin"))
	expectAccess(t, lab.URL+"/api/admin/stats", map[string]map[string]string{
		"customer": bearer(alice), "admin": bearer(admin), "anonymous": nil,
	}, only("admin"))
	if _, body := call(t, lab.URL+"/api/debug/echo", bearer(alice)); !strings.Contains(body, alice) {
		t.Errorf("/api/debug/echo does not echo the caller's token: %.120s", body)
	}
	expectLoginThrottle(t, lab.URL+"/api/auth/login", false)
	for range 30 {
		if st, _ := call(t, lab.URL+"/api/partner/products", key("bad")); st == http.StatusTooManyRequests {
			t.Fatal("products throttles bad keys; the manifest says it does not")
		}
	}
}

func TestAPIKeySecureGroundTruth(t *testing.T) {
	t.Parallel()
	lab := StartDefaults(t, "apikey-secure")
	k := partnerKey(t, lab)
	alice, bob, admin := loginAs(t, lab, "alice"), loginAs(t, lab, "bob"), loginAs(t, lab, "admin")
	keys := keyCases(k)
	for _, path := range []string{"/api/partner/products", "/api/partner/shipments", "/api/partner/invoices"} {
		expectAccess(t, lab.URL+path, keys, only("valid key"))
		if st, _ := call(t, lab.URL+path+"?api_key="+k, nil); st == http.StatusOK {
			t.Errorf("%s?api_key=: accepted", path)
		}
	}
	expectAccess(t, lab.URL+"/api/reports/daily", map[string]map[string]string{
		"no credential": nil, "valid key": key(k), "random key": key("nope"),
		"alice": bearer(alice), "garbage bearer": bearer("garbage"),
		"valid key, garbage bearer": {"X-API-Key": k, "Authorization": "Bearer garbage"},
	}, only("valid key", "alice"))
	ids := orderIDs(t, lab, alice)
	other := fmt.Sprintf("%s/api/orders/%d", lab.URL, ids[0])
	expectAccess(t, other, map[string]map[string]string{
		"owner": bearer(alice), "other customer": bearer(bob), "admin": bearer(admin), "anonymous": nil,
	}, only("owner"))
	expectAccess(t, lab.URL+"/api/admin/users", map[string]map[string]string{
		"customer": bearer(alice), "admin": bearer(admin), "anonymous": nil,
	}, only("admin"))
	if _, body := call(t, lab.URL+"/api/debug/echo", bearer(alice)); strings.Contains(body, alice) {
		t.Errorf("/api/debug/echo echoes the caller's token")
	}
	for _, public := range []string{"/health", "/docs", "/openapi.json"} {
		if st, _ := call(t, lab.URL+public, nil); st != http.StatusOK {
			t.Errorf("%s: status %d", public, st)
		}
	}
	expectRouteThrottle(t, lab.URL+"/api/partner/products", key("bad"), key(k))
	expectLoginThrottle(t, lab.URL+"/api/auth/login", true)
}
