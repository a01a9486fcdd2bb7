package engine

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/report"
)

// brittleLoginAPI is a form login over a store that breaks after a few
// failed logins (a thread-unsafe database session): from then on every
// account is refused, the right password too. With perAccount it instead
// locks only the account that failed.
type brittleLoginAPI struct {
	perAccount bool
	mu         sync.Mutex
	failures   map[string]int
	tok        string
}

func (a *brittleLoginAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/sessions" {
		_ = r.ParseForm()
		user, pw := r.PostForm.Get("email"), r.PostForm.Get("password")
		a.mu.Lock()
		defer a.mu.Unlock()
		total := 0
		for _, n := range a.failures {
			total += n
		}
		broken := !a.perAccount && total >= 4 || a.perAccount && a.failures[user] >= 4
		if !broken && pw == strings.TrimSuffix(user, "@example.com")+"-pw-1" {
			json.NewEncoder(w).Encode(map[string]string{"token": a.tok})
			return
		}
		a.failures[user]++
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+a.tok {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	w.Write([]byte(`{"user":"someone"}`))
}

func scanBrittle(t *testing.T, api *brittleLoginAPI) *Outcome {
	t.Helper()
	api.failures, api.tok = map[string]int{}, validToken(t)
	login := func(name string) *identity.Login {
		return &identity.Login{Method: "POST", URL: "/sessions", Token: "token",
			Form: map[string]string{"email": name + "@example.com", "password": name + "-pw-1"}}
	}
	ids := []*identity.Identity{{Name: "alice", Login: login("alice")}, {Name: "tossy", Login: login("tossy"), Throwaway: true}}
	return runCheck(t, api, "GET /profile", ids, "apikey.no-bruteforce-protection", probe.Settings{BruteforceAttempts: 10})
}

func noteWith(out *Outcome, s string) bool {
	for _, n := range out.Notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// TestBruteforceBrokenLoginIsNoLockout: when the throwaway account's
// right password is refused after the series, another account's login
// tells a lockout of that account (protected) from a login that lets
// nobody in any more (inconclusive: never "throttled").
func TestBruteforceBrokenLoginIsNoLockout(t *testing.T) {
	out := scanBrittle(t, &brittleLoginAPI{})
	if len(out.Findings) != 0 || noteWith(out, "are throttled") || !noteWith(out, "stopped letting anyone in") {
		t.Fatalf("a login broken for everyone judged as: findings %+v, notes %q", out.Findings, out.Notes)
	}
	// Password guessing was judged nowhere: the result says so, and is
	// not graded (alx-user-service was "A" with its only login untested).
	if why := undecidedOf(out, "apikey"); !strings.Contains(why, "no login brute-force series could decide") {
		t.Errorf("every login series inconclusive, apikey coverage undecided %q; coverage %+v", why, out.Coverage)
	}
	if g := report.GradingOf(&report.Result{Coverage: out.Coverage}); g.Graded() {
		t.Errorf("graded although no login series decided: %+v", out.Coverage)
	}
	out = scanBrittle(t, &brittleLoginAPI{perAccount: true})
	if len(out.Findings) != 0 || !noteWith(out, "are throttled") || !noteWith(out, "lockout") {
		t.Fatalf("a per-account lockout judged as: findings %+v, notes %q", out.Findings, out.Notes)
	}
	if why := undecidedOf(out, "apikey"); why != "" {
		t.Errorf("a login series decided (throttled), yet apikey undecided: %q", why)
	}
}

func undecidedOf(out *Outcome, family string) string {
	for _, c := range out.Coverage {
		if c.Family == family {
			return c.Undecided
		}
	}
	return ""
}
