package fleet

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	f, err := Parse([]byte(`
defaults: {rate: 20, concurrency: 4, fail-on: high, checks: [jwt, apikey]}
targets:
  - name: shop-staging
    url: https://staging.shop.internal
    config: shop.yaml
  - name: shop-prod
    url: https://shop.internal
    options: {rate: 5}
    identities:
      ops: {bearer: abc}
    endpoints: ["GET /api/v1/profile"]
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Defaults.Args(); !reflect.DeepEqual(got, []string{"--checks=jwt", "--checks=apikey", "--concurrency=4", "--fail-on=high", "--rate=20"}) {
		t.Errorf("defaults args %v", got)
	}
	if len(f.Targets) != 2 || f.Targets[0].Config != "shop.yaml" || f.Targets[0].Inline != nil {
		t.Fatalf("targets %+v", f.Targets)
	}
	prod := f.Targets[1]
	if prod.Options.Args()[0] != "--rate=5" || !strings.Contains(string(prod.Inline), "identities:") ||
		!strings.Contains(string(prod.Inline), "GET /api/v1/profile") || strings.Contains(string(prod.Inline), "options") {
		t.Errorf("prod: options %v, inline %q", prod.Options, prod.Inline)
	}
}

func TestParseRejects(t *testing.T) {
	cases := map[string]string{
		"no targets":        `defaults: {rate: 1}`,
		"name twice":        "targets:\n  - {name: a, url: http://x}\n  - {name: a, url: http://y}",
		"unsafe name":       "targets:\n  - {name: ../a, url: http://x}",
		"no name":           "targets:\n  - {url: http://x}",
		"not http":          "targets:\n  - {name: a, url: ftp://x}",
		"config and inline": "targets:\n  - {name: a, url: http://x, config: c.yaml, endpoints: [GET /]}",
		"target key":        "targets:\n  - {name: a, target: http://x}",
		"unknown top key":   "target: [a]\ntargets:\n  - {name: a, url: http://x}",
		"nested option":     "defaults: {rate: {a: 1}}\ntargets:\n  - {name: a, url: http://x}",
	}
	for name, doc := range cases {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestLoadResolvesConfigAndSelects(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(path, []byte("targets:\n  - {name: a, url: http://x, config: c/a.yaml}\n  - {name: b, url: http://y, config: /abs.yaml}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Targets[0].Config != filepath.Join(dir, "c", "a.yaml") || f.Targets[1].Config != "/abs.yaml" {
		t.Errorf("configs %q %q", f.Targets[0].Config, f.Targets[1].Config)
	}
	if tg, err := f.Select(1); err != nil || tg.Name != "b" {
		t.Errorf("Select(1) = %v, %v", tg.Name, err)
	}
	for _, i := range []int{-1, 2} {
		if _, err := f.Select(i); err == nil {
			t.Errorf("Select(%d) accepted", i)
		}
	}
}
