package probe

import (
	"context"
	"strings"
)

// Scope says what one run of a check covers.
type Scope int

const (
	// PerEndpoint checks run once per gated (endpoint, identity) pair.
	PerEndpoint Scope = iota
	// PerIdentity checks run once per identity (token hygiene, login).
	PerIdentity
	// PerScan checks run once per scan, after all per-endpoint checks, and
	// see every calibration (matrix-wide inferences, BOLA, BFLA).
	PerScan
)

// Check is one dynamic check. Checks are values in the engine's registry;
// what the engine needs to know about a check to schedule it, group its
// findings and share state it declares here, as data, so that a new check
// is one file in its family and one registry line.
type Check struct {
	// ID names the check; it is the prefix of the rules it reports
	// (--checks and --skip match either).
	ID string
	// Doc says in a sentence what the check proves.
	Doc string
	// Rules are the catalog ids the check may report.
	Rules []string
	Scope Scope
	Run   func(ctx context.Context, p *Pass)

	// Verifier: the check judges the credential verifier an endpoint
	// shares with the other members of its gate (how a token's signature
	// and keys are checked), not what a route does with a valid
	// credential. Its verdicts on a gate's representative carry over to
	// the members, where they are confirmed; checks of what routes do run
	// on every member.
	Verifier bool
	// GateRules are the rules among Rules whose cause is the verifier: a
	// finding of one is one per gate (the endpoints behind it are its
	// instances), not one per endpoint.
	GateRules []string
	// RefusalGates are the rules among GateRules judged on how a wrong
	// credential is refused, whichever identities the gate then lets in
	// (throttling of key guesses): routes that refuse a wrong key alike are
	// one cause, an admin-only route included.
	RefusalGates []string
	// Discriminates, when set, makes the check's first requests one of the
	// probes that tell apart the verifiers of endpoints that refuse alike.
	Discriminates *Discriminator
	// Requires are the checks whose results this one reads through
	// Pass.ResultOf. They come earlier in the registry.
	Requires []string
	// Chains are rules whose findings are a consequence of this check's:
	// proven for the same identity, they fold into its finding (a forged
	// privilege is what a recovered secret leads to).
	Chains []string
	// Family, when set, is the state the checks of a family share within
	// one scan; the engine creates it and finishes it.
	Family *Family
}

// Discriminator says when and how a check's first requests tell verifiers
// apart.
type Discriminator struct {
	// Tokens are the tokens it applies to.
	Tokens TokenKind
	// Cheap: its first request alone tells verifiers apart, and an
	// accepted answer proves the endpoint broken, so that no further
	// forgery is sent to it. Otherwise its requests are sent until one is
	// accepted.
	Cheap bool
	// Rank orders the discriminating requests, lowest first: the most
	// telling and cheapest go first.
	Rank int
	// Invalid: a refusal of its first request is the verifier refusing an
	// invalid credential of the identity's own kind (as good as a
	// malformed one for calibration).
	Invalid bool
}

// TokenKind is the JWTs a discriminator applies to.
type TokenKind int

const (
	// AnyToken is every JWT.
	AnyToken TokenKind = iota
	// Asymmetric are RS, PS and ES tokens.
	Asymmetric
	// ECDSA are ES tokens.
	ECDSA
	// WithKid are tokens whose header has a kid.
	WithKid
)

// Applies reports whether the kind covers a token signed with alg whose
// header has (hasKid) a kid.
func (k TokenKind) Applies(alg string, hasKid bool) bool {
	switch k {
	case Asymmetric:
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS") || strings.HasPrefix(alg, "ES")
	case ECDSA:
		return strings.HasPrefix(alg, "ES")
	case WithKid:
		return hasKid
	}
	return true
}

// Family is state the checks of one family share within a scan: secrets
// recovered, keys discovered, a key server. Declare it once per family,
// as a package variable, and name it in each check's Family.
type Family struct {
	// Name names the family in messages.
	Name string
	// New creates the family's state at the start of a scan.
	New func() State
}

// State is one scan's state of a family.
type State interface {
	// Finish runs once, after the per-endpoint checks and before the
	// per-scan ones, or when the scan ends early: whatever happened, it
	// runs. ctx may have ended.
	Finish(ctx context.Context, p *Pass)
}
