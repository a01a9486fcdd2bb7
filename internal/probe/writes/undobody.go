package writes

import (
	"context"
	"net/http"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// undoByBody deletes obj through the DELETE on its create's own path with
// the object named in the body, as its create named it (Flask-RESTful's
// DELETE /store {"name": …} beside POST /store {"name": …} and GET
// /store/{name}), when the item path's DELETE did not: nil when the
// target has no such DELETE or the object is not named by the item
// parameter in its create's body.
func undoByBody(ctx context.Context, p *probe.Pass, obj *object, creds identity.Creds) *probe.Outcome {
	t := obj.t
	if t.Undo == nil || t.Undo == t.Item[http.MethodDelete] || obj.mark == nil || obj.mark.key != t.Param || t.Param == "" {
		return nil
	}
	return p.Send(ctx, t.Undo, t.request(http.MethodDelete, t.at, map[string]any{t.Param: obj.id}), creds, nil)
}
