package scan

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/report"
)

// effectNote is the note the effect proof writes when a write answered
// something other than 2xx (a form's 302 back to its page) and the scan
// read the change back: "effect: POST /generate answered 302 and took
// effect: ...".
var effectNote = regexp.MustCompile(`^effect: ([A-Z]+) (\S+) answered (\d+) and took effect`)

// writeCoverage says, for every write endpoint of the inventory (POST,
// PUT, PATCH, DELETE), what the whole scan sent it — every phase: writes,
// lifecycle, accounts, brute force — and whether any of it was exercised:
// answered 2xx, or answered otherwise and proven to have taken effect (the
// effect notes). Requests are matched to endpoints by path template, the
// literal route winning (/users/me before /users/{id}). Only
// with --allow-writes: without it no write is meant to succeed.
func writeCoverage(inv *inventory.Inventory, target *url.URL, log []httpx.Entry, notes []string) []report.WriteCoverage {
	var eps []*inventory.Endpoint
	for i := range inv.Endpoints {
		if isWrite(inv.Endpoints[i].Method) {
			eps = append(eps, &inv.Endpoints[i])
		}
	}
	if len(eps) == 0 {
		return nil
	}
	base := ""
	if target != nil {
		base = strings.TrimSuffix(target.Path, "/")
	}
	rows := make([]report.WriteCoverage, len(eps))
	statuses := make([]map[int]bool, len(eps))
	index := map[string]int{}
	for i, ep := range eps {
		index[ep.Key()] = i
		rows[i] = report.WriteCoverage{Endpoint: finding.Endpoint{Method: ep.Method, Path: ep.Path}}
		statuses[i] = map[int]bool{}
	}
	for _, e := range log {
		if !isWrite(e.Method) {
			continue
		}
		u, err := url.Parse(e.URL)
		if err != nil {
			continue
		}
		i := instance(inv, index, e.Method, u.Path, base)
		if i < 0 {
			continue
		}
		rows[i].Sent++
		statuses[i][e.Status] = true
		if e.Status/100 == 2 {
			rows[i].Succeeded++
		}
	}
	proven := map[string]int{}
	for _, n := range notes {
		if m := effectNote.FindStringSubmatch(n); m != nil {
			st, _ := strconv.Atoi(m[3])
			proven[m[1]+" "+m[2]] = st
		}
	}
	for i, ep := range eps {
		for st := range statuses[i] {
			rows[i].Statuses = append(rows[i].Statuses, st)
		}
		sort.Ints(rows[i].Statuses)
		switch st, ok := proven[ep.Key()]; {
		case rows[i].Succeeded > 0:
			rows[i].Exercised = true
		case ok && rows[i].Sent > 0:
			rows[i].Exercised, rows[i].Effect = true, st
		}
	}
	return rows
}

func isWrite(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// instance is the write endpoint path is an instance of (with or without
// the target's base path; a literal route before a template): -1 for none.
func instance(inv *inventory.Inventory, index map[string]int, method, path, base string) int {
	ep, _ := inventory.Instance(inv.Endpoints, method, path)
	if ep == nil && base != "" && strings.HasPrefix(path, base) {
		ep, _ = inventory.Instance(inv.Endpoints, method, strings.TrimPrefix(path, base))
	}
	if ep == nil {
		return -1
	}
	if i, ok := index[ep.Key()]; ok {
		return i
	}
	return -1
}
