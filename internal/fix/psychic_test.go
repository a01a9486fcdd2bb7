package fix

import (
	"strings"
	"testing"
)

// TestPsychic: a hand-written ECDSA verifier that inverts s without a
// range check refuses r or s outside [1, n-1] with its own refusal.
func TestPsychic(t *testing.T) {
	src := `ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def check_sig(pub, msg, sig):
    if len(sig) != 64:
        raise BadSignature("length")
    sig_r = int.from_bytes(sig[:32], "big")
    sig_s = int.from_bytes(sig[32:], "big")
    e = digest(msg)
    inv = pow(sig_s, -1, ORDER)  # <-
    return point_x(e * inv % ORDER, sig_r * inv % ORDER, pub) % ORDER == sig_r
`
	pl, _ := plan(t, "jwt.psychic-signature", map[string]string{"app.py": src})
	fx := pl.Fixes[0]
	if !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	want := "    e = digest(msg)\n    if not (0 < sig_r < ORDER and 0 < sig_s < ORDER):  # r and s must lie in [1, n-1]\n        raise BadSignature(\"length\")\n    inv = pow(sig_s, -1, ORDER)\n"
	if got := string(pl.New["app.py"]); !strings.Contains(got, want) {
		t.Errorf("patched:\n%s\nwant it to hold:\n%s", got, want)
	}
	// No refusal of its own to reuse: listed.
	pl, _ = plan(t, "jwt.psychic-signature", map[string]string{"app.py": strings.Replace(src, "        raise BadSignature(\"length\")\n", "        pass\n", 1)})
	if fx := pl.Fixes[0]; fx.Patched || !strings.Contains(fx.Reason, "no refusal") {
		t.Errorf("patched %v (%s), want it listed", fx.Patched, fx.Reason)
	}
}
