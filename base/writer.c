/* writer.c - streaming N-Triples, N-Quads and Turtle.
 *
 * Terms are escaped exactly as the W3C grammars have them, so that any
 * conforming parser reads back the same triples:
 *   literals  STRING_LITERAL_QUOTE: \" \\ \n \r \t, \uXXXX for the other
 *             control characters; everything else raw UTF-8
 *   IRIs      IRIREF: UCHAR (\uXXXX) for the characters it forbids
 *   blanks    BLANK_NODE_LABEL: letters and digits kept, any other byte
 *             written _XX (hex), which keeps distinct labels distinct
 * Turtle groups the triples of one ng_writer_write_graph() call by subject
 * ("s p o , o ; p o .") and uses the project's prefixes where the local
 * part is plainly safe. */
#include "internal.h"
#include "iri.h"

#include <stdlib.h>
#include <string.h>

#define RDF_TYPE NG_NS_RDF "type"

struct NgWriterImpl {
  FILE *out;
  NgSyntax syntax;
  bool started;   /* Turtle: the @prefix header is out */
  bool finished;  /* ng_writer_finish ran */
  NgStatus error; /* first failure; later calls report it again */
  NgBuf line;     /* text of the triple being written */
  /* Turtle: the statement left open, to be continued with ";" or ",". */
  bool open;
  NgBuf subject, predicate;
};

NgSyntax ng_syntax_from_name(const char *name, bool *ok) {
  static const struct {
    const char *name;
    NgSyntax syntax;
  } names[] = {
      {"ntriples", NG_SYNTAX_NTRIPLES}, {"nt", NG_SYNTAX_NTRIPLES},   {"nquads", NG_SYNTAX_NQUADS},
      {"nq", NG_SYNTAX_NQUADS},         {"turtle", NG_SYNTAX_TURTLE}, {"ttl", NG_SYNTAX_TURTLE},
      {"rdfxml", NG_SYNTAX_RDFXML},     {"rdf", NG_SYNTAX_RDFXML},    {"xml", NG_SYNTAX_RDFXML},
      {"trig", NG_SYNTAX_TRIG}};
  for (size_t i = 0; name && i < NG_COUNTOF(names); ++i) {
    if (ng_streq_nocase(name, names[i].name)) {
      if (ok) *ok = true;
      return names[i].syntax;
    }
  }
  if (ok) *ok = false;
  return NG_SYNTAX_NTRIPLES;
}

/* ------------------------------------------------------------- escaping */

static NgStatus append_uchar(NgBuf *buf, unsigned c) { return ng_buf_printf(buf, "\\u%04X", c); }

/* STRING_LITERAL_QUOTE body.  The input is valid UTF-8 (NgGraph checks). */
static NgStatus append_string(NgBuf *buf, const char *s) {
  NgStatus st = NG_SUCCESS;
  const char *run = s;
  for (const char *p = s; *p && !st; ++p) {
    unsigned char c = (unsigned char)*p;
    const char *esc = c == '"'    ? "\\\""
                      : c == '\\' ? "\\\\"
                      : c == '\n' ? "\\n"
                      : c == '\r' ? "\\r"
                      : c == '\t' ? "\\t"
                                  : NULL;
    if (!esc && c >= 0x20 && c != 0x7F) continue;
    st = ng_buf_append(buf, run, (size_t)(p - run));
    if (!st) st = esc ? ng_buf_puts(buf, esc) : append_uchar(buf, c);
    run = p + 1;
  }
  return st ? st : ng_buf_puts(buf, run);
}

/* IRIREF forbids #x00-#x20 and <>"{}|^`\ ; they are written as UCHAR. */
static bool iri_forbidden(unsigned char c) { return c <= 0x20 || strchr("<>\"{}|^`\\", c) != NULL; }

static NgStatus append_iri(NgBuf *buf, const char *iri) {
  NgStatus st = ng_buf_putc(buf, '<');
  const char *run = iri;
  for (const char *p = iri; *p && !st; ++p) {
    if (!iri_forbidden((unsigned char)*p)) continue;
    st = ng_buf_append(buf, run, (size_t)(p - run));
    if (!st) st = append_uchar(buf, (unsigned char)*p);
    run = p + 1;
  }
  if (!st) st = ng_buf_puts(buf, run);
  return st ? st : ng_buf_putc(buf, '>');
}

static bool ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static NgStatus append_blank(NgBuf *buf, const char *label) {
  NgStatus st = ng_buf_puts(buf, "_:");
  for (const unsigned char *p = (const unsigned char *)label; *p && !st; ++p)
    st = ascii_alnum(*p) ? ng_buf_putc(buf, (char)*p) : ng_buf_printf(buf, "_%02X", *p);
  return st;
}

/* Literal in N-Triples form; the datatype through iri_fn (plain or prefixed). */
static NgStatus append_literal(NgBuf *buf, const NgTerm *t,
                               NgStatus (*iri_fn)(NgBuf *, const char *)) {
  NgStatus st;
  NG_TRY(st, ng_buf_putc(buf, '"'));
  NG_TRY(st, append_string(buf, t->value));
  NG_TRY(st, ng_buf_putc(buf, '"'));
  if (t->lang && t->lang[0]) return ng_buf_printf(buf, "@%s", t->lang);
  if (t->datatype && t->datatype[0]) {
    NG_TRY(st, ng_buf_puts(buf, "^^"));
    return iri_fn(buf, t->datatype);
  }
  return NG_SUCCESS;
}

NgStatus ng_term_append_nt(NgBuf *buf, const NgTerm *term) {
  switch (term->kind) {
  case NG_TERM_IRI: return append_iri(buf, term->value);
  case NG_TERM_BLANK: return append_blank(buf, term->value);
  case NG_TERM_LITERAL: return append_literal(buf, term, append_iri);
  }
  return NG_ERR_BAD_ARG;
}

/* --------------------------------------------------------------- Turtle */

/* A local part written without escapes: letters, digits, '_' and '-';
 * a digit may come first (Turtle allows it), '-' may not (PN_LOCAL), and
 * nothing ends it in '.'. */
static bool local_safe(const char *s) {
  if (s[0] == '-') return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; ++p)
    if (!ascii_alnum(*p) && *p != '_' && *p != '-') return false;
  return true;
}

/* The prefix with the longest namespace that iri starts with, if the rest is safe. */
static const NgPrefix *prefix_for(const char *iri) {
  const NgPrefix *best = NULL;
  size_t best_len = 0;
  for (const NgPrefix *p = ng_prefixes(); p->prefix; ++p) {
    size_t len = strlen(p->ns);
    if (len > best_len && strncmp(iri, p->ns, len) == 0) {
      best = p;
      best_len = len;
    }
  }
  return best && local_safe(iri + best_len) ? best : NULL;
}

static NgStatus append_iri_turtle(NgBuf *buf, const char *iri) {
  const NgPrefix *p = prefix_for(iri);
  if (!p) return append_iri(buf, iri);
  return ng_buf_printf(buf, "%s:%s", p->prefix, iri + strlen(p->ns));
}

static NgStatus append_term_turtle(NgBuf *buf, const NgTerm *t) {
  switch (t->kind) {
  case NG_TERM_IRI: return append_iri_turtle(buf, t->value);
  case NG_TERM_BLANK: return append_blank(buf, t->value);
  case NG_TERM_LITERAL: return append_literal(buf, t, append_iri_turtle);
  }
  return NG_ERR_BAD_ARG;
}

/* ---------------------------------------------------------------- writer */

NgWriter *ng_writer_new(FILE *out, NgSyntax syntax) {
  if (!out || syntax >= NG_SYNTAX_RDFXML) return NULL; /* (no writer of RDF/XML or TriG here) */
  NgWriter *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->out = out;
  w->syntax = syntax;
  return w;
}

void ng_writer_free(NgWriter *writer) {
  if (!writer) return;
  if (!writer->finished) ng_writer_finish(writer);
  ng_buf_free(&writer->line);
  ng_buf_free(&writer->subject);
  ng_buf_free(&writer->predicate);
  free(writer);
}

static NgStatus put(NgWriter *w, const char *s, size_t len) {
  if (len && fwrite(s, 1, len, w->out) != len) return NG_ERR_IO;
  return NG_SUCCESS;
}

static NgStatus put_str(NgWriter *w, const char *s) { return put(w, s, strlen(s)); }

/* Turtle output starts with every prefix: streaming cannot know which are
 * used, and a fixed header keeps the output stable. */
static NgStatus start(NgWriter *w) {
  if (w->started) return NG_SUCCESS;
  w->started = true;
  if (w->syntax != NG_SYNTAX_TURTLE) return NG_SUCCESS;
  NgBuf *b = &w->line;
  ng_buf_clear(b);
  NgStatus st = NG_SUCCESS;
  for (const NgPrefix *p = ng_prefixes(); p->prefix && !st; ++p)
    st = ng_buf_printf(b, "@prefix %s: <%s> .\n", p->prefix, p->ns);
  return st ? st : put(w, b->data, b->len);
}

static NgStatus close_statement(NgWriter *w) {
  if (!w->open) return NG_SUCCESS;
  w->open = false;
  return put_str(w, " .\n");
}

/* Continue the open statement when it has the same subject (and predicate),
 * else close it and start a new one. */
static NgStatus turtle_emit(NgWriter *w, const NgTriple *t) {
  NgStatus st;
  NgBuf *b = &w->line;
  ng_buf_clear(b);
  NG_TRY(st, append_term_turtle(b, &t->s));
  size_t s_len = b->len;
  if (t->p.kind == NG_TERM_IRI && !strcmp(t->p.value, RDF_TYPE))
    NG_TRY(st, ng_buf_putc(b, 'a'));
  else
    NG_TRY(st, append_term_turtle(b, &t->p));
  size_t p_len = b->len - s_len;
  const char *s_text = b->data, *p_text = b->data + s_len;
  bool same_s = w->open && w->subject.len == s_len && !memcmp(w->subject.data, s_text, s_len);
  bool same_p = same_s && w->predicate.len == p_len && !memcmp(w->predicate.data, p_text, p_len);
  if (same_p) {
    NG_TRY(st, put_str(w, " ,\n        "));
  } else if (same_s) {
    NG_TRY(st, put_str(w, " ;\n    "));
    NG_TRY(st, put(w, p_text, p_len));
    NG_TRY(st, put_str(w, " "));
  } else {
    NG_TRY(st, close_statement(w));
    ng_buf_clear(&w->subject);
    NG_TRY(st, ng_buf_append(&w->subject, s_text, s_len));
    NG_TRY(st, put_str(w, "\n")); /* a blank line between subjects */
    NG_TRY(st, put(w, s_text, s_len));
    NG_TRY(st, put_str(w, " "));
    NG_TRY(st, put(w, p_text, p_len));
    NG_TRY(st, put_str(w, " "));
  }
  ng_buf_clear(&w->predicate);
  NG_TRY(st, ng_buf_append(&w->predicate, p_text, p_len));
  w->open = true;
  ng_buf_clear(b);
  NG_TRY(st, append_term_turtle(b, &t->o));
  return put(w, b->data, b->len);
}

static NgStatus line_emit(NgWriter *w, const NgTriple *t, const char *graph_iri) {
  NgStatus st;
  NgBuf *b = &w->line;
  ng_buf_clear(b);
  NG_TRY(st, ng_term_append_nt(b, &t->s));
  NG_TRY(st, ng_buf_putc(b, ' '));
  NG_TRY(st, ng_term_append_nt(b, &t->p));
  NG_TRY(st, ng_buf_putc(b, ' '));
  NG_TRY(st, ng_term_append_nt(b, &t->o));
  if (w->syntax == NG_SYNTAX_NQUADS && graph_iri) {
    NG_TRY(st, ng_buf_putc(b, ' '));
    NG_TRY(st, append_iri(b, graph_iri));
  }
  NG_TRY(st, ng_buf_puts(b, " .\n"));
  return put(w, b->data, b->len);
}

/* Terms that no syntax can write are refused before anything is output. */
static NgStatus check_term(const NgTerm *t, bool literal_ok) {
  size_t bad;
  if (!t->value || (!literal_ok && t->kind == NG_TERM_LITERAL)) return NG_ERR_BAD_ARG;
  if (t->kind != NG_TERM_IRI && t->kind != NG_TERM_BLANK && t->kind != NG_TERM_LITERAL)
    return NG_ERR_BAD_ARG;
  if (!ng_utf8_check(t->value, strlen(t->value), &bad)) return NG_ERR_ENCODING;
  if (t->kind != NG_TERM_LITERAL) return NG_SUCCESS;
  if (t->lang && !ng_utf8_check(t->lang, strlen(t->lang), &bad)) return NG_ERR_ENCODING;
  if (t->datatype && !ng_utf8_check(t->datatype, strlen(t->datatype), &bad)) return NG_ERR_ENCODING;
  return NG_SUCCESS;
}

static NgStatus emit(NgWriter *w, const NgTriple *t, const char *graph_iri) {
  NgStatus st;
  NG_TRY(st, check_term(&t->s, false));
  NG_TRY(st, check_term(&t->p, false));
  NG_TRY(st, check_term(&t->o, true));
  if (t->p.kind != NG_TERM_IRI) return NG_ERR_BAD_ARG;
  if (w->syntax == NG_SYNTAX_TURTLE) return turtle_emit(w, t);
  return line_emit(w, t, graph_iri);
}

/* Failures of the output stick: a writer that failed once stays failed. */
static NgStatus fail(NgWriter *w, NgStatus st) {
  if (st == NG_ERR_IO && !w->error) w->error = st;
  return st;
}

NgStatus ng_writer_write_triple(NgWriter *writer, const NgTriple *t, const char *graph_iri) {
  if (writer->error) return writer->error;
  if (writer->finished) return NG_ERR_BAD_ARG;
  NgStatus st = start(writer);
  if (!st) st = emit(writer, t, graph_iri);
  return fail(writer, st);
}

/* ------------------------------------------------------- graph grouping */

typedef struct {
  size_t subject_rank, predicate_rank, index;
} OrderKey;

static int compare_keys(const void *a, const void *b) {
  const OrderKey *x = a, *y = b;
  if (x->subject_rank != y->subject_rank) return x->subject_rank < y->subject_rank ? -1 : 1;
  if (x->predicate_rank != y->predicate_rank) return x->predicate_rank < y->predicate_rank ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* The rank of a term's first appearance ("kind value" keys in map). */
static NgStatus rank_of(NgMap *map, const NgTerm *t, size_t *rank) {
  char kind = (char)('0' + t->kind);
  size_t len = strlen(t->value);
  char small[256];
  char *key = len + 1 <= sizeof small ? small : malloc(len + 1);
  if (!key) return NG_ERR_NOMEM;
  key[0] = kind;
  memcpy(key + 1, t->value, len);
  bool inserted = false;
  uintptr_t *slot = ng_map_slot(map, key, len + 1, &inserted);
  if (key != small) free(key);
  if (!slot) return NG_ERR_NOMEM;
  if (inserted) *slot = ng_map_size(map);
  *rank = *slot;
  return NG_SUCCESS;
}

/* Subjects in order of first appearance, and within each subject the
 * predicates in order of first appearance: groups without reordering more
 * than needed. */
static NgStatus order_graph(const NgGraph *g, OrderKey *keys) {
  NgMap *subjects = ng_map_new(), *predicates = ng_map_new();
  NgStatus st = subjects && predicates ? NG_SUCCESS : NG_ERR_NOMEM;
  size_t n = ng_graph_size(g);
  for (size_t i = 0; i < n && !st; ++i) {
    const NgTriple *t = ng_graph_get(g, i);
    keys[i].index = i;
    st = rank_of(subjects, &t->s, &keys[i].subject_rank);
    if (!st) st = rank_of(predicates, &t->p, &keys[i].predicate_rank);
  }
  ng_map_free(subjects);
  ng_map_free(predicates);
  if (!st && n) qsort(keys, n, sizeof *keys, compare_keys);
  return st;
}

static NgStatus write_turtle_graph(NgWriter *w, const NgGraph *g) {
  size_t n = ng_graph_size(g);
  OrderKey *keys = n ? malloc(n * sizeof *keys) : NULL;
  if (n && !keys) return NG_ERR_NOMEM;
  NgStatus st = order_graph(g, keys);
  if (!st) st = close_statement(w);
  if (!st && n && ng_graph_get_name(g)) {
    NgBuf *b = &w->line;
    ng_buf_clear(b);
    st = ng_buf_puts(b, "\n# graph ");
    if (!st) st = append_iri(b, ng_graph_get_name(g)); /* the subject's "\n" ends the line */
    if (!st) st = put(w, b->data, b->len);
  }
  for (size_t i = 0; i < n && !st; ++i)
    st = emit(w, ng_graph_get(g, keys[i].index), NULL);
  if (!st) st = close_statement(w);
  free(keys);
  return st;
}

NgStatus ng_writer_write_graph(NgWriter *writer, const NgGraph *graph) {
  if (writer->error) return writer->error;
  if (writer->finished) return NG_ERR_BAD_ARG;
  NgStatus st = start(writer);
  if (!st && writer->syntax == NG_SYNTAX_TURTLE)
    return fail(writer, write_turtle_graph(writer, graph));
  for (size_t i = 0; i < ng_graph_size(graph) && !st; ++i)
    st = emit(writer, ng_graph_get(graph, i), ng_graph_get_name(graph));
  return fail(writer, st);
}

NgStatus ng_writer_finish(NgWriter *writer) {
  if (writer->finished) return writer->error;
  writer->finished = true;
  NgStatus st = writer->error;
  if (!st) st = start(writer);
  if (!st) st = close_statement(writer);
  if (fflush(writer->out) == EOF || ferror(writer->out)) st = st ? st : NG_ERR_IO;
  if (st) writer->error = st;
  return st;
}
