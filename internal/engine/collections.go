package engine

import (
	"sort"
	"strings"
	"unicode"

	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// Collections: the write guard keys the objects the scan created by the
// collection they live in, so that an id the scan created in /notes (7)
// does not make /users/7 writable. A collection is the noun of a path's
// static segment nearest the object: "note" for /api/notes/update_note/{id}
// and for the create POST /api/notes/add_note, "task" for POST /addtask and
// for task_id on /deletetask, "item" for /bucketlists/{id}/items/{item_id};
// a collection is a set of such nouns ("ticket open" for POST /tickets/open)
// and two match when they share one.
// A path without such a noun (/{id}, POST /delete {"id"}) has no known
// collection ("") and matches any.

// verbs are the action words paths carry beside the noun (add_note,
// deletetask): a hint to find the noun, never a gate — a segment that is
// only a verb leaves the noun to the segment before it. Words are made
// singular first and stripped the same way on every path, so a word that
// only looks like a verb (address) maps to the same key everywhere.
var verbs = []string{"add", "create", "new", "update", "edit", "delete", "remove", "get", "set", "put",
	"patch", "list", "save", "change", "modify", "destroy", "make", "insert", "upsert", "mark",
	"toggle", "fetch", "view", "show", "read", "api"}

// nounOf is the collection noun of one static path segment ("" for none).
func nounOf(seg string) string {
	words := strings.FieldsFunc(strings.ToLower(seg), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	noun := ""
	for _, w := range words {
		if isVersion(w) {
			continue
		}
		if one := reqbody.Singular(w); one != "" {
			w = one
		}
		w = stripVerb(w)
		if w != "" {
			noun = w // the last word: update_note → note, user_profile → profile
		}
	}
	return noun
}

// stripVerb is w without a verb it is or starts with (addtask → task).
func stripVerb(w string) string {
	for _, v := range verbs {
		if w == v {
			return ""
		}
		if strings.HasPrefix(w, v) && len(w)-len(v) >= 3 {
			return w[len(v):]
		}
	}
	return w
}

// isVersion: v1, v2, 2024, ... name no collection.
func isVersion(w string) bool {
	w = strings.TrimPrefix(w, "v")
	if w == "" {
		return false
	}
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// collectionBefore is the collection of the object at template segment i
// (its parameter): the nouns of the static segments between the parameter
// before it and it (/bucketlists/{id}/items/{item_id} → "item").
func collectionBefore(tmpl []string, i int) string {
	var nouns []string
	for j := i - 1; j >= 0 && !isParam(tmpl[j]); j-- {
		if n := nounOf(tmpl[j]); n != "" {
			nouns = append(nouns, n)
		}
	}
	return keyOf(nouns)
}

// collectionOf is the collection a path (template or URL path) names as a
// whole: the nouns of its static segments after its last parameter (POST
// /users/{uid}/notes creates in "note", POST /tickets/open in "ticket
// open"), or, when it ends in a parameter, before it (/items/{name}).
func collectionOf(path string) string {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	tmpl := strings.Split(strings.Trim(path, "/"), "/")
	if c := collectionBefore(tmpl, len(tmpl)); c != "" {
		return c
	}
	for i := len(tmpl) - 1; i >= 0; i-- {
		if isParam(tmpl[i]) {
			return collectionBefore(tmpl, i)
		}
	}
	return ""
}

// keyOf is a set of nouns as one key, sorted and space-separated.
func keyOf(nouns []string) string {
	sort.Strings(nouns)
	return strings.Join(nouns, " ")
}

// fieldCollection is the collection a body or query field names its
// object in: the stem of task_id ("task"), or, for a bare id, the path's.
func fieldCollection(k, path string) string {
	l := strings.ReplaceAll(strings.ToLower(k), "-", "_")
	for _, suf := range []string{"_uuid", "_pk", "_id", "id"} {
		if stem := strings.TrimRight(strings.TrimSuffix(l, suf), "_"); stem != l && len(stem) >= 3 {
			return nounOf(stem)
		}
	}
	return collectionOf(path)
}

// sameCollection: an object made in collection made may be named in
// collection at: they share a noun ("" on either side is unknown and
// matches).
func sameCollection(made, at string) bool {
	if made == "" || at == "" {
		return true
	}
	for _, a := range strings.Fields(at) {
		for _, m := range strings.Fields(made) {
			if a == m {
				return true
			}
		}
	}
	return false
}

func splitPath(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }
