// Package crack recovers weak HMAC secrets offline: HS256/HS384/HS512 JWT
// secrets and Flask (itsdangerous) session cookie SECRET_KEYs. Candidates come
// from a built-in list of well-known defaults, streamed wordlists, rules and
// hashcat-style masks; guesses run on every core without allocating, and the
// SHA-256 path uses the SHA-NI instructions when the CPU has them.
package crack

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
)

// Kind says which MAC a Target is signed with.
type Kind int

// Kinds of target.
const (
	HS256 Kind = iota + 1
	HS384
	HS512
	FlaskSession
)

func (k Kind) String() string {
	switch k {
	case HS256:
		return "HS256"
	case HS384:
		return "HS384"
	case HS512:
		return "HS512"
	case FlaskSession:
		return "flask-session"
	}
	return "unknown"
}

// Target is one signed value whose secret is to be recovered.
type Target struct {
	kind Kind
	msg  []byte // the signed bytes
	sig  []byte // the MAC to match
}

// Kind reports the MAC of the target.
func (t *Target) Kind() Kind { return t.kind }

// maxTokenLen bounds what is parsed; real tokens are a few kilobytes.
const maxTokenLen = 1 << 20

// ParseJWT parses a compact JWS signed with HS256, HS384 or HS512. Any other
// algorithm, or a malformed token, is an error.
func ParseJWT(token string) (*Target, error) {
	token = strings.TrimSpace(token)
	if len(token) > maxTokenLen {
		return nil, fmt.Errorf("jwt: token of %d bytes is too long", len(token))
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("jwt: want 3 dot-separated segments, got %d", len(parts))
	}
	hdr, err := decodeSegment(parts[0])
	if err != nil {
		return nil, fmt.Errorf("jwt: header: %w", err)
	}
	var h struct {
		Alg *string `json:"alg"`
	}
	if err := json.Unmarshal(hdr, &h); err != nil {
		return nil, fmt.Errorf("jwt: header is not a JSON object: %w", err)
	}
	if h.Alg == nil {
		return nil, errors.New("jwt: header has no alg")
	}
	var kind Kind
	var size int
	switch *h.Alg {
	case "HS256":
		kind, size = HS256, 32
	case "HS384":
		kind, size = HS384, 48
	case "HS512":
		kind, size = HS512, 64
	default:
		return nil, fmt.Errorf("jwt: alg %q is not an HMAC algorithm (only HS256, HS384, HS512 can be cracked)", *h.Alg)
	}
	sig, err := decodeSegment(parts[2])
	if err != nil {
		return nil, fmt.Errorf("jwt: signature: %w", err)
	}
	if len(sig) != size {
		return nil, fmt.Errorf("jwt: %s signature has %d bytes, want %d", *h.Alg, len(sig), size)
	}
	msg := []byte(token[:len(parts[0])+1+len(parts[1])])
	return &Target{kind: kind, msg: msg, sig: sig}, nil
}

// ParseFlaskSession parses a Flask session cookie value (itsdangerous
// URLSafeTimedSerializer: payload.timestamp.signature, payload prefixed with
// "." when zlib-compressed). A leading "session=" is accepted.
func ParseFlaskSession(cookie string) (*Target, error) {
	cookie = strings.TrimSpace(cookie)
	cookie = strings.TrimPrefix(cookie, "session=")
	if len(cookie) > maxTokenLen {
		return nil, fmt.Errorf("flask session: cookie of %d bytes is too long", len(cookie))
	}
	i := strings.LastIndexByte(cookie, '.')
	if i < 0 {
		return nil, errors.New("flask session: no signature separator")
	}
	value, sigPart := cookie[:i], cookie[i+1:]
	j := strings.LastIndexByte(value, '.')
	if j < 0 {
		return nil, errors.New("flask session: no timestamp segment")
	}
	payload, ts := value[:j], value[j+1:]
	// A compressed payload starts with "."; that dot is part of the signed value.
	payload = strings.TrimPrefix(payload, ".")
	if payload == "" || strings.Contains(payload, ".") {
		return nil, errors.New("flask session: want payload.timestamp.signature")
	}
	if _, err := decodeSegment(payload); err != nil {
		return nil, fmt.Errorf("flask session: payload: %w", err)
	}
	tsb, err := decodeSegment(ts)
	if err != nil || len(tsb) == 0 || len(tsb) > 8 {
		return nil, errors.New("flask session: timestamp segment is not a base64 integer")
	}
	sig, err := decodeSegment(sigPart)
	if err != nil {
		return nil, fmt.Errorf("flask session: signature: %w", err)
	}
	if len(sig) != 20 {
		return nil, fmt.Errorf("flask session: signature has %d bytes, want 20 (HMAC-SHA1)", len(sig))
	}
	return &Target{kind: FlaskSession, msg: []byte(value), sig: sig}, nil
}

// Parse detects what s is: a JWT signed with HS256/HS384/HS512, or else a
// Flask session cookie. The error explains both attempts.
func Parse(s string) (*Target, error) {
	t, jwtErr := ParseJWT(s)
	if jwtErr == nil {
		return t, nil
	}
	t, flaskErr := ParseFlaskSession(s)
	if flaskErr == nil {
		return t, nil
	}
	return nil, fmt.Errorf("not a crackable token: as a JWT: %v; as a Flask session cookie: %v", jwtErr, flaskErr)
}

// decodeSegment decodes unpadded base64url, tolerating trailing padding.
func decodeSegment(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not base64url: %w", err)
	}
	return b, nil
}

// Verify reports whether secret signs t; it is the slow, obvious reference.
func (t *Target) Verify(secret []byte) bool {
	return bytes.Equal(referenceMAC(t, secret), t.sig)
}

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
