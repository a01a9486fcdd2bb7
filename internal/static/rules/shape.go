package rules

// What a secret looks like: generated, not a name, a placeholder or an
// address (the shape half of the hardcoded-secret rules).

import (
	"math"
	"net"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// placeholders are words that mark a value as a stand-in, not a secret.
var placeholders = []string{"xxx", "changeme", "change_me", "change-me", "changethis", "your", "example", "placeholder",
	"censored", "redacted", "dummy", "todo", "fixme", "****", "...", "replace", "insert", "fake", "sample"}

// redacted: a marker that stands where a secret was taken out
// (__CENSORED__, <your key>, ${SECRET}, ***, xxx): no value at all.
func redacted(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(l, "__") && strings.HasSuffix(l, "__") || strings.HasPrefix(l, "<") || strings.HasPrefix(l, "${") || strings.HasPrefix(l, "{{") {
		return true
	}
	if strings.Trim(l, "x*.") == "" {
		return true
	}
	return strings.Contains(l, "censored") || strings.Contains(l, "redacted")
}

func placeholder(s string) bool {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "__") && strings.HasSuffix(l, "__") || strings.HasPrefix(l, "<") || strings.HasPrefix(l, "${") || strings.HasPrefix(l, "{{") {
		return true
	}
	for _, w := range placeholders {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	e := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		e -= p * math.Log2(p)
	}
	return e
}

// classChanges counts switches between lower case, upper case and digits:
// generated strings switch often, words and identifiers seldom.
func classChanges(s string) int {
	class := func(r rune) int {
		switch {
		case r >= 'a' && r <= 'z':
			return 1
		case r >= 'A' && r <= 'Z':
			return 2
		case r >= '0' && r <= '9':
			return 3
		}
		return 0
	}
	out, last := 0, -1
	for _, r := range s {
		c := class(r)
		if c == 0 {
			continue
		}
		if last != -1 && c != last {
			out++
		}
		last = c
	}
	return out
}

// secretShaped reports a literal that looks generated: long enough, high
// entropy, mixing character classes, no spaces or regular-expression
// syntax, not a placeholder and not equal to a name used in the project
// (a config key, a variable, an environment variable).
func (ps *Pass) secretShaped(s string) bool {
	if keyShaped.MatchString(s) && !strings.Contains(strings.ToUpper(s), "EXAMPLE") {
		return true
	}
	if len(s) < 12 || strings.ContainsAny(s, " \t\n[](){}\\|^$?*,;<>'\"") || placeholder(s) {
		return false
	}
	if identifierShaped(s) || uuidShaped.MatchString(s) || netAddress(s) || entropy(s) < 3.0 || classChanges(s) < 3 {
		return false
	}
	// Last, as it walks the whole project once: a name is not a value.
	return !ps.projectNames()[strings.ToLower(s)]
}

// identifierShaped: words joined by - _ . / : (Content-Type, X-Api-Key,
// legacy_api_key_v1, v1Compatibility, Qwen/Qwen3-Embedding-8B): a name,
// not a generated value.
func identifierShaped(s string) bool {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("-_./:@+", r) }) {
		if !wordPart.MatchString(part) {
			return false
		}
	}
	return true
}

var (
	wordPart   = regexp.MustCompile(`^(?:[A-Za-z][a-z]*[A-Z]?[a-z]*)+[0-9]{0,4}[A-Za-z]{0,2}$|^[0-9]{1,4}[A-Za-z]{0,2}$|^[a-z]+[0-9][A-Za-z]+$`)
	uuidShaped = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// projectNames are the identifiers, config keys and environment variable
// names of the project, lower-cased: a literal equal to one is a name.
func (ps *Pass) projectNames() map[string]bool {
	if ps.names != nil {
		return ps.names
	}
	ps.names = map[string]bool{}
	for _, m := range ps.Project.Modules {
		m.File.Root.Walk(func(n *python.Node) bool {
			if n.Kind == "identifier" {
				ps.names[strings.ToLower(n.Text())] = true
			}
			return true
		})
	}
	for k := range ps.Project.Config {
		ps.names[strings.ToLower(k)] = true
	}
	for _, c := range ps.Calls {
		if strings.HasSuffix(c.Q, "environ.get") || strings.HasSuffix(c.Q, "getenv") {
			if s, ok := c.Arg(0, "key").StringValue(); ok {
				ps.names[strings.ToLower(s)] = true
			}
		}
	}
	return ps.names
}

// netAddress: an IP address or network (2a01:4f8::/64, 10.0.0.0/8).
func netAddress(s string) bool {
	if net.ParseIP(s) != nil {
		return true
	}
	_, _, err := net.ParseCIDR(s)
	return err == nil
}
