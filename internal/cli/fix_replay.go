package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/fix"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
)

// fixReplayer builds the dynamic proof's replay from the scan's identities:
// every identity logs in to the patched copy, then retest replays each
// finding's proof there. Nil without --run.
func fixReplayer(f *fixFlags) (fix.Replayer, error) {
	if f.run == "" {
		return nil, nil
	}
	cfg := &Config{}
	if f.config != "" {
		var err error
		if cfg, err = LoadConfig(f.config); err != nil {
			return nil, usageErr("config: %v", err)
		}
	}
	ids, err := mergeIdentities(cfg.Identities, f.identities)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return func(ctx context.Context, url string, fs []finding.Finding) (map[string]fix.Replayed, map[string]error, error) {
		target, err := parseTarget(url)
		if err != nil {
			return nil, nil, err
		}
		client, err := httpx.New(httpx.Options{Timeout: f.timeout, Rate: f.rate, Concurrency: 1, Scope: []string{target.Host}, Retries: 2})
		if err != nil {
			return nil, nil, fmt.Errorf("dynamic proof: %w", err)
		}
		sess := &identity.Session{Client: client, Target: target}
		logins := map[string]error{}
		for _, id := range ids {
			if _, err := id.Creds(ctx, sess); err != nil {
				logins[id.Name] = err
			}
		}
		out, _ := engine.Retest(ctx, engine.RetestOptions{Client: client, Session: sess, Identities: ids}, fs)
		got := map[string]fix.Replayed{}
		for _, r := range out {
			switch r.Status {
			case engine.Fixed:
				got[r.Finding.Fingerprint] = fix.Replayed{Status: fix.Fixed, Why: r.Why}
			case engine.StillOpen:
				got[r.Finding.Fingerprint] = fix.Replayed{Status: fix.StillOpen, Why: r.Why}
			default:
				if strings.HasPrefix(r.Why, "no replayable proof") {
					continue // nothing to replay: the proof does not apply
				}
				got[r.Finding.Fingerprint] = fix.Replayed{Status: fix.Failed, Why: "inconclusive: " + client.Redactor.String(r.Why)}
			}
		}
		return got, logins, nil
	}, nil
}
