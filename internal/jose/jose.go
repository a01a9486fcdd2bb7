// Package jose is authprobe's JWT codec and forging kit: it parses compact
// JWS tokens byte for byte, signs them with HMAC, RSA (PKCS#1 v1.5 and PSS),
// ECDSA or nothing at all, edits claims without disturbing the members it does
// not touch, and builds every malformed and attack variant the live checks
// send. It performs no I/O and uses no JWT library: those normalise exactly
// the details (alg casing, header bytes, empty keys) an attack depends on.
package jose

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Token is a parsed compact JWS. The segments are kept exactly as given so
// that a token can be reassembled, or partly reused, byte for byte.
type Token struct {
	Raw                        string         // the token as given, less any "Bearer " prefix
	Header, Payload, Signature string         // the base64url segments exactly as given
	HeaderJSON, PayloadJSON    []byte         // decoded bytes
	Head                       map[string]any // parsed header (numbers as json.Number)
	Claims                     map[string]any // parsed claims (numbers as json.Number)
	Sig                        []byte
}

// ErrMalformed is wrapped by every error Parse returns.
var ErrMalformed = errors.New("malformed JWT")

func malformed(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...))
}

// Parse splits and decodes a compact JWS. It is strict: segments must be
// unpadded base64url and header and payload JSON objects; surrounding
// whitespace is an error too, because a server receiving it would see it.
// Only an authorization scheme prefix ("Bearer ") is removed.
func Parse(s string) (*Token, error) {
	if len(s) >= 7 && strings.EqualFold(s[:7], "bearer ") {
		s = s[7:]
	}
	if s == "" {
		return nil, malformed("empty token")
	}
	if strings.TrimSpace(s) != s {
		return nil, malformed("leading or trailing whitespace")
	}
	parts := strings.Split(s, ".")
	switch {
	case len(parts) == 5:
		return nil, malformed("5 segments: an encrypted JWE, not a signed JWT")
	case len(parts) == 2:
		return nil, malformed("2 segments: the signature segment is missing (want header.payload.signature)")
	case len(parts) != 3:
		return nil, malformed("%d segments, want 3 (header.payload.signature)", len(parts))
	}
	t := &Token{Raw: s, Header: parts[0], Payload: parts[1], Signature: parts[2]}
	var err error
	if t.HeaderJSON, err = decodeSegment("header", t.Header); err != nil {
		return nil, err
	}
	if t.PayloadJSON, err = decodeSegment("payload", t.Payload); err != nil {
		return nil, err
	}
	if t.Sig, err = decodeSegment("signature", t.Signature); err != nil {
		return nil, err
	}
	if t.Head, err = decodeObject("header", t.HeaderJSON); err != nil {
		return nil, err
	}
	if t.Claims, err = decodeObject("payload", t.PayloadJSON); err != nil {
		return nil, err
	}
	return t, nil
}

// decodeSegment decodes unpadded base64url. The alphabet is checked by hand
// because encoding/base64 silently skips CR and LF.
func decodeSegment(name, seg string) ([]byte, error) {
	if name != "signature" && seg == "" {
		return nil, malformed("%s segment is empty", name)
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '=' {
			return nil, malformed("%s segment is padded with '=' (base64url in JWTs has no padding)", name)
		}
		if !isB64URL(c) {
			return nil, malformed("%s segment has a byte %q at offset %d that is not base64url", name, c, i)
		}
	}
	if len(seg)%4 == 1 {
		return nil, malformed("%s segment has an impossible base64 length %d", name, len(seg))
	}
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return nil, malformed("%s segment: %v", name, err)
	}
	return b, nil
}

func isB64URL(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// decodeObject parses b as exactly one JSON object, numbers kept as json.Number.
func decodeObject(name string, b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, malformed("%s is not valid JSON: %v", name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed("%s has data after its JSON object", name)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, malformed("%s is JSON but not an object (%s)", name, jsonKind(v))
	}
	return m, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	default:
		return "number"
	}
}

// Alg returns the header's alg, or "" when it is missing or not a string.
func (t *Token) Alg() string {
	s, _ := t.Head["alg"].(string)
	return s
}

// SigningInput is what the signature covers: the first two segments as given.
func (t *Token) SigningInput() string { return t.Header + "." + t.Payload }

// B64 encodes b as base64url without padding.
func B64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Assemble joins JSON header and payload with a signature segment given
// verbatim (which may be empty or deliberately invalid).
func Assemble(headerJSON, payloadJSON []byte, sig string) string {
	return B64(headerJSON) + "." + B64(payloadJSON) + "." + sig
}
