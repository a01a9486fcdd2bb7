package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
)

// JUnit XML for CI dashboards. The test cases are defined by the result
// alone, so a saved result always converts to the same file:
//
//   - one test suite per rule id that has findings, with one test case per
//     finding (rule × endpoint or source line, and identity); a case fails
//     when its finding is active and at or above Options.FailOn (default
//     low), is skipped when the finding is suppressed, and passes otherwise
//     (a finding below the threshold, kept in system-out);
//   - one suite "authprobe.endpoints" with a passing case for every endpoint
//     of the auth matrix that has no finding at all, so a clean scan shows
//     what was tested instead of an empty report;
//   - when neither exists (a clean source analysis), one passing case
//     "no findings", because some CI servers reject a report with no test.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit renders the result as JUnit XML.
func WriteJUnit(w io.Writer, r *Result, opt Options) error {
	threshold, fails, err := parseFailOn(opt.FailOn)
	if err != nil {
		return err
	}
	v := newView(r)
	all := append(append([]finding.Finding(nil), v.active...), v.suppressed...)
	finding.Sort(all)
	byRule := map[string]*junitSuite{}
	var order []string
	touched := map[string]bool{}
	for _, f := range all {
		s, ok := byRule[f.Rule]
		if !ok {
			s = &junitSuite{Name: f.Rule, Timestamp: junitTime(r)}
			byRule[f.Rule] = s
			order = append(order, f.Rule)
		}
		s.Cases = append(s.Cases, junitCaseOf(f, fails && f.Severity.Rank() >= threshold.Rank()))
		if f.Endpoint != nil {
			touched[f.Endpoint.String()] = true
		}
	}
	sort.Strings(order)
	doc := junitSuites{Name: "authprobe " + r.Target, Time: fmt.Sprintf("%.3f", float64(r.Stats.DurationMS)/1000)}
	for _, id := range order {
		doc.Suites = append(doc.Suites, *byRule[id])
	}
	clean := junitSuite{Name: "authprobe.endpoints", Timestamp: junitTime(r)}
	for _, e := range v.endpoints {
		key := e.Method + " " + e.Path
		if !touched[key] {
			clean.Cases = append(clean.Cases, junitCase{Name: key, Classname: "authprobe.endpoints",
				SystemOut: "no finding; policy " + orDash(e.Policy)})
		}
	}
	if len(clean.Cases) > 0 {
		doc.Suites = append(doc.Suites, clean)
	}
	if len(doc.Suites) == 0 {
		// Some CI servers fail a build whose report has no test at all.
		doc.Suites = append(doc.Suites, junitSuite{Name: "authprobe", Timestamp: junitTime(r),
			Cases: []junitCase{{Name: "no findings", Classname: "authprobe", SystemOut: "no finding for " + oneLine(r.Target)}}})
	}
	for i := range doc.Suites {
		s := &doc.Suites[i]
		for _, c := range s.Cases {
			s.Tests++
			if c.Failure != nil {
				s.Failures++
			}
			if c.Skipped != nil {
				s.Skipped++
			}
		}
		doc.Tests, doc.Failures, doc.Skipped = doc.Tests+s.Tests, doc.Failures+s.Failures, doc.Skipped+s.Skipped
	}
	ew := &errWriter{w: w}
	ew.printf("%s", xml.Header)
	if ew.err != nil {
		return ew.err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err = io.WriteString(w, "\n")
	return err
}

func junitCaseOf(f finding.Finding, fail bool) junitCase {
	name := where(f)
	if f.Identity != "" {
		name += " as " + f.Identity
	}
	c := junitCase{Name: oneLine(name), Classname: oneLine(f.Rule)}
	detail := junitDetail(f)
	switch {
	case f.Suppressed != "":
		c.Skipped = &junitSkipped{Message: "suppressed: " + oneLine(f.Suppressed)}
	case fail:
		c.Failure = &junitFailure{Message: fmt.Sprintf("%s: %s", f.Severity, f.Title), Type: string(f.Severity), Text: detail}
	default:
		c.SystemOut = "below the --fail-on threshold\n" + detail
	}
	return c
}

func junitDetail(f finding.Finding) string {
	lines := []string{f.Message}
	if a := affected(f, 0); a != "" {
		lines = append(lines, "seen at "+a)
	}
	if e := f.Evidence; e != nil {
		for _, s := range []string{e.Proof, e.Control, e.Curl} {
			if s != "" {
				lines = append(lines, s)
			}
		}
	}
	if f.Remediation != "" {
		lines = append(lines, "Fix: "+f.Remediation)
	}
	lines = append(lines, "Fingerprint: "+fingerprintOf(f))
	return block(strings.Join(lines, "\n"), "")
}

func junitTime(r *Result) string {
	if r.StartedAt.IsZero() {
		return ""
	}
	return r.StartedAt.UTC().Format("2006-01-02T15:04:05")
}

// parseFailOn reads Options.FailOn: empty means the default, low; "none"
// means nothing fails.
func parseFailOn(s string) (finding.Severity, bool, error) {
	if s == "" {
		return finding.Low, true, nil
	}
	return finding.ParseSeverity(s)
}
