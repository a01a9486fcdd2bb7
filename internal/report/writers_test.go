package report

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestReplayIsByteForByte is what `authprobe report` promises: rendering a
// result read back from its JSON gives exactly what the original run wrote.
func TestReplayIsByteForByte(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	var buf bytes.Buffer
	if err := WriteJSON(&buf, fixture()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	replayed, err := ReadJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Formats() {
		for _, opt := range []Options{{}, {Color: true}, {FailOn: "high", SourceURL: "https://x/blob/1"}} {
			if a, b := render(t, f, fixture(), opt), render(t, f, replayed, opt); !bytes.Equal(a, b) {
				t.Errorf("%s %+v: replay differs from the original run", f, opt)
			}
		}
	}
}

func TestWritersDoNotMutateAndAreDeterministic(t *testing.T) {
	r := fixture()
	for _, f := range Formats() {
		first := render(t, f, r, Options{})
		for i := 0; i < 5; i++ {
			if again := render(t, f, r, Options{}); !bytes.Equal(first, again) {
				t.Fatalf("%s: two renderings of one result differ", f)
			}
		}
	}
	if !reflect.DeepEqual(r, fixture()) {
		t.Error("a writer changed the result")
	}
}

func TestForPath(t *testing.T) {
	for _, c := range []struct {
		path string
		ok   bool
	}{
		{"out/r.json", true}, {"r.SARIF", true}, {"r.html", true}, {"r.md", true}, {"r.xml", true}, {"r.txt", true},
		{"r.pdf", false}, {"report", false}, {"r.", false},
	} {
		_, err := ForPath(c.path)
		if (err == nil) != c.ok {
			t.Errorf("ForPath(%q) error = %v, want ok=%v", c.path, err, c.ok)
		}
	}
	for alias, want := range map[string]string{"junit": "xml", "markdown": "md", "text": "txt"} {
		a, b := render(t, alias, fixture(), Options{}), render(t, want, fixture(), Options{})
		if !bytes.Equal(a, b) {
			t.Errorf("format %s is not %s", alias, want)
		}
	}
}

func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	paths := []string{filepath.Join(dir, "a.sarif"), filepath.Join(dir, "b.md")}
	if err := WriteFiles(fixture(), paths, Options{describe: fakeDescribe}); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := strings.CutPrefix(filepath.Ext(p), ".")
		if !bytes.Equal(got, render(t, f, fixture(), Options{})) {
			t.Errorf("%s differs from the writer's output", p)
		}
	}
	// An unknown extension fails before anything is written.
	bad := []string{filepath.Join(dir, "c.json"), filepath.Join(dir, "d.pdf")}
	if err := WriteFiles(fixture(), bad, Options{}); err == nil || !strings.Contains(err.Error(), "d.pdf") {
		t.Errorf("WriteFiles with .pdf: err = %v", err)
	}
	if _, err := os.Stat(bad[0]); !os.IsNotExist(err) {
		t.Error("c.json was written although d.pdf was refused")
	}
	if err := WriteFiles(fixture(), []string{filepath.Join(dir, "missing", "x.json")}, Options{}); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

func TestTextHostileAndColour(t *testing.T) {
	plain := string(render(t, "txt", fixture(), Options{}))
	if strings.ContainsAny(plain, "\x1b\u202e") {
		t.Error("plain text output contains an escape or a bidi override from the target")
	}
	if !strings.Contains(plain, `\x1b[2J`) || !strings.Contains(plain, `\u202e`) {
		t.Error("escaped control characters are not shown")
	}
	colour := string(render(t, "txt", fixture(), Options{Color: true}))
	if !strings.Contains(colour, "\x1b[") {
		t.Error("Color: true produced no ANSI sequence")
	}
	if stripANSI(colour) != plain {
		t.Error("coloured text differs from plain text beyond escape sequences")
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && s[j] != 'm' {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
