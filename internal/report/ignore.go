package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"go.yaml.in/yaml/v4"
)

// IgnoreFile is the YAML file of accepted findings, honoured by every
// command with --ignore-file:
//
//	ignore:
//	  - fingerprint: 748cc4655aeba377f9f0111087c58139
//	    reason: token service is internal only, see SEC-12
//	    expires: 2027-01-31   # optional; suppresses through that day (UTC)
//
// Every entry needs a fingerprint (as printed in reports) and a reason.
type IgnoreFile struct {
	Entries []IgnoreEntry `yaml:"ignore"`
}

// IgnoreEntry accepts one finding, with why and until when.
type IgnoreEntry struct {
	Fingerprint string `yaml:"fingerprint"`
	Reason      string `yaml:"reason"`
	// Expires is a date (YYYY-MM-DD); the entry suppresses through the end
	// of that day in UTC. Empty means it never expires.
	Expires string `yaml:"expires"`
	// until is Expires parsed: the first instant the entry no longer holds.
	until time.Time
}

var fingerprintRE = regexp.MustCompile(`^[0-9a-f]{8,64}$`)

// LoadIgnore reads and validates an ignore file. Unknown keys, a missing
// fingerprint or reason and a malformed date are errors, so a typo never
// silently stops suppressing (or starts suppressing) a finding.
func LoadIgnore(path string) (*IgnoreFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ignore file: %w", err)
	}
	var ig IgnoreFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&ig); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("ignore file %s: %w", path, err)
	}
	seen := map[string]bool{}
	for i := range ig.Entries {
		e := &ig.Entries[i]
		where := fmt.Sprintf("ignore file %s: entry %d", path, i+1)
		if !fingerprintRE.MatchString(e.Fingerprint) {
			return nil, fmt.Errorf("%s: fingerprint %q is not a lower-case hex fingerprint", where, e.Fingerprint)
		}
		if seen[e.Fingerprint] {
			return nil, fmt.Errorf("%s: fingerprint %s is listed twice", where, e.Fingerprint)
		}
		seen[e.Fingerprint] = true
		if e.Reason == "" {
			return nil, fmt.Errorf("%s (%s): a reason is required", where, e.Fingerprint)
		}
		if e.Expires != "" {
			d, err := time.Parse(time.DateOnly, e.Expires)
			if err != nil {
				return nil, fmt.Errorf("%s (%s): expires %q: want YYYY-MM-DD", where, e.Fingerprint, e.Expires)
			}
			e.until = d.AddDate(0, 0, 1)
		}
	}
	return &ig, nil
}

// ApplyIgnore marks the findings listed in ig as suppressed, with the
// entry's reason, and returns how many it suppressed (added to
// r.Stats.Suppressed). An entry past its expiry date suppresses nothing and,
// when its finding is present, adds a warning to the result, so that accepted risk is looked at again.
// now is injected so that the outcome is reproducible.
func ApplyIgnore(r *Result, ig *IgnoreFile, now time.Time) int {
	if ig == nil {
		return 0
	}
	present := map[string]bool{}
	for _, f := range r.Findings {
		present[fingerprintOf(f)] = true
	}
	active := map[string]IgnoreEntry{}
	for _, e := range ig.Entries {
		if !e.until.IsZero() && !now.Before(e.until) {
			// Only warn about entries that concern this result: one ignore
			// file serves several commands.
			if present[e.Fingerprint] {
				r.Warnings = append(r.Warnings, fmt.Sprintf(
					"ignore file: entry %s expired on %s (%s); the finding is reported again",
					e.Fingerprint, e.Expires, e.Reason))
			}
			continue
		}
		active[e.Fingerprint] = e
	}
	n := 0
	for i := range r.Findings {
		f := &r.Findings[i]
		e, ok := active[fingerprintOf(*f)]
		if !ok || f.Suppressed != "" {
			continue
		}
		f.Suppressed = ignorePrefix + e.Reason
		if e.Expires != "" {
			f.Suppressed += " (until " + e.Expires + ")"
		}
		n++
	}
	r.Stats.Suppressed += n
	return n
}
