package leak

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

const ruleSensitive = "leak.sensitive-data"

// sensitiveKeys are field names (lower case, without _ and -) whose values
// are secrets of a user or a system.
var sensitiveKeys = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "passwordhash": true, "pwhash": true, "pwdhash": true,
	"hashedpassword": true, "passwordhashed": true, "passhash": true, "passwordsalt": true,
	"secret": true, "clientsecret": true, "apisecret": true, "secretkey": true, "privatekey": true,
	"apikey": true, "accesstoken": true, "refreshtoken": true, "sessiontoken": true, "authtoken": true,
	"otpsecret": true, "totpsecret": true, "mfasecret": true, "ssn": true,
}

// field is one sensitive value found in a JSON body.
type field struct {
	path, value string
	record      string // path of the object holding it
}

// sensitiveFields walks a JSON body and returns its sensitive fields with a
// value that is not masked.
func sensitiveFields(body []byte) []field {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []field
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch t := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				p := path + "." + k
				if s, ok := t[k].(string); ok && (sensitiveKeys[normKey(k)] && !masked(s) || principal.Claims(s) != nil) {
					out = append(out, field{path: strings.TrimPrefix(p, "."), value: s, record: path})
					continue
				}
				walk(p, t[k])
			}
		case []any:
			for i, x := range t {
				walk(fmt.Sprintf("%s[%d]", path, i), x)
			}
		}
	}
	walk("", v)
	return out
}

func normKey(k string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(k))
}

// masked: empty, short, or made of one repeated mask character, or a word
// that says it is hidden.
func masked(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 4 {
		return true
	}
	if strings.Trim(s, string(s[0])) == "" && strings.ContainsRune("*x•#.", rune(s[0])) {
		return true
	}
	l := strings.ToLower(s)
	return strings.Contains(l, "redacted") || strings.Contains(l, "hidden") || l == "null" || l == "none"
}

// runSensitive reports an endpoint whose answer to anonymous callers holds
// a sensitive field, or whose answer to an identity holds sensitive fields
// of several records (other users' secrets). The caller's own credentials
// are leak.credential-in-response's business.
func runSensitive(ctx context.Context, p *probe.Pass) {
	var selves []*principal.Self
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		if anon := p.Anonymous(ep); ok2xx(anon) {
			if fs := notIssued(p, ep, sensitiveFields(anon.Body)); len(fs) > 0 {
				if derivedFromInput(ctx, p, ep, anon.Body) {
					p.Note(fmt.Sprintf("%s: the secret fields of its answer are computed from the request's own input (another value gives other secrets), not stored ones: not a leak", ep.Key()))
					continue
				}
				reportSensitive(ctx, p, ep, "", nil, fs)
				continue
			}
		}
		for _, c := range p.Matrix(ep) {
			if c.Variant != slots.CellIdentity || c.Outcome == nil || !ok2xx(c.Outcome.Sample) {
				continue
			}
			if selves == nil {
				selves = principal.Selves(ctx, p.Env)
			}
			fs := notIssued(p, ep, othersTokens(othersFields(sensitiveFields(c.Outcome.Sample.Body), c), principal.Named(selves, c.Identity)))
			if records(fs) >= 2 || len(tokens(fs)) > 0 {
				reportSensitive(ctx, p, ep, c.Identity, &c, fs)
				break
			}
		}
	}
}

func ok2xx(s *oracle.Sample) bool { return oracle.Served(s) }

// othersFields drops the values that are the caller's own credentials.
func othersFields(fs []field, c probe.Cell) []field {
	own := map[string]bool{}
	for _, v := range c.Creds.Secrets() {
		own[v] = true
	}
	var out []field
	for _, f := range fs {
		if !own[f.value] {
			out = append(out, f)
		}
	}
	return out
}

// othersTokens drops the JWTs issued to the caller itself (their identity
// claims are the caller's own values): a refresh endpoint minting the
// caller a new token leaks nothing.
func othersTokens(fs []field, self *principal.Self) []field {
	if self == nil {
		return fs
	}
	var out []field
	for _, f := range fs {
		if c := principal.Claims(f.value); c != nil && ownToken(c, self) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func ownToken(claims map[string]any, self *principal.Self) bool {
	for k, v := range claims {
		if principal.IsIdentityKey(k) && self.Has(v) {
			return true
		}
	}
	return false
}

// tokens are the fields holding a JWT.
func tokens(fs []field) []field {
	var out []field
	for _, f := range fs {
		if principal.Claims(f.value) != nil {
			out = append(out, f)
		}
	}
	return out
}

// adminToken: one of the leaked JWTs claims an administrator.
func adminToken(fs []field) bool {
	for _, f := range tokens(fs) {
		for k, v := range principal.Claims(f.value) {
			switch principal.Norm(k) {
			case "admin", "isadmin", "superuser", "issuperuser", "isstaff":
				if v == true {
					return true
				}
			case "role", "roles", "scope", "scopes", "permissions", "groups":
				if strings.Contains(strings.ToLower(fmt.Sprint(v)), "admin") {
					return true
				}
			}
		}
	}
	return false
}

func records(fs []field) int {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.record] = true
	}
	return len(seen)
}

func reportSensitive(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, who string, c *probe.Cell, fs []field) {
	again := p.Send(ctx, ep, nil, credsOf(c), nil)
	again.Label = orAnon(who) + " (reproduced)"
	if !ok2xx(again.Sample) || len(sensitiveFields(again.Sample.Body)) == 0 {
		p.Note(fmt.Sprintf("%s: sensitive fields seen once in the answer to %s, not on reproduction", ep.Key(), orAnon(who)))
		return
	}
	list := fieldNames(fs)
	pass := &probe.Pass{Env: p.Env, Endpoint: ep}
	fd := pass.Finding(catalog.New(ruleSensitive))
	fd.Identity = who
	fd.Confidence = finding.Confirmed
	fd.Fields = list
	if adminToken(fs) {
		fd.Severity = finding.Critical
	}
	if who == "" {
		fd.Message = fmt.Sprintf("the answer to a request without credentials holds %d sensitive field(s) (%s)", len(fs), strings.Join(list, ", "))
	} else {
		fd.Message = fmt.Sprintf("identity %s's answer holds sensitive fields (%s) of %d records, not its own credentials", who, strings.Join(list, ", "), records(fs))
	}
	fd.Evidence = pass.Evidence(again, "found in the response body twice (values not shown)", "")
	p.Report(fd)
}

// reportSensitiveOutcome reports sensitive fields an outcome already
// showed (a request the check built itself, not the endpoint's own).
func reportSensitiveOutcome(pass *probe.Pass, ep *inventory.Endpoint, o *probe.Outcome, fs []field, msg string) {
	fd := pass.Finding(catalog.New(ruleSensitive))
	fd.Confidence = finding.Confirmed
	if adminToken(fs) {
		fd.Severity = finding.Critical
	}
	fd.Message = msg
	fd.Fields = fieldNames(fs)
	fd.Evidence = pass.Evidence(o, "found in the response body (values not shown)", "the same request without the switch")
	pass.Report(fd)
}

// fieldNames returns, sorted and once each, the names of the fields (the
// last part of each path).
func fieldNames(fs []field) []string {
	names := map[string]bool{}
	for _, f := range fs {
		names[f.path[strings.LastIndexAny(f.path, ".]")+1:]] = true
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	return list
}

func bodyOf(s *oracle.Sample) []byte {
	if s == nil {
		return nil
	}
	return s.Body
}

func orAnon(who string) string {
	if who == "" {
		return "anonymous"
	}
	return who
}

func credsOf(c *probe.Cell) identity.Creds {
	if c == nil {
		return identity.Creds{}
	}
	return c.Creds
}
