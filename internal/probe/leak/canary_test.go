package leak

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
)

// TestCanariesIn: an identity's secret is found wherever a body holds it
// (array rows without keys, any field name, nested, inside a longer value,
// a text body), never by a shorter or merely similar value.
func TestCanariesIn(t *testing.T) {
	cs := []canary{
		{who: "admin", kind: "password", value: "admin123"},
		{who: "alice", kind: "password", value: "alice-pw-1"},
		{who: "bob", kind: "API key", value: "k-7f3a9c2e11d04b"},
	}
	cases := map[string][]string{
		// agentshield's rows: sqlite tuples as JSON arrays.
		`[[1,"admin","admin123","admin"],[2,"alice","alice-pw-1","user"]]`: {"admin", "alice"},
		// A key under a name no word list knows, nested.
		`{"data":{"members":[{"handle":"bob","note":"k-7f3a9c2e11d04b"}]}}`: {"bob"},
		// Inside a longer value ("Bearer <key>", a URL).
		`{"curl":"curl -H 'X-Key: k-7f3a9c2e11d04b' http://x"}`: {"bob"},
		// A CSV export.
		"id,name,password\n2,alice,alice-pw-1\n": {"alice"},
		// Lookalikes: a prefix, another case, a hash.
		`[[1,"admin","admin12","admin"],{"pw":"ALICE-PW-1"},{"h":"0192023a7bbd73250516f069df18b500"}]`: nil,
		// A short password is only ever a whole value.
		`{"bio":"my admin1234 story"}`: nil,
	}
	for body, want := range cases {
		got := map[string]bool{}
		for _, c := range canariesIn([]byte(body), cs) {
			got[c.who] = true
		}
		if len(got) != len(want) {
			t.Errorf("canariesIn(%s) = %v, want %v", body, got, want)
			continue
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("canariesIn(%s) misses %s", body, w)
			}
		}
	}
	if got := othersOnly(cs, "alice"); len(got) != 2 {
		t.Errorf("othersOnly kept %d, want 2 (the caller's own left out)", len(got))
	}
	if got := callerMay(cs, true); len(got) != 2 || got[0].kind != "password" {
		t.Errorf("an administrator's answers count only passwords: %v", got)
	}
}

// TestWordLike: letters-only values shorter than 12 characters are not
// canaries (a schema's "format": "password"); others are.
func TestWordLike(t *testing.T) {
	for v, want := range map[string]bool{"password": true, "changeme": true, "admin123": false, "alice-pw-1": false, "correcthorsebattery": false} {
		if wordLike(v) != want {
			t.Errorf("wordLike(%q) = %v", v, !want)
		}
	}
}

// TestLoginPassword: the password of JSON, nested, form and Basic logins.
func TestLoginPassword(t *testing.T) {
	cases := []struct {
		l    *identity.Login
		want string
	}{
		{&identity.Login{JSON: identity.Body{"username": "a", "password": "pw-json"}}, "pw-json"},
		{&identity.Login{JSON: identity.Body{"user": map[string]any{"email": "a@x", "passwd": "pw-nested"}}}, "pw-nested"},
		{&identity.Login{Form: map[string]string{"login": "a", "pwd": "pw-form"}}, "pw-form"},
		{&identity.Login{Form: map[string]string{"u": "a", "k": "pw-set"}, PasswordField: "k"}, "pw-set"},
		{&identity.Login{Header: map[string]string{"Authorization": identity.BasicHeader("a", "pw-basic")}}, "pw-basic"},
		{&identity.Login{JSON: identity.Body{"username": "a"}}, ""},
		{nil, ""},
	}
	for _, c := range cases {
		if got := c.l.Password(); got != c.want {
			t.Errorf("Password() = %q, want %q", got, c.want)
		}
	}
}
