package jose

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"reflect"
)

// Recipe says how a forged token was made from a genuine one, so that the
// same forgery can be made again from a fresh token (new times, new login)
// without keeping the forged token itself. Only forgeries anyone can make
// have a recipe: nothing in it is a credential.
type Recipe struct {
	// Forge is "tampered" (payload changed, signature kept), "none"
	// (header alg set to Alg, signature empty or, with KeepSig, kept),
	// "stripped" (empty signature), "random-signature" or "blank-secret"
	// (HS256 with an empty key).
	Forge   string         `json:"forge"`
	Alg     string         `json:"alg,omitempty"`
	KeepSig bool           `json:"keep_sig,omitempty"`
	Claims  map[string]any `json:"claims,omitempty"`
}

// RecipeOf finds how forged was made from orig; false when it was signed
// with a key (a recovered secret, authprobe's own key), which no recipe
// may carry.
func RecipeOf(orig, forged *Token) (Recipe, bool) {
	set := map[string]any{}
	for k, v := range forged.Claims {
		if o, ok := orig.Claims[k]; !ok || !reflect.DeepEqual(o, v) {
			set[k] = v
		}
	}
	for k := range orig.Claims {
		if _, ok := forged.Claims[k]; !ok {
			return Recipe{}, false
		}
	}
	r := Recipe{Claims: set}
	if len(set) == 0 {
		r.Claims = nil
	}
	switch {
	case isNone(forged.Alg()):
		r.Forge, r.Alg = "none", forged.Alg()
		r.KeepSig = forged.Signature != "" && forged.Signature == orig.Signature
		if forged.Signature != "" && !r.KeepSig {
			return Recipe{}, false
		}
		return r, sameHeaderBut(orig, forged, "alg")
	case forged.Header != orig.Header:
		if forged.Alg() == "HS256" && sameHeaderBut(orig, forged, "alg") && blankSigned(forged) {
			r.Forge = "blank-secret"
			return r, true
		}
		return Recipe{}, false
	case forged.Signature == orig.Signature:
		r.Forge = "tampered"
	case forged.Signature == "":
		r.Forge = "stripped"
	case blankSigned(forged):
		r.Forge = "blank-secret"
	case len(set) == 0:
		r.Forge = "random-signature"
	default:
		return Recipe{}, false
	}
	return r, true
}

func blankSigned(t *Token) bool {
	return t.Alg() == "HS256" && Verify(t, []byte{}) == nil
}

// sameHeaderBut: the headers agree on every member but skip.
func sameHeaderBut(a, b *Token, skip string) bool {
	for k, v := range a.Head {
		if k != skip && !reflect.DeepEqual(b.Head[k], v) {
			return false
		}
	}
	for k := range b.Head {
		if _, ok := a.Head[k]; !ok && k != skip {
			return false
		}
	}
	return true
}

// Reforge makes the recipe's forgery from a fresh genuine token.
func Reforge(fresh *Token, r Recipe) (string, error) {
	claims := map[string]any{}
	for k, v := range r.Claims {
		claims[k] = normalize(v)
	}
	switch r.Forge {
	case "tampered":
		return fresh.Tampered(claims)
	case "none":
		h, err := SetHeader(fresh.HeaderJSON, map[string]any{"alg": r.Alg})
		if err != nil {
			return "", err
		}
		p, err := SetClaims(fresh.PayloadJSON, claims)
		if err != nil {
			return "", err
		}
		sig := ""
		if r.KeepSig {
			sig = fresh.Signature
		}
		return Assemble(h, p, sig), nil
	case "stripped":
		p, err := SetClaims(fresh.PayloadJSON, claims)
		if err != nil {
			return "", err
		}
		return fresh.Header + "." + B64(p) + ".", nil
	case "random-signature":
		return fresh.RandomSignature(rand.Reader), nil
	case "blank-secret":
		s, err := HMAC("HS256", nil)
		if err != nil {
			return "", err
		}
		return fresh.Resign(claims, s)
	}
	return "", fmt.Errorf("unknown forgery %q", r.Forge)
}

// normalize turns numbers decoded from a saved result (float64) back into
// JSON numbers, so that an integer claim stays an integer.
func normalize(v any) any {
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return json.Number(fmt.Sprint(int64(f)))
	}
	return v
}
