package report

import (
	"math"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
)

// Score rates a result from 0 to 100 and grades it A to F. It is shown in
// every report and gates a run only when the user asks (--min-score). The
// weights are published in docs/scoring.md. Each active (unsuppressed)
// finding costs severity weight × confidence factor × OWASP factor ÷ k, where:
//
//   - severity weight: critical 40, high 20, medium 8, low 3, info 0;
//   - confidence factor: confirmed and firm 1.0, tentative 0.5;
//   - OWASP API Top 10 2023 factor, the largest over the finding's
//     categories (1.0 when it has none): API1 BOLA, API2 broken
//     authentication and API5 BFLA 1.0; API3, API6, API7, API10 0.8;
//     API4 and API8 0.6; API9 improper inventory 0.5;
//   - k is the finding's rank (1, 2, 3, ...) among the findings of the same
//     rule, largest cost first: one cause repeated on many endpoints weighs
//     more than one endpoint, but less than as many distinct causes.
//
// score = 100 × e^(−Σ cost / 100), rounded: each finding takes a share of
// what is left, so the score never reaches 0 and fixing one of many
// problems still shows. Grades: A 90–100, B 80–89,
// C 70–79, D 60–69, F 0–59. A confirmed or firm critical finding caps the
// score at 59 (F: anyone can get in); a confirmed or firm high one caps it
// at 79. Findings accepted by an inline ignore comment or the ignore file
// do not count; findings suppressed by a baseline do: a baseline decides
// what gates a run, not how exposed the API is.
func Score(r *Result) (int, string) {
	byRule := map[string][]float64{}
	capAt := 100
	for _, f := range r.Findings {
		if f.Suppressed != "" && !strings.HasPrefix(f.Suppressed, "baseline") {
			continue
		}
		byRule[f.Rule] = append(byRule[f.Rule], penalty(f))
		if f.Confidence != finding.Tentative {
			switch f.Severity {
			case finding.Critical:
				capAt = min(capAt, 59)
			case finding.High:
				capAt = min(capAt, 79)
			}
		}
	}
	// Sum rules in a fixed order so float rounding never depends on map order.
	rules := make([]string, 0, len(byRule))
	for k := range byRule {
		rules = append(rules, k)
	}
	sort.Strings(rules)
	total := 0.0
	for _, rule := range rules {
		ps := byRule[rule]
		sort.Sort(sort.Reverse(sort.Float64Slice(ps)))
		for i, p := range ps {
			total += p / float64(i+1)
		}
	}
	score := int(math.Round(100 * math.Exp(-total/100)))
	score = max(0, min(score, capAt))
	return score, Grade(score)
}

// Grade maps a score to its letter.
func Grade(score int) string {
	switch {
	case score >= 90:
		return "A"
	case score >= 80:
		return "B"
	case score >= 70:
		return "C"
	case score >= 60:
		return "D"
	}
	return "F"
}

// SeverityWeight is the published penalty of one finding of severity s.
func SeverityWeight(s finding.Severity) float64 {
	switch s {
	case finding.Critical:
		return 40
	case finding.High:
		return 20
	case finding.Medium:
		return 8
	case finding.Low:
		return 3
	}
	return 0
}

// OWASPFactor is the published multiplier of an OWASP API Top 10 2023
// category such as "API2:2023"; unknown categories count fully.
func OWASPFactor(category string) float64 {
	id, _, _ := strings.Cut(strings.ToUpper(category), ":")
	switch id {
	case "API3", "API6", "API7", "API10":
		return 0.8
	case "API4", "API8":
		return 0.6
	case "API9":
		return 0.5
	}
	return 1
}

func penalty(f finding.Finding) float64 {
	p := SeverityWeight(f.Severity)
	if f.Confidence == finding.Tentative {
		p *= 0.5
	}
	if len(f.OWASP) > 0 {
		factor := 0.0
		for _, c := range f.OWASP {
			factor = max(factor, OWASPFactor(c))
		}
		p *= factor
	}
	return p
}
