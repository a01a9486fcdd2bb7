package cli

import (
	"strings"
	"testing"
)

// FuzzIdentityFlag: any --identity value parses or is refused with an
// error that never shows the credential part.
func FuzzIdentityFlag(f *testing.F) {
	f.Add("alice=bearer:eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")
	f.Add("alice:bearer:sk_live_0123456789abcdef")
	f.Add("p=header:X-API-Key:sk_live_0123456789abcdef")
	f.Add("c=cookie:session:abc.def.ghi")
	f.Add("q=query:api_key:0123456789")
	f.Fuzz(func(t *testing.T, raw string) {
		_, err := mergeIdentities(nil, []string{raw})
		if err == nil {
			return
		}
		// The credential is whatever follows the kind (and the name).
		cut := raw
		for range 2 {
			if i := strings.IndexAny(cut, ":="); i >= 0 {
				cut = cut[i+1:]
			}
		}
		if len(cut) >= 12 && strings.Contains(err.Error(), cut) {
			t.Fatalf("error shows the credential: %v", err)
		}
	})
}
