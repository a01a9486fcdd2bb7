package engine

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
)

// replayOf describes a finding's proving request for retest, or nil when a
// credential in it is neither an identity's own, nor a forgery anyone can
// make from one, nor something that is no credential at all.
func (s *Scan) replayOf(pr *proof) *finding.Replay {
	if pr == nil || pr.o == nil || pr.o.Request == nil || pr.o.Sample == nil {
		return nil
	}
	if pr.o.Sample.Status/100 == 3 {
		// A redirect proved something only through what was read after
		// it (a form write's effect on a page): no one-request replay;
		// fix's rescan proves it instead.
		return nil
	}
	target := strings.TrimRight(s.opt.Target.String(), "/")
	u, err := url.Parse(pr.url)
	if err != nil {
		return nil
	}
	sent := pr.creds.Slots()
	// Credentials the check put in the query itself (a token moved there).
	q := u.Query()
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if s.ownCredential(q.Get(k)) != nil || looksLikeJWT(q.Get(k)) {
			sent = append(sent, identity.Slot{In: identity.InQuery, Name: k, Value: q.Get(k)})
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
		rc := finding.ReplayCred{Kind: sl.In, Name: sl.Name}
		if own := s.ownCredential(sl.Value); own != nil {
			rc.Identity, rc.Slot = own.identity, own.slot.ID()
		} else if forged, err := jose.Parse(sl.Value); err == nil {
			own := s.ownJWT()
			if own == nil {
				return nil
			}
			orig, _ := jose.Parse(own.slot.Value)
			r, ok := jose.RecipeOf(orig, forged)
			if !ok {
				return nil
			}
			rc.Identity, rc.Slot = own.identity, own.slot.ID()
			rc.Forge, rc.Alg, rc.KeepSig, rc.Claims = r.Forge, r.Alg, r.KeepSig, r.Claims
		} else if s.secretIn(sl.Value) || s.opt.Client != nil && s.opt.Client.Redactor.Known(sl.Value) {
			// A credential that is no identity's own (another's key a
			// proof found): never written out as a literal.
			return nil
		} else {
			rc.Value = sl.Value
		}
		rp.Creds = append(rp.Creds, rc)
	}
	return rp
}

func looksLikeJWT(v string) bool { _, err := jose.Parse(v); return err == nil }

// owned is an identity's credential in one slot.
type owned struct {
	identity string
	slot     identity.Slot
}

// ownCredential finds the identity credential equal to v.
func (s *Scan) ownCredential(v string) *owned {
	if v == "" {
		return nil
	}
	for _, name := range s.credOrder {
		for _, sl := range s.creds[name].Slots() {
			if sl.Value == v {
				return &owned{name, sl}
			}
		}
	}
	return nil
}

// ownJWT is the first identity JWT (forgeries start from the pass's).
func (s *Scan) ownJWT() *owned {
	for _, name := range s.credOrder {
		for _, sl := range s.creds[name].Slots() {
			if looksLikeJWT(sl.Value) {
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
