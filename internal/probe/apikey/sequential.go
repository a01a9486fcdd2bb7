package apikey

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// ruleSequential: keys minted from a counter; a neighbour's key gets in.
const ruleSequential = "apikey.sequential-keys"

// maxGap is the largest difference between two identities' counters that
// is taken for a sequence: keys minted one after another differ by little.
const maxGap = 1000

// digitRun finds the runs of decimal digits in a key.
var digitRun = regexp.MustCompile(`[0-9]+`)

// counterPair says whether keys a and b are the same text around one
// run of digits (the counter) and returns the run's position in a, its
// width and both values. Every other character must be equal.
func counterPair(a, b string) (start, width int, va, vb uint64, ok bool) {
	if len(a) != len(b) || a == b {
		return 0, 0, 0, 0, false
	}
	runs := digitRun.FindAllStringIndex(a, -1)
	for _, r := range runs {
		if b[:r[0]] != a[:r[0]] || b[r[1]:] != a[r[1]:] {
			continue
		}
		x, errA := strconv.ParseUint(a[r[0]:r[1]], 10, 64)
		y, errB := strconv.ParseUint(b[r[0]:r[1]], 10, 64)
		if errA != nil || errB != nil || !digits(b[r[0]:r[1]]) {
			continue
		}
		return r[0], r[1] - r[0], x, y, true
	}
	return 0, 0, 0, 0, false
}

func digits(s string) bool { return strings.Trim(s, "0123456789") == "" }

// neighbours are the counter values next to the identities' (lo and hi
// the lowest and highest) that are no identity's own, nearest first.
func neighbours(lo, hi uint64, taken map[uint64]bool) []uint64 {
	cands := []uint64{hi + 1}
	if lo >= 1 {
		cands = append(cands, lo-1)
	}
	cands = append(cands, hi+2)
	if lo >= 2 {
		cands = append(cands, lo-2)
	}
	var out []uint64
	for _, v := range cands {
		if !taken[v] {
			out = append(out, v)
		}
	}
	return out
}

// withCounter puts v in key's counter run, zero-padded to its width; ""
// when it does not fit.
func withCounter(key string, start, width int, v uint64) string {
	s := strconv.FormatUint(v, 10)
	if len(s) > width {
		return ""
	}
	if len(s) < width && key[start] == '0' {
		s = strings.Repeat("0", width-len(s)) + s
	}
	if len(s) != width {
		return ""
	}
	return key[:start] + s + key[start+width:]
}

// runSequential compares the API keys of the scan's identities sent in the
// same place: two that differ only in a counter a few apart are minted in
// sequence. It is proven only when a neighbour's key — one no identity
// holds — is accepted where the identity's key is, on an endpoint that
// refuses a random key of the same shape.
func runSequential(ctx context.Context, p *probe.Pass) {
	type held struct {
		id    *identity.Identity
		creds identity.Creds
		slot  slots.Slot
	}
	var keys []held
	for _, id := range p.Identities() {
		c, err := id.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		if sl, ok := slots.First(slots.Of(c, p.Inventory()), slots.Key); ok {
			keys = append(keys, held{id, c, sl})
		}
	}
	for i := 0; i < len(keys); i++ {
		for j := i + 1; j < len(keys); j++ {
			a, b := keys[i], keys[j]
			if a.slot.In != b.slot.In || !strings.EqualFold(a.slot.Name, b.slot.Name) {
				continue
			}
			start, width, va, vb, ok := counterPair(a.slot.Value, b.slot.Value)
			if !ok || gap(va, vb) > maxGap {
				continue
			}
			taken := map[uint64]bool{}
			for _, k := range keys {
				if _, _, x, y, ok := counterPair(a.slot.Value, k.slot.Value); ok {
					taken[x], taken[y] = true, true
				}
			}
			taken[va], taken[vb] = true, true
			if proveSequence(ctx, p, a.id, a.creds, a.slot, b.id.Name, start, width, min(va, vb), max(va, vb), taken) ||
				proveAddressed(ctx, p, a.id, a.creds, a.slot, start, width, va) {
				return // one finding per scan: the keys are minted in one sequence
			}
		}
	}
}

func gap(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

// proveSequence sends id's request with a neighbour's key on the first
// endpoint where id's key alone is accepted and a random key is refused.
func proveSequence(ctx context.Context, p *probe.Pass, id *identity.Identity, creds identity.Creds, sl slots.Slot, other string, start, width int, lo, hi uint64, taken map[uint64]bool) bool {
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return false
		}
		cal := p.Calibration(ep, id)
		if cal == nil || !cal.Gated || p.ResultOf(ruleInvalid, ep) {
			continue
		}
		random := p.Send(ctx, ep, nil, sl.With(creds, slots.RandomLike(sl.Value)), cal)
		if !random.Rejected() {
			continue
		}
		for _, v := range neighbours(lo, hi, taken) {
			guess := withCounter(sl.Value, start, width, v)
			if guess == "" {
				continue
			}
			p.Redactor().Add(guess) // someone's real key, if it works
			o := p.Send(ctx, ep, nil, sl.With(creds, guess), cal)
			if !o.Accepted() {
				continue
			}
			report(p, ep, id, sl, other, o, random)
			return true
		}
		return false // the nearest neighbours were refused where a key counts
	}
	return false
}

func report(p *probe.Pass, ep *inventory.Endpoint, id *identity.Identity, sl slots.Slot, other string, o, random *probe.Outcome) {
	pass := &probe.Pass{Env: p.Env, Endpoint: ep, Identity: id}
	f := pass.Finding(catalog.New(ruleSequential))
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("identities %s and %s hold keys in %s that differ only in a counter; the key next to theirs in the sequence, which neither holds, was accepted", id.Name, other, sl)
	f.Evidence = pass.Evidence(o, "a key one step along the identities' counter was accepted ("+o.Why+")",
		fmt.Sprintf("a random key of the same shape was refused (status %d)", random.Sample.Status))
	p.Report(f)
}
