package inventory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSpecLimits(t *testing.T) {
	deep := `{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"x-deep":` + strings.Repeat("[", 500) + strings.Repeat("]", 500) + `}`
	if _, err := FromSpec([]byte(deep), "deep.json"); !errors.Is(err, ErrSpecLimit) {
		t.Fatalf("deep: %v", err)
	}
	var b strings.Builder
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{`)
	for i := 0; i <= MaxOperations; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"/p%d":{"get":{"responses":{"200":{"description":"ok"}}}}`, i)
	}
	b.WriteString("}}")
	if _, err := FromSpec([]byte(b.String()), "many.json"); !errors.Is(err, ErrSpecLimit) {
		t.Fatalf("many operations: %v", err)
	}
}

// TestPruneKeepsRoutes: the pruned document gives the same endpoints and
// parameters as the full one.
func TestPruneKeepsRoutes(t *testing.T) {
	data := bigSpec(200 << 10)
	pruned, err := pruneJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(pruned)*3 > len(data) {
		t.Fatalf("pruned %d of %d bytes only", len(data)-len(pruned), len(data))
	}
	inv, err := FromSpec(data, "big.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Endpoints) < 40 || len(inv.Endpoints[0].Params) == 0 || len(inv.Endpoints[0].Security) == 0 {
		t.Fatalf("endpoints %d: %+v", len(inv.Endpoints), inv.Endpoints[0])
	}
}

// TestSpecParseHonoursBudget: a spent context ends LoadSpec at once.
func TestSpecParseHonoursBudget(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(path, bigSpec(8<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	time.Sleep(2 * time.Millisecond)
	if _, err := LoadSpec(ctx, path, nil); err == nil {
		t.Fatal("a spent budget did not stop the spec parse")
	}
}

// TestPruneYAML: a large YAML spec is pruned and gives the routes the
// same document as JSON gives.
func TestPruneYAML(t *testing.T) {
	data := bigYAML(t, 2<<20)
	if len(data) <= pruneYAMLOver {
		t.Fatalf("test spec of %d bytes is not large", len(data))
	}
	fromYAML, err := FromSpec(data, "big.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := FromSpec(bigSpec(2<<20), "big.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(fromYAML.Endpoints) == 0 || len(fromYAML.Endpoints) != len(fromJSON.Endpoints) {
		t.Fatalf("%d endpoints from YAML, %d from JSON", len(fromYAML.Endpoints), len(fromJSON.Endpoints))
	}
	pruned, ok := pruneYAML(data)
	if !ok || len(pruned)*3 > len(data) {
		t.Fatalf("YAML not pruned (%v): %d of %d bytes left", ok, len(pruned), len(data))
	}
	a, err := FromSpec(pruned, "pruned.yaml")
	if err != nil {
		t.Fatalf("pruned YAML does not parse: %v", err)
	}
	for i := range a.Endpoints {
		x, y := a.Endpoints[i], fromJSON.Endpoints[i]
		if x.Key() != y.Key() || len(x.Params) != len(y.Params) || len(x.Security) != len(y.Security) {
			t.Fatalf("endpoint %d: %+v vs %+v", i, x, y)
		}
	}
}

// FuzzPrune: the spec pruners read target-controlled documents (a spec
// URL on the target): never a panic, and JSON pruning keeps valid JSON.
func FuzzPrune(f *testing.F) {
	f.Add([]byte(`{"openapi":"3.0.3","paths":{"/a":{"get":{"responses":{"200":{}}}}}}`))
	f.Add([]byte("openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n      summary: |\n        text:\n"))
	f.Add([]byte("paths:\n  \"/a:b\":\n    get:\n      requestBody: &x\n        content: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if out, err := pruneJSON(data); err == nil && !json.Valid(out) {
			t.Fatalf("pruned JSON is not JSON: %s", out)
		}
		_, _ = pruneYAML(data)
	})
}
