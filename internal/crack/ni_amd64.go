//go:build !purego

package crack

import "golang.org/x/sys/cpu"

// hasSHANI reports whether the SHA-NI path can run: SHA extensions plus the
// SSSE3 (PSHUFB) and SSE4.1 (PBLENDW) instructions it also uses.
// golang.org/x/sys/cpu does not report SHA, so CPUID leaf 7 is read here.
func hasSHANI() bool {
	if !cpu.X86.HasSSSE3 || !cpu.X86.HasSSE41 {
		return false
	}
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&(1<<29) != 0
}

func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

//go:noescape
func blocks256NI(h *[8]uint32, p []byte)

//go:noescape
func hmac256NI(key *[64]byte, wk []uint32, out *[8]uint32)

// hmac256NI2 is hmac256NI for two keys at once, interleaved to hide the
// latency of the SHA-NI round instruction.
//
//go:noescape
func hmac256NI2(keys *[2][64]byte, wk []uint32, out *[2][8]uint32)

// flaskNI2 runs the whole Flask session check for two candidate keys: key
// derivation HMAC-SHA1(key, salt) then HMAC-SHA1(derived, value). salt and
// msg hold precomputed SHA-1 schedules (sha1Schedule); out receives, per
// lane, the ABCD and E registers (A in word 3, E in word 7).
//
//go:noescape
func flaskNI2(keys *[2][64]byte, salt []uint32, msg []uint32, out *[2][8]uint32)

// hasAVX512 reports whether the eight-lane HMAC-SHA-384/512 kernels can run.
func hasAVX512() bool { return cpu.X86.HasAVX512F }

// hmac384x8 and hmac512x8 compute HMAC-SHA-384/512 for eight keys: kw holds
// the zero-padded key blocks as big-endian words, word-major (kw[w][lane]);
// wk the message's precomputed W+K (80 words per block); iv the SHA-384 or
// SHA-512 initial state; out the outer states, word-major.
//
//go:noescape
func hmac384x8(kw *[16][8]uint64, wk []uint64, iv *[8]uint64, out *[8][8]uint64)

//go:noescape
func hmac512x8(kw *[16][8]uint64, wk []uint64, iv *[8]uint64, out *[8][8]uint64)
