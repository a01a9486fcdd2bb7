package claims_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// noExpAPI verifies HS256 tokens in the bearer with key and checks exp
// only when the token has one (PyJWT's and flask-jwt-extended's default):
// an exp-less token never expires. Its refusals are 401 JSON.
type noExpAPI struct{ key []byte }

func (a noExpAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	tok, err := jose.Parse(raw)
	ok := err == nil && tok.Alg() == "HS256" && jose.Verify(tok, a.key) == nil
	if ok {
		if exp, has := jose.NumericDate(tok.Claims["exp"]); has && exp.Before(time.Now()) {
			ok = false
		}
	}
	if !ok {
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"msg":"invalid token"}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"user": tok.Claims["sub"], "cards": []any{"4242"}})
}

func scanNoExp(t *testing.T, key []byte, set probe.Settings) []finding.Finding {
	t.Helper()
	srv := httptest.NewServer(noExpAPI{key: key})
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	s, _ := jose.HMAC("HS256", key)
	now := time.Now().Unix()
	payload, _ := json.Marshal(map[string]any{"sub": "ana", "iat": now, "exp": now + 600})
	tok, err := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), payload, s)
	if err != nil {
		t.Fatal(err)
	}
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{}
	ep, _ := inventory.ParseEndpoint("GET /cards")
	inv.Add(ep)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	out, err := engine.Run(ctx, engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(), Settings: set,
		Identities: []*identity.Identity{{Name: "ana", Base: identity.Creds{Bearer: tok}}}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Findings
}

// TestMissingExpWeight: a verifier that does not require exp is medium
// when the owner gave the key (the gap stands on its own), and low review
// when the scan recovered a weak key: with it anyone signs any expiry, so
// the exp-less token is the weak secret again (one weakness, one finding).
func TestMissingExpWeight(t *testing.T) {
	sevOf := func(fs []finding.Finding) (finding.Severity, bool, string) {
		weak := false
		var sev finding.Severity
		msg := ""
		for _, f := range fs {
			switch f.Rule {
			case "jwt.missing-exp-accepted":
				sev, msg = f.Severity, f.Message
			case "jwt.weak-secret":
				weak = true
			}
		}
		return sev, weak, msg
	}
	strong := []byte("k3P9-zq7Vd2LwX8rT5mN0bY6cJ4hG1fA")
	sev, weak, msg := sevOf(scanNoExp(t, strong, probe.Settings{JWTSecret: strong}))
	if weak || sev != finding.Medium {
		t.Errorf("owner's strong key: missing-exp %q (%s), weak secret %v; want medium and no weak secret", sev, msg, weak)
	}
	sev, weak, msg = sevOf(scanNoExp(t, []byte("secret123"), probe.Settings{}))
	if !weak || sev != finding.Low || !strings.Contains(msg, "recovered") {
		t.Errorf("recovered weak key: missing-exp %q (%s), weak secret %v; want low review beside the weak secret", sev, msg, weak)
	}
}
