//go:build !amd64 || purego

package crack

func hasSHANI() bool { return false }

func blocks256NI(h *[8]uint32, p []byte) { blocks256Generic(h, p) }

func hmac256NI(key *[64]byte, wk []uint32, out *[8]uint32) { hmac256Generic(key, wk, out) }
