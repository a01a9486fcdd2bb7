package crack

import (
	"crypto/sha1"
	"encoding/binary"
	"math/bits"
)

// sha1Schedule expands each 64-byte block of p into its 80 message words,
// laid out four to a group in SHA-NI register order (first word on top).
func sha1Schedule(p []byte) []uint32 {
	out := make([]uint32, 0, len(p)/64*80)
	for off := 0; off < len(p); off += 64 {
		var w [80]uint32
		for t := 0; t < 16; t++ {
			w[t] = binary.BigEndian.Uint32(p[off+4*t:])
		}
		for t := 16; t < 80; t++ {
			w[t] = bits.RotateLeft32(w[t-3]^w[t-8]^w[t-14]^w[t-16], 1)
		}
		for g := 0; g < 20; g++ {
			out = append(out, w[4*g+3], w[4*g+2], w[4*g+1], w[4*g])
		}
	}
	return out
}

// flaskNI checks Flask session cookies two candidates at a time with the
// SHA-NI kernel; the key derivation's salt block and the cookie's value
// blocks have their schedules precomputed.
type flaskNI struct {
	salt, msg []uint32
	want      [5]uint32
	keys      [2][64]byte
	outs      [2][8]uint32
	prevLen   [2]int
}

func newFlaskNI(t *Target) *flaskNI {
	e := &flaskNI{salt: sha1Schedule(padded256(flaskSalt, 64)), msg: sha1Schedule(padded256(t.msg, 64))}
	for i := range e.want {
		e.want[i] = binary.BigEndian.Uint32(t.sig[4*i:])
	}
	return e
}

func (e *flaskNI) setKey(l int, c []byte) {
	if len(c) > 64 {
		d := sha1.Sum(c) // HMAC hashes over-long keys first
		c = d[:]
	}
	copy(e.keys[l][:], c)
	if len(c) < e.prevLen[l] {
		clear(e.keys[l][len(c):e.prevLen[l]])
	}
	e.prevLen[l] = len(c)
}

func (e *flaskNI) match(l int) bool {
	o := &e.outs[l]
	return o[3] == e.want[0] && o[2] == e.want[1] && o[1] == e.want[2] && o[0] == e.want[3] && o[7] == e.want[4]
}

func (e *flaskNI) find(b *Batch) int {
	n := b.Len()
	for i := 0; i < n; i += 2 {
		e.setKey(0, b.At(i))
		j := min(i+1, n-1) // an odd last candidate fills both lanes
		e.setKey(1, b.At(j))
		flaskNI2(&e.keys, e.salt, e.msg, &e.outs)
		if e.match(0) {
			return i
		}
		if e.match(1) {
			return j
		}
	}
	return -1
}
