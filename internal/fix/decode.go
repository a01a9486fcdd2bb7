package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// What a decode fix changes, by finding rule.
type decodeGoal struct {
	pin     bool   // pin algorithms= to the issuer's one algorithm
	verify  bool   // the signature must be verified (drop verify=False and friends)
	require string // a claim to add to options["require"]
}

// decodeGoals maps a rule to what its decode fix must achieve.
var decodeGoals = map[string]decodeGoal{
	"jwt.signature-not-verified":   {verify: true, pin: true},
	"py.jwt-unverified":            {verify: true, pin: true},
	"authz.weaker-credential-wins": {verify: true, pin: true},
	"py.jwt-unverified-claims":     {verify: true, pin: true},
	"jwt.alg-none":                 {pin: true},
	"py.jwt-alg-none":              {pin: true},
	"jwt.alg-not-pinned":           {pin: true},
	"py.jwt-no-algorithms":         {pin: true},
	"py.jwt-alg-mixed":             {pin: true},
	"jwt.alg-confusion":            {pin: true},
	"py.jwt-alg-from-header":       {pin: true},
	"jwt.expired-accepted":         {verify: true},
	"py.jwt-exp-not-verified":      {verify: true},
	"py.jwt-claim-not-verified":    {verify: true},
	"jwt.nbf-ignored":              {verify: true},
	"jwt.iat-future-accepted":      {verify: true},
	"jwt.aud-not-validated":        {verify: true},
	"jwt.iss-not-validated":        {verify: true},
	"jwt.missing-exp-accepted":     {require: "exp"},
	"py.jwt-exp-not-required":      {require: "exp"},
}

// verifyOff are the option keys PyJWT, python-jose and authlib read as
// "skip this check" when False.
var verifyOff = []string{"verify_signature", "verify_exp", "verify_nbf", "verify_iat", "verify_aud", "verify_iss", "verify_sub", "verify_jti", "verify_at_hash"}

// fixDecode rewrites the decode call (or the verifier-building call passing
// decode options) on the cause line.
func fixDecode(s *site) (*attempt, string) {
	goal, ok := decodeGoals[s.f.Rule]
	if !ok {
		return nil, ""
	}
	calls := s.onLine("call")
	var target *python.Node
	for _, c := range calls {
		if name := callName(c); isDecode(name) || strings.Contains(name, "get_unverified") {
			target = c
			break
		}
	}
	if target == nil {
		for _, c := range calls {
			if kwargNode(c, "options") != nil || kwargNode(c, "algorithms") != nil || kwargNode(c, "verify") != nil || kwargNode(c, "issuer") != nil {
				target = c
				break
			}
		}
	}
	if target == nil {
		return nil, "no jwt.decode call (or call passing decode options) on " + s.f.Location.String()
	}
	name := callName(target)
	if usesAuthlib(s.file) && isDecode(name) {
		return nil, "an authlib decode: its algorithms are set on the JsonWebToken instance, not on decode"
	}
	if strings.Contains(name, "get_unverified") {
		return s.replaceUnverified(target, name)
	}
	if goal.require == "exp" && s.p.noExp != "" {
		return nil, "tokens are issued without exp (" + s.p.noExp + ", not fixed): requiring exp would refuse them"
	}
	d := &decodeEdit{s: s, call: target}
	if pos := positional(target); goal.verify && isDecode(name) && len(pos) == 1 && kwargNode(target, "key") == nil {
		key := s.p.issuer.key(s.file.Path)
		if key == "" {
			return nil, "the decode passes no key, and the file's own jwt.encode calls do not sign with one named key"
		}
		d.edits = append(d.edits, Edit{Start: pos[0].End, End: pos[0].End, New: ", " + key})
		d.addedKey = key
		d.what = append(d.what, "verified with "+key+", the key the file's jwt.encode signs with")
	}
	key := keyID(decodeKey(target))
	if key == "" {
		key = keyIDOf(d.addedKey)
	}
	// A strict decode requires exp when every token its key signs carries
	// it, so the repaired call does not trade one finding for another.
	if goal.require == "" && (goal.verify || goal.pin) && isDecode(name) && s.p.issuer.exp(key) && !d.requires("exp") {
		goal.require = "exp"
	}
	// A static guess that exp should be required holds only when every
	// token carries it; a live finding's patch is checked by the proofs.
	if goal.require == "exp" && s.f.Source == "static" && !s.p.issuer.exp(key) {
		return nil, "not every token signed with this key is issued with exp: requiring it could refuse genuine tokens"
	}
	if goal.verify || goal.pin {
		d.dropVerifyOff(goal.require)
		if d.requireDone {
			goal.require = ""
		}
	}
	if goal.pin {
		if why := d.pinAlg(); why != "" {
			return nil, why
		}
	}
	if goal.require != "" {
		d.requireClaim(goal.require)
	}
	if strings.HasPrefix(s.f.Rule, "jwt.iss-") || strings.HasPrefix(s.f.Rule, "jwt.aud-") {
		d.dropNone("issuer", "audience")
		if isDecode(name) {
			if why := d.expect(key); why != "" {
				return nil, why
			}
		}
	}
	if goal.verify && isDecode(name) {
		// A verified decode that fails open still lets everyone in.
		edits, why := failOpen(s, target)
		if why != "" {
			return nil, why
		}
		if len(edits) > 0 {
			d.edits = append(d.edits, edits...)
			d.what = append(d.what, "token errors refused")
		}
	}
	if len(d.edits) == 0 {
		return nil, "the decode call on " + s.f.Location.String() + " has no option this fix removes or pins"
	}
	return &attempt{edits: d.edits, what: strings.Join(d.what, "; ")}, ""
}

// replaceUnverified turns get_unverified_claims(token) into a verified
// decode with the key the project's own decode or encode calls use.
func (s *site) replaceUnverified(call *python.Node, name string) (*attempt, string) {
	if !strings.HasSuffix(name, "get_unverified_claims") {
		return nil, name + " reads the header, not the claims; what the code does with it needs a person"
	}
	pos := positional(call)
	if len(pos) != 1 {
		return nil, name + " is not called with the token alone"
	}
	key := s.p.issuer.key(s.file.Path)
	alg := s.p.issuer.alg(nil, keyIDOf(key))
	if key == "" || alg == "" {
		return nil, "the key and algorithm the issuer signs with are not one known name and value; verify by hand"
	}
	mod := strings.TrimSuffix(name, ".get_unverified_claims")
	text := mod + ".decode(" + pos[0].Text() + ", " + key + ", algorithms=[" + quote(alg) + "])"
	return &attempt{edits: []Edit{{Start: call.Start, End: call.End, New: text}},
		what: name + " replaced by a verified decode with " + key + " and " + alg}, ""
}
