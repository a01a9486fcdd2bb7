package accounts

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

const (
	ruleMass = "authz.mass-assignment"
	ruleEnum = "account.registration-enumeration"
)

// Checks are the registration checks; they read what the engine learnt
// registering accounts (only with --allow-writes).
func Checks() []probe.Check {
	return []probe.Check{
		{ID: "account.registration", Scope: probe.PerScan, Rules: []string{ruleMass, ruleEnum}, Run: run,
			Doc: "(--allow-writes) an account registered with privileged fields (is_admin, role...) gets more than a plain one; a taken name is answered differently"},
		{ID: ruleAnyLogin, Scope: probe.PerScan, Rules: []string{ruleAnyLogin}, Run: runAnyLogin,
			Doc: "a login as a made-up user with a random password succeeds and its credential gets in"},
		{ID: ruleDefaultCreds, Scope: probe.PerScan, Rules: []string{ruleDefaultCreds}, Run: runDefaultCreds,
			Doc: "(--source) each user name and password the code writes (a stub account, a user table, a login comparing literals) tried once at the login"},
	}
}

func run(ctx context.Context, p *probe.Pass) {
	res := From(p.Env)
	if res != nil && res.Fresh == nil && res.Refused != nil {
		enumerationRefused(ctx, p, res)
		return
	}
	if res == nil || res.Fresh == nil {
		return
	}
	enumeration(ctx, p, res)
	if res.Privileged != nil && len(res.Plain) > 0 {
		massAssignment(ctx, p, res)
	}
	if len(res.Chosen) > 0 {
		chosenRoles(ctx, p, res)
	}
}

// takenWords say a name is in use ("registered" alone does not: a
// success says it too).
var takenWords = []string{"exist", "taken", "already", "in use", "duplicate", "unique"}

func saysTaken(body []byte) bool {
	l := strings.ToLower(string(body))
	return slices.ContainsFunc(takenWords, func(w string) bool { return strings.Contains(l, w) })
}

// enumeration reports a registration that answers a taken name unlike a
// new one: a status of its own or a message saying so. Reproduced once.
func enumeration(ctx context.Context, p *probe.Pass, res *Result) {
	fresh := res.Fresh
	dup := res.DupAnswer
	if dup == nil || dup.Err != nil {
		return
	}
	differs := dup.Status != fresh.Status || saysTaken(dup.Body) && !saysTaken(fresh.Answer)
	if !differs {
		return
	}
	again := p.Send(ctx, nil, res.DupRequest, identity.Creds{}, nil)
	again.Label = "registration of a taken name (reproduced)"
	if again.Sample.Status != dup.Status {
		return
	}
	// A taken name that breaks the insert (a unique column: 500) while
	// a new one registers tells names apart as well as a message does,
	// once a new name still registers after it (the server is not broken).
	crash := dup.Status >= 500 && fresh.Status/100 == 2 && again.Sample.Err == nil && dup.Status == again.Sample.Status
	if crash {
		send := func(ctx context.Context, req *httpx.Request) *httpx.Response { return p.Session().Client.Do(ctx, req) }
		if acc, _ := res.Registrar.Register(ctx, send, "account-enum-control", nil); acc == nil {
			return
		}
	} else if again.Sample.Unusable() != "" && !notModified(again.Sample.Status, again.Sample.Header) {
		return
	}
	f := catalog.New(ruleEnum)
	f.Endpoint = &finding.Endpoint{Method: res.Registrar.Method, Path: res.Registrar.Path}
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("registering a name that has an account is answered %d%s, a new name %d: anyone can test which names have accounts",
		dup.Status, taken(dup.Body), fresh.Status)
	if crash {
		f.Message = fmt.Sprintf("registering a name that has an account fails with a server error (%d, twice), a new name is answered %d (and still was after): anyone can test which names have accounts",
			dup.Status, fresh.Status)
	}
	f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(again, "the taken name is the throwaway account "+fresh.Name+" the scan registered", "a fresh name registered with the same body shape")
	p.Report(f)
}

// notModified: a 3xx without a Location (304 "Email Already Exist") is
// a status of its own, not a redirect to follow.
func notModified(status int, h http.Header) bool {
	return status/100 == 3 && h.Get("Location") == ""
}

func taken(body []byte) string {
	if saysTaken(body) {
		return " with a message saying it is taken"
	}
	return ""
}

// Duplicate registers again with the names of acc (its user name and
// e-mail) and a fresh password: the answer to a taken name.
func (r *Registrar) Duplicate(ctx context.Context, send Sender, acc *Account) (*httpx.Request, *httpx.Response) {
	c := fresh()
	if len(acc.names) == 2 {
		// Every name it was registered with: a registration that
		// also asked for an e-mail (or a user name) beside the login's
		// field refuses a taken one of either.
		c.user, c.email = acc.names[0], acc.names[1]
	} else if strings.Contains(acc.User, "@") {
		c.email = acc.User
	} else {
		c.user = acc.User
	}
	req := r.post(r.bodyFor(c, acc.sent))
	return req, send(ctx, req)
}
