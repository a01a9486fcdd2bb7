package crack

import (
	"crypto/hmac"
	"crypto/sha1"
	"math/rand/v2"
	"testing"
)

// flaskSign is itsdangerous' signature with crypto/hmac: the reference.
func flaskSign(secret, value []byte) []byte {
	d := hmac.New(sha1.New, secret)
	d.Write([]byte("cookie-session"))
	m := hmac.New(sha1.New, d.Sum(nil))
	m.Write(value)
	return m.Sum(nil)
}

// TestFlaskEnginesMatchReference checks both Flask engines (SHA-NI where the
// CPU has it, and the crypto/sha1 one) on random secrets and values: each
// must find exactly the signing secret in a batch of near misses.
func TestFlaskEnginesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for n := 1; n < 300; n += 1 + n/5 {
		value := make([]byte, n)
		for i := range value {
			value[i] = byte(rng.Uint32())
		}
		secret := make([]byte, rng.IntN(90))
		for i := range secret {
			secret[i] = byte(rng.Uint32())
		}
		target := &Target{kind: FlaskSession, msg: value, sig: flaskSign(secret, value)}
		b := NewBatch()
		pos := rng.IntN(7)
		for i := 0; i < 7; i++ {
			if i == pos {
				b.Add(secret)
				continue
			}
			miss := append([]byte{byte(i)}, secret...)
			b.Add(miss)
		}
		for _, portable := range []bool{false, true} {
			if got := newEngine(target, portable).find(b); got != pos {
				t.Fatalf("value %d bytes, secret %d bytes, portable=%v: found index %d, want %d", n, len(secret), portable, got, pos)
			}
		}
	}
	if !hasSHANI() {
		t.Log("no SHA-NI: only the crypto/sha1 engine was exercised")
	}
}
