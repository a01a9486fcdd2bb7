package principal

import (
	"net/http"

	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// LearnOwn is Learn for an answer observed to be the identity's own: it
// was served to the identity and refused to another identity sending the
// same request (GET /user/1 served to john, refused to rahul). There a
// record's display name ("name") equal to one of the identity's values
// names it too, so {"id": 1, "name": "JOHN"} teaches john's id 1. On
// answers not shown to be the identity's own a name decides nothing (a
// role named like a user is no one's record).
func (s *Self) LearnOwn(body []byte, from string) { s.learn(body, from, true) }

func served(c probe.Cell) bool {
	return c.Outcome != nil && c.Outcome.Sample != nil && c.Outcome.Sample.Status/100 == 2
}

// refusedToOther: another configured identity sent the same request as
// cell c and was refused (401, 403 or 404), so c's answer is its own.
// The identity cells of one endpoint are all sent to its one concrete
// URL; where both requests are kept, they must match.
func refusedToOther(c probe.Cell, cells []probe.Cell) bool {
	for _, o := range cells {
		if o.Variant != slots.CellIdentity || o.Identity == c.Identity || o.Outcome == nil || o.Outcome.Sample == nil {
			continue
		}
		if a, b := c.Outcome.Request, o.Outcome.Request; a != nil && b != nil && (a.URL != b.URL || a.Method != b.Method) {
			continue
		}
		switch o.Outcome.Sample.Status {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return true
		}
	}
	return false
}
