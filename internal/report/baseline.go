package report

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
)

// Suppression reasons set by CI options. Suppressed findings stay in the
// result (marked, not removed) so every report can say what was hidden and
// why; gating (--fail-on, --min-score) and the score ignore them.
const (
	// BaselineReason marks a finding already present in the baseline.
	BaselineReason = "baseline: already present in the baseline result"
	// ignorePrefix starts the reason of a finding matched by the ignore file.
	ignorePrefix = "ignore file: "
)

func isExternalSuppression(reason string) bool {
	return strings.HasPrefix(reason, "baseline") || strings.HasPrefix(reason, ignorePrefix)
}

// Baseline marks as suppressed every finding of r that old already had, so
// that only new findings are reported and gate the run. Findings match by
// fingerprint or, when code moved, by the same rule, endpoint, identity,
// file and source line text (see Match). It returns how many findings it
// suppressed and adds them to r.Stats.Suppressed; findings already
// suppressed are left as they are and not counted again.
func Baseline(r, old *Result) int {
	if old == nil {
		return 0
	}
	m := Match(old.Findings, r.Findings)
	n := 0
	for _, i := range m.Unchanged {
		f := &r.Findings[i.New]
		if f.Suppressed == "" {
			f.Suppressed = BaselineReason
			n++
		}
	}
	r.Stats.Suppressed += n
	return n
}

// Pair links a finding of the old result to the same finding in the new one,
// by index.
type Pair struct{ Old, New int }

// Matching is how two lists of findings correspond: indexes into the new
// list (Added), into the old list (Fixed), and the pairs found in both.
type Matching struct {
	Added     []int
	Fixed     []int
	Unchanged []Pair
}

// Match pairs findings of old and new. The fingerprint decides first (it
// covers rule, endpoint, identity and source line); findings left over are
// then paired by a looser key without the line number (rule, endpoint,
// identity, file and the trimmed source line), so a static finding whose code
// only moved down the file is not reported as both fixed and new. Each
// finding is paired at most once.
func Match(old, new []finding.Finding) Matching {
	var m Matching
	usedOld := make([]bool, len(old))
	matched := make([]bool, len(new))
	for _, key := range []func(finding.Finding) string{fingerprintOf, movedKey} {
		pool := map[string][]int{}
		for i, f := range old {
			if k := key(f); !usedOld[i] && k != "" {
				pool[k] = append(pool[k], i)
			}
		}
		for j, f := range new {
			k := key(f)
			if matched[j] || k == "" || len(pool[k]) == 0 {
				continue
			}
			i := pool[k][0]
			pool[k] = pool[k][1:]
			usedOld[i], matched[j] = true, true
			m.Unchanged = append(m.Unchanged, Pair{Old: i, New: j})
		}
	}
	matchPlaces(old, new, usedOld, matched, &m)
	for j := range new {
		if !matched[j] {
			m.Added = append(m.Added, j)
		}
	}
	for i := range old {
		if !usedOld[i] {
			m.Fixed = append(m.Fixed, i)
		}
	}
	return m
}

// movedKey identifies a static finding independently of its line number;
// it is empty when the finding has no source snippet to anchor it.
func movedKey(f finding.Finding) string {
	if f.Location == nil || strings.TrimSpace(f.Location.Snippet) == "" {
		return ""
	}
	ep := ""
	if f.Endpoint != nil {
		ep = f.Endpoint.String()
	}
	return strings.Join([]string{f.Rule, ep, f.Identity, f.Location.File, strings.TrimSpace(f.Location.Snippet)}, "\x00")
}

// matchPlaces pairs what is left of an older result, written when a
// finding was one endpoint or identity, with the finding that now stands
// for the whole root cause and lists that place among its instances; a
// forged privilege is now a place of the recovered secret's finding. The
// other old findings of the same root cause are folded into the pair:
// neither fixed nor new.
func matchPlaces(old, new []finding.Finding, usedOld, matched []bool, m *Matching) {
	where := map[string]int{}
	for j, f := range new {
		for _, in := range f.Places() {
			for _, rule := range placeRules(f.Rule) {
				if k := placeKey(rule, in.Endpoint, in.Identity); k != "" && where[k] == 0 {
					where[k] = j + 1
				}
			}
		}
	}
	for i, f := range old {
		if usedOld[i] {
			continue
		}
		j := where[placeKey(f.Rule, f.Endpoint, f.Identity)] - 1
		if j < 0 {
			continue
		}
		usedOld[i] = true
		if !matched[j] {
			matched[j] = true
			m.Unchanged = append(m.Unchanged, Pair{Old: i, New: j})
		}
	}
}

// placeRules: the rules an old finding at a place of f may have had.
func placeRules(rule string) []string {
	if rule == "jwt.weak-secret" || rule == "session.weak-secret" {
		return []string{rule, "jwt.forged-privilege"}
	}
	return []string{rule}
}

func placeKey(rule string, ep *finding.Endpoint, id string) string {
	if ep == nil && id == "" {
		return "" // a source line: the fingerprint and movedKey decide
	}
	if ep != nil {
		return rule + "\x00" + ep.String()
	}
	return rule + "\x00identity " + id
}
