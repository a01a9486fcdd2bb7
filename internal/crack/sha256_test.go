package crack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// implementations of the two SHA-256 entry points under test; the SHA-NI one
// only where the CPU has it, the portable one always (the forced fallback).
func sha256Impls(t *testing.T) map[string]struct {
	blocks func(*[8]uint32, []byte)
	hmac   func(*[64]byte, []uint32, *[8]uint32)
} {
	impls := map[string]struct {
		blocks func(*[8]uint32, []byte)
		hmac   func(*[64]byte, []uint32, *[8]uint32)
	}{"generic": {blocks256Generic, hmac256Generic}}
	if hasSHANI() {
		impls["sha-ni"] = struct {
			blocks func(*[8]uint32, []byte)
			hmac   func(*[64]byte, []uint32, *[8]uint32)
		}{blocks256NI, hmac256NI}
	} else {
		t.Log("CPU has no SHA-NI: testing the portable path only")
	}
	return impls
}

func digestBytes(h *[8]uint32) []byte {
	out := make([]byte, 32)
	for i, w := range h {
		binary.BigEndian.PutUint32(out[4*i:], w)
	}
	return out
}

func TestSHA256BlocksMatchStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, impl := range sha256Impls(t) {
		for n := 0; n < 600; n++ {
			msg := make([]byte, n)
			for i := range msg {
				msg[i] = byte(rng.Uint32())
			}
			h := iv256
			impl.blocks(&h, padded256(msg, 0))
			want := sha256.Sum256(msg)
			if got := digestBytes(&h); string(got) != string(want[:]) {
				t.Fatalf("%s: len %d: got %x want %x", name, n, got, want)
			}
		}
	}
}

func TestHMAC256MatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name, impl := range sha256Impls(t) {
		for n := 0; n < 400; n += 1 + n/16 {
			msg := make([]byte, n+1)
			for i := range msg {
				msg[i] = byte(rng.Uint32())
			}
			wk := scheduleBlocks(padded256(msg, 64))
			for klen := 0; klen <= 64; klen += 7 {
				var key [64]byte
				for i := 0; i < klen; i++ {
					key[i] = byte(rng.Uint32())
				}
				var out [8]uint32
				impl.hmac(&key, wk, &out)
				m := hmac.New(sha256.New, key[:klen])
				m.Write(msg)
				if want, got := m.Sum(nil), digestBytes(&out); string(got) != string(want) {
					t.Fatalf("%s: msg %d key %d: got %x want %x", name, len(msg), klen, got, want)
				}
			}
		}
	}
}

func TestHMAC256TwoLanesMatchStdlib(t *testing.T) {
	if !hasSHANI() {
		t.Log("no SHA-NI: hmac256NI2 runs the portable path twice")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 1; n < 400; n += 1 + n/8 {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(rng.Uint32())
		}
		wk := scheduleBlocks(padded256(msg, 64))
		var keys [2][64]byte
		lens := [2]int{rng.IntN(65), rng.IntN(65)}
		for l := range keys {
			for i := 0; i < lens[l]; i++ {
				keys[l][i] = byte(rng.Uint32())
			}
		}
		var out [2][8]uint32
		hmac256NI2(&keys, wk, &out)
		for l := range keys {
			m := hmac.New(sha256.New, keys[l][:lens[l]])
			m.Write(msg)
			if want, got := m.Sum(nil), digestBytes(&out[l]); string(got) != string(want) {
				t.Fatalf("lane %d: msg %d key %d: got %x want %x", l, n, lens[l], got, want)
			}
		}
	}
}
