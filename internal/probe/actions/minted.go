package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// mintRounds is how many credentials are minted in a row to look for a
// pattern (the first answer included).
const mintRounds = 4

// minted mints a few credentials in a row where a write's answer to an
// identity carries one (a string field named like a token, key or
// secret), and tests them for predictability.
func minted(ctx context.Context, p *probe.Pass, w *write, ids []principal) {
	for _, pr := range ids {
		o := w.as[pr.id.Name]
		if o == nil || !oracle.Served(o.Sample) {
			continue
		}
		field, first := mintedValue(o.Sample.Body, pr.creds.Secrets())
		if field == "" || field == bareAnswer && !credentialPath(w.ep.Path) {
			// A bare string is judged as a minted credential only where
			// the path names one (POST /api/keys): elsewhere it may be the
			// new object's id, and minting again would make more objects.
			continue
		}
		values := []string{first}
		last := o
		for len(values) < mintRounds && ctx.Err() == nil {
			again := send(ctx, p, w.ep, o.Request.URL, w.body, pr.creds, fmt.Sprintf("%s mints again", pr.id.Name))
			_, v := mintedValueAt(again.Sample.Body, field)
			if !oracle.Served(again.Sample) || v == "" {
				break
			}
			values, last = append(values, v), again
		}
		p.Redactor().Add(values...)
		p.Note(fmt.Sprintf("actions: %s minted %d credentials (%q) as %s; left in place", w.ep.Key(), len(values), field, pr.id.Name))
		if len(values) < 3 {
			return
		}
		if signedJWTs(values) {
			// A signed token is not guessed from its predecessors: the
			// same claims in the same second sign to the same value, and
			// forging one needs the key (the JWT checks judge that).
			p.Note(fmt.Sprintf("actions: %s minted signed JWTs (%q): their predictability is the signing key's", w.ep.Key(), field))
			mintedSecret(ctx, p, w.ep, last, values[0], ids)
			return
		}
		if why := predictable(values); why != "" {
			if other := ownValue(w, pr, field, values); other != "" {
				p.Note(fmt.Sprintf("actions: %s answered %s the same %q every time, and %s another: a value stored for each caller and handed back, not minted", w.ep.Key(), pr.id.Name, field, other))
				return
			}
			f := catalog.New(RulePredictable)
			f.Endpoint = &finding.Endpoint{Method: w.ep.Method, Path: w.ep.Path}
			f.Identity = pr.id.Name
			f.Confidence = finding.Confirmed
			f.Message = fmt.Sprintf("%d values of %q minted in a row are predictable: %s", len(values), field, why)
			pass := &probe.Pass{Env: p.Env}
			f.Evidence = pass.Evidence(last, "the pattern holds for every value minted: "+why,
				fmt.Sprintf("%d requests as %s, each answered %s", len(values), pr.id.Name, status(last)))
			p.Report(f)
		}
		return
	}
}

// credentialNames are what a minted credential's field is called.
var credentialNames = []string{"token", "apikey", "key", "secret", "password", "accesstoken", "clientsecret"}

// mintedValue finds a credential-like string field in a JSON answer that
// is not one of the caller's own secrets; it returns its dot path.
func mintedValue(body []byte, own []string) (string, string) {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return "", ""
	}
	// A bare string answered alone (FastAPI's `return key.key`): a
	// credential when it is shaped like one; whether it is one is for the
	// proof that uses it (mintedForAnyone) or the pattern (minted).
	if s, ok := doc.(string); ok {
		if tokenShaped(s) && !contains(own, s) {
			return bareAnswer, s
		}
		return "", ""
	}
	var found, value string
	var visit func(v any, path string, depth int)
	visit = func(v any, path string, depth int) {
		m, ok := v.(map[string]any)
		if !ok || depth > 4 || found != "" {
			return
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := strings.TrimPrefix(path+"."+k, ".")
			if s, ok := m[k].(string); ok && credentialName(k) && len(s) >= 4 && len(s) <= 256 && !contains(own, s) {
				found, value = p, s
				return
			}
			visit(m[k], p, depth+1)
		}
	}
	visit(doc, "", 0)
	return found, value
}

func mintedValueAt(body []byte, path string) (string, string) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return "", ""
	}
	if path == bareAnswer {
		s, _ := v.(string)
		return path, s
	}
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", ""
		}
		v = m[k]
	}
	s, _ := v.(string)
	return path, s
}

// bareAnswer is the "field" of a credential answered as a bare JSON
// string.
const bareAnswer = "(the whole answer)"

// tokenShaped: 16 to 256 characters of a token's alphabet (letters,
// digits, -_.~+/=), letters and digits both: a generated value, not a
// word or a message.
func tokenShaped(s string) bool {
	if len(s) < 16 || len(s) > 256 {
		return false
	}
	letters, digits := false, false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letters = true
		case r >= '0' && r <= '9':
			digits = true
		case strings.ContainsRune("-_.~+/=", r):
		default:
			return false
		}
	}
	return letters && digits
}

// credentialPath: a static path segment is named like a credential
// (keys, api-keys, tokens).
func credentialPath(path string) bool {
	for _, seg := range strings.Split(path, "/") {
		if seg != "" && !strings.HasPrefix(seg, "{") && credentialName(singular(seg)) {
			return true
		}
	}
	return false
}

func credentialName(k string) bool {
	n := norm(k)
	for _, c := range credentialNames {
		if n == c || strings.HasSuffix(n, c) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ownValue names another identity whose answer holds a different value
// at field, when values repeat one value: the field is something stored
// per caller and handed back (an update echoing the record, a password
// hash), not a credential minted on each call; "" otherwise (values that
// differ, or the same constant for everyone: a shared credential).
func ownValue(w *write, pr principal, field string, values []string) string {
	for _, v := range values[1:] {
		if v != values[0] {
			return ""
		}
	}
	for name, o := range w.as {
		if name == pr.id.Name || o == nil || !oracle.Served(o.Sample) {
			continue
		}
		if _, v := mintedValueAt(o.Sample.Body, field); v != "" && v != values[0] {
			return name
		}
	}
	return ""
}

// signedJWTs: every value is a compact JWS signed with an algorithm (not
// "none") and a signature.
func signedJWTs(values []string) bool {
	for _, v := range values {
		t, err := jose.Parse(v)
		if err != nil || len(t.Sig) == 0 {
			return false
		}
		if alg, _ := t.Head["alg"].(string); alg == "" || strings.EqualFold(alg, "none") {
			return false
		}
	}
	return len(values) > 0
}
