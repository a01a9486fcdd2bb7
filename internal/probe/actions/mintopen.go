package actions

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// mintedForAnyone proves unauthenticated credential minting: a write that
// takes no credential answered a caller without any one a credential
// (a string field named like a key or token), and that value, sent alone
// where an identity's credential goes, opens a read the API refuses
// without credentials — while a value of the same length and alphabet,
// one character changed, is refused there. Anyone then holds a working
// credential (and escapes whatever is counted per credential by minting
// more). A value that opens nothing (a guest token, a request id) is
// left to byDesign; nil is returned.
func mintedForAnyone(ctx context.Context, p *probe.Pass, w *write, refused func(*oracle.Sample) bool) *effect {
	if w.anon == nil || w.anon.Sample == nil || !oracle.Served(w.anon.Sample) || refused(w.anon.Sample) {
		return nil
	}
	field, v := mintedValue(w.anon.Sample.Body, nil)
	if field == "" {
		return nil
	}
	p.Redactor().Add(v)
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return nil
		}
		cells := p.Matrix(ep)
		if ep.Method != http.MethodGet || len(cells) == 0 || cells[0].Verdict() != oracle.Rejected {
			continue
		}
		for _, c := range cells[1:] {
			if c.Identity == "" || c.Key != c.Identity || c.Verdict() != oracle.Accepted {
				continue
			}
			for _, s := range c.Creds.Slots() {
				u := p.URL(ep)
				use := send(ctx, p, ep, u, nil, s.Alone(v), fmt.Sprintf("the credential %s minted without credentials, in %s", w.ep.Key(), s))
				if !oracle.Served(use.Sample) || refused(use.Sample) {
					continue
				}
				wrong := send(ctx, p, ep, u, nil, s.Alone(changed(v)), fmt.Sprintf("a wrong value of its shape in %s (control)", s))
				if !refused(wrong.Sample) {
					continue
				}
				// A credential minted for the scan is the scan's object:
				// the write guard lets a write naming it go (DELETE
				// /api/keys?key=, sent with no credential, names no record
				// of the sender's).
				probe.Made(p.Env, v)
				return &effect{o: use, mint: &mintUse{value: v, read: ep, slot: s, by: c.Creds, who: c.Identity}, proof: fmt.Sprintf(
					"%s without any credential (%s) issued %s, and that value alone in %s opened %s (%s), which refuses requests without credentials and refused a value of the same shape with one character changed (%s): anyone mints a working credential",
					w.ep.Key(), status(w.anon), issued(field), s, ep.Key(), status(use), status(wrong))}
			}
			break // one identity's slots are enough
		}
	}
	return nil
}

// issued names where a minted value was: a field, or the whole answer.
func issued(field string) string {
	if field == bareAnswer {
		return "a credential as its whole answer"
	}
	return fmt.Sprintf("%q", field)
}

// changed is v with its last character replaced by another of the same
// class (digit for digit, letter for letter), so the value keeps its
// shape and length.
func changed(v string) string {
	if v == "" {
		return "x"
	}
	b := []byte(v)
	last := b[len(b)-1]
	switch {
	case last >= '0' && last <= '8', last >= 'a' && last <= 'y', last >= 'A' && last <= 'Y':
		b[len(b)-1] = last + 1
	case last == '9':
		b[len(b)-1] = '0'
	case last == 'z':
		b[len(b)-1] = 'a'
	case last == 'Z':
		b[len(b)-1] = 'A'
	default:
		b[len(b)-1] = 'A'
	}
	return string(b)
}

// takesCredential says which credential a write's body takes (a login,
// registration or reset form: its body, the handler's or the spec's),
// "" when none.
func takesCredential(p *probe.Pass, w *write) string {
	bodies := []map[string]any{w.body, w.anonBody}
	if b, ok := p.Settings().SourceBodies[w.ep.Key()]; ok {
		bodies = append(bodies, b.Value)
	}
	// A field the app's own page fills in (a hidden csrf_token) is the
	// app's value, not a credential the caller proves itself with.
	pre := presets(p, w.ep)
	for _, b := range bodies {
		if k := credentialIn(without(b, pre), 0); k != "" {
			return k
		}
	}
	return ""
}
