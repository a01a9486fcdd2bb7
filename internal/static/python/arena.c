//go:build cgo

// arena.c: the memory tree-sitter parses one file in. A tree is read once
// (flattened into the Go tree) and then dropped whole, so freeing it node
// by node (ts_tree_delete walks every subtree) and the general-purpose
// allocator's bookkeeping for each of its allocations are wasted work: a
// tenth of the analysis. While ap_parse runs on a thread, tree-sitter
// allocates from that thread's arena by bumping a pointer, frees nothing,
// and the arena is reset for the next file. Everywhere else (no arena
// active on the thread) the allocator is libc's.

#include "ap.h"

typedef struct ap_chunk {
	struct ap_chunk *next;
	size_t cap, used;
	_Alignas(16) char data[];
} ap_chunk;

typedef struct ap_arena {
	ap_chunk *head; // the chunk allocations come from; older ones follow
	size_t held, high; // bytes the chunks span now, and at most so far
} ap_arena;

// Each allocation is preceded by a 16-byte header holding its size, which
// realloc needs; allocations stay 16-byte aligned like malloc's.
enum { ap_header = 16, ap_first_chunk = 256 << 10, ap_max_chunk = 16 << 20 };

static _Thread_local ap_arena *ap_active;

static bool ap_owns(const ap_arena *a, const void *p) {
	for (const ap_chunk *c = a->head; c; c = c->next) {
		if ((const char *)p >= c->data && (const char *)p < c->data + c->cap) return true;
	}
	return false;
}

static void *ap_bump(ap_arena *a, size_t n) {
	if (n > SIZE_MAX / 2) return NULL;
	size_t need = ap_header + ((n + 15) & ~(size_t)15);
	ap_chunk *c = a->head;
	if (!c || c->cap - c->used < need) {
		size_t cap = c ? c->cap * 2 : ap_first_chunk;
		if (cap > ap_max_chunk) cap = ap_max_chunk;
		if (cap < need) cap = need;
		ap_chunk *nc = malloc(sizeof(ap_chunk) + cap);
		if (!nc) return NULL;
		nc->next = c;
		nc->cap = cap;
		nc->used = 0;
		a->head = c = nc;
		a->held += cap;
		if (a->held > a->high) a->high = a->held;
	}
	char *p = c->data + c->used;
	c->used += need;
	*(size_t *)p = n;
	return p + ap_header;
}

static void *ap_malloc(size_t n) {
	ap_arena *a = ap_active;
	return a ? ap_bump(a, n) : malloc(n);
}

static void *ap_calloc(size_t count, size_t size) {
	ap_arena *a = ap_active;
	if (!a) return calloc(count, size);
	if (size && count > SIZE_MAX / size) return NULL;
	void *p = ap_bump(a, count * size);
	if (p) memset(p, 0, count * size);
	return p;
}

static void *ap_realloc(void *p, size_t n) {
	ap_arena *a = ap_active;
	if (!a || (p && !ap_owns(a, p))) return realloc(p, n);
	if (!p) return ap_bump(a, n);
	size_t *hdr = (size_t *)((char *)p - ap_header);
	size_t old = *hdr;
	if (n <= old) return p;
	ap_chunk *c = a->head;
	size_t oldSpan = ap_header + ((old + 15) & ~(size_t)15);
	size_t newSpan = ap_header + ((n + 15) & ~(size_t)15);
	if ((char *)hdr + oldSpan == c->data + c->used && n <= SIZE_MAX / 2 &&
	    c->cap - c->used >= newSpan - oldSpan) {
		// The last allocation of the chunk grows in place.
		c->used += newSpan - oldSpan;
		*hdr = n;
		return p;
	}
	void *q = ap_bump(a, n);
	if (q) memcpy(q, p, old);
	return q;
}

static void ap_free(void *p) {
	ap_arena *a = ap_active;
	if (!p || (a && ap_owns(a, p))) return;
	free(p);
}

void ap_use_arena_allocator(void) { ts_set_allocator(ap_malloc, ap_calloc, ap_realloc, ap_free); }

ap_arena *ap_arena_new(void) { return calloc(1, sizeof(ap_arena)); }

// ap_arena_reset drops everything allocated in a, keeping its newest chunk
// for the next file unless it is larger than a chunk grows to (a large file's memory
// goes back at once).
void ap_arena_reset(ap_arena *a) {
	ap_chunk *keep = a->head;
	if (keep && keep->cap > ap_max_chunk) keep = NULL;
	ap_chunk *c = a->head;
	while (c) {
		ap_chunk *next = c->next;
		if (c != keep) free(c);
		c = next;
	}
	a->head = keep;
	a->held = keep ? keep->cap : 0;
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
}

void ap_arena_free(ap_arena *a) {
	if (!a) return;
	ap_arena_reset(a);
	free(a->head);
	free(a);
}

// ap_arena_size is what a holds (the bytes its chunks span), or with high
// the most it held so far.
size_t ap_arena_size(const ap_arena *a, bool high) { return high ? a->high : a->held; }

// ap_parse parses src with a parser of its own, both allocated in a: the
// tree lives until a is reset (never pass it to ts_tree_delete). The
// grammar's external scanner allocates with libc's malloc, not through
// tree-sitter's allocator; the parser destroys it at the end of each parse
// (ts_parser_reset). Nothing here calls back into Go, so the thread's
// arena is set for exactly the parse.
TSTree *ap_parse(ap_arena *a, const TSLanguage *lang, const char *src, uint32_t len) {
	ap_active = a;
	TSTree *t = NULL;
	TSParser *p = ts_parser_new();
	if (p && ts_parser_set_language(p, lang)) t = ts_parser_parse_string(p, NULL, src, len);
	ap_active = NULL;
	return t;
}

// ap_libc_in_use is the bytes libc's malloc holds allocated (tests: a
// parse must leave none behind), or -1 where libc does not tell.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC__ == 2 && __GLIBC_MINOR__ >= 33)
#include <malloc.h>
long long ap_libc_in_use(void) { return (long long)mallinfo2().uordblks; }
#else
long long ap_libc_in_use(void) { return -1; }
#endif
