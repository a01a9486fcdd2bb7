package corpus

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
)

// scorerProbe feeds scripts/corpus_apis.py's scoring functions a made-up
// manifest, result and transcript, and prints what they decide as JSON.
const scorerProbe = `
import json, sys
sys.path.insert(0, sys.argv[1])
import corpus_apis as c
m = {
  "truth": [
    {"id": "bola", "family": "bola", "endpoint": "GET /notes/<int:nid>"},
    {"id": "secret", "family": "jwt", "endpoint": "*", "rules": ["jwt.weak-secret"]},
    {"id": "expiry", "family": "jwt", "endpoint": "*"},
    {"id": "static", "family": "apikey", "endpoint": "*", "http": False},
  ],
  "writes": ["POST /notes", "PUT /notes/{nid}", "DELETE /notes/{nid}", "POST /revoke/<int:kid>", "POST /forms", "DELETE /notes"],
  "writes_never_sent": [{"endpoint": "DELETE /notes", "why": "deletes every user's notes at once"}],
  "transport": "header:X-Auth-Token:{token}",
  "scan": {"config": {"identities": {
    "alice": {"login": {"url": "/login", "token": "token"}},
    "bob": {"login": {"url": "/login", "token": "token"}},
    "keyed": {"api_key": {"header": "X-Key", "value": "k"}},
  }}},
}
result = {
  "findings": [
    {"rule": "authz.bola", "severity": "high", "endpoint": {"method": "GET", "path": "/notes/{id}"}},
    {"rule": "jwt.no-expiry", "severity": "medium", "endpoint": {"method": "GET", "path": "/me"}},
    {"rule": "authz.bfla", "severity": "high", "endpoint": {"method": "DELETE", "path": "/users/{id}"}},
    {"rule": "py.hardcoded-api-key", "severity": "high"},
  ],
  "warnings": [
    "identity alice: token sent as header:X-Auth-Token:{token} (the refusal of GET /notes says so; set login.use to change it)",
    "identity bob: token sent as bearer (the default; set login.use to change it)",
    "effect: POST /revoke/{key_id} answered 302 and took effect: POST /revoke/{key_id} without any credential (status 302), through the form GET / offers ...",
    "writes: POST /forms answered 302; retried with the name",
  ],
}
transcript = [
  {"Method": "POST", "URL": "http://127.0.0.1:1/notes", "Status": 201},
  {"Method": "PUT", "URL": "http://127.0.0.1:1/notes/7?x=1", "Status": 403},
  {"Method": "GET", "URL": "http://127.0.0.1:1/notes/7", "Status": 200},
  {"Method": "POST", "URL": "http://127.0.0.1:1/revoke/3", "Status": 302},
  {"Method": "POST", "URL": "http://127.0.0.1:1/forms", "Status": 302},
  {"Method": "DELETE", "URL": "http://127.0.0.1:1/notes", "Status": 200},
]
truth, unmatched = c.score(m, result)
# The scan's own write coverage wins over the transcript when the result has it.
own = dict(result, writes=[
  {"endpoint": {"method": "POST", "path": "/notes/"}, "sent": 1, "succeeded": 0, "statuses": [400], "exercised": False},
  {"endpoint": {"method": "PUT", "path": "/notes/{id}"}, "sent": 2, "succeeded": 1, "statuses": [200, 403], "exercised": True},
  {"endpoint": {"method": "POST", "path": "/revoke/{kid}"}, "sent": 1, "succeeded": 0, "statuses": [302], "exercised": True, "effect": 302},
])
print(json.dumps({
  "own": {w["endpoint"]: w["exercised"] for w in c.score_writes(m, transcript, own)},
  "found": {t["id"]: t["found"] for t in truth},
  "unmatched": [u["rule"] for u in unmatched],
  "writes": {w["endpoint"]: w["exercised"] for w in c.score_writes(m, transcript, result)},
  "transport": {x["identity"]: x["inferred"] for x in c.score_transport(m, result)},
  "control": [c.is_control({"truth": []}), c.is_control({"truth": [1], "control": True}), c.is_control(m)],
}))
`

// TestScorer: the corpus scorer matches findings to truth by family (or an
// item's own rules) and endpoint, leaves static findings out, counts a write
// as exercised on a 2xx, or on another answer (a form's 302) only when the
// scan's "effect:" line says it took effect, leaves out the writes the
// manifest lists under writes_never_sent (the guard never sends them), and credits a transport only when the scan's
// decision is the manifest's. Each assertion fails if the scorer changes its
// mind.
func TestScorer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts /usr/bin/python3 (make test runs it)")
	}
	scripts, err := filepath.Abs(filepath.Join("..", "scripts"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", "-c", scorerProbe, scripts).CombinedOutput()
	if err != nil {
		t.Fatalf("python3 (python3-yaml comes with make deps): %v\n%s", err, out)
	}
	var got struct {
		Found     map[string]bool `json:"found"`
		Unmatched []string        `json:"unmatched"`
		Writes    map[string]bool `json:"writes"`
		Own       map[string]bool `json:"own"`
		Transport map[string]bool `json:"transport"`
		Control   []bool          `json:"control"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantFound := map[string]bool{"bola": true, "secret": false, "expiry": true, "static": false}
	for id, w := range wantFound {
		if got.Found[id] != w {
			t.Errorf("truth %s found = %v, want %v (all: %v)", id, got.Found[id], w, got.Found)
		}
	}
	if len(got.Unmatched) != 1 || got.Unmatched[0] != "authz.bfla" {
		t.Errorf("unmatched = %v, want only authz.bfla (py.* findings are never counted)", got.Unmatched)
	}
	wantWrites := map[string]bool{"POST /notes": true, "PUT /notes/{nid}": false, "DELETE /notes/{nid}": false,
		"POST /revoke/<int:kid>": true, "POST /forms": false}
	for w, v := range wantWrites {
		if got.Writes[w] != v {
			t.Errorf("write %s exercised = %v, want %v", w, got.Writes[w], v)
		}
	}
	if _, ok := got.Writes["DELETE /notes"]; ok {
		t.Errorf("DELETE /notes is under writes_never_sent but was scored: %v", got.Writes)
	}
	if _, ok := got.Own["DELETE /notes"]; ok {
		t.Errorf("DELETE /notes is under writes_never_sent but was scored from the scan's coverage: %v", got.Own)
	}
	// With the result's own `writes`, the transcript is not read: POST
	// /notes got a 201 in the transcript but the scan says not exercised;
	// endpoints the scan does not list were not exercised.
	wantOwn := map[string]bool{"POST /notes": false, "PUT /notes/{nid}": true, "DELETE /notes/{nid}": false,
		"POST /revoke/<int:kid>": true, "POST /forms": false}
	for w, v := range wantOwn {
		if got.Own[w] != v {
			t.Errorf("write %s exercised by the scan's own coverage = %v, want %v", w, got.Own[w], v)
		}
	}
	if len(got.Transport) != 2 || !got.Transport["alice"] || got.Transport["bob"] {
		t.Errorf("transport = %v, want alice inferred, bob not, the key identity not counted", got.Transport)
	}
	if len(got.Control) != 3 || !got.Control[0] || !got.Control[1] || got.Control[2] {
		t.Errorf("is_control = %v, want [true true false]", got.Control)
	}
}
