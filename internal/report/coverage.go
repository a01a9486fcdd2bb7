package report

import (
	"fmt"
	"sort"
	"strings"
)

// CoreFamilies are the check families without which a grade means nothing:
// a result whose gated endpoints none of them could test is not graded.
var CoreFamilies = []string{"jwt", "apikey", "authz"}

// Incomplete is the grade shown instead of A–F when a core family could not
// run.
const Incomplete = "incomplete"

// Ungraded lists the core families that could not run on any of the API's
// gated endpoints they apply to ("jwt: no usable JWT on 3 endpoints"); a
// result with any is shown as incomplete rather than graded.
func Ungraded(r *Result) []string {
	var out []string
	for _, c := range r.Coverage {
		if c.Tested > 0 || len(c.Skipped) == 0 || !core(c.Family) {
			continue
		}
		out = append(out, c.Family+": "+skipSummary(c.Skipped))
	}
	return out
}

func core(family string) bool {
	for _, f := range CoreFamilies {
		if f == family {
			return true
		}
	}
	return false
}

// skipSummary counts skips per reason: "no usable JWT on 3 endpoints".
func skipSummary(skips []Skip) string {
	counts := map[string]int{}
	for _, s := range skips {
		counts[s.Reason]++
	}
	reasons := make([]string, 0, len(counts))
	for r := range counts {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	parts := make([]string, 0, len(reasons))
	for _, r := range reasons {
		parts = append(parts, fmt.Sprintf("%s on %s", r, plural(counts[r], "endpoint")))
	}
	return strings.Join(parts, "; ")
}

// coverageLines renders the coverage section one line per family, then one
// indented line per skip (at most maxSkips per family).
func coverageLines(r *Result) []string {
	const maxSkips = 20
	var out []string
	for _, c := range r.Coverage {
		line := fmt.Sprintf("%s: tested on %s", c.Family, plural(c.Tested, "endpoint"))
		if c.Inconclusive > 0 {
			line += fmt.Sprintf(", inconclusive on %d (mostly 429, 5xx or timeouts)", c.Inconclusive)
		}
		if c.Undecided != "" {
			line += ", could not decide: " + c.Undecided
		}
		if n := len(c.Skipped); n > 0 {
			line += fmt.Sprintf(", skipped %d (%s)", n, skipSummary(c.Skipped))
		}
		out = append(out, line)
		for i, s := range c.Skipped {
			if i == maxSkips {
				out = append(out, fmt.Sprintf("  … and %d more", len(c.Skipped)-maxSkips))
				break
			}
			out = append(out, "  "+skipLine(s))
		}
	}
	return out
}

func skipLine(s Skip) string {
	var who []string
	if s.Endpoint != nil {
		who = append(who, s.Endpoint.String())
	}
	if s.Identity != "" {
		who = append(who, "identity "+s.Identity)
	}
	if len(who) == 0 {
		who = append(who, "(scan)")
	}
	return oneLine(strings.Join(who, " as ")) + ": " + oneLine(s.Reason)
}

// writeTextCoverage prints the coverage section: a line per family, then
// its skips indented under it.
func writeTextCoverage(ew *errWriter, p painter, r *Result) {
	lines := coverageLines(r)
	if len(lines) == 0 {
		return
	}
	ew.printf("\n%s\n", p.heading("Coverage"))
	for _, l := range lines {
		if strings.HasPrefix(l, "  ") {
			ew.printf("      %s\n", p.dim(strings.TrimPrefix(l, "  ")))
			continue
		}
		ew.printf("  - %s\n", l)
	}
}
