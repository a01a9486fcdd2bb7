//go:build cgo

// flatten.c: the walk that copies a tree-sitter tree into a flat preorder
// array for the Go side (Parser.build), in one call instead of several cgo
// calls per node.

#include "ap.h"

uint32_t ap_capacity(const TSTree *t) { return ts_node_descendant_count(ts_tree_root_node(t)) + 1; }

int ap_has_error(const TSTree *t) { return ts_node_has_error(ts_tree_root_node(t)); }

// ap_flatten writes the visible nodes of t in preorder, each with the index
// of its parent; it returns the count, or -1 when cap is too small.
// skip[kind] is 1 for anonymous tokens nobody reads (punctuation and
// keywords; operators are kept): about a third of all nodes; 2 for the
// named delimiters of string literals (Node.StringPrefix reads the prefix
// from the source): another tenth. 3 marks string_content and 4 string,
// whose children go when the string is plain (ap_plain_string).
// ap_plain_string reports whether s is string_start [string_content]
// string_end with the content filling exactly what the delimiters enclose
// and no error: its value is then its text between the delimiters
// (Node.StringValue), and its children are left out: another tenth.
static bool ap_plain_string(TSNode s, const uint8_t *skip, int nskip) {
	if (ts_node_has_error(s)) return false;
	uint32_t n = ts_node_child_count(s);
	if (n < 2 || n > 3) return false;
	TSNode a = ts_node_child(s, 0), z = ts_node_child(s, n - 1);
	uint16_t sa = ts_node_symbol(a), sz = ts_node_symbol(z);
	if (sa >= nskip || sz >= nskip || skip[sa] != 2 || skip[sz] != 2 || ts_node_is_missing(a) || ts_node_is_missing(z)) return false;
	uint32_t from = ts_node_end_byte(a), to = ts_node_start_byte(z);
	if (n == 2) return from == to;
	TSNode c = ts_node_child(s, 1);
	uint16_t sc = ts_node_symbol(c);
	return sc < nskip && skip[sc] == 3 && !ts_node_is_missing(c) &&
		ts_node_start_byte(c) == from && ts_node_end_byte(c) == to;
}

int ap_flatten(const TSTree *t, ap_node *out, int cap, const uint8_t *skip, int nskip) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(t));
	int n = 0, parent = -1;
	for (;;) {
		if (n >= cap) { ts_tree_cursor_delete(&c); return -1; }
		TSNode node = ts_tree_cursor_current_node(&c);
		uint16_t sym = ts_node_symbol(node);
		if (sym < nskip && (skip[sym] == 2 || skip[sym] == 1 && !ts_node_is_named(node))) {
			while (!ts_tree_cursor_goto_next_sibling(&c)) {
				if (!ts_tree_cursor_goto_parent(&c)) { ts_tree_cursor_delete(&c); return n; }
				parent = out[parent].parent;
			}
			continue;
		}
		TSPoint p = ts_node_start_point(node);
		ap_node *o = &out[n];
		o->kind = sym;
		o->field = ts_tree_cursor_current_field_id(&c);
		o->named = ts_node_is_named(node);
		o->missing = ts_node_is_missing(node);
		o->start = ts_node_start_byte(node);
		o->end = ts_node_end_byte(node);
		o->row = p.row;
		o->col = p.column;
		o->parent = parent;
		int me = n++;
		bool leaf = sym < nskip && skip[sym] == 4 && ap_plain_string(node, skip, nskip);
		if (!leaf && ts_tree_cursor_goto_first_child(&c)) { parent = me; continue; }
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c)) { ts_tree_cursor_delete(&c); return n; }
			parent = out[parent].parent;
		}
	}
}
