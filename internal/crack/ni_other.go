//go:build !amd64 || purego

package crack

func hasSHANI() bool { return false }

func blocks256NI(h *[8]uint32, p []byte) { blocks256Generic(h, p) }

func hmac256NI(key *[64]byte, wk []uint32, out *[8]uint32) { hmac256Generic(key, wk, out) }

func hmac256NI2(keys *[2][64]byte, wk []uint32, out *[2][8]uint32) {
	hmac256Generic(&keys[0], wk, &out[0])
	hmac256Generic(&keys[1], wk, &out[1])
}

func flaskNI2(keys *[2][64]byte, salt []uint32, msg []uint32, out *[2][8]uint32) {
	panic("crack: flaskNI2 without SHA-NI")
}

func hasAVX512() bool { return false }

func hmac384x8(kw *[16][8]uint64, wk []uint64, iv *[8]uint64, out *[8][8]uint64) {
	panic("crack: hmac384x8 without AVX-512")
}

func hmac512x8(kw *[16][8]uint64, wk []uint64, iv *[8]uint64, out *[8][8]uint64) {
	panic("crack: hmac512x8 without AVX-512")
}
