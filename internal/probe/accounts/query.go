package accounts

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/authprobe/authprobe/internal/httpx"
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
