// Package report owns the canonical JSON result (schema authprobe/v1) and the
// writers that render it: text, JSON and the formats built on them. Writers
// never change findings; they only render a Result.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
)

// Schema is the value of Result.Schema; bump only with a deprecation path.
const Schema = "authprobe/v1"

// Tool names the producer of a result.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Stats are the counters of one run.
type Stats struct {
	Requests   int   `json:"requests"`
	Endpoints  int   `json:"endpoints"`
	DurationMS int64 `json:"duration_ms"`
	// Files and Lines are set by source analysis.
	Files int `json:"files,omitempty"`
	Lines int `json:"lines,omitempty"`
	// Suppressed counts findings hidden by inline ignores or a baseline.
	Suppressed int `json:"suppressed,omitempty"`
}

// Endpoint is one row of the auth matrix.
type Endpoint struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Source is "file:line" of the handler when known.
	Source string `json:"source,omitempty"`
	// Policy is the inferred (scan) or declared (code) policy: public, jwt,
	// api-key, jwt-or-key, jwt-and-key, role-restricted, unknown.
	Policy string `json:"policy,omitempty"`
	// Auth lists the mechanisms the code applies (decorators, hooks).
	Auth []string `json:"auth,omitempty"`
	// Matrix maps a principal or credential variant to accepted, rejected
	// or inconclusive.
	Matrix map[string]string `json:"matrix,omitempty"`
	// Requests is how many requests the scan sent to this endpoint.
	Requests int `json:"requests,omitempty"`
}

// Result is the canonical output of every command; every other format is
// rendered from it.
type Result struct {
	Schema    string            `json:"schema"`
	Tool      Tool              `json:"tool"`
	Target    string            `json:"target"`
	StartedAt time.Time         `json:"started_at,omitzero"`
	Stats     Stats             `json:"stats"`
	Endpoints []Endpoint        `json:"endpoints"`
	Findings  []finding.Finding `json:"findings"`
	// Incomplete is true when the run was interrupted or its budget spent.
	Incomplete bool `json:"incomplete,omitempty"`
	// NotRun lists checks that were skipped, with the reason.
	NotRun []string `json:"not_run,omitempty"`
	// Warnings are problems that did not stop the run (a file that did not
	// parse, an endpoint that never answered).
	Warnings []string `json:"warnings,omitempty"`
}

// New returns an empty result for target with non-nil slices, so the JSON
// always has arrays.
func New(target, version string) *Result {
	return &Result{
		Schema:    Schema,
		Tool:      Tool{Name: "authprobe", Version: version},
		Target:    target,
		Endpoints: []Endpoint{},
		Findings:  []finding.Finding{},
	}
}

// WriteJSON writes r as indented JSON.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// ReadJSON loads a saved result and checks its schema.
func ReadJSON(path string) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.Schema != Schema {
		return nil, fmt.Errorf("%s: schema %q, want %q", path, r.Schema, Schema)
	}
	if r.Findings == nil {
		r.Findings = []finding.Finding{}
	}
	if r.Endpoints == nil {
		r.Endpoints = []Endpoint{}
	}
	return &r, nil
}
