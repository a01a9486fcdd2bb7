// Package pages reads the HTML pages a web app serves for what a client
// is offered there: its forms (where they post, with which fields, hidden
// ones such as CSRF tokens included, with the values the page gives) and
// the forms around one record of a page (the "Revoke" button of the
// card that shows a name the scan sent). It sends nothing.
package pages

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// Form is one <form> of a page.
type Form struct {
	// Method is upper case, POST or GET (a form's default).
	Method string
	// Action is the URL it submits to, resolved against the page's.
	Action string
	// Fields are its named inputs, selects and textareas with the value
	// the page gives (hidden fields: a CSRF token, an id).
	Fields map[string]string
	// Files are its file inputs' names.
	Files []string
}

// IsHTML: the body looks like an HTML document or fragment.
func IsHTML(body []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), 512)]))
	if !bytes.HasPrefix(head, []byte("<")) {
		return false
	}
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<form")) || bytes.Contains(head, []byte("<body")) || bytes.Contains(head, []byte("<div"))
}

// Forms are the page's forms; base is the page's URL.
func Forms(body []byte, base string) []Form {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil
	}
	var out []Form
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "form" {
			out = append(out, formOf(n, base))
		}
	}
	return out
}

// Around are the forms of the record around the first text holding
// marker: walking up from it, the first element two of whose children
// hold forms alike (posting to two URLs of one shape: /revoke/1 and
// /revoke/2) is the list of records, and the child the marker is in is
// the record (a grid's card with its Revoke button, a table's row); with
// no such list, the forms of the first element around the marker that
// has any. nil when no element holds the marker, or its record has no
// form of its own.
func Around(body []byte, base, marker string) []Form {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil
	}
	var at *html.Node
	for n := range doc.Descendants() {
		if holds(n, marker) {
			at = n
			break
		}
	}
	if at == nil {
		return nil
	}
	var first []Form
	for prev, n := at, at.Parent; n != nil; prev, n = n, n.Parent {
		if records(n, base) {
			return formsIn(prev, base)
		}
		if first == nil {
			first = formsIn(n, base)
		}
	}
	return first
}

// records: two of n's children hold forms that post alike to different
// URLs of one shape (the list's records, each with its own button).
func records(n *html.Node, base string) bool {
	seen := map[string]string{} // method and shape → the action first seen
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		mine := map[string]string{}
		for _, f := range formsIn(c, base) {
			mine[f.Method+" "+shape(f.Action)] = f.Action
		}
		for k, u := range mine {
			if was, ok := seen[k]; ok && was != u {
				return true
			}
			seen[k] = u
		}
	}
	return false
}

// shape is a URL's path with its segments holding digits, and long ones,
// blanked: /revoke/7 and /revoke/9 are alike.
func shape(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return u
	}
	segs := strings.Split(pu.Path, "/")
	for i, s := range segs {
		if strings.ContainsAny(s, "0123456789") || len(s) > 24 {
			segs[i] = "*"
		}
	}
	return strings.Join(segs, "/")
}

// formsIn are the forms of n's subtree, n included.
func formsIn(n *html.Node, base string) []Form {
	var fs []Form
	if n.Type == html.ElementNode && n.Data == "form" {
		fs = append(fs, formOf(n, base))
	}
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == "form" {
			fs = append(fs, formOf(d, base))
		}
	}
	return fs
}

// holds: a text node, or an input's value or an attribute, that holds marker.
func holds(n *html.Node, marker string) bool {
	switch n.Type {
	case html.TextNode:
		return strings.Contains(n.Data, marker)
	case html.ElementNode:
		for _, a := range n.Attr {
			if (a.Key == "value" || a.Key == "title") && strings.Contains(a.Val, marker) {
				return true
			}
		}
	}
	return false
}

func formOf(n *html.Node, base string) Form {
	f := Form{Method: "GET", Action: base, Fields: map[string]string{}}
	if m := strings.ToUpper(attr(n, "method")); m != "" {
		f.Method = m
	}
	if a := attr(n, "action"); a != "" {
		f.Action = resolve(base, a)
	}
	for d := range n.Descendants() {
		if d.Type != html.ElementNode {
			continue
		}
		name := attr(d, "name")
		if name == "" {
			continue
		}
		switch d.Data {
		case "input":
			switch strings.ToLower(attr(d, "type")) {
			case "file":
				f.Files = append(f.Files, name)
			case "submit", "button", "image", "reset":
			case "checkbox", "radio":
				if _, ok := f.Fields[name]; !ok {
					f.Fields[name] = or(attr(d, "value"), "on")
				}
			default:
				f.Fields[name] = attr(d, "value")
			}
		case "textarea":
			f.Fields[name] = textOf(d)
		case "select":
			f.Fields[name] = firstOption(d)
		}
	}
	return f
}

func textOf(n *html.Node) string {
	if n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
		return n.FirstChild.Data
	}
	return ""
}

func firstOption(n *html.Node) string {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == "option" {
			if v, ok := attrOK(d, "value"); ok {
				return v
			}
			return strings.TrimSpace(textOf(d))
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func resolve(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}
