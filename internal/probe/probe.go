// Package probe defines what a dynamic check is and the Pass through which
// it acts: the endpoint and identity under test, the oracle's calibration,
// a request function that applies credentials and records evidence, and the
// sink for findings. A Check declares, as data, what the engine needs to
// schedule it and group its findings (check.go): whether it judges the
// verifier, its discriminating requests, the checks it requires, the
// chains its findings start and its family's per-scan state. Checks live
// in subpackages, one concern each; the engine holds the registry and runs
// them.
package probe

import (
	"context"
	"time"

	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
)

// Outcome is one sent probe and its verdict.
type Outcome struct {
	Label   string
	Request *httpx.Request
	Sample  *oracle.Sample
	Verdict oracle.Verdict
	Why     string
}

// Reflects reports whether the response carries the canary.
func (o *Outcome) Reflects(canary string) bool { return oracle.Reflects(o.Sample, canary) }

// Accepted is shorthand for a verdict of accepted.
func (o *Outcome) Accepted() bool { return o.Verdict == oracle.Accepted }

// Rejected is shorthand for a verdict of rejected.
func (o *Outcome) Rejected() bool { return o.Verdict == oracle.Rejected }

// Env is what the engine shares with every pass.
type Env interface {
	// Send applies creds to a request for the pass's endpoint (or for the
	// given URL when not empty), sends it and classifies the answer with cal
	// (nil cal: no verdict).
	Send(ctx context.Context, ep *inventory.Endpoint, req *httpx.Request, creds identity.Creds, cal *oracle.Calibration) *Outcome
	Redactor() *httpx.Redactor
	Session() *identity.Session
	Inventory() *inventory.Inventory
	AllowWrites() bool
	// Identities lists every identity of the scan, primary first.
	Identities() []*identity.Identity
	// Calibration returns the calibration of an endpoint for an identity.
	Calibration(ep *inventory.Endpoint, id *identity.Identity) *oracle.Calibration
	// Anonymous returns the endpoint's answer to a request without
	// credentials.
	Anonymous(ep *inventory.Endpoint) *oracle.Sample
	Endpoints() []*inventory.Endpoint
	// Report records a finding (filled with endpoint, identity and
	// fingerprint by the engine).
	Report(f finding.Finding)
	// Proven reports whether a rule was already reported for the endpoint
	// (nil: anywhere), for gating dependent checks.
	Proven(rule string, ep *inventory.Endpoint) bool
	// ResultOf reports whether check id (one the running check Requires)
	// proved any of its rules on the endpoint (nil: anywhere).
	ResultOf(id string, ep *inventory.Endpoint) bool
	// State returns the scan's state of a family (Check.Family).
	State(f *Family) State
	// SharesGate reports whether the engine carries the verdicts of the
	// endpoint's verifier over from another endpoint behind the same gate
	// (and confirms them there), so that a per-scan check of the verifier
	// may skip it.
	SharesGate(ep *inventory.Endpoint) bool
	// Note records a check that could not conclude, for the report.
	Note(msg string)
	// NotRun records a planned step that was not taken, and why ("PUT
	// /a/{id}: no object to write to"), for the result's not_run list.
	NotRun(msg string)
	// Undecided records that a family's check ran and could decide
	// nothing (every series inconclusive), for the coverage: such a
	// result is incomplete, never graded.
	Undecided(family, why string)
	// Settings are the user's scan options that checks read.
	Settings() Settings
	// First returns true for the first caller with a given key and false
	// after: an endpoint-level check runs with one identity, not all.
	First(key string) bool
	// URL returns the absolute URL of an endpoint on the target, its
	// parameters filled with their examples.
	URL(ep *inventory.Endpoint) string
	// Matrix returns the cells of an endpoint's auth matrix, probed after
	// calibration and before any check ran (nil for an unknown endpoint).
	Matrix(ep *inventory.Endpoint) []Cell
}

// Cell is one principal or credential variant of an endpoint's auth
// matrix and what the endpoint answered to it.
type Cell struct {
	// Key names the cell in the report: "anonymous", "alice",
	// "alice:jwt-only", "partner:key-invalid", "garbage-bearer".
	Key string
	// Identity is the identity whose credentials the variant starts from;
	// empty for anonymous and garbage cells.
	Identity string
	// Variant says what was sent (the slots.Cell* constants).
	Variant string
	Creds   identity.Creds
	// Ref is the calibration the verdict comes from: the reference
	// identity's valid answers against the anonymous one.
	Ref     *oracle.Calibration
	Outcome *Outcome
}

// Verdict is the cell's verdict, inconclusive when nothing was observed.
func (c Cell) Verdict() oracle.Verdict {
	if c.Outcome == nil {
		return oracle.Inconclusive
	}
	return c.Outcome.Verdict
}

// Settings are scan options for checks beyond the endpoint and identity.
type Settings struct {
	// JWTSecret and JWTKeyFile are signing material the owner gave
	// (--jwt-secret, --jwt-key, config jwt:); they unlock claim checks.
	JWTSecret  []byte
	JWTKeyFile string
	// CrackTime bounds offline secret recovery per token (--crack-time): an
	// upper bound; CrackDepth says where recovery stops before it.
	CrackTime time.Duration
	// CrackDepth is how far recovery goes (--crack-masks): crack.Short stops
	// after the built-in list, wordlists, rules and short masks.
	CrackDepth crack.Depth
	// Wordlists are extra candidate files for secret recovery (--wordlist).
	Wordlists []string
	// BruteforceAttempts is how many failures the brute-force check sends
	// before expecting throttling (--bruteforce-attempts).
	BruteforceAttempts int
	// AllowLockout lets the brute-force check send wrong passwords for the
	// configured (real) usernames (--allow-lockout); without it only
	// identities marked throwaway are used, others get a made-up username.
	AllowLockout bool
	// Policy maps path patterns to the identities allowed (config policy:).
	Policy map[string][]string
	// Callback is an address the target can reach authprobe on, for key set
	// URLs (jku/x5u); empty: only when the target is on loopback.
	Callback string
	// Flows name the lifecycle requests (config flows:, scan --source).
	Flows Flows
	// Bodies are request bodies per "METHOD /path" (config bodies:); they
	// win over the spec's.
	Bodies map[string]any
	// SourceSecrets are signing secrets written in the source (scan
	// --source): tried as keys before any cracking.
	SourceSecrets []SourceSecret
	// SourceBodies are the JSON bodies write handlers read, per "METHOD
	// /path" (scan --source): used where the config and spec give none.
	SourceBodies map[string]SourceBody
	// SourceReadBodies are the JSON bodies GET handlers read, per "GET
	// /path" (scan --source): an object named in a GET's body. Such a GET
	// may change what it names, so only --allow-writes checks send it.
	SourceReadBodies map[string]SourceBody
	// SourceQueries are the query parameters write handlers read, per
	// "METHOD /path" (scan --source): a new value may travel in the URL.
	SourceQueries map[string]map[string]any
	// IdentityReads are the headers, cookies and query parameters the
	// source reads from the request that may name the caller (scan
	// --source): candidates of the client-controlled identity check.
	IdentityReads []IdentityRead
	// SourceCredentials are the literal user name and password pairs the
	// source writes (scan --source): tried once each at the login.
	SourceCredentials []SourceCredential
}

// SourceCredential is a user name and password written in the code, where
// and in what shape (an account made with literals, a user record, a
// login comparing the request with literals).
type SourceCredential struct {
	User, Password, Where, How string
	File                       string
	Line                       int
	// Compared: the login itself compares the request with the literals.
	Compared bool
}

// IdentityRead is a request value the code reads that may say who the
// caller is, with the literals the code compares it with.
type IdentityRead struct {
	In, Name, Where string
	Literals        []string
	// Encoding and Field say how the code builds the value it sets:
	// "base64-json" and "username" for base64(json({"username": name})).
	Encoding, Field string
}

// SourceBody is a body read from a handler's code, and where.
type SourceBody struct {
	Value map[string]any
	Where string
	// Form: the handler reads a form (request.form), not JSON.
	Form bool
	// Files are the uploads it reads (request.files): field → kind of
	// file ("docx", "yaml", ...); sent as multipart/form-data.
	Files map[string]string
}

// SourceSecret is a secret the source analysis read, and its line.
type SourceSecret struct {
	Value      []byte
	File, What string
	Line       int
}

// Pass is one run of a check.
type Pass struct {
	Env
	// Endpoint is nil for per-identity and per-scan checks.
	Endpoint *inventory.Endpoint
	// Identity is nil for per-scan checks.
	Identity *identity.Identity
	// Creds are the identity's working credentials at the start of the pass.
	Creds identity.Creds
	// Cal is the endpoint's calibration for the identity (per-endpoint).
	Cal *oracle.Calibration
}

// Try sends the pass's endpoint request with creds and classifies it. The
// request is the endpoint's own; only its transcript label says which
// identity and probe sent it.
func (p *Pass) Try(ctx context.Context, label string, creds identity.Creds) *Outcome {
	if p.Identity != nil && p.Endpoint != nil {
		ctx = WithLabel(ctx, p.Identity.Name+": "+label)
	}
	o := p.Send(ctx, p.Endpoint, nil, creds, p.Cal)
	o.Label = label
	return o
}

type labelKey struct{}

// WithLabel names, for the transcript, who sends the requests made with
// ctx ("alice: tampered payload").
func WithLabel(ctx context.Context, label string) context.Context {
	return context.WithValue(ctx, labelKey{}, label)
}

// Label returns the transcript label WithLabel set, or "".
func Label(ctx context.Context) string {
	l, _ := ctx.Value(labelKey{}).(string)
	return l
}

// Evidence builds the proof of a finding from its positive outcome.
func (p *Pass) Evidence(o *Outcome, proof, control string) *finding.Evidence {
	r := p.Redactor()
	ev := &finding.Evidence{Proof: proof, Control: control}
	if o != nil && o.Request != nil {
		ev.Curl = r.Curl(o.Request)
		ev.Request = o.Request.Method + " " + r.URL(o.Request)
	}
	if o != nil && o.Sample != nil {
		ev.Status = o.Sample.Status
	}
	return ev
}

// Finding returns a finding of rule about the pass's endpoint and identity.
func (p *Pass) Finding(f finding.Finding) finding.Finding {
	if p.Endpoint != nil && f.Endpoint == nil {
		f.Endpoint = &finding.Endpoint{Method: p.Endpoint.Method, Path: p.Endpoint.Path}
	}
	if p.Identity != nil && f.Identity == "" {
		f.Identity = p.Identity.Name
	}
	return f
}

// Maker is an Env that keeps the objects the scan created: the only ones
// its state-changing requests may name.
type Maker interface {
	Made(id string)
	MadeIn(where, id string)
}

// Made tells e that the scan created the object id (learnt from a listing
// or the create's own request rather than its answer), or made the id up
// so that it names nothing anyone has.
func Made(e Env, id string) {
	if m, ok := e.(Maker); ok {
		m.Made(id)
	}
}

// MadeIn tells e that the scan created the object id in the collection
// the path where names (/api/notes): an id learnt from an answer names an
// object there, and the same number elsewhere (/users/7) is someone
// else's.
func MadeIn(e Env, where, id string) {
	if m, ok := e.(Maker); ok {
		m.MadeIn(where, id)
	}
}
