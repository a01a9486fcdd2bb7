package keys

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// hit is one request the target made to the key server.
type hit struct {
	remote, agent string
	at            time.Time
}

// served is one document published for one probe, under a random path.
type served struct {
	kind     string // "jku" or "x5u"
	ep       *inventory.Endpoint
	identity string
	body     []byte
	ctype    string
	hits     []hit
	reported bool
}

// keyServer is authprobe's own HTTP server for key sets and certificates
// named in jku/x5u headers. It is the one place outside httpx that uses
// net/http, as a server: it answers only the random paths it published and
// records who fetched them.
type keyServer struct {
	base      string
	srv       *http.Server
	mu        sync.Mutex
	docs      map[string]*served
	closeOnce sync.Once
}

// maxHits bounds what a hostile or looping fetcher can make us record.
const maxHits = 20

// errNoCallback: the target cannot reach a loopback server.
var errNoCallback = errors.New("the target is not on loopback and no --callback address was given; jku/x5u checks skipped")

// serverAddr says where to listen and which base URL to put in tokens.
func serverAddr(cb string, target *url.URL) (listen, advertise string, err error) {
	if cb != "" {
		host := cb
		if strings.Contains(cb, "://") {
			u, err := url.Parse(cb)
			if err != nil {
				return "", "", fmt.Errorf("--callback %q: %w", cb, err)
			}
			host = u.Host
		}
		name, port, err := net.SplitHostPort(host)
		if err != nil || port == "" || port == "0" || name == "" {
			return "", "", fmt.Errorf("--callback %q: want host:port with a fixed port", cb)
		}
		// Only the callback host's address, never every interface: the
		// server must not be reachable from networks the scan is not on.
		return net.JoinHostPort(name, port), "http://" + host, nil
	}
	h := target.Hostname()
	if ip := net.ParseIP(h); h == "localhost" || (ip != nil && ip.IsLoopback()) {
		return "127.0.0.1:0", "", nil
	}
	return "", "", errNoCallback
}

// server starts the key server once per scan; ctx ending stops it.
func (s *scanState) keyServer(ctx context.Context, p *probe.Pass) (*keyServer, error) {
	s.serverOnce.Do(func() {
		listen, advertise, err := serverAddr(p.Settings().Callback, p.Session().Target)
		if err != nil {
			s.serverErr = err
			return
		}
		ln, err := net.Listen("tcp", listen)
		if err != nil {
			s.serverErr = fmt.Errorf("key server: %w", err)
			return
		}
		if advertise == "" {
			advertise = "http://" + ln.Addr().String()
		}
		k := &keyServer{base: advertise, docs: map[string]*served{}}
		k.srv = &http.Server{Handler: k, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second}
		go func() { _ = k.srv.Serve(ln) }()
		context.AfterFunc(ctx, k.close)
		s.server = k
	})
	return s.server, s.serverErr
}

func (k *keyServer) close() {
	k.closeOnce.Do(func() { _ = k.srv.Close() })
}

// publish serves body under a fresh random path and returns its URL.
func (k *keyServer) publish(kind, name string, ep *inventory.Endpoint, identity string, body []byte, ctype string) (string, string) {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	path := "/" + hex.EncodeToString(b) + "/" + name
	k.mu.Lock()
	k.docs[path] = &served{kind: kind, ep: ep, identity: identity, body: body, ctype: ctype}
	k.mu.Unlock()
	return k.base + path, path
}

// ServeHTTP answers published paths and records each fetch.
func (k *keyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	d := k.docs[r.URL.Path]
	if d != nil && len(d.hits) < maxHits {
		d.hits = append(d.hits, hit{remote: r.RemoteAddr, agent: r.UserAgent(), at: time.Now()})
	}
	k.mu.Unlock()
	if d == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", d.ctype)
	_, _ = w.Write(d.body)
}

// fetched returns the recorded fetches of path and marks it reported when
// mark is set.
func (k *keyServer) fetched(path string, mark bool) []hit {
	k.mu.Lock()
	defer k.mu.Unlock()
	d := k.docs[path]
	if d == nil {
		return nil
	}
	if mark {
		d.reported = true
	}
	return append([]hit(nil), d.hits...)
}

// unreported returns the documents fetched but not yet reported.
func (k *keyServer) unreported() []*served {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []*served
	for _, d := range k.docs {
		if !d.reported && len(d.hits) > 0 {
			d.reported = true
			cp := *d
			cp.hits = append([]hit(nil), d.hits...)
			out = append(out, &cp)
		}
	}
	return out
}

// selfSigned returns a PEM certificate for key, signed by itself.
func selfSigned(key *rsa.PrivateKey) ([]byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "authprobe test signing key"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("self-signed certificate: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
