package finding

import "testing"

func TestFingerprintIgnoresVolatileFields(t *testing.T) {
	a := Finding{Rule: "jwt.alg-none", Endpoint: &Endpoint{"GET", "/a"}, Message: "one", Evidence: &Evidence{Status: 200}}
	b := Finding{Rule: "jwt.alg-none", Endpoint: &Endpoint{"GET", "/a"}, Message: "two", Evidence: &Evidence{Status: 201}}
	c := Finding{Rule: "jwt.alg-none", Endpoint: &Endpoint{"GET", "/b"}}
	d := Finding{Rule: "py.x", Location: &Location{File: "app.py", Line: 3}}
	e := Finding{Rule: "py.x", Location: &Location{File: "app.py", Line: 4}}
	for _, f := range []*Finding{&a, &b, &c, &d, &e} {
		f.ComputeFingerprint()
	}
	if a.Fingerprint != b.Fingerprint {
		t.Fatal("message or evidence changed the fingerprint")
	}
	if a.Fingerprint == c.Fingerprint || d.Fingerprint == e.Fingerprint {
		t.Fatal("different weaknesses share a fingerprint")
	}
	if len(a.Fingerprint) != 32 {
		t.Fatalf("fingerprint %q", a.Fingerprint)
	}
}

func TestSortAndAtLeast(t *testing.T) {
	fs := []Finding{
		{Rule: "b", Severity: Low},
		{Rule: "a", Severity: Critical, Endpoint: &Endpoint{"GET", "/z"}},
		{Rule: "a", Severity: Critical, Endpoint: &Endpoint{"GET", "/a"}},
		{Rule: "c", Severity: Medium, Suppressed: "accepted risk"},
	}
	Sort(fs)
	if fs[0].Endpoint.Path != "/a" || fs[1].Endpoint.Path != "/z" || fs[2].Severity != Medium || fs[3].Rule != "b" {
		t.Fatalf("order %+v", fs)
	}
	if !AtLeast(fs, Low) || AtLeast(fs, High) == false {
		t.Fatal("AtLeast on unsuppressed findings")
	}
	if AtLeast(fs[2:3], Low) {
		t.Fatal("a suppressed finding counted")
	}
	if AtLeast(fs, "") {
		t.Fatal("--fail-on none must never fail")
	}
}

func TestParseSeverity(t *testing.T) {
	for in, want := range map[string]Severity{"critical": Critical, "HIGH": High, "low": Low, "info": Info} {
		got, ok, err := ParseSeverity(in)
		if err != nil || !ok || got != want {
			t.Errorf("%s: %v %v %v", in, got, ok, err)
		}
	}
	if _, ok, err := ParseSeverity("none"); ok || err != nil {
		t.Error("none")
	}
	if _, _, err := ParseSeverity("severe"); err == nil {
		t.Error("unknown severity accepted")
	}
}

// TestPlaces: a finding lists its instances; one from a result written
// before instances existed is seen at its own endpoint and identity.
func TestPlaces(t *testing.T) {
	old := Finding{Rule: "jwt.alg-none", Endpoint: &Endpoint{Method: "GET", Path: "/a"}, Identity: "alice"}
	if ps := old.Places(); len(ps) != 1 || ps[0].Endpoint.Path != "/a" || ps[0].Identity != "alice" || !ps[0].Confirmed {
		t.Errorf("old finding places %+v", ps)
	}
	root := old
	root.Instances = []Instance{{Endpoint: &Endpoint{Method: "GET", Path: "/a"}}, {Endpoint: &Endpoint{Method: "GET", Path: "/b"}}}
	if ps := root.Places(); len(ps) != 2 || ps[1].Endpoint.Path != "/b" {
		t.Errorf("root cause places %+v", ps)
	}
	static := Finding{Rule: "py.x", Location: &Location{File: "app.py", Line: 3}}
	if ps := static.Places(); len(ps) != 1 || ps[0].Location.Line != 3 {
		t.Errorf("static finding places %+v", ps)
	}
	if ps := (Finding{Rule: "x"}).Places(); ps != nil {
		t.Errorf("a finding about nothing has places %+v", ps)
	}
	a, b := Finding{Rule: "r", Endpoint: &Endpoint{Method: "GET", Path: "/a"}}, Finding{Rule: "r", Endpoint: &Endpoint{Method: "GET", Path: "/b"}}
	a.ComputeRootFingerprint("gate:1")
	b.ComputeRootFingerprint("gate:1")
	if a.Fingerprint != b.Fingerprint {
		t.Errorf("a root cause's fingerprint depends on its representative")
	}
	b.ComputeRootFingerprint("gate:2")
	if a.Fingerprint == b.Fingerprint {
		t.Errorf("two gates share a fingerprint")
	}
}
