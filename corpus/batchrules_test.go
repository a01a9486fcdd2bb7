package corpus

import (
	"testing"

	"go.yaml.in/yaml/v4"
)

// batchCount tallies what a batch built under the batch-4 rules (batches 4
// to 6) must hold as a whole.
type batchCount struct {
	heldOut, controls, keys, logins int
}

// checkBatchRules holds one manifest of batch 4 or later to the rules those
// batches are built under:
// every field the scorer and the reader need is written out (truth, writes,
// control, and transport when an identity carries a token or key), no
// identity says where its token goes, every key is given without a place,
// and every truth item says whether HTTP can prove it.
func checkBatchRules(t *testing.T, path string, raw []byte, m apiManifest, c *batchCount) {
	t.Helper()
	var top map[string]any
	if err := yaml.Unmarshal(raw, &top); err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	for _, k := range []string{"truth", "writes", "control", "framework", "auth", "run"} {
		if _, ok := top[k]; !ok {
			t.Errorf("%s: batch %d writes %q out (empty when there is none)", path, m.Batch, k)
		}
	}
	if m.Split == "held-out" {
		c.heldOut++
	}
	if m.Control {
		c.controls++
	} else if len(m.Truth) == 0 {
		t.Errorf("%s: empty truth without control: true", path)
	}
	key, login := false, false
	for name, id := range m.Scan.Config.Identities {
		if k, ok := id["api_key"]; ok {
			key = true
			if km, isMap := k.(map[string]any); isMap && (km["header"] != nil || km["query"] != nil || km["cookie"] != nil) {
				t.Errorf("%s: identity %s: batch-%d keys are given without a place", path, name, m.Batch)
			}
		}
		if _, ok := id["login"]; ok {
			login = true
		}
	}
	if key {
		c.keys++
	}
	if login {
		c.logins++
	}
	if (key || login) && m.Transport == "" {
		t.Errorf("%s: identities carry a token or key, but no transport: says where it goes", path)
	}
	items, _ := top["truth"].([]any)
	for _, it := range items {
		im, _ := it.(map[string]any)
		if _, ok := im["http"]; !ok {
			t.Errorf("%s: truth %v: batch %d says http: true or false", path, im["id"], m.Batch)
		}
		if w, _ := im["why"].(string); w == "" {
			t.Errorf("%s: truth %v: no why", path, im["id"])
		}
	}
}
