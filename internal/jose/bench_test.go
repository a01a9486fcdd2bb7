package jose

import "testing"

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(hs256); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTampered(b *testing.B) {
	tok, err := Parse(hs256)
	if err != nil {
		b.Fatal(err)
	}
	set := map[string]any{"sub": "root", "admin": true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tok.Tampered(set); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignHS256(b *testing.B) {
	tok, err := Parse(hs256)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := HMAC("HS256", []byte("secret"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(tok.HeaderJSON, tok.PayloadJSON, s); err != nil {
			b.Fatal(err)
		}
	}
}
