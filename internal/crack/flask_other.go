//go:build !amd64 || purego

package crack

func flaskNI2(keys *[2][64]byte, salt []uint32, msg []uint32, out *[2][8]uint32) {
	panic("crack: flaskNI2 without SHA-NI")
}
