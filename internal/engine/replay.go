package engine

import (
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
)

// slot is one credential of a request: where it is sent and its value.
type slot struct{ kind, name, value string }

func (sl slot) id() string {
	if sl.kind == "bearer" {
		return "bearer"
	}
	return sl.kind + ":" + sl.name
}

func slotsOf(c identity.Creds) []slot {
	var out []slot
	if c.Bearer != "" {
		out = append(out, slot{"bearer", "", c.Bearer})
	}
	for _, m := range []struct {
		kind string
		vals map[string]string
	}{{"header", c.Headers}, {"cookie", c.Cookies}, {"query", c.Query}} {
		keys := make([]string, 0, len(m.vals))
		for k := range m.vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, slot{m.kind, k, m.vals[k]})
		}
	}
	return out
}

// replayOf describes a finding's proving request for retest, or nil when a
// credential in it is neither an identity's own, nor a forgery anyone can
// make from one, nor something that is no credential at all.
func (s *Scan) replayOf(pr *proof) *finding.Replay {
	if pr == nil || pr.o == nil || pr.o.Request == nil || pr.o.Sample == nil {
		return nil
	}
	target := strings.TrimRight(s.opt.Target.String(), "/")
	u, err := url.Parse(pr.url)
	if err != nil {
		return nil
	}
	sent := slotsOf(pr.creds)
	// Credentials the check put in the query itself (a token moved there).
	q := u.Query()
	for _, k := range sortedQuery(q) {
		if s.ownCredential(q.Get(k)) != nil || looksLikeJWT(q.Get(k)) {
			sent = append(sent, slot{"query", k, q.Get(k)})
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	path := strings.TrimPrefix(u.String(), target)
	if !strings.HasPrefix(path, "/") {
		return nil
	}
	rp := &finding.Replay{Method: pr.o.Request.Method, Path: path, Status: pr.o.Sample.Status}
	for _, sl := range sent {
		rc := finding.ReplayCred{Kind: sl.kind, Name: sl.name}
		if own := s.ownCredential(sl.value); own != nil {
			rc.Identity, rc.Slot = own.identity, own.slot.id()
		} else if forged, err := jose.Parse(sl.value); err == nil {
			own := s.ownJWT()
			if own == nil {
				return nil
			}
			orig, _ := jose.Parse(own.slot.value)
			r, ok := jose.RecipeOf(orig, forged)
			if !ok {
				return nil
			}
			rc.Identity, rc.Slot = own.identity, own.slot.id()
			rc.Forge, rc.Alg, rc.KeepSig, rc.Claims = r.Forge, r.Alg, r.KeepSig, r.Claims
		} else if s.secretIn(sl.value) {
			return nil
		} else {
			rc.Value = sl.value
		}
		rp.Creds = append(rp.Creds, rc)
	}
	return rp
}

func sortedQuery(q url.Values) []string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func looksLikeJWT(v string) bool { _, err := jose.Parse(v); return err == nil }

// owned is an identity's credential in one slot.
type owned struct {
	identity string
	slot     slot
}

// ownCredential finds the identity credential equal to v.
func (s *Scan) ownCredential(v string) *owned {
	if v == "" {
		return nil
	}
	for _, name := range s.credOrder {
		for _, sl := range slotsOf(s.creds[name]) {
			if sl.value == v {
				return &owned{name, sl}
			}
		}
	}
	return nil
}

// ownJWT is the first identity JWT (forgeries start from the pass's).
func (s *Scan) ownJWT() *owned {
	for _, name := range s.credOrder {
		for _, sl := range slotsOf(s.creds[name]) {
			if looksLikeJWT(sl.value) {
				return &owned{name, sl}
			}
		}
	}
	return nil
}

// secretIn: v carries an identity's credential (a key variant, a token
// signed with a recovered secret would not parse as the identity's own).
func (s *Scan) secretIn(v string) bool {
	for _, name := range s.credOrder {
		for _, sec := range s.creds[name].Secrets() {
			if len(sec) >= 4 && (strings.Contains(v, sec) || strings.EqualFold(v, sec)) {
				return true
			}
		}
	}
	return false
}
