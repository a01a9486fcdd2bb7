package fix

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/scan"
)

// rescan scans the patched copy (scan.Run, the scan's own config, the
// copy's source) and judges each finding by whether the same rule shows
// again at one of its places: still open, else fixed — or not run when
// that scan could not have seen it. The owner knows the secret a patch
// moved into the environment, so the scan is given it.
func (d Dynamic) rescan(ctx context.Context, at Running, fs []finding.Finding, got map[string]Replayed) error {
	sc, err := d.Scan()
	if err != nil {
		return fmt.Errorf("rescan of the patched copy: %w", err)
	}
	sc.Target, sc.Source, sc.Hosts, sc.Transcript, sc.DryRun = at.URL, at.Dir, nil, "", false
	if at.JWTSecret != "" {
		sc.Settings.JWTSecret = []byte(at.JWTSecret)
	}
	res, err := scan.Run(ctx, sc, scan.Handler{})
	var stopped *scan.StoppedError
	switch {
	case res == nil && err == nil:
		return errors.New("rescan of the patched copy: no result")
	case err != nil && !errors.As(err, &stopped):
		return fmt.Errorf("rescan of the patched copy: %w", err)
	case err != nil && !stopped.ChecksStarted:
		return fmt.Errorf("rescan of the patched copy: %w", err)
	}
	for _, x := range fs {
		got[x.Fingerprint] = Replayed{Status: Fixed, Why: "a scan of the patched copy no longer reports it"}
		if why := rescanBlind(res, x, sc.AllowWrites, atLogin(sc, x)); why != "" {
			got[x.Fingerprint] = Replayed{Status: NotRun, Why: why}
		} else if stopped != nil {
			got[x.Fingerprint] = Replayed{Status: NotRun, Why: "the rescan of the patched copy stopped early: " + stopped.Error()}
		}
		for _, y := range res.Findings {
			if y.Rule == x.Rule && samePlace(x, y) {
				got[x.Fingerprint] = Replayed{Status: StillOpen, Why: "a scan of the patched copy reports it again"}
				break
			}
		}
	}
	return nil
}

// samePlace reports whether two findings of one rule share an endpoint, or
// for findings about no endpoint (token hygiene) an identity; either may
// be the representative or an instance. The identity that proved a finding
// at one endpoint does not make it the same weakness at another.
func samePlace(a, b finding.Finding) bool {
	places := func(f finding.Finding) []string {
		var out []string
		if f.Endpoint != nil {
			out = append(out, f.Endpoint.String())
		}
		if f.Identity != "" && f.Endpoint == nil {
			out = append(out, "id:"+f.Identity)
		}
		for _, in := range f.Instances {
			if in.Endpoint != nil {
				out = append(out, in.Endpoint.String())
			} else if in.Identity != "" {
				out = append(out, "id:"+in.Identity)
			}
		}
		if len(out) == 0 {
			out = append(out, "api")
		}
		return out
	}
	pb := places(b)
	for _, p := range places(a) {
		if slices.Contains(pb, p) {
			return true
		}
	}
	return false
}

// rescanBlind says why the rescan cannot tell whether a finding is gone:
// its check family did not test the finding's endpoint, or the checks that
// prove it send writes and --allow-writes was not given. Absence from a
// scan that could not look is no proof.
func rescanBlind(res *report.Result, x finding.Finding, allowWrites, login bool) string {
	if loginRules[x.Rule] {
		return throttleSeen(res, x)
	}
	family, _, _ := strings.Cut(x.Rule, ".")
	write := family == "account" || writeRules[x.Rule]
	if failedLoginRules[x.Rule] && login {
		write = false // failed logins are sent without --allow-writes
	} else if x.Endpoint != nil {
		switch x.Endpoint.Method {
		case "GET", "HEAD", "OPTIONS", "TRACE": // the safe methods (RFC 9110), as the scan reads them
		default:
			write = true
		}
	}
	if write && !allowWrites {
		return "the checks that prove it send writes: give --allow-writes to rescan it"
	}
	if family == "session" || family == "account" {
		return ""
	}
	for _, c := range res.Coverage {
		if c.Family != family {
			continue
		}
		if c.Tested == 0 {
			return "the rescan's " + family + " checks tested nothing"
		}
		for _, sk := range c.Skipped {
			if sk.Endpoint != nil && x.Endpoint != nil && *sk.Endpoint == *x.Endpoint {
				return "the rescan skipped " + x.Endpoint.String() + ": " + sk.Reason
			}
		}
		return ""
	}
	if x.Endpoint == nil {
		return "" // token hygiene and secrets: judged from the tokens issued
	}
	// A family without coverage of its own (authn): the scan's coverage
	// of every endpoint says whether this one was tested at all.
	for _, c := range res.Coverage {
		if c.Family != engine.FamilyAll {
			continue
		}
		for _, sk := range c.Skipped {
			if sk.Endpoint != nil && *sk.Endpoint == *x.Endpoint {
				return "the rescan skipped " + x.Endpoint.String() + ": " + sk.Reason
			}
		}
		if c.Tested > 0 {
			return ""
		}
	}
	return "the rescan has no coverage of the " + family + " checks"
}

// writeRules are the rules only checks that send writes can prove (the
// session lifecycle and write checks run only with --allow-writes).
var writeRules = map[string]bool{
	"session.logout-not-revoked": true, "session.password-change-not-revoked": true,
	"session.access-at-refresh": true, "session.refresh-as-access": true,
	"authz.bola-write": true, "authz.mass-assignment": true,
}

// failedLoginRules are proven at a login by failed logins, which a scan
// sends without --allow-writes (at a reset request they need it).
var failedLoginRules = map[string]bool{"account.user-enumeration": true, "account.user-enumeration-timing": true}

// atLogin reports whether the finding's endpoint is the login of one of
// the scan's identities (a path template matches the login's path).
func atLogin(sc scan.Config, x finding.Finding) bool {
	if x.Endpoint == nil {
		return false
	}
	re, err := regexp.Compile("^" + pathParam.ReplaceAllString(regexp.QuoteMeta(x.Endpoint.Path), "[^/]+") + "$")
	if err != nil {
		return false
	}
	for _, id := range sc.Identities {
		if id == nil || id.Login == nil || !strings.EqualFold(id.Login.Method, x.Endpoint.Method) {
			continue
		}
		path := id.Login.URL
		if u, err := url.Parse(path); err == nil {
			path = u.Path
		}
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// pathParam is a {name} of a quoted path template.
var pathParam = regexp.MustCompile(`\\\{[^/]*?\\\}`)

// loginRules are proven by logins with wrong passwords (or wrong keys),
// which a scan sends without --allow-writes, whatever the login's method.
var loginRules = map[string]bool{"apikey.no-bruteforce-protection": true}

// throttleSeen: the rescan's brute-force check must have run on the
// finding's endpoints and seen them throttled (its note says so); absence
// of the finding alone could be a series that never ran.
func throttleSeen(res *report.Result, x finding.Finding) string {
	places := placesOf([]finding.Finding{x})
	for _, w := range res.Warnings {
		ep, rest, ok := strings.Cut(w, ": ")
		if ok && places[ep] && strings.Contains(rest, " are throttled: ") {
			return ""
		}
	}
	return "the rescan's brute-force check did not see the throttling of " + strings.Join(slices.Sorted(maps.Keys(places)), ", ")
}
