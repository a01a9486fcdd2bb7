package actions

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"testing"
	"time"
)

// TestPredictable: the patterns minted credentials fall into are found,
// and tokens from a CSPRNG are not flagged.
func TestPredictable(t *testing.T) {
	t.Parallel()
	md5hex := func(s string) string { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
	sha1hex := func(s string) string { h := sha1.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
	now := time.Now().Unix()
	random := func() string {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	cases := []struct {
		name   string
		values []string
		want   bool
	}{
		{"sequential with a prefix", []string{"tok_1001", "tok_1002", "tok_1003", "tok_1004"}, true},
		{"md5 of a counter", []string{md5hex("1001"), md5hex("1002"), md5hex("1003"), md5hex("1004")}, true},
		{"sha1 of the unix time", []string{sha1hex(strconv.FormatInt(now-3, 10)), sha1hex(strconv.FormatInt(now-2, 10)), sha1hex(strconv.FormatInt(now, 10))}, true},
		{"six digits", []string{"483920", "019374", "775201", "320118"}, true},
		{"the same value twice", []string{"a8Fz0q1LmN3bV7cX9dK2wE5rT", "a8Fz0q1LmN3bV7cX9dK2wE5rT", "Qp1z"}, true},
		{"token_urlsafe", []string{random(), random(), random(), random()}, false},
		{"random hex", []string{md5hex(random()), md5hex(random()), md5hex(random())}, false},
	}
	for _, c := range cases {
		if got := predictable(c.values); (got != "") != c.want {
			t.Errorf("%s: predictable = %q, want a pattern %v", c.name, got, c.want)
		}
	}
}

// TestLearnFields: the fields a validation answer names are learned.
func TestLearnFields(t *testing.T) {
	t.Parallel()
	for answer, want := range map[string]string{
		`{"success": false, "errors": {"customer_id": "required", "amount": "required"}}`: "amount,customer_id",
		`{"detail": [{"loc": ["body", "title"], "msg": "field required"}]}`:               "title",
		`{"message": {"name": "Missing required parameter"}}`:                             "name",
		`{"error": "Invalid API token."}`:                                                 "",
		// Fields placed outside the body are not the body's.
		`{"detail": [{"loc": ["query", "key"], "msg": "field required"}, {"loc": ["body", "note"], "msg": "field required"}]}`: "note",
		`{"errors": {"query": {"confirm": ["Missing data for required field."]}}}`:                                             "",
	} {
		got := ""
		for i, f := range learnFields([]byte(answer)) {
			if i > 0 {
				got += ","
			}
			got += f
		}
		if got != want {
			t.Errorf("%s: learned %q, want %q", answer, got, want)
		}
	}
}
