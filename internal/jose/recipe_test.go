package jose

import (
	"crypto/rand"
	"testing"
)

func hsToken(t *testing.T, secret, payload string) *Token {
	t.Helper()
	s, err := HMAC("HS256", []byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), []byte(payload), s)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestRecipeRoundTrip: each forgery anyone can make is recognised, and
// its recipe applied to a fresh token makes the same kind of forgery with
// the fresh token's times; a token signed with another key has no recipe.
func TestRecipeRoundTrip(t *testing.T) {
	orig := hsToken(t, "k1", `{"sub":"alice","iat":100,"exp":200}`)
	fresh := hsToken(t, "k1", `{"sub":"alice","iat":300,"exp":400}`)
	set := map[string]any{"authprobe": "canary1"}
	blank, _ := HMAC("HS256", nil)
	other, _ := HMAC("HS256", []byte("another key"))
	tampered, _ := orig.Tampered(set)
	none := AlgNone(orig, set)[0].Token
	blankTok, _ := orig.Resign(set, blank)
	otherTok, _ := orig.Resign(set, other)
	strippedTok, _ := orig.Tampered(set)
	stripped, _ := Parse(strippedTok)
	cases := map[string]struct {
		forged string
		want   string
	}{
		"tampered":         {tampered, "tampered"},
		"none":             {none, "none"},
		"stripped":         {stripped.SigningInput() + ".", "stripped"},
		"random-signature": {orig.RandomSignature(rand.Reader), "random-signature"},
		"blank-secret":     {blankTok, "blank-secret"},
		"other key":        {otherTok, ""},
	}
	for name, c := range cases {
		forged, err := Parse(c.forged)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r, ok := RecipeOf(orig, forged)
		if c.want == "" {
			if ok {
				t.Errorf("%s: recipe %+v for a token signed with a key", name, r)
			}
			continue
		}
		if !ok || r.Forge != c.want {
			t.Errorf("%s: recipe %+v %v, want %s", name, r, ok, c.want)
			continue
		}
		again, err := Reforge(fresh, r)
		if err != nil {
			t.Fatalf("%s: reforge: %v", name, err)
		}
		tok, err := Parse(again)
		if err != nil {
			t.Fatalf("%s: reforged token: %v", name, err)
		}
		if r2, ok := RecipeOf(fresh, tok); !ok || r2.Forge != r.Forge {
			t.Errorf("%s: reforged token reads as %+v %v", name, r2, ok)
		}
		if exp := tok.Claims["exp"]; exp == nil || exp.(interface{ String() string }).String() != "400" {
			t.Errorf("%s: reforged exp %v, want the fresh token's 400", name, exp)
		}
	}
}
