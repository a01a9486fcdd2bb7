package report

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium runs Debian's headless Chromium on a local file with the flags
// that work as root in a container, and returns stdout and the console
// messages the page produced (parsed from Chromium's stderr log).
func chromium(t *testing.T, page string, args ...string) (stdout []byte, console []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short starts no browser (make test runs the HTML checks in Chromium)")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium not found: run scripts/install-deps.sh (make deps) to install Debian's chromium")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	flags := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + t.TempDir(),
		"--enable-logging=stderr", "--v=0",
	}
	cmd := exec.CommandContext(ctx, bin, append(append(flags, args...), "file://"+page)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, tail(errb.String(), 2000))
	}
	return out.Bytes(), consoleMessages(errb.String())
}

// consoleLine matches Chromium's log of a page console message
// ("...:INFO:CONSOLE:12] \"msg\", source: ...") and of uncaught errors.
var consoleLine = regexp.MustCompile(`:CONSOLE(?::\d+)?\]|Uncaught `)

func consoleMessages(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if consoleLine.MatchString(l) {
			out = append(out, l)
		}
	}
	return out
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
