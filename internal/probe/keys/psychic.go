package keys

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// runPsychic sends an ES token signed r = s = 0. It applies to ES tokens
// only: an RSA or HMAC verifier cannot be fooled by a broken ECDSA check.
// Control: the same token with a random signature of the same size.
func (f *family) runPsychic(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, psychic, func(tok *jose.Token) bool { return strings.HasPrefix(tok.Alg(), "ES") })
	if !ok {
		return
	}
	fg := t.Attempt(ctx, "ECDSA signature r = s = 0", func(set map[string]any) (string, error) {
		return jose.PsychicSignature(t.Tok, set)
	})
	if fg == nil {
		return
	}
	zero, err := jose.Parse(fg.Token)
	if err != nil {
		return
	}
	ctlTok := zero.RandomSignature(rand.Reader)
	if ctl, ok := t.Rejected(ctx, "ECDSA random signature", ctlTok); !ok {
		p.Note(fmt.Sprintf("%s: a zero ECDSA signature was accepted, but so was a random one (%s)", p.Endpoint.Key(), ctl.Why))
		return
	}
	t.Report(psychic, fg, fmt.Sprintf("a %s token whose signature is r = s = 0 was accepted", zero.Alg()),
		"the same token with a random signature of the same size was refused")
}
