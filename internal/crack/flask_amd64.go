//go:build !purego

package crack

// flaskNI2 runs the whole Flask session check for two candidate keys: key
// derivation HMAC-SHA1(key, salt) then HMAC-SHA1(derived, value). salt and
// msg hold precomputed SHA-1 schedules (sha1Schedule); out receives, per
// lane, the ABCD and E registers (A in word 3, E in word 7).
//
//go:noescape
func flaskNI2(keys *[2][64]byte, salt []uint32, msg []uint32, out *[2][8]uint32)
