package engine

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine/gates"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
)

// strippedGateAPI has routes /s/0.. behind one verifier that takes any
// non-empty signature on a payload it has seen (a cache keyed by
// header.payload: a bug no discriminating probe sends, since those change
// the payload, the header or empty the signature), and one route /s/odd
// whose own verifier is strict although it refuses alike.
type strippedGateAPI struct {
	tok    string
	secret []byte
}

func (a *strippedGateAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	tok, err := jose.Parse(raw)
	verified := ok && err == nil && jose.Verify(tok, a.secret) == nil
	cached := ok && err == nil && tok.Signature != "" && a.tok != "" && tok.SigningInput() == a.tok[:strings.LastIndex(a.tok, ".")]
	if !verified && !(cached && r.URL.Path != "/s/odd") {
		w.WriteHeader(401)
		w.Write([]byte(`{"error":"invalid or missing token"}`))
		return
	}
	fmt.Fprintf(w, `{"route":%q,"items":[1,2,3]}`, r.URL.Path)
}

func scanStripped(t *testing.T, routes int, fast bool) (*Outcome, int) {
	t.Helper()
	secret := []byte("a-strong-secret-of-32-bytes-long!!")
	s, _ := jose.HMAC("HS256", secret)
	now := time.Now().Unix()
	tok, err := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), []byte(fmt.Sprintf(`{"sub":"alice","iat":%d,"exp":%d}`, now, now+600)), s)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&strippedGateAPI{tok: tok, secret: secret})
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{}
	for i := 0; i < routes; i++ {
		ep, _ := inventory.ParseEndpoint(fmt.Sprintf("GET /s/%d", i))
		inv.Add(ep)
	}
	odd, _ := inventory.ParseEndpoint("GET /s/odd")
	inv.Add(odd)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := Run(ctx, Options{Target: u, Client: client, Inventory: inv, Checks: Registry(), Fast: fast,
		Identities: []*identity.Identity{{Name: "alice", Base: identity.Creds{Bearer: tok}}}})
	if err != nil {
		t.Fatal(err)
	}
	return out, client.Requests()
}

// TestGateConfirmation: a weakness the discriminating probes do not send
// (a random signature on a known payload accepted) is proven on the representative and
// confirmed on every other member with its proving request; the member
// that does not reproduce it is checked on its own and reported nowhere.
// With Fast, a sample is confirmed and the rest are inferred (marked not
// confirmed), for fewer requests.
func TestGateConfirmation(t *testing.T) {
	t.Parallel()
	const routes = 12
	out, full := scanStripped(t, routes, false)
	var stripped []string
	for _, f := range out.Findings {
		if f.Rule != "jwt.invalid-signature-accepted" {
			t.Errorf("unexpected %s at %v: %s", f.Rule, f.Endpoint, f.Message)
			continue
		}
		for _, in := range f.Instances {
			if !in.Confirmed {
				t.Errorf("%s: not confirmed without --fast", in.Endpoint)
			}
			stripped = append(stripped, in.Endpoint.Path)
		}
		if f.Replay == nil || len(f.Replay.Creds) != 1 || f.Replay.Creds[0].Forge != "random-signature" {
			t.Errorf("replay %+v, want the random-signature forgery's recipe", f.Replay)
		}
	}
	if len(stripped) != routes || strings.Contains(strings.Join(stripped, " "), "odd") {
		t.Errorf("random signature accepted at %v, want the %d routes of the gate and not /s/odd", stripped, routes)
	}

	fastOut, fast := scanStripped(t, routes, true)
	confirmed, inferred := 0, 0
	for _, f := range fastOut.Findings {
		for _, in := range f.Instances {
			if in.Confirmed {
				confirmed++
			} else {
				inferred++
			}
		}
	}
	// Every member is listed, /s/odd included: past the sample a member
	// is inferred from its gate, never confirmed, which is what --fast
	// trades for its requests.
	if confirmed != gates.FastSample+1 || confirmed+inferred != routes+1 {
		t.Errorf("--fast: %d confirmed, %d inferred; want %d confirmed and the other %d members inferred", confirmed, inferred, gates.FastSample+1, routes-gates.FastSample)
	}
	if fast >= full {
		t.Errorf("--fast sent %d requests, a full confirmation %d", fast, full)
	}
}
