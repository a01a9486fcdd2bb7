package engine

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// deleteAccounts deletes, at the end of a scan with --allow-writes, the
// accounts the scan registered, each as itself, where the API has a DELETE
// on an item of the registration's collection (/api/users →
// DELETE /api/user/{id}) and the registration answered with the account's
// id. An account deleted this way is "deleted" in the result; the others
// stay "left".
func (s *Scan) deleteAccounts(ctx context.Context) {
	if s.registration == nil || !s.opt.AllowWrites || s.opt.Inventory == nil {
		return
	}
	reg := s.registration.Registrar
	var del, param string
	for _, ep := range s.opt.Inventory.Endpoints {
		if ep.Method == http.MethodDelete && writes.ItemOf(reg.Path, ep.Path) && strings.Count(ep.Path, "{") == 1 {
			del = ep.Path
			param = strings.Trim(ep.Path[strings.LastIndex(ep.Path, "/")+1:], "{}")
			break
		}
	}
	if del == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for _, acc := range s.registration.Accounts {
		if acc.Identity == nil || acc.State != "left" {
			continue
		}
		id := accountID(acc.Answer, del, param)
		if id == "" {
			continue
		}
		creds, err := acc.Identity.Creds(ctx, s.session)
		if err != nil {
			continue
		}
		u := *s.opt.Target
		u.Path = strings.TrimRight(u.Path, "/") + strings.Replace(del, "{"+param+"}", url.PathEscape(id), 1)
		u.RawQuery = ""
		req := &httpx.Request{Method: http.MethodDelete, URL: u.String(), Header: http.Header{}, Identity: acc.Name + " (cleanup)"}
		if creds.Apply(req) != nil {
			continue
		}
		resp := s.opt.Client.Do(ctx, req)
		if resp.Err == nil && resp.Status/100 == 2 {
			acc.State = "deleted"
			s.Note(fmt.Sprintf("accounts: %s deleted as itself (DELETE %s, %d)", acc.Name, del, resp.Status))
			continue
		}
		s.Note(fmt.Sprintf("accounts: %s left in place: its DELETE %s answered %s", acc.Name, del, answer(resp)))
	}
}

// accountID is the new account's id in its registration answer: the field
// named like the DELETE path's parameter, id, _id, uuid, else the item's
// noun with id ({"userid": 7} for /api/user/{id}).
func accountID(answer []byte, del, param string) string {
	if id := writes.ObjectID(answer, "", param); id != "" {
		return id
	}
	segs := strings.Split(strings.Trim(del, "/"), "/")
	if len(segs) < 2 {
		return ""
	}
	for _, noun := range []string{segs[len(segs)-2], reqbody.Singular(segs[len(segs)-2])} {
		if noun == "" {
			continue
		}
		for _, k := range []string{noun + "id", noun + "_id", noun + "Id"} {
			if id := writes.ObjectID(answer, "", k); id != "" {
				return id
			}
		}
	}
	return ""
}
