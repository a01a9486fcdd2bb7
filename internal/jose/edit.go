package jose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// SetClaims returns payloadJSON with the members named in set given new
// values and those in del removed. Untouched members keep their order and
// exact bytes; a changed member keeps its place and only its value is
// rewritten; new members are appended in sorted order. Every occurrence of a
// duplicated name is changed, so no parser sees the old value.
func SetClaims(payloadJSON []byte, set map[string]any, del ...string) ([]byte, error) {
	out, err := editObject(payloadJSON, set, del)
	if err != nil {
		return nil, fmt.Errorf("set claims: %w", err)
	}
	return out, nil
}

// SetHeader is SetClaims for a JOSE header.
func SetHeader(headerJSON []byte, set map[string]any, del ...string) ([]byte, error) {
	out, err := editObject(headerJSON, set, del)
	if err != nil {
		return nil, fmt.Errorf("set header: %w", err)
	}
	return out, nil
}

// member is one name/value pair of an object, as byte offsets into it.
type member struct {
	name                 string
	start, valStart, end int // start of the name, start and end of the value
}

func editObject(obj []byte, set map[string]any, del []string) ([]byte, error) {
	if !json.Valid(obj) {
		return nil, fmt.Errorf("not valid JSON")
	}
	open, members, _, err := scanObject(obj)
	if err != nil {
		return nil, err
	}
	values := make(map[string][]byte, len(set))
	for k, v := range set {
		b, err := marshal(v)
		if err != nil {
			return nil, fmt.Errorf("value of %q: %w", k, err)
		}
		values[k] = b
	}
	drop := make(map[string]bool, len(del))
	for _, k := range del {
		drop[k] = true
	}
	seen := map[string]bool{}
	var buf bytes.Buffer
	buf.Write(obj[:open+1])
	inner := open + 1 // where the text between the braces starts
	if len(members) > 0 {
		buf.Write(obj[inner:members[0].start])
	}
	wrote := false
	for i, m := range members {
		seen[m.name] = true
		v, ok := values[m.name]
		if drop[m.name] && !ok {
			continue
		}
		if wrote {
			// Keep the original separator (comma and spacing) before m.
			sep := obj[members[i-1].end:m.start]
			if !bytes.Contains(sep, []byte(",")) {
				sep = []byte(",")
			}
			buf.Write(sep)
		}
		wrote = true
		if ok {
			buf.Write(obj[m.start:m.valStart])
			buf.Write(v)
		} else {
			buf.Write(obj[m.start:m.end])
		}
	}
	var added []string
	for k := range values {
		if !seen[k] {
			added = append(added, k)
		}
	}
	sort.Strings(added)
	for _, k := range added {
		name, err := marshal(k)
		if err != nil {
			return nil, err
		}
		if wrote {
			buf.WriteByte(',')
		}
		wrote = true
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(values[k])
	}
	if len(members) > 0 {
		buf.Write(obj[members[len(members)-1].end:])
	} else {
		buf.Write(obj[inner:])
	}
	return buf.Bytes(), nil
}

// marshal encodes v as compact JSON without HTML escaping.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// scanObject locates the members of a valid JSON object: the offsets of its
// opening and closing braces and each member's name and value span.
func scanObject(b []byte) (open int, members []member, closing int, err error) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0, nil, 0, fmt.Errorf("not a JSON object")
	}
	open = i
	i = skipWS(b, i+1)
	if b[i] == '}' {
		return open, nil, i, nil
	}
	for {
		m := member{start: i}
		nameEnd := skipString(b, i)
		if err := json.Unmarshal(b[i:nameEnd], &m.name); err != nil {
			return 0, nil, 0, fmt.Errorf("member name at %d: %w", i, err)
		}
		i = skipWS(b, nameEnd)
		i = skipWS(b, i+1) // the ':'
		m.valStart = i
		m.end = skipValue(b, i)
		members = append(members, m)
		i = skipWS(b, m.end)
		if b[i] == '}' {
			return open, members, i, nil
		}
		i = skipWS(b, i+1) // the ','
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset just past the string starting at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the offset just past the value starting at b[i]; b is
// known to be valid JSON.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	default:
		for i < len(b) && !bytes.ContainsRune([]byte(",}] \t\r\n"), rune(b[i])) {
			i++
		}
		return i
	}
}
