package report

import (
	"fmt"

	"github.com/authprobe/authprobe/internal/finding"
)

// sarifResultOf renders one finding. A source line becomes a
// physicalLocation; an endpoint is named in the message, in properties and
// as a logicalLocation, so dynamic findings stay readable in viewers that
// only show the message.
func sarifResultOf(f finding.Finding, ruleIndex int) sarifResult {
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
	loc := sarifLocation{}
	if f.Location != nil {
		loc.PhysicalLocation = physical(*f.Location)
	}
	if f.Endpoint != nil {
		props["endpoint"] = f.Endpoint.String()
		props["method"] = f.Endpoint.Method
		props["path"] = f.Endpoint.Path
		loc.LogicalLocations = []sarifLogicalLocation{{
			Name: f.Endpoint.Path, FullyQualifiedName: f.Endpoint.String(), Kind: "resource",
		}}
	}
	if loc.PhysicalLocation != nil || loc.LogicalLocations != nil {
		res.Locations = []sarifLocation{loc}
	}
	for i, rel := range f.Related {
		res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: i + 1, PhysicalLocation: physical(rel)})
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
