package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// ParsePrivateKeyPEM reads the first private key block of a PEM file:
// PKCS#8, PKCS#1 ("RSA PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY").
func ParsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, errors.New("no PEM private key block found")
		}
		if !strings.Contains(b.Type, "PRIVATE KEY") {
			continue
		}
		if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
			s, ok := k.(crypto.Signer)
			if !ok {
				return nil, fmt.Errorf("unsupported private key type %T", k)
			}
			return checkSigner(s)
		}
		if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
			return k, nil
		}
		if k, err := x509.ParseECPrivateKey(b.Bytes); err == nil {
			return checkSigner(k)
		}
		return nil, fmt.Errorf("PEM block %q is not a PKCS#8, PKCS#1 or SEC 1 private key", b.Type)
	}
}

// ParsePublicKeyPEM reads the first public key of a PEM file: SPKI
// ("PUBLIC KEY"), PKCS#1 ("RSA PUBLIC KEY") or a certificate's key.
func ParsePublicKeyPEM(data []byte) (crypto.PublicKey, error) {
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, errors.New("no PEM public key or certificate block found")
		}
		switch b.Type {
		case "PUBLIC KEY":
			return x509.ParsePKIXPublicKey(b.Bytes)
		case "RSA PUBLIC KEY":
			return x509.ParsePKCS1PublicKey(b.Bytes)
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("certificate: %w", err)
			}
			return c.PublicKey, nil
		}
	}
}

func checkSigner(s crypto.Signer) (crypto.Signer, error) {
	switch k := s.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		if curveAlg(k.Curve) == "" {
			return nil, fmt.Errorf("unsupported curve %s", k.Curve.Params().Name)
		}
		return k, nil
	}
	return nil, fmt.Errorf("unsupported private key type %T (want RSA or ECDSA)", s)
}

// SignerFor makes a Signer from an RSA or ECDSA private key. alg may be
// empty: RSA keys then sign RS256 and EC keys the alg of their curve.
func SignerFor(key crypto.Signer, alg string) (Signer, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if alg == "" {
			alg = "RS256"
		}
		return RSA(alg, k)
	case *ecdsa.PrivateKey:
		if alg == "" {
			alg = curveAlg(k.Curve)
		}
		return ECDSA(alg, k)
	}
	return nil, fmt.Errorf("unsupported private key type %T (want RSA or ECDSA)", key)
}

// NamedKey is one serialisation of a public key, used as an HMAC secret.
type NamedKey struct {
	Name string
	Key  []byte
}

// ConfusionKeys returns the byte strings a server might use as the HMAC
// secret when an RS/ES verifier is fed an HS token (algorithm confusion):
// the public key as SPKI and PKCS#1 PEM, each with and without its trailing
// newline, and as DER. It returns nil for key types it does not know.
func ConfusionKeys(pub crypto.PublicKey) []NamedKey {
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	spkiPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki})
	keys := []NamedKey{
		{"spki-pem", spkiPEM},
		{"spki-pem-no-newline", trimNL(spkiPEM)},
	}
	if k, ok := pub.(*rsa.PublicKey); ok {
		der := x509.MarshalPKCS1PublicKey(k)
		p := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: der})
		keys = append(keys, NamedKey{"pkcs1-pem", p}, NamedKey{"pkcs1-pem-no-newline", trimNL(p)},
			NamedKey{"spki-der", spki}, NamedKey{"pkcs1-der", der})
	} else {
		keys = append(keys, NamedKey{"spki-der", spki})
	}
	return keys
}

func trimNL(b []byte) []byte { return []byte(strings.TrimRight(string(b), "\n")) }

// Confusion returns the token with claims changed by set, re-declared as
// alg (HS256 when empty) and signed with each of ConfusionKeys(pub).
func Confusion(t *Token, set map[string]any, pub crypto.PublicKey, alg string) ([]Variant, error) {
	if alg == "" {
		alg = "HS256"
	}
	var vs []Variant
	for _, k := range ConfusionKeys(pub) {
		s, err := HMAC(alg, k.Key)
		if err != nil {
			return nil, err
		}
		tok, err := t.Resign(set, s)
		if err != nil {
			return nil, err
		}
		vs = append(vs, Variant{Name: strings.ToLower(alg) + "/" + k.Name, Token: tok})
	}
	if vs == nil {
		return nil, fmt.Errorf("confusion: unsupported public key type %T", pub)
	}
	return vs, nil
}

// GenerateKey makes a fresh private key that can sign alg: RSA 2048 for
// RS* and PS* (and for an empty alg), the matching curve for ES*. Attacks
// that embed or advertise a key of their own use it.
func GenerateKey(alg string) (crypto.Signer, error) {
	var curve elliptic.Curve
	switch alg {
	case "ES256":
		curve = elliptic.P256()
	case "ES384":
		curve = elliptic.P384()
	case "ES512":
		curve = elliptic.P521()
	case "", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, fmt.Errorf("generate RSA key: %w", err)
		}
		return k, nil
	default:
		return nil, fmt.Errorf("generate key: unsupported alg %q (want RS*, PS* or ES*)", alg)
	}
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate %s key: %w", alg, err)
	}
	return k, nil
}
