package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

func init() {
	for _, name := range []string{"models", "models-secure"} {
		labHooks[name] = append(labHooks[name], labHook{"bodies-from-models", testModelsLab})
	}
}

// testModelsLab (TestLabs/models/bodies-from-models, and on the twin)
// reads the scan of labs/models, whose write bodies only reqparse, a
// pydantic model and a dataclass declare: every create and update got a
// 2xx with the body the code declares (the owner's own writes; a DELETE
// may be the other identity's), nothing is listed as not run for want of a body, and the
// Flask-RESTful resources, which answer a missing or forged token with a
// 500, were tested (anonymous and the forged token rejected, not
// inconclusive).
func testModelsLab(t *testing.T, lab *labtest.Lab, res *report.Result, dir string) {
	data, err := os.ReadFile(filepath.Join(dir, "transcript.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	item := regexp.MustCompile(`/[0-9]+$`)
	ok := map[string]bool{}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var e struct {
			Method, URL, Identity string
			Status                int
		}
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		// The owner's writes; a DELETE may be the other identity's (the
		// BOLA proof on the vulnerable build), never an anonymous one.
		if e.Status/100 == 2 && (e.Identity == "alice" || e.Method == "DELETE" && e.Identity == "bob") {
			ok[e.Method+" "+item.ReplaceAllString(urlPath(e.URL), "/{id}")] = true
		}
	}
	for _, w := range []string{"POST /api/parts", "PUT /api/parts/{id}", "POST /api/orders", "PUT /api/orders/{id}", "POST /api/shipments", "DELETE /api/shipments/{id}"} {
		if !ok[w] {
			t.Errorf("%s never got a 2xx for its owner", w)
		}
	}
	for _, n := range res.NotRun {
		if regexp.MustCompile(`^writes: .*(no request body|answered 4)`).MatchString(n) {
			t.Errorf("not run: %s", n)
		}
	}
	for _, ep := range res.Endpoints {
		if ep.Method != "GET" || (ep.Path != "/api/parts" && ep.Path != "/api/parts/{part_id}") {
			continue
		}
		for _, cell := range []string{"anonymous", "alice:jwt-forged"} {
			if v := ep.Matrix[cell]; v != "rejected" {
				t.Errorf("%s %s: %s is %q, want rejected (the resource refuses with a 500)", ep.Method, ep.Path, cell, v)
			}
		}
	}
}
