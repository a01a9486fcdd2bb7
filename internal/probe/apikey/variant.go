package apikey

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// variant is an altered form of a valid key.
type variant struct {
	name, value string
}

// variants returns the altered forms of key worth sending in a slot:
// case changes, surrounding whitespace (query and cookie only: HTTP strips
// it from header values before any application sees it), a truncation, a
// prefix, and the key with a character added before or after. Forms equal
// to the key or to each other are dropped.
func variants(key, in string) []variant {
	if user, pw, ok := identity.ParseBasic(key); ok {
		return basicVariants(key, user, pw, in, "Basic ")
	}
	var out []variant
	seen := map[string]bool{key: true}
	add := func(name, v string) {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, variant{name, v})
		}
	}
	add("upper-cased", strings.ToUpper(key))
	add("lower-cased", strings.ToLower(key))
	add("case swapped", swapCase(key))
	if in == slots.Query || in == slots.Cookie {
		add("surrounded by spaces", " "+key+" ")
	}
	if len(key) >= 2 {
		add("last character removed", key[:len(key)-1])
	}
	if len(key) >= 8 {
		add("first half only", key[:len(key)/2])
	}
	add("character appended", key+"x")
	add("character prepended", "x"+key)
	return out
}

// slotVariants are the variants of a slot's key; a slot whose scheme
// prefix is Basic ("Authorization: Basic <base64>") holds a Basic
// credential: its password is altered and encoded again, the prefix left
// to the slot.
func slotVariants(sl slots.Slot) []variant {
	if strings.TrimSpace(sl.Prefix) != "" {
		if user, pw, ok := identity.ParseBasic(sl.Prefix + sl.Value); ok {
			return basicVariants(sl.Value, user, pw, sl.In, "")
		}
	}
	return variants(sl.Value, sl.In)
}

// basicVariants alter the password of an HTTP Basic credential and encode
// it again (after prefix): altering the encoding instead proves nothing (a
// lenient decoder reads "...=x" as the very same credential).
func basicVariants(key, user, pw, in, prefix string) []variant {
	var out []variant
	for _, v := range variants(pw, in) {
		enc := prefix + base64.StdEncoding.EncodeToString([]byte(user+":"+v.value))
		if enc != key {
			out = append(out, variant{"password " + v.name, enc})
		}
	}
	return out
}

func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsUpper(r):
			return unicode.ToLower(r)
		case unicode.IsLower(r):
			return unicode.ToUpper(r)
		}
		return r
	}, s)
}

func runVariant(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, ruleVariant)
	if !ok {
		return
	}
	var first *probe.Outcome
	var names []string
	var firstV variant
	for _, v := range slotVariants(t.slot) {
		if ctx.Err() != nil {
			return
		}
		o := t.send(ctx, "key "+v.name, v.value)
		if !accepted2xx(o) {
			continue
		}
		names = append(names, v.name)
		if first == nil {
			first, firstV = o, v
		}
	}
	if first == nil {
		return
	}
	again := t.send(ctx, "key "+firstV.name+" (reproduced)", firstV.value)
	if !again.Accepted() {
		p.Note(fmt.Sprintf("%s: key %s accepted once, not on reproduction (%s)", p.Endpoint.Key(), firstV.name, again.Why))
		return
	}
	ctl, ok := t.control(ctx)
	if !ok {
		p.Note(fmt.Sprintf("%s: altered keys accepted, but a random key was not refused (%s)", p.Endpoint.Key(), ctl.Why))
		return
	}
	t.report(ruleVariant, first,
		fmt.Sprintf("identity %s's key in %s was accepted altered: %s", p.Identity.Name, t.slot, strings.Join(names, ", ")),
		fmt.Sprintf("the key %s was accepted twice (%s)", firstV.name, first.Why),
		fmt.Sprintf("a random key of the same shape was refused (status %d)", ctl.Sample.Status))
}
