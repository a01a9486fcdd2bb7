package source

import (
	"testing"

	"github.com/authprobe/authprobe/internal/catalog"
)

// TestExplainsNamesRealRules: every rule the join maps exists, dynamic on
// the left, static on the right, so a renamed rule cannot silently stop
// merging.
func TestExplainsNamesRealRules(t *testing.T) {
	for dyn, sts := range explains {
		e, ok := catalog.Lookup(dyn)
		if !ok || e.Kind == catalog.Static {
			t.Errorf("%s: not a dynamic rule in the catalog", dyn)
		}
		for _, st := range sts {
			if e, ok := catalog.Lookup(st); !ok || e.Kind != catalog.Static {
				t.Errorf("%s → %s: not a static rule in the catalog", dyn, st)
			}
		}
	}
}

func TestShape(t *testing.T) {
	for a, b := range map[string]string{
		"/a/{id}":          "/a/{order_id}",
		"/a/{id}/b/":       "/a/{x}/b",
		"/orders/{id}/x/y": "/orders/{o}/x/y",
	} {
		if shape(a) != shape(b) {
			t.Errorf("%s and %s differ: %s %s", a, b, shape(a), shape(b))
		}
	}
	if shape("/a/{id}") == shape("/a/b") {
		t.Error("a placeholder matched a literal segment")
	}
}

func TestStripComment(t *testing.T) {
	for in, want := range map[string]string{
		`x = 1  # cache`:               `x = 1  `,
		`s = "a # not a comment"  # c`: `s = "a # not a comment"  `,
		`s = 'it\'s # x'`:              `s = 'it\'s # x'`,
	} {
		if got := stripComment(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
