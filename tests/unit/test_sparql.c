/* test_sparql.c - SPARQL over the store: predeclared and overridden
 * prefixes, syntax errors in the user's own line:col, every result format
 * to the byte, ASK, CONSTRUCT, DESCRIBE, and the result table writers. */
#include "internal.h"
#include "iri.h"
#include "query.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


typedef struct {
  char text[8192];
  size_t len;
} Captured;

static void capture(void *handle, const NgError *e) {
  Captured *c = handle;
  static const char *const levels[] = {"error", "warning", "note"};
  int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s:%s:%lu:%lu: %s\n",
                   levels[e->level], e->file ? e->file : "", e->line, e->col, e->message);
  if (n > 0 && (size_t)n < sizeof c->text - c->len) c->len += (size_t)n;
}

static NgTerm iri(const char *v) { return (NgTerm){NG_TERM_IRI, v, NULL, NULL}; }

static void add(NgGraph *g, NgTerm s, NgTerm p, NgTerm o) {
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &o), NG_SUCCESS);
}

/* Three actors in one graph:
 *   actor:by  label "Belarus"
 *   actor:eu  label "European Union"@en, founded "1993"^^xsd:gYear
 *   actor:zz  label "A, \"B\"\nC" */
typedef struct {
  char dir[64];
  char path[80];
  NgWorld *world;
  NgStore *store;
  Captured errors;
} Fixture;

static void fixture_open(Fixture *f) {
  memset(f, 0, sizeof *f);
  strcpy(f->dir, "/tmp/ng-sparql-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(f->dir));
  snprintf(f->path, sizeof f->path, "%s/db", f->dir);
  f->world = ng_world_new();
  ng_world_set_error_sink(f->world, capture, &f->errors);
  NgStatus st;
  NgStore *w = ng_store_open(f->world, f->path, NG_STORE_WRITE, &st);
  ck_assert_ptr_nonnull(w);
  NgGraph *g = ng_graph_new(NG_NS_GRAPH "actors");
  NgTerm type = iri(NG_NS_RDF "type"), label = iri(NG_NS_RDFS "label"),
         actor = iri(NG_NS_ONTO "Actor");
  add(g, iri(NG_NS_ACTOR "eu"), type, actor);
  add(g, iri(NG_NS_ACTOR "eu"), label, (NgTerm){NG_TERM_LITERAL, "European Union", NULL, "en"});
  add(g, iri(NG_NS_ACTOR "eu"), iri(NG_NS_ONTO "founded"),
      (NgTerm){NG_TERM_LITERAL, "1993", NG_NS_XSD "gYear", NULL});
  add(g, iri(NG_NS_ACTOR "by"), type, actor);
  add(g, iri(NG_NS_ACTOR "by"), label, (NgTerm){NG_TERM_LITERAL, "Belarus", NULL, NULL});
  add(g, iri(NG_NS_ACTOR "zz"), type, actor);
  add(g, iri(NG_NS_ACTOR "zz"), label, (NgTerm){NG_TERM_LITERAL, "A, \"B\"\nC", NULL, NULL});
  ck_assert_int_eq(ng_store_replace_graph(w, g), NG_SUCCESS);
  ng_graph_free(g);
  ck_assert_int_eq(ng_store_close(w), NG_SUCCESS);
  f->store = ng_store_open(f->world, f->path, NG_STORE_READ, &st);
  ck_assert_ptr_nonnull(f->store);
}

static void fixture_close(Fixture *f) {
  ng_store_free(f->store);
  ng_world_free(f->world);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
  ck_assert_int_eq(system(cmd), 0);
}

/* Runs a query; returns the output (caller frees) and the status. */
static char *run(Fixture *f, const char *query, NgResultsFormat format, NgStatus *status) {
  char *out = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&out, &len);
  *status = ng_store_query(f->store, query, "test.rq", format, mem);
  fclose(mem);
  return out;
}

static void expect_output(Fixture *f, const char *query, NgResultsFormat format, const char *want) {
  NgStatus st;
  char *got = run(f, query, format, &st);
  ck_assert_msg(st == NG_SUCCESS, "query failed: %s", f->errors.text);
  ck_assert_str_eq(got, want);
  free(got);
}

static char *prefix_header(void) {
  NgBuf b = NG_BUF_INIT;
  for (const NgPrefix *p = ng_prefixes(); p->prefix; ++p)
    ng_buf_printf(&b, "@prefix %s: <%s> .\n", p->prefix, p->ns);
  return ng_buf_take(&b);
}

#define SELECT_ACTORS                                                                              \
  "SELECT ?a ?label ?founded WHERE {\n"                                                            \
  "  ?a a ng:Actor ; rdfs:label ?label\n"                                                          \
  "  OPTIONAL { ?a ng:founded ?founded }\n"                                                        \
  "} ORDER BY ?a"

#define BY "https://w3id.org/newsgraph/id/actor/by"
#define EU "https://w3id.org/newsgraph/id/actor/eu"
#define ZZ "https://w3id.org/newsgraph/id/actor/zz"
#define GYEAR "http://www.w3.org/2001/XMLSchema#gYear"

/* ------------------------------------------------------------------ tests */

START_TEST(format_names) {
  static const char *const names[] = {"table", "csv", "tsv", "json", "xml"};
  for (int i = 0; i < 5; ++i) {
    bool ok = false;
    ck_assert_int_eq(ng_results_format_from_name(names[i], &ok), i);
    ck_assert(ok);
  }
  bool ok = true;
  ck_assert_int_eq(ng_results_format_from_name("JSON", &ok), NG_RESULTS_JSON);
  ng_results_format_from_name("srj", &ok);
  ck_assert(!ok);
}
END_TEST

START_TEST(select_as_tsv) {
  Fixture f;
  fixture_open(&f);
  expect_output(&f, SELECT_ACTORS, NG_RESULTS_TSV,
                "?a\t?label\t?founded\n"
                "<" BY ">\t\"Belarus\"\t\n"
                "<" EU ">\t\"European Union\"@en\t\"1993\"^^<" GYEAR ">\n"
                "<" ZZ ">\t\"A, \\\"B\\\"\\nC\"\t\n");
  fixture_close(&f);
}
END_TEST

START_TEST(select_as_csv) {
  Fixture f;
  fixture_open(&f);
  expect_output(&f, SELECT_ACTORS, NG_RESULTS_CSV,
                "a,label,founded\r\n" BY ",Belarus,\r\n" EU ",European Union,1993\r\n" ZZ
                ",\"A, \"\"B\"\"\nC\",\r\n");
  fixture_close(&f);
}
END_TEST

START_TEST(select_as_json) {
  Fixture f;
  fixture_open(&f);
  expect_output(
      &f, SELECT_ACTORS, NG_RESULTS_JSON,
      "{\n"
      "  \"head\": {\"vars\": [\"a\", \"label\", \"founded\"]},\n"
      "  \"results\": {\"bindings\": [\n"
      "    {\"a\": {\"type\": \"uri\", \"value\": \"" BY "\"}, "
      "\"label\": {\"type\": \"literal\", \"value\": \"Belarus\"}},\n"
      "    {\"a\": {\"type\": \"uri\", \"value\": \"" EU "\"}, "
      "\"label\": {\"type\": \"literal\", \"value\": \"European Union\", \"xml:lang\": \"en\"}, "
      "\"founded\": {\"type\": \"literal\", \"value\": \"1993\", \"datatype\": \"" GYEAR "\"}},\n"
      "    {\"a\": {\"type\": \"uri\", \"value\": \"" ZZ "\"}, "
      "\"label\": {\"type\": \"literal\", \"value\": \"A, \\\"B\\\"\\nC\"}}\n"
      "  ]}\n"
      "}\n");
  fixture_close(&f);
}
END_TEST

START_TEST(select_as_xml) {
  Fixture f;
  fixture_open(&f);
  expect_output(
      &f, SELECT_ACTORS, NG_RESULTS_XML,
      "<?xml version=\"1.0\"?>\n"
      "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
      "  <head>\n"
      "    <variable name=\"a\"/>\n"
      "    <variable name=\"label\"/>\n"
      "    <variable name=\"founded\"/>\n"
      "  </head>\n"
      "  <results>\n"
      "    <result>\n"
      "      <binding name=\"a\"><uri>" BY "</uri></binding>\n"
      "      <binding name=\"label\"><literal>Belarus</literal></binding>\n"
      "    </result>\n"
      "    <result>\n"
      "      <binding name=\"a\"><uri>" EU "</uri></binding>\n"
      "      <binding name=\"label\"><literal xml:lang=\"en\">European Union</literal></binding>\n"
      "      <binding name=\"founded\"><literal datatype=\"" GYEAR "\">1993</literal></binding>\n"
      "    </result>\n"
      "    <result>\n"
      "      <binding name=\"a\"><uri>" ZZ "</uri></binding>\n"
      "      <binding name=\"label\"><literal>A, &quot;B&quot;\nC</literal></binding>\n"
      "    </result>\n"
      "  </results>\n"
      "</sparql>\n");
  fixture_close(&f);
}
END_TEST

START_TEST(select_as_table) {
  Fixture f;
  fixture_open(&f);
  expect_output(&f, SELECT_ACTORS, NG_RESULTS_TABLE,
                "┌──────────┬────────────────┬─────────┐\n"
                "│ a        │ label          │ founded │\n"
                "├──────────┼────────────────┼─────────┤\n"
                "│ actor:by │ Belarus        │         │\n"
                "│ actor:eu │ European Union │ 1993    │\n"
                "│ actor:zz │ A, \"B\"\\nC      │         │\n"
                "└──────────┴────────────────┴─────────┘\n");
  fixture_close(&f);
}
END_TEST

START_TEST(no_rows_still_name_the_variables) {
  Fixture f;
  fixture_open(&f);
  const char *q = "SELECT ?x ?y WHERE { ?x ng:none ?y }";
  expect_output(&f, q, NG_RESULTS_TSV, "?x\t?y\n");
  expect_output(&f, q, NG_RESULTS_CSV, "x,y\r\n");
  expect_output(
      &f, q, NG_RESULTS_JSON,
      "{\n  \"head\": {\"vars\": [\"x\", \"y\"]},\n  \"results\": {\"bindings\": []}\n}\n");
  expect_output(&f, q, NG_RESULTS_TABLE, "┌───┬───┐\n│ x │ y │\n├───┼───┤\n└───┴───┘\n");
  fixture_close(&f);
}
END_TEST

START_TEST(ask_in_every_format) {
  Fixture f;
  fixture_open(&f);
  const char *yes = "ASK { actor:eu a ng:Actor }", *no = "ASK { actor:eu a ng:Event }";
  expect_output(&f, yes, NG_RESULTS_TABLE, "true\n");
  expect_output(&f, no, NG_RESULTS_TABLE, "false\n");
  expect_output(&f, yes, NG_RESULTS_CSV, "_askResult\r\ntrue\r\n");
  expect_output(&f, no, NG_RESULTS_TSV, "?_askResult\nfalse\n");
  expect_output(&f, yes, NG_RESULTS_JSON, "{\n  \"head\": {},\n  \"boolean\": true\n}\n");
  expect_output(&f, no, NG_RESULTS_XML,
                "<?xml version=\"1.0\"?>\n"
                "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
                "  <head/>\n  <boolean>false</boolean>\n</sparql>\n");
  fixture_close(&f);
}
END_TEST

START_TEST(user_prefixes_override_the_predeclared_ones) {
  Fixture f;
  fixture_open(&f);
  /* predeclared */
  expect_output(&f, "ASK { actor:by rdfs:label \"Belarus\" }", NG_RESULTS_TSV,
                "?_askResult\ntrue\n");
  /* the user's own actor: (any case of the keyword) wins */
  expect_output(&f, "prefix actor: <http://elsewhere/>\nASK { actor:by rdfs:label \"Belarus\" }",
                NG_RESULTS_TSV, "?_askResult\nfalse\n");
  expect_output(&f, "PREFIX actor: <http://elsewhere/> ASK { actor:by rdfs:label ?l }",
                NG_RESULTS_TSV, "?_askResult\nfalse\n");
  /* a new prefix next to the predeclared ones */
  expect_output(&f,
                "PREFIX a2: <https://w3id.org/newsgraph/id/actor/>\n"
                "SELECT ?l WHERE { a2:by rdfs:label ?l }",
                NG_RESULTS_TSV, "?l\n\"Belarus\"\n");
  /* a prefix named in a comment or a string does not count */
  expect_output(&f, "# PREFIX actor: <http://elsewhere/>\nASK { actor:by ?p \"PREFIX actor: x\" }",
                NG_RESULTS_TSV, "?_askResult\nfalse\n");
  expect_output(&f, "# PREFIX actor: <http://elsewhere/>\nASK { actor:by ?p \"Belarus\" }",
                NG_RESULTS_TSV, "?_askResult\ntrue\n");
  ck_assert_str_eq(f.errors.text, "");
  fixture_close(&f);
}
END_TEST

/* Rasqal wants BASE before any PREFIX: the user's moves before ours, and
 * positions stay the user's; a byte order mark is ignored. */
START_TEST(base_and_byte_order_mark) {
  Fixture f;
  fixture_open(&f);
  expect_output(
      &f, "# a comment\nBASE\n  <https://w3id.org/newsgraph/id/actor/>\nASK { <by> a ng:Actor }",
      NG_RESULTS_TSV, "?_askResult\ntrue\n");
  expect_output(&f,
                "\xef\xbb\xbf"
                "ASK { actor:by a ng:Actor }",
                NG_RESULTS_TSV, "?_askResult\ntrue\n");
  NgStatus st;
  char *out = run(&f, "BASE\n<http://x/>\nASK { <by> a ) }", NG_RESULTS_TSV, &st);
  ck_assert_int_eq(st, NG_ERR_SYNTAX);
  free(out);
  ck_assert_ptr_nonnull(strstr(f.errors.text, "error:test.rq:3:14: "));
  fixture_close(&f);
}
END_TEST

static void expect_error(Fixture *f, const char *query, const char *want) {
  memset(&f->errors, 0, sizeof f->errors);
  NgStatus st;
  char *out = run(f, query, NG_RESULTS_TSV, &st);
  ck_assert_int_eq(st, NG_ERR_SYNTAX);
  ck_assert_str_eq(out, "");
  free(out);
  ck_assert_msg(!strncmp(f->errors.text, want, strlen(want)), "got %s, want %s", f->errors.text,
                want);
}

/* Positions are in the user's lines (the prelude of prefixes is invisible)
 * and columns in characters. */
START_TEST(syntax_errors_name_line_and_column) {
  Fixture f;
  fixture_open(&f);
  expect_error(&f, "SELEC ?x", "error:test.rq:1:1: ");
  expect_error(&f, "SELECT ?x WHERE {\n  ?x ?y \n}}",
               "error:test.rq:3:1: syntax error, unexpected '}'");
  expect_error(&f, "SELECT ?x WHERE {\n ?x ?p ?o } LIMIT 1 GROUP BY ?x",
               "error:test.rq:2:21: syntax error, unexpected GROUP");
  expect_error(&f, "SELECT ?x WHERE {\n  ?x foo:bar ?y }",
               "error:test.rq:2:6: undeclared prefix 'foo'");
  expect_error(&f, "SELECT ?x WHERE {\n  ?x rdfs:label \"d\xc3\xa9j\xc3\xa0\" ; ?p ) }",
               "error:test.rq:2:29: ");
  expect_error(&f, "SELECT ?x WHERE { ?x ?p ?o ",
               "error:test.rq:1:27: syntax error, unexpected $end");
  fixture_close(&f);
}
END_TEST

START_TEST(construct_and_describe_print_turtle) {
  Fixture f;
  fixture_open(&f);
  char *header = prefix_header();
  NgBuf want = NG_BUF_INIT;
  ng_buf_printf(&want,
                "%s\nactor:by ng:name \"Belarus\" .\n"
                "\nactor:eu ng:name \"European Union\"@en .\n"
                "\nactor:zz ng:name \"A, \\\"B\\\"\\nC\" .\n",
                header);
  expect_output(&f, "CONSTRUCT { ?a ng:name ?l } WHERE { ?a rdfs:label ?l } ORDER BY ?a",
                NG_RESULTS_TSV, want.data);
  ng_buf_clear(&want);
  /* DESCRIBE lists a resource's triples in the order of the store's index */
  ng_buf_printf(&want,
                "%s\nactor:eu a ng:Actor ;\n"
                "    rdfs:label \"European Union\"@en ;\n"
                "    ng:founded \"1993\"^^xsd:gYear .\n",
                header);
  expect_output(&f, "DESCRIBE actor:eu", NG_RESULTS_TABLE, want.data);
  expect_output(&f, "DESCRIBE ?a WHERE { ?a ng:founded ?y }", NG_RESULTS_TABLE, want.data);
  /* nothing to describe: a document with no triples */
  expect_output(&f, "DESCRIBE ?a WHERE { ?a ng:none ?y }", NG_RESULTS_TABLE, header);
  ng_buf_free(&want);
  free(header);
  fixture_close(&f);
}
END_TEST

START_TEST(querying_an_empty_store) {
  char dir[] = "/tmp/ng-sparql-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/missing", dir);
  NgWorld *w = ng_world_new();
  NgStatus st;
  NgStore *s = ng_store_open(w, path, NG_STORE_READ, &st);
  ck_assert_ptr_nonnull(s);
  char *out = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&out, &len);
  ck_assert_int_eq(ng_store_query(s, "SELECT * WHERE { ?s ?p ?o }", NULL, NG_RESULTS_CSV, mem),
                   NG_SUCCESS);
  ck_assert_int_eq(ng_store_query(s, "ASK { ?s ?p ?o }", NULL, NG_RESULTS_CSV, mem), NG_SUCCESS);
  fclose(mem);
  ck_assert_str_eq(out, "s,p,o\r\n_askResult\r\nfalse\r\n");
  free(out);
  ng_store_free(s);
  ng_world_free(w);
  ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ------------------------------------------------------- result writers */

static char *write_table(NgResultTable *t, NgResultsFormat format, bool streamed) {
  char *out = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&out, &len);
  ck_assert_int_eq(ng_results_write(t, format, streamed ? NG_RESULTS_HEAD : NG_RESULTS_ALL, mem),
                   NG_SUCCESS);
  fclose(mem);
  return out;
}

/* Rows written in batches (as a long result streams) give the same text
 * as all at once; the table format's columns fit wide characters. */
START_TEST(result_table_streams_identically) {
  const NgResultsFormat formats[] = {NG_RESULTS_CSV, NG_RESULTS_TSV, NG_RESULTS_JSON,
                                     NG_RESULTS_XML};
  for (size_t k = 0; k < NG_COUNTOF(formats); ++k) {
    NgResultTable *all = ng_result_table_new(NG_RESULT_BINDINGS);
    NgResultTable *parts = ng_result_table_new(NG_RESULT_BINDINGS);
    ng_result_table_add_var(all, "n");
    ng_result_table_add_var(all, "x");
    ng_result_table_add_var(parts, "n");
    ng_result_table_add_var(parts, "x");
    char *streamed_head = write_table(parts, formats[k], true);
    NgBuf streamed = NG_BUF_INIT;
    ng_buf_puts(&streamed, streamed_head);
    free(streamed_head);
    for (int i = 0; i < 2500; ++i) {
      char v[32];
      snprintf(v, sizeof v, "%d", i);
      NgTerm n = {NG_TERM_LITERAL, v, NG_NS_XSD "integer", NULL};
      NgTerm x = {i % 3 ? NG_TERM_IRI : NG_TERM_BLANK, i % 3 ? "http://ex/x" : "b0", NULL, NULL};
      size_t r1, r2;
      ck_assert_int_eq(ng_result_table_add_row(all, &r1), NG_SUCCESS);
      ck_assert_int_eq(ng_result_table_add_row(parts, &r2), NG_SUCCESS);
      ng_result_table_set(all, r1, 0, &n);
      ng_result_table_set(parts, r2, 0, &n);
      if (i % 5) {
        ng_result_table_set(all, r1, 1, &x);
        ng_result_table_set(parts, r2, 1, &x);
      }
      if (parts->nrows == 1000) {
        char *out = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&out, &len);
        ck_assert_int_eq(ng_results_write(parts, formats[k], NG_RESULTS_ROWS, mem), NG_SUCCESS);
        fclose(mem);
        ng_buf_puts(&streamed, out);
        free(out);
        ng_result_table_drop_rows(parts);
      }
    }
    char *out = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&out, &len);
    ck_assert_int_eq(ng_results_write(parts, formats[k], NG_RESULTS_ROWS | NG_RESULTS_TAIL, mem),
                     NG_SUCCESS);
    fclose(mem);
    ng_buf_puts(&streamed, out);
    free(out);
    char *whole = write_table(all, formats[k], false);
    ck_assert_str_eq(streamed.data, whole);
    free(whole);
    ng_buf_free(&streamed);
    ng_result_table_free(all);
    ng_result_table_free(parts);
  }
  /* columns count display width: CJK takes two, a combining accent none */
  NgResultTable *t = ng_result_table_new(NG_RESULT_BINDINGS);
  ng_result_table_add_var(t, "w");
  const char *values[] = {"\xe6\x97\xa5\xe6\x9c\xac", "e\xcc\x81t\xc3\xa9", "tab\there"};
  for (int i = 0; i < 3; ++i) {
    size_t r;
    ng_result_table_add_row(t, &r);
    NgTerm v = {NG_TERM_LITERAL, values[i], NULL, NULL};
    ng_result_table_set(t, r, 0, &v);
  }
  char *text = write_table(t, NG_RESULTS_TABLE, false);
  ck_assert_str_eq(text, "┌───────────┐\n"
                         "│ w         │\n"
                         "├───────────┤\n"
                         "│ 日本      │\n"
                         "│ e\xcc\x81t\xc3\xa9       │\n"
                         "│ tab\\there │\n"
                         "└───────────┘\n");
  free(text);
  ng_result_table_free(t);
  ng_result_table_free(NULL);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("sparql");
  TCase *tc = tcase_create("sparql");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, format_names);
  tcase_add_test(tc, select_as_tsv);
  tcase_add_test(tc, select_as_csv);
  tcase_add_test(tc, select_as_json);
  tcase_add_test(tc, select_as_xml);
  tcase_add_test(tc, select_as_table);
  tcase_add_test(tc, no_rows_still_name_the_variables);
  tcase_add_test(tc, ask_in_every_format);
  tcase_add_test(tc, user_prefixes_override_the_predeclared_ones);
  tcase_add_test(tc, base_and_byte_order_mark);
  tcase_add_test(tc, syntax_errors_name_line_and_column);
  tcase_add_test(tc, construct_and_describe_print_turtle);
  tcase_add_test(tc, querying_an_empty_store);
  tcase_add_test(tc, result_table_streams_identically);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
