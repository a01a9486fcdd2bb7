package claims

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/jose"
)

// flaskSession is a Flask session cookie (itsdangerous
// URLSafeTimedSerializer, salt "cookie-session", HMAC-SHA1 key derivation):
// [.]payload.timestamp.signature, the payload zlib-compressed when the
// cookie starts with a dot.
type flaskSession struct {
	data []byte // the session as JSON
}

// maxSession bounds what a compressed session may inflate to.
const maxSession = 1 << 20

func parseFlaskSession(cookie string) (*flaskSession, error) {
	compressed := strings.HasPrefix(cookie, ".")
	parts := strings.Split(strings.TrimPrefix(cookie, "."), ".")
	if len(parts) != 3 {
		return nil, errors.New("flask session: want payload.timestamp.signature")
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil {
		return nil, fmt.Errorf("flask session payload: %w", err)
	}
	if compressed {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("flask session payload: %w", err)
		}
		raw, err = io.ReadAll(io.LimitReader(zr, maxSession+1))
		if err != nil || len(raw) > maxSession {
			return nil, errors.New("flask session payload: bad or oversized zlib data")
		}
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("flask session payload is not a JSON object: %w", err)
	}
	return &flaskSession{data: raw}, nil
}

// values returns the session's top-level string values, for reflection.
func (s *flaskSession) values() map[string]any {
	var obj map[string]any
	_ = json.Unmarshal(s.data, &obj)
	return obj
}

// forge returns a cookie carrying the session with set applied, stamped now
// and signed with secret.
func (s *flaskSession) forge(set map[string]any, secret []byte, now time.Time) (string, error) {
	data, err := jose.SetClaims(s.data, set)
	if err != nil {
		return "", fmt.Errorf("flask session: %w", err)
	}
	ts := make([]byte, 8)
	binary.BigEndian.PutUint64(ts, uint64(now.Unix()))
	ts = bytes.TrimLeft(ts, "\x00")
	value := jose.B64(data) + "." + jose.B64(ts)
	return value + "." + jose.B64(flaskMAC(secret, value)), nil
}

// flaskMAC is itsdangerous' signature: HMAC-SHA1 keyed with
// HMAC-SHA1(secret, "cookie-session").
func flaskMAC(secret []byte, value string) []byte {
	d := hmac.New(sha1.New, secret)
	d.Write([]byte("cookie-session"))
	m := hmac.New(sha1.New, d.Sum(nil))
	m.Write([]byte(value))
	return m.Sum(nil)
}
