/* test_nquads.c - the N-Triples / N-Quads reader (query/nquads.c): terms
 * and escapes, graphs, blank node labels, ends of line and pieces cut
 * anywhere, and the errors with their line:col. */
#include "query.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

/* Every statement as one line of text: "G|S|P|O" with each term written
 * as kind:value[^^datatype][@lang]. */
typedef struct {
  NgBuf out;
  unsigned count;
  unsigned long last_line;
} Seen;

static void put_term(NgBuf *b, const NgTerm *t) {
  if (!t) {
    ng_buf_puts(b, "-");
    return;
  }
  ng_buf_printf(b, "%c:%s", t->kind == NG_TERM_IRI ? 'I' : t->kind == NG_TERM_BLANK ? 'B' : 'L',
                t->value);
  if (t->datatype) ng_buf_printf(b, "^^%s", t->datatype);
  if (t->lang) ng_buf_printf(b, "@%s", t->lang);
}

static NgStatus sink(void *ctx, unsigned long line, unsigned long col, const NgTerm *g,
                     NgTerm *s, NgTerm *p, NgTerm *o) {
  Seen *seen = ctx;
  (void)col;
  seen->count++;
  seen->last_line = line;
  put_term(&seen->out, g);
  ng_buf_puts(&seen->out, "|");
  put_term(&seen->out, s);
  ng_buf_puts(&seen->out, "|");
  put_term(&seen->out, p);
  ng_buf_puts(&seen->out, "|");
  put_term(&seen->out, o);
  ng_buf_puts(&seen->out, "\n");
  return NG_SUCCESS;
}

/* Parses text fed in pieces of `piece` bytes (0: all at once). */
static NgStatus parse(bool quads, const char *text, size_t piece, Seen *seen, char *err,
                      size_t errlen) {
  memset(seen, 0, sizeof *seen);
  NgNquads *nq = ng_nquads_new(quads, sink, seen);
  ck_assert_ptr_nonnull(nq);
  size_t len = strlen(text), step = piece ? piece : len;
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < len && !st; i += step)
    st = ng_nquads_feed(nq, text + i, len - i < step ? len - i : step);
  if (!st) st = ng_nquads_end(nq);
  unsigned long line = 0, col = 0;
  const char *why = ng_nquads_error(nq, &line, &col);
  if (err) snprintf(err, errlen, "%lu:%lu: %s", line, col, why ? why : "");
  ng_nquads_free(nq);
  return st;
}

static const char *DOC =
    "# a comment\n"
    "<http://e.org/s> <http://e.org/p> <http://e.org/o> .\n"
    "\n"
    "_:b1 <http://e.org/p> \"caf\\u00E9 \\\"q\\\"\\t\\U0001F600\"@EN-gb <http://e.org/g> .  # end\r\n"
    "<http://e.org/s>\t<http://e.org/p>\t\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>\t_:g.\r"
    "<http://e.org/\\u0041><http://e.org/p>_:x.y. \n"
    "<http://e.org/s> <http://e.org/p> \"\" <http://e.org/g> .";

static const char *DOC_SEEN =
    "-|I:http://e.org/s|I:http://e.org/p|I:http://e.org/o\n"
    "I:http://e.org/g|B:b1|I:http://e.org/p|L:caf\xC3\xA9 \"q\"\t\xF0\x9F\x98\x80@EN-gb\n"
    "B:g|I:http://e.org/s|I:http://e.org/p|L:1^^http://www.w3.org/2001/XMLSchema#integer\n"
    "-|I:http://e.org/A|I:http://e.org/p|B:x.y\n"
    "I:http://e.org/g|I:http://e.org/s|I:http://e.org/p|L:\n";

START_TEST(test_terms) {
  Seen seen;
  char err[256];
  ck_assert_int_eq(parse(true, DOC, 0, &seen, err, sizeof err), NG_SUCCESS);
  ck_assert_str_eq(seen.out.data, DOC_SEEN);
  ck_assert_uint_eq(seen.count, 5);
  ck_assert_uint_eq(seen.last_line, 7); /* CR alone ends a line too */
  ng_buf_free(&seen.out);
}
END_TEST

/* The same statements whatever the pieces: a line, an escape, a CR LF
 * cut anywhere. */
START_TEST(test_pieces) {
  for (size_t piece = 1; piece < 40; ++piece) {
    Seen seen;
    ck_assert_int_eq(parse(true, DOC, piece, &seen, NULL, 0), NG_SUCCESS);
    ck_assert_str_eq(seen.out.data, DOC_SEEN);
    ck_assert_uint_eq(seen.last_line, 7);
    ng_buf_free(&seen.out);
  }
}
END_TEST

typedef struct {
  bool quads;
  const char *text, *where, *message;
} Bad;

static const Bad BAD[] = {
    {false, "<http://e.org/s> <http://e.org/p> <http://e.org/o> <http://e.org/g> .\n", "1:52:",
     "N-Triples has no graph"},
    {true, "\n<s> <http://e.org/p> <http://e.org/o> .\n", "2:1:", "relative IRI"},
    {true, "<http://e.org/s> <http://e.org/p> \"x\" .\n<http://e.org/a b> <http://e.org/p> 1 .\n",
     "2:16:", "cannot hold"},
    {true, "<http://e.org/s> \"p\" <http://e.org/o> .\n", "1:18:", "expected a predicate"},
    {true, "<http://e.org/{}> <http://e.org/p> <http://e.org/o> .\n", "1:15:", "cannot hold"},
    {true, "<http://e.org/s> <http://e.org/p|> <http://e.org/o> .\n", "1:33:", "cannot hold"},
    {true, "<http://e.org/s> <http://e.org/p> \"x\\q\" .\n", "1:37:", "unknown escape"},
    {true, "<http://e.org/s> <http://e.org/p> \"x\\u00\" .\n", "1:37:", "not hexadecimal"},
    {true, "<http://e.org/s> <http://e.org/p> \"\\u0000\" .\n", "1:36:", "NUL"},
    {true, "<http://e.org/s> <http://e.org/p> \"\\uD800\" .\n", "1:36:", "surrogate"},
    {true, "<http://e.org/s> <http://e.org/p> \"open .\n", "1:35:", "closing"},
    {true, "<http://e.org/s> <http://e.org/p> \"x\"@ .\n", "1:38:", "language tag"},
    {true, "<http://e.org/s> <http://e.org/p> \"x\"@en-- .\n", "1:38:", "language tag"},
    {true, "_:a:b <http://e.org/p> <http://e.org/o> .\n", "1:4:", "expected a predicate"},
    {true, "_:.a <http://e.org/p> <http://e.org/o> .\n", "1:1:", "blank node"},
    {true, "<http://e.org/s> <http://e.org/p> <http://e.org/o>\n", "1:51:", "expected '.'"},
    {true, "<http://e.org/s> <http://e.org/p> <http://e.org/o> . x\n", "1:54:", "more after"},
    {true, "<http://e.org/s> <http://e.org/p> \"caf\xC3\" .\n", "1:39:", "not UTF-8"},
    {true, "<http://e.org/\xC3\xA9> <http://e.org/p> \"\xC3\xA9\" \"x\" .\n", "1:39:",
     "graph name"},
};

START_TEST(test_errors) {
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; ++i) {
    Seen seen;
    char err[256];
    NgStatus st = parse(BAD[i].quads, BAD[i].text, 0, &seen, err, sizeof err);
    ck_assert_msg(st == NG_ERR_SYNTAX, "case %zu: status %d", i, st);
    ck_assert_msg(!strncmp(err, BAD[i].where, strlen(BAD[i].where)) && strstr(err, BAD[i].message),
                  "case %zu: '%s'", i, err);
    ng_buf_free(&seen.out);
  }
}
END_TEST

/* A sink's error stops the reading and comes back as it is. */
static NgStatus refuse_second(void *ctx, unsigned long line, unsigned long col, const NgTerm *g,
                              NgTerm *s, NgTerm *p, NgTerm *o) {
  (void)line, (void)col, (void)g, (void)s, (void)p, (void)o;
  return ++*(int *)ctx == 2 ? NG_ERR_TOO_LARGE : NG_SUCCESS;
}

START_TEST(test_sink_error) {
  int calls = 0;
  NgNquads *nq = ng_nquads_new(false, refuse_second, &calls);
  const char *text = "<http://e.org/s> <http://e.org/p> \"1\" .\n"
                     "<http://e.org/s> <http://e.org/p> \"2\" .\n"
                     "<http://e.org/s> <http://e.org/p> \"3\" .\n";
  ck_assert_int_eq(ng_nquads_feed(nq, text, strlen(text)), NG_ERR_TOO_LARGE);
  ck_assert_int_eq(calls, 2);
  unsigned long line, col;
  ck_assert_ptr_null(ng_nquads_error(nq, &line, &col));
  ng_nquads_free(nq);
  ng_nquads_free(NULL);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("nquads");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_terms);
  tcase_add_test(tc, test_pieces);
  tcase_add_test(tc, test_errors);
  tcase_add_test(tc, test_sink_error);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
