package cli

import (
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// curlHeader is one -H of a reproduce line.
var curlHeader = regexp.MustCompile(`-H '([^:']+): ([^']*)'`)

// curlURL is the URL at the end of a reproduce line.
var curlURL = regexp.MustCompile(`'(https?://[^']*)'$`)

// sentKeyHeader: a header that carries a credential in the labs
// (Authorization, X-API-Key, X-Auth-Token, X-Internal-Secret, Api-Key...).
func sentKeyHeader(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "auth") || strings.Contains(l, "key") || strings.Contains(l, "token") || strings.Contains(l, "secret")
}

// credentialParam: a query parameter that carries a key in the labs.
func credentialParam(name string) bool {
	switch strings.ToLower(name) {
	case "key", "api_key", "apikey", "api-key", "token", "access_token", "auth":
		return true
	}
	return false
}

// assertSentHidden: whatever a scan sent where a credential goes (a
// guessed key, a one-character token, a forged token, the identity's own
// key) reads "[redacted]" in every reproduce line, unless its signature is
// one anyone can make (publicForgeries) or nothing was sent. The writers of
// every format render these same lines, and the leak check reads them all.
func assertSentHidden(t *testing.T, lab *labtest.Lab, dir string) {
	t.Helper()
	path := filepath.Join(dir, "result.json")
	res, err := report.ReadJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	public := publicForgeries(t, path)
	for _, f := range res.Findings {
		if f.Evidence == nil || f.Evidence.Curl == "" {
			continue
		}
		curl := f.Evidence.Curl
		for _, m := range curlHeader.FindAllStringSubmatch(curl, -1) {
			name, val := m[1], m[2]
			if !sentKeyHeader(name) {
				continue
			}
			if scheme, rest, ok := strings.Cut(val, " "); ok && !strings.Contains(scheme, ".") {
				val = rest
			}
			// An unsigned token (alg none, signature stripped) holds nothing
			// secret: it is the proof, shown whole so that it replays.
			unsigned := strings.Count(val, ".") == 2 && strings.HasSuffix(val, ".")
			if val == "" || unsigned || strings.Contains(val, "redacted") || public[val] || visiblePublic(val, public) {
				continue
			}
			t.Errorf("%s: %s at %s shows what it sent in %s: %q", lab.Name, f.Rule, f.Endpoint, name, val)
		}
		if m := curlURL.FindStringSubmatch(curl); m != nil {
			u, err := url.Parse(m[1])
			if err != nil {
				continue
			}
			for name, vals := range u.Query() {
				for _, v := range vals {
					if credentialParam(name) && v != "" && !strings.Contains(v, "redacted") {
						t.Errorf("%s: %s at %s shows the key it sent in ?%s: %q", lab.Name, f.Rule, f.Endpoint, name, v)
					}
				}
			}
		}
	}
}

// visiblePublic: the value holds a forgery anyone can make.
func visiblePublic(v string, public map[string]bool) bool {
	for m := range public {
		if strings.Contains(v, m) {
			return true
		}
	}
	return false
}
