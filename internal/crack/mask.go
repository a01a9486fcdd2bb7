package crack

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
)

// MaskOptions configure Mask.
type MaskOptions struct {
	// Custom holds the custom charsets ?1..?4 (hashcat's -1..-4). A charset
	// may itself use the built-in classes, e.g. "?l?d_".
	Custom [4]string
	// Increment tries every length from IncrementMin (default 1) up to the
	// mask's full length, shortest first.
	Increment    bool
	IncrementMin int
}

// maxMaskLen bounds a mask's positions (hashcat allows 256 bytes of secret).
const maxMaskLen = 256

// Built-in charsets of hashcat.
const (
	charsLower   = "abcdefghijklmnopqrstuvwxyz"
	charsUpper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	charsDigit   = "0123456789"
	charsSpecial = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
	charsHexLow  = "0123456789abcdef"
	charsHexUp   = "0123456789ABCDEF"
)

func builtinCharset(c byte) (string, bool) {
	switch c {
	case 'l':
		return charsLower, true
	case 'u':
		return charsUpper, true
	case 'd':
		return charsDigit, true
	case 's':
		return charsSpecial, true
	case 'a':
		return charsLower + charsUpper + charsDigit + charsSpecial, true
	case 'h':
		return charsHexLow, true
	case 'H':
		return charsHexUp, true
	case 'b':
		all := make([]byte, 256)
		for i := range all {
			all[i] = byte(i)
		}
		return string(all), true
	}
	return "", false
}

// expandCharset turns a custom charset definition into its distinct bytes.
func expandCharset(def string) ([]byte, error) {
	var out []byte
	var seen [256]bool
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			if !seen[s[i]] {
				seen[s[i]] = true
				out = append(out, s[i])
			}
		}
	}
	for i := 0; i < len(def); i++ {
		if def[i] != '?' {
			add(def[i : i+1])
			continue
		}
		if i+1 == len(def) {
			return nil, errors.New("charset ends with a lone '?'")
		}
		i++
		if def[i] == '?' {
			add("?")
			continue
		}
		cs, ok := builtinCharset(def[i])
		if !ok {
			return nil, fmt.Errorf("charset uses unknown class ?%c", def[i])
		}
		add(cs)
	}
	return out, nil
}

// parseMask returns the charset of each position of spec.
func parseMask(spec string, opts MaskOptions) ([][]byte, error) {
	var custom [4][]byte
	var positions [][]byte
	for i := 0; i < len(spec); i++ {
		if len(positions) >= maxMaskLen {
			return nil, fmt.Errorf("mask: more than %d positions", maxMaskLen)
		}
		c := spec[i]
		if c != '?' {
			positions = append(positions, []byte{c})
			continue
		}
		if i+1 == len(spec) {
			return nil, errors.New("mask: ends with a lone '?'")
		}
		i++
		c = spec[i]
		switch {
		case c == '?':
			positions = append(positions, []byte{'?'})
		case c >= '1' && c <= '4':
			n := c - '1'
			if opts.Custom[n] == "" {
				return nil, fmt.Errorf("mask: ?%c used but custom charset -%c is not defined", c, c)
			}
			if custom[n] == nil {
				cs, err := expandCharset(opts.Custom[n])
				if err != nil {
					return nil, fmt.Errorf("mask: custom charset -%c: %w", c, err)
				}
				custom[n] = cs
			}
			positions = append(positions, custom[n])
		default:
			cs, ok := builtinCharset(c)
			if !ok {
				return nil, fmt.Errorf("mask: unknown charset ?%c", c)
			}
			positions = append(positions, []byte(cs))
		}
	}
	if len(positions) == 0 {
		return nil, errors.New("mask: empty")
	}
	return positions, nil
}

// Mask yields every string matching a hashcat-style mask: ?l ?u ?d ?s ?a ?h
// ?H ?b, custom charsets ?1..?4, "??" for a literal '?', any other byte
// literally. The last position varies fastest.
func Mask(spec string, opts MaskOptions) (Source, error) {
	pos, err := parseMask(spec, opts)
	if err != nil {
		return nil, err
	}
	minLen := len(pos)
	if opts.Increment {
		minLen = max(opts.IncrementMin, 1)
		if minLen > len(pos) {
			return nil, fmt.Errorf("mask: increment minimum %d is longer than the mask (%d)", minLen, len(pos))
		}
	}
	m := &maskSource{pos: pos, minLen: minLen, idx: make([]int, len(pos)), cur: make([]byte, len(pos))}
	m.start(minLen)
	return m, nil
}

type maskSource struct {
	pos    [][]byte
	minLen int
	n      int // current length
	idx    []int
	cur    []byte
	done   bool
}

func (m *maskSource) start(n int) {
	m.n = n
	for i := 0; i < n; i++ {
		m.idx[i] = 0
		m.cur[i] = m.pos[i][0]
	}
}

// Size is the keyspace over all lengths, or -1 when it overflows int64.
func (m *maskSource) Size() int64 {
	var total uint64
	for n := m.minLen; n <= len(m.pos); n++ {
		prod := uint64(1)
		for _, cs := range m.pos[:n] {
			hi, lo := bits.Mul64(prod, uint64(len(cs)))
			if hi != 0 {
				return -1
			}
			prod = lo
		}
		total += prod
		if total > math.MaxInt64 || total < prod {
			return -1
		}
	}
	return int64(total)
}

func (m *maskSource) Next(b *Batch) error {
	if m.done {
		return io.EOF
	}
	start := b.Len()
	for !b.Full() {
		b.Add(m.cur[:m.n])
		if !m.advance() {
			m.done = true
			break
		}
	}
	if b.Len() == start {
		return io.EOF
	}
	return nil
}

// advance steps the odometer; false when every length is exhausted.
func (m *maskSource) advance() bool {
	for i := m.n - 1; i >= 0; i-- {
		cs := m.pos[i]
		m.idx[i]++
		if m.idx[i] < len(cs) {
			m.cur[i] = cs[m.idx[i]]
			return true
		}
		m.idx[i] = 0
		m.cur[i] = cs[0]
	}
	if m.n < len(m.pos) {
		m.start(m.n + 1)
		return true
	}
	return false
}
