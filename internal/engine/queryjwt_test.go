package engine

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// queryJWTAPI verifies an HS256 token (a strong secret) read from one
// place: the query parameter param, or the bearer when param is empty.
// A missing or bad token is refused with 401, unless open.
type queryJWTAPI struct {
	secret []byte
	param  string
	open   bool
}

func (a *queryJWTAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get(a.param)
	if a.param == "" {
		raw, _ = strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	tok, err := jose.Parse(raw)
	if !a.open && (err != nil || jose.Verify(tok, a.secret) != nil) {
		w.WriteHeader(401)
		w.Write([]byte(`{"detail":"not authenticated"}`))
		return
	}
	w.Write([]byte(`{"reports":[{"id":1,"title":"q3"}]}`))
}

func queryJWTToken(t *testing.T, secret []byte) string {
	t.Helper()
	s, _ := jose.HMAC("HS256", secret)
	now := time.Now().Unix()
	tok, err := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), []byte(fmt.Sprintf(`{"sub":"ana","iat":%d,"exp":%d}`, now, now+600)), s)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestTokenTravelsInQuery: an identity whose JWT travels only in the
// query string (the API reads no other slot) is the finding itself, proven
// by the served request and a refused malformed token in the same
// parameter. The twins yield nothing: the same API reading the bearer
// (the token moved to the query is refused), and an endpoint that serves
// without any token.
func TestTokenTravelsInQuery(t *testing.T) {
	t.Parallel()
	secret := []byte("a-strong-secret-of-32-bytes-long!!")
	tok := queryJWTToken(t, secret)
	inQuery := []*identity.Identity{{Name: "ana", Base: identity.Creds{Query: map[string]string{"access_token": tok}}}}
	out := runCheck(t, &queryJWTAPI{secret: secret, param: "access_token"}, "GET /api/reports", inQuery, "jwt.token-in-query", probe.Settings{})
	if len(out.Findings) != 1 || out.Findings[0].Rule != "jwt.token-in-query" {
		t.Fatalf("findings %v, want one jwt.token-in-query", out.Findings)
	}
	f := out.Findings[0]
	if !strings.Contains(f.Message, `"access_token"`) || f.Evidence == nil || !strings.Contains(f.Evidence.Control, "malformed") {
		t.Errorf("finding %q with evidence %+v: want the parameter named and the malformed-token control", f.Message, f.Evidence)
	}
	if strings.Contains(f.Evidence.Curl, tok) {
		t.Errorf("the identity's token is printed whole: %s", f.Evidence.Curl)
	}

	bearer := []*identity.Identity{{Name: "ana", Base: identity.Creds{Bearer: tok}}}
	if out := runCheck(t, &queryJWTAPI{secret: secret}, "GET /api/reports", bearer, "jwt.token-in-query", probe.Settings{}); len(out.Findings) != 0 {
		t.Errorf("bearer-only twin: %v", out.Findings)
	}
	if out := runCheck(t, &queryJWTAPI{secret: secret, param: "access_token", open: true}, "GET /api/reports", inQuery, "jwt.token-in-query", probe.Settings{}); len(out.Findings) != 0 {
		t.Errorf("an endpoint open without a token: %v", out.Findings)
	}
}
