package scan

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

func TestUseFromSpec(t *testing.T) {
	t.Parallel()
	ep := func(schemes ...string) inventory.Endpoint {
		return inventory.Endpoint{Method: "GET", Path: "/x", Security: [][]string{schemes}}
	}
	cases := []struct {
		schemes map[string]inventory.Scheme
		want    string
		decided bool
	}{
		{map[string]inventory.Scheme{"t": {Type: "apiKey", In: "header", Param: "X-Access-Token"}}, "header:X-Access-Token", true},
		{map[string]inventory.Scheme{"t": {Type: "apiKey", In: "cookie", Param: "access_token"}}, "cookie:access_token", true},
		{map[string]inventory.Scheme{"t": {Type: "apiKey", In: "header", Param: "Authorization", Description: `Prefix the token with "Token ", e.g. "Token xxxxxx.yyyyyyy.zzzzzz"`}}, "header:Authorization:Token {token}", true},
		{map[string]inventory.Scheme{"t": {Type: "apiKey", In: "header", Param: "Authorization"}}, "", false},
		{map[string]inventory.Scheme{"t": {Type: "bearer", In: "header", Param: "Authorization"}}, "", true},
	}
	for _, c := range cases {
		inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{ep("t")}, Schemes: c.schemes}
		got, _, decided := useFromSpec(inv)
		if got != c.want || decided != c.decided {
			t.Errorf("%+v: %q %v, want %q %v", c.schemes["t"], got, decided, c.want, c.decided)
		}
		if got != "" {
			if _, err := identity.ParseUse(got); err != nil {
				t.Errorf("inferred %q does not parse: %v", got, err)
			}
		}
	}
}
