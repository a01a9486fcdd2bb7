package crack

import (
	"crypto/hmac"
	"crypto/sha512"
	"math/rand/v2"
	"testing"
)

// TestHS512EnginesMatchReference checks the HS384/HS512 engines (AVX-512
// where the CPU has it, and crypto/sha512) on random keys and messages: each
// must find exactly the signing key among near misses, in every lane and in
// batches that do not fill the last group of eight.
func TestHS512EnginesMatchReference(t *testing.T) {
	if !hasAVX512() {
		t.Log("no AVX-512: only the crypto/sha512 engine is exercised")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for _, kind := range []Kind{HS384, HS512} {
		h := sha512.New
		if kind == HS384 {
			h = sha512.New384
		}
		for n := 1; n < 400; n += 1 + n/4 {
			msg := make([]byte, n)
			for i := range msg {
				msg[i] = byte(rng.Uint32())
			}
			key := make([]byte, rng.IntN(200))
			for i := range key {
				key[i] = byte(rng.Uint32())
			}
			m := hmac.New(h, key)
			m.Write(msg)
			target := &Target{kind: kind, msg: msg, sig: m.Sum(nil)}
			size := 1 + rng.IntN(17)
			pos := rng.IntN(size)
			b := NewBatch()
			for i := 0; i < size; i++ {
				if i == pos {
					b.Add(key)
				} else {
					b.Add(append([]byte{byte(i)}, key...))
				}
			}
			for _, portable := range []bool{false, true} {
				if got := newEngine(target, portable).find(b); got != pos {
					t.Fatalf("%v msg %d key %d batch %d portable=%v: index %d, want %d", kind, n, len(key), size, portable, got, pos)
				}
			}
		}
	}
}
