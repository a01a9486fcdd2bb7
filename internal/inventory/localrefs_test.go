package inventory

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadSpecLocalRefs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inv, err := LoadSpec(ctx, filepath.Join("testdata", "split", "ok.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(inv); !reflect.DeepEqual(got, []string{"DELETE /orders/{order_id}", "GET /orders/{order_id}"}) {
		t.Fatalf("endpoints %v", got)
	}
	checkEndpoints(t, inv, []specCase{
		{key: "GET /orders/{order_id}", security: [][]string{{"key"}}, summary: "Read an order",
			params: []Param{pathParam("order_id", "integer", "314")}, concrete: "/orders/314"},
		{key: "DELETE /orders/{order_id}", security: [][]string{}},
	})
	if s := inv.Schemes["key"]; s != (Scheme{Name: "key", Type: "apiKey", In: "header", Param: "X-Key"}) {
		t.Errorf("scheme from a referenced file: %+v", s)
	}

	// The same document given as bytes follows no reference at all.
	data, err := os.ReadFile(filepath.Join("testdata", "split", "ok.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FromSpec(data, "ok.yaml"); err == nil || !strings.Contains(err.Error(), "points to another document") {
		t.Errorf("FromSpec followed a file reference: %v", err)
	}

	for file, want := range map[string]string{
		"openapi.yaml": "leaves the spec's directory",
		"remote.yaml":  "never fetches referenced documents",
	} {
		if _, err := LoadSpec(ctx, filepath.Join("testdata", "split", file), nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", file, err, want)
		}
	}
}

func TestLoadSpecSymlinkEscape(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.yaml")
	if err := os.WriteFile(secret, []byte("Id: {name: id, in: path, required: true, schema: {type: string, example: leaked}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(secret, filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	spec := head30 + "paths:\n  /a/{id}:\n    get:\n      parameters: [{$ref: 'link.yaml#/Id'}]\n      responses: {'200': {description: ok}}\n"
	if err := os.WriteFile(filepath.Join(dir, "spec.yaml"), []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadSpec(context.Background(), filepath.Join(dir, "spec.yaml"), nil)
	if err == nil || !strings.Contains(err.Error(), "leaves the spec's directory") {
		t.Errorf("a symbolic link out of the spec's directory was followed: %v", err)
	}
}
