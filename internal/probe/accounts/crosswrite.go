package accounts

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

const ruleBOLAWrite = "authz.bola-write"

// crossWrites sends, as the attacker, each update of the victim account
// (PUT, PATCH, POST on a path its values fill) with one field marked, and
// reads back that the mark took: a password set by another identity is
// proven by logging in with it. DELETEs come last (the account is gone).
func crossWrites(ctx context.Context, p *probe.Pass, res *Result, victim *Account, self *principal.Self, vc identity.Creds, attacker *party) {
	if self == nil {
		return
	}
	targets, skipped := targetsOf(ctx, p, victim, self, vc, http.MethodPut, http.MethodPatch, http.MethodPost, http.MethodDelete)
	keys := make([]string, 0, len(skipped))
	for k := range skipped {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if writePhaseOwns(p, k) {
			continue // objects the write phase creates: its own steps and notes
		}
		p.NotRun(fmt.Sprintf("accounts: %s not sent as another identity: %s (only the scan's own accounts and objects are written to)", k, skipped[k]))
	}
	var deletes []target
	for _, t := range targets {
		if t.byCreds || ctx.Err() != nil {
			continue // the credential says whose: no other identity's path to it
		}
		if t.ep.Method == http.MethodDelete {
			deletes = append(deletes, t)
			continue
		}
		crossUpdate(ctx, p, res, victim, t, attacker)
	}
	for _, t := range deletes {
		if victim.State != "left" {
			return
		}
		crossDelete(ctx, p, victim, t, attacker)
	}
}

// passwordField is the body's new-password field ("" when none); asks is
// true when the body also wants the current password (another identity
// cannot know it: nothing to prove).
func passwordField(body map[string]any) (field string, asks bool) {
	for k := range reqbody.Payload(body) {
		n := norm(k)
		if !strings.Contains(n, "pass") && !strings.Contains(n, "pwd") {
			continue
		}
		switch {
		case strings.Contains(n, "old") || strings.Contains(n, "current"):
			asks = true
		case strings.Contains(n, "confirm") || strings.Contains(n, "repeat") || strings.HasSuffix(n, "2"):
		default:
			field = k
		}
	}
	return field, asks
}

func crossUpdate(ctx context.Context, p *probe.Pass, res *Result, victim *Account, t target, attacker *party) {
	ep := t.ep
	body, ok := bodyOf(p, ep)
	if !ok {
		p.NotRun(fmt.Sprintf("accounts: %s on %s's account: no request body known (config bodies:, spec, --source)", ep.Key(), victim.Name))
		return
	}
	var shown map[string]any
	if t.read != nil {
		if vc, err := victim.Identity.Creds(ctx, p.Session()); err == nil {
			shown = record(get(ctx, p, t.read, vc).Sample.Body, victim)
		}
	}
	body = asItIs(body, shown)
	pw, asks := passwordField(body)
	if asks {
		p.NotRun(fmt.Sprintf("accounts: %s on %s's account: it asks for the current password", ep.Key(), victim.Name))
		return
	}
	if pw != "" {
		newPW := fresh().value(fillPassword, res.Registrar.special).(string)
		p.Redactor().Add(newPW)
		set := map[string]any{}
		for k := range reqbody.Payload(body) {
			if n := norm(k); k == pw || (strings.Contains(n, "pass") && !strings.Contains(n, "old") && !strings.Contains(n, "current")) {
				set[k] = newPW
			}
		}
		if loginState(ctx, p, res, victim, newPW) != loginRefused {
			// Control: the new password must not log in already (a
			// login that takes any password proves nothing here).
			p.NotRun(fmt.Sprintf("accounts: %s on %s's account: its login with a password never set is not refused, so a changed one proves nothing", ep.Key(), victim.Name))
			return
		}
		o := p.Send(ctx, ep, jsonWrite(p, ep, reqbody.WithFields(body, set)), attacker.creds, nil)
		o.Label = attacker.name + " sets " + victim.Name + "'s password"
		if !oracle.Served(o.Sample) {
			p.Note(fmt.Sprintf("accounts: %s refused %s a password change of %s's account (status %d)", ep.Key(), attacker.name, victim.Name, o.Sample.Status))
			return
		}
		if loginState(ctx, p, res, victim, newPW) != loginOK {
			return
		}
		victim.Password = newPW
		victim.Identity.Login = res.Registrar.loginAs(victim.Identity.Login, "", newPW)
		reportWrite(p, ep, attacker.name, o,
			fmt.Sprintf("%s set the password of %s, an account the scan registered: it logs in with the new one", attacker.name, victim.Name),
			fmt.Sprintf("%s logged in with the password %s sent", victim.Name, attacker.name),
			fmt.Sprintf("the account was registered by the scan (%s) and logged in with its own password before", victim.How))
		return
	}
	field := markable(body, victim, shown)
	if field == "" || t.read == nil {
		p.NotRun(fmt.Sprintf("accounts: %s on %s's account: no string field to mark and read back", ep.Key(), victim.Name))
		return
	}
	mark := "authprobe-" + random(lower, 10)
	if looksLike(field, "mail") {
		mark += "@example.com"
	}
	o := p.Send(ctx, ep, jsonWrite(p, ep, reqbody.WithField(body, field, mark)), attacker.creds, nil)
	o.Label = attacker.name + " changes " + victim.Name + "'s " + field
	if !oracle.Served(o.Sample) {
		p.Note(fmt.Sprintf("accounts: %s refused %s a change of %s's %s (status %d)", ep.Key(), attacker.name, victim.Name, field, o.Sample.Status))
		return
	}
	vc, err := victim.Identity.Creds(ctx, p.Session())
	if err != nil {
		return
	}
	back := get(ctx, p, t.read, vc)
	if r := record(back.Sample.Body, victim); r == nil || fmt.Sprint(r[field]) != mark {
		p.Note(fmt.Sprintf("accounts: %s: %s's change of %s's %s was answered %d but does not read back", ep.Key(), attacker.name, victim.Name, field, o.Sample.Status))
		return
	}
	reportWrite(p, ep, attacker.name, o,
		fmt.Sprintf("%s changed %s of %s, an account the scan registered: it reads back as %q", attacker.name, field, victim.Name, mark),
		fmt.Sprintf("%s read its record back with %s=%q", victim.Name, field, mark),
		fmt.Sprintf("the account was registered by the scan (%s)", victim.How))
}

// asItIs is the update's body with the values the account's record shows
// (shown; nil when unread), so that the write changes only the mark: a
// field the record holds keeps its value, and an identity field it does
// not show (an e-mail a public profile leaves out) is left out rather than
// overwritten with an example value.
func asItIs(body, shown map[string]any) map[string]any {
	if shown == nil {
		return body
	}
	set := map[string]any{}
	var drop []string
	for k := range reqbody.Payload(body) {
		if v, ok := shown[k]; ok {
			if _, isMap := v.(map[string]any); !isMap {
				set[k] = v
			}
			continue
		}
		if principal.IsIdentityKey(k) {
			drop = append(drop, k)
		}
	}
	out := reqbody.WithFields(body, set)
	payload := reqbody.Payload(out)
	for _, k := range drop {
		delete(payload, k)
	}
	return out
}

// markable is a string field of the body to mark: not a password, not
// the field the account logs in with; an e-mail only when the account
// logs in with its user name (its e-mail then changes nothing the scan
// needs). A field both the body and the account's record (shown, when
// read) hold comes first, then a text field only the record shows (a
// profile's about_me the handler sets through a helper), then the body's
// others: a change of a field the record hides cannot be read back.
func markable(body map[string]any, acc *Account, shown map[string]any) string {
	type cand struct {
		k    string
		tier int
	}
	var keys []cand
	byMail := strings.Contains(acc.User, "@")
	payload := reqbody.Payload(body)
	for k, v := range payload {
		// A text field, or one the record shows unset (null).
		if _, ok := v.(string); !(ok || v == nil) || strings.Contains(norm(k), "pass") {
			continue
		}
		if principal.IsIdentityKey(k) && (!looksLike(k, "mail") || byMail) {
			continue
		}
		tier := 2
		if _, ok := shown[k]; ok {
			tier = 0
		}
		keys = append(keys, cand{k, tier})
	}
	for k, v := range shown {
		if _, declared := payload[k]; declared {
			continue
		}
		if _, text := v.(string); !(text || v == nil) || strings.HasPrefix(k, "_") ||
			looksLike(k, "pass", "token", "mail") || principal.IsIdentityKey(k) || strings.HasSuffix(norm(k), "id") {
			continue
		}
		keys = append(keys, cand{k, 1})
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].tier != keys[j].tier {
			return keys[i].tier < keys[j].tier
		}
		return keys[i].k < keys[j].k
	})
	if len(keys) == 0 {
		return ""
	}
	return keys[0].k
}

func crossDelete(ctx context.Context, p *probe.Pass, victim *Account, t target, attacker *party) {
	logged := loginState(ctx, p, From(p.Env), victim, victim.Password) == loginOK
	o := p.Send(ctx, t.ep, jsonWrite(p, t.ep, nil), attacker.creds, nil)
	o.Label = attacker.name + " deletes " + victim.Name
	if !oracle.Served(o.Sample) {
		return
	}
	why := goneWhy(ctx, p, victim, t, logged, nil) // the attacker's own 404 may only hide the record
	if why == "" {
		return
	}
	victim.State = fmt.Sprintf("deleted (by %s through %s, the BOLA finding)", attacker.name, t.ep.Key())
	reportWrite(p, t.ep, attacker.name, o,
		fmt.Sprintf("%s deleted %s, an account the scan registered: %s", attacker.name, victim.Name, why),
		why, fmt.Sprintf("the account was registered by the scan (%s) and was served its record before", victim.How))
}

func reportWrite(p *probe.Pass, ep interface{ Key() string }, who string, o *probe.Outcome, msg, proof, control string) {
	method, path, _ := strings.Cut(ep.Key(), " ")
	f := catalog.New(ruleBOLAWrite)
	f.Endpoint = &finding.Endpoint{Method: method, Path: path}
	f.Identity = who
	f.Confidence = finding.Confirmed
	f.Message = msg
	f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(o, proof, control)
	p.Report(f)
}

// writePhaseOwns: the endpoint (key "METHOD /path") is an item of a
// collection the inventory has a POST for: the write phase creates such
// objects and writes to them itself.
func writePhaseOwns(p *probe.Pass, key string) bool {
	_, path, _ := strings.Cut(key, " ")
	i := strings.LastIndex(path, "/{")
	if i <= 0 {
		return false
	}
	for _, ep := range p.Inventory().Endpoints {
		if ep.Method == http.MethodPost && strings.TrimRight(ep.Path, "/") == path[:i] {
			return true
		}
	}
	return false
}
