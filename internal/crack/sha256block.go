package crack

import (
	"encoding/binary"
	"math/bits"
)

// Portable SHA-256 pieces for the HMAC hot loop. The message blocks after the
// key block are the same for every guess, so their schedule plus the round
// constants (W+K) is computed once and only the 64 rounds run per guess.

var iv256 = [8]uint32{
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
}

var k256 = [64]uint32{
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

// expand256 turns 16 message words into the 64 words W[t]+K[t].
func expand256(m *[16]uint32, wk *[64]uint32) {
	var w [64]uint32
	copy(w[:], m[:])
	for t := 16; t < 64; t++ {
		v1, v2 := w[t-2], w[t-15]
		s1 := bits.RotateLeft32(v1, -17) ^ bits.RotateLeft32(v1, -19) ^ v1>>10
		s0 := bits.RotateLeft32(v2, -7) ^ bits.RotateLeft32(v2, -18) ^ v2>>3
		w[t] = s1 + w[t-7] + s0 + w[t-16]
	}
	for t := range w {
		wk[t] = w[t] + k256[t]
	}
}

// rounds256 runs the 64 rounds over precomputed W+K and adds the result into h.
// Eight rounds per iteration with the variables' roles rotated instead of
// moved.
func rounds256(h *[8]uint32, wk *[64]uint32) {
	a, b, c, d, e, f, g, hh := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
	var t1 uint32
	for t := 0; t < 64; t += 8 {
		w := wk[t : t+8 : t+8]
		t1 = hh + (bits.RotateLeft32(e, -6) ^ bits.RotateLeft32(e, -11) ^ bits.RotateLeft32(e, -25)) + ((e & f) ^ (^e & g)) + w[0]
		d += t1
		hh = t1 + (bits.RotateLeft32(a, -2) ^ bits.RotateLeft32(a, -13) ^ bits.RotateLeft32(a, -22)) + ((a & b) ^ (a & c) ^ (b & c))
		t1 = g + (bits.RotateLeft32(d, -6) ^ bits.RotateLeft32(d, -11) ^ bits.RotateLeft32(d, -25)) + ((d & e) ^ (^d & f)) + w[1]
		c += t1
		g = t1 + (bits.RotateLeft32(hh, -2) ^ bits.RotateLeft32(hh, -13) ^ bits.RotateLeft32(hh, -22)) + ((hh & a) ^ (hh & b) ^ (a & b))
		t1 = f + (bits.RotateLeft32(c, -6) ^ bits.RotateLeft32(c, -11) ^ bits.RotateLeft32(c, -25)) + ((c & d) ^ (^c & e)) + w[2]
		b += t1
		f = t1 + (bits.RotateLeft32(g, -2) ^ bits.RotateLeft32(g, -13) ^ bits.RotateLeft32(g, -22)) + ((g & hh) ^ (g & a) ^ (hh & a))
		t1 = e + (bits.RotateLeft32(b, -6) ^ bits.RotateLeft32(b, -11) ^ bits.RotateLeft32(b, -25)) + ((b & c) ^ (^b & d)) + w[3]
		a += t1
		e = t1 + (bits.RotateLeft32(f, -2) ^ bits.RotateLeft32(f, -13) ^ bits.RotateLeft32(f, -22)) + ((f & g) ^ (f & hh) ^ (g & hh))
		t1 = d + (bits.RotateLeft32(a, -6) ^ bits.RotateLeft32(a, -11) ^ bits.RotateLeft32(a, -25)) + ((a & b) ^ (^a & c)) + w[4]
		hh += t1
		d = t1 + (bits.RotateLeft32(e, -2) ^ bits.RotateLeft32(e, -13) ^ bits.RotateLeft32(e, -22)) + ((e & f) ^ (e & g) ^ (f & g))
		t1 = c + (bits.RotateLeft32(hh, -6) ^ bits.RotateLeft32(hh, -11) ^ bits.RotateLeft32(hh, -25)) + ((hh & a) ^ (^hh & b)) + w[5]
		g += t1
		c = t1 + (bits.RotateLeft32(d, -2) ^ bits.RotateLeft32(d, -13) ^ bits.RotateLeft32(d, -22)) + ((d & e) ^ (d & f) ^ (e & f))
		t1 = b + (bits.RotateLeft32(g, -6) ^ bits.RotateLeft32(g, -11) ^ bits.RotateLeft32(g, -25)) + ((g & hh) ^ (^g & a)) + w[6]
		f += t1
		b = t1 + (bits.RotateLeft32(c, -2) ^ bits.RotateLeft32(c, -13) ^ bits.RotateLeft32(c, -22)) + ((c & d) ^ (c & e) ^ (d & e))
		t1 = a + (bits.RotateLeft32(f, -6) ^ bits.RotateLeft32(f, -11) ^ bits.RotateLeft32(f, -25)) + ((f & g) ^ (^f & hh)) + w[7]
		e += t1
		a = t1 + (bits.RotateLeft32(b, -2) ^ bits.RotateLeft32(b, -13) ^ bits.RotateLeft32(b, -22)) + ((b & c) ^ (b & d) ^ (c & d))
	}
	h[0] += a
	h[1] += b
	h[2] += c
	h[3] += d
	h[4] += e
	h[5] += f
	h[6] += g
	h[7] += hh
}

// block256 compresses one block given as 16 message words.
func block256(h *[8]uint32, m *[16]uint32) {
	var wk [64]uint32
	expand256(m, &wk)
	rounds256(h, &wk)
}

// padded256 returns msg padded as the tail of a SHA-256 input that has
// prefix bytes before it (the HMAC key block), as whole 64-byte blocks.
func padded256(msg []byte, prefix int) []byte {
	n := len(msg) + 1 + 8
	n = (n + 63) &^ 63
	p := make([]byte, n)
	copy(p, msg)
	p[len(msg)] = 0x80
	binary.BigEndian.PutUint64(p[n-8:], uint64(prefix+len(msg))*8)
	return p
}

// scheduleBlocks precomputes W+K for every 64-byte block of p.
func scheduleBlocks(p []byte) []uint32 {
	out := make([]uint32, 0, len(p)/64*64)
	for off := 0; off < len(p); off += 64 {
		var m [16]uint32
		for i := range m {
			m[i] = binary.BigEndian.Uint32(p[off+4*i:])
		}
		var wk [64]uint32
		expand256(&m, &wk)
		out = append(out, wk[:]...)
	}
	return out
}

// hmac256Generic is the portable form of hmac256NI: key is the zero-padded
// HMAC key block, wk the precomputed W+K of the message blocks (padding
// included, 64 words per block), out the outer digest as big-endian words.
func hmac256Generic(key *[64]byte, wk []uint32, out *[8]uint32) {
	var m [16]uint32
	for i := range m {
		m[i] = binary.BigEndian.Uint32(key[4*i:]) ^ 0x36363636
	}
	h := iv256
	block256(&h, &m)
	for ; len(wk) >= 64; wk = wk[64:] {
		rounds256(&h, (*[64]uint32)(wk))
	}
	inner := h
	for i := range m {
		m[i] ^= 0x36363636 ^ 0x5c5c5c5c
	}
	h = iv256
	block256(&h, &m)
	copy(m[:8], inner[:])
	m[8] = 0x80000000
	clear(m[9:15])
	m[15] = (64 + 32) * 8
	block256(&h, &m)
	*out = h
}

// blocks256Generic compresses whole 64-byte blocks of p into h.
func blocks256Generic(h *[8]uint32, p []byte) {
	for ; len(p) >= 64; p = p[64:] {
		var m [16]uint32
		for i := range m {
			m[i] = binary.BigEndian.Uint32(p[4*i:])
		}
		block256(h, &m)
	}
}
