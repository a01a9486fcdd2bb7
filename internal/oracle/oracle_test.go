package oracle

import (
	"errors"
	"net/http"
	"testing"
)

func sample(status int, body string) *Sample { return NewSample(status, nil, []byte(body), nil) }

func TestSimilarityPrunesVolatileValues(t *testing.T) {
	a := ShapeOf([]byte(`{"user":"alice","at":"2026-11-28T20:00:01Z","id":"6f1c2a8e-1111-2222-3333-444455556666","n":17,"notes":[{"id":1,"title":"x"}]}`))
	b := ShapeOf([]byte(`{"user":"alice","at":"2026-11-28T20:00:09Z","id":"0a0b0c0d-1111-2222-3333-444455556666","n":18,"notes":[{"id":2,"title":"x"},{"id":3,"title":"x"}]}`))
	if s := Similarity(a, b); s < 0.8 {
		t.Fatalf("same answer with volatile values differs: %.2f", s)
	}
	c := ShapeOf([]byte(`{"error":"invalid token"}`))
	if s := Similarity(a, c); s > 0.2 {
		t.Fatalf("data and error bodies too similar: %.2f", s)
	}
	if s := Similarity(ShapeOf(nil), ShapeOf([]byte{})); s != 1 {
		t.Fatalf("empty bodies: %.2f", s)
	}
	h1 := ShapeOf([]byte("<html><body><h1>Welcome alice</h1><p>session 1234</p></body></html>"))
	h2 := ShapeOf([]byte("<html><body><h1>Welcome alice</h1><p>session 9876</p></body></html>"))
	if s := Similarity(h1, h2); s < 0.99 {
		t.Fatalf("text bodies differing in a number: %.2f", s)
	}
}

func TestCalibrateAndClassify(t *testing.T) {
	valid := func() *Sample { return sample(200, `{"user":"alice","notes":[{"id":1}]}`) }
	tests := []struct {
		name    string
		valid   []*Sample
		invalid []*Sample
		gated   bool
		probe   *Sample
		want    Verdict
	}{
		{"status tells", []*Sample{valid(), valid()}, []*Sample{sample(401, `{"msg":"missing"}`), sample(401, `{"msg":"bad"}`)}, true,
			sample(200, `{"user":"authprobe1234","notes":[]}`), Accepted},
		{"refusal status", []*Sample{valid(), valid()}, []*Sample{sample(401, `{"msg":"missing"}`)}, true,
			sample(401, `{"msg":"Signature verification failed"}`), Rejected},
		{"new 403 is a refusal", []*Sample{valid(), valid()}, []*Sample{sample(401, `x`)}, true,
			sample(403, `forbidden`), Rejected},
		{"200 with error body", []*Sample{valid(), valid()}, []*Sample{sample(200, `{"ok":false,"error":"invalid token"}`)}, true,
			sample(200, `{"ok":false,"error":"invalid token"}`), Rejected},
		{"200 with data among 200 errors", []*Sample{valid(), valid()}, []*Sample{sample(200, `{"ok":false,"error":"invalid token"}`)}, true,
			valid(), Accepted},
		{"throttled is inconclusive", []*Sample{valid(), valid()}, []*Sample{sample(401, `x`)}, true,
			NewSample(429, http.Header{"Retry-After": {"1"}}, nil, nil), Inconclusive},
		{"server error is inconclusive", []*Sample{valid(), valid()}, []*Sample{sample(401, `x`)}, true,
			sample(500, `boom`), Inconclusive},
		{"login redirect is inconclusive", []*Sample{valid(), valid()}, []*Sample{sample(401, `x`)}, true,
			NewSample(302, http.Header{"Location": {"/login"}}, nil, nil), Inconclusive},
		{"timeout is inconclusive", []*Sample{valid(), valid()}, []*Sample{sample(401, `x`)}, true,
			NewSample(0, nil, nil, errors.New("timeout")), Inconclusive},
		{"422 error body is a refusal", []*Sample{valid(), valid()}, []*Sample{sample(401, `{"msg":"Missing Authorization Header"}`)}, true,
			sample(422, `{"msg":"Signature verification failed"}`), Rejected},
		// flask-jwt-extended's answer to a malformed token says no error
		// word, but has the keys of the calibrated refusal.
		{"422 keyed like the refusal is a refusal", []*Sample{valid(), valid()}, []*Sample{sample(401, `{"msg":"Missing Authorization Header"}`)}, true,
			sample(422, `{"msg":"Not enough segments"}`), Rejected},
		{"422 keyed like the valid answer is not", []*Sample{valid(), valid()}, []*Sample{sample(401, `{"msg":"Missing Authorization Header"}`)}, true,
			sample(422, `{"user":"mallory"}`), Inconclusive},
		{"422 without an error body is not", []*Sample{valid(), valid()}, []*Sample{sample(401, `x`)}, true,
			sample(422, `{"user":"alice"}`), Inconclusive},
		{"404 is inconclusive", []*Sample{valid(), valid()}, []*Sample{sample(401, `x`)}, true,
			sample(404, `not found`), Inconclusive},
		{"public endpoint not gated", []*Sample{valid(), valid()}, []*Sample{valid()}, false,
			valid(), Inconclusive},
		{"malformed answered with data", []*Sample{valid(), valid()}, []*Sample{sample(401, `{"msg":"missing"}`), sample(200, `{"user":"guest","notes":[]}`)}, false,
			valid(), Inconclusive},
		{"valid never answered", []*Sample{sample(503, ``), sample(503, ``)}, []*Sample{sample(401, `x`)}, false,
			valid(), Inconclusive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := Calibrate(tt.valid, tt.invalid)
			if cal.Gated != tt.gated {
				t.Fatalf("gated = %v (%s), want %v", cal.Gated, cal.Reason, tt.gated)
			}
			if got, why := cal.Classify(tt.probe); got != tt.want {
				t.Fatalf("verdict %s (%s), want %s", got, why, tt.want)
			}
		})
	}
}

func TestReflects(t *testing.T) {
	s := sample(200, `{"user":"authprobe0a1b2c"}`)
	if !Reflects(s, "authprobe0a1b2c") || Reflects(s, "authprobeffffff") || Reflects(s, "") {
		t.Fatal("reflection detection wrong")
	}
}
