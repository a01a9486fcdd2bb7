package clientid

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// What names a caller: request values named like a principal, secrets that
// are not, the X- headers refusals name, and cookies that encode who the
// caller is without a signature.

// identityName: a request value named like a principal (X-User-Id,
// X-Forwarded-User, username, uid). A hint that orders candidates and
// admits a configured value the API has not been seen to name the
// identity by; a source read or an observed value needs no such name.
func identityName(name string) bool {
	n := principal.Norm(name)
	n = strings.TrimPrefix(n, "x")
	for _, p := range []string{"forwarded", "remote", "auth", "authenticated", "real", "original"} {
		n = strings.TrimPrefix(n, p)
	}
	return principal.IsIdentityKey(n) || strings.Contains(n, "user") || n == "role" || n == "actor" ||
		n == "principal" || n == "caller" || n == "tenant" || n == "account"
}

// secretName: a value named like a secret is a credential, tested by the
// key and token checks, not a claim of who the caller is.
func secretName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"key", "token", "secret", "jwt", "password", "authorization", "signature"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

var headerWord = regexp.MustCompile(`\b[Xx]-[A-Za-z][A-Za-z0-9-]{1,40}\b`)

// refusalHeaders are the X- headers a refusal's body names that are named
// like a principal and are no secret.
func refusalHeaders(s *oracle.Sample) []string {
	if s == nil || !oracle.Refusal(s) {
		return nil
	}
	var out []string
	for _, h := range headerWord.FindAllString(string(s.Body), 5) {
		if identityName(h) && !secretName(h) && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// standardHeader: a header of the transport or of content negotiation,
// which a spec may declare and which never names a caller.
func standardHeader(name string) bool {
	switch strings.ToLower(name) {
	case "accept", "accept-language", "accept-encoding", "content-type", "content-length", "user-agent",
		"host", "origin", "referer", "cookie", "x-request-id", "x-correlation-id", "if-none-match",
		"if-match", "if-modified-since", "cache-control", "x-forwarded-for", "x-forwarded-proto", "x-real-ip":
		return true
	}
	return false
}

// encodedSelf: v is base64 (standard or URL alphabet) of a JSON object
// with an identity field holding one of the self's values, and nothing
// else around it (no signature): the field and the value.
func encodedSelf(v string, self *principal.Self) (string, string, bool) {
	if self == nil {
		return "", "", false
	}
	var raw []byte
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(strings.Trim(v, `"`)); err == nil {
			raw = b
			break
		}
	}
	var m map[string]any
	if raw == nil || json.Unmarshal(raw, &m) != nil {
		return "", "", false
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if str, ok := m[k].(string); ok && principal.IsIdentityKey(k) && self.Has(str) {
			return k, str, true
		}
	}
	return "", "", false
}
