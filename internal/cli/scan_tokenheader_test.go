package cli

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

func init() {
	for _, name := range []string{"sessiontoken", "sessiontoken-secure"} {
		labHooks[name] = append(labHooks[name], labHook{"token-header-from-source", headerFromSource("X-Auth-Token")})
	}
	for _, name := range []string{"hookkey", "hookkey-secure"} {
		labHooks[name] = append(labHooks[name], labHook{"token-header-from-source", headerFromSource("X-Api-Key")})
	}
}

// headerFromSource (TestLabs/{sessiontoken,hookkey}*/token-header-from-source)
// reads the scan of labs/sessiontoken (a decorator reads X-Auth-Token),
// labs/hookkey (a before_request hook reads X-Api-Key) and their twins,
// whose refusals name no header and which have no spec: each identity's
// token was sent as the header the code reads, because the API served it
// (not the Bearer default, not left unconfirmed), and the note names the
// line that reads it.
func headerFromSource(header string) func(t *testing.T, _ *labtest.Lab, res *report.Result, _ string) {
	return func(t *testing.T, _ *labtest.Lab, res *report.Result, _ string) {
		checkHeaderFromSource(t, res, header)
	}
}

func checkHeaderFromSource(t *testing.T, res *report.Result, header string) {
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
		case !strings.Contains(note, "token sent as header:"+header+" (") || !strings.Contains(note, `reads header "`+header+`"`) ||
			!strings.Contains(note, "served by") && !strings.Contains(note, "let past the gate"):
			t.Errorf("%s: %s", who, note)
		}
	}
}
