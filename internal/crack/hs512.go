package crack

import (
	"crypto/sha512"
	"encoding/binary"
	"math/bits"
)

// HS384/HS512 with AVX-512: eight candidates per call, one per 64-bit lane,
// the message blocks' schedule precomputed (W+K, shared by all lanes).

var k512 = [80]uint64{
	0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
	0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
	0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
	0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
	0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
	0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
	0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
	0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
	0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
	0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
	0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
	0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
	0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
	0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
	0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
	0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
	0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
	0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
	0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
	0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
}

var iv512 = [8]uint64{
	0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
	0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
}

var iv384 = [8]uint64{
	0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
	0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
}

// schedule512 pads msg as the tail of an input with a 128-byte key block
// before it and precomputes W+K for each of its 128-byte blocks.
func schedule512(msg []byte) []uint64 {
	n := (len(msg) + 1 + 16 + 127) &^ 127
	p := make([]byte, n)
	copy(p, msg)
	p[len(msg)] = 0x80
	binary.BigEndian.PutUint64(p[n-8:], uint64(128+len(msg))*8)
	out := make([]uint64, 0, n/128*80)
	for off := 0; off < n; off += 128 {
		var w [80]uint64
		for t := 0; t < 16; t++ {
			w[t] = binary.BigEndian.Uint64(p[off+8*t:])
		}
		for t := 16; t < 80; t++ {
			v1, v2 := w[t-2], w[t-15]
			s1 := bits.RotateLeft64(v1, -19) ^ bits.RotateLeft64(v1, -61) ^ v1>>6
			s0 := bits.RotateLeft64(v2, -1) ^ bits.RotateLeft64(v2, -8) ^ v2>>7
			w[t] = s1 + w[t-7] + s0 + w[t-16]
		}
		for t := range w {
			out = append(out, w[t]+k512[t])
		}
	}
	return out
}

type hs512x8 struct {
	wk    []uint64
	iv    *[8]uint64
	words int // MAC words compared: 6 for HS384, 8 for HS512
	sum   func(*[16][8]uint64, []uint64, *[8]uint64, *[8][8]uint64)
	want  [8]uint64
	kw    [16][8]uint64
	out   [8][8]uint64
	key   [128]byte
}

func newHS512x8(t *Target) *hs512x8 {
	e := &hs512x8{wk: schedule512(t.msg), iv: &iv512, words: 8, sum: hmac512x8}
	if t.kind == HS384 {
		e.iv, e.words, e.sum = &iv384, 6, hmac384x8
	}
	for i := 0; i < e.words; i++ {
		e.want[i] = binary.BigEndian.Uint64(t.sig[8*i:])
	}
	return e
}

// setKey writes candidate c as lane l's key block, word-major.
func (e *hs512x8) setKey(l int, c []byte) {
	if len(c) > 128 { // HMAC hashes over-long keys first
		if e.words == 6 {
			d := sha512.Sum384(c)
			c = d[:]
		} else {
			d := sha512.Sum512(c)
			c = d[:]
		}
	}
	n := copy(e.key[:], c)
	clear(e.key[n:])
	for w := range e.kw {
		e.kw[w][l] = binary.BigEndian.Uint64(e.key[8*w:])
	}
}

func (e *hs512x8) find(b *Batch) int {
	n := b.Len()
	for i := 0; i < n; i += 8 {
		for l := 0; l < 8; l++ {
			e.setKey(l, b.At(min(i+l, n-1))) // a short tail repeats the last
		}
		e.sum(&e.kw, e.wk, e.iv, &e.out)
		for l := 0; l < 8 && i+l < n; l++ {
			if e.out[0][l] != e.want[0] {
				continue
			}
			match := true
			for w := 1; w < e.words; w++ {
				match = match && e.out[w][l] == e.want[w]
			}
			if match {
				return i + l
			}
		}
	}
	return -1
}
