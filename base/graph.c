/* graph.c - NgGraph: a set of RDF triples held as plain data.
 *
 * Used for one article (a few hundred triples) and for whole imported files
 * (millions), so the layout is compact: every string is interned once in the
 * graph's arena, which makes a term's identity the identity of its string
 * pointers; the duplicate check then hashes and compares pointers, never
 * string contents.  Terms are normalised on the way in (RDF 1.1: "x" and
 * "x"^^xsd:string are one term, language tags are case-insensitive), so
 * equal terms are equal data. */
#include "internal.h"
#include "iri.h"

#include <stdlib.h>
#include <string.h>

#define XSD_STRING NG_NS_XSD "string"
#define RDF_LANG_STRING NG_NS_RDF "langString"

/* One interned string: hash kept to make probing and growth cheap. */
typedef struct {
  const char *str;
  uint64_t hash;
} InternSlot;

#define RECENT 64 /* (a power of two) */

struct NgGraphImpl {
  char *name;
  NgArena arena;
  NgTriple *triples;
  size_t size, cap;
  InternSlot *strings; /* open addressing, power-of-two capacity */
  size_t nstrings, string_cap;
  size_t longest; /* bytes of the longest string */
  uint32_t *set;  /* triple index + 1; 0 = empty */
  size_t set_cap;
  /* the caller's strings interned lately, by address: a caller passes the
   * same ones again and again (its predicates, the IRI of the event at
   * hand), and comparing them with the copy costs less than hashing */
  struct {
    const char *from, *copy;
  } recent[RECENT];
};

NgGraph *ng_graph_new(const char *name_iri) {
  NgGraph *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  if (name_iri && !(g->name = strdup(name_iri))) {
    free(g);
    return NULL;
  }
  return g;
}

void ng_graph_free(NgGraph *graph) {
  if (!graph) return;
  ng_arena_free(&graph->arena);
  free(graph->triples);
  free(graph->strings);
  free(graph->set);
  free(graph->name);
  free(graph);
}

const char *ng_graph_get_name(const NgGraph *graph) { return graph->name; }

size_t ng_graph_size(const NgGraph *graph) { return graph->size; }

size_t ng_graph_longest(const NgGraph *graph) { return graph->longest; }

const NgTriple *ng_graph_get(const NgGraph *graph, size_t i) {
  return i < graph->size ? &graph->triples[i] : NULL;
}

/* ------------------------------------------------------------ interning */

static NgStatus grow_strings(NgGraph *g) {
  size_t cap = g->string_cap ? g->string_cap * 2 : 256;
  InternSlot *slots = calloc(cap, sizeof *slots);
  if (!slots) return NG_ERR_NOMEM;
  for (size_t i = 0; i < g->string_cap; ++i) {
    if (!g->strings[i].str) continue;
    size_t j = g->strings[i].hash & (cap - 1);
    while (slots[j].str)
      j = (j + 1) & (cap - 1);
    slots[j] = g->strings[i];
  }
  free(g->strings);
  g->strings = slots;
  g->string_cap = cap;
  return NG_SUCCESS;
}

/* The slot of s[0..len) (hash h): its string, or the empty slot where it
 * goes. */
static InternSlot *probe(const NgGraph *g, const char *s, size_t len, uint64_t h) {
  size_t mask = g->string_cap - 1;
  size_t i = h & mask;
  for (; g->strings[i].str; i = (i + 1) & mask) {
    const char *t = g->strings[i].str;
    if (g->strings[i].hash == h && strncmp(t, s, len) == 0 && t[len] == '\0') break;
  }
  return &g->strings[i];
}

/* The graph's copy of s[0..len) if it has one (NULL if not). */
static const char *interned(const NgGraph *g, const char *s, size_t len, uint64_t h) {
  return g->string_cap ? probe(g, s, len, h)->str : NULL;
}

/* The graph's one copy of s[0..len) (hash h), or NULL when out of memory. */
static const char *intern_hashed(NgGraph *g, const char *s, size_t len, uint64_t h) {
  if ((g->nstrings + 1) * 4 > g->string_cap * 3 && grow_strings(g)) return NULL;
  InternSlot *slot = probe(g, s, len, h);
  if (slot->str) return slot->str;
  char *copy = ng_arena_strndup(&g->arena, s, len);
  if (!copy) return NULL;
  slot->str = copy;
  slot->hash = h;
  g->nstrings++;
  if (len > g->longest) g->longest = len;
  return copy;
}

static const char *intern(NgGraph *g, const char *s, size_t len) {
  return intern_hashed(g, s, len, ng_hash_bytes(s, len));
}

/* ---------------------------------------------------------- validation */

/* BCP 47 shape as the Turtle LANGTAG rule has it: [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*. */
static bool lang_ok(const char *lang) {
  /* Raptor 2.0.15 keeps a tag's length in an unsigned char: a longer one
   * overflows its heap when a checkpoint makes the literal a node. */
  if (strnlen(lang, 256) > 255) return false;
  size_t run = 0;
  bool first = true;
  for (const char *p = lang;; ++p) {
    char c = *p;
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    if (alpha || (digit && !first)) {
      run++;
    } else if (c == '-' || c == '\0') {
      if (!run) return false;
      if (c == '\0') return true;
      first = false;
      run = 0;
    } else {
      return false;
    }
  }
}

/* A string of a term being added: its length and hash, and the graph's
 * copy when it has one already. */
typedef struct {
  size_t len;
  uint64_t hash;
  const char *copy;
} Text;

static size_t recent_slot(const char *s) { return ((uintptr_t)s >> 3) & (RECENT - 1); }

/* Whether s is UTF-8, filling *text; a string the graph holds was checked
 * when it came in (an article's graph repeats its predicates, its events'
 * and its actors' IRIs: most strings of ng_graph_add are there already). */
static bool text_ok(const NgGraph *g, const char *s, Text *text) {
  size_t bad;
  const char *seen = g->recent[recent_slot(s)].copy;
  if (seen && g->recent[recent_slot(s)].from == s && !strcmp(s, seen)) {
    text->copy = seen; /* (len and hash are not needed then) */
    return true;
  }
  text->len = strlen(s);
  text->hash = ng_hash_bytes(s, text->len);
  text->copy = interned(g, s, text->len, text->hash);
  return text->copy || ng_utf8_check(s, text->len, &bad);
}

/* Checks one term for its position and fills *norm with its normal form
 * (still pointing at the caller's strings), and text[0] and text[1] for
 * its value and datatype. */
static NgStatus normalize(const NgGraph *g, const NgTerm *t, bool subject, bool predicate,
                          NgTerm *norm, Text text[2]) {
  if (!t || !t->value) return NG_ERR_BAD_ARG;
  *norm = (NgTerm){t->kind, t->value, NULL, NULL};
  switch (t->kind) {
  case NG_TERM_IRI:
    if (!t->value[0]) return NG_ERR_BAD_ARG;
    break;
  case NG_TERM_BLANK:
    if (!t->value[0] || predicate) return NG_ERR_BAD_ARG;
    break;
  case NG_TERM_LITERAL:
    if (subject || predicate) return NG_ERR_BAD_ARG;
    if (t->lang && t->lang[0]) {
      if (!lang_ok(t->lang)) return NG_ERR_BAD_ARG;
      if (t->datatype && t->datatype[0] && strcmp(t->datatype, RDF_LANG_STRING))
        return NG_ERR_BAD_ARG;
      norm->lang = t->lang;
    } else if (t->datatype && t->datatype[0] && strcmp(t->datatype, XSD_STRING)) {
      if (!text_ok(g, t->datatype, &text[1])) return NG_ERR_ENCODING;
      norm->datatype = t->datatype;
    }
    break;
  default: return NG_ERR_BAD_ARG;
  }
  return text_ok(g, t->value, &text[0]) ? NG_SUCCESS : NG_ERR_ENCODING;
}

/* The graph's copy of a string normalize looked at. */
static const char *intern_text(NgGraph *g, const char *s, const Text *text) {
  const char *copy = text->copy ? text->copy : intern_hashed(g, s, text->len, text->hash);
  if (copy) {
    g->recent[recent_slot(s)].from = s;
    g->recent[recent_slot(s)].copy = copy;
  }
  return copy;
}

/* Interns the strings of a normalised term (language tags in lower case). */
static NgStatus intern_term(NgGraph *g, const NgTerm *norm, const Text text[2], NgTerm *out) {
  *out = (NgTerm){norm->kind, NULL, NULL, NULL};
  if (!(out->value = intern_text(g, norm->value, &text[0]))) return NG_ERR_NOMEM;
  if (norm->datatype && !(out->datatype = intern_text(g, norm->datatype, &text[1])))
    return NG_ERR_NOMEM;
  if (norm->lang) {
    char lower[64];
    size_t len = strlen(norm->lang);
    if (len >= sizeof lower) return NG_ERR_BAD_ARG; /* no real tag is that long */
    ng_ascii_lower(norm->lang, len, lower);
    if (!(out->lang = intern(g, lower, len))) return NG_ERR_NOMEM;
  }
  return NG_SUCCESS;
}

/* ------------------------------------------------------------ triple set */

/* A term's pointers folded into a word: a mix each (three a triple, not
 * twelve; equal terms fold alike, and unequal ones that collide only
 * probe further). */
static uint64_t term_word(const NgTerm *t) {
  return (uint64_t)(uintptr_t)t->value ^ ((uint64_t)(uintptr_t)t->datatype << 1) ^
         ((uint64_t)(uintptr_t)t->lang << 2) ^ (uint64_t)t->kind;
}

static uint64_t triple_hash(const NgTriple *t) {
  return ng_hash_combine(ng_hash_combine(ng_hash_combine(0, term_word(&t->s)), term_word(&t->p)),
                         term_word(&t->o));
}

/* Interned terms are equal exactly when their pointers are. */
static bool term_same(const NgTerm *a, const NgTerm *b) {
  return a->kind == b->kind && a->value == b->value && a->datatype == b->datatype &&
         a->lang == b->lang;
}

static bool triple_same(const NgTriple *a, const NgTriple *b) {
  return term_same(&a->s, &b->s) && term_same(&a->p, &b->p) && term_same(&a->o, &b->o);
}

static NgStatus grow_set(NgGraph *g) {
  size_t cap = g->set_cap ? g->set_cap * 2 : 256;
  uint32_t *set = calloc(cap, sizeof *set);
  if (!set) return NG_ERR_NOMEM;
  for (size_t i = 0; i < g->size; ++i) {
    size_t j = triple_hash(&g->triples[i]) & (cap - 1);
    while (set[j])
      j = (j + 1) & (cap - 1);
    set[j] = (uint32_t)(i + 1);
  }
  free(g->set);
  g->set = set;
  g->set_cap = cap;
  return NG_SUCCESS;
}

static NgStatus grow_triples(NgGraph *g) {
  size_t cap = g->cap ? g->cap * 2 : 64;
  NgTriple *t = realloc(g->triples, cap * sizeof *t);
  if (!t) return NG_ERR_NOMEM;
  g->triples = t;
  g->cap = cap;
  return NG_SUCCESS;
}

/* Appends *t unless an equal triple is already there. */
static NgStatus insert(NgGraph *g, const NgTriple *t) {
  NgStatus st;
  if (g->size >= UINT32_MAX - 1) return NG_ERR_TOO_LARGE;
  if ((g->size + 1) * 2 > g->set_cap) NG_TRY(st, grow_set(g));
  size_t mask = g->set_cap - 1;
  size_t i = triple_hash(t) & mask;
  for (; g->set[i]; i = (i + 1) & mask)
    if (triple_same(&g->triples[g->set[i] - 1], t)) return NG_SUCCESS;
  if (g->size == g->cap) NG_TRY(st, grow_triples(g));
  g->triples[g->size++] = *t;
  g->set[i] = (uint32_t)g->size;
  return NG_SUCCESS;
}

NgStatus ng_graph_add(NgGraph *graph, const NgTerm *s, const NgTerm *p, const NgTerm *o) {
  NgStatus st;
  NgTerm ns, np, no;
  Text ts[2], tp[2], to[2];
  NG_TRY(st, normalize(graph, s, true, false, &ns, ts));
  NG_TRY(st, normalize(graph, p, false, true, &np, tp));
  NG_TRY(st, normalize(graph, o, false, false, &no, to));
  if (np.kind != NG_TERM_IRI) return NG_ERR_BAD_ARG;
  NgTriple t;
  NG_TRY(st, intern_term(graph, &ns, ts, &t.s));
  NG_TRY(st, intern_term(graph, &np, tp, &t.p));
  NG_TRY(st, intern_term(graph, &no, to, &t.o));
  return insert(graph, &t);
}
