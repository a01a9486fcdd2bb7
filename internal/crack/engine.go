package crack

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"hash"
)

// engine tests candidates against one target. Each worker owns one; find
// returns the index in b of the first candidate that signs the target, or -1.
type engine interface {
	find(b *Batch) int
}

// newEngine builds the fastest engine for t; portable forces the paths
// without our assembly (pure-Go SHA-256, crypto/sha1, crypto/sha512) even
// where the CPU could run it. HS384/HS512 without AVX-512 use crypto/sha512
// with reused digests: its assembly measured faster (0.91 M guesses per
// CPU-second) than a pure-Go loop with a precomputed schedule (0.70 M).
// A sixteen-lane AVX-512 HS256 kernel measured level with two-lane SHA-NI
// here (6.6-7.1 against 6.0-6.7 M per CPU-second), so SHA-NI stays.
func newEngine(t *Target, portable bool) engine {
	switch t.kind {
	case HS256:
		return newHS256(t, portable)
	case HS384, HS512:
		if !portable && hasAVX512() {
			return newHS512x8(t)
		}
		if t.kind == HS384 {
			return newStdHMAC(t, sha512.New384, 128)
		}
		return newStdHMAC(t, sha512.New, 128)
	default:
		if !portable && hasSHANI() {
			return newFlaskNI(t)
		}
		return newFlask(t)
	}
}

// hs256 is the SHA-256 hot loop: the key block is built in place, the message
// blocks' schedule is precomputed, and one call does the whole HMAC.
// With SHA-NI, candidates go two at a time through an interleaved kernel.
type hs256 struct {
	wk      []uint32
	want    [8]uint32
	keys    [2][64]byte
	outs    [2][8]uint32
	prevLen [2]int
	ni      bool
}

func newHS256(t *Target, portable bool) *hs256 {
	e := &hs256{wk: scheduleBlocks(padded256(t.msg, 64)), ni: !portable && hasSHANI()}
	for i := range e.want {
		e.want[i] = binary.BigEndian.Uint32(t.sig[4*i:])
	}
	return e
}

// setKey writes candidate c as the zero-padded key block of lane l.
func (e *hs256) setKey(l int, c []byte) {
	if len(c) > 64 {
		d := sha256.Sum256(c) // HMAC hashes over-long keys first
		c = d[:]
	}
	copy(e.keys[l][:], c)
	if len(c) < e.prevLen[l] {
		clear(e.keys[l][len(c):e.prevLen[l]])
	}
	e.prevLen[l] = len(c)
}

func (e *hs256) find(b *Batch) int {
	n := b.Len()
	i := 0
	if e.ni {
		for ; i+1 < n; i += 2 {
			e.setKey(0, b.At(i))
			e.setKey(1, b.At(i+1))
			hmac256NI2(&e.keys, e.wk, &e.outs)
			if e.outs[0][0] == e.want[0] && e.outs[0] == e.want {
				return i
			}
			if e.outs[1][0] == e.want[0] && e.outs[1] == e.want {
				return i + 1
			}
		}
	}
	for ; i < n; i++ {
		e.setKey(0, b.At(i))
		if e.ni {
			hmac256NI(&e.keys[0], e.wk, &e.outs[0])
		} else {
			hmac256Generic(&e.keys[0], e.wk, &e.outs[0])
		}
		if e.outs[0][0] == e.want[0] && e.outs[0] == e.want {
			return i
		}
	}
	return -1
}

// stdMAC is HMAC over a crypto/* hash with reused digests and pads: no
// allocation per guess.
type stdMAC struct {
	inner, outer hash.Hash
	blockSize    int
	long         hash.Hash // hashes keys longer than a block
	pad          [2][128]byte
	keyBuf       [64]byte
}

func newStdMAC(h func() hash.Hash, blockSize int) stdMAC {
	return stdMAC{inner: h(), outer: h(), long: h(), blockSize: blockSize}
}

// sum appends HMAC(key, msg) to dst[:0]; dst must not alias key.
func (m *stdMAC) sum(dst, key, msg []byte) []byte {
	if len(key) > m.blockSize {
		m.long.Reset()
		m.long.Write(key)
		key = m.long.Sum(m.keyBuf[:0])
	}
	ipad, opad := m.pad[0][:m.blockSize], m.pad[1][:m.blockSize]
	n := copy(ipad, key)
	clear(ipad[n:])
	for i := range ipad {
		opad[i] = ipad[i] ^ 0x5c
		ipad[i] ^= 0x36
	}
	m.inner.Reset()
	m.inner.Write(ipad)
	m.inner.Write(msg)
	s := m.inner.Sum(dst[:0])
	m.outer.Reset()
	m.outer.Write(opad)
	m.outer.Write(s)
	return m.outer.Sum(dst[:0])
}

// stdHMAC cracks HS384/HS512 with crypto/sha512.
type stdHMAC struct {
	mac  stdMAC
	msg  []byte
	want []byte
	buf  [64]byte
}

func newStdHMAC(t *Target, h func() hash.Hash, blockSize int) *stdHMAC {
	return &stdHMAC{mac: newStdMAC(h, blockSize), msg: t.msg, want: t.sig}
}

func (e *stdHMAC) find(b *Batch) int {
	for i := 0; i < b.Len(); i++ {
		got := e.mac.sum(e.buf[:], b.At(i), e.msg)
		if got[0] == e.want[0] && string(got) == string(e.want) {
			return i
		}
	}
	return -1
}

// flask cracks itsdangerous session cookies: key = HMAC-SHA1(secret,
// "cookie-session"), signature = HMAC-SHA1(key, payload.timestamp).
type flask struct {
	mac       stdMAC
	msg, want []byte
	derived   [20]byte
	buf       [20]byte
}

func newFlask(t *Target) *flask {
	return &flask{mac: newStdMAC(sha1.New, 64), msg: t.msg, want: t.sig}
}

func (e *flask) find(b *Batch) int {
	for i := 0; i < b.Len(); i++ {
		key := e.mac.sum(e.derived[:], b.At(i), flaskSalt)
		got := e.mac.sum(e.buf[:], key, e.msg)
		if got[0] == e.want[0] && string(got) == string(e.want) {
			return i
		}
	}
	return -1
}
