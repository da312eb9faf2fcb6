/* test_sniff.c - the input format and RDF syntax guessers (base/sniff.c). */
#include "newsgraph.h"
#include "unit.h"

#include <string.h>

static NgInputFormat article(const char *data, const char *name) {
  return ng_input_format_sniff(data, strlen(data), name);
}

static NgSyntax rdf(const char *data, const char *name, bool *sure) {
  return ng_syntax_sniff(data, strlen(data), name, sure);
}

START_TEST(articles_by_content) {
  ck_assert_int_eq(article("{\"id\": \"a1\", \"text\": \"x\"}\n{\"id\": \"a2\"}\n", NULL),
                   NG_INPUT_JSONL);
  ck_assert_int_eq(article("\xEF\xBB\xBF  \n{\"id\": 1}", NULL), NG_INPUT_JSONL); /* BOM, blanks */
  ck_assert_int_eq(article("<!DOCTYPE html>\n<html><body><p>Hi</p>", NULL), NG_INPUT_HTML);
  ck_assert_int_eq(article("\n  <p>Minsk, Nov 25 - ...</p>", "-"), NG_INPUT_HTML);
  ck_assert_int_eq(article("<?xml version=\"1.0\"?><html>", NULL), NG_INPUT_HTML);
  ck_assert_int_eq(article("MINSK, Nov 25 (Reuters) - Belarus said ...", NULL), NG_INPUT_TEXT);
  /* text that only starts like markup */
  ck_assert_int_eq(article("< 3 weeks left, the minister said.", NULL), NG_INPUT_TEXT);
  ck_assert_int_eq(article("<<Quoted>> he said.", NULL), NG_INPUT_TEXT);
  ck_assert_int_eq(article("", NULL), NG_INPUT_TEXT);
  ck_assert_int_eq(article("   \n\t", NULL), NG_INPUT_TEXT);
  ck_assert_int_eq(ng_input_format_sniff(NULL, 0, NULL), NG_INPUT_TEXT);
}
END_TEST

START_TEST(articles_by_name_first) {
  /* a known extension decides, whatever the first bytes */
  ck_assert_int_eq(article("<p>markup in a .txt</p>", "notes.txt"), NG_INPUT_TEXT);
  ck_assert_int_eq(article("{ braces in a page }", "a/page.HTML"), NG_INPUT_HTML);
  ck_assert_int_eq(article("plain words", "feed.jsonl"), NG_INPUT_JSONL);
  ck_assert_int_eq(article("x", "feed.ndjson"), NG_INPUT_JSONL);
  ck_assert_int_eq(article("x", "page.xhtml"), NG_INPUT_HTML);
  /* an unknown one does not */
  ck_assert_int_eq(article("{\"id\": 1}", "feed.out"), NG_INPUT_JSONL);
  ck_assert_int_eq(article("<html>", "download"), NG_INPUT_HTML);
  ck_assert_int_eq(article("Words.", "README.md"), NG_INPUT_TEXT);
}
END_TEST

START_TEST(rdf_each_syntax) {
  bool sure = false;
  ck_assert_int_eq(rdf("<http://e/s> <http://e/p> \"o\"@en .\n<http://e/s> <http://e/p> _:b1 .\n",
                       NULL, &sure),
                   NG_SYNTAX_NTRIPLES);
  ck_assert(sure);
  ck_assert_int_eq(rdf("# a comment\n<http://e/s> <http://e/p> \"1\"^^<http://x/int> <http://e/g> .\n",
                       NULL, &sure),
                   NG_SYNTAX_NQUADS);
  ck_assert(sure);
  ck_assert_int_eq(rdf("@prefix ex: <http://e/> .\nex:s ex:p ex:o .\n", NULL, &sure), NG_SYNTAX_TURTLE);
  ck_assert_int_eq(rdf("PREFIX ex: <http://e/>\nex:s a ex:C .\n", NULL, NULL), NG_SYNTAX_TURTLE);
  ck_assert_int_eq(rdf("<http://e/s> <http://e/p> <http://e/o> ; <http://e/q> 1 .", NULL, NULL),
                   NG_SYNTAX_TURTLE);
  ck_assert_int_eq(rdf("<http://e/s> <http://e/p> \"\"\"long\nliteral\"\"\" .", NULL, NULL),
                   NG_SYNTAX_TURTLE);
  ck_assert_int_eq(rdf("<http://e/g> { <http://e/s> <http://e/p> <http://e/o> . }", NULL, NULL),
                   NG_SYNTAX_TRIG);
  ck_assert_int_eq(rdf("PREFIX ex: <http://e/>\nGRAPH ex:g { ex:s ex:p ex:o }", NULL, NULL),
                   NG_SYNTAX_TRIG);
  ck_assert_int_eq(rdf("<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/"
                       "02/22-rdf-syntax-ns#\"></rdf:RDF>",
                       NULL, &sure),
                   NG_SYNTAX_RDFXML);
  ck_assert(sure);
  ck_assert_int_eq(rdf("<rdf:RDF\n  xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
                       NULL, NULL),
                   NG_SYNTAX_RDFXML);
  ck_assert_int_eq(rdf("<!-- made by hand -->\n<rdf:RDF>", NULL, NULL), NG_SYNTAX_RDFXML);
}
END_TEST

START_TEST(rdf_ambiguous_cases) {
  bool sure = true;
  const char *triples = "<http://e/s> <http://e/p> <http://e/o> .\n";
  /* N-Triples are Turtle, N-Quads and TriG too: the name picks among them */
  ck_assert_int_eq(rdf(triples, "x.ttl", NULL), NG_SYNTAX_TURTLE);
  ck_assert_int_eq(rdf(triples, "x.nq", NULL), NG_SYNTAX_NQUADS);
  ck_assert_int_eq(rdf(triples, "x.trig", NULL), NG_SYNTAX_TRIG);
  ck_assert_int_eq(rdf(triples, "x.nt", NULL), NG_SYNTAX_NTRIPLES);
  ck_assert_int_eq(rdf(triples, "x.data", NULL), NG_SYNTAX_NTRIPLES);
  /* ... but never a grammar the content does not fit: content wins */
  ck_assert_int_eq(rdf(triples, "x.rdf", NULL), NG_SYNTAX_NTRIPLES);
  ck_assert_int_eq(rdf("@prefix ex: <http://e/> .", "x.nt", NULL), NG_SYNTAX_TURTLE);
  ck_assert_int_eq(rdf("@prefix ex: <http://e/> .", "x.trig", NULL), NG_SYNTAX_TRIG);
  ck_assert_int_eq(rdf("<rdf:RDF xmlns:rdf=\"x\">", "x.ttl", NULL), NG_SYNTAX_RDFXML);
  ck_assert_int_eq(rdf("<http://e/s> <http://e/p> <http://e/o> <http://e/g> .", "x.ttl", NULL),
                   NG_SYNTAX_NQUADS);
  /* triples and quads mixed: N-Quads (a triple is in the default graph) */
  ck_assert_int_eq(rdf("<a:s> <a:p> <a:o> .\n<a:s> <a:p> <a:o> <a:g> .\n", NULL, NULL),
                   NG_SYNTAX_NQUADS);
  /* nothing to go by: the name, else Turtle, and not sure */
  ck_assert_int_eq(rdf("# only a comment\n\n", NULL, &sure), NG_SYNTAX_TURTLE);
  ck_assert(!sure);
  ck_assert_int_eq(rdf("", "x.nq", &sure), NG_SYNTAX_NQUADS);
  ck_assert(sure);
  ck_assert_int_eq(ng_syntax_sniff(NULL, 0, NULL, &sure), NG_SYNTAX_TURTLE);
  ck_assert(!sure);
  /* a head cut inside the first IRI tells nothing yet */
  ck_assert_int_eq(rdf("<http://e/a-very-long", NULL, &sure), NG_SYNTAX_TURTLE);
  ck_assert(!sure);
  /* a "#" inside an IRI or a literal is not a comment */
  ck_assert_int_eq(rdf("<http://e/s#x> <http://e/p> \"a # b\" .", NULL, NULL), NG_SYNTAX_NTRIPLES);
  /* five plain terms fit no grammar: the name decides */
  ck_assert_int_eq(rdf("<a:s> <a:p> <a:o> <a:g> <a:x> .", "x.nq", &sure), NG_SYNTAX_NQUADS);
  ck_assert(sure);
}
END_TEST

/* Whatever the bytes, the guess ends and says one of the syntaxes: a
 * stray ">", NUL bytes, cut escapes. */
START_TEST(rdf_any_bytes) {
  static const char *const odd[] = {"> <a> <b> <c> .", ">>>>", "\"\\", "\"\\\"", "_:", "_:b.",
                                    "<a> \"x\"^^", "<a> \"x\"^^<", "'''", "\"\"\"\\"};
  for (size_t i = 0; i < sizeof odd / sizeof *odd; ++i)
    ck_assert_int_le(rdf(odd[i], NULL, NULL), NG_SYNTAX_TRIG);
  char buf[64];
  unsigned seed = 20261207;
  for (int round = 0; round < 20000; ++round) {
    size_t len = (size_t)(rand_r(&seed) % sizeof buf);
    for (size_t i = 0; i < len; ++i)
      buf[i] = "<>\"'_:.@{}[]();,#\\^ \nagp\0"[rand_r(&seed) % 26];
    ck_assert_int_le(ng_syntax_sniff(buf, len, NULL, NULL), NG_SYNTAX_TRIG);
    ck_assert_int_le(ng_input_format_sniff(buf, len, NULL), NG_INPUT_HTML);
  }
}
END_TEST

START_TEST(trig_is_a_syntax_name) {
  bool ok = false;
  ck_assert_int_eq(ng_syntax_from_name("TriG", &ok), NG_SYNTAX_TRIG);
  ck_assert(ok);
  /* nothing writes TriG (nor the guess) */
  ck_assert_ptr_null(ng_writer_new(stdout, NG_SYNTAX_TRIG));
  ck_assert_ptr_null(ng_writer_new(stdout, NG_SYNTAX_GUESS));
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("sniff");
  TCase *tc = tcase_create("sniff");
  tcase_set_timeout(tc, 60); /* (the random heads take a while under valgrind) */
  tcase_add_test(tc, articles_by_content);
  tcase_add_test(tc, articles_by_name_first);
  tcase_add_test(tc, rdf_each_syntax);
  tcase_add_test(tc, rdf_ambiguous_cases);
  tcase_add_test(tc, rdf_any_bytes);
  tcase_add_test(tc, trig_is_a_syntax_name);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
