package claims

import (
	"fmt"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/probe"
)

// fromSource tries the signing secrets written in the source (scan
// --source) against the target before any cracking: no guess, no request.
// It returns the secret that signs the target and where it is written,
// nil when none does.
func fromSource(p *probe.Pass, t *crack.Target) (crack.Result, *probe.SourceSecret) {
	for i, s := range p.Settings().SourceSecrets {
		if len(s.Value) > 0 && t.Verify(s.Value) {
			sec := p.Settings().SourceSecrets[i]
			return crack.Result{Found: true, Secret: sec.Value, Known: crack.IsBuiltin(sec.Value)}, &sec
		}
	}
	return crack.Result{}, nil
}

// pinned ties a secret finding to the source line that writes the secret:
// a hardcoded secret is a hard-coded credential (CWE-798) whatever its
// strength.
func pinned(fd finding.Finding, written *probe.SourceSecret) finding.Finding {
	if written == nil {
		return fd
	}
	fd.Location = &finding.Location{File: written.File, Line: written.Line}
	has := false
	for _, c := range fd.CWE {
		has = has || c == catalog.CWEKnownDefault
	}
	if !has {
		fd.CWE = append(fd.CWE, catalog.CWEKnownDefault)
	}
	fd.Message += fmt.Sprintf("; the secret is written in the source at %s:%d (%s) and was tried as the key before any cracking", written.File, written.Line, written.What)
	return fd
}
