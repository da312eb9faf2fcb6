/* internal.h - shared by every module of libnewsgraph; not installed.
 *
 * Small building blocks: the world's insides, diagnostics, a growable
 * buffer, an arena, a string hash map, UTF-8 and calendar helpers.
 */
#ifndef NG_INTERNAL_H
#define NG_INTERNAL_H

#include "newsgraph.h"

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define NG_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#define NG_UNUSED __attribute__((unused))
#else
#define NG_PRINTF(fmt, first)
#define NG_UNUSED
#endif

#define NG_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* Propagate a failure: TRY(st, f(x)) returns st from the caller if not success. */
#define NG_TRY(st, expr)                                                       \
  do {                                                                         \
    if (((st) = (expr)) != NG_SUCCESS) return (st);                            \
  } while (0)

/* ----------------------------------------------------------------- world */

struct NgWorldImpl {
  NgErrorSink sink;
  void *sink_handle;
  unsigned long errors;
  unsigned long warnings;
  size_t max_article_size;
  volatile sig_atomic_t stop;
  bool allow_service;  /* SPARQL SERVICE permitted (http and https only) */
  double net_timeout;  /* seconds for a request made on a query's behalf */
  size_t table_width;  /* columns a results table must fit in (0: any) */
  /* The Redland world, opened on first use by query/ (one per process). */
  void *rdf_world;
  void (*rdf_world_free)(void *rdf_world);
};

/* Report a diagnostic through the world's sink.  file/line/col may be 0. */
void ng_report(NgWorld *world, NgStatus status, NgLevel level, const char *file,
               unsigned long line, unsigned long col, const char *fmt, ...)
    NG_PRINTF(7, 8);
void ng_vreport(NgWorld *world, NgStatus status, NgLevel level, const char *file,
                unsigned long line, unsigned long col, const char *fmt, va_list ap);

/* Loads Redland, Raptor, Rasqal, libcurl, libxml2 and libmicrohttpd
 * (base/lazy.c) where the library is built to load them on first use,
 * reporting a failure; a null address (weak) where they are linked.  Called
 * where a command starts to use them, so that a broken installation is an
 * error message and not an abort in a trampoline. */
NgStatus ng_lazy_ready(NgWorld *world) __attribute__((weak));

/* ---------------------------------------------------------------- buffer */

/* A growable byte string, always NUL-terminated when data != NULL. */
typedef struct {
  char *data;
  size_t len;
  size_t cap;
} NgBuf;

#define NG_BUF_INIT {NULL, 0, 0}

NgStatus ng_buf_reserve(NgBuf *buf, size_t extra);
NgStatus ng_buf_append(NgBuf *buf, const char *data, size_t len);
NgStatus ng_buf_puts(NgBuf *buf, const char *s);
NgStatus ng_buf_putc(NgBuf *buf, char c);
NgStatus ng_buf_printf(NgBuf *buf, const char *fmt, ...) NG_PRINTF(2, 3);
void ng_buf_clear(NgBuf *buf);  /* len = 0, keeps the memory */
void ng_buf_free(NgBuf *buf);   /* releases the memory */
char *ng_buf_take(NgBuf *buf);  /* returns data (owned by caller), empties buf */
/* The contents, "" when empty (never NULL). */
const char *ng_buf_str(const NgBuf *buf);

/* ------------------------------------------------------------------ file */

/* All of the file at path in *text (owned by the caller, NUL-terminated, *len
 * bytes before the NUL): NG_ERR_IO with errno set, or NG_ERR_NOMEM, and then
 * *text is NULL - never a part of the file. */
NgStatus ng_file_read(const char *path, char **text, size_t *len);
/* The names of the regular files in dir ending in suffix (any case), sorted
 * bytewise, in a NULL-terminated array for ng_names_free(): NG_ERR_IO with
 * errno set when dir cannot be opened, or NG_ERR_NOMEM. */
NgStatus ng_dir_list(const char *dir, const char *suffix, char ***names);
void ng_names_free(char **names);

/* ----------------------------------------------------------------- arena */

/* A bump allocator: many small allocations, one free. */
typedef struct NgArenaBlock NgArenaBlock;
typedef struct {
  NgArenaBlock *head;
  size_t total;
  char *next, *end; /* the free room of the head block */
} NgArena;

#define NG_ARENA_INIT {NULL, 0, NULL, NULL}

void *ng_arena_alloc_block(NgArena *arena, size_t size); /* a new block, then size bytes of it */

/* 8-byte aligned.  Inline: the tokenizer alone asks for a million of
 * these on a corpus, and all but a few fit the current block. */
static inline void *ng_arena_alloc(NgArena *arena, size_t size) {
  size = (size + 7u) & ~(size_t)7u;
  if ((size_t)(arena->end - arena->next) < size) return ng_arena_alloc_block(arena, size);
  void *p = arena->next;
  arena->next += size;
  return p;
}

void *ng_arena_calloc(NgArena *arena, size_t size);
char *ng_arena_strdup(NgArena *arena, const char *s);
char *ng_arena_strndup(NgArena *arena, const char *s, size_t len);
char *ng_arena_printf(NgArena *arena, const char *fmt, ...) NG_PRINTF(2, 3);
/* The first head_len bytes of head, then tail: printf's cost without its
 * parsing, for strings built once per event. */
char *ng_arena_join(NgArena *arena, const char *head, size_t head_len, const char *tail);
void ng_arena_free(NgArena *arena);

/* ------------------------------------------------------------------ hash */

uint64_t ng_hash_bytes(const void *data, size_t len);
uint64_t ng_hash_combine(uint64_t h, uint64_t v);

/* A hash map from byte strings to pointer-sized values.  Keys are copied
 * into the map's own arena. */
typedef struct NgMapImpl NgMap;

NgMap *ng_map_new(void);
void ng_map_free(NgMap *map);
/* Returns true and sets *value when key is present. */
bool ng_map_get(const NgMap *map, const char *key, size_t len, uintptr_t *value);
/* Insert or overwrite. */
NgStatus ng_map_put(NgMap *map, const char *key, size_t len, uintptr_t value);
/* The value slot for key, inserted with 0 if absent (NULL on OOM).
 * *inserted tells which. */
uintptr_t *ng_map_slot(NgMap *map, const char *key, size_t len, bool *inserted);
/* Make room for n entries at least (no rehashing while they go in). */
NgStatus ng_map_reserve(NgMap *map, size_t n);
/* Start loading key's slot into the cache (for a lookup or insert soon);
 * the key's hash comes back, for ng_map_get_key to use. */
typedef struct {
  uint64_t hash, word;
} NgMapKey;
NgMapKey ng_map_prefetch_key(const NgMap *map, const char *key, size_t len);
bool ng_map_get_key(const NgMap *map, NgMapKey k, const char *key, size_t len, uintptr_t *value);
/* ng_map_slot with the key's hash from ng_map_prefetch_key (a miss of
 * ng_map_get_key, then an insert: the key is hashed once). */
uintptr_t *ng_map_slot_key(NgMap *map, NgMapKey k, const char *key, size_t len, bool *inserted);
size_t ng_map_size(const NgMap *map);
/* Iterate: i from 0 while ng_map_next returns true.  *key (len bytes, not
 * NUL-terminated) is valid until the map next changes. */
bool ng_map_next(const NgMap *map, size_t *i, const char **key, size_t *len,
                 uintptr_t *value);

/* ------------------------------------------------------------------ UTF-8 */

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
size_t ng_utf8_seq_len(const unsigned char *s, size_t avail);
/* Decode one code point; returns its byte length, 0 if invalid. */
size_t ng_utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp);
/* Encode cp into out (>= 4 bytes); returns the byte length. */
size_t ng_utf8_encode(uint32_t cp, char *out);
/* True if s[0..len) is valid UTF-8 without NUL bytes; else *bad is the byte
 * offset of the first problem. */
bool ng_utf8_check(const char *s, size_t len, size_t *bad);
/* Number of code points in s[0..len) (s valid UTF-8). */
size_t ng_utf8_count(const char *s, size_t len);
bool ng_is_ascii(const char *s, size_t len); /* no byte above 0x7F */
/* 1-based line and column (in code points) of byte offset off in s. */
void ng_utf8_line_col(const char *s, size_t len, size_t off, unsigned long *line,
                      unsigned long *col);

/* -------------------------------------------------------------- calendar */

/* A date of the proleptic Gregorian calendar.  month 0: only the year is
 * known; day 0: only year and month. */
typedef struct {
  int year;
  int month;
  int day;
} NgDate;

bool ng_date_parse(const char *s, NgDate *date);   /* "YYYY[-MM[-DD]]" prefix */
bool ng_date_is_valid(NgDate date);                /* full or partial */
int ng_days_in_month(int year, int month);
long ng_date_to_days(NgDate date);                 /* days since 1970-01-01 */
NgDate ng_date_from_days(long days);
int ng_date_weekday(NgDate date);                  /* 0 = Monday .. 6 = Sunday */
NgDate ng_date_add_days(NgDate date, long days);
/* ISO week of a full date. */
void ng_date_iso_week(NgDate date, int *iso_year, int *week);
/* "YYYY-MM-DD", "YYYY-MM" or "YYYY" into out (>= 11 bytes). */
void ng_date_format(NgDate date, char out[11]);

/* ------------------------------------------------------------------- RDF */

/* Append a term in N-Triples syntax (IRIs in <>, literals quoted and
 * escaped, datatype or language tag) - base/writer.c. */
NgStatus ng_term_append_nt(NgBuf *buf, const NgTerm *term);
/* The bytes of a graph's longest string (value, datatype or language tag
 * of any of its terms): a store's limit checked without measuring each
 * term again - base/graph.c. */
size_t ng_graph_longest(const NgGraph *graph);

/* ------------------------------------------------------------------ text */

/* ASCII-lowercase copy of s[0..len) into out (len + 1 bytes). */
void ng_ascii_lower(const char *s, size_t len, char *out);
bool ng_streq_nocase(const char *a, const char *b);
/* Turn a label into an IRI-safe slug: lowercase ASCII letters and digits,
 * other runs become '-'; non-ASCII letters are kept percent-encoded. */
char *ng_slug_new(const char *label, size_t len);
/* The same in the arena (no malloc and copy: one per open actor). */
char *ng_arena_slug(NgArena *arena, const char *label, size_t len);

#endif /* NG_INTERNAL_H */
