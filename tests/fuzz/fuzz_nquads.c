/* fuzz_nquads.c - the N-Triples and N-Quads reader (query/nquads.c) on
 * arbitrary bytes, without a store.
 *
 * Input: byte 0 bit 0 picks N-Quads (1) or N-Triples (0), bits 1-7 the
 * size of the pieces the text is fed in (0: all at once); the rest is the
 * text, as bytes (NUL, CR and invalid UTF-8 included: the reader meets
 * them in files).
 *
 * Checked, beyond not crashing:
 * - the pieces do not matter: the text fed whole and fed in pieces gives
 *   the same statements and the same error at the same line:column;
 * - every statement is well formed: subject an IRI or blank node,
 *   predicate an IRI, graph absent in N-Triples and an IRI or blank node
 *   in N-Quads, values valid UTF-8, IRIs absolute, a literal with at most
 *   one of datatype and language tag, a tag of letters, digits and '-';
 *   lines rise and columns start at 1;
 * - what was read, written back as N-Quads with every character escaped
 *   that may be, reads back to the same statements (the unescaping is
 *   exact).
 * - an error names a line and column inside the text. */
#include "fuzz.h"
#include "query.h"

/* Statements as text, one record each: kinds and values NUL-separated. */
typedef struct {
  NgBuf out;
  bool quads;
  unsigned long last_line;
  unsigned long lines; /* line breaks in the text + 1: no statement past it */
} Reading;

static void put_term(NgBuf *b, const NgTerm *t) {
  if (!t) {
    NG_FUZZ_CHECK(!ng_buf_puts(b, "-|"), "out of memory");
    return;
  }
  NG_FUZZ_CHECK(!ng_buf_printf(b, "%d%s|%s|%s|", (int)t->kind, t->value,
                               t->datatype ? t->datatype : "", t->lang ? t->lang : "-"),
                "out of memory");
}

static bool utf8(const char *s) {
  size_t where;
  return ng_utf8_check(s, strlen(s), &where);
}

static bool absolute_iri(const char *v) {
  const char *colon = strchr(v, ':');
  return colon && colon != v && utf8(v);
}

static bool lang_ok(const char *l) {
  if (!*l) return false;
  bool first = true;
  for (const char *p = l; *p; ++p) {
    if (*p == '-') {
      if (p == l || p[1] == '\0' || p[-1] == '-') return false;
      first = false;
      continue;
    }
    bool letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
    if (!letter && !(!first && *p >= '0' && *p <= '9')) return false;
  }
  return true;
}

static void check_term(const NgTerm *t, const char *kinds, const char *what) {
  NG_FUZZ_CHECK(t->value != NULL, "%s without a value", what);
  char kind = t->kind == NG_TERM_IRI ? 'I' : t->kind == NG_TERM_BLANK ? 'B' : 'L';
  NG_FUZZ_CHECK(strchr(kinds, kind) != NULL, "%s of kind %c", what, kind);
  NG_FUZZ_CHECK(utf8(t->value), "%s not UTF-8", what);
  if (kind == 'I') NG_FUZZ_CHECK(absolute_iri(t->value), "%s <%s> not absolute", what, t->value);
  if (kind == 'B') NG_FUZZ_CHECK(t->value[0] != '\0', "%s: an empty blank node label", what);
  if (kind != 'L') NG_FUZZ_CHECK(!t->datatype && !t->lang, "%s: a datatype or tag", what);
  if (kind == 'L') NG_FUZZ_CHECK(!(t->datatype && t->lang), "%s: a datatype and a tag", what);
  if (t->datatype) NG_FUZZ_CHECK(absolute_iri(t->datatype), "%s: datatype not absolute", what);
  if (t->lang) NG_FUZZ_CHECK(lang_ok(t->lang), "%s: language tag '%s'", what, t->lang);
}

static NgStatus take(void *ctx, unsigned long line, unsigned long col, const NgTerm *graph,
                     NgTerm *s, NgTerm *p, NgTerm *o) {
  Reading *r = ctx;
  NG_FUZZ_CHECK(line >= 1 && line <= r->lines && line >= r->last_line && col >= 1,
                "statement at %lu:%lu (last %lu, %lu lines)", line, col, r->last_line, r->lines);
  r->last_line = line;
  check_term(s, "IB", "subject");
  check_term(p, "I", "predicate");
  check_term(o, "IBL", "object");
  NG_FUZZ_CHECK(r->quads || !graph, "a graph in N-Triples");
  if (graph) check_term(graph, "IB", "graph");
  put_term(&r->out, graph);
  put_term(&r->out, s);
  put_term(&r->out, p);
  put_term(&r->out, o);
  NG_FUZZ_CHECK(!ng_buf_putc(&r->out, '\n'), "out of memory");
  return NG_SUCCESS;
}

typedef struct {
  NgStatus status;
  unsigned long line, col;
  char message[200];
} Outcome;

/* Reads text[0..len) fed in pieces of `piece` bytes (0: whole). */
static Outcome read_text(bool quads, const char *text, size_t len, size_t piece, NgBuf *out) {
  Reading r = {NG_BUF_INIT, quads, 1, 1};
  for (size_t i = 0; i < len; ++i)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) r.lines++;
  NgNquads *nq = ng_nquads_new(quads, take, &r);
  NG_FUZZ_CHECK(nq != NULL, "out of memory");
  Outcome o = {NG_SUCCESS, 0, 0, ""};
  if (!piece) piece = len ? len : 1;
  for (size_t at = 0; at < len && !o.status; at += piece)
    o.status = ng_nquads_feed(nq, text + at, len - at < piece ? len - at : piece);
  if (!o.status) o.status = ng_nquads_end(nq);
  const char *why = ng_nquads_error(nq, &o.line, &o.col);
  NG_FUZZ_CHECK((o.status == NG_SUCCESS) == (why == NULL), "status %d, message %s", o.status,
                why ? why : "(none)");
  if (why) {
    NG_FUZZ_CHECK(o.status == NG_ERR_SYNTAX, "status %d with a syntax error", o.status);
    NG_FUZZ_CHECK(o.line >= 1 && o.line <= r.lines && o.col >= 1, "error at %lu:%lu of %lu lines",
                  o.line, o.col, r.lines);
    NG_FUZZ_CHECK(why[0] && !strchr(why, '\n'), "message '%s'", why);
    snprintf(o.message, sizeof o.message, "%s", why);
  }
  ng_nquads_free(nq);
  *out = r.out;
  return o;
}

/* ------------------------------------------------------- writing back */

static void put_escaped(NgBuf *b, const char *s, bool iri) {
  for (const char *p = s; *p;) {
    unsigned char ch = (unsigned char)*p;
    bool plain = iri ? (ch > 0x20 && ch < 0x7F && !strchr("<>\"{}|^`\\", ch))
                     : (ch >= 0x20 && ch != '"' && ch != '\\');
    NgStatus st;
    if (plain) {
      st = ng_buf_putc(b, *p++);
    } else { /* a whole UTF-8 sequence as one escape */
      uint32_t cp = 0;
      size_t n = ng_utf8_decode((const unsigned char *)p, strlen(p), &cp);
      NG_FUZZ_CHECK(n > 0, "bad UTF-8 in a value that was checked");
      st = ng_buf_printf(b, cp > 0xFFFF ? "\\U%08X" : "\\u%04X", (unsigned)cp);
      p += n;
    }
    NG_FUZZ_CHECK(!st, "out of memory");
  }
}

static void write_term(NgBuf *b, const NgTerm *t) {
  NgStatus st = NG_SUCCESS;
  if (t->kind == NG_TERM_BLANK) {
    st = ng_buf_printf(b, "_:%s ", t->value);
  } else if (t->kind == NG_TERM_IRI) {
    st = ng_buf_putc(b, '<');
    put_escaped(b, t->value, true);
    if (!st) st = ng_buf_puts(b, "> ");
  } else {
    st = ng_buf_putc(b, '"');
    put_escaped(b, t->value, false);
    if (!st) st = ng_buf_putc(b, '"');
    if (!st && t->lang) st = ng_buf_printf(b, "@%s", t->lang);
    if (!st && t->datatype) {
      st = ng_buf_puts(b, "^^<");
      put_escaped(b, t->datatype, true);
      if (!st) st = ng_buf_putc(b, '>');
    }
    if (!st) st = ng_buf_putc(b, ' ');
  }
  NG_FUZZ_CHECK(!st, "out of memory");
}

static NgStatus write_back(void *ctx, unsigned long line, unsigned long col, const NgTerm *graph,
                           NgTerm *s, NgTerm *p, NgTerm *o) {
  NgBuf *b = ctx;
  (void)line, (void)col;
  write_term(b, s);
  write_term(b, p);
  write_term(b, o);
  if (graph) write_term(b, graph);
  NG_FUZZ_CHECK(!ng_buf_puts(b, ".\n"), "out of memory");
  return NG_SUCCESS;
}

/* The statements read, written back escaped, read again: the same. */
static void check_round_trip(bool quads, const char *text, size_t len, const NgBuf *first) {
  NgBuf written = NG_BUF_INIT, again = NG_BUF_INIT;
  NgNquads *nq = ng_nquads_new(quads, write_back, &written);
  NG_FUZZ_CHECK(nq != NULL, "out of memory");
  NgStatus st = ng_nquads_feed(nq, text, len);
  if (!st) st = ng_nquads_end(nq);
  ng_nquads_free(nq);
  NG_FUZZ_CHECK(st == NG_SUCCESS, "the text read once does not read again: %d", st);
  Outcome o = read_text(quads, written.data ? written.data : "", written.len, 0, &again);
  NG_FUZZ_CHECK(o.status == NG_SUCCESS, "written back, it fails at %lu:%lu: %s\n%s", o.line, o.col,
                o.message, written.data ? written.data : "");
  NG_FUZZ_CHECK(again.len == first->len && (!again.len || !memcmp(again.data, first->data,
                                                                   again.len)),
                "written back, it reads as other statements:\n%s", written.data);
  ng_buf_free(&written);
  ng_buf_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  NgFuzzInput in = {data, size};
  unsigned mode = ng_fuzz_byte(&in);
  bool quads = mode & 1;
  size_t piece = mode >> 1;
  /* an exact-size copy: a read past the end is caught */
  char *text = calloc(in.size ? in.size : 1, 1);
  NG_FUZZ_CHECK(text != NULL, "out of memory");
  if (in.size) memcpy(text, in.data, in.size);
  NgBuf whole, pieces;
  Outcome a = read_text(quads, text, in.size, 0, &whole);
  Outcome b = read_text(quads, text, in.size, piece ? piece : 1, &pieces);
  NG_FUZZ_CHECK(a.status == b.status && a.line == b.line && a.col == b.col &&
                    !strcmp(a.message, b.message),
                "whole: %d %lu:%lu %s; in pieces of %zu: %d %lu:%lu %s", a.status, a.line, a.col,
                a.message, piece ? piece : 1, b.status, b.line, b.col, b.message);
  NG_FUZZ_CHECK(whole.len == pieces.len && (!whole.len || !memcmp(whole.data, pieces.data,
                                                                   whole.len)),
                "the statements differ when the text comes in pieces of %zu", piece ? piece : 1);
  if (a.status == NG_SUCCESS) check_round_trip(quads, text, in.size, &whole);
  ng_buf_free(&whole);
  ng_buf_free(&pieces);
  free(text);
  return 0;
}
