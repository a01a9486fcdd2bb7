package scan

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/report"
)

// fill completes a scan's result from the engine's outcome.
func fill(res *report.Result, out *engine.Outcome, inv *inventory.Inventory, requests int, started time.Time) {
	res.Findings = out.Findings
	if res.Findings == nil {
		res.Findings = []finding.Finding{}
	}
	res.Incomplete = out.Incomplete
	res.NotRun = out.NotRun
	res.Coverage = out.Coverage
	res.Warnings = append(append([]string(nil), inv.Warnings...), out.Notes...)
	res.Stats = report.Stats{Requests: requests, Endpoints: len(inv.Endpoints), DurationMS: time.Since(started).Milliseconds()}
	res.Endpoints = append(res.Endpoints, out.Endpoints...) // never null
	res.Accounts = out.Accounts
}

// unreachable: every endpoint's anonymous answer was inconclusive and
// nothing was found.
func unreachable(o *engine.Outcome, log []httpx.Entry) bool {
	if len(o.Rows) == 0 || len(o.Findings) > 0 {
		return false
	}
	all := true
	for _, r := range o.Rows {
		if r.Matrix["anonymous"] != "inconclusive" {
			all = false
		}
	}
	if all {
		return true
	}
	// Every request, with or without credentials, sent to a login page:
	// a web front, not the API, and no identity got past it.
	redirects, answered := 0, 0
	for _, e := range log {
		if e.Status != 0 {
			answered++
		}
		if e.Status >= 300 && e.Status < 400 {
			redirects++
		}
	}
	if answered == 0 || redirects*2 < answered {
		return false
	}
	for _, r := range o.Rows {
		for who, v := range r.Matrix {
			if who != "anonymous" && v == "accepted" {
				return false
			}
		}
	}
	return true
}

// whyUnreachable says why no request got a usable answer: a target that
// redirects everything (to a login page) did answer, inconclusively.
func whyUnreachable(target *url.URL, log []httpx.Entry) error {
	redirects, answered := 0, 0
	for _, e := range log {
		if e.Status != 0 {
			answered++
		}
		if e.Status >= 300 && e.Status < 400 {
			redirects++
		}
	}
	if answered > 0 && redirects*2 >= answered {
		return fmt.Errorf("target %s answered %d of %d requests with a redirect (a login page?): every verdict is inconclusive; scan the API's own URL, or give an identity the API accepts", target, redirects, answered)
	}
	if answered > 0 {
		return fmt.Errorf("target %s answered no request usably (throttled, server errors or redirects): every verdict is inconclusive", target)
	}
	return fmt.Errorf("target %s did not answer any request", target)
}

// writeTranscript writes every request sent as JSON lines.
func writeTranscript(path string, entries []httpx.Entry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
