package fix

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/retest"
	"github.com/authprobe/authprobe/internal/scan"
)

// Dynamic is what the dynamic proof needs from the caller: the scan that
// produced the result, as configured (identities, rate, timeout, checks'
// settings, --allow-writes), and the endpoints that scan saw.
type Dynamic struct {
	// Scan returns the scan's config with fresh identities (each call:
	// the login check, the replay and the rescan do not share logins).
	// Target and Source are set per patched copy.
	Scan func() (scan.Config, error)
	// Served are the result's endpoints with the identities' matrix.
	Served []report.Endpoint
}

// Replayer builds the dynamic proof: every identity logs in to the
// patched copy and must still be served where the scan saw it served;
// retest replays each finding that carries its proving request; the
// findings a single request cannot prove (a series, a comparison of
// identities under the policy, a flow) are looked for in a fresh scan of
// the patched copy (scan.Run with the same config and source).
func (d Dynamic) Replayer() Replayer {
	return func(ctx context.Context, at Running, fs []finding.Finding) (map[string]Replayed, map[string]error, error) {
		sc, err := d.Scan()
		if err != nil {
			return nil, nil, fmt.Errorf("dynamic proof: %w", err)
		}
		target, err := url.Parse(at.URL)
		if err != nil {
			return nil, nil, fmt.Errorf("dynamic proof: %w", err)
		}
		client, err := httpx.New(httpx.Options{Timeout: sc.Timeout, Rate: sc.Rate, Concurrency: 1, Scope: []string{target.Host}, Retries: 2})
		if err != nil {
			return nil, nil, fmt.Errorf("dynamic proof: %w", err)
		}
		ids := sc.Identities
		sess := &identity.Session{Client: client, Target: target}
		inferTransport(ctx, client, sess, at.Dir, d.Served, ids)
		logins := map[string]error{}
		for _, id := range ids {
			c, err := id.Creds(ctx, sess)
			if err != nil {
				logins[id.Name] = err
				continue
			}
			client.Redactor.Add(c.Secrets()...)
			if err := stillServed(ctx, client, at.URL, id.Name, c, d.Served, placesOf(fs)); err != nil {
				logins[id.Name] = err
			}
		}
		got := map[string]Replayed{}
		var rescan, replay []finding.Finding
		configured := map[string]bool{}
		for _, id := range ids {
			configured[id.Name] = true
		}
		for _, x := range fs {
			if (policyRules[x.Rule] || contentRules[x.Rule]) && x.Source != "static" || !replayableBy(x, configured) {
				rescan = append(rescan, x)
			} else {
				replay = append(replay, x)
			}
		}
		out, _ := retest.Run(ctx, retest.Options{Client: client, Session: sess, Identities: ids}, replay)
		for _, r := range out {
			switch r.Status {
			case retest.Fixed:
				got[r.Finding.Fingerprint] = Replayed{Status: Fixed, Why: r.Why}
			case retest.StillOpen:
				got[r.Finding.Fingerprint] = Replayed{Status: StillOpen, Why: r.Why}
			default:
				if strings.HasPrefix(r.Why, "no replayable proof") {
					if r.Finding.Source != "static" {
						rescan = append(rescan, r.Finding)
					}
					continue
				}
				got[r.Finding.Fingerprint] = Replayed{Status: Failed, Why: "inconclusive: " + client.Redactor.String(r.Why)}
			}
		}
		if len(rescan) > 0 && len(logins) == 0 {
			if err := d.rescan(ctx, at, rescan, got); err != nil {
				for _, x := range rescan {
					got[x.Fingerprint] = Replayed{Status: Failed, Why: err.Error()}
				}
			}
		}
		return got, logins, nil
	}
}

// policyRules are proven by comparing identities under the scan's
// policy: replayed as the one identity, a fixed route refuses it as it
// refuses that identity's own credential, which tells nothing; the rescan
// compares again.
var policyRules = map[string]bool{"authz.bfla": true, "authz.bfla-method": true}

// contentRules are proven by what an answer holds, not by its status: a
// fix that drops the leaked fields still answers 200, which the replay
// would call still open; the rescan judges the answer again.
var contentRules = map[string]bool{"leak.sensitive-data": true, "leak.other-principal-data": true}

// replayableBy reports whether every identity a finding's replay needs is
// configured: an account the scan registered itself (account-1) is not,
// and the rescan, which registers its own, decides instead.
func replayableBy(x finding.Finding, configured map[string]bool) bool {
	if x.Replay == nil {
		return true
	}
	for _, c := range x.Replay.Creds {
		if c.Identity != "" && c.Identity != "anonymous" && !configured[c.Identity] {
			return false
		}
	}
	return true
}
