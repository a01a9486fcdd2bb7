package httpx

import (
	"strings"
)

// String hides every registered secret and derivation in s.
func (r *Redactor) String(s string) string {
	if r == nil || r.Show || s == "" {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if len(r.forms) == 0 {
		return s
	}
	low := lowerASCII(s)
	hidden := make([]bool, len(s))
	found := false
	var inside func(i, j int) bool // computed at the first match only
	for _, f := range r.forms {
		if r.public[f] {
			continue
		}
		// Any run of at least MinPrefix bytes of the secret (a prefix the
		// server accepted, a variant with its first byte changed) is
		// hidden; a JWT only whole, never by its (public) header.
		minLen := min(MinPrefix, len(f))
		starts := len(f) - minLen
		if strings.HasPrefix(f, "eyj") && strings.Count(f, ".") == 2 {
			minLen, starts = len(f), 0
		}
		for k := 0; k <= starts; k++ {
			frag := f[k:]
			for from := 0; from+minLen <= len(low); {
				i := strings.Index(low[from:], frag[:minLen])
				if i < 0 {
					break
				}
				i += from
				n := minLen
				for n < len(frag) && i+n < len(low) && low[i+n] == frag[n] {
					n++
				}
				if inside == nil {
					inside = r.publicSpans(low)
				}
				if inside(i, i+n) {
					// Part of a longer public word (the secret "test"
					// inside the identity name "tester"): not the secret.
					from = i + n
					continue
				}
				for j := i; j < i+n; j++ {
					hidden[j] = true
				}
				found = true
				from = i + n
			}
		}
	}
	if !found {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !hidden[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && hidden[j] {
			j++
		}
		b.WriteString(Mask(s[i:j]))
		i = j
	}
	return b.String()
}

// publicSpans returns a test for whether [i, j) of low lies inside an
// occurrence of a public word or place name longer than the span itself.
func (r *Redactor) publicSpans(low string) func(i, j int) bool {
	var spans [][2]int
	for w := range r.public {
		spans = appendSpans(spans, low, w)
	}
	for w := range r.places {
		spans = appendSpans(spans, low, w)
	}
	return func(i, j int) bool {
		for _, sp := range spans {
			if sp[0] <= i && j <= sp[1] && sp[1]-sp[0] > j-i {
				return true
			}
		}
		return false
	}
}

// appendSpans adds every occurrence of the word w in low.
func appendSpans(spans [][2]int, low, w string) [][2]int {
	if len(w) < 4 {
		return spans
	}
	for from := 0; ; {
		k := strings.Index(low[from:], w)
		if k < 0 {
			return spans
		}
		spans = append(spans, [2]int{from + k, from + k + len(w)})
		from += k + 1
	}
}

// lowerASCII lower-cases ASCII letters only, so byte offsets are kept.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
