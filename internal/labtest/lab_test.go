package labtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

// TestLabsAnswer starts every lab, checks it answers on /health, and logs in
// every identity of its scan config the way the config says, expecting a token
// at the configured dot path (or a session cookie when the flow names none).
func TestLabsAnswer(t *testing.T) {
	names, err := Names()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lab := StartDefaults(t, name)
			if !strings.HasPrefix(lab.URL, "http://127.0.0.1:") {
				t.Errorf("URL %s is not on loopback", lab.URL)
			}
			status, _ := get(t, lab.URL+"/health")
			if status != http.StatusOK {
				t.Errorf("GET /health: status %d", status)
			}
			checkServedSpec(t, lab)
			cfg := loadConfig(t, lab.Dir)
			for _, id := range cfg.loginIdentities() {
				credential, err := doLogin(lab.URL, cfg.Identities[id].Login, len(cfg.Identities[id].Headers) > 0)
				if err != nil {
					t.Errorf("identity %s: %v", id, err)
					continue
				}
				if cfg.Identities[id].Login.Token != "" && !tokenShaped(credential) {
					t.Errorf("identity %s: login returned %q, not a token", id, credential)
				}
			}
		})
	}
}

// tokenShaped: a JWT, or an opaque token (at least 16 characters, no
// spaces: labs whose logins issue session tokens or keys), never a
// message or an empty value at the configured path.
func tokenShaped(s string) bool {
	if strings.Count(s, ".") == 2 && strings.HasPrefix(s, "eyJ") {
		return true
	}
	return len(s) >= 16 && !strings.ContainsAny(s, " \t\n")
}

// checkServedSpec compares the document a lab serves at /openapi.json, if it
// serves one, with the openapi.yaml next to it.
func checkServedSpec(t *testing.T, lab *Lab) {
	t.Helper()
	status, body := get(t, lab.URL+"/openapi.json")
	if status == http.StatusNotFound {
		return
	}
	data, err := os.ReadFile(filepath.Join(lab.Dir, "openapi.yaml"))
	if err != nil {
		t.Fatalf("lab serves /openapi.json (status %d) but: %v", status, err)
	}
	var file, served any
	if err := yaml.Unmarshal(data, &file); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if err := json.Unmarshal([]byte(body), &served); err != nil {
		t.Fatalf("/openapi.json: status %d, %v", status, err)
	}
	if !reflect.DeepEqual(normalize(file), served) {
		t.Errorf("/openapi.json differs from openapi.yaml")
	}
}

// normalize turns a YAML-decoded value into what a JSON round trip gives.
func normalize(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		return err
	}
	return out
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// doLogin performs a config login flow and returns the string at its token
// path, or the first cookie it sets when it has no token path.
func doLogin(base string, l *login, issuesNothing bool) (string, error) {
	var body io.Reader
	contentType := ""
	switch {
	case l.JSON != nil:
		data, err := json.Marshal(l.JSON)
		if err != nil {
			return "", err
		}
		body, contentType = bytes.NewReader(data), "application/json"
	case l.Form != nil:
		form := url.Values{}
		for k, v := range l.Form {
			form.Set(k, v)
		}
		body, contentType = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(l.Method, base+l.URL, body)
	if err != nil {
		return "", err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range l.Headers {
		req.Header.Set(k, v)
	}
	// Redirects are not followed: a form login answers 302 with its cookie.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		return "", fmt.Errorf("login %s %s: status %d", l.Method, l.URL, resp.StatusCode)
	}
	if l.Token == "" {
		if len(resp.Cookies()) == 0 && issuesNothing {
			// A login that issues nothing (the identity's header names it
			// afterwards) must still say it succeeded.
			var doc map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || doc["success"] == false || doc["error"] != nil {
				return "", fmt.Errorf("login %s %s: issues nothing and does not say it succeeded (%v)", l.Method, l.URL, doc)
			}
			return "", nil
		}
		if len(resp.Cookies()) == 0 {
			return "", fmt.Errorf("login %s %s: no token path and no cookie set", l.Method, l.URL)
		}
		return resp.Cookies()[0].Value, nil
	}
	var doc any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return "", fmt.Errorf("login response: %w", err)
	}
	for _, key := range strings.Split(l.Token, ".") {
		obj, ok := doc.(map[string]any)
		if !ok {
			return "", fmt.Errorf("token path %q: not an object at %q", l.Token, key)
		}
		doc = obj[key]
	}
	token, ok := doc.(string)
	if !ok {
		return "", fmt.Errorf("token path %q: no string there", l.Token)
	}
	return token, nil
}

func TestExplainStartFailures(t *testing.T) {
	base := errors.New("the lab exited before answering HTTP")
	err := explain(base, "Traceback ...\nModuleNotFoundError: No module named 'flask'\n")
	if err == nil || !strings.Contains(err.Error(), "run scripts/install-deps.sh") {
		t.Errorf("missing module: %v", err)
	}
	err = explain(base, "OSError: [Errno 98] Address already in use\n")
	if !errors.Is(err, errPortTaken) {
		t.Errorf("port taken: %v", err)
	}
	err = explain(base, "SyntaxError: invalid syntax\n")
	if !errors.Is(err, base) || !strings.Contains(err.Error(), "SyntaxError") {
		t.Errorf("other failure must keep the cause and the output: %v", err)
	}
}

func TestWaitReady(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	yes := func() bool { return true }
	if err := waitReady(context.Background(), srv.URL, make(chan struct{}), yes); err != nil {
		t.Errorf("a server answering 404 is ready: %v", err)
	}
	// Another process answering on the port before the lab said it bound
	// it is not the lab: wait until the lab exits and report that.
	gone := make(chan struct{})
	go func() { time.Sleep(300 * time.Millisecond); close(gone) }()
	if err := waitReady(context.Background(), srv.URL, gone, func() bool { return false }); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("an answer from another process was taken for the lab: %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	close(exited)
	err = waitReady(context.Background(), fmt.Sprintf("http://127.0.0.1:%d", port), exited, yes)
	if err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("exited process: %v", err)
	}
}
