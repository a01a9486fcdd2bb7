package crack

import (
	"context"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// threadCPU is the CPU time of the calling OS thread: rates per CPU second
// stay meaningful on a machine shared with other work.
func threadCPU() time.Duration { return rusage(1 /* RUSAGE_THREAD */) }

// processCPU is the CPU time of the whole process (all workers, producer).
func processCPU() time.Duration { return rusage(syscall.RUSAGE_SELF) }

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchBatch is a full batch of 8-character candidates from a mask.
func benchBatch(b *testing.B) *Batch {
	src, err := Mask("?l?l?l?l?d?d?d?d", MaskOptions{})
	if err != nil {
		b.Fatal(err)
	}
	batch := NewBatch()
	if err := src.Next(batch); err != nil {
		b.Fatal(err)
	}
	return batch
}

// benchEngine measures one worker's hot loop: guesses/s per core.
func benchEngine(b *testing.B, target *Target, portable bool) {
	e := newEngine(target, portable)
	batch := benchBatch(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := threadCPU()
	guesses := 0
	for i := 0; i < b.N; i++ {
		if e.find(batch) >= 0 {
			b.Fatal("unexpected hit")
		}
		guesses += batch.Len()
	}
	if cpu := threadCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(guesses)/cpu.Seconds(), "guesses/cpu-s")
	}
	b.ReportMetric(float64(guesses)/b.Elapsed().Seconds(), "guesses/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(guesses), "ns/guess")
}

func BenchmarkHS256(b *testing.B) {
	if !hasSHANI() {
		b.Log("no SHA-NI on this CPU: this measures the portable path")
	}
	benchEngine(b, mustJWT(b, signHS256(b, "x")), false)
}

func BenchmarkHS256Portable(b *testing.B) { benchEngine(b, mustJWT(b, signHS256(b, "x")), true) }

func benchKAT(b *testing.B, file, alg string) *Target {
	var target *Target
	var err error
	for _, v := range loadVectors(b, file) {
		switch {
		case alg == "flask" && v.Cookie != "":
			target, err = ParseFlaskSession(v.Cookie)
		case v.Alg == alg:
			target, err = ParseJWT(v.Token)
		default:
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		return target
	}
	b.Fatalf("no %s vector", alg)
	return nil
}

func BenchmarkHS384(b *testing.B) { benchEngine(b, benchKAT(b, "jwt_vectors.json", "HS384"), false) }

func BenchmarkHS512(b *testing.B) { benchEngine(b, benchKAT(b, "jwt_vectors.json", "HS512"), false) }

// BenchmarkHS512Portable is the crypto/sha512 engine used without AVX-512.
func BenchmarkHS512Portable(b *testing.B) {
	benchEngine(b, benchKAT(b, "jwt_vectors.json", "HS512"), true)
}

// BenchmarkFlaskSessionPortable is the crypto/sha1 engine used without SHA-NI.
func BenchmarkFlaskSessionPortable(b *testing.B) {
	benchEngine(b, benchKAT(b, "flask_vectors.json", "flask"), true)
}

func BenchmarkFlaskSession(b *testing.B) {
	benchEngine(b, benchKAT(b, "flask_vectors.json", "flask"), false)
}

// BenchmarkCrackMaskAllCores is the whole pipeline on every core: mask
// generation, batching and workers, HS256.
func BenchmarkCrackMaskAllCores(b *testing.B) {
	target := mustJWT(b, signHS256(b, "not-in-keyspace"))
	var tried uint64
	b.ResetTimer()
	cpu0 := processCPU()
	for i := 0; i < b.N; i++ {
		src, err := Mask("?l?l?d?d?d", MaskOptions{})
		if err != nil {
			b.Fatal(err)
		}
		res, err := Crack(context.Background(), target, src, Options{})
		if err != nil || res.Found {
			b.Fatal(res, err)
		}
		tried += res.Tried
	}
	reportRates(b, tried, processCPU()-cpu0)
}

// BenchmarkCrackSharedWordlist streams the 104k-line reference list.
func BenchmarkCrackSharedWordlist(b *testing.B) {
	path := sharedWordlist(b)
	target := mustJWT(b, signHS256(b, "not-in-the-list-\x01"))
	var tried uint64
	b.ResetTimer()
	cpu0 := processCPU()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		res, err := Crack(context.Background(), target, Wordlist(f), Options{})
		f.Close()
		if err != nil || res.Found {
			b.Fatal(res, err)
		}
		tried += res.Tried
	}
	reportRates(b, tried, processCPU()-cpu0)
}

// reportRates gives the wall-clock rate and the rate per CPU-second of the
// process, which stays meaningful when other work shares the machine.
func reportRates(b *testing.B, tried uint64, cpu time.Duration) {
	b.ReportMetric(float64(tried)/b.Elapsed().Seconds(), "guesses/s")
	if cpu > 0 {
		b.ReportMetric(float64(tried)/cpu.Seconds(), "guesses/cpu-s")
	}
}
