package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
)

// WriteJSON writes a large inventory one endpoint at a time: the bytes
// are those of encoding the whole result at once, whatever the endpoints
// hold (HTML characters, quotes, maps, nested lists) and whatever follows
// them (findings, diagnostics that also name endpoints).
func TestWriteJSONStreamsIdentically(t *testing.T) {
	for _, n := range []int{0, 1, streamEndpoints - 1, streamEndpoints, streamEndpoints + 7} {
		r := &Result{Schema: Schema, Target: "dir <&>", StartedAt: time.Unix(1700000000, 0).UTC(),
			Findings:    []finding.Finding{{Rule: "py.x", Message: `"endpoints": [] <b>`}},
			Warnings:    []string{"\n  \"endpoints\": []"},
			Diagnostics: &Diagnostics{Skipped: []string{"a.py"}}}
		for i := range n {
			ep := Endpoint{Method: "GET", Path: fmt.Sprintf("/items%d/<id>", i), Source: "app.py:1"}
			if i%3 == 0 {
				ep.Auth = []string{"decorator login_required", `hook "gate" & <x>`}
				ep.Matrix = map[string]string{"b": "rejected", "a": "accepted"}
			}
			r.Endpoints = append(r.Endpoints, ep)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d endpoints: written\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
}
