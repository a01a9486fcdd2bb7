package actions

import "testing"

// The record a marked write made is found in a listing by its marker, and
// the listing's container names what it holds: cafe_id of
// /update-price/{cafe_id} names a record of {"cafes": [...]}.
func TestEffectRecordAndNouns(t *testing.T) {
	body := []byte(`{"cafes": [{"id": 1, "name": "old"}, {"id": 24, "name": "authprobe-abc", "seats": "authprobe-abc"}]}`)
	n := nounsOf("/all", body, "authprobe-abc")
	if !n["cafe"] || !n["all"] {
		t.Fatalf("nouns %v: want cafe (the container) and all (the path)", n)
	}
	if n["seat"] {
		t.Fatalf("nouns %v: a record's own field is not a container", n)
	}
	var rec map[string]any
	for _, m := range []map[string]any{{"id": float64(1), "name": "old"}, {"id": float64(24), "name": "authprobe-abc"}} {
		if holds(m, "authprobe-abc") {
			rec = m
		}
	}
	if got := recordID(rec); got != "24" {
		t.Fatalf("recordID = %q, want 24", got)
	}
	if got := recordID(map[string]any{"product_id": float64(7), "name": "x"}); got != "7" {
		t.Fatalf("recordID of a lone *_id field = %q, want 7", got)
	}
	if got := recordID(map[string]any{"user_id": float64(7), "order_id": float64(8)}); got != "" {
		t.Fatalf("recordID of two id fields = %q, want none", got)
	}
}

// A body that takes a credential, at the top or in an envelope, is a
// login, registration or reset: anonymous by design.
func TestCredentialIn(t *testing.T) {
	for _, c := range []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"email": "a@b", "password": "x"}, "password"},
		{map[string]any{"user": map[string]any{"email": "a@b", "password": "x"}}, "password"},
		{map[string]any{"name": "kettle", "label": "kitchen"}, ""},
		{map[string]any{"product_id": 1, "quantity": 2}, ""},
	} {
		if got := credentialIn(c.body, 0); got != c.want {
			t.Errorf("credentialIn(%v) = %q, want %q", c.body, got, c.want)
		}
	}
}
