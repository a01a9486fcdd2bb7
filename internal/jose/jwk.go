package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// JWK is a public key with the members of RFC 7517 that matter here.
type JWK struct {
	Kid, Alg, Use string
	Key           crypto.PublicKey // *rsa.PublicKey or *ecdsa.PublicKey
}

// jwkJSON fixes the member order of serialised keys.
type jwkJSON struct {
	Kty string `json:"kty"`
	Kid string `json:"kid,omitempty"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// curveByName maps a JWK crv to its curve, nil when unsupported.
func curveByName(name string) elliptic.Curve {
	switch name {
	case "P-256":
		return elliptic.P256()
	case "P-384":
		return elliptic.P384()
	case "P-521":
		return elliptic.P521()
	}
	return nil
}

func (k JWK) toJSON() (jwkJSON, error) {
	j := jwkJSON{Kid: k.Kid, Use: k.Use, Alg: k.Alg}
	switch p := k.Key.(type) {
	case *rsa.PublicKey:
		j.Kty, j.N, j.E = "RSA", B64(p.N.Bytes()), B64(big.NewInt(int64(p.E)).Bytes())
	case *ecdsa.PublicKey:
		n := (p.Curve.Params().BitSize + 7) / 8
		x, y := make([]byte, n), make([]byte, n)
		p.X.FillBytes(x)
		p.Y.FillBytes(y)
		j.Kty, j.Crv, j.X, j.Y = "EC", p.Curve.Params().Name, B64(x), B64(y)
		if curveByName(j.Crv) == nil {
			return j, fmt.Errorf("jwk: unsupported curve %s", j.Crv)
		}
	default:
		return j, fmt.Errorf("jwk: unsupported key type %T", k.Key)
	}
	return j, nil
}

// MarshalJSON writes the key as a JWK object.
func (k JWK) MarshalJSON() ([]byte, error) {
	j, err := k.toJSON()
	if err != nil {
		return nil, err
	}
	return json.Marshal(j)
}

// JWKS serialises keys as a JWK Set: {"keys":[...]}.
func JWKS(keys ...JWK) ([]byte, error) {
	if keys == nil {
		keys = []JWK{}
	}
	b, err := json.Marshal(struct {
		Keys []JWK `json:"keys"`
	}{keys})
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	return b, nil
}

// ParseJWKS reads a JWK Set ({"keys":[...]}) or a single JWK and returns its
// RSA and EC public keys. Keys of other types (oct, OKP) are skipped; a set
// with no usable key is an error, as is a malformed RSA or EC key.
func ParseJWKS(data []byte) ([]JWK, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	if set.Keys == nil {
		set.Keys = []json.RawMessage{data}
	}
	var out []JWK
	for i, raw := range set.Keys {
		var j jwkJSON
		if err := json.Unmarshal(raw, &j); err != nil {
			return nil, fmt.Errorf("jwks key %d: %w", i, err)
		}
		k, err := j.publicKey()
		if errors.Is(err, errSkipKey) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("jwks key %d (kid %q): %w", i, j.Kid, err)
		}
		out = append(out, JWK{Kid: j.Kid, Alg: j.Alg, Use: j.Use, Key: k})
	}
	if len(out) == 0 {
		return nil, errors.New("jwks: no RSA or EC public key found")
	}
	return out, nil
}

var errSkipKey = errors.New("key type not supported")

func (j jwkJSON) publicKey() (crypto.PublicKey, error) {
	switch j.Kty {
	case "RSA":
		n, err1 := b64int(j.N)
		e, err2 := b64int(j.E)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		if n.Sign() <= 0 || n.BitLen() < 512 || !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 {
			return nil, errors.New("implausible RSA modulus or exponent")
		}
		return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
	case "EC":
		c := curveByName(j.Crv)
		if c == nil {
			return nil, fmt.Errorf("unsupported curve %q", j.Crv)
		}
		x, err1 := b64int(j.X)
		y, err2 := b64int(j.Y)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		if !c.IsOnCurve(x, y) {
			return nil, errors.New("point is not on the curve")
		}
		return &ecdsa.PublicKey{Curve: c, X: x, Y: y}, nil
	}
	return nil, errSkipKey
}

func b64int(s string) (*big.Int, error) {
	if s == "" {
		return nil, errors.New("missing key member")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("key member: %w", err)
	}
	return new(big.Int).SetBytes(b), nil
}
