package oracle

import (
	"bytes"
	"strings"
	"testing"
)

// TestCompactKeepsVerdicts: a kept sample holds a bounded prefix and its
// digest, and classifies as the full one did.
func TestCompactKeepsVerdicts(t *testing.T) {
	big := []byte(`{"user":"alice","items":[` + strings.Repeat(`{"id":1,"name":"x"},`, 60000) + `{"id":2}]}`)
	refusal := []byte(`{"error":"unauthorized"}` + strings.Repeat(" ", 40000))
	valid := []*Sample{NewSample(200, nil, big, nil), NewSample(200, nil, bytes.Clone(big), nil)}
	invalid := []*Sample{NewSample(401, nil, refusal, nil)}
	full := Calibrate(valid, invalid)
	probe := NewSample(200, nil, bytes.Clone(big), nil)
	v1, _ := full.Classify(probe)
	for _, s := range append(valid, invalid...) {
		s.Compact()
		if len(s.Body) > KeepBody || !s.Cut {
			t.Fatalf("kept %d bytes", len(s.Body))
		}
	}
	if !invalid[0].looksLikeError() {
		t.Fatal("the refusal's error flag was lost")
	}
	again := Calibrate(valid, invalid)
	v2, _ := again.Classify(probe)
	if v1 != Accepted || v2 != v1 || full.Gated != again.Gated {
		t.Fatalf("verdict %s before, %s after compaction", v1, v2)
	}
	small := NewSample(200, nil, []byte(`{"a":1}`), nil)
	small.Compact()
	if string(small.Body) != `{"a":1}` || small.Cut {
		t.Fatal("a small body must be kept whole")
	}
}

// TestShapeBounded: a huge body of distinct words makes a bounded digest.
func TestShapeBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString("w")
		for n := i; n > 0; n /= 26 {
			b.WriteByte(byte('a' + n%26))
		}
		b.WriteByte(' ')
	}
	if n := len(ShapeOf([]byte(b.String()))); n > maxShape {
		t.Fatalf("%d tokens", n)
	}
}

// FuzzSimilarity: the JSON/text similarity of any two bodies the target
// sends is in [0, 1], symmetric, 1 for a body and itself, and bounded.
func FuzzSimilarity(f *testing.F) {
	f.Add([]byte(`{"user":"alice","id":1}`), []byte(`{"user":"bob","id":2}`))
	f.Add([]byte(`{"error":"unauthorized"}`), []byte(`<html>login</html>`))
	f.Add([]byte(`[1,2,{"a":[null,true,"2026-01-01T00:00:00Z"]}]`), []byte(``))
	f.Add([]byte(`{"msg":"Token has expired"}`), []byte(`{"msg":"Missing Authorization Header"}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		sa, sb := ShapeOf(a), ShapeOf(b)
		if len(sa) > maxShape || len(sb) > maxShape {
			t.Fatalf("shape of %d tokens", max(len(sa), len(sb)))
		}
		x, y := Similarity(sa, sb), Similarity(sb, sa)
		if x < 0 || x > 1 || x != y {
			t.Fatalf("similarity %v / %v", x, y)
		}
		if self := Similarity(sa, ShapeOf(a)); self != 1 {
			t.Fatalf("a body is %v like itself", self)
		}
	})
}
