package engine

import (
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// lifecycleOwned: logout, refresh, password and registration endpoints are
// driven by the lifecycle checks only, with bodies and on accounts they may
// change; the generic checks never send them (a body-less POST to logout
// with the scan's token would revoke it mid-scan).
func lifecycleOwned(ep *inventory.Endpoint, st probe.Settings) bool {
	return probe.Reserved(ep, st.Flows)
}

// flowNotes say why the lifecycle endpoints have no row of their own.
func flowNotes(keys []string, writes bool) []string {
	why := ": lifecycle flow, tested by the session and account checks only"
	if !writes {
		why += " (state-changing steps need --allow-writes)"
	}
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+why)
	}
	return out
}
