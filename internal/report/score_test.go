package report

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

func mk(rule string, sev finding.Severity, conf finding.Confidence, owasp ...string) finding.Finding {
	f := finding.Finding{Rule: rule, Severity: sev, Confidence: conf, OWASP: owasp, CWE: []string{"CWE-287"}}
	f.ComputeFingerprint()
	return f
}

func TestScore(t *testing.T) {
	cases := []struct {
		name  string
		fs    []finding.Finding
		score int
		grade string
	}{
		{"clean", nil, 100, "A"},
		{"one low", []finding.Finding{mk("a", finding.Low, finding.Firm, "API2:2023")}, 97, "A"},
		{"info is free", []finding.Finding{mk("a", finding.Info, finding.Firm)}, 100, "A"},
		{"one medium", []finding.Finding{mk("a", finding.Medium, finding.Firm, "API2:2023")}, 92, "A"}, // e^-0.08
		{"medium misconfiguration weighs 0.6", []finding.Finding{mk("a", finding.Medium, finding.Firm, "API8:2023")}, 95, "A"},
		{"high caps at 79", []finding.Finding{mk("a", finding.High, finding.Confirmed, "API1:2023")}, 79, "C"},
		{"tentative high is not capped", []finding.Finding{mk("a", finding.High, finding.Tentative)}, 90, "A"}, // e^-0.1
		{"critical caps at 59", []finding.Finding{mk("a", finding.Critical, finding.Confirmed, "API2:2023")}, 59, "F"},
		{"tentative critical", []finding.Finding{mk("a", finding.Critical, finding.Tentative)}, 82, "B"},
		// Same rule three times: 8 + 8/2 + 8/3 = 14.67, e^-0.1467 = 0.864.
		{"repeats diminish", []finding.Finding{
			mk("a", finding.Medium, finding.Firm), mk("a", finding.Medium, finding.Firm), mk("a", finding.Medium, finding.Firm),
		}, 86, "B"},
		// Three distinct rules: 24, e^-0.24 = 0.787.
		{"distinct rules add up", []finding.Finding{
			mk("a", finding.Medium, finding.Firm), mk("b", finding.Medium, finding.Firm), mk("c", finding.Medium, finding.Firm),
		}, 79, "C"},
		// Six highs: 120, e^-1.2 = 0.301.
		{"many findings", []finding.Finding{
			mk("a", finding.High, finding.Firm), mk("b", finding.High, finding.Firm), mk("c", finding.High, finding.Firm),
			mk("d", finding.High, finding.Firm), mk("e", finding.High, finding.Firm), mk("f", finding.High, finding.Firm),
		}, 30, "F"},
		// Fixing one of five criticals still shows: 200 → e^-2 = 13.5; 160 → 20.2.
		{"five criticals", []finding.Finding{
			mk("a", finding.Critical, finding.Firm), mk("b", finding.Critical, finding.Firm), mk("c", finding.Critical, finding.Firm),
			mk("d", finding.Critical, finding.Firm), mk("e", finding.Critical, finding.Firm),
		}, 14, "F"},
		{"four criticals", []finding.Finding{
			mk("a", finding.Critical, finding.Firm), mk("b", finding.Critical, finding.Firm), mk("c", finding.Critical, finding.Firm),
			mk("d", finding.Critical, finding.Firm),
		}, 20, "F"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := New("http://x", "0")
			r.Findings = c.fs
			score, grade := Score(r)
			if score != c.score || grade != c.grade {
				t.Errorf("Score = %d %s, want %d %s", score, grade, c.score, c.grade)
			}
		})
	}
}

func TestScoreAndSuppression(t *testing.T) {
	for reason, want := range map[string]int{
		"ignore file: accepted":  100, // accepted risk does not count
		"inline: false positive": 100,
		BaselineReason:           59, // known is not fixed: still exposed
	} {
		r := New("http://x", "0")
		f := mk("a", finding.Critical, finding.Confirmed)
		f.Suppressed = reason
		r.Findings = []finding.Finding{f}
		if s, _ := Score(r); s != want {
			t.Errorf("critical suppressed by %q: score %d, want %d", reason, s, want)
		}
	}
}

func TestGrade(t *testing.T) {
	for score, want := range map[int]string{100: "A", 90: "A", 89: "B", 80: "B", 79: "C", 70: "C", 69: "D", 60: "D", 59: "F", 0: "F"} {
		if g := Grade(score); g != want {
			t.Errorf("Grade(%d) = %s, want %s", score, g, want)
		}
	}
}

func TestGate(t *testing.T) {
	r := New("http://x", "0")
	r.Findings = []finding.Finding{mk("a", finding.Medium, finding.Firm, "API2:2023")} // score 92
	for _, c := range []struct {
		failOn   finding.Severity
		minScore int
		fail     bool
	}{
		{finding.Low, 0, true}, {finding.Medium, 0, true}, {finding.High, 0, false}, {"", 0, false},
		{"", 92, false}, {"", 93, true}, {finding.Critical, 95, true},
	} {
		if fail, why := Gate(r, c.failOn, c.minScore); fail != c.fail {
			t.Errorf("Gate(%q, %d) = %v (%s), want %v", c.failOn, c.minScore, fail, why, c.fail)
		}
	}
}

// A result on which no family tested anything carries no grade, whatever
// families its coverage lists (a scan with no identity: every endpoint
// skipped under "all", no core family listed at all).
func TestNothingTestedIsNotGraded(t *testing.T) {
	r := New("http://x", "0")
	r.Coverage = []Coverage{{Family: "all", Skipped: []Skip{{Endpoint: &finding.Endpoint{Method: "GET", Path: "/users"}, Reason: "out of budget"}, {Endpoint: &finding.Endpoint{Method: "GET", Path: "/users/{id}"}, Reason: "out of budget"}}}}
	SetGrade(r)
	if r.Graded || r.Grade != "" || len(r.NotGraded) < 2 || r.NotGraded[0] != Incomplete || !strings.Contains(r.NotGraded[1], "no endpoint was tested") {
		t.Fatalf("nothing tested: graded=%v grade=%q not_graded=%q, want incomplete with 'no endpoint was tested'", r.Graded, r.Grade, r.NotGraded)
	}
	r.Coverage[0].Tested = 1
	SetGrade(r)
	if !r.Graded {
		t.Fatalf("one endpoint tested: not graded (%q), want graded", r.NotGraded)
	}
}
