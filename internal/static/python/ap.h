// ap.h: the tree-sitter C API (v0.25) authprobe's parser uses, and the
// C side of the parser (arena.c, flatten.c). The library itself is
// compiled and linked by the go-tree-sitter package.
#ifndef AUTHPROBE_AP_H
#define AUTHPROBE_AP_H

#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

typedef struct TSTree TSTree;
typedef struct TSParser TSParser;
typedef struct TSLanguage TSLanguage;
TSParser *ts_parser_new(void);
bool ts_parser_set_language(TSParser *self, const TSLanguage *language);
TSTree *ts_parser_parse_string(TSParser *self, const TSTree *old_tree, const char *string, uint32_t length);
void ts_set_allocator(void *(*m)(size_t), void *(*c)(size_t, size_t),
                      void *(*r)(void *, size_t), void (*f)(void *));
const char *ts_language_symbol_name(const TSLanguage *self, uint16_t symbol);
const char *ts_language_field_name_for_id(const TSLanguage *self, uint16_t id);
typedef struct { uint32_t row; uint32_t column; } TSPoint;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
TSNode ts_tree_root_node(const TSTree *self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
uint16_t ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
TSPoint ts_node_start_point(TSNode self);
bool ts_node_is_named(TSNode self);
bool ts_node_is_missing(TSNode self);
bool ts_node_has_error(TSNode self);
uint32_t ts_node_descendant_count(TSNode self);
uint32_t ts_node_child_count(TSNode self);
TSNode ts_node_child(TSNode self, uint32_t child_index);

// arena.c
typedef struct ap_arena ap_arena;
void ap_use_arena_allocator(void);
ap_arena *ap_arena_new(void);
void ap_arena_reset(ap_arena *a);
void ap_arena_free(ap_arena *a);
size_t ap_arena_size(const ap_arena *a, bool high);
long long ap_libc_in_use(void);
TSTree *ap_parse(ap_arena *a, const TSLanguage *lang, const char *src, uint32_t len);

// flatten.c
typedef struct {
	uint16_t kind, field;
	uint8_t named, missing;
	uint32_t start, end, row, col;
	int32_t parent;
} ap_node;
uint32_t ap_capacity(const TSTree *t);
int ap_has_error(const TSTree *t);
int ap_flatten(const TSTree *t, ap_node *out, int cap, const uint8_t *skip, int nskip);

#endif
