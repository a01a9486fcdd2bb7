// Package report owns the canonical JSON result (schema authprobe/v1) and the
// writers that render it: text, JSON and the formats built on them. Writers
// never change findings; they only render a Result.
package report

import (
	"bytes"
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
	// Gate names the verifier the endpoint shares with others (the gate
	// map: "behaviour:HASH" when grouped by identical refusals and
	// discriminating forgeries, "source:FILE:LINE" from the code).
	Gate string `json:"gate,omitempty"`
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
	// Coverage says, per check family, which endpoints were tested and
	// which were skipped and why (scan).
	Coverage []Coverage `json:"coverage,omitempty"`
	// Accounts are the throwaway accounts a scan registered (--allow-writes).
	Accounts []Account `json:"accounts,omitempty"`
	// Writes say, per write endpoint of the inventory, what the whole scan
	// sent it and whether it was exercised (scan --allow-writes).
	Writes []WriteCoverage `json:"writes,omitempty"`
	// Diagnostics say where the source model is blind: route-like
	// registrations seen vs. resolved, with the reason of each miss (code).
	Diagnostics *Diagnostics `json:"diagnostics,omitempty"`
	// Graded is false when the result carries no grade (SetGrade): a run
	// limited by --checks/--skip, a core family that could not run or
	// decide, or answers mostly inconclusive. Score and Grade are set
	// only when it is true; NotGraded then says why not ("partial" or
	// "incomplete", then the reasons).
	Graded    bool     `json:"graded"`
	Score     *int     `json:"score,omitempty"`
	Grade     string   `json:"grade,omitempty"`
	NotGraded []string `json:"not_graded,omitempty"`
	// FamiliesNotRun are the check families --checks/--skip left out,
	// wholly or in part.
	FamiliesNotRun []string `json:"families_not_run,omitempty"`
	// Fixes are the patches `authprobe fix` made for the findings, with
	// their proofs; SARIF and Markdown show the proven ones.
	Fixes []Fix `json:"fixes,omitempty"`
}

// Account is one throwaway account the scan registered.
type Account struct {
	Name   string   `json:"name"`
	User   string   `json:"user,omitempty"`
	How    string   `json:"how"`
	State  string   `json:"state"`
	Fields []string `json:"fields,omitempty"`
}

// WriteCoverage is what every phase of a scan (writes, lifecycle,
// accounts, brute force) sent one write endpoint. It is exercised when any
// request got a 2xx, or when it answered otherwise (a form's 302 back to
// its page) and the scan read the change back (Effect: that status).
type WriteCoverage struct {
	Endpoint  finding.Endpoint `json:"endpoint"`
	Sent      int              `json:"sent"`
	Succeeded int              `json:"succeeded"`
	Statuses  []int            `json:"statuses,omitempty"`
	Exercised bool             `json:"exercised"`
	Effect    int              `json:"effect,omitempty"`
}

// Coverage is what one check family (jwt, apikey, authz, ratelimit, ...)
// could and could not test.
type Coverage struct {
	Family string `json:"family"`
	// Tested counts the endpoints (or identities, for per-identity
	// families) the family ran on.
	Tested int `json:"tested"`
	// Inconclusive counts the endpoints the family ran on whose answers
	// were mostly 429, 5xx or timeouts: run, not tested.
	Inconclusive int `json:"inconclusive,omitempty"`
	// Undecided says why the family could not decide anything (no refusal
	// recognised, every write skipped, identities set aside by preflight).
	Undecided string `json:"undecided,omitempty"`
	// Skipped lists what the family did not run on, with the reason
	// ("no usable JWT", "no second identity", "write not allowed", "body
	// unknown", "answered 5xx", "side effect", "out of budget", ...).
	Skipped []Skip `json:"skipped,omitempty"`
}

// Skip is one endpoint (or identity) a family did not test, and why.
type Skip struct {
	Endpoint *finding.Endpoint `json:"endpoint,omitempty"`
	Identity string            `json:"identity,omitempty"`
	Reason   string            `json:"reason"`
}

// Diagnostics are the route-coverage figures of a source analysis.
type Diagnostics struct {
	// RoutesSeen counts route-like decorators and registrations.
	RoutesSeen int `json:"routes_seen"`
	// RoutesResolved counts those that became routes with a full path.
	RoutesResolved int `json:"routes_resolved"`
	// Unresolved lists the ones that did not, each with why.
	Unresolved []Unresolved `json:"unresolved,omitempty"`
	// Assumed lists registrations resolved only by an assumption the
	// analysis states (a blueprint no call names, taken as registered by
	// a loader's dynamic register_blueprint), one entry per file and
	// assumption at its first line.
	Assumed []Unresolved `json:"assumed,omitempty"`
	// Skipped lists files or directories left out and why (test code,
	// --exclude, parse failure).
	Skipped []string `json:"skipped,omitempty"`
	// Mode is "exact" when the routes are the imported app's url_map
	// (--import), "static" otherwise; ModeNote names the imported app, or
	// says why the import failed.
	Mode     string `json:"mode,omitempty"`
	ModeNote string `json:"mode_note,omitempty"`
	// Stubbed names the third-party modules exact mode replaced with
	// stand-ins to import the app: its routes are "exact (stubbed: N
	// modules)", as far as the stand-ins let the app build them.
	Stubbed []string `json:"stubbed,omitempty"`
	// NotPlaced lists routes the framework serves that the static model
	// did not place, each with why (exact mode).
	NotPlaced []Unresolved `json:"not_placed,omitempty"`
	// Dropped lists routes the static model placed that the imported app
	// does not serve (exact mode).
	Dropped []Unresolved `json:"dropped,omitempty"`
	// Settings are the imported app's security config (exact mode):
	// whether each secret is set, its length and entropy, never its
	// value; transport settings with their value.
	Settings []Setting `json:"settings,omitempty"`
}

// Setting is one security-relevant config key of an imported app.
type Setting struct {
	Key         string  `json:"key"`
	Set         bool    `json:"set"`
	Length      int     `json:"length,omitempty"`
	EntropyBits float64 `json:"entropy_bits,omitempty"`
	Type        string  `json:"type,omitempty"`
	Value       any     `json:"value,omitempty"`
}

// Unresolved is one route-like registration the model could not resolve.
type Unresolved struct {
	Location finding.Location `json:"location"`
	Reason   string           `json:"reason"`
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
	if len(r.Endpoints) < streamEndpoints {
		return encodeJSON(w, r, "")
	}
	// A large inventory (a large project's code run) is written one
	// endpoint at a time into the rest of the document, byte for byte what
	// encoding it whole writes, without holding the whole text (twice, once
	// indented) in memory.
	skel := *r
	skel.Endpoints = []Endpoint{}
	var head bytes.Buffer
	if err := encodeJSON(&head, &skel, ""); err != nil {
		return err
	}
	doc := head.Bytes()
	mark := []byte("\n  \"endpoints\": []")
	at := bytes.Index(doc, mark)
	if at < 0 || bytes.Contains(doc[at+len(mark):], mark) {
		return encodeJSON(w, r, "")
	}
	open := at + len(mark) - 1 // just past the '['
	if _, err := w.Write(doc[:open]); err != nil {
		return err
	}
	var el bytes.Buffer
	for i := range r.Endpoints {
		el.Reset()
		sep := ",\n    "
		if i == 0 {
			sep = "\n    "
		}
		el.WriteString(sep)
		if err := encodeJSON(&el, &r.Endpoints[i], "    "); err != nil {
			return err
		}
		if _, err := w.Write(bytes.TrimSuffix(el.Bytes(), []byte("\n"))); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, "\n  "); err != nil {
		return err
	}
	_, err := w.Write(doc[open:])
	return err
}

// streamEndpoints is the inventory size from which WriteJSON writes the
// endpoints one by one.
const streamEndpoints = 256

// encodeJSON writes v indented two spaces a level, each line after the
// first starting with prefix, without HTML escapes.
func encodeJSON(w io.Writer, v any, prefix string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
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
