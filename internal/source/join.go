package source

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// Scan is what the join needs from the live scan.
type Scan struct {
	// Logins maps an identity to its login request ("POST /api/login"), so
	// token hygiene findings pin to the code that issued the token.
	Logins map[string]string
	// Scanned and Writes list endpoint keys probed, and skipped because
	// they write.
	Scanned map[string]bool
	Writes  map[string]bool
	// Policy maps an endpoint key to the live policy of the auth matrix.
	Policy map[string]string
}

// Merge pins dynamic findings to their cause in code and merges the static
// findings that explain them, so each weakness appears once. Static
// findings the scan did not reproduce keep their confidence and say why.
func Merge(proj *flask.Project, static, dynamic []finding.Finding, sc Scan) []finding.Finding {
	ix := NewIndex(proj)
	used := make([]bool, len(static))
	out := make([]finding.Finding, 0, len(static)+len(dynamic))
	for _, d := range append(dynamic, policyFindings(ix, dynamic, sc)...) {
		r := routeOf(ix, d, sc)
		if r == nil {
			out = append(out, d)
			continue
		}
		spans := reach(proj, r)
		// A cause in the route's own code beats one in the app's
		// configuration, which beats one anywhere in the project.
		best, bestRank := -1, 0
		for i, s := range static {
			if s.Suppressed != "" || !Explains(d.Rule, s.Rule) {
				continue
			}
			rank := 0
			switch {
			case within(spans, s, r):
				rank = 3
			case appWide[s.Rule]:
				rank = 2
			case projectWide[d.Rule]:
				rank = 1
			default:
				continue
			}
			used[i] = true
			if rank > bestRank || (rank == bestRank && less(s.Location, static[best].Location)) {
				best, bestRank = i, rank
			}
		}
		d.Related = append(d.Related, routeLoc(r))
		if best >= 0 {
			s := static[best]
			loc := *s.Location
			d.Source = "both"
			if ownCause[d.Rule] && d.Location != nil && d.Location.File != "" {
				d.Message += fmt.Sprintf(" — seen in code as %s at %s", s.Rule, loc)
			} else {
				d.Location = &loc
				d.Message += fmt.Sprintf(" — caused in code by %s at %s", s.Rule, loc)
			}
		} else {
			if d.Location == nil || d.Location.File == "" {
				// Unless the check knew its cause line (the read of a
				// value the client sets).
				d.Location = cause(proj, r, d.Rule, d.Endpoint != nil)
			}
			d.Message += fmt.Sprintf(" — handled by %s at %s:%d", r.Handler, r.File, r.Line)
			pinInstances(ix, proj, &d)
		}
		out = append(out, d)
	}
	out = byCause(out)
	for i, s := range static {
		if used[i] {
			continue
		}
		if why := notReproduced(ix, s, sc); why != "" {
			s.Message += " — " + why
		}
		out = append(out, s)
	}
	finding.Sort(out)
	return out
}

// within: the static finding is on a line that decides the route's auth,
// or is about the same endpoint.
func within(spans []span, s finding.Finding, r *flask.Route) bool {
	for _, sp := range spans {
		if sp.has(s.Location) {
			return true
		}
	}
	if s.Endpoint != nil {
		path, _ := inventory.FlaskRule(r.Rule)
		return shape(s.Endpoint.Path) == shape(path)
	}
	return false
}

func less(a, b *finding.Location) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Line < b.Line
}

func routeOf(ix *Index, d finding.Finding, sc Scan) *flask.Route {
	if d.Endpoint != nil {
		return ix.Route(d.Endpoint.Method, d.Endpoint.Path)
	}
	if login, ok := sc.Logins[d.Identity]; ok {
		method, path, _ := strings.Cut(login, " ")
		return ix.Route(method, path)
	}
	return nil
}

// notReproduced says why a static finding about a route has no live twin.
func notReproduced(ix *Index, s finding.Finding, sc Scan) string {
	if s.Endpoint == nil {
		return ""
	}
	key := s.Endpoint.Method + " " + s.Endpoint.Path
	for k := range sc.Writes {
		if sameEndpoint(k, key) {
			return "not tested live: the route writes (use --allow-writes)"
		}
	}
	for k := range sc.Scanned {
		if sameEndpoint(k, key) {
			return "not reproduced by the live scan of " + k
		}
	}
	return "not tested live: the route was not scanned"
}

func sameEndpoint(a, b string) bool {
	ma, pa, _ := strings.Cut(a, " ")
	mb, pb, _ := strings.Cut(b, " ")
	return ma == mb && shape(pa) == shape(pb)
}

// policyFindings: a route the code protects that the live scan found open,
// unless the scan already reported it as missing authentication.
func policyFindings(ix *Index, dynamic []finding.Finding, sc Scan) []finding.Finding {
	reported := map[string]bool{}
	for _, d := range dynamic {
		if d.Endpoint != nil && d.Rule == "authz.missing-authentication" {
			reported[d.Endpoint.Method+" "+shape(d.Endpoint.Path)] = true
		}
	}
	keys := make([]string, 0, len(sc.Policy))
	for k := range sc.Policy {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []finding.Finding
	for _, k := range keys {
		method, path, _ := strings.Cut(k, " ")
		r := ix.Route(method, path)
		if r == nil || sc.Policy[k] != "public" || !guarded(r) || reported[method+" "+shape(path)] {
			continue
		}
		f := catalog.New("authz.policy-mismatch")
		f.Endpoint = &finding.Endpoint{Method: method, Path: path}
		f.Confidence = finding.Firm
		f.Source = "both"
		f.Message = fmt.Sprintf("the code protects %s with %s (policy %s), but the live endpoint answered a request without credentials like an authenticated one",
			k, authNames(r), r.Policy)
		f.Evidence = &finding.Evidence{Proof: "auth matrix: anonymous accepted; code policy " + r.Policy}
		f.ComputeFingerprint()
		out = append(out, f)
	}
	return out
}

// guarded: the code declares a mandatory credential for the route.
func guarded(r *flask.Route) bool {
	switch r.Policy {
	case "", "public", "unknown":
		return false
	}
	for _, a := range r.Auth {
		if !a.Optional {
			return true
		}
	}
	return false
}

func authNames(r *flask.Route) string {
	names := map[string]bool{}
	for _, a := range r.Auth {
		names[a.Name] = true
	}
	return strings.Join(slices.Sorted(maps.Keys(names)), ", ")
}

// pinInstances gives each instance at another endpoint the cause of its
// own route: one weakness seen behind two checks (two decorators that
// answer alike) names both lines, so a fix can close it everywhere.
func pinInstances(ix *Index, proj *flask.Project, d *finding.Finding) {
	for i, in := range d.Instances {
		if in.Location != nil || in.Endpoint == nil || d.Endpoint != nil && *in.Endpoint == *d.Endpoint {
			continue
		}
		if r := ix.Route(in.Endpoint.Method, in.Endpoint.Path); r != nil {
			d.Instances[i].Location = cause(proj, r, d.Rule, true)
		}
	}
}

// byCause merges the live findings of one rule pinned to the same line:
// with the source known, the line is the root cause, and the places each
// was seen become instances of one finding (the first in reading order
// stays, with its fingerprint).
func byCause(fs []finding.Finding) []finding.Finding {
	finding.Sort(fs)
	first := map[string]int{}
	out := fs[:0]
	for _, f := range fs {
		if f.Source == "static" || f.Location == nil || f.Suppressed != "" {
			out = append(out, f)
			continue
		}
		loc := *f.Location
		k := f.Rule + "\x00" + loc.String()
		ins := f.Places()
		for i := range ins {
			if ins[i].Location == nil {
				ins[i].Location = &loc
			}
		}
		if i, ok := first[k]; ok {
			for _, in := range ins {
				if !hasPlace(out[i].Instances, in) {
					out[i].Instances = append(out[i].Instances, in)
				}
			}
			continue
		}
		f.Instances = append([]finding.Instance(nil), ins...)
		first[k] = len(out)
		out = append(out, f)
	}
	return out
}

func hasPlace(list []finding.Instance, in finding.Instance) bool {
	for _, have := range list {
		sameEP := (have.Endpoint == nil && in.Endpoint == nil) ||
			(have.Endpoint != nil && in.Endpoint != nil && *have.Endpoint == *in.Endpoint)
		if sameEP && (in.Endpoint != nil || have.Identity == in.Identity) {
			return true
		}
	}
	return false
}
