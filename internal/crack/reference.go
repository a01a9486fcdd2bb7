package crack

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
)

// flaskSalt is the salt Flask's SecureCookieSessionInterface passes to
// itsdangerous, whose "hmac" key derivation makes the signing key
// HMAC-SHA1(SECRET_KEY, salt).
var flaskSalt = []byte("cookie-session")

// referenceMAC computes t's MAC under secret with crypto/hmac: the slow path
// used to double-check a hit and in tests.
func referenceMAC(t *Target, secret []byte) []byte {
	var h func() hash.Hash
	switch t.kind {
	case HS256:
		h = sha256.New
	case HS384:
		h = sha512.New384
	case HS512:
		h = sha512.New
	case FlaskSession:
		d := hmac.New(sha1.New, secret)
		d.Write(flaskSalt)
		secret = d.Sum(nil)
		h = sha1.New
	default:
		return nil
	}
	m := hmac.New(h, secret)
	m.Write(t.msg)
	return m.Sum(nil)
}
