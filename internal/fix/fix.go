// Package fix turns proven findings into source patches: for each finding
// whose cause line is known and whose fix is mechanical it edits the parsed
// Python tree at that line (never a text search), renders the edits as a
// unified diff, and says for every other finding why it was not patched.
// Proving the patch (static, tests, dynamic) lives in proof*.go; the
// dynamic proof's logins, replay and rescan (scan.Run with the caller's
// scan config) in replay.go and rescan.go; the command that drives it, and
// builds that config from its flags, lives in internal/cli.
package fix

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Fix is the outcome of one finding.
type Fix struct {
	Finding finding.Finding
	// Patched is true when edits were made; Reason says why not otherwise.
	Patched bool
	Reason  string
	// What says in one line what the patch does.
	What  string
	Edits []Edit
	// Env names the environment variables the patched code reads and
	// refuses to start without.
	Env []string
	// ProofEnv are the values the proofs give some of Env (API keys keep
	// the value the code held); the others get fresh random secrets.
	ProofEnv map[string]string
	// JWTKey is true when Env holds a JWT signing secret.
	JWTKey bool
	// Proofs are the verdicts of the proofs that ran; Notes explain them.
	Proofs Proofs
	Notes  []string
	// na names the proofs that do not apply to this finding.
	na []string
	// coveredBy is the fingerprint of the patched finding whose change
	// also closes this one (one cause seen by two rules), and unCovered
	// the reason it had on its own.
	coveredBy, unCovered string
}

// Plan is the patch for a set of findings.
type Plan struct {
	Dir   string
	Fixes []Fix
	// Old and New hold every edited file before and after, by path
	// relative to Dir.
	Old map[string][]byte
	New map[string][]byte
	// Hunks are the diff of each edited file, in path order.
	Hunks map[string][]Hunk
	// TestLog is the end of the patched test run's output.
	TestLog string
	// spec is the spec file the patch may edit, relative to Dir.
	spec string
	// BrokenLogins lists the identities that could not log in to the
	// patched copy, with the error.
	BrokenLogins []string
}

// Make plans the patch of dir for the findings. A finding without a
// source location, or whose fix needs a design decision, is listed with
// the reason; an edit that would collide with another finding's edit is
// dropped with that reason (the first finding, in result order, keeps it).
func Make(ctx context.Context, dir string, fs []finding.Finding) (*Plan, error) {
	return MakeWith(ctx, dir, fs, Options{})
}

// Options are what Make may know besides the source: the spec the scan
// compared the routes with and how the scan saw each endpoint answer.
type Options struct {
	// Spec is the path of the scan's spec; a YAML spec inside the source
	// directory is patched for routes it does not document.
	Spec string
	// Endpoints are the result's endpoints (their observed policy).
	Endpoints []report.Endpoint
}

// MakeWith is Make with the scan's spec and endpoints.
func MakeWith(ctx context.Context, dir string, fs []finding.Finding, opt Options) (*Plan, error) {
	p := &project{dir: dir, files: map[string]*python.File{}}
	defer p.close()
	if err := p.load(ctx); err != nil {
		return nil, err
	}
	sp, err := loadSpec(dir, opt.Spec, opt.Endpoints)
	if err != nil {
		return nil, err
	}
	p.spec = sp
	p.all = fs
	plan := &Plan{Dir: dir, Old: map[string][]byte{}, New: map[string][]byte{}, Hunks: map[string][]Hunk{}}
	// Tokens issued without exp make "require exp" break logins, so the
	// findings about issuing tokens without exp are fixed first; if one
	// stays unfixed, no decode is made to require exp.
	order := make([]int, 0, len(fs))
	for i, f := range fs {
		if noExpiry[f.Rule] {
			order = append(order, i)
		}
	}
	for i, f := range fs {
		if !noExpiry[f.Rule] {
			order = append(order, i)
		}
	}
	fixes := make([]Fix, len(fs))
	var taken []Edit
	for _, i := range order {
		f := fs[i]
		fx := p.fix(f)
		if noExpiry[f.Rule] && !fx.Patched {
			p.issuer.noExp = true
			p.noExp = f.Rule + " (" + short(f.Fingerprint) + ")"
		}
		fx.Proofs = notRun
		if fx.Patched {
			if clash := clashing(fx.Edits, taken); clash != "" && absorbs(fx.Edits, taken, fixes) {
				// The change removes the code another finding's change
				// edited: that finding is closed by this change (the
				// static proof must show it gone).
				taken = slices.DeleteFunc(taken, func(t Edit) bool { return within(t, fx.Edits) })
				for j := range fixes {
					if o := &fixes[j]; o.Patched && o.coveredBy == "" && len(o.Edits) > 0 && within(o.Edits[0], fx.Edits) {
						o.unCovered, o.coveredBy = "its own change lies inside the change for "+f.Rule+" ("+short(f.Fingerprint)+")", f.Fingerprint
						o.Edits, o.Env = fx.Edits, fx.Env
						o.What = "closed by the change for " + f.Rule + " (" + short(f.Fingerprint) + ")"
					}
				}
				taken = append(taken, fx.Edits...)
			} else if clash != "" {
				fx = Fix{Finding: f, Reason: clash, Proofs: notRun}
			} else {
				for _, e := range fx.Edits {
					if !slices.ContainsFunc(taken, func(t Edit) bool { return t.Start == e.Start && t.End == e.End && t.New == e.New && t.File == e.File }) {
						taken = append(taken, e)
					}
				}
			}
		}
		fixes[i] = fx
	}
	plan.Fixes = fixes
	plan.cover(p.source)
	for _, e := range taken {
		plan.Old[e.File] = p.source(e.File)
	}
	if sp != nil {
		plan.spec = sp.rel
	}
	if err := plan.rebuild(); err != nil {
		return nil, err
	}
	return plan, nil
}

// rebuild recomputes the patched files and the diff from the changes of
// the findings patched now (after Make, or after a change left the patch).
func (pl *Plan) rebuild() error {
	byFile := map[string][]Edit{}
	for _, fx := range pl.Fixes {
		if fx.Patched && fx.coveredBy == "" {
			for _, e := range fx.Edits {
				byFile[e.File] = append(byFile[e.File], e)
			}
		}
	}
	pl.New, pl.Hunks = map[string][]byte{}, map[string][]Hunk{}
	for name, es := range byFile {
		es = dedupe(es)
		out, err := apply(pl.Old[name], es)
		if err != nil {
			return err
		}
		pl.New[name] = out
		pl.Hunks[name] = hunks(name, pl.Old[name], es)
	}
	return nil
}

// jwtKeyRules are the rules whose secret fix moves a JWT signing key.
var jwtKeyRules = map[string]bool{"jwt.weak-secret": true, "py.jwt-weak-secret": true, "py.jwt-hardcoded-secret": true,
	"jwt.blank-secret": true, "py.jwt-empty-secret": true}

// noExpiry are the rules saying the issuer hands out tokens without exp.
var noExpiry = map[string]bool{"jwt.no-expiry": true, "py.jwt-no-expiry": true, "py.jwtx-no-expiry": true}

// Diff is the whole patch as a unified diff, files in path order.
func (pl *Plan) Diff() string {
	names := map[string]string{}
	for _, fx := range pl.Fixes {
		names[fx.Finding.Fingerprint] = fx.Finding.Rule + " (" + short(fx.Finding.Fingerprint) + ")"
	}
	var b strings.Builder
	for _, file := range slices.Sorted(maps.Keys(pl.Hunks)) {
		b.WriteString(Unified(file, pl.Hunks[file], names))
	}
	return b.String()
}

// Env lists, sorted, the environment variables the patched code needs.
func (pl *Plan) Env() []string {
	var out []string
	for _, fx := range pl.Fixes {
		out = appendUnique(out, fx.Env...)
	}
	sort.Strings(out)
	return out
}

// ProofEnv returns the values the proofs start the patched copy with:
// the kept values of moved API keys, then a fresh random value from
// secret for every other variable the patch reads.
func (pl *Plan) ProofEnv(secret func(name string) string) []string {
	kept := map[string]string{}
	for _, fx := range pl.Fixes {
		if fx.Patched {
			maps.Copy(kept, fx.ProofEnv)
		}
	}
	var out []string
	for _, name := range pl.Env() {
		if v, ok := kept[name]; ok {
			out = append(out, name+"="+v)
		} else if v := secret(name); v != "" {
			out = append(out, name+"="+v)
		}
	}
	return out
}

// Patched counts the patched findings.
func (pl *Plan) Patched() int {
	n := 0
	for _, fx := range pl.Fixes {
		if fx.Patched {
			n++
		}
	}
	return n
}

// WriteTo writes the patched files into dir (a copy of the project, or the
// project itself for --apply).
func (pl *Plan) WriteTo(dir string) error {
	for name, b := range pl.New {
		path := filepath.Join(dir, filepath.FromSlash(name))
		info, err := os.Stat(path)
		if err != nil {
			return fmt.Errorf("write patched %s: %w", name, err)
		}
		if err := os.WriteFile(path, b, info.Mode().Perm()); err != nil {
			return fmt.Errorf("write patched %s: %w", name, err)
		}
	}
	return nil
}

func short(fp string) string {
	if len(fp) > 8 {
		return fp[:8]
	}
	return fp
}
