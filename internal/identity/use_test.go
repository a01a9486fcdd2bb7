package identity

import (
	"errors"
	"testing"
)

func TestParseUse(t *testing.T) {
	t.Parallel()
	ok := []struct {
		use     string
		want    Placement
		headers map[string]string
	}{
		{"", Placement{Kind: "bearer"}, nil},
		{"bearer", Placement{Kind: "bearer"}, nil},
		{"header:X-Access-Token", Placement{Kind: "header", Name: "X-Access-Token"}, map[string]string{"X-Access-Token": "T"}},
		{"header:Authorization:Token {token}", Placement{Kind: "header", Name: "Authorization", Prefix: "Token "}, map[string]string{"Authorization": "Token T"}},
		{"header:Authorization:Bearer {token}", Placement{Kind: "bearer"}, nil},
		{"cookie:access_token", Placement{Kind: "cookie", Name: "access_token"}, nil},
		{"query:jwt", Placement{Kind: "query", Name: "jwt"}, nil},
	}
	for _, c := range ok {
		p, err := ParseUse(c.use)
		if err != nil || p != c.want {
			t.Errorf("ParseUse(%q) = %+v, %v; want %+v", c.use, p, err, c.want)
			continue
		}
		var cr Creds
		if err := p.Put(&cr, "T"); err != nil {
			t.Errorf("%q: Put: %v", c.use, err)
		}
		for k, v := range c.headers {
			if cr.Headers[k] != v {
				t.Errorf("%q: header %s = %q, want %q", c.use, k, cr.Headers[k], v)
			}
		}
	}
	for _, bad := range []string{
		"header:Authorization:Token", // the case: no {token}
		"header:X:{token} suffix",
		"header:",
		"header:Bad Name",
		"cookie:c:Token {token}",
		"bearer:x",
		"body:token",
	} {
		if _, err := ParseUse(bad); !errors.Is(err, ErrUse) {
			t.Errorf("ParseUse(%q) = %v, want ErrUse", bad, err)
		}
	}
}
