// Package catalog holds the metadata of every dynamic check and static rule:
// id, title, severity, CWE, OWASP API Top 10 2023 category and remediation
// with a Flask fix. It runs nothing; checks and rules look their entry up here
// so that the text of a finding is written once.
package catalog

import (
	"fmt"
	"sort"

	"github.com/authprobe/authprobe/internal/finding"
)

// Kind says whether an entry is a live probe or a source rule.
type Kind string

const (
	Probe  Kind = "probe"
	Static Kind = "static"
	// Joined findings compare the code with the live API (scan --source).
	Joined Kind = "joined"
)

// Entry is the metadata of one check or rule.
type Entry struct {
	ID          string
	Kind        Kind
	Title       string
	Severity    finding.Severity
	CWE         []string
	OWASP       []string
	Description string
	Remediation string
}

// families lists every file's entries; each family lives in its own file so
// that checks of one concern keep their text together.
func families() [][]Entry {
	return [][]Entry{jwtEntries, jwtKeyEntries, apikeyEntries, authzEntries, staticEntries, sourceEntries, lifecycleEntries, writesEntries, mintedEntries, clientIdentityEntries}
}

// All returns every entry sorted by id.
func All() []Entry {
	var out []Entry
	for _, fam := range families() {
		out = append(out, fam...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds an entry by id.
func Lookup(id string) (Entry, bool) {
	for _, fam := range families() {
		for _, e := range fam {
			if e.ID == id {
				return e, true
			}
		}
	}
	return Entry{}, false
}

// New returns a finding stamped with the entry's metadata. It panics on an
// unknown id: that is a programming error the registry test catches.
func New(id string) finding.Finding {
	e, ok := Lookup(id)
	if !ok {
		panic(fmt.Sprintf("catalog: unknown rule %q", id))
	}
	return finding.Finding{
		Rule:        e.ID,
		Title:       e.Title,
		Severity:    e.Severity,
		CWE:         append([]string(nil), e.CWE...),
		OWASP:       append([]string(nil), e.OWASP...),
		Remediation: e.Remediation,
	}
}
