package crack

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// drain collects every candidate of src (for small sources only).
func drain(t testing.TB, src Source) []string {
	t.Helper()
	var out []string
	b := NewBatch()
	for {
		b.Reset()
		err := src.Next(b)
		if errors.Is(err, io.EOF) {
			if b.Len() != 0 {
				t.Fatalf("io.EOF with %d candidates added", b.Len())
			}
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if b.Len() == 0 {
			t.Fatal("Next returned nil having added nothing")
		}
		for i := 0; i < b.Len(); i++ {
			out = append(out, string(b.At(i)))
		}
	}
}

func TestMaskEnumeration(t *testing.T) {
	cases := []struct {
		spec  string
		opts  MaskOptions
		count int
		first []string
		last  string
	}{
		{"?d?d", MaskOptions{}, 100, []string{"00", "01"}, "99"},
		{"a?l", MaskOptions{}, 26, []string{"aa", "ab"}, "az"},
		{"??x", MaskOptions{}, 1, []string{"?x"}, "?x"},
		{"?1?2", MaskOptions{Custom: [4]string{"ab", "?dX"}}, 22, []string{"a0", "a1"}, "bX"},
		{"?1", MaskOptions{Custom: [4]string{"aab?h"}}, 16, []string{"a", "b", "0"}, "f"},
		{"?d?d?d", MaskOptions{Increment: true}, 1110, []string{"0", "1"}, "999"},
		{"?d?d?d", MaskOptions{Increment: true, IncrementMin: 3}, 1000, []string{"000"}, "999"},
		{"?h?H", MaskOptions{}, 256, []string{"00"}, "fF"},
		{"?s", MaskOptions{}, 33, []string{" ", "!"}, "~"},
		{"?a", MaskOptions{}, 95, []string{"a"}, "~"},
		{"?b", MaskOptions{}, 256, []string{"\x00"}, "\xff"},
	}
	for _, c := range cases {
		src, err := Mask(c.spec, c.opts)
		if err != nil {
			t.Fatalf("%q: %v", c.spec, err)
		}
		if src.Size() != int64(c.count) {
			t.Errorf("%q: Size %d, want %d", c.spec, src.Size(), c.count)
		}
		got := drain(t, src)
		if len(got) != c.count {
			t.Fatalf("%q: %d candidates, want %d", c.spec, len(got), c.count)
		}
		for i, f := range c.first {
			if got[i] != f {
				t.Errorf("%q: candidate %d = %q, want %q", c.spec, i, got[i], f)
			}
		}
		if got[len(got)-1] != c.last {
			t.Errorf("%q: last %q, want %q", c.spec, got[len(got)-1], c.last)
		}
		seen := map[string]bool{}
		for _, g := range got {
			if seen[g] {
				t.Fatalf("%q: %q twice", c.spec, g)
			}
			seen[g] = true
		}
	}
}

func TestMaskErrors(t *testing.T) {
	bad := []struct {
		spec string
		opts MaskOptions
		want string
	}{
		{"", MaskOptions{}, "empty"},
		{"abc?", MaskOptions{}, "lone"},
		{"?x", MaskOptions{}, "unknown charset"},
		{"?1", MaskOptions{}, "not defined"},
		{"?2", MaskOptions{Custom: [4]string{"", "a?"}}, "lone"},
		{"?3", MaskOptions{Custom: [4]string{"", "", "?z"}}, "unknown class"},
		{"?d", MaskOptions{Increment: true, IncrementMin: 2}, "longer than the mask"},
		{strings.Repeat("?d", maxMaskLen+1), MaskOptions{}, "positions"},
	}
	for _, c := range bad {
		_, err := Mask(c.spec, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to mention %q", c.spec, err, c.want)
		}
	}
}

func TestMaskSizeOverflow(t *testing.T) {
	src, err := Mask(strings.Repeat("?b", 20), MaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := src.Size(); n != -1 {
		t.Fatalf("Size %d, want -1 for 256^20", n)
	}
	b := NewBatch()
	if err := src.Next(b); err != nil || !b.Full() {
		t.Fatalf("Next: %v, full=%v", err, b.Full())
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"?l?u?d", "??", "?1?2abc", "?", "?a?s?h?H?b", "x?3?4"} {
		f.Add(s, "?l?d", "ab?", true)
	}
	f.Fuzz(func(t *testing.T, spec, c1, c2 string, inc bool) {
		opts := MaskOptions{Custom: [4]string{c1, c2, "xyz", "?d"}, Increment: inc}
		pos, err := parseMask(spec, opts)
		src, err2 := Mask(spec, opts)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("parseMask and Mask disagree: %v vs %v", err, err2)
		}
		if err != nil {
			return
		}
		if src.Size() == 0 || src.Size() < -1 {
			t.Fatalf("Size %d", src.Size())
		}
		b := NewBatch()
		if err := src.Next(b); err != nil {
			t.Fatalf("Next: %v", err)
		}
		for i := 0; i < b.Len(); i++ {
			c := b.At(i)
			if len(c) == 0 || len(c) > len(pos) || (!inc && len(c) != len(pos)) {
				t.Fatalf("candidate %q has wrong length for %d positions", c, len(pos))
			}
			for j := range c {
				if !bytes.Contains(pos[j], c[j:j+1]) {
					t.Fatalf("candidate %q: byte %d not in its charset", c, j)
				}
			}
		}
	})
}
