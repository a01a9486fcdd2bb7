package drift

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

func ep(method, path string) *finding.Endpoint { return &finding.Endpoint{Method: method, Path: path} }

func result(target string, rows []report.Endpoint, fs ...finding.Finding) *report.Result {
	r := report.New(target, "0")
	r.Endpoints = rows
	r.Findings = append(r.Findings, fs...)
	return r
}

func TestBetween(t *testing.T) {
	a := result("http://staging", []report.Endpoint{
		{Method: "GET", Path: "/same", Policy: "jwt", Matrix: map[string]string{"anonymous": "rejected", "alice": "accepted"}},
		{Method: "GET", Path: "/matrix", Policy: "jwt", Matrix: map[string]string{"anonymous": "rejected", "alice": "accepted"}},
		{Method: "GET", Path: "/noise", Policy: "jwt", Matrix: map[string]string{"anonymous": "rejected", "alice": "accepted"}},
		{Method: "GET", Path: "/policy", Policy: "jwt"},
		{Method: "GET", Path: "/only-a"},
		{Method: "GET", Path: "/gate", Policy: "jwt"},
		{Method: "GET", Path: "/gate/2", Policy: "jwt"},
	}, finding.Finding{Rule: "jwt.weak-secret", Severity: finding.High, Endpoint: ep("GET", "/same")})
	b := result("http://prod", []report.Endpoint{
		{Method: "GET", Path: "/same", Policy: "jwt", Matrix: map[string]string{"anonymous": "rejected", "alice": "accepted"}},
		{Method: "GET", Path: "/matrix", Policy: "jwt", Matrix: map[string]string{"anonymous": "accepted", "alice": "accepted"}},
		{Method: "GET", Path: "/noise", Policy: "jwt", Matrix: map[string]string{"anonymous": "inconclusive", "bob": "accepted"}},
		{Method: "GET", Path: "/policy", Policy: "public"},
		{Method: "GET", Path: "/gate", Policy: "jwt", Matrix: map[string]string{"alice": "accepted"}},
		{Method: "GET", Path: "/gate/2", Policy: "jwt"},
		{Method: "POST", Path: "/only-b"},
	},
		finding.Finding{Rule: "jwt.weak-secret", Severity: finding.High, Endpoint: ep("GET", "/same")},
		finding.Finding{Rule: "jwt.signature-not-verified", Severity: finding.Critical, Endpoint: ep("GET", "/gate"),
			Evidence:  &finding.Evidence{Curl: "curl prod/gate"},
			Instances: []finding.Instance{{Endpoint: ep("GET", "/gate")}, {Endpoint: ep("GET", "/gate/2")}}},
		finding.Finding{Rule: "x.ignored", Severity: finding.High, Endpoint: ep("GET", "/same"), Suppressed: "ignored: accepted"},
	)
	r := Between(a, b)
	got := map[string]Entry{}
	var order []string
	for _, e := range r.Drift {
		got[e.Endpoint.String()] = e
		order = append(order, e.Endpoint.String())
	}
	if strings.Join(order, ", ") != "GET /gate, GET /gate/2, GET /matrix, GET /only-a, POST /only-b, GET /policy" {
		t.Fatalf("drifted endpoints: %v", order)
	}
	if e := got["GET /matrix"]; len(e.Matrix) != 1 || e.Matrix[0] != (Cell{"anonymous", "rejected", "accepted"}) || e.Severity != finding.High {
		t.Errorf("matrix drift: %+v", e)
	}
	if e := got["GET /policy"]; e.Policy == nil || *e.Policy != (Change{"jwt", "public"}) || e.Severity != finding.Medium {
		t.Errorf("policy drift: %+v", e)
	}
	if got["GET /only-a"].Only != "a" || got["POST /only-b"].Only != "b" || got["POST /only-b"].Severity != finding.Info {
		t.Errorf("one-sided endpoints: %+v %+v", got["GET /only-a"], got["POST /only-b"])
	}
	for _, k := range []string{"GET /gate", "GET /gate/2"} {
		e := got[k]
		if len(e.Findings) != 1 || e.Findings[0].Rule != "jwt.signature-not-verified" || e.Findings[0].In != "b" ||
			e.Severity != finding.Critical {
			t.Errorf("%s: %+v", k, e)
		}
	}
	if other := got["GET /gate"].Findings[0].Other; other != nil {
		t.Errorf("GET /gate: A has no matrix, other side shown as %v", other)
	}
	if !r.AtLeast(finding.Critical) || r.AtLeast("") {
		t.Error("AtLeast")
	}
	if r.A.Findings != 1 || r.B.Findings != 2 {
		t.Errorf("sides: %+v %+v (suppressed findings do not count)", r.A, r.B)
	}
	if same := Between(a, a); len(same.Drift) != 0 || same.AtLeast(finding.Info) {
		t.Errorf("a result drifts from itself: %+v", same.Drift)
	}
}

func TestWriters(t *testing.T) {
	a := result("http://a", []report.Endpoint{{Method: "GET", Path: "/x|y", Matrix: map[string]string{"anonymous": "rejected"}}})
	b := result("http://b", []report.Endpoint{{Method: "GET", Path: "/x|y", Matrix: map[string]string{"anonymous": "accepted"}}})
	r := Between(a, b)
	for _, f := range []string{"json", "md", "txt"} {
		w, err := ForPath("out." + f)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := w(&buf, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "anonymous") {
			t.Errorf("%s: no drift shown:\n%s", f, buf.String())
		}
		if f == "md" && !strings.Contains(buf.String(), "`GET /x|y`") {
			t.Errorf("md: %s", buf.String())
		}
		if f == "json" {
			var doc struct {
				Drift []struct {
					Endpoint struct{ Method, Path string }
				}
			}
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Drift) != 1 || doc.Drift[0].Endpoint.Path != "/x|y" {
				t.Errorf("json: %v %s", err, buf.String())
			}
		}
	}
	if _, err := ForPath("out.html"); err == nil {
		t.Error("unknown extension accepted")
	}
}

// TestDriftProofIsTheEndpointsOwn: a finding seen on two endpoints cites,
// for each drifted endpoint, the request proven there; an instance
// inferred from its gate says whose proof it shows.
func TestDriftProofIsTheEndpointsOwn(t *testing.T) {
	ep := func(m, p string) *finding.Endpoint { return &finding.Endpoint{Method: m, Path: p} }
	a := result("http://staging", []report.Endpoint{{Method: "GET", Path: "/a/r0"}, {Method: "GET", Path: "/c/r0"}, {Method: "GET", Path: "/d/r0"}})
	b := result("http://prod", []report.Endpoint{{Method: "GET", Path: "/a/r0"}, {Method: "GET", Path: "/c/r0"}, {Method: "GET", Path: "/d/r0"}},
		finding.Finding{Rule: "jwt.signature-not-verified", Severity: finding.Critical, Endpoint: ep("GET", "/a/r0"),
			Evidence: &finding.Evidence{Curl: "curl prod/a/r0"},
			Instances: []finding.Instance{{Endpoint: ep("GET", "/a/r0")}, {Endpoint: ep("GET", "/c/r0"), Curl: "curl prod/c/r0"},
				{Endpoint: ep("GET", "/d/r0")}}})
	var out strings.Builder
	if err := WriteText(&out, Between(a, b)); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, block := range strings.Split(text, "\nGET ")[1:] {
		path, _, _ := strings.Cut(block, " ")
		switch path {
		case "/a/r0", "/c/r0":
			if !strings.Contains(block, "proof: curl prod"+path) || strings.Count(block, "proof:") != 1 {
				t.Errorf("%s cites another proof:\n%s", path, block)
			}
		case "/d/r0":
			if !strings.Contains(block, "not replayed here; the proof on GET /a/r0") {
				t.Errorf("%s: an inferred instance does not say whose proof it shows:\n%s", path, block)
			}
		}
	}
	if strings.Count(text, "proof:") != 3 {
		t.Errorf("proof lines:\n%s", text)
	}
}
