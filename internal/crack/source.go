package crack

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Source is a stream of candidate secrets. Sources are used by one goroutine
// at a time; Crack fans their batches out to the workers.
type Source interface {
	// Next appends candidates to b until b is Full or the source runs out.
	// It returns io.EOF, having added nothing, once the source is exhausted.
	Next(b *Batch) error
	// Size is the number of candidates the source yields, or -1 if unknown.
	Size() int64
}

// Chain yields the candidates of each source in turn.
func Chain(srcs ...Source) Source { return &chain{srcs: srcs} }

type chain struct{ srcs []Source }

func (c *chain) Next(b *Batch) error {
	start := b.Len()
	for len(c.srcs) > 0 && !b.Full() {
		err := c.srcs[0].Next(b)
		if errors.Is(err, io.EOF) {
			c.srcs = c.srcs[1:]
			continue
		}
		if err != nil {
			return err
		}
	}
	if b.Len() == start {
		return io.EOF
	}
	return nil
}

func (c *chain) Size() int64 {
	var total int64
	for _, s := range c.srcs {
		n := s.Size()
		if n < 0 || total+n < total {
			return -1
		}
		total += n
	}
	return total
}

// maxLine bounds one wordlist line; longer lines are skipped (no HMAC secret
// worth guessing is that long, and a binary file must not exhaust memory).
const maxLine = 64 << 10

// Wordlist streams newline-separated candidates from r, never holding more
// than one buffer of it. Trailing "\r" is removed; empty lines are skipped.
func Wordlist(r io.Reader) Source {
	return &wordlist{r: bufio.NewReaderSize(r, maxLine)}
}

type wordlist struct {
	r    *bufio.Reader
	skip bool // inside an over-long line
	done bool
}

func (w *wordlist) Size() int64 { return -1 }

func (w *wordlist) Next(b *Batch) error {
	if w.done {
		return io.EOF
	}
	start := b.Len()
	for !b.Full() {
		line, err := w.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			w.skip = true
			continue
		}
		if w.skip {
			w.skip = false
		} else {
			line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
			if len(line) > 0 {
				b.Add(line)
			}
		}
		if errors.Is(err, io.EOF) {
			w.done = true
			break
		}
		if err != nil {
			return fmt.Errorf("read wordlist: %w", err)
		}
	}
	if b.Len() == start {
		return io.EOF
	}
	return nil
}
