package crack

import (
	"bytes"
	"errors"
	"io"
	"strconv"
)

// WithRules expands every candidate of src with the mutations people apply to
// a "real" password: case variants (lower, upper, capitalised), leetspeak,
// and appended digits, years and symbols; about a thousand guesses per word.
func WithRules(src Source) Source {
	return &rules{src: src, in: NewBatch(), suffixes: ruleSuffixes()}
}

// ruleSuffixes: nothing, 0-9, 00-99, the years 1970-2030, common symbol tails.
func ruleSuffixes() [][]byte {
	out := [][]byte{nil}
	for i := 0; i < 10; i++ {
		out = append(out, []byte(strconv.Itoa(i)))
	}
	for i := 0; i < 100; i++ {
		out = append(out, []byte{byte('0' + i/10), byte('0' + i%10)})
	}
	for y := 1970; y <= 2030; y++ {
		out = append(out, []byte(strconv.Itoa(y)))
	}
	for _, s := range []string{"!", "@", "#", "$", "%", "*", "?", ".", "_", "-", "!!", "!@#", "123", "1234", "12345", "123!", "1!"} {
		out = append(out, []byte(s))
	}
	return out
}

const ruleVariants = 6

type rules struct {
	src      Source
	in       *Batch
	inPos    int
	srcDone  bool
	suffixes [][]byte

	vars    [ruleVariants][]byte
	nvar    int
	vi, si  int
	scratch []byte
	active  bool
}

// Size is the source's size times the guesses per word (an upper bound: case
// variants that equal the word itself are skipped).
func (r *rules) Size() int64 {
	n := r.src.Size()
	per := int64(ruleVariants * len(r.suffixes))
	if n < 0 || n > (1<<62)/per {
		return -1
	}
	return n * per
}

func (r *rules) Next(b *Batch) error {
	start := b.Len()
	for !b.Full() {
		if !r.active {
			ok, err := r.nextWord()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
		}
		r.scratch = append(append(r.scratch[:0], r.vars[r.vi]...), r.suffixes[r.si]...)
		b.Add(r.scratch)
		r.si++
		if r.si == len(r.suffixes) {
			r.si = 0
			r.vi++
			if r.vi == r.nvar {
				r.active = false
			}
		}
	}
	if b.Len() == start {
		return io.EOF
	}
	return nil
}

// nextWord loads the next base word's variants; false when the source is done.
func (r *rules) nextWord() (bool, error) {
	for r.inPos >= r.in.Len() {
		if r.srcDone {
			return false, nil
		}
		r.in.Reset()
		r.inPos = 0
		if err := r.src.Next(r.in); err != nil {
			if errors.Is(err, io.EOF) {
				r.srcDone = true
				continue
			}
			return false, err
		}
	}
	w := r.in.At(r.inPos)
	r.inPos++
	r.nvar = 0
	add := func(f func(dst, w []byte) []byte, from []byte) {
		v := f(r.vars[r.nvar][:0], from)
		for i := 0; i < r.nvar; i++ {
			if bytes.Equal(r.vars[i], v) {
				r.vars[r.nvar] = v
				return
			}
		}
		r.vars[r.nvar] = v
		r.nvar++
	}
	add(appendSame, w)
	add(appendLower, w)
	add(appendUpper, w)
	add(appendCapital, w)
	add(appendLeet, w)
	add(appendLeet, appendCapital(r.scratch[:0], w))
	r.vi, r.si, r.active = 0, 0, true
	return true, nil
}

func appendSame(dst, w []byte) []byte { return append(dst, w...) }

func appendLower(dst, w []byte) []byte {
	for _, c := range w {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func appendUpper(dst, w []byte) []byte {
	for _, c := range w {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func appendCapital(dst, w []byte) []byte {
	n := len(dst)
	dst = appendLower(dst, w)
	if len(dst) > n && dst[n] >= 'a' && dst[n] <= 'z' {
		dst[n] -= 'a' - 'A'
	}
	return dst
}

func appendLeet(dst, w []byte) []byte {
	for _, c := range w {
		switch c {
		case 'a', 'A':
			c = '4'
		case 'e', 'E':
			c = '3'
		case 'i', 'I':
			c = '1'
		case 'o', 'O':
			c = '0'
		case 's', 'S':
			c = '5'
		case 't', 'T':
			c = '7'
		}
		dst = append(dst, c)
	}
	return dst
}
