package claims

import (
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/crack"
)

// FuzzParseFlaskSession: any cookie value parses or errors, never panics,
// and whatever parses can be re-signed into a cookie the cracker accepts.
func FuzzParseFlaskSession(f *testing.F) {
	f.Add("eyJ1c2VyIjoiY2Fyb2wifQ.awtCKQ.fr2Qm873Y7G2n_VtNr56-4PWmA0")
	f.Add(".eJyrVipKLS4tSi1SslIqSizOTM7PUSotTi1SqgUAVA8ISQ.Z0x1Aw.AAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("e30.AA.AA")
	f.Add("..")
	f.Fuzz(func(t *testing.T, cookie string) {
		s, err := parseFlaskSession(cookie)
		if err != nil {
			return
		}
		forged, err := s.forge(map[string]any{"authprobe": "x"}, []byte("k"), time.Unix(1_800_000_000, 0))
		if err != nil {
			return // a JSON object the editor refuses (duplicate-laden, deep) is fine
		}
		target, err := crack.ParseFlaskSession(forged)
		if err != nil {
			t.Fatalf("forged %q from %q does not parse: %v", forged, cookie, err)
		}
		if !target.Verify([]byte("k")) {
			t.Fatalf("forged %q does not verify", forged)
		}
	})
}
