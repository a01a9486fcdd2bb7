package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
)

// sarifResultOf renders one finding. Its location is always physical,
// because GitHub code scanning rejects a whole upload when one result has
// none or only a logical one (see sarifAnchors); an endpoint is also named
// in the message, in properties and as a logicalLocation beside it.
func sarifResultOf(f finding.Finding, ruleIndex int, anchors sarifAnchors) sarifResult {
	msg := f.Message
	if msg == "" {
		msg = f.Title
	}
	if f.Endpoint != nil {
		msg = fmt.Sprintf("%s: %s", f.Endpoint, msg)
	}
	if f.Identity != "" {
		msg += fmt.Sprintf(" (identity %s)", f.Identity)
	}
	res := sarifResult{
		RuleID: f.Rule, RuleIndex: ruleIndex, Level: sarifLevel(f.Severity),
		Message:             sarifText{Text: msg},
		PartialFingerprints: map[string]string{FingerprintKey: fingerprintOf(f)},
		Properties: map[string]any{
			"severity":   string(f.Severity),
			"confidence": string(f.Confidence),
		},
	}
	props := res.Properties
	if f.Source != "" {
		props["source"] = f.Source
	}
	if f.Identity != "" {
		props["identity"] = f.Identity
	}
	src, how := anchors.locate(f)
	loc := sarifLocation{PhysicalLocation: physical(src)}
	props["location"] = how
	if f.Endpoint != nil {
		props["endpoint"] = f.Endpoint.String()
		props["method"] = f.Endpoint.Method
		props["path"] = f.Endpoint.Path
		loc.LogicalLocations = []sarifLogicalLocation{{
			Name: f.Endpoint.Path, FullyQualifiedName: f.Endpoint.String(), Kind: "resource",
		}}
	}
	res.Locations = []sarifLocation{loc}
	for i, rel := range f.Related {
		res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: i + 1, PhysicalLocation: physical(rel)})
	}
	if len(f.Flow) > 0 {
		var tf sarifThreadFlow
		for _, st := range f.Flow {
			msg := st.Role
			if st.Note != "" {
				msg += ": " + st.Note
			}
			tf.Locations = append(tf.Locations, sarifThreadFlowLocation{Location: sarifLocation{
				PhysicalLocation: physical(st.Location), Message: &sarifText{Text: msg}}})
		}
		res.CodeFlows = []sarifCodeFlow{{ThreadFlows: []sarifThreadFlow{tf}}}
	}
	// Every other place of the root cause: a related location each, with
	// the endpoint as a logical location and the source line when known.
	if len(f.Instances) > 1 {
		props["instances"] = placesOf(f)
		for _, in := range f.Instances {
			if in.Endpoint == nil || (f.Endpoint != nil && *in.Endpoint == *f.Endpoint) {
				continue
			}
			rl := sarifLocation{ID: len(res.RelatedLocations) + 1,
				LogicalLocations: []sarifLogicalLocation{{Name: in.Endpoint.Path, FullyQualifiedName: in.Endpoint.String(), Kind: "resource"}},
				Message:          &sarifText{Text: "also at " + in.Endpoint.String()}}
			if in.Location != nil {
				rl.PhysicalLocation = physical(*in.Location)
			}
			res.RelatedLocations = append(res.RelatedLocations, rl)
		}
	}
	if f.Gate != "" {
		props["gate"] = f.Gate
	}
	if e := f.Evidence; e != nil {
		ev := map[string]any{}
		for k, s := range map[string]string{"curl": e.Curl, "request": e.Request, "proof": e.Proof, "control": e.Control, "token": e.Token} {
			if s != "" {
				ev[k] = s
			}
		}
		if e.Status != 0 {
			ev["status"] = e.Status
		}
		props["evidence"] = ev
	}
	if f.Suppressed != "" {
		res.Suppressions = []sarifSuppression{{Kind: suppressionKind(f), Justification: f.Suppressed}}
	}
	return res
}

func physical(l finding.Location) *sarifPhysical {
	p := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(l.File)}}
	if l.Line > 0 {
		p.Region = &sarifRegion{StartLine: l.Line}
		if l.Column > 0 {
			p.Region.StartColumn = l.Column
		}
		if l.Snippet != "" {
			p.Region.Snippet = &sarifText{Text: l.Snippet}
		}
	}
	return p
}

// suppressionKind is "inSource" for an inline ignore comment and "external"
// for a baseline or an ignore file.
func suppressionKind(f finding.Finding) string {
	if isExternalSuppression(f.Suppressed) {
		return "external"
	}
	return "inSource"
}

// fingerprintOf returns the finding's fingerprint, computing it on a copy
// when a hand-made result lacks one; the finding itself is never changed.
func fingerprintOf(f finding.Finding) string {
	if f.Fingerprint != "" {
		return f.Fingerprint
	}
	f.ComputeFingerprint()
	return f.Fingerprint
}

// sarifAnchors gives every finding a physical location: its own source line;
// else, for a dynamic finding, the handler of its endpoint when the result
// knows it (Endpoint.Source, from a source-aware scan); else line 1 of the
// anchor file (Options.SARIFAnchor, by default the scan config).
type sarifAnchors struct {
	handler map[string]finding.Location
	anchor  string
}

// DefaultSARIFAnchor is the file SARIF results without a source line point
// at when Options.SARIFAnchor is empty: the conventional scan config.
const DefaultSARIFAnchor = "authprobe.yaml"

func newSARIFAnchors(r *Result, opt Options) sarifAnchors {
	a := sarifAnchors{handler: map[string]finding.Location{}, anchor: opt.SARIFAnchor}
	if a.anchor == "" {
		a.anchor = DefaultSARIFAnchor
	}
	for _, e := range r.Endpoints {
		file, line, ok := splitSource(e.Source)
		if ok {
			a.handler[e.Method+" "+e.Path] = finding.Location{File: file, Line: line}
		}
	}
	return a
}

// locate returns the finding's physical location and how it was chosen
// ("source", "handler" or "anchor").
func (a sarifAnchors) locate(f finding.Finding) (finding.Location, string) {
	if f.Location != nil {
		return *f.Location, "source"
	}
	if f.Endpoint != nil {
		if l, ok := a.handler[f.Endpoint.String()]; ok {
			return l, "handler"
		}
	}
	return finding.Location{File: a.anchor, Line: 1}, "anchor"
}

// splitSource parses "file:line".
func splitSource(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return "", 0, false
	}
	line, err := strconv.Atoi(s[i+1:])
	if err != nil || line <= 0 {
		return "", 0, false
	}
	return s[:i], line, true
}
