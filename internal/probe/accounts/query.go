package accounts

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
)

// inQuery: a validation refusal that locates the fields it asks for in
// the query string (FastAPI/pydantic {"detail": [{"loc": ["query",
// "username"], ...}]}): the registration takes them there.
func inQuery(answer []byte) bool {
	var v struct {
		Detail []struct {
			Loc []any `json:"loc"`
		} `json:"detail"`
	}
	if json.Unmarshal(answer, &v) != nil {
		return false
	}
	for _, d := range v.Detail {
		if len(d.Loc) > 1 && d.Loc[0] == "query" {
			return true
		}
	}
	return false
}

// queryPost is a registration POST carrying body's scalar fields in the
// query string and no body.
func queryPost(u string, body map[string]any) *httpx.Request {
	req := &httpx.Request{Method: http.MethodPost, URL: u, Header: http.Header{}, Identity: "authprobe (registration)", NoRetry: true}
	parsed, err := url.Parse(u)
	if err != nil {
		return req
	}
	q := parsed.Query()
	for k, v := range body {
		switch v.(type) {
		case map[string]any, []any, nil:
			continue
		}
		q.Set(k, fmt.Sprint(v))
	}
	parsed.RawQuery = q.Encode()
	req.URL = parsed.String()
	return req
}

// formPost is a registration POST carrying body's scalar fields as an
// HTML form.
func formPost(u string, body map[string]any) *httpx.Request {
	q := url.Values{}
	for k, v := range body {
		switch v.(type) {
		case map[string]any, []any, nil:
			continue
		}
		q.Set(k, fmt.Sprint(v))
	}
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	return &httpx.Request{Method: http.MethodPost, URL: u, Header: h, Body: []byte(q.Encode()), Identity: "authprobe (registration)", NoRetry: true}
}

// formTemplate is the first identity whose login is a form with a user
// name and a password: its fields, and which of them are the user and
// the password.
func formTemplate(ids []*identity.Identity) (identity.Body, string, string, bool) {
	for _, id := range ids {
		if id.Login == nil || id.Login.JSON != nil || len(id.Login.Form) == 0 {
			continue
		}
		b := identity.Body{}
		for k, v := range id.Login.Form {
			b[k] = v
		}
		l := &identity.Login{JSON: b}
		pw := passwordPath(l)
		if pw == "" {
			continue
		}
		if u := userPath(l, pw); u != "" {
			return b, u, pw, true
		}
	}
	return nil, "", "", false
}
