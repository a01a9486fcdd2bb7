package crack

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/testref"
)

// signHS256 makes a token with crypto/hmac, independent of the cracker.
func signHS256(t testing.TB, secret string) string {
	t.Helper()
	msg := seg(`{"alg":"HS256","typ":"JWT"}`) + "." + seg(`{"sub":"bench","iat":1700000000,"name":"a typical token with a few claims","role":"user","exp":4102444800}`)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return msg + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func mustJWT(t testing.TB, tok string) *Target {
	t.Helper()
	target, err := ParseJWT(tok)
	if err != nil {
		t.Fatal(err)
	}
	return target
}

func TestCrackCancelledByContext(t *testing.T) {
	target := mustJWT(t, signHS256(t, "not-in-this-keyspace!"))
	src, err := Mask("?a?a?a?a?a?a?a?a", MaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan struct{})
	var res Result
	go func() {
		defer close(done)
		res, err = Crack(ctx, target, src, Options{
			ProgressEvery: 50 * time.Millisecond,
			Progress: func(p Progress) {
				if p.Total <= 0 || p.ETA <= 0 {
					t.Errorf("progress without total or ETA: %+v", p)
				}
				calls.Add(1)
			},
		})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Crack ignored the cancelled context")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want DeadlineExceeded", err)
	}
	if res.Found || res.Tried == 0 || res.Rate <= 0 {
		t.Fatalf("partial result %+v", res)
	}
	if calls.Load() == 0 {
		t.Fatal("Progress was never called")
	}
}

func TestCrackExhaustedIsNotAnError(t *testing.T) {
	target := mustJWT(t, signHS256(t, "zzzz9"))
	src, err := Mask("?l?d?d", MaskOptions{Increment: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Crack(context.Background(), target, src, Options{Workers: 3})
	if err != nil || res.Found {
		t.Fatalf("res %+v err %v", res, err)
	}
	if want := uint64(26 + 260 + 2600); res.Tried != want {
		t.Fatalf("tried %d, want the whole keyspace %d", res.Tried, want)
	}
}

func TestCrackLastCandidateOfMask(t *testing.T) {
	target := mustJWT(t, signHS256(t, "zz99"))
	src, err := Mask("?l?l?d?d", MaskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Crack(context.Background(), target, src, Options{Workers: 1})
	if err != nil || !res.Found || string(res.Secret) != "zz99" || res.Known {
		t.Fatalf("res %+v err %v", res, err)
	}
	if res.Tried != 26*26*100 {
		t.Fatalf("tried %d, want %d", res.Tried, 26*26*100)
	}
}

// sharedWordlist is wallarm/jwt-secrets' wordlist (internal/testref).
func sharedWordlist(t testing.TB) string {
	t.Helper()
	return testref.Path(t, testref.JWTSecrets)
}

func TestCrackSharedWordlist(t *testing.T) {
	path := sharedWordlist(t)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var last string
	lines := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() != "" {
			last = sc.Text()
			lines++
		}
	}
	if lines < 100000 {
		t.Fatalf("%s has %d lines, want the 104k-line list", path, lines)
	}
	target := mustJWT(t, signHS256(t, last))
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	res, err := Crack(context.Background(), target, Wordlist(f), Options{})
	if err != nil || !res.Found || string(res.Secret) != last {
		t.Fatalf("res %+v err %v, want %q", res, err, last)
	}
	if res.Tried < uint64(lines)*9/10 {
		t.Fatalf("found after %d guesses, the last line should need about %d", res.Tried, lines)
	}
}
