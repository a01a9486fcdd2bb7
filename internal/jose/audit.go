package jose

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// The token-hygiene rules Audit reports (catalog ids). The hygiene check
// and retest both read this one list.
const (
	RuleUnsigned     = "jwt.unsigned-token-issued"
	RuleNoExpiry     = "jwt.no-expiry"
	RuleLongLifetime = "jwt.long-lifetime"
	RuleSensitive    = "jwt.sensitive-claims"
)

// AuditRules are the rules Audit may report.
var AuditRules = []string{RuleNoExpiry, RuleLongLifetime, RuleSensitive, RuleUnsigned}

// Issue is one hygiene problem of a token; Rule is a catalog id. Detail
// names claims and reasons, never a claim's value.
type Issue struct{ Rule, Detail string }

// maxLifetime is the longest lifetime an access token may have without an issue.
const (
	maxLifetime = 24 * time.Hour
	limitText   = "24 hours"
)

// Audit checks the hygiene of a token an API issued: it must be signed,
// expire, live at most a day and carry no secrets. It returns at most one
// Issue per rule, in a fixed order.
func Audit(t *Token, now time.Time) []Issue {
	var out []Issue
	if d := unsignedDetail(t); d != "" {
		out = append(out, Issue{Rule: RuleUnsigned, Detail: d})
	}
	exp, hasExp := t.Claims["exp"]
	expAt, expOK := NumericDate(exp)
	switch {
	case !hasExp:
		out = append(out, Issue{Rule: RuleNoExpiry, Detail: "the token has no exp claim: it never expires"})
	case !expOK:
		out = append(out, Issue{Rule: RuleNoExpiry, Detail: fmt.Sprintf("exp is a JSON %s, not a NumericDate: it sets no usable expiry", jsonKind(exp))})
	default:
		if d := lifetimeDetail(t, expAt, now); d != "" {
			out = append(out, Issue{Rule: RuleLongLifetime, Detail: d})
		}
	}
	if hits := SensitiveClaims(t.Claims); len(hits) > 0 {
		parts := make([]string, len(hits))
		for i, h := range hits {
			parts[i] = fmt.Sprintf("%q (%s)", h.Path, h.Reason)
		}
		out = append(out, Issue{Rule: RuleSensitive, Detail: "readable by anyone holding the token: " + strings.Join(parts, "; ")})
	}
	return out
}

func unsignedDetail(t *Token) string {
	switch {
	case isNone(t.Alg()):
		return fmt.Sprintf("the header declares alg %q: the token carries no signature", t.Alg())
	case len(t.Sig) == 0:
		return fmt.Sprintf("the signature segment is empty although the header declares alg %q", t.Alg())
	}
	return ""
}

func lifetimeDetail(t *Token, exp, now time.Time) string {
	if iat, ok := NumericDate(t.Claims["iat"]); ok {
		if life := exp.Sub(iat); life > maxLifetime {
			return fmt.Sprintf("exp - iat is %s, over %s", Span(iat, exp), limitText)
		}
		return ""
	}
	if left := exp.Sub(now); left > maxLifetime {
		return fmt.Sprintf("no iat, and exp is %s from now, over %s", Span(now, exp), limitText)
	}
	return ""
}

// Span prints the time from a to b like HumanDuration, in years past two
// years: time.Duration saturates at about 292 years, and a lifetime of
// "106751d23h" says nothing a reader can use.
func Span(a, b time.Time) string {
	secs := b.Unix() - a.Unix()
	const year = 365.25 * 24 * 3600
	if math.Abs(float64(secs)) >= 2*year {
		return fmt.Sprintf("%.0f years", float64(secs)/year)
	}
	return HumanDuration(b.Sub(a))
}

// NumericDate converts a claim value (json.Number or float64 seconds since
// the epoch, fractions allowed) to a time. It reports false for anything
// else, including values far outside any plausible date.
func NumericDate(v any) (time.Time, bool) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		var err error
		if f, err = n.Float64(); err != nil {
			return time.Time{}, false
		}
	case float64:
		f = n
	default:
		return time.Time{}, false
	}
	if math.IsNaN(f) || math.Abs(f) > 1e13 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// HumanDuration prints d in the largest two units: "30d", "2d3h", "1h5m", "45s".
func HumanDuration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Round(time.Second)
	days, d := d/(24*time.Hour), d%(24*time.Hour)
	h, d := d/time.Hour, d%time.Hour
	m, s := d/time.Minute, (d%time.Minute)/time.Second
	units := []struct {
		n    time.Duration
		name string
	}{{days, "d"}, {h, "h"}, {m, "m"}, {s, "s"}}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	shown := 0
	for i, u := range units {
		if shown == 2 || (shown == 1 && u.n == 0) {
			break
		}
		if u.n == 0 && !(shown == 0 && i == len(units)-1) {
			continue
		}
		fmt.Fprintf(&b, "%d%s", u.n, u.name)
		shown++
	}
	return b.String()
}
