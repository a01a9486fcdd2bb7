package crack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"
	"time"
)

func hs256Token(t *testing.T, secret string) *Target {
	t.Helper()
	enc := base64.RawURLEncoding
	in := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(`{"sub":"alice"}`))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(in))
	tg, err := ParseJWT(in + "." + enc.EncodeToString(m.Sum(nil)))
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// TestPatterns: secrets outside every wordlist but inside the pattern
// spaces fall, and the spaces are ordered cheapest first.
func TestPatterns(t *testing.T) {
	t.Parallel()
	for _, secret := range []string{"482913", "7", "zqxw"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		res, err := Crack(ctx, hs256Token(t, secret), Patterns(), Options{})
		cancel()
		if err != nil || !res.Found || string(res.Secret) != secret {
			t.Errorf("%q: found %v %q (%v)", secret, res.Found, res.Secret, err)
		}
	}
	want := int64(0)
	for _, n := range []int{1, 2, 3, 4, 5, 6} {
		want += pow(10, n)
	}
	for _, n := range []int{1, 2, 3, 4} {
		want += pow(26, n)
	}
	if got := ShortPatterns().Size(); got != want {
		t.Errorf("ShortPatterns Size = %d, want %d", got, want)
	}
	if got := PatternsTo(Short).Size(); got != want {
		t.Errorf("PatternsTo(Short) Size = %d, want %d", got, want)
	}
	want += pow(10, 7) + pow(26, 5) + pow(10, 8) + pow(26, 6)
	if got := Patterns().Size(); got != want {
		t.Errorf("Size = %d, want %d", got, want)
	}
	if got := PatternsTo(Long).Size(); got != want {
		t.Errorf("PatternsTo(Long) Size = %d, want %d", got, want)
	}
	for _, s := range []string{"short", "long", ""} {
		if d, ok := ParseDepth(s); !ok || (s != "" && d.String() != s) {
			t.Errorf("ParseDepth(%q) = %v, %v", s, d, ok)
		}
	}
	if _, ok := ParseDepth("deep"); ok {
		t.Error(`ParseDepth("deep") accepted`)
	}
}

func pow(b, n int) int64 {
	out := int64(1)
	for range n {
		out *= int64(b)
	}
	return out
}
