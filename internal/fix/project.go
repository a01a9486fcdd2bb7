package fix

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/python"
)

// project is the parsed source the fixes edit.
type project struct {
	dir    string
	parser *python.Parser
	files  map[string]*python.File
	issuer *issuer
	// all are the findings of the result, for evidence one finding gives
	// another (a live answer at the route a static finding names).
	all []finding.Finding
	// spec is the YAML spec inside the source directory the scan compared
	// the routes with (nil when there is none).
	spec *spec
	// noExp names the unfixed finding saying tokens are issued without
	// exp; requiring exp would then refuse them.
	noExp string
}

func (p *project) close() {
	if p.parser != nil {
		p.parser.Close()
	}
}

// load parses every Python file under dir (the files a finding names are
// among them); files whose bytes the parser would see re-encoded are kept
// out, so that every edit offset is an offset of the file on disk.
func (p *project) load(ctx context.Context) error {
	ps, err := python.NewParser()
	if err != nil {
		return err
	}
	p.parser = ps
	err = filepath.WalkDir(p.dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != p.dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "__pycache__" || d.Name() == "venv") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".py") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		if !bytes.Equal(python.Decode(src), src) {
			return nil
		}
		rel, _ := filepath.Rel(p.dir, path)
		rel = filepath.ToSlash(rel)
		f, err := ps.Parse(ctx, rel, src)
		if err != nil {
			return fmt.Errorf("parse %s: %w", rel, err)
		}
		p.files[rel] = f
		return nil
	})
	if err != nil {
		return fmt.Errorf("read source %s: %w", p.dir, err)
	}
	p.issuer = learnIssuer(p.files)
	return nil
}

// credentialGuess are the static rules whose tentative findings only
// suppose that a value is a credential: those are not patched.
var credentialGuess = map[string]bool{"py.apikey-timing-compare": true, "py.apikey-empty-key": true,
	"py.apikey-case-folded": true, "py.hardcoded-api-key": true, "py.credential-in-query": true}

// rel turns a finding's file into the key of p.files: relative to the
// source directory, forward slashes, no "./" (an absolute path inside the
// directory is made relative).
func (p *project) rel(file string) string {
	if filepath.IsAbs(file) {
		if abs, err := filepath.Abs(p.dir); err == nil {
			if r, err := filepath.Rel(abs, file); err == nil && !strings.HasPrefix(r, "..") {
				file = r
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(file))
}

// site is a finding's cause in the parsed tree.
type site struct {
	p    *project
	f    finding.Finding
	file *python.File
	line int
	col  int
}

// fix makes the edits for one finding, or says why it cannot.
func (p *project) fix(f finding.Finding) Fix {
	out := Fix{Finding: f}
	fixers, why := fixersFor(f.Rule)
	if len(fixers) == 0 {
		out.Reason = why
		return out
	}
	if f.Location == nil || f.Location.File == "" || f.Location.Line <= 0 {
		out.Reason = "no source line is known for it (scan with --source DIR, or run code DIR)"
		return out
	}
	file := p.files[p.rel(f.Location.File)]
	if file == nil {
		out.Reason = "its file " + f.Location.File + " is not a parsable Python file under the source directory"
		return out
	}
	if file.HasError {
		out.Reason = f.Location.File + " has syntax errors; no edit is safe"
		return out
	}
	if f.Source == "static" && f.Confidence == finding.Tentative && credentialGuess[f.Rule] {
		out.Reason = "the code alone does not show this is a credential (a tentative finding); a patch would be a guess"
		return out
	}
	s := &site{p: p, f: f, file: file, line: f.Location.Line, col: f.Location.Column}
	first := ""
	for _, fx := range fixers {
		a, reason := fx(s)
		if a != nil {
			for i := range a.edits {
				if a.edits[i].File == "" {
					a.edits[i].File = file.Path
				}
				a.edits[i].Finding = f.Fingerprint
			}
			out.Patched, out.Edits, out.Env, out.What = true, a.edits, a.env, a.what
			out.JWTKey = len(a.env) > 0 && jwtKeyRules[f.Rule]
			out.ProofEnv = a.proofEnv
			return out
		}
		if first == "" {
			first = reason
		}
	}
	if first == "" {
		first = "nothing at " + f.Location.String() + " has the shape a mechanical fix expects"
	}
	out.Reason = first
	return out
}

// attempt is a fixer's result.
type attempt struct {
	edits []Edit
	env   []string
	// proofEnv are values the proofs start the patched copy with (the keys
	// the code held), instead of fresh random secrets.
	proofEnv map[string]string
	what     string
}

// fixer makes a finding's edits at its site, or returns nil and why not.
type fixer func(s *site) (*attempt, string)

// onLine returns the named nodes of the given kinds that start on the
// cause line or span it, innermost first.
func (s *site) onLine(kinds ...string) []*python.Node {
	var out []*python.Node
	s.file.Root.Walk(func(n *python.Node) bool {
		last := n.Line + strings.Count(n.Text(), "\n")
		if n.Line > s.line || last < s.line {
			return n.Line <= s.line
		}
		if n.Named() && slices.Contains(kinds, n.Kind) {
			out = append(out, n)
		}
		return true
	})
	// Innermost first: the later a node starts, the deeper it is.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func (s *site) src() []byte { return s.file.Src }

// source returns the bytes of a file the fixes may edit: a parsed Python
// file or the spec.
func (p *project) source(file string) []byte {
	if f := p.files[file]; f != nil {
		return f.Src
	}
	if p.spec != nil && p.spec.rel == file {
		return p.spec.src
	}
	return nil
}
