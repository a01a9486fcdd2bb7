package cli

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

func init() {
	for _, name := range []string{"sessiontoken", "sessiontoken-secure"} {
		labHooks[name] = append(labHooks[name], labHook{"token-header-from-source", testSessionTokenTransport})
	}
}

// testSessionTokenTransport (TestLabs/sessiontoken*/token-header-from-source)
// reads the scan of labs/sessiontoken and its twin: whose refusals name no
// header and which has no spec: each identity's token was sent as the
// X-Auth-Token header the code reads, because the API served it (not
// the Bearer default, not left unconfirmed), and the note names the line
// that reads it.
func testSessionTokenTransport(t *testing.T, _ *labtest.Lab, res *report.Result, _ string) {
	for _, who := range []string{"alice", "bob"} {
		var note string
		for _, w := range res.Warnings {
			if strings.HasPrefix(w, "identity "+who+": token sent as") {
				note = w
			}
		}
		switch {
		case note == "":
			t.Errorf("%s: no transport note in %q", who, res.Warnings)
		case !strings.Contains(note, "token sent as header:X-Auth-Token (") || !strings.Contains(note, `reads header "X-Auth-Token"`) ||
			!strings.Contains(note, "served by") && !strings.Contains(note, "let past the gate"):
			t.Errorf("%s: %s", who, note)
		}
	}
}
