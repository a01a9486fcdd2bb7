package crack

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

type katVector struct {
	Alg, Secret, Source, Token, Cookie string
	Compressed                         bool
}

func loadVectors(t testing.TB, name string) []katVector {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Vectors []katVector }
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(doc.Vectors) == 0 {
		t.Fatalf("%s: no vectors", name)
	}
	return doc.Vectors
}

// sourceFor builds the candidate source a vector says should recover it.
func sourceFor(t *testing.T, kind string) Source {
	t.Helper()
	words := func() Source {
		f, err := os.Open(filepath.Join("testdata", "words.txt"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return Wordlist(f)
	}
	switch kind {
	case "builtin":
		return Builtin()
	case "wordlist":
		return words()
	case "rules":
		return WithRules(words())
	case "mask":
		src, err := Mask("?l?l?d", MaskOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return src
	case "none":
		return Chain(Builtin(), words(), WithRules(words()))
	}
	t.Fatalf("unknown source %q", kind)
	return nil
}

func checkKAT(t *testing.T, target *Target, v katVector, portable bool) {
	t.Helper()
	res, err := Crack(context.Background(), target, sourceFor(t, v.Source), Options{Workers: 2, portable: portable})
	if err != nil {
		t.Fatalf("Crack: %v", err)
	}
	if v.Source == "none" {
		if res.Found {
			t.Fatalf("found %q for a secret on no list", res.Secret)
		}
		if res.Tried == 0 {
			t.Fatal("tried nothing")
		}
		return
	}
	if !res.Found || string(res.Secret) != v.Secret {
		t.Fatalf("found=%v secret %q, want %q (tried %d)", res.Found, res.Secret, v.Secret, res.Tried)
	}
	if res.Known != (v.Source == "builtin") {
		t.Errorf("Known = %v for a %s secret", res.Known, v.Source)
	}
}

func TestKnownAnswerJWT(t *testing.T) {
	for _, v := range loadVectors(t, "jwt_vectors.json") {
		target, err := ParseJWT(v.Token)
		if err != nil {
			t.Fatalf("%s %q: %v", v.Alg, v.Secret, err)
		}
		if target.Kind().String() != v.Alg {
			t.Fatalf("kind %v, want %s", target.Kind(), v.Alg)
		}
		if !target.Verify([]byte(v.Secret)) {
			t.Fatalf("%s: reference MAC rejects PyJWT's secret %q", v.Alg, v.Secret)
		}
		for _, portable := range []bool{false, true} {
			t.Run(v.Alg+"/"+v.Source, func(t *testing.T) { checkKAT(t, target, v, portable) })
		}
	}
}

func TestKnownAnswerFlask(t *testing.T) {
	var compressed, plain int
	for _, v := range loadVectors(t, "flask_vectors.json") {
		target, err := ParseFlaskSession(v.Cookie)
		if err != nil {
			t.Fatalf("%q: %v", v.Cookie, err)
		}
		if !target.Verify([]byte(v.Secret)) {
			t.Fatalf("reference MAC rejects Flask's SECRET_KEY %q", v.Secret)
		}
		if v.Compressed {
			compressed++
		} else {
			plain++
		}
		for _, portable := range []bool{false, true} {
			t.Run(v.Source, func(t *testing.T) { checkKAT(t, target, v, portable) })
		}
	}
	if compressed == 0 || plain == 0 {
		t.Fatalf("want compressed and plain cookies, have %d and %d", compressed, plain)
	}
}
