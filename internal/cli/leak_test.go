package cli

import (
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// everyOutput is the -o flags for every format, plus the transcript, into
// dir; the JSON result is dir/result.json.
func everyOutput(dir string) []string {
	var args []string
	for _, ext := range []string{"json", "sarif", "html", "md", "xml", "txt"} {
		args = append(args, "-o", filepath.Join(dir, "result."+ext))
	}
	return append(args, "--transcript", filepath.Join(dir, "transcript.jsonl"))
}

// visibleSignature: a JWT or signed cookie (Flask session) whose signature
// shows 8 characters or more — a working credential, the identity's own
// or one forged with a recovered secret.
var visibleSignature = regexp.MustCompile(`(?:eyJ|\.eJ)[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]{8,}`)

// assertNoSecrets scans every output of a lab scan (files in dir, stdout,
// stderr) for every credential of the config and every derivation of one
// of 8 characters or more: any 8-byte run of it in any case, URL-encoded,
// base64-wrapped; and for any token or signed cookie with its signature.
func assertNoSecrets(t *testing.T, lab *labtest.Lab, cfgPath, dir, stdout, stderr string) {
	t.Helper()
	cfg, err := LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	var secrets []string
	for _, id := range cfg.Identities {
		secrets = append(secrets, id.Base.Secrets()...)
		if l := id.Login; l != nil {
			for k, v := range l.JSON {
				if s, ok := v.(string); ok && passwordLike(k) {
					secrets = append(secrets, s)
				}
			}
			for k, v := range l.Form {
				if passwordLike(k) {
					secrets = append(secrets, v)
				}
			}
		}
	}
	var needles []string
	for _, s := range secrets {
		if len(s) < 8 {
			continue
		}
		for _, form := range append(httpx.Derivations(s), url.QueryEscape(strings.ToUpper(s)), base64.StdEncoding.EncodeToString([]byte(s))) {
			for i := 0; i+8 <= len(form); i++ {
				needles = append(needles, strings.ToLower(form[i:i+8]))
			}
		}
	}
	assertSentHidden(t, lab, dir)
	anyoneCanMake := publicForgeries(t, filepath.Join(dir, "result.json"))
	outputs := map[string]string{"stdout": stdout, "stderr": stderr}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) < 7 {
		t.Fatalf("only %d outputs written: %v", len(files), files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs[filepath.Base(f)] = string(data)
	}
	for name, text := range outputs {
		low := strings.ToLower(text)
		for _, n := range needles {
			if i := strings.Index(low, n); i >= 0 {
				t.Errorf("%s: %s shows a credential derivation %q: …%s…", lab.Name, name, n, text[max(0, i-30):min(len(text), i+40)])
				break
			}
		}
		for _, m := range visibleSignature.FindAllString(text, -1) {
			if !anyoneCanMake[m] {
				t.Errorf("%s: %s shows a token or signed cookie with its signature: %s", lab.Name, name, m)
				break
			}
		}
	}
}

// publicForgeries are the tokens a result may show whole: the proofs of
// findings whose forgery anyone can make (a random, stripped, none or
// empty-key signature), which are not credentials. Anything else with a
// visible signature is a leak.
func publicForgeries(t *testing.T, path string) map[string]bool {
	t.Helper()
	res, err := report.ReadJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	public := map[string]bool{}
	for _, f := range res.Findings {
		switch f.Rule {
		case "jwt.invalid-signature-accepted", "jwt.signature-stripped", "jwt.alg-none", "jwt.blank-secret":
		default:
			continue
		}
		if f.Evidence == nil {
			continue
		}
		for _, m := range visibleSignature.FindAllString(f.Evidence.Curl+" "+f.Evidence.Token, -1) {
			public[m] = true
		}
	}
	return public
}

func passwordLike(k string) bool {
	l := strings.ToLower(k)
	return strings.Contains(l, "pass") || strings.Contains(l, "pwd") || strings.Contains(l, "secret") || l == "pin"
}
