package apikey

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/probe/slots"
)

func TestVariants(t *testing.T) {
	key := "pk_Live_4f9a"
	names := func(vs []variant) map[string]string {
		m := map[string]string{}
		for _, v := range vs {
			m[v.name] = v.value
		}
		return m
	}
	h := names(variants(key, slots.Header))
	for name, want := range map[string]string{
		"upper-cased": "PK_LIVE_4F9A", "lower-cased": "pk_live_4f9a", "case swapped": "PK_lIVE_4F9A",
		"last character removed": "pk_Live_4f9", "first half only": "pk_Liv", "character appended": key + "x", "character prepended": "x" + key,
	} {
		if h[name] != want {
			t.Errorf("%s = %q, want %q", name, h[name], want)
		}
	}
	if _, ok := h["surrounded by spaces"]; ok {
		t.Error("whitespace variant sent in a header (HTTP strips it)")
	}
	if q := names(variants(key, slots.Query)); q["surrounded by spaces"] != " "+key+" " {
		t.Errorf("query variants %v", q)
	}
	// Digits only: no case variants, nothing equal to the key.
	for _, v := range variants("12345678", slots.Header) {
		if v.value == "12345678" || strings.Contains(v.name, "case") {
			t.Errorf("variant %+v of a digit key", v)
		}
	}
}

// TestQueryNames: the names derived from the header and the common ones
// are tried, the endpoint's own query parameters are not, and a query
// credential the spec declares (a documented fallback still puts the key
// in URLs) is tried even when the endpoint lists it.
func TestQueryNames(t *testing.T) {
	got := queryNames(slots.Slot{In: slots.Header, Name: "X-Partner-Key"}, map[string]bool{"api_key": true, "sig": true}, []string{"Sig"})
	for _, want := range []string{"x-partner-key", "partner-key", "partner_key", "partnerkey", "apikey", "token", "sig"} {
		if !slices.Contains(got, want) {
			t.Errorf("%v lacks %s", got, want)
		}
	}
	if slices.Contains(got, "api_key") {
		t.Error("the endpoint's own query parameter is tried as a key")
	}
	if !slices.IsSorted(got) {
		t.Error("names not sorted")
	}
}

// TestVariantsBasicCredential: a key that is an HTTP Basic credential is
// altered in its password, encoded again; no variant is the same
// credential in another encoding (smartshop-fastapi's "...=x", which
// Python's lenient base64 reads as the original), in two shapes of key.
func TestVariantsBasicCredential(t *testing.T) {
	for _, tc := range []struct{ key, user, pw string }{
		{"Basic YWRtaW46YWRtaW4xMjM=", "admin", "admin123"},
		{"basic dXNlcjE6cGFzc3dvcmQxMjM=", "user1", "password123"},
	} {
		vs := variants(tc.key, slots.Header)
		if len(vs) == 0 {
			t.Fatalf("%s: no variants", tc.key)
		}
		found := map[string]bool{}
		for _, v := range vs {
			scheme, enc, _ := strings.Cut(v.value, " ")
			raw, err := base64.StdEncoding.DecodeString(enc)
			user, pw, ok := strings.Cut(string(raw), ":")
			if !strings.EqualFold(scheme, "basic") || err != nil || !ok {
				t.Errorf("%s: variant %q (%s) is no Basic credential", tc.key, v.value, v.name)
				continue
			}
			if user != tc.user || pw == tc.pw {
				t.Errorf("%s: variant %s decodes to %q:%q", tc.key, v.name, user, pw)
			}
			found[v.name] = true
		}
		for _, name := range []string{"password upper-cased", "password character appended", "password last character removed"} {
			if !found[name] {
				t.Errorf("%s: no %q variant among %v", tc.key, name, vs)
			}
		}
	}
}

// TestSlotVariantsBasicPrefix: a slot that carries the Basic scheme as its
// prefix (the key given as "Basic ..." in Authorization) gets password
// variants without the prefix, which the slot adds back.
func TestSlotVariantsBasicPrefix(t *testing.T) {
	sl := slots.Slot{In: slots.Header, Name: "Authorization", Prefix: "Basic ", Value: "YWRtaW46YWRtaW4xMjM="}
	vs := slotVariants(sl)
	if len(vs) == 0 {
		t.Fatal("no variants")
	}
	for _, v := range vs {
		raw, err := base64.StdEncoding.DecodeString(v.value)
		user, pw, _ := strings.Cut(string(raw), ":")
		if err != nil || user != "admin" || pw == "admin123" || !strings.HasPrefix(v.name, "password ") {
			t.Errorf("variant %s = %q decodes to %q:%q (%v)", v.name, v.value, user, pw, err)
		}
	}
	if plain := slotVariants(slots.Slot{In: slots.Header, Name: "Authorization", Prefix: "Token ", Value: "abc123def"}); len(plain) == 0 || plain[0].name != "upper-cased" {
		t.Errorf("a Token key's variants: %v", plain)
	}
}
