// Package oracle decides what a probe's response means. It calibrates each
// endpoint with known-good and known-bad credentials, then classifies every
// probe as accepted, rejected or inconclusive by status and by body
// similarity after pruning volatile values. It sends nothing itself.
package oracle

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Verdict is the meaning of one response.
type Verdict string

const (
	Accepted     Verdict = "accepted"
	Rejected     Verdict = "rejected"
	Inconclusive Verdict = "inconclusive"
)

// Thresholds of the body comparison.
const (
	// sameBody: two bodies this similar are answers of the same kind.
	sameBody = 0.6
	// margin: how much closer to one cluster than the other a body must be.
	margin = 0.15
)

// Calibration is what an endpoint answers to a credential that works and to
// credentials that must not.
type Calibration struct {
	Accepted []*Sample
	Rejected []*Sample
	// Gated is true when accepted and rejected answers can be told apart.
	Gated bool
	// Reason explains Gated in one line.
	Reason string
}

// Calibrate builds a calibration from the answers to the valid credential
// (sent two or three times) and to credentials that must be refused (none,
// malformed). Unusable samples are dropped.
func Calibrate(valid, invalid []*Sample) *Calibration {
	c := &Calibration{}
	for _, s := range valid {
		if s.Unusable() == "" {
			c.Accepted = append(c.Accepted, s)
		}
	}
	for _, s := range invalid {
		// A redirect to sign in, or a server error, is a refusal when the
		// valid credential gets a usable answer: it joins the refused
		// cluster, and only an answer like it is ever rejected for it.
		if s.Unusable() == "" || s.refusalStatus() {
			c.Rejected = append(c.Rejected, s)
		}
	}
	switch {
	case len(c.Accepted) == 0:
		c.Reason = "the valid credential got no usable answer: " + firstUnusable(valid)
	case !c.consistent():
		c.Reason = "answers to the valid credential vary too much to compare"
	case len(c.Rejected) == 0:
		c.Reason = "no usable answer to a refused credential: " + firstUnusable(invalid)
	default:
		for _, r := range c.Rejected {
			if !c.refusal(r) {
				c.Reason = fmt.Sprintf("a request without a valid credential is answered like the valid one (status %d)", r.Status)
				return c
			}
		}
		c.Gated = true
		c.Reason = fmt.Sprintf("valid credential answered %d, refused ones %s", c.Accepted[0].Status, statuses(c.Rejected))
	}
	return c
}

// refusal says whether an answer to a credential that must not work
// really refuses it. Another status than the valid answers' is a refusal.
// With the same status, the body decides: clearly different from the valid
// answers, or shaped like an error and not like the data. A body much like
// the valid one (a guest view, another user's dashboard) is not a refusal,
// and the endpoint is then not gated by this credential.
func (c *Calibration) refusal(r *Sample) bool {
	inA, simA := best(c.Accepted, r)
	if !inA || ErrorEnvelope(r.Body) && !c.envelopes() {
		return true
	}
	return simA < 0.35 || (simA < sameBody && r.looksLikeError())
}

func firstUnusable(ss []*Sample) string {
	for _, s := range ss {
		if u := s.Unusable(); u != "" {
			return u
		}
	}
	return "none sent"
}

func statuses(ss []*Sample) string {
	seen := map[int]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s.Status] {
			seen[s.Status] = true
			out = append(out, fmt.Sprint(s.Status))
		}
	}
	return strings.Join(out, "/")
}

// envelopes reports whether the valid answers are themselves error
// envelopes (an endpoint that answers everyone {"success": false}).
func (c *Calibration) envelopes() bool {
	for _, a := range c.Accepted {
		if ErrorEnvelope(a.Body) {
			return true
		}
	}
	return false
}

// consistent: the valid answers agree with each other.
func (c *Calibration) consistent() bool {
	first := c.Accepted[0]
	for _, s := range c.Accepted[1:] {
		if s.Status != first.Status {
			return false
		}
		if Similarity(first.Shape(), s.Shape()) < sameBody {
			return false
		}
	}
	return true
}

// Classify gives a probe's verdict and the reason for it. On an endpoint
// that is not gated every verdict is inconclusive.
func (c *Calibration) Classify(s *Sample) (Verdict, string) {
	if u := s.Unusable(); u != "" {
		if c.Gated && s.refusalStatus() && c.refusedAlike(s) {
			return Rejected, fmt.Sprintf("%s, as refused credentials are answered", u)
		}
		return Inconclusive, u
	}
	if !c.Gated {
		return Inconclusive, "endpoint not calibrated: " + c.Reason
	}
	return c.classify(s)
}

// refusedAlike: a redirect or server error answered as the refused
// credentials were (same status; same place, or a body like theirs).
func (c *Calibration) refusedAlike(s *Sample) bool {
	for _, r := range c.Rejected {
		if r.Status != s.Status || !r.refusalStatus() {
			continue
		}
		if s.Status < 400 {
			if r.Header.Get("Location") == s.Header.Get("Location") || LoginRedirect(s) {
				return true
			}
			continue
		}
		if Similarity(r.Shape(), s.Shape()) >= sameBody {
			return true
		}
	}
	return false
}

func (c *Calibration) classify(s *Sample) (Verdict, string) {
	if u := s.Unusable(); u != "" {
		return Inconclusive, u
	}
	if ErrorEnvelope(s.Body) && !c.envelopes() {
		// {"success": false, ...} is a refusal whatever its status, on an
		// endpoint whose valid answers are not shaped so.
		return Rejected, fmt.Sprintf("status %d with an error envelope", s.Status)
	}
	inA, simA := best(c.Accepted, s)
	inR, simR := best(c.Rejected, s)
	switch {
	case inA && !inR:
		// The status alone separates the clusters; only a body that looks
		// more like a refusal than like the valid answer casts doubt.
		if simA >= sameBody || simA >= simR {
			return Accepted, fmt.Sprintf("status %d and body like the valid credential's (similarity %.2f)", s.Status, simA)
		}
		return Inconclusive, fmt.Sprintf("status %d as for the valid credential, but a different body (similarity %.2f)", s.Status, simA)
	case inR && !inA:
		return Rejected, fmt.Sprintf("status %d as for refused credentials", s.Status)
	case inA && inR:
		if simA >= sameBody && simA > simR+margin {
			return Accepted, fmt.Sprintf("body like the valid credential's (similarity %.2f vs %.2f to refusals)", simA, simR)
		}
		if simR >= sameBody && simR > simA+margin {
			return Rejected, fmt.Sprintf("body like a refusal (similarity %.2f)", simR)
		}
		return Inconclusive, fmt.Sprintf("body between accepted (%.2f) and refused (%.2f)", simA, simR)
	}
	// A status neither cluster has shown.
	switch {
	case s.Status == 401 || s.Status == 403:
		return Rejected, fmt.Sprintf("status %d", s.Status)
	case (s.Status == 400 || s.Status == 422) && s.looksLikeError() && c.Accepted[0].Status/100 == 2:
		// flask-jwt-extended answers a bad token 422, others 400.
		return Rejected, fmt.Sprintf("status %d with an error body", s.Status)
	case s.Status >= 400 && s.Status < 500 && c.Accepted[0].Status/100 == 2 && c.refusalKeys(s):
		// flask-jwt-extended's 422 {"msg": "Not enough segments"} to a
		// malformed token: the keys of the calibrated refusal ({"msg":
		// "Missing Authorization Header"}), none of the valid answer's.
		return Rejected, fmt.Sprintf("status %d with a body keyed like the refusals", s.Status)
	case s.Status/100 == 2 && c.Accepted[0].Status/100 == 2 && simA >= sameBody && simA > simR+margin:
		return Accepted, fmt.Sprintf("status %d with a body like the valid credential's (similarity %.2f)", s.Status, simA)
	}
	return Inconclusive, fmt.Sprintf("status %d matches neither accepted nor refused answers", s.Status)
}

// best reports whether any sample shares s's status, and the best body
// similarity among those that do.
func best(cluster []*Sample, s *Sample) (bool, float64) {
	found, top := false, 0.0
	for _, c := range cluster {
		if c.Status != s.Status {
			continue
		}
		found = true
		if sim := Similarity(c.Shape(), s.Shape()); sim > top {
			top = sim
		}
	}
	if !found {
		// For the 2xx fall-through: similarity to the first sample anyway.
		for _, c := range cluster {
			if sim := Similarity(c.Shape(), s.Shape()); sim > top {
				top = sim
			}
		}
	}
	return found, top
}

// Reflects reports whether a canary value appears in the body (raw or JSON
// escaped), which proves a forged claim was read.
func Reflects(s *Sample, canary string) bool {
	if canary == "" || s == nil {
		return false
	}
	return strings.Contains(string(s.Body), canary)
}

// refusalKeys: s's JSON body has exactly the keys of a calibrated refusal
// and not those of any valid answer: the calibration shows its shape is a
// refusal's, whatever its message says.
func (c *Calibration) refusalKeys(s *Sample) bool {
	keys := JSONKeys(s.Body)
	if keys == "" {
		return false
	}
	for _, a := range c.Accepted {
		if JSONKeys(a.Body) == keys {
			return false
		}
	}
	for _, r := range c.Rejected {
		if r.Status/100 == 4 && JSONKeys(r.Body) == keys {
			return true
		}
	}
	return false
}

// JSONKeys lists a JSON object's top-level keys, sorted and joined ("" for
// anything else).
func JSONKeys(body []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}
