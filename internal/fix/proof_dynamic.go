package fix

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
)

// Replayed is one finding's replay against the patched copy.
type Replayed struct {
	Status Status
	Why    string
}

// Running is the patched copy the dynamic proof talks to.
type Running struct {
	URL string
	// Dir is the patched copy's folder.
	Dir string
	// Env are the environment values it was started with (NAME=value).
	Env []string
	// JWTSecret is the signing secret the patch moved into the environment
	// (its value in Env), when there is one: the owner knows it.
	JWTSecret string
}

// Replayer logs every identity in at the running copy and replays the
// findings' proofs there. It returns a verdict per fingerprint and, per
// identity that could not log in, the error.
type Replayer func(ctx context.Context, at Running, fs []finding.Finding) (map[string]Replayed, map[string]error, error)

// ProveDynamic starts the patched copy with cmdline and replays each
// patched finding's proof against it: `fixed`, `still open`, `broke login`
// (an identity that logged in before cannot now: every patched finding
// gets it), `failed` (the copy did not start, or the replay said nothing),
// `not run` for a finding without a replayable proof.
func (pl *Plan) ProveDynamic(ctx context.Context, patched, cmdline string, env []string, replay Replayer) error {
	var fs []finding.Finding
	for _, fx := range pl.Fixes {
		if fx.Patched {
			fs = append(fs, fx.Finding)
		}
	}
	if len(fs) == 0 {
		return nil
	}
	srv, err := Start(ctx, patched, cmdline, env, 30*time.Second)
	if err != nil {
		pl.each(func(fx *Fix) { fx.Proofs.Dynamic = Failed; fx.note("dynamic: %v", err) })
		return nil
	}
	defer srv.Stop()
	at := Running{URL: srv.URL, Dir: patched, Env: env, JWTSecret: pl.jwtSecret(env)}
	got, logins, err := replay(ctx, at, fs)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(logins)) {
		pl.BrokenLogins = append(pl.BrokenLogins, name+": "+logins[name].Error())
	}
	pl.each(func(fx *Fix) {
		r, ok := got[fx.Finding.Fingerprint]
		switch {
		case len(pl.BrokenLogins) > 0:
			fx.Proofs.Dynamic = BrokeLogin
			fx.note("dynamic: the patched copy refuses a login: %v", pl.BrokenLogins)
		case !ok:
			fx.Proofs.Dynamic = NotRun
			fx.inapplicable("dynamic") // no dynamic proof exists (a static finding)
		default:
			fx.Proofs.Dynamic = r.Status
			if r.Why != "" && r.Status != Fixed {
				fx.note("dynamic: %s", r.Why)
			}
		}
	})
	return nil
}

// each calls fn on every patched fix.
func (pl *Plan) each(fn func(*Fix)) {
	for i := range pl.Fixes {
		if pl.Fixes[i].Patched {
			fn(&pl.Fixes[i])
		}
	}
}

// jwtSecret returns the value env gives the JWT signing secret a fix moved
// into the environment (the first such fix's).
func (pl *Plan) jwtSecret(env []string) string {
	for _, fx := range pl.Fixes {
		if !fx.Patched || !fx.JWTKey {
			continue
		}
		for _, name := range fx.Env {
			for _, kv := range env {
				if v, ok := strings.CutPrefix(kv, name+"="); ok {
					return v
				}
			}
		}
	}
	return ""
}
