package lifecycle

import (
	"context"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// verifier tells whether a password signs an identity in: through its
// login (an account), or, for an identity whose credential is HTTP Basic
// itself, on an endpoint that refuses no credential and served it.
type verifier struct {
	user, password string
	works          func(ctx context.Context, password string) bool
}

func verifierOf(ctx context.Context, p *probe.Pass, id *identity.Identity) *verifier {
	if a, ok := accountOf(p, id); ok {
		return &verifier{user: a.user, password: a.password, works: func(ctx context.Context, pw string) bool {
			_, err := a.login(ctx, p, pw, nil)
			return err == nil
		}}
	}
	for k, v := range id.Base.Headers {
		user, pw, ok := identity.ParseBasic(v)
		if !ok || !strings.EqualFold(k, "Authorization") {
			continue
		}
		ep, cal := gatedGET(p, id)
		if ep == nil {
			return nil
		}
		return &verifier{user: user, password: pw, works: func(ctx context.Context, pw string) bool {
			c := identity.Creds{Headers: map[string]string{"Authorization": identity.BasicHeader(user, pw)}}
			return p.Send(ctx, ep, nil, c, cal).Accepted()
		}}
	}
	return nil
}
