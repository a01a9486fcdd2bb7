package fix

import (
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

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
