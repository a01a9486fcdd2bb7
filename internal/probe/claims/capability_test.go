package claims

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// fakeEnv answers the two Env methods capability lookup uses.
type fakeEnv struct {
	probe.Env
	st    probe.Settings
	notes []string
}

func (e *fakeEnv) Settings() probe.Settings { return e.st }
func (e *fakeEnv) Note(msg string)          { e.notes = append(e.notes, msg) }
func (e *fakeEnv) NotRun(msg string)        { e.notes = append(e.notes, msg) }

func signed(t *testing.T, s jose.Signer) *jose.Token {
	t.Helper()
	raw, err := jose.Sign([]byte(`{"typ":"JWT"}`), []byte(`{"sub":"a"}`), s)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jose.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestConfiguredCapability(t *testing.T) {
	hs, _ := jose.HMAC("HS256", []byte("owner-secret"))
	hsTok := signed(t, hs)
	key, _ := rsa.GenerateKey(rand.Reader, 1024)
	rs, _ := jose.RSA("RS256", key)
	rsTok := signed(t, rs)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.pem")
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(keyFile, pemKey, 0o600); err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 1024)
	otherFile := filepath.Join(dir, "other.pem")
	_ = os.WriteFile(otherFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(other)}), 0o600)

	for _, tc := range []struct {
		name    string
		st      probe.Settings
		tok     *jose.Token
		wantCap bool
		note    string
	}{
		{"secret signs the token", probe.Settings{JWTSecret: []byte("owner-secret")}, hsTok, true, ""},
		{"secret does not", probe.Settings{JWTSecret: []byte("other")}, hsTok, false, "does not verify"},
		{"key file signs the token", probe.Settings{JWTKeyFile: keyFile}, rsTok, true, ""},
		{"key file does not", probe.Settings{JWTKeyFile: otherFile}, rsTok, false, "does not verify"},
		{"missing key file", probe.Settings{JWTKeyFile: filepath.Join(dir, "nope.pem")}, rsTok, false, "--jwt-key"},
		{"nothing configured", probe.Settings{}, hsTok, false, ""},
	} {
		env := &fakeEnv{st: tc.st}
		p := &probe.Pass{Env: env, Identity: &identity.Identity{Name: "alice"}}
		s := &scanState{caps: map[string]*capability{}}
		c := s.capFor(p, tc.tok)
		if (c != nil) != tc.wantCap {
			t.Errorf("%s: capability %v", tc.name, c)
			continue
		}
		if c != nil {
			if c.recovered {
				t.Errorf("%s: configured material marked as recovered", tc.name)
			}
			raw, err := c.sign(tc.tok, map[string]any{"x": 1}, nil, "", false)
			got, _ := jose.Parse(raw)
			if err != nil || got == nil || jose.Verify(got, verifyKey(tc.tok, key)) != nil {
				t.Errorf("%s: re-signed token does not verify: %v", tc.name, err)
			}
		}
		if tc.note != "" && (len(env.notes) != 1 || !strings.Contains(env.notes[0], tc.note)) {
			t.Errorf("%s: notes %v, want one with %q", tc.name, env.notes, tc.note)
		}
		if s.capFor(p, tc.tok) != c {
			t.Errorf("%s: capability not cached per identity", tc.name)
		}
	}
}

func verifyKey(tok *jose.Token, key *rsa.PrivateKey) any {
	if strings.HasPrefix(tok.Alg(), "HS") {
		return []byte("owner-secret")
	}
	return &key.PublicKey
}
