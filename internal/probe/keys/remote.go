package keys

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// remote describes one URL-named key attack: jku (a JWK Set) or x5u (a
// certificate).
type remote struct {
	check, header, fetchRule, trustRule, doc string
}

var (
	jku = remote{check: "jwt.jku", header: "jku", fetchRule: jkuFetch, trustRule: jkuTrust, doc: "key set"}
	x5u = remote{check: "jwt.x5u", header: "x5u", fetchRule: x5uFetch, trustRule: x5uTrust, doc: "certificate"}
)

func (f *family) runJKU(ctx context.Context, p *probe.Pass) { f.runRemote(ctx, p, jku) }
func (f *family) runX5U(ctx context.Context, p *probe.Pass) { f.runRemote(ctx, p, x5u) }

// runRemote publishes a document with authprobe's key under a URL unique to
// this endpoint, names it in the token header and signs with that key. An
// arrival at the URL proves the fetch; acceptance twice, with the same
// header over a token signed by another key refused, proves the trust.
func (f *family) runRemote(ctx context.Context, p *probe.Pass, r remote) {
	t, ok := start(p, r.check, nil)
	if !ok {
		return
	}
	st := f.of(p.Env)
	srv, err := st.keyServer(ctx, p)
	if err != nil {
		if p.First(r.check + "|server-note") {
			p.Note(fmt.Sprintf("%s: %v", r.header, err))
		}
		return
	}
	own, err := st.keys()
	if err != nil {
		p.Note(fmt.Sprintf("%s: %v", r.header, err))
		return
	}
	hset, hdel, err := r.publishFor(srv, own, p)
	if err != nil {
		return
	}
	path := strings.TrimPrefix(hset[r.header].(string), srv.base)
	build := func(set map[string]any) (string, error) { return keySigned(t.Tok, hset, hdel, set, own.rsa) }
	first, err := build(map[string]any{"authprobe": forgery.Canary()})
	if err != nil {
		return
	}
	o := t.Send(ctx, r.header+" naming authprobe's "+r.doc, first)
	if o.Accepted() && f.trusted(ctx, t, r, srv, own, hset, hdel, build) {
		return
	}
	if hits := srv.fetched(path, true); len(hits) > 0 {
		reportFetch(p, r, o, hits, hset[r.header].(string))
	}
}

// trusted reproduces an accepted token naming our document and reports the
// trust when the same header over a token signed with another key is
// refused.
func (f *family) trusted(ctx context.Context, t *forgery.Target, r remote, srv *keyServer, own *ownKeys, hset map[string]any, hdel []string, build forgery.Build) bool {
	fg := t.Attempt(ctx, r.header+" naming authprobe's "+r.doc, build)
	if fg == nil {
		return false
	}
	ctlTok, err := keySigned(t.Tok, hset, hdel, map[string]any{"authprobe": fg.Canary}, own.rsaOther)
	if err != nil {
		return false
	}
	ctl, ok := t.Rejected(ctx, r.header+" naming authprobe's "+r.doc+", signed with another key", ctlTok)
	if !ok {
		t.P.Note(fmt.Sprintf("%s: %s token accepted, but the wrong-key control was not refused (%s)", t.P.Endpoint.Key(), r.header, ctl.Why))
		return false
	}
	u := hset[r.header].(string)
	msg := fmt.Sprintf("a token signed with authprobe's key and naming authprobe's %s in its %s header (%s) was accepted", r.doc, r.header, u)
	if hits := srv.fetched(strings.TrimPrefix(u, srv.base), true); len(hits) > 0 {
		msg += fmt.Sprintf("; the API fetched it from authprobe (%d request(s) from %s)", len(hits), hits[0].remote)
	}
	t.Report(r.trustRule, fg, msg, "the same header over a token signed with a different key was refused")
	return true
}

// publishFor publishes the document for one probe and returns the header
// members to set and delete.
func (r remote) publishFor(srv *keyServer, own *ownKeys, p *probe.Pass) (map[string]any, []string, error) {
	if r.header == "jku" {
		kid := "authprobe-" + strings.TrimPrefix(forgery.Canary(), "authprobe")
		set, err := jose.JWKS(jose.JWK{Kid: kid, Use: "sig", Alg: "RS256", Key: own.rsa.Public()})
		if err != nil {
			return nil, nil, err
		}
		u, _ := srv.publish("jku", "jwks.json", p.Endpoint, p.Identity.Name, set, "application/json")
		return map[string]any{"jku": u, "kid": kid}, []string{"jwk", "x5u", "x5c"}, nil
	}
	u, _ := srv.publish("x5u", "cert.pem", p.Endpoint, p.Identity.Name, own.cert, "application/x-pem-file")
	return map[string]any{"x5u": u}, []string{"jwk", "jku", "x5c", "kid"}, nil
}

// reportFetch records that the target fetched a URL only one probe named.
func reportFetch(p *probe.Pass, r remote, o *probe.Outcome, hits []hit, u string) {
	fd := p.Finding(catalog.New(r.fetchRule))
	fd.Confidence = finding.Confirmed
	fd.Message = fmt.Sprintf("the API fetched the %s named in a token's %s header (%s): %d request(s) from %s; the token itself was not accepted",
		r.doc, r.header, u, len(hits), hits[0].remote)
	proof := fmt.Sprintf("GET %s arrived at authprobe's key server from %s (User-Agent %q); the path is random and was sent only in this token", u, hits[0].remote, hits[0].agent)
	if o != nil {
		fd.Evidence = p.Evidence(o, proof, "no other request carried the URL")
	} else {
		fd.Evidence = &finding.Evidence{Proof: proof, Control: "no other request carried the URL"}
	}
	p.Report(fd)
}

// Finish implements probe.State; it runs once after every endpoint, or
// when the scan ends early: fetches that arrived after their probe's
// answer are reported (unless the scan was cut short), then the key server
// stops.
func (st *scanState) Finish(ctx context.Context, p *probe.Pass) {
	if st.server == nil {
		return
	}
	defer st.server.close()
	if ctx.Err() != nil {
		return
	}
	for _, d := range st.server.unreported() {
		r := jku
		if d.kind == "x5u" {
			r = x5u
		}
		if p.Proven(r.trustRule, d.ep) {
			continue
		}
		ep := &probe.Pass{Env: p.Env, Endpoint: d.ep}
		fd := ep.Finding(catalog.New(r.fetchRule))
		fd.Identity = d.identity
		fd.Confidence = finding.Confirmed
		fd.Message = fmt.Sprintf("the API fetched the %s named in a token's %s header after answering the request (%d fetch(es) from %s)", r.doc, r.header, len(d.hits), d.hits[0].remote)
		fd.Evidence = &finding.Evidence{Proof: "a request arrived at a random path of authprobe's key server that only one token named", Control: "no other request carried the URL"}
		p.Report(fd)
	}
}
