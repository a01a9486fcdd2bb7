// Package corpus holds no code: its test keeps the corpus manifests honest
// (corpus/apis/*.yaml, corpus/flask-projects.tsv, corpus/flask-routes-ref.tsv).
// The split of every member must follow the fixed rule, every member must
// name its batch and pin a commit, and every truth item and write endpoint
// must be in a form the scorer reads. The checkouts themselves are not needed.
package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// splitOf is the fixed rule: sha256("owner/name") in hex, first digit 0–7
// tuning, 8–f held-out.
func splitOf(repo string) string {
	h := sha256.Sum256([]byte(repo))
	if hex.EncodeToString(h[:])[0] < '8' {
		return "tuning"
	}
	return "held-out"
}

var (
	commitRE   = regexp.MustCompile(`^[0-9a-f]{40}$`)
	repoRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	endpointRE = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE) /\S*$`)
	families   = map[string]bool{"bola": true, "bfla": true, "mass-assignment": true, "enumeration": true,
		"public-leak": true, "missing-auth": true, "jwt": true, "session": true, "apikey": true,
		"brute-force": true, "authn": true}
)

type apiManifest struct {
	Name      string `yaml:"name"`
	Repo      string `yaml:"repo"`
	Commit    string `yaml:"commit"`
	Split     string `yaml:"split"`
	Batch     int    `yaml:"batch"`
	Control   bool   `yaml:"control"`
	Transport string `yaml:"transport"`
	Truth     []struct {
		ID       string   `yaml:"id"`
		Family   string   `yaml:"family"`
		Endpoint string   `yaml:"endpoint"`
		Rules    []string `yaml:"rules"`
	} `yaml:"truth"`
	Writes []string `yaml:"writes"`
	Scan   struct {
		Config struct {
			Identities map[string]map[string]any `yaml:"identities"`
		} `yaml:"config"`
	} `yaml:"scan"`
}

func TestAPIManifests(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("apis", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no API manifests: %v", err)
	}
	names := map[string]string{}
	batches := map[int]int{}
	heldOut3, controls3 := 0, 0
	counts := map[int]*batchCount{4: {}, 5: {}, 6: {}, 7: {}}
	// A batch is made of repositories new to the corpus: one repository
	// never serves two batches (two targets of one batch may share it).
	batchOf := map[string]int{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m apiManifest
		if err := yaml.Unmarshal(raw, &m); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if prev, dup := names[m.Name]; dup {
			t.Errorf("%s: name %q already used by %s", p, m.Name, prev)
		}
		names[m.Name] = p
		if !repoRE.MatchString(m.Repo) || !commitRE.MatchString(m.Commit) {
			t.Errorf("%s: repo %q / commit %q not owner/name and 40 hex", p, m.Repo, m.Commit)
		}
		if want := splitOf(m.Repo); m.Split != want {
			t.Errorf("%s: split %q, the fixed rule says %q", p, m.Split, want)
		}
		if m.Batch < 1 || m.Batch > 7 {
			t.Errorf("%s: batch %d, want 1 to 7", p, m.Batch)
		}
		if c := counts[m.Batch]; c != nil {
			checkBatchRules(t, p, raw, m, c)
		}
		repo := strings.ToLower(m.Repo)
		if b, seen := batchOf[repo]; seen && b != m.Batch {
			t.Errorf("%s: %s is already in batch %d; a batch takes repositories new to the corpus", p, m.Repo, b)
		}
		batchOf[repo] = m.Batch
		batches[m.Batch]++
		if m.Batch == 3 {
			if m.Split == "held-out" {
				heldOut3++
			}
			if m.Control || len(m.Truth) == 0 {
				controls3++
			}
		}
		throwaway := 0
		for _, id := range m.Scan.Config.Identities {
			if id["throwaway"] == true {
				throwaway++
			}
			if login, ok := id["login"].(map[string]any); ok && login["use"] != nil && m.Batch >= 2 {
				t.Errorf("%s: batch-%d configs name identities only (no use:, the transport is inferred)", p, m.Batch)
			}
		}
		// Batch 2 and 3 configs carry exactly one throwaway identity; batch 1
		// kept its API-key targets without one.
		if throwaway > 1 || (m.Batch >= 2 && throwaway != 1) {
			t.Errorf("%s: %d throwaway identities, want exactly one", p, throwaway)
		}
		for _, it := range m.Truth {
			if !families[it.Family] {
				t.Errorf("%s: truth %s: unknown family %q", p, it.ID, it.Family)
			}
			if it.Endpoint != "*" && !endpointRE.MatchString(it.Endpoint) {
				t.Errorf("%s: truth %s: endpoint %q is not METHOD /path or *", p, it.ID, it.Endpoint)
			}
		}
		for _, w := range m.Writes {
			if !endpointRE.MatchString(w) || strings.HasPrefix(w, "GET ") {
				t.Errorf("%s: write %q is not a write METHOD /path", p, w)
			}
		}
	}
	if batches[2] < 8 {
		t.Errorf("batch 2 has %d API targets, want at least 8", batches[2])
	}
	// Batch 3: at least 10 targets, at least 6 of them held-out by the
	// hash, at least 3 negative controls.
	if batches[3] < 10 || heldOut3 < 6 || controls3 < 3 {
		t.Errorf("batch 3 has %d API targets, %d held-out, %d controls; want at least 10, 6 and 3",
			batches[3], heldOut3, controls3)
	}
	// Batches 4 to 6: at least 12 targets each, 7 held-out by the hash, 3
	// negative controls, 4 with an API key and 4 with a login token.
	for _, b := range []int{4, 5, 6} {
		c := counts[b]
		if batches[b] < 12 || c.heldOut < 7 || c.controls < 3 || c.keys < 4 || c.logins < 4 {
			t.Errorf("batch %d has %d API targets, %d held-out, %d controls, %d with keys, %d with logins; "+
				"want at least 12, 7, 3, 4 and 4", b, batches[b], c.heldOut, c.controls, c.keys, c.logins)
		}
	}
	// Batch 7: at least 16 targets, 11 held-out by the hash, 3 negative
	// controls, 4 with an API key given as such (a fifth buys its key at a
	// login) and 5 with a login.
	if c := counts[7]; batches[7] < 16 || c.heldOut < 11 || c.controls < 3 || c.keys < 4 || c.logins < 5 {
		t.Errorf("batch 7 has %d API targets, %d held-out, %d controls, %d with keys, %d with logins; "+
			"want at least 16, 11, 3, 4 and 5", batches[7], c.heldOut, c.controls, c.keys, c.logins)
	}
}

func TestStaticManifest(t *testing.T) {
	raw, err := os.ReadFile("flask-projects.tsv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	head := strings.Split(lines[0], "\t")
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, c := range []string{"repo", "commit", "split", "notes", "batch"} {
		if _, ok := col[c]; !ok {
			t.Fatalf("flask-projects.tsv: no %q column in %q", c, lines[0])
		}
	}
	seen := map[string]bool{}
	batch2, batch3, batch4, batch5, batch6, batch7 := 0, 0, 0, 0, 0, 0
	var held3, held4, held5, held6, held7 []string
	for n, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != len(head) {
			t.Errorf("line %d: %d fields, want %d", n+2, len(f), len(head))
			continue
		}
		repo := f[col["repo"]]
		if seen[repo] {
			t.Errorf("line %d: %s listed twice", n+2, repo)
		}
		seen[repo] = true
		if !commitRE.MatchString(f[col["commit"]]) {
			t.Errorf("line %d: commit %q", n+2, f[col["commit"]])
		}
		if want := splitOf(repo); f[col["split"]] != want {
			t.Errorf("line %d: %s split %q, the fixed rule says %q", n+2, repo, f[col["split"]], want)
		}
		switch f[col["batch"]] {
		case "1":
		case "2":
			batch2++
		case "3":
			batch3++
			if f[col["split"]] == "held-out" {
				held3 = append(held3, repo)
			}
		case "4":
			batch4++
			if f[col["split"]] == "held-out" {
				held4 = append(held4, repo)
			}
		case "5":
			batch5++
			if f[col["split"]] == "held-out" {
				held5 = append(held5, repo)
			}
		case "6":
			batch6++
			if f[col["split"]] == "held-out" {
				held6 = append(held6, repo)
			}
		case "7":
			batch7++
			if f[col["split"]] == "held-out" {
				held7 = append(held7, repo)
			}
		default:
			t.Errorf("line %d: batch %q", n+2, f[col["batch"]])
		}
	}
	if batch2 < 24 {
		t.Errorf("batch 2 has %d static projects, want at least 24", batch2)
	}
	if batch3 < 20 {
		t.Errorf("batch 3 has %d static projects, want at least 20", batch3)
	}
	if batch4 < 20 {
		t.Errorf("batch 4 has %d static projects, want at least 20", batch4)
	}
	if batch5 < 20 {
		t.Errorf("batch 5 has %d static projects, want at least 20", batch5)
	}
	if batch6 < 20 || len(held6) < 8 {
		t.Errorf("batch 6 has %d static projects, %d held-out; want at least 20 and 8", batch6, len(held6))
	}
	if batch7 < 20 || len(held7) < 8 {
		t.Errorf("batch 7 has %d static projects, %d held-out; want at least 20 and 8", batch7, len(held7))
	}
	// Every route reference names a listed project of the same half.
	ref, err := os.ReadFile("flask-routes-ref.tsv")
	if err != nil {
		t.Fatal(err)
	}
	referenced := map[string]bool{}
	for _, l := range strings.Split(strings.TrimRight(string(ref), "\n"), "\n")[1:] {
		f := strings.Split(l, "\t")
		if len(f) < 4 || !seen[f[0]] || f[1] != splitOf(f[0]) {
			t.Errorf("flask-routes-ref.tsv: %q names no listed project of that half", l)
			continue
		}
		referenced[f[0]] = true
	}
	// Every held-out project of batches 3 to 7 has its route reference,
	// counted from the code before any static result was seen.
	for _, r := range append(append(append(append(held3, held4...), held5...), held6...), held7...) {
		if !referenced[r] {
			t.Errorf("flask-routes-ref.tsv: no route reference for held-out %s", r)
		}
	}
}
