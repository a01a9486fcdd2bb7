package report

import (
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
)

// A finding stands for one root cause; its instances are every place the
// cause was seen. Writers show the finding once and list those places.

// placesOf renders where a finding was seen: "GET /path", "GET /path as
// alice" when identities differ, "identity bob" for a token.
func placesOf(f finding.Finding) []string {
	ids := map[string]bool{}
	for _, in := range f.Instances {
		if in.Endpoint != nil && in.Identity != "" {
			ids[in.Identity] = true
		}
	}
	var out []string
	for _, in := range f.Places() {
		var s string
		switch {
		case in.Endpoint != nil:
			s = in.Endpoint.String()
			if len(ids) > 1 && in.Identity != "" {
				s += " as " + in.Identity
			}
		case in.Identity != "":
			s = "identity " + in.Identity
		case in.Location != nil:
			s = in.Location.String()
		default:
			continue
		}
		if in.Location != nil && in.Endpoint != nil {
			s += " (" + in.Location.String() + ")"
		}
		if !in.Confirmed {
			s += " (inferred)"
		}
		out = append(out, oneLine(s))
	}
	return out
}

// affected summarises a finding's places in one line, at most max named:
// empty when the finding was seen in one place only.
func affected(f finding.Finding, max int) string {
	ps := placesOf(f)
	if len(ps) < 2 {
		return ""
	}
	shown := ps
	if max > 0 && len(ps) > max {
		shown = ps[:max]
	}
	s := fmt.Sprintf("%d places: %s", len(ps), strings.Join(shown, ", "))
	if len(shown) < len(ps) {
		s += fmt.Sprintf(" and %d more", len(ps)-len(shown))
	}
	return s
}
