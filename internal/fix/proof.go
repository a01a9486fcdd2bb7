package fix

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
