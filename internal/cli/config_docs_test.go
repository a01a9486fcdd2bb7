package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
)

// TestConfigDocsComplete: docs/config.md is the full reference. Its example
// file loads, and every key the config accepts (every yaml tag of Config,
// down to identities, login and flows) is in the example and in the table
// of keys.
func TestConfigDocsComplete(t *testing.T) {
	t.Parallel()
	root, err := labtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(root), "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(doc)
	if m == nil {
		t.Fatal("docs/config.md has no yaml example")
	}
	example := m[1]
	path := filepath.Join(t.TempDir(), "authprobe.yaml")
	if err := os.WriteFile(path, []byte(example), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path); err != nil {
		t.Errorf("the example of docs/config.md does not load: %v", err)
	}
	_, table, _ := strings.Cut(doc, "## Keys")
	seen := map[reflect.Type]bool{}
	keys := append(yamlKeys(reflect.TypeOf(Config{}), seen), yamlKeys(reflect.TypeOf(identityConfig{}), seen)...)
	if len(keys) < 30 {
		t.Fatalf("only %d config keys found by reflection: %v", len(keys), keys)
	}
	for _, key := range keys {
		if !regexp.MustCompile(`(?m)^\s*(- )?"?` + regexp.QuoteMeta(key) + `"?:|[{,] ` + regexp.QuoteMeta(key) + `:`).MatchString(example) {
			t.Errorf("key %s: not in the example of docs/config.md", key)
		}
		if !strings.Contains(table, key) {
			t.Errorf("key %s: not in the table of keys of docs/config.md", key)
		}
	}
}

// yamlKeys lists the yaml keys of t and of the structs it holds.
func yamlKeys(t reflect.Type, seen map[reflect.Type]bool) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return nil
	}
	seen[t] = true
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, name)
		out = append(out, yamlKeys(f.Type, seen)...)
	}
	return out
}
