package engine

import (
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/probe"
	register "github.com/authprobe/authprobe/internal/probe/accounts"
	"github.com/authprobe/authprobe/internal/probe/actions"
	"github.com/authprobe/authprobe/internal/probe/apikey"
	"github.com/authprobe/authprobe/internal/probe/authz"
	"github.com/authprobe/authprobe/internal/probe/claims"
	"github.com/authprobe/authprobe/internal/probe/clientid"
	"github.com/authprobe/authprobe/internal/probe/jwt"
	"github.com/authprobe/authprobe/internal/probe/keys"
	"github.com/authprobe/authprobe/internal/probe/leak"
	"github.com/authprobe/authprobe/internal/probe/lifecycle"
	"github.com/authprobe/authprobe/internal/probe/ratelimit"
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// Registry returns every dynamic check, in the order they run on an
// endpoint. Checks that gate others come first.
func Registry() []probe.Check {
	var all []probe.Check
	all = append(all, jwt.Checks()...)
	all = append(all, claims.Checks()...)
	all = append(all, keys.Checks()...)
	all = append(all, apikey.Checks()...)
	all = append(all, authz.Checks()...)
	all = append(all, leak.Checks()...)
	all = append(all, register.Checks()...)
	// Lifecycle flows log in afresh: before brute force locks accounts.
	all = append(all, lifecycle.Checks()...)
	// Last: throttling it provokes must not blind the other checks.
	all = append(all, ratelimit.Checks()...)
	// The write phase runs after every read (--allow-writes).
	all = append(all, writes.Checks()...)
	// Writes beyond REST collections: action endpoints, anonymous writes,
	// minted credentials (--allow-writes).
	all = append(all, actions.Checks()...)
	// Who the caller is, from values the client sets: its proofs include
	// writes (a compared value on a refused write, an owner field merged
	// over), so it comes after every read.
	all = append(all, clientid.Checks()...)
	// Writes on the accounts the scan registered, then their deletion:
	// after everything that uses them (--allow-writes).
	all = append(all, register.LateChecks()...)
	return all
}

// Select filters the registry by --checks and --skip, which name check ids,
// rule ids or family prefixes (a family, one of its checks or one rule).
func Select(all []probe.Check, only, skip []string) ([]probe.Check, error) {
	known := func(pat string) bool {
		for _, c := range all {
			if matches(c, pat) {
				return true
			}
		}
		return false
	}
	for _, pat := range append(append([]string(nil), only...), skip...) {
		if !known(pat) {
			return nil, fmt.Errorf("no check matches %q (see authprobe checks)", pat)
		}
	}
	var out []probe.Check
	for _, c := range all {
		if len(only) > 0 && !anyMatch(c, only) {
			continue
		}
		if anyMatch(c, skip) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// RuleFilter says whether a finding of rule may be reported under --checks
// and --skip: a check that reports several rules (secret recovery also
// proves forged privileges) must not report one the user skipped.
func RuleFilter(only, skip []string) func(rule string) bool {
	match := func(rule string, pats []string) bool {
		for _, p := range pats {
			p = strings.TrimSpace(p)
			if p != "" && (rule == p || strings.HasPrefix(rule, p+".")) {
				return true
			}
		}
		return false
	}
	return func(rule string) bool {
		if match(rule, skip) {
			return false
		}
		return len(only) == 0 || match(rule, only) || !ruleNamed(only)
	}
}

// ruleNamed: some pattern names a rule or rule family rather than a check
// id that reports other rules (--checks naming a check keeps all its rules).
func ruleNamed(pats []string) bool {
	for _, c := range Registry() {
		for _, p := range pats {
			if c.ID == p {
				return false
			}
		}
	}
	return true
}

func anyMatch(c probe.Check, pats []string) bool {
	for _, p := range pats {
		if matches(c, p) {
			return true
		}
	}
	return false
}

func matches(c probe.Check, pat string) bool {
	pat = strings.TrimSpace(pat)
	if pat == "" {
		return false
	}
	names := append([]string{c.ID}, c.Rules...)
	for _, n := range names {
		if n == pat || strings.HasPrefix(n, pat+".") {
			return true
		}
	}
	return false
}

// FamiliesNotRun lists the check families (the id's first part: jwt,
// apikey, authz, ...) of which some checks are not in the selection:
// "jwt" when none ran, "jwt (3 of 19 checks)" when some did. Empty when
// every check runs.
func FamiliesNotRun(all, selected []probe.Check) []string {
	family := func(id string) string { f, _, _ := strings.Cut(id, "."); return f }
	total, ran := map[string]int{}, map[string]int{}
	var order []string
	for _, c := range all {
		f := family(c.ID)
		if total[f] == 0 {
			order = append(order, f)
		}
		total[f]++
	}
	for _, c := range selected {
		ran[family(c.ID)]++
	}
	var out []string
	for _, f := range order {
		switch {
		case ran[f] == 0:
			out = append(out, f)
		case ran[f] < total[f]:
			out = append(out, fmt.Sprintf("%s (%d of %d checks ran)", f, ran[f], total[f]))
		}
	}
	return out
}
