// Package rules holds authprobe's static rules over the Flask model: each
// rule is a value with an id (its catalog entry) and a Run function that
// reports through a Pass.
package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Rule is one static check.
type Rule struct {
	// IDs are the catalog ids the rule reports.
	IDs []string
	Doc string
	Run func(*Pass)
	// Evidence is, per id, what a medium-or-above finding must carry
	// (gate.go); every id declares it.
	Evidence map[string]Evidence
}

// Call is a call site with its callee qualified through imports.
type Call struct {
	Node   *python.Node
	Module *flask.Module
	// Q is the qualified callee ("jwt.decode", "jose.jwt.decode").
	Q    string
	Args *python.Node
}

// Pass is the state of one analysis run shared by the rules.
type Pass struct {
	Project  *flask.Project
	Calls    []Call
	Findings []finding.Finding
	seen     map[string]bool
	// wordCount: occurrences of a decorator's name in the sources (unapplied.go).
	wordCount map[string]int
	// depsMemo: the distributions each manifest file names (deps.go).
	depsMemo map[string]map[string]bool
	// loadedCfg and classByName: which config classes the app loads (loadedcfg.go).
	loadedCfg   *loadedConfigs
	classByName map[string][]*python.Node
	// handled are option dicts already judged at their decode call.
	handled map[*python.Node]bool
	// reach is the request-handling code (built on first use).
	reach *reach
	// names are the project's identifiers and config keys (secretShaped).
	names map[string]bool
	// secretNodes are literals already reported as a JWT or Flask secret.
	secretNodes map[*python.Node]bool
	// derived and sites memoize requestDerived and CallSites.
	derived map[*python.Node]bool
	// truncated: a requestDerived below hit its depth bound (its false
	// is not memoized).
	truncated bool
	// derivedCut: the depth a truncated false was found at.
	derivedCut map[*python.Node]int
	// credReads memoizes credentialRead for requestDerived.
	credReads map[*python.Node]bool
	sites     map[*python.Node][]flask.CallSite
	// idents indexes the identifiers usesOf looks for.
	idents, strs map[*flask.Module]map[string][]*python.Node
	// secrets are the signing secrets the secret rules read, with values.
	secrets []Secret
	// fieldWrites are the values assigned to obj.NAME, by NAME.
	fieldWrites map[string][]*python.Node
	// importedMods are the modules another project module imports.
	importedMods map[*flask.Module]bool
	// flows are the rules' sink predicates over the one path-follower.
	flows flows
	// byAttr indexes Calls by method name (callsByAttr).
	byAttr map[string][]Call
	// keyRead memoizes readsSecretKey per module.
	keyRead map[*flask.Module]*python.Node
}

// NewPass indexes the project's call sites.
func NewPass(p *flask.Project) *Pass {
	ps := &Pass{Project: p, seen: map[string]bool{}, handled: map[*python.Node]bool{}, secretNodes: map[*python.Node]bool{},
		derived: map[*python.Node]bool{}, sites: map[*python.Node][]flask.CallSite{}, flows: newFlows()}
	n := 0
	for _, m := range p.Modules {
		n += len(m.File.OfKind("call"))
	}
	ps.Calls = make([]Call, 0, n)
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("call") {
			q := m.Qualify(n.ChildByField("function").DottedName())
			if (strings.HasPrefix(q, "jwt.") || strings.HasPrefix(q, "jose.") || strings.HasPrefix(q, "authlib.")) && shadowed(n) {
				// jwt = JsonWebToken(algs); jwt.decode(...): a local, not
				// the module its name spells.
				q = "local." + n.ChildByField("function").DottedName()
			}
			ps.Calls = append(ps.Calls, Call{Node: n, Module: m, Q: q, Args: n.ChildByField("arguments")})
		}
	}
	return ps
}

// Report records a finding of rule id at node n (once per rule, line and
// endpoint).
func (ps *Pass) Report(id string, n *python.Node, conf finding.Confidence, msg string, ep *finding.Endpoint, related ...flask.Loc) {
	ps.ReportFlow(id, n, conf, msg, nil, ep, related...)
}

// ReportFlow records a finding with its evidence path; the gate weighs it
// by the evidence its rule declares.
func (ps *Pass) ReportFlow(id string, n *python.Node, conf finding.Confidence, msg string, flow []finding.Step, ep *finding.Endpoint, related ...flask.Loc) {
	if n == nil || n.File == nil {
		return
	}
	loc := finding.Location{File: n.File.Path, Line: n.Line, Column: n.Col() + 1, Snippet: strings.TrimSpace(n.File.Line(n.Line))}
	before := len(ps.Findings)
	ps.ReportAt(id, loc, conf, msg, flow, ep, related...)
	if len(ps.Findings) > before {
		if d := ps.unappliedDecorator(n); d != nil {
			ps.refute(before, step(d.ChildByField("name"), "", "it runs inside the decorator "+d.ChildByField("name").Text()+
				", which nothing in the project applies or names: no request reaches it"))
		}
		if why := ps.missingDepFallback(n); why != "" {
			ps.refute(before, step(n, "", why))
		}
	}
}

// ReportAt records a finding at a location that is not Python source (a
// setting in a JSON or TOML config file).
func (ps *Pass) ReportAt(id string, loc finding.Location, conf finding.Confidence, msg string, flow []finding.Step, ep *finding.Endpoint, related ...flask.Loc) {
	key := id + "\x00" + loc.File + "\x00" + itoa(loc.Line)
	if ep != nil {
		key += "\x00" + ep.String()
	}
	if ps.seen[key] {
		return
	}
	ps.seen[key] = true
	f := catalog.New(id)
	f.Confidence = conf
	f.Message = msg
	f.Source = "static"
	f.Endpoint = ep
	f.Flow = flow
	gate(&f)
	f.Location = &loc
	for _, r := range related {
		f.Related = append(f.Related, finding.Location{File: r.File, Line: r.Line})
	}
	ps.Findings = append(ps.Findings, f)
}

// Arg returns a call argument by position (pos < 0: keyword only) or name.
func (c Call) Arg(pos int, name string) *python.Node {
	for _, a := range c.Args.NamedChildren() {
		if a.Kind == "keyword_argument" && a.ChildByField("name").Text() == name {
			return a.ChildByField("value")
		}
	}
	if pos < 0 {
		return nil
	}
	k := 0
	for _, a := range c.Args.NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "list_splat", "dictionary_splat":
			continue
		}
		if k == pos {
			return a
		}
		k++
	}
	return nil
}

// HasKwargs reports a **kwargs argument (options we cannot see).
func (c Call) HasKwargs() bool {
	for _, a := range c.Args.NamedChildren() {
		if a.Kind == "dictionary_splat" {
			return true
		}
	}
	return false
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	p := len(b)
	for i > 0 {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
	}
	return string(b[p:])
}

// All returns every rule, in a fixed order.
func All() []Rule {
	return []Rule{
		{IDs: []string{"py.jwt-unverified", "py.jwt-no-algorithms", "py.jwt-alg-from-header", "py.jwt-alg-none",
			"py.jwt-alg-mixed", "py.jwt-exp-not-verified", "py.jwt-claim-not-verified", "py.jwt-exp-not-required",
			"py.jwt-large-leeway", "py.jwt-empty-secret", "py.authlib-claims-not-validated"},
			Doc: "JWT decoding with PyJWT, python-jose and authlib", Run: runDecode,
			Evidence: with(declare(evCaller, "py.jwt-unverified"), declare(evPath, "py.jwt-alg-from-header"),
				declare(evCallerOpt, "py.jwt-exp-not-verified", "py.jwt-claim-not-verified"),
				declare(evConstruct, "py.jwt-no-algorithms", "py.jwt-alg-none", "py.jwt-alg-mixed", "py.jwt-exp-not-required",
					"py.jwt-large-leeway", "py.jwt-empty-secret", "py.authlib-claims-not-validated"))},
		{IDs: []string{"py.jwt-unverified-claims"}, Doc: "unverified header or claims used without a verified decode", Run: runUnverifiedClaims,
			Evidence: declare(evCaller, "py.jwt-unverified-claims")},
		{IDs: []string{"py.jwt-encode-alg-none", "py.jwt-sensitive-claims", "py.jwt-no-expiry", "py.jwt-long-lifetime"},
			Doc: "tokens issued with jwt.encode and flask-jwt-extended", Run: runEncode,
			Evidence: with(declare(evPath, "py.jwt-sensitive-claims", "py.jwt-no-expiry"), declare(evConstruct, "py.jwt-encode-alg-none", "py.jwt-long-lifetime"))},
		{IDs: []string{"py.jwtx-no-expiry", "py.jwtx-token-in-query", "py.jwtx-csrf-off", "py.jwtx-verify-type-off"},
			Doc: "flask-jwt-extended configuration", Run: runJWTExtended,
			Evidence: declare(evConfig, "py.jwtx-no-expiry", "py.jwtx-token-in-query", "py.jwtx-csrf-off", "py.jwtx-verify-type-off")},
		{IDs: []string{"py.jwt-hardcoded-secret", "py.jwt-weak-secret", "py.flask-hardcoded-secret-key",
			"py.flask-weak-secret-key", "py.hardcoded-api-key"}, Doc: "secrets in source", Run: runSecrets,
			Evidence: declare(evSecret, "py.jwt-hardcoded-secret", "py.jwt-weak-secret", "py.flask-hardcoded-secret-key", "py.flask-weak-secret-key", "py.hardcoded-api-key")},
		{IDs: []string{"py.apikey-timing-compare", "py.apikey-empty-key", "py.credential-in-query", "py.apikey-case-folded"},
			Doc: "API key comparisons and transport", Run: runAPIKeys,
			Evidence: with(declare(evPath, "py.apikey-timing-compare", "py.credential-in-query", "py.apikey-case-folded"), declare(evConstruct, "py.apikey-empty-key"))},
		{IDs: []string{"py.route-missing-auth", "py.auth-decorator-order", "py.jwtx-optional-sensitive"},
			Doc: "routes without authentication", Run: runRoutes,
			Evidence: with(declare(evSiblings, "py.route-missing-auth"), declare(evConstruct, "py.auth-decorator-order", "py.jwtx-optional-sensitive"))},
		{IDs: []string{"py.gate-stale-endpoint", "py.auth-fail-open"}, Doc: "before_request gates and fail-open checks", Run: runGates,
			Evidence: declare(evConstruct, "py.gate-stale-endpoint", "py.auth-fail-open")},
		{IDs: []string{"py.flask-debug"}, Doc: "debug mode", Run: func(ps *Pass) { runDebug(ps); dotenvDebug(ps) }, Evidence: declare(evDeploy, "py.flask-debug")},
		{IDs: []string{"py.jwt-alg-none", "py.jwt-signature-optional", "py.jwt-alg-mixed"}, Doc: "hand-written JWT verifiers", Run: runHandRolled,
			Evidence: declare(evConstruct, "py.jwt-alg-none", "py.jwt-signature-optional", "py.jwt-alg-mixed")},
		{IDs: []string{"py.jwt-kid-path", "py.jwt-kid-sql", "py.jwt-key-from-header"}, Doc: "verification keys chosen by the token", Run: runKeys,
			Evidence: declare(evConstruct, "py.jwt-kid-path", "py.jwt-kid-sql", "py.jwt-key-from-header")},
		{IDs: []string{"py.route-missing-role"}, Doc: "a route with a weaker check than its siblings", Run: runMissingRole,
			Evidence: declare(evSiblings, "py.route-missing-role")},
		{IDs: []string{"py.default-credentials"}, Doc: "accounts created at start-up with a password written in the code", Run: runDefaultCreds,
			Evidence: declare(evConstruct, "py.default-credentials")},
	}
}

// reportReview records a finding whose evidence shows it is not the
// weakness the rule names at full weight: low, marked for review, with
// the reason in msg and the path that shows it.
func (ps *Pass) reportReview(id string, n *python.Node, msg string, flow []finding.Step, ep *finding.Endpoint) {
	before := len(ps.Findings)
	ps.ReportFlow(id, n, finding.Tentative, msg, flow, ep)
	if len(ps.Findings) > before && ps.Findings[before].Severity.Rank() < finding.Medium.Rank() {
		// a rule floor below medium (its catalog weight): still a review
		f := &ps.Findings[before]
		f.Severity, f.Message = finding.Low, "review: "+strings.TrimPrefix(msg, "review: ")
	}
	ps.refute(before, step(n, "", msg))
}
