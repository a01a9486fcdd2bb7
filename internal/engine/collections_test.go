package engine

import "testing"

// TestCollectionKeys: the collection a create's route makes in, and the
// one a write's object lives in, per shape; objects made in one may be
// named in the other only when they share a noun.
func TestCollectionKeys(t *testing.T) {
	for _, c := range []struct {
		create, target, param string
		same                  bool
	}{
		{"/api/notes/add_note", "/api/notes/update_note/{id}", "{id}", true},
		{"/api/notes/add_note", "/api/users/{id}", "{id}", false},
		{"/bucketlists/{id}/items", "/bucketlists/{id}/items/{item_id}", "{item_id}", true},
		{"/bucketlists/{id}/items", "/bucketlists/{id}", "{id}", false},
		{"/v1/items/<name>", "/v1/items/<name>", "<name>", true},
		{"/items/<name>", "/stores/<name>", "<name>", false},
		{"/tickets/open", "ticketId", "", true},
		{"/addtask", "task_id", "", true},
		{"/addtask", "note_id", "", false},
		{"/api/addresses", "/api/address/{id}", "{id}", true},
		{"/{id}", "/users/{id}", "{id}", true}, // no noun: unknown, matches
	} {
		made := collectionOf(c.create)
		var at string
		if c.param == "" {
			at = fieldCollection(c.target, "/x")
		} else {
			tmpl := splitPath(c.target)
			for i, s := range tmpl {
				if s == c.param {
					at = collectionBefore(tmpl, i)
				}
			}
		}
		if got := sameCollection(made, at); got != c.same {
			t.Errorf("made in %s (%q), named at %s (%q): same %v, want %v", c.create, made, c.target, at, got, c.same)
		}
	}
}
