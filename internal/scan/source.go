package scan

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/matrix"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/report"
	codesrc "github.com/authprobe/authprobe/internal/source"
	"github.com/authprobe/authprobe/internal/static"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/rules"
)

// source is the source side of a source-aware scan; the zero value
// (no --source) joins nothing.
type source struct {
	proj         *flask.Project
	static       []finding.Finding
	undocumented []finding.Finding
	// gates is the verifier each endpoint's route reaches (engine).
	gates map[string]string
	// secrets are the signing secrets written in the source.
	secrets []probe.SourceSecret
}

// settings adds what the source knows to the checks' settings: its
// signing secrets, tried as keys before cracking.
func (src *source) settings(st probe.Settings) probe.Settings {
	st.SourceSecrets = src.secrets
	st.SourceBodies = src.bodies()
	st.SourceReadBodies = src.readBodies()
	if src != nil && src.proj != nil {
		st.SourceQueries = codesrc.Queries(src.proj)
		for _, c := range codesrc.Credentials(src.proj) {
			st.SourceCredentials = append(st.SourceCredentials, probe.SourceCredential{User: c.User, Password: c.Password, Where: c.Where, How: c.How, Compared: c.Compared, File: c.File, Line: c.Line})
		}
		for _, r := range codesrc.IdentityReads(src.proj) {
			st.IdentityReads = append(st.IdentityReads, probe.IdentityRead{In: r.In, Name: r.Name, Where: r.Where, Literals: r.Literals, Encoding: r.Encoding, Field: r.Field})
		}
	}
	return st
}

// bodies are the JSON bodies the source's write handlers read.
func (src *source) bodies() map[string]probe.SourceBody {
	if src == nil || src.proj == nil {
		return nil
	}
	out := map[string]probe.SourceBody{}
	for k, b := range codesrc.Bodies(src.proj) {
		out[k] = probe.SourceBody{Value: b.Value, Where: b.Where, Form: b.Form, Files: b.Files}
	}
	return out
}

// readBodies are the JSON bodies the source's GET handlers read.
func (src *source) readBodies() map[string]probe.SourceBody {
	if src == nil || src.proj == nil {
		return nil
	}
	out := map[string]probe.SourceBody{}
	for k, b := range codesrc.ReadBodies(src.proj) {
		out[k] = probe.SourceBody{Value: b.Value, Where: b.Where}
	}
	return out
}

// loadSource analyses --source (or config source:) and adds the routes it
// finds to the inventory; with a spec, routes the spec lacks are reported.
// A source with no routes the analysis reads (Flask, Quart, APIFlask,
// FastAPI, Starlette; an aiohttp app, say) still lends its other
// facts (secrets, identity reads, lifecycle hints); the routes then come
// from the spec or endpoints given, else from the spec the target serves.
func loadSource(ctx context.Context, cfg Config, target *url.URL, st *probe.Settings, inv *inventory.Inventory) (*source, error) {
	dir := cfg.Source
	if dir == "" {
		return &source{}, nil
	}
	proj, fs, err := static.AnalyzeWith(ctx, dir, static.Options{Import: cfg.Import})
	if err != nil {
		return nil, usagef("--source: %v", err)
	}
	src := &source{proj: proj, static: fs}
	st.Flows.Hints = codesrc.FlowHints(proj) // lifecycle routes the code names
	hadSpec := hasSource(inv, inventory.SourceSpec)
	if hadSpec {
		src.undocumented = codesrc.Undocumented(proj, inv)
	} else if proj.HasASGIApp() {
		// The document the app serves by itself lists what FastAPI
		// generates (mounted apps serve their own): never "undocumented".
		hadSpec = servedSpec(ctx, cfg, target, inv)
	}
	routes := codesrc.Endpoints(proj)
	if len(routes) == 0 {
		if err := noRoutes(ctx, cfg, target, proj.Files, hadSpec, inv); err != nil {
			return nil, err
		}
	}
	inv.Add(routes...)
	inv.Warnings = append(inv.Warnings, proj.Warnings...)
	src.gates = codesrc.Gates(proj, inv.Endpoints)
	for _, sec := range rules.Secrets(proj) {
		src.secrets = append(src.secrets, probe.SourceSecret{Value: []byte(sec.Value), File: sec.File, Line: sec.Line, What: sec.What})
	}
	return src, nil
}

// servedSpec reads, next to a FastAPI source's routes, the OpenAPI
// document the app serves by default: the parameters, bodies and security
// schemes FastAPI derives from types the code model does not follow. It
// reports whether one was found (the warnings say where).
func servedSpec(ctx context.Context, cfg Config, target *url.URL, inv *inventory.Inventory) bool {
	found, ref := findSpec(ctx, target)
	if found == nil {
		return false
	}
	inv.Merge(found)
	for k, b := range found.Bodies {
		if inv.Bodies == nil {
			inv.Bodies = map[string]inventory.Body{}
		}
		if _, ok := inv.Bodies[k]; !ok {
			inv.Bodies[k] = b
		}
	}
	inv.Warnings = append(inv.Warnings, fmt.Sprintf("--source %s: a FastAPI app: also read the OpenAPI document the target serves at %s", cfg.Source, ref))
	return true
}

// noRoutes handles a source that holds no routes it reads: the scan goes on
// with the spec and endpoints given, else with the spec the target serves
// (or that its documentation page names), else with the target URL itself,
// as a scan without --source does; the result's warnings say which. A source
// without routes never costs the scan its result.
func noRoutes(ctx context.Context, cfg Config, target *url.URL, files int, hadSpec bool, inv *inventory.Inventory) error {
	msg := fmt.Sprintf("--source %s: no Flask or FastAPI routes found in %d Python file(s)", cfg.Source, files)
	if hadSpec || len(cfg.Endpoints) > 0 || len(cfg.EndpointFlags) > 0 {
		inv.Warnings = append(inv.Warnings, msg+"; scanning the spec's and listed endpoints only")
		return nil
	}
	if found, ref := findSpec(ctx, target); found != nil {
		warnings := append(inv.Warnings, msg+"; scanning the routes of the OpenAPI document the target serves at "+ref)
		*inv = *found
		inv.Warnings = append(warnings, inv.Warnings...)
		return nil
	}
	path := target.EscapedPath()
	if path == "" {
		path = "/"
	}
	ep, err := inventory.ParseEndpoint("GET " + path)
	if err != nil {
		return usage(err)
	}
	ep.Sources = []string{inventory.SourceFlag}
	inv.Add(ep)
	inv.Warnings = append(inv.Warnings, msg+" and the target serves no OpenAPI document at /"+strings.Join(specPaths, ", /")+
		" nor names one on a documentation page (/"+strings.Join(docsPaths, ", /")+"); probing the target URL itself (GET "+path+
		") only: give --spec or --endpoint for the app's routes (routes registered in ways the analysis does not follow are listed by `authprobe code DIR`)")
	return nil
}

func hasSource(inv *inventory.Inventory, s string) bool {
	for _, e := range inv.Endpoints {
		for _, es := range e.Sources {
			if es == s {
				return true
			}
		}
	}
	return false
}

// join pins the scan's findings to the code and merges static findings.
func (src *source) join(res *report.Result, out *engine.Outcome, ids []*identity.Identity) {
	if src.proj == nil {
		return
	}
	sc := codesrc.Scan{Logins: map[string]string{}, Scanned: map[string]bool{}, Writes: map[string]bool{}, Policy: map[string]string{}}
	for _, id := range ids {
		if id.Login == nil {
			continue
		}
		method := strings.ToUpper(id.Login.Method)
		if method == "" {
			method = "POST"
		}
		if u, err := url.Parse(id.Login.URL); err == nil {
			sc.Logins[id.Name] = method + " " + u.Path
		}
	}
	for _, r := range out.Rows {
		sc.Scanned[r.Endpoint.Key()] = true
		sc.Policy[r.Endpoint.Key()] = livePolicy(r, ids)
	}
	for _, w := range out.Writes {
		sc.Writes[w] = true
	}
	res.Findings = append(codesrc.Merge(src.proj, src.static, res.Findings, sc), src.undocumented...)
	finding.Sort(res.Findings)
	for _, f := range res.Findings {
		if f.Suppressed != "" {
			res.Stats.Suppressed++
		}
	}
}

// livePolicy is the row's policy as the join may compare it with the
// code's: "public" only when an anonymous request was accepted and, where
// identities were tried, one of them was served too — else nothing shows
// what an authenticated answer looks like there (every identity got a 500,
// and the gate's 200 {"message": "Token is missing!"} to an anonymous
// request looked served), and the policy is "unknown".
func livePolicy(r matrix.Row, ids []*identity.Identity) string {
	if r.Policy != matrix.PolicyPublic {
		return r.Policy
	}
	tried := false
	for _, id := range ids {
		v, ok := r.Matrix[id.Name]
		if !ok {
			continue
		}
		if v == string(oracle.Accepted) {
			return r.Policy
		}
		tried = true
	}
	if tried {
		return "unknown"
	}
	return r.Policy
}
