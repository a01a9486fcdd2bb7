// Package finding owns the one Finding type shared by the scanner, the source
// analysis and every report writer, with its severity and confidence scales,
// its tags and its stable fingerprint.
package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Severity orders findings for reports and for --fail-on.
type Severity string

const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	Info     Severity = "info"
)

// Rank is larger for more severe findings; an unknown severity ranks lowest.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 5
	case High:
		return 4
	case Medium:
		return 3
	case Low:
		return 2
	case Info:
		return 1
	}
	return 0
}

// ParseSeverity accepts a --fail-on value; "none" yields the empty severity,
// which no finding reaches.
func ParseSeverity(s string) (Severity, bool, error) {
	switch v := Severity(strings.ToLower(s)); v {
	case Critical, High, Medium, Low, Info:
		return v, true, nil
	case "none":
		return "", false, nil
	}
	return "", false, fmt.Errorf("unknown severity %q (want critical, high, medium, low, info or none)", s)
}

// Confidence says how a finding was established.
type Confidence string

const (
	// Confirmed: proven with a canary or reproduced live (and, for static
	// findings, confirmed by the scan).
	Confirmed Confidence = "confirmed"
	// Firm: proven live by response similarity, or a static pattern whose
	// meaning is unambiguous.
	Firm Confidence = "firm"
	// Tentative: a static pattern that depends on context we cannot see.
	Tentative Confidence = "tentative"
)

// Endpoint names the HTTP operation a finding is about.
type Endpoint struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

func (e Endpoint) String() string { return e.Method + " " + e.Path }

// Location is a line in the analysed source.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
	// Snippet is the source line, trimmed.
	Snippet string `json:"snippet,omitempty"`
}

func (l Location) String() string { return fmt.Sprintf("%s:%d", l.File, l.Line) }

// Evidence is the reproducible proof of a dynamic finding. Credentials in it
// are already redacted unless the user asked for secrets.
type Evidence struct {
	Curl    string `json:"curl,omitempty"`
	Status  int    `json:"status,omitempty"`
	Request string `json:"request,omitempty"`
	// Proof says in one line why the verdict holds (canary reflected,
	// similarity to the accepted baseline, negative control rejected...).
	Proof string `json:"proof,omitempty"`
	// Control describes the negative control and its outcome.
	Control string `json:"control,omitempty"`
	// Token is the (redacted) forged credential.
	Token string `json:"token,omitempty"`
}

// Finding is one weakness, found live, in source, or both.
type Finding struct {
	Fingerprint string     `json:"fingerprint"`
	Rule        string     `json:"rule"`
	Title       string     `json:"title"`
	Severity    Severity   `json:"severity"`
	Confidence  Confidence `json:"confidence"`
	CWE         []string   `json:"cwe"`
	OWASP       []string   `json:"owasp"`
	Endpoint    *Endpoint  `json:"endpoint"`
	Location    *Location  `json:"location"`
	Message     string     `json:"message"`
	Evidence    *Evidence  `json:"evidence,omitempty"`
	Remediation string     `json:"remediation"`
	// Identity names the identity whose credential the finding concerns.
	Identity string `json:"identity,omitempty"`
	// Source is "dynamic", "static" or "both".
	Source string `json:"source,omitempty"`
	// Suppressed carries the reason of an inline ignore comment.
	Suppressed string `json:"suppressed,omitempty"`
	// Related points at other lines that share the cause (a gate listing a
	// stale endpoint, the decorator used by a route).
	Related []Location `json:"related,omitempty"`
	// Gate names the verifier, decorator or hook the finding's endpoints
	// share ("source:auth.py:12" from the code, "behaviour:3" when grouped
	// by identical refusals); empty when not known.
	Gate string `json:"gate,omitempty"`
	// Instances lists every place the same root cause was seen: each
	// endpoint (and identity, and location where known). Endpoint above is
	// the representative; an API-wide finding has a null Endpoint and its
	// places here.
	Instances []Instance `json:"instances,omitempty"`
	// Replay is the representative's proving request for retest; nil when
	// it cannot be replayed without a credential or a recovered secret.
	Replay *Replay `json:"replay,omitempty"`
	// Flow is a static finding's evidence as a path, the way CodeQL's path
	// results carry it: where the value comes from (source), the steps it
	// takes, where it is used (sink) and why that code handles requests
	// (entry: the route, hook or auth decorator that reaches it).
	Flow []Step `json:"flow,omitempty"`
	// Fields names the body fields the finding proved, sorted: the fields a
	// client could set that it must not (mass assignment, an owner field
	// the body overrides), or the sensitive fields an answer carried (a
	// leak). Empty when the finding is not about fields.
	Fields []string `json:"fields,omitempty"`
}

// Step is one place of a finding's Flow.
type Step struct {
	Location
	// Role is "source", "step", "sink", "entry" or "counter" (a fact that
	// refutes the weakness: the finding is a review item, and this is why).
	Role string `json:"role"`
	// Note says what happens there, in a few words.
	Note string `json:"note,omitempty"`
}

// Replay is what retest needs to send a finding's proving request again:
// the request, and for each credential where it comes from — the
// identity's own (fetched fresh at retest), a forgery anyone can make from
// it (re-forged with fresh times), or a literal value that is no credential.
// It never holds a credential, a recovered secret or a token signed with one.
type Replay struct {
	Method string `json:"method"`
	// Path is the path and query relative to the target, credentials out.
	Path  string       `json:"path"`
	Creds []ReplayCred `json:"creds,omitempty"`
	// Status is the answer that proved the finding.
	Status int `json:"status"`
}

// ReplayCred is one credential of a replayed request.
type ReplayCred struct {
	// Kind and Name say where it is sent: bearer, header NAME, cookie NAME,
	// query NAME.
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
	// Identity and Slot ("bearer", "header:NAME", ...) say whose credential
	// it starts from; empty for a literal.
	Identity string `json:"identity,omitempty"`
	Slot     string `json:"slot,omitempty"`
	// Value is the literal value (a malformed or empty credential).
	Value string `json:"value,omitempty"`
	// Forge, Alg, KeepSig and Claims are the forgery's recipe (jose.Recipe);
	// empty Forge: the credential as it is.
	Forge   string         `json:"forge,omitempty"`
	Alg     string         `json:"alg,omitempty"`
	KeepSig bool           `json:"keep_sig,omitempty"`
	Claims  map[string]any `json:"claims,omitempty"`
}

// Instance is one place a finding's root cause was seen.
type Instance struct {
	Endpoint *Endpoint `json:"endpoint,omitempty"`
	Identity string    `json:"identity,omitempty"`
	Location *Location `json:"location,omitempty"`
	// Status is the answer to the proving request at this place.
	Status int `json:"status,omitempty"`
	// Confirmed is true when the proving request was replayed here (false:
	// inferred from the gate, e.g. in --fast mode on a sample).
	Confirmed bool `json:"confirmed,omitempty"`
	// Curl is the proving request as sent here (credentials redacted),
	// when it differs from the finding's own evidence.
	Curl string `json:"curl,omitempty"`
}

// ComputeFingerprint sets a stable fingerprint from what identifies the
// weakness: rule, endpoint, identity and source location, never the message,
// evidence or anything that varies between runs.
func (f *Finding) ComputeFingerprint() {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", f.Rule)
	if f.Endpoint != nil {
		fmt.Fprintf(h, "%s %s\x00", f.Endpoint.Method, f.Endpoint.Path)
	}
	fmt.Fprintf(h, "%s\x00", f.Identity)
	if f.Location != nil {
		fmt.Fprintf(h, "%s:%d\x00", f.Location.File, f.Location.Line)
	}
	f.Fingerprint = hex.EncodeToString(h.Sum(nil))[:32]
}

// ComputeRootFingerprint sets the fingerprint of a finding that stands for
// a root cause from the rule and what identifies the cause (the gate's
// refusal signature, the token issuer, the cause line), never from the list
// of places it was seen: an endpoint added behind a gate that already has
// the finding does not make it new.
func (f *Finding) ComputeRootFingerprint(cause string) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00root\x00%s\x00", f.Rule, cause)
	f.Fingerprint = hex.EncodeToString(h.Sum(nil))[:32]
}

// Places lists where a finding was seen: its instances, or its endpoint
// and identity when it has none (results written before instances).
func (f Finding) Places() []Instance {
	if len(f.Instances) > 0 {
		return f.Instances
	}
	if f.Endpoint == nil && f.Identity == "" && f.Location == nil {
		return nil
	}
	return []Instance{{Endpoint: f.Endpoint, Identity: f.Identity, Location: f.Location, Confirmed: true}}
}

// Sort orders findings for deterministic output: severity, rule, endpoint,
// location, identity.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if ka, kb := endpointKey(a.Endpoint), endpointKey(b.Endpoint); ka != kb {
			return ka < kb
		}
		if ka, kb := locationKey(a.Location), locationKey(b.Location); ka != kb {
			return ka < kb
		}
		return a.Identity < b.Identity
	})
}

func endpointKey(e *Endpoint) string {
	if e == nil {
		return ""
	}
	return e.Path + " " + e.Method
}

func locationKey(l *Location) string {
	if l == nil {
		return ""
	}
	return fmt.Sprintf("%s:%09d", l.File, l.Line)
}

// AtLeast reports whether any unsuppressed finding is at or above min.
func AtLeast(fs []Finding, min Severity) bool {
	if min == "" {
		return false
	}
	for _, f := range fs {
		if f.Suppressed == "" && f.Severity.Rank() >= min.Rank() {
			return true
		}
	}
	return false
}
