package jose

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
)

// ErrBadSignature is returned by Verify when the signature does not match.
var ErrBadSignature = errors.New("signature does not verify")

// Verify checks t's signature under its own alg with key: []byte for HS*,
// *rsa.PublicKey for RS* and PS*, *ecdsa.PublicKey for ES*. It exists to
// check what this package signs and what PyJWT signs; it never accepts "none".
func Verify(t *Token, key any) error {
	alg := t.Alg()
	h, ok := hashOf(alg)
	if !ok || len(alg) != 5 {
		return fmt.Errorf("verify: unsupported alg %q", alg)
	}
	in := []byte(t.SigningInput())
	switch alg[:2] {
	case "HS":
		k, ok := key.([]byte)
		if !ok {
			return fmt.Errorf("verify %s: key is %T, want []byte", alg, key)
		}
		s, _ := HMAC(alg, k)
		want, _ := s.Sign(in)
		if !hmac.Equal(want, t.Sig) {
			return ErrBadSignature
		}
		return nil
	case "RS", "PS":
		k, ok := key.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("verify %s: key is %T, want *rsa.PublicKey", alg, key)
		}
		var err error
		if alg[0] == 'P' {
			err = rsa.VerifyPSS(k, h, digest(h, in), t.Sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			err = rsa.VerifyPKCS1v15(k, h, digest(h, in), t.Sig)
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrBadSignature, err)
		}
		return nil
	case "ES":
		k, ok := key.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("verify %s: key is %T, want *ecdsa.PublicKey", alg, key)
		}
		if curveAlg(k.Curve) != alg {
			return fmt.Errorf("verify %s: key curve does not match", alg)
		}
		n := (k.Curve.Params().BitSize + 7) / 8
		if len(t.Sig) != 2*n {
			return fmt.Errorf("%w: %d signature bytes, want %d", ErrBadSignature, len(t.Sig), 2*n)
		}
		r := new(big.Int).SetBytes(t.Sig[:n])
		s := new(big.Int).SetBytes(t.Sig[n:])
		if !ecdsa.Verify(k, digest(h, in), r, s) {
			return ErrBadSignature
		}
		return nil
	}
	return fmt.Errorf("verify: unsupported alg %q", alg)
}
