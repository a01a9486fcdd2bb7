package fix

import (
	"slices"
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

// decodeEdit collects the edits of one call.
type decodeEdit struct {
	s     *site
	call  *python.Node
	edits []Edit
	what  []string
	// requireDone is set when dropVerifyOff already wrote the require list.
	requireDone bool
	// addedKey is the key expression the fix passes to a decode that had none.
	addedKey string
}

// requires reports whether the call's options already require the claim.
func (d *decodeEdit) requires(claim string) bool {
	opts := kwarg(d.call, "options")
	if opts == nil || opts.Kind != "dictionary" {
		return false
	}
	for _, p := range opts.NamedChildren() {
		if k, _ := p.ChildByField("key").StringValue(); k == "require" {
			return slices.Contains(stringList(p.ChildByField("value")), claim)
		}
	}
	return false
}

// dropVerifyOff removes verify=False and the options entries that turn a
// check off; an options dict left empty goes too.
func (d *decodeEdit) dropVerifyOff(require string) {
	items := args(d.call)
	for i, a := range items {
		if a.Kind == "keyword_argument" && a.ChildByField("name").Text() == "verify" {
			if v, ok := a.ChildByField("value").BoolValue(); ok && !v {
				d.edits = append(d.edits, removeFromList(d.s.src(), items, i))
				d.what = append(d.what, "verify=False removed")
			}
		}
	}
	opts := kwarg(d.call, "options")
	if opts == nil || opts.Kind != "dictionary" {
		return
	}
	pairs := opts.NamedChildren()
	var drop []int
	for i, p := range pairs {
		k, _ := p.ChildByField("key").StringValue()
		v, isBool := p.ChildByField("value").BoolValue()
		if p.Kind == "pair" && slices.Contains(verifyOff, k) && isBool && !v {
			drop = append(drop, i)
			d.what = append(d.what, quote(k)+": False removed")
		}
	}
	switch {
	case len(drop) == 0:
	case len(drop) == len(pairs) && require != "":
		d.edits = append(d.edits, Edit{Start: opts.Start, End: opts.End, New: `{"require": [` + quote(require) + `]}`})
		d.what = append(d.what, require+" required")
		d.requireDone = true
	case len(drop) == len(pairs):
		for i, a := range items {
			if a.Kind == "keyword_argument" && a.ChildByField("name").Text() == "options" {
				d.edits = append(d.edits, removeFromList(d.s.src(), items, i))
			}
		}
	default:
		for _, i := range drop {
			d.edits = append(d.edits, removeFromList(d.s.src(), pairs, i))
		}
	}
}

// pinAlg sets algorithms= to the issuer's one algorithm.
func (d *decodeEdit) pinAlg() string {
	list := kwarg(d.call, "algorithms")
	var have []string
	if list != nil {
		have = stringList(list)
		if have == nil {
			return "algorithms= is not a literal list; the algorithm it allows is not known from the code"
		}
	}
	key := keyID(decodeKey(d.call))
	if key == "" {
		key = keyIDOf(d.addedKey)
	}
	if !isDecode(callName(d.call)) {
		key = "" // a wrapper building a verifier: its key is not in sight
	}
	alg := d.s.p.issuer.alg(have, key)
	if alg == "" {
		return "the algorithm the issuer signs with is not one known value (no single jwt.encode algorithm= or JWT_ALGORITHM); pin it by hand"
	}
	if len(have) == 1 && have[0] == alg {
		return ""
	}
	pinned := "[" + quote(alg) + "]"
	if list != nil {
		d.edits = append(d.edits, Edit{Start: list.Start, End: list.End, New: pinned})
	} else {
		d.edits = append(d.edits, d.addKwarg("algorithms="+pinned))
	}
	d.what = append(d.what, "algorithms pinned to "+alg)
	return ""
}

// requireClaim adds a claim to options["require"] (PyJWT 2), creating the
// entry or the options argument as needed.
func (d *decodeEdit) requireClaim(claim string) {
	opts := kwarg(d.call, "options")
	if opts == nil {
		d.edits = append(d.edits, d.addKwarg(`options={"require": [`+quote(claim)+`]}`))
		d.what = append(d.what, claim+" required")
		return
	}
	if opts.Kind != "dictionary" {
		return
	}
	for _, p := range opts.NamedChildren() {
		if k, _ := p.ChildByField("key").StringValue(); k == "require" {
			list := p.ChildByField("value")
			have := stringList(list)
			if have == nil || slices.Contains(have, claim) {
				return
			}
			d.edits = append(d.edits, Edit{Start: list.Start, End: list.End, New: pyList(append(have, claim))})
			d.what = append(d.what, claim+" required")
			return
		}
	}
	open := opts.Start + 1
	sep := ", "
	if len(opts.NamedChildren()) == 0 {
		sep = ""
	}
	d.edits = append(d.edits, Edit{Start: open, End: open, New: `"require": [` + quote(claim) + `]` + sep})
	d.what = append(d.what, claim+" required")
}

// dropNone removes issuer=None / audience=None, which switch the check off.
func (d *decodeEdit) dropNone(names ...string) {
	items := args(d.call)
	for i, a := range items {
		if a.Kind == "keyword_argument" && slices.Contains(names, a.ChildByField("name").Text()) && a.ChildByField("value").Kind == "none" {
			d.edits = append(d.edits, removeFromList(d.s.src(), items, i))
			d.what = append(d.what, a.ChildByField("name").Text()+"=None removed")
		}
	}
}

// addKwarg inserts a keyword argument at the end of the call's arguments.
func (d *decodeEdit) addKwarg(text string) Edit {
	list := d.call.ChildByField("arguments")
	close := list.End - 1
	if len(args(d.call)) == 0 {
		return Edit{Start: close, End: close, New: text}
	}
	last := args(d.call)[len(args(d.call))-1]
	return Edit{Start: last.End, End: last.End, New: ", " + text}
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

// expect passes audience= or issuer= to a decode that checks neither, with
// the one value the tokens its key signs carry.
func (d *decodeEdit) expect(key string) string {
	kw, claim := "audience", "aud"
	if strings.HasPrefix(d.s.f.Rule, "jwt.iss-") {
		kw, claim = "issuer", "iss"
	}
	if v := kwarg(d.call, kw); v != nil && v.Kind != "none" {
		return ""
	}
	val := d.s.p.issuer.claim(claim, key)
	if val == "" {
		if len(d.edits) > 0 {
			return ""
		}
		return "the tokens do not carry one literal " + claim + " value in the code's jwt.encode calls; name the expected " + kw + " by hand"
	}
	d.edits = append(d.edits, d.addKwarg(kw+"="+quote(val)))
	d.what = append(d.what, kw+"="+quote(val)+", the value the tokens carry")
	return ""
}
