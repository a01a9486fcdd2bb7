package fix

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"
)

// ProveOptions say which proofs to run.
type ProveOptions struct {
	// TestCmd is the project's test command; empty: no tests proof.
	TestCmd   string
	TestLimit time.Duration
	// Run starts the app ({port} = loopback port); empty: no dynamic proof.
	Run    string
	Replay Replayer
	// Env is added to the environment of the tests and the started copy
	// ("NAME=value": the secrets the patch moves into the environment).
	Env []string
}

// Prove copies the project twice (unpatched, for the tests baseline, and
// patched), runs the proofs and removes the copies.
func (pl *Plan) Prove(ctx context.Context, opt ProveOptions) error {
	if pl.Patched() == 0 {
		return nil
	}
	tmp, err := os.MkdirTemp("", "authprobe-fix-")
	if err != nil {
		return fmt.Errorf("fix: %w", err)
	}
	defer os.RemoveAll(tmp)
	patched, err := Copy(pl.Dir, tmp, "patched")
	if err != nil {
		return err
	}
	if err := pl.WriteTo(patched); err != nil {
		return err
	}
	if err := pl.ProveStatic(ctx, patched); err != nil {
		return err
	}
	if opt.TestCmd == "" {
		pl.each(func(fx *Fix) { fx.inapplicable("tests") })
	} else {
		unpatched, err := Copy(pl.Dir, tmp, "unpatched")
		if err != nil {
			return err
		}
		if opt.TestLimit == 0 {
			opt.TestLimit = 10 * time.Minute
		}
		if err := pl.ProveTests(ctx, opt.TestCmd, unpatched, patched, opt.Env, opt.TestLimit); err != nil {
			pl.each(func(fx *Fix) { fx.Proofs.Tests = Failed; fx.note("tests: %v", err) })
		}
	}
	if opt.Run == "" || opt.Replay == nil {
		pl.each(func(fx *Fix) {
			if fx.Finding.Replay == nil && fx.Finding.Source == "static" {
				fx.inapplicable("dynamic")
			}
		})
		return nil
	}
	return pl.ProveDynamic(ctx, patched, opt.Run, opt.Env, opt.Replay)
}

// inapplicable records that a proof does not apply to the fix (the
// project has no tests, the analysis never reported the cause, the
// finding has no replayable proof): its "not run" does not hold --apply.
func (fx *Fix) inapplicable(proof string) {
	fx.na = append(fx.na, proof)
}

// ready reports whether every proof of the fix passed or does not apply.
func (fx *Fix) ready() bool {
	for name, st := range map[string]Status{"static": fx.Proofs.Static, "tests": fx.Proofs.Tests, "dynamic": fx.Proofs.Dynamic} {
		if st == Fixed {
			continue
		}
		if st == NotRun && slices.Contains(fx.na, name) {
			continue
		}
		return false
	}
	return true
}

// Ready reports whether the patch may be applied: every patched finding's
// proofs passed or do not apply, and no login broke; otherwise why not.
func (pl *Plan) Ready() (bool, string) {
	if len(pl.BrokenLogins) > 0 {
		return false, "the patched copy refuses a login"
	}
	for _, fx := range pl.Fixes {
		if fx.Patched && !fx.ready() {
			return false, fmt.Sprintf("%s: proofs static %s, tests %s, dynamic %s", fx.Finding.Rule, fx.Proofs.Static, fx.Proofs.Tests, fx.Proofs.Dynamic)
		}
	}
	return true, ""
}

// AllPassed reports whether no proof of a patched finding failed.
func (pl *Plan) AllPassed() bool {
	for _, fx := range pl.Fixes {
		if !fx.Patched {
			continue
		}
		for _, st := range []Status{fx.Proofs.Static, fx.Proofs.Tests, fx.Proofs.Dynamic} {
			if st != Fixed && st != NotRun {
				return false
			}
		}
	}
	return true
}

// Status is one proof's verdict on one finding.
type Status string

const (
	// Fixed: the proof ran and the finding is gone (for tests: the suite
	// passes, or fails exactly as on the unpatched copy).
	Fixed Status = "fixed"
	// StillOpen: the finding is still there after the patch.
	StillOpen Status = "still open"
	// BrokeLogin: an identity could not log in to the patched copy.
	BrokeLogin Status = "broke login"
	// Failed: the proof ran and the patch broke something (new findings,
	// new test failures, the copy did not start, an inconclusive replay).
	Failed Status = "failed"
	// NotRun: the proof was not available for this finding.
	NotRun Status = "not run"
)

// Proofs are a finding's three proofs.
type Proofs struct {
	Static  Status `json:"static"`
	Tests   Status `json:"tests"`
	Dynamic Status `json:"dynamic"`
}

// notRun is the state before any proof ran.
var notRun = Proofs{Static: NotRun, Tests: NotRun, Dynamic: NotRun}

// Passed reports whether every proof that ran passed and at least one ran.
func (p Proofs) Passed() bool {
	ran := false
	for _, s := range []Status{p.Static, p.Tests, p.Dynamic} {
		switch s {
		case Fixed:
			ran = true
		case NotRun:
		default:
			return false
		}
	}
	return ran
}

// Complete reports whether every proof ran and passed.
func (p Proofs) Complete() bool {
	return p.Static == Fixed && p.Tests == Fixed && p.Dynamic == Fixed
}
