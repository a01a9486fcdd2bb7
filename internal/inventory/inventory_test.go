package inventory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestAddMerges(t *testing.T) {
	t.Parallel()
	spec := Endpoint{Method: "GET", Path: "/orders/{id}", Params: []Param{pathParam("id", "integer", "42")},
		Security: [][]string{{"jwt"}}, Summary: "Read an order", Sources: []string{SourceSpec}}
	code := Endpoint{Method: "GET", Path: "/orders/{order_id}", Params: []Param{pathParam("order_id", "integer", "1")},
		Sources: []string{SourceCode}, File: "app.py", Line: 88}
	flag := Endpoint{Method: "GET", Path: "/orders/{x}", Sources: []string{SourceFlag}}
	other := Endpoint{Method: "POST", Path: "/orders/{id}", Sources: []string{SourceFlag}}
	health := Endpoint{Method: "GET", Path: "/health", Sources: []string{SourceConfig}}

	want := Endpoint{Method: "GET", Path: "/orders/{id}", Params: []Param{pathParam("id", "integer", "42")},
		Security: [][]string{{"jwt"}}, Summary: "Read an order",
		Sources: []string{SourceCode, SourceFlag, SourceSpec}, File: "app.py", Line: 88}

	// The result does not depend on the order the sources arrive in.
	orders := [][]Endpoint{
		{spec, code, flag, other, health},
		{code, flag, spec, health, other},
		{flag, other, health, code, spec},
	}
	for i, eps := range orders {
		var inv Inventory
		for _, e := range eps {
			inv.Add(e) // one at a time, as sources arrive
		}
		if got := keys(&inv); !slices.Equal(got, []string{"GET /health", "GET /orders/{id}", "POST /orders/{id}"}) {
			t.Fatalf("order %d: endpoints %v", i, got)
		}
		if got := inv.Endpoints[1]; !reflect.DeepEqual(got, want) {
			t.Errorf("order %d: merged\n got %+v\nwant %+v", i, got, want)
		}
	}

	// Without a spec, the first record keeps its path and the code location fills in.
	var inv Inventory
	inv.Add(Endpoint{Method: "GET", Path: "/a/{n}", Sources: []string{SourceFlag, SourceFlag}},
		Endpoint{Method: "GET", Path: "/a/{n}", Params: []Param{pathParam("n", "integer", "5")},
			Security: [][]string{{"key"}}, Sources: []string{SourceCode}, File: "api.py", Line: 3})
	got := inv.Endpoints[0]
	if len(inv.Endpoints) != 1 || got.File != "api.py" || got.Line != 3 || !reflect.DeepEqual(got.Security, [][]string{{"key"}}) ||
		!reflect.DeepEqual(got.Params, []Param{pathParam("n", "integer", "5")}) || !slices.Equal(got.Sources, []string{SourceCode, SourceFlag}) {
		t.Errorf("merged %+v", inv.Endpoints)
	}
}

func TestMergeInventories(t *testing.T) {
	t.Parallel()
	a := &Inventory{Schemes: map[string]Scheme{"jwt": {Name: "jwt", Type: "bearer"}}, Warnings: []string{"w1"}}
	b := loadTestdata(t, "swagger20.yaml")
	b.Schemes["jwt"] = Scheme{Name: "jwt", Type: "basic"}
	a.Merge(b)
	a.Merge(nil)
	if len(a.Endpoints) != 4 || a.BasePath != "/v2" || a.Schemes["jwt"].Type != "bearer" || a.Schemes["key"].Type != "apiKey" {
		t.Errorf("merged inventory %+v", a)
	}
	if !slices.Equal(a.Warnings, []string{"w1"}) {
		t.Errorf("warnings %v", a.Warnings)
	}
	var empty Inventory
	empty.Merge(a)
	if len(empty.Schemes) != 5 {
		t.Errorf("schemes into an empty inventory: %v", empty.Schemes)
	}
}

func TestLoadSpec(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join("testdata", "swagger20.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var fetched []string
	fetch := func(_ context.Context, url string) ([]byte, error) {
		fetched = append(fetched, url)
		if strings.HasSuffix(url, "/missing") {
			return nil, errors.New("404 Not Found")
		}
		return data, nil
	}

	inv, err := LoadSpec(ctx, filepath.Join("testdata", "openapi30.yaml"), fetch)
	if err != nil || len(inv.Endpoints) != 14 {
		t.Fatalf("file: %v, %d endpoints", err, len(inv.Endpoints))
	}
	inv, err = LoadSpec(ctx, "file://"+filepath.Join("testdata", "openapi31.yaml"), nil)
	if err != nil || len(inv.Endpoints) != 3 {
		t.Fatalf("file URL: %v", err)
	}
	inv, err = LoadSpec(ctx, "HTTP://127.0.0.1:9/swagger.json", fetch)
	if err != nil || len(inv.Endpoints) != 4 || !slices.Equal(fetched, []string{"HTTP://127.0.0.1:9/swagger.json"}) {
		t.Fatalf("URL: %v, fetched %v", err, fetched)
	}
	if len(fetched) != 1 {
		t.Fatalf("a file path went through fetch: %v", fetched)
	}

	errCases := []struct {
		ref   string
		fetch Fetch
		want  string
	}{
		{"https://h/missing", fetch, "fetch spec https://h/missing: 404 Not Found"},
		{"https://h/spec.yaml", nil, "no way to fetch"},
		{"ftp://h/spec.yaml", fetch, "only file paths and http(s) URLs"},
		{filepath.Join("testdata", "nope.yaml"), fetch, "nope.yaml"},
		{filepath.Join("testdata", "not-openapi.yaml"), fetch, "not an OpenAPI or Swagger document"},
	}
	for _, tc := range errCases {
		if _, err := LoadSpec(ctx, tc.ref, tc.fetch); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadSpec(%q) error %v, want %q", tc.ref, err, tc.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := LoadSpec(cancelled, filepath.Join("testdata", "openapi30.yaml"), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestFromSpecTooLarge(t *testing.T) {
	t.Parallel()
	big := make([]byte, MaxSpecBytes+1)
	if _, err := FromSpec(big, "big.yaml"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("error %v", err)
	}
}

func TestAddPrefersCodeOverFlag(t *testing.T) {
	t.Parallel()
	var inv Inventory
	flag, err := ParseEndpoint("GET /orders/{x}")
	if err != nil {
		t.Fatal(err)
	}
	flag.Sources = []string{SourceFlag}
	path, params := FlaskRule("/orders/<uuid:order_id>")
	inv.Add(flag, Endpoint{Method: "GET", Path: path, Params: params, Sources: []string{SourceCode}, File: "app.py", Line: 9})
	inv.Add(Endpoint{Method: "get", Path: "/orders/{id}", Sources: []string{SourceConfig}})
	if len(inv.Endpoints) != 1 || inv.Endpoints[0].Method != "GET" {
		t.Fatalf("endpoints %v", keys(&inv))
	}
	if got := inv.Endpoints[0].Concrete(nil); got != "/orders/"+DefaultUUID {
		t.Errorf("Concrete = %q: the code record's typed parameter should win over the flag's guess", got)
	}
}
