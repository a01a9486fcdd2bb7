package report

import (
	"bytes"
	"html"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func writePage(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var scriptTag = regexp.MustCompile(`(?i)<script`)

// TestHTMLHarness proves the browser checks can fail: a page whose script
// runs, logs and throws must be caught by both the console parser and the
// DOM dump.
func TestHTMLHarness(t *testing.T) {
	page := writePage(t, "bad.html", []byte(`<!DOCTYPE html><html><head><title>before</title></head><body><p>x</p>`+
		`<script>document.title="pwned";console.error("boom-console");throw new Error("boom-uncaught")</script></body></html>`))
	dom, console := chromium(t, page, "--dump-dom")
	if !strings.Contains(string(dom), "<title>pwned</title>") {
		t.Errorf("--dump-dom did not show the script's effect:\n%s", dom)
	}
	joined := strings.Join(console, "\n")
	if !strings.Contains(joined, "boom-console") || !strings.Contains(joined, "boom-uncaught") {
		t.Errorf("console parser missed the page's messages; got:\n%s", joined)
	}
}

// TestHTMLInChromium loads the fixture report, whose evidence holds
// <script>alert(1)</script>, in headless Chromium: no console message, no
// script element in the DOM, the title untouched, the hostile text shown as
// text, and a screenshot that is neither blank nor tiny.
func TestHTMLInChromium(t *testing.T) {
	r := fixture()
	r.Findings[2].Evidence.Proof = `<script>document.title="pwned";document.body.innerHTML="owned"</script><img src=x onerror="document.title='img'">`
	page := writePage(t, "report.html", render(t, "html", r, Options{}))

	dom, console := chromium(t, page, "--dump-dom")
	if len(console) > 0 {
		t.Errorf("console messages while loading the report:\n%s", strings.Join(console, "\n"))
	}
	d := string(dom)
	wantTitle := "<title>" + html.EscapeString("authprobe report: "+r.Target) + "</title>"
	if !strings.Contains(d, wantTitle) {
		t.Errorf("title changed or missing; want %s", wantTitle)
	}
	if scriptTag.MatchString(d) {
		t.Errorf("a <script> element is in the DOM: target text was not escaped")
	}
	if strings.Contains(d, "<img") || strings.Contains(d, "owned</body>") {
		t.Errorf("hostile markup became elements")
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;document.title=", "jwt.signature-not-verified", "Auth matrix"} {
		if !strings.Contains(d, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	shot := filepath.Join(t.TempDir(), "shot.png")
	chromium(t, page, "--screenshot="+shot, "--window-size=1280,1600")
	checkScreenshot(t, shot, 1280, 1600)
}

// checkScreenshot fails on a blank or trivially simple image: at least 3 %
// of the pixels must differ from white and the page must use many colours.
func checkScreenshot(t *testing.T, path string, w, h int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != w || b.Dy() != h {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
	}
	ink, colours := inkAndColours(img)
	total := b.Dx() * b.Dy()
	if ink*100 < total*3 {
		t.Errorf("screenshot is nearly blank: %d of %d pixels are not white", ink, total)
	}
	if colours < 50 {
		t.Errorf("screenshot uses only %d colours", colours)
	}
	t.Logf("screenshot %dx%d, %.1f%% ink, %d colours, %d bytes", b.Dx(), b.Dy(), 100*float64(ink)/float64(total), colours, len(data))
}

func inkAndColours(img image.Image) (ink, colours int) {
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				ink++
			}
			seen[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
		}
	}
	return ink, len(seen)
}
