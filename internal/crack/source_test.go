package crack

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

func TestWordlistStreaming(t *testing.T) {
	long := strings.Repeat("x", maxLine+10)
	in := "one\r\ntwo\n\n" + long + "\nthree\nlast-no-newline"
	// OneByteReader proves nothing depends on reads returning whole lines.
	got := drain(t, Wordlist(iotest.OneByteReader(strings.NewReader(in))))
	want := []string{"one", "two", "three", "last-no-newline"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestWordlistManyBatches(t *testing.T) {
	var sb strings.Builder
	n := 3*batchCount + 17
	for i := 0; i < n; i++ {
		sb.WriteString("w")
		sb.WriteString(strings.Repeat("a", i%7))
		sb.WriteString("\n")
	}
	if got := drain(t, Wordlist(strings.NewReader(sb.String()))); len(got) != n {
		t.Fatalf("%d words, want %d", len(got), n)
	}
}

func TestWordlistReadError(t *testing.T) {
	boom := errors.New("boom")
	src := Wordlist(iotest.ErrReader(boom))
	err := src.Next(NewBatch())
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want it to wrap boom", err)
	}
}

func TestChainOrderAndSize(t *testing.T) {
	a := &listSource{words: []string{"a1", "a2"}}
	b := Wordlist(strings.NewReader("b1\nb2\n"))
	c := &listSource{words: []string{"c1"}}
	if n := Chain(a, c).Size(); n != 3 {
		t.Fatalf("Size %d, want 3", n)
	}
	if n := Chain(a, b).Size(); n != -1 {
		t.Fatalf("Size %d, want -1 with a wordlist", n)
	}
	got := drain(t, Chain(a, b, c))
	if want := []string{"a1", "a2", "b1", "b2", "c1"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestBuiltinList(t *testing.T) {
	words := builtinWords()
	if len(words) < 300 {
		t.Fatalf("built-in list has %d entries, want a few hundred", len(words))
	}
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w] {
			t.Errorf("duplicate %q", w)
		}
		seen[w] = true
		if strings.TrimSpace(w) != w {
			t.Errorf("%q has surrounding space", w)
		}
	}
	for _, w := range []string{"", "your-256-bit-secret", "secret", "changeme", "super-secret",
		"secret-key", "jwt-secret", "supersecretkey", "dev", "super secret key"} {
		if !seen[w] {
			t.Errorf("built-in list lacks %q", w)
		}
	}
	if got := drain(t, Builtin()); len(got) != len(words) || int64(len(got)) != Builtin().Size() {
		t.Fatalf("Builtin yields %d, list has %d", len(got), len(words))
	}
	if !IsBuiltin([]byte("changeme")) || IsBuiltin([]byte("Summer2019!")) {
		t.Fatal("IsBuiltin is wrong")
	}
}

func TestRules(t *testing.T) {
	got := drain(t, WithRules(&listSource{words: []string{"dragon", "42"}}))
	set := map[string]bool{}
	for _, g := range got {
		if set[g] {
			t.Fatalf("%q generated twice", g)
		}
		set[g] = true
	}
	for _, w := range []string{"dragon", "Dragon", "DRAGON", "dr4g0n", "Dr4g0n2024", "dragon1",
		"dragon07", "Dragon1999", "DRAGON!", "dragon123", "42", "422030"} {
		if !set[w] {
			t.Errorf("rules did not produce %q", w)
		}
	}
	per := len(ruleSuffixes())
	// "42" has one case variant; "dragon" has five (same, upper, capital,
	// leet, capital-leet; lower equals the word).
	if want := 6 * per; len(got) != want {
		t.Fatalf("%d guesses, want %d", len(got), want)
	}
	if s := WithRules(&listSource{words: []string{"x"}}).Size(); s != int64(ruleVariants*per) {
		t.Fatalf("Size %d", s)
	}
}
