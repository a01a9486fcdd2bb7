package catalog

import (
	"regexp"
	"strings"
	"testing"
)

var (
	idPattern  = regexp.MustCompile(`^[a-z0-9]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$`)
	cwePattern = regexp.MustCompile(`^CWE-\d+$`)
	owaspTag   = regexp.MustCompile(`^API([1-9]|10):2023$`)
)

func TestEntriesAreComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range All() {
		if seen[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		seen[e.ID] = true
		if !idPattern.MatchString(e.ID) {
			t.Errorf("%s: id does not look like family.name", e.ID)
		}
		if e.Kind != Probe && e.Kind != Static && e.Kind != Joined {
			t.Errorf("%s: kind %q", e.ID, e.Kind)
		}
		if e.Title == "" || e.Remediation == "" || e.Description == "" {
			t.Errorf("%s: title, description and remediation are required", e.ID)
		}
		if e.Severity.Rank() == 0 {
			t.Errorf("%s: severity %q", e.ID, e.Severity)
		}
		if len(e.CWE) == 0 {
			t.Errorf("%s: no CWE", e.ID)
		}
		for _, c := range e.CWE {
			if !cwePattern.MatchString(c) {
				t.Errorf("%s: CWE %q", e.ID, c)
			}
		}
		for _, o := range e.OWASP {
			if !owaspTag.MatchString(o) {
				t.Errorf("%s: OWASP %q", e.ID, o)
			}
		}
		if e.Kind == Static && !strings.HasPrefix(e.ID, "py.") {
			t.Errorf("%s: static rules live under py.", e.ID)
		}
	}
}

func TestNewStampsMetadata(t *testing.T) {
	all := All()
	if len(all) == 0 {
		t.Fatal("empty catalog")
	}
	f := New(all[0].ID)
	if f.Rule != all[0].ID || f.Title != all[0].Title || len(f.CWE) == 0 {
		t.Fatalf("New(%s) = %+v", all[0].ID, f)
	}
}
