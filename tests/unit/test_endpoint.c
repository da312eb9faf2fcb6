/* test_endpoint.c - the pieces of the SPARQL endpoint client that need no
 * server: the results readers (JSON and XML, fed in any pieces), the
 * update operations (split for Virtuoso, blank nodes kept together), the
 * error text, the query form and prelude, and the URL checks. */
#include "internal.h"
#include "iri.h"
#include "query.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char text[4096];
  size_t len;
} Captured;

static void capture(void *handle, const NgError *e) {
  Captured *c = handle;
  int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s:%lu:%lu: %s\n",
                   e->file ? e->file : "", e->line, e->col, e->message);
  if (n > 0 && (size_t)n < sizeof c->text - c->len) c->len += (size_t)n;
}

/* Everything a table holds, written in a format, as a string (caller frees). */
static char *table_text(NgResultTable *t, NgResultsFormat format) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(ng_results_write(t, format, NG_RESULTS_ALL, f), NG_SUCCESS);
  fclose(f);
  return text;
}

/* Reads doc fed in pieces of `piece` bytes (0: whole); returns the reader. */
static NgResultsReader *read_doc(const char *doc, bool xml, size_t piece, NgStatus *st) {
  NgResultsReader *r = ng_results_reader_new(xml);
  ck_assert_ptr_nonnull(r);
  size_t len = strlen(doc), step = piece ? piece : len;
  *st = NG_SUCCESS;
  for (size_t i = 0; i < len && !*st; i += step)
    *st = ng_results_reader_feed(r, doc + i, len - i < step ? len - i : step);
  if (!*st) *st = ng_results_reader_finish(r);
  return r;
}

/* As Virtuoso answers: "typed-literal", escapes, extra members. */
static const char *const json_doc =
    "{ \"head\": { \"link\": [], \"vars\": [\"s\", \"label\", \"n\", \"plain\"] },\n"
    "  \"results\": { \"distinct\": false, \"ordered\": true, \"bindings\": [\n"
    "    { \"s\": { \"type\": \"uri\", \"value\": \"https://w3id.org/newsgraph/id/actor/eu\" },"
    " \"label\": { \"type\": \"literal\", \"xml:lang\": \"en\", \"value\": \"Caf\\u00E9 "
    "\\\"EU\\\"\\n\" },"
    " \"n\": { \"type\": \"typed-literal\", \"datatype\": "
    "\"http://www.w3.org/2001/XMLSchema#integer\","
    " \"value\": \"42\" },"
    " \"plain\": { \"type\": \"literal\", \"datatype\": "
    "\"http://www.w3.org/2001/XMLSchema#string\","
    " \"value\": \"x\\ud83d\\ude00y\" } },\n"
    "    { \"s\": { \"type\": \"bnode\", \"value\": \"b0\" }, \"n\": {\"value\": \"-1.5e3\","
    " \"type\": \"literal\", \"datatype\": \"http://www.w3.org/2001/XMLSchema#double\"} },\n"
    "    { } ] } }\n";

/* The same answer as SPARQL XML results. */
static const char *const xml_doc =
    "<?xml version=\"1.0\"?>\n<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
    " <head><variable name=\"s\"/><variable name=\"label\"/><variable name=\"n\"/>"
    "<variable name=\"plain\"/><link href=\"x\"/></head>\n"
    " <results distinct=\"false\" ordered=\"true\">\n"
    "  <result><binding name=\"s\"><uri>https://w3id.org/newsgraph/id/actor/eu</uri></binding>"
    "<binding name=\"label\"><literal xml:lang=\"en\">Caf&#xE9; \"EU\"\n</literal></binding>"
    "<binding name=\"n\"><literal "
    "datatype=\"http://www.w3.org/2001/XMLSchema#integer\">42</literal>"
    "</binding><binding name=\"plain\"><literal "
    "datatype=\"http://www.w3.org/2001/XMLSchema#string\">"
    "x\xf0\x9f\x98\x80y</literal></binding></result>\n"
    "  <result><binding name=\"s\"><bnode>b0</bnode></binding><binding name=\"n\">"
    "<literal datatype=\"http://www.w3.org/2001/XMLSchema#double\"><![CDATA[-1.5e3]]></literal>"
    "</binding></result>\n"
    "  <result></result>\n </results>\n</sparql>\n";

START_TEST(json_results_read_in_any_pieces) {
  NgStatus st;
  NgResultsReader *whole = read_doc(json_doc, false, 0, &st);
  ck_assert_msg(st == NG_SUCCESS, "%s", ng_results_reader_error(whole));
  NgResultTable *t = ng_results_reader_table(whole);
  ck_assert_int_eq(t->kind, NG_RESULT_BINDINGS);
  ck_assert_uint_eq(t->nvars, 4);
  ck_assert_str_eq(t->vars[1], "label");
  ck_assert_uint_eq(t->nrows, 3);
  const NgTerm *c = t->cells;
  ck_assert_int_eq(c[0].kind, NG_TERM_IRI);
  ck_assert_str_eq(c[1].value, "Caf\xc3\xa9 \"EU\"\n");
  ck_assert_str_eq(c[1].lang, "en");
  ck_assert_int_eq(c[2].kind, NG_TERM_LITERAL); /* typed-literal */
  ck_assert_str_eq(c[2].datatype, NG_NS_XSD "integer");
  ck_assert_str_eq(c[3].value, "x\xf0\x9f\x98\x80y"); /* a surrogate pair */
  ck_assert_ptr_null(c[3].datatype);                  /* xsd:string is the plain form */
  ck_assert_int_eq(c[4].kind, NG_TERM_BLANK);
  ck_assert_ptr_null(c[5].value); /* unbound */
  ck_assert_str_eq(c[6].value, "-1.5e3");
  for (size_t i = 8; i < 12; ++i)
    ck_assert_ptr_null(c[i].value);
  char *expected = table_text(t, NG_RESULTS_TSV);
  /* cut anywhere, even inside escapes and UTF-8, the answer is the same */
  for (size_t piece = 1; piece < 12; ++piece) {
    NgResultsReader *r = read_doc(json_doc, false, piece, &st);
    ck_assert_int_eq(st, NG_SUCCESS);
    char *got = table_text(ng_results_reader_table(r), NG_RESULTS_TSV);
    ck_assert_str_eq(got, expected);
    free(got);
    ng_results_reader_free(r);
  }
  free(expected);
  ng_results_reader_free(whole);
}
END_TEST

START_TEST(xml_results_read_like_json) {
  NgStatus st;
  NgResultsReader *j = read_doc(json_doc, false, 0, &st);
  ck_assert_int_eq(st, NG_SUCCESS);
  char *from_json = table_text(ng_results_reader_table(j), NG_RESULTS_TSV);
  for (size_t piece = 0; piece < 9; piece += 4) {
    NgResultsReader *x = read_doc(xml_doc, true, piece, &st);
    ck_assert_msg(st == NG_SUCCESS, "%s", ng_results_reader_error(x));
    char *from_xml = table_text(ng_results_reader_table(x), NG_RESULTS_TSV);
    ck_assert_str_eq(from_xml, from_json);
    free(from_xml);
    ng_results_reader_free(x);
  }
  free(from_json);
  ng_results_reader_free(j);
}
END_TEST

/* A long answer streamed: written every few pieces while rows are cut
 * anywhere, the output is the one written all at once. */
static char *streamed(const char *doc, bool xml, size_t piece, NgResultsFormat format) {
  NgResultsReader *r = ng_results_reader_new(xml);
  char *text = NULL;
  size_t len = 0, n = strlen(doc);
  FILE *f = open_memstream(&text, &len);
  bool head = false;
  for (size_t i = 0; i < n; i += piece) {
    ck_assert_int_eq(ng_results_reader_feed(r, doc + i, n - i < piece ? n - i : piece), 0);
    if (ng_results_reader_table(r)->nrows > 3) {
      int parts = NG_RESULTS_ROWS | (head ? 0 : NG_RESULTS_HEAD);
      head = true;
      ck_assert_int_eq(ng_results_reader_write_rows(r, format, parts, f), NG_SUCCESS);
    }
  }
  ck_assert_int_eq(ng_results_reader_finish(r), NG_SUCCESS);
  int parts = NG_RESULTS_ROWS | NG_RESULTS_TAIL | (head ? 0 : NG_RESULTS_HEAD);
  ck_assert_int_eq(ng_results_reader_write_rows(r, format, parts, f), NG_SUCCESS);
  fclose(f);
  ng_results_reader_free(r);
  return text;
}

START_TEST(streaming_keeps_the_row_being_read) {
  NgResultTable *t = ng_result_table_new(NG_RESULT_BINDINGS);
  ck_assert_int_eq(ng_result_table_add_var(t, "s"), NG_SUCCESS);
  ck_assert_int_eq(ng_result_table_add_var(t, "label"), NG_SUCCESS);
  char value[64];
  for (int i = 0; i < 300; ++i) {
    size_t row;
    ck_assert_int_eq(ng_result_table_add_row(t, &row), NG_SUCCESS);
    snprintf(value, sizeof value, "http://ex/s%d", i);
    NgTerm s = {NG_TERM_IRI, value, NULL, NULL};
    ck_assert_int_eq(ng_result_table_set(t, row, 0, &s), NG_SUCCESS);
    snprintf(value, sizeof value, "label \xc3\xa9 %d", i);
    NgTerm l = {NG_TERM_LITERAL, value, NULL, i % 2 ? "en" : NULL};
    if (i % 7) ck_assert_int_eq(ng_result_table_set(t, row, 1, &l), NG_SUCCESS);
  }
  char *json = table_text(t, NG_RESULTS_JSON), *xml = table_text(t, NG_RESULTS_XML);
  NgResultsFormat formats[] = {NG_RESULTS_TSV, NG_RESULTS_JSON, NG_RESULTS_CSV};
  for (size_t k = 0; k < NG_COUNTOF(formats); ++k) {
    char *whole = table_text(t, formats[k]);
    size_t pieces[] = {1, 7, 64, 1000};
    for (size_t p = 0; p < NG_COUNTOF(pieces); ++p) {
      char *a = streamed(json, false, pieces[p], formats[k]);
      ck_assert_str_eq(a, whole);
      free(a);
      char *b = streamed(xml, true, pieces[p], formats[k]);
      ck_assert_str_eq(b, whole);
      free(b);
    }
    free(whole);
  }
  free(json);
  free(xml);
  ng_result_table_free(t);
}
END_TEST

START_TEST(boolean_answers) {
  NgStatus st;
  NgResultsReader *r = read_doc("{\"head\": {}, \"boolean\": true}", false, 3, &st);
  ck_assert_int_eq(st, NG_SUCCESS);
  ck_assert_int_eq(ng_results_reader_table(r)->kind, NG_RESULT_BOOLEAN);
  ck_assert(ng_results_reader_table(r)->boolean);
  char *tsv = table_text(ng_results_reader_table(r), NG_RESULTS_TSV);
  ck_assert_str_eq(tsv, "?_askResult\ntrue\n");
  free(tsv);
  ng_results_reader_free(r);
  r = read_doc("<?xml version=\"1.0\"?><sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">"
               "<head/><boolean>false</boolean></sparql>",
               true, 5, &st);
  ck_assert_int_eq(st, NG_SUCCESS);
  ck_assert_int_eq(ng_results_reader_table(r)->kind, NG_RESULT_BOOLEAN);
  ck_assert(!ng_results_reader_table(r)->boolean);
  ng_results_reader_free(r);
}
END_TEST

/* Our own writers' JSON and XML read back give the table they came from. */
START_TEST(our_writers_round_trip) {
  NgResultTable *t = ng_result_table_new(NG_RESULT_BINDINGS);
  const char *vars[] = {"a", "b", "c"};
  for (size_t i = 0; i < 3; ++i)
    ck_assert_int_eq(ng_result_table_add_var(t, vars[i]), NG_SUCCESS);
  const NgTerm terms[] = {
      {NG_TERM_IRI, "http://ex/a?x=1&y=<2>", NULL, NULL},
      {NG_TERM_LITERAL, "tab\there \"quoted\" back\\slash \xe2\x82\xac\nline", NULL, NULL},
      {NG_TERM_LITERAL, "2020-11-06", NG_NS_XSD "date", NULL},
      {NG_TERM_BLANK, "n1", NULL, NULL},
      {NG_TERM_LITERAL, "Minsk", NULL, "be-Latn"},
  };
  for (size_t r = 0; r < 40; ++r) {
    size_t row;
    ck_assert_int_eq(ng_result_table_add_row(t, &row), NG_SUCCESS);
    for (size_t c = 0; c < 3; ++c)
      if ((r + c) % 4) ck_assert_int_eq(ng_result_table_set(t, row, c, &terms[(r + c) % 5]), 0);
  }
  char *expected = table_text(t, NG_RESULTS_TSV);
  for (int xml = 0; xml < 2; ++xml) {
    char *doc = table_text(t, xml ? NG_RESULTS_XML : NG_RESULTS_JSON);
    NgStatus st;
    NgResultsReader *r = read_doc(doc, xml, 13, &st);
    ck_assert_msg(st == NG_SUCCESS, "%s: %s", xml ? "xml" : "json", ng_results_reader_error(r));
    char *got = table_text(ng_results_reader_table(r), NG_RESULTS_TSV);
    ck_assert_str_eq(got, expected);
    free(got);
    free(doc);
    ng_results_reader_free(r);
  }
  free(expected);
  ng_result_table_free(t);
}
END_TEST

START_TEST(malformed_results_are_refused) {
  static const char *const bad_json[] = {
      "",                                                              /* nothing */
      "{\"head\": {\"vars\": [\"a\"]}, \"results\": {\"bindings\": [", /* cut short */
      "{\"head\": {\"vars\": [\"a\",]}}",                              /* trailing comma */
      "{\"head\": {\"vars\": [\"a\"]}} x",                             /* text after */
      "{\"results\": {\"bindings\": [{}]}, \"head\": {\"vars\": []}}", /* rows before head */
      "{\"head\": {\"vars\": [\"a\"]}, \"results\": {\"bindings\": [{\"a\": {\"type\": \"triple\", "
      "\"value\": \"x\"}}]}}", /* unknown term type */
      "{\"head\": {\"vars\": [\"a\"]}, \"results\": {\"bindings\": [{\"a\": {\"type\": "
      "\"uri\"}}]}}",
      "{\"head\": {\"vars\": [\"\\ud83d\"]}}", /* lone surrogate */
      "{\"head\": {\"vars\": [\"a\tb\"]}}",    /* raw control char */
      "{\"head\": {\"vars\": [01]}}",          /* leading zero */
      "[1, 2]",                                /* no head at all */
  };
  for (size_t i = 0; i < NG_COUNTOF(bad_json); ++i) {
    NgStatus st;
    NgResultsReader *r = read_doc(bad_json[i], false, 2, &st);
    ck_assert_msg(st == NG_ERR_SYNTAX, "json %zu accepted", i);
    ck_assert(strlen(ng_results_reader_error(r)) > 5);
    ng_results_reader_free(r);
  }
  NgStatus st;
  NgResultsReader *r =
      read_doc("<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\"><head>", true, 0, &st);
  ck_assert_int_eq(st, NG_ERR_SYNTAX);
  ng_results_reader_free(r);
  r = read_doc("<html><body>Service unavailable</body></html>", true, 0, &st);
  ck_assert_int_eq(st, NG_ERR_SYNTAX); /* well-formed, but no head */
  ng_results_reader_free(r);
}
END_TEST

/* ------------------------------------------------------------ updates */

static NgTerm iri(const char *v) { return (NgTerm){NG_TERM_IRI, v, NULL, NULL}; }
static NgTerm blank(const char *v) { return (NgTerm){NG_TERM_BLANK, v, NULL, NULL}; }

static size_t count(const char *text, const char *what) {
  size_t n = 0;
  for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
    n++;
  return n;
}

/* The operation (0-based) of body that holds byte offset at. */
static size_t op_of(const char *body, const char *at) {
  size_t n = 0;
  for (const char *p = body; (p = strstr(p, "INSERT")) && p < at; p += 6)
    n++;
  return n;
}

START_TEST(update_operations_keep_blank_groups_whole) {
  NgGraph *g = ng_graph_new("http://ex/g");
  char s[64], o[64];
  NgTerm p = iri("http://ex/p");
  for (int i = 0; i < 1000; ++i) { /* plain triples */
    snprintf(s, sizeof s, "http://ex/s%d", i);
    NgTerm ts = iri(s), to = {NG_TERM_LITERAL, "v", NULL, NULL};
    ck_assert_int_eq(ng_graph_add(g, &ts, &p, &to), NG_SUCCESS);
  }
  for (int i = 0; i < 300; ++i) { /* a chain of 300 blank nodes: one group */
    snprintf(s, sizeof s, "c%d", i);
    snprintf(o, sizeof o, "c%d", i + 1);
    NgTerm ts = blank(s), to = blank(o);
    ck_assert_int_eq(ng_graph_add(g, &ts, &p, &to), NG_SUCCESS);
  }
  for (int i = 0; i < 200; ++i) { /* 100 groups of two triples */
    snprintf(s, sizeof s, "pair%d", i / 2);
    snprintf(o, sizeof o, "http://ex/o%d", i);
    NgTerm ts = blank(s), to = iri(o);
    ck_assert_int_eq(ng_graph_add(g, &ts, &p, &to), NG_SUCCESS);
  }
  NgBuf body = NG_BUF_INIT;
  ck_assert_int_eq(ng_update_append_graph(&body, g, true, NULL), NG_SUCCESS);
  const char *b = body.data;
  ck_assert(!strncmp(b, "DROP SILENT GRAPH <http://ex/g> ;\n", 34));
  ck_assert_uint_eq(count(b, "DROP"), 1);
  ck_assert_uint_eq(count(b, "INSERT DATA { GRAPH <http://ex/g>"), 3); /* 1000 in 400s */
  ck_assert_uint_eq(count(b, "} } WHERE {} ;"), 2);                    /* 300 + 200 > 400: two */
  ck_assert_uint_eq(count(b, " .\n"), 1500);
  /* every blank node is in one operation only */
  for (int i = 0; i <= 300; i += 50) {
    char label[32];
    snprintf(label, sizeof label, "xc%d ", i);
    const char *first = strstr(b, label), *last = first;
    ck_assert_ptr_nonnull(first);
    for (const char *q = first; (q = strstr(q + 1, label));)
      last = q;
    ck_assert_uint_eq(op_of(b, first), op_of(b, last));
  }
  /* adding, with some triples already sent: no DROP, fewer lines */
  NgFpSet skip = {NULL, 0, 0};
  for (size_t i = 0; i < 10; ++i) {
    const NgTriple *t = ng_graph_get(g, i);
    const NgTerm *terms[3] = {&t->s, &t->p, &t->o};
    uint64_t fp[3];
    for (int k = 0; k < 3; ++k)
      fp[k] = ng_term_fingerprint(terms[k]->kind, terms[k]->value, strlen(terms[k]->value),
                                  terms[k]->datatype, terms[k]->lang);
    ck_assert_int_eq(ng_fpset_add(&skip, ng_triple_fingerprint(fp[0], fp[1], fp[2]), NULL), 0);
  }
  ng_buf_clear(&body);
  ck_assert_int_eq(ng_update_append_graph(&body, g, false, &skip), NG_SUCCESS);
  ck_assert_uint_eq(count(body.data, "DROP"), 0);
  ck_assert_uint_eq(count(body.data, " .\n"), 1490);
  ng_fpset_free(&skip);
  ng_buf_free(&body);
  ng_graph_free(g);
}
END_TEST

START_TEST(an_empty_graph_is_only_dropped) {
  NgGraph *g = ng_graph_new("http://ex/empty");
  NgBuf body = NG_BUF_INIT;
  ck_assert_int_eq(ng_update_append_graph(&body, g, true, NULL), NG_SUCCESS);
  ck_assert_str_eq(body.data, "DROP SILENT GRAPH <http://ex/empty> ;\n");
  ng_buf_clear(&body);
  ck_assert_int_eq(ng_update_append_graph(&body, g, false, NULL), NG_SUCCESS);
  ck_assert_str_eq(ng_buf_str(&body), "");
  ng_buf_free(&body);
  ng_graph_free(g);
  NgGraph *unnamed = ng_graph_new(NULL);
  ck_assert_int_eq(ng_update_append_graph(&body, unnamed, true, NULL), NG_ERR_BAD_ARG);
  ng_graph_free(unnamed);
  ng_buf_free(&body);
}
END_TEST

/* ------------------------------------------------------------ texts */

START_TEST(error_text_is_one_clean_line) {
  NgBuf out = NG_BUF_INIT;
  const char *html = "<html><head><title>Err</title></head><body><h1>Bad</h1>\n"
                     "<p>SPARQL   syntax\r\nerror</p></body></html>";
  ng_http_error_text(html, strlen(html), true, 100, &out);
  ck_assert_str_eq(out.data, "Err Bad SPARQL syntax error");
  ng_buf_clear(&out);
  const char *plain = "Virtuoso 37000 Error: near <http://ex/a>\n\nSPARQL query:\n...";
  ng_http_error_text(plain, strlen(plain), false, 100, &out);
  ck_assert_str_eq(out.data, "Virtuoso 37000 Error: near <http://ex/a> SPARQL query: ...");
  ng_buf_clear(&out);
  ng_http_error_text("\xc3\xa9\xc3\xa9\xc3\xa9", 6, false, 3, &out); /* cut inside the 2nd é */
  ck_assert_str_eq(out.data, "\xc3\xa9");
  ng_buf_free(&out);
}
END_TEST

START_TEST(query_forms) {
  ck_assert_int_eq(ng_sparql_query_form("SELECT * { ?s ?p ?o }"), NG_FORM_SELECT);
  ck_assert_int_eq(ng_sparql_query_form("# ask?\nPREFIX ask: <http://ex/>\nask { }"), NG_FORM_ASK);
  ck_assert_int_eq(ng_sparql_query_form("BASE <http://x/> CONSTRUCT WHERE { ?s ?p ?o }"),
                   NG_FORM_CONSTRUCT);
  ck_assert_int_eq(ng_sparql_query_form("describe <http://x>"), NG_FORM_DESCRIBE);
  ck_assert_int_eq(ng_sparql_query_form("PREFIX a: <x:> INSERT DATA { }"), NG_FORM_UPDATE);
  ck_assert_int_eq(ng_sparql_query_form("'SELECT' ?select"), NG_FORM_UNKNOWN);
}
END_TEST

START_TEST(prelude_declares_what_is_used) {
  NgBuf text = NG_BUF_INIT;
  size_t prelude = 0;
  const char *q =
      "BASE <http://b/>\nPREFIX ng: <http://mine#>\n"
      "SELECT ?x { ?x ng:a cameo:163 ; rdfs:label \"skos:no\" FILTER(?d > \"1\"^^xsd:date) }";
  ck_assert_int_eq(ng_sparql_prelude(&text, q, true, &prelude), NG_SUCCESS);
  const char *head = text.data;
  ck_assert(!strncmp(head, "BASE <http://b/> ", 17));
  ck_assert_ptr_nonnull(strstr(head, "PREFIX cameo: <" NG_NS_CAMEO ">"));
  ck_assert_ptr_nonnull(strstr(head, "PREFIX rdfs: <" NG_NS_RDFS ">"));
  ck_assert_ptr_nonnull(strstr(head, "PREFIX xsd: <" NG_NS_XSD ">"));
  ck_assert_ptr_null(strstr(head, "PREFIX skos:"));            /* only inside a string */
  ck_assert_ptr_null(strstr(head, "PREFIX ng: <" NG_NS_ONTO)); /* the query's own */
  ck_assert_ptr_null(strstr(head, "PREFIX sem:"));             /* unused */
  /* the user's text follows on the next line, its BASE blanked in place */
  ck_assert_int_eq(text.data[prelude - 1], '\n');
  ck_assert_uint_eq(strlen(text.data + prelude), strlen(q));
  ck_assert(!strncmp(text.data + prelude, "                \nPREFIX ng:", 27));
  ng_buf_clear(&text);
  ck_assert_int_eq(ng_sparql_prelude(&text, "ASK {}", false, &prelude), NG_SUCCESS);
  ck_assert_ptr_nonnull(strstr(text.data, "PREFIX sem:")); /* all of them */
  ng_buf_free(&text);
}
END_TEST

/* ---------------------------------------------------------- endpoints */

START_TEST(endpoint_urls_are_checked) {
  NgWorld *world = ng_world_new();
  Captured c = {"", 0};
  ng_world_set_error_sink(world, capture, &c);
  NgStatus st = NG_SUCCESS;
  ck_assert_ptr_null(ng_endpoint_new(world, "http://dba:secret@127.0.0.1/sparql", &st));
  ck_assert_int_eq(st, NG_ERR_BAD_ARG);
  ck_assert_ptr_nonnull(strstr(c.text, "NEWSGRAPH_ENDPOINT_PASSWORD"));
  ck_assert_ptr_null(strstr(c.text, "secret")); /* never repeated */
  ck_assert_ptr_null(ng_endpoint_new(world, "ftp://127.0.0.1/sparql", &st));
  ck_assert_ptr_null(ng_endpoint_new(world, "no url at all", &st));
  ck_assert_int_eq(st, NG_ERR_BAD_ARG);
  NgEndpoint *ep = ng_endpoint_new(world, "http://dba@127.0.0.1:8890/sparql?x=1", &st);
  ck_assert_ptr_nonnull(ep); /* a user name alone is no secret */
  ng_endpoint_free(ep);
  ng_endpoint_free(NULL);
  ng_world_free(world);
}
END_TEST

/* Nothing listens on port 1 of loopback: refused at once, told clearly,
 * nothing printed, and an article pushed there is told as not sent. */
typedef struct {
  char id[64];
  NgStatus status;
  int calls;
} Told;

static void on_result(void *handle, const char *id, NgStatus status) {
  Told *t = handle;
  snprintf(t->id, sizeof t->id, "%s", id);
  t->status = status;
  t->calls++;
}

START_TEST(unreachable_server_fails_cleanly) {
  NgWorld *world = ng_world_new();
  Captured c = {"", 0};
  ng_world_set_error_sink(world, capture, &c);
  NgStatus st;
  NgEndpoint *ep = ng_endpoint_new(world, "http://127.0.0.1:1/sparql", &st);
  ck_assert_ptr_nonnull(ep);
  ng_endpoint_set_retries(ep, 1);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  ck_assert_int_eq(ng_endpoint_query(ep, "SELECT * { ?s ?p ?o }", "q.rq", NG_RESULTS_TSV, out),
                   NG_ERR_NETWORK);
  fclose(out);
  ck_assert_uint_eq(len, 0);
  ck_assert_ptr_nonnull(strstr(c.text, "q.rq:0:0: http://127.0.0.1:1/sparql: "));
  ck_assert_ptr_nonnull(strstr(c.text, "(2 attempts)"));
  free(text);
  /* updates are refused before anything is sent */
  ck_assert_int_eq(
      ng_endpoint_query(ep, "INSERT DATA { <a:b> <a:b> <a:b> }", NULL, NG_RESULTS_TSV, stdout),
      NG_ERR_BAD_ARG);
  Told told = {"", NG_SUCCESS, 0};
  ng_endpoint_set_push_result(ep, on_result, &told);
  NgGraph *g = ng_graph_new("http://ex/g");
  NgTerm s = iri("http://ex/s"), p = iri("http://ex/p"), o = iri("http://ex/o");
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &o), NG_SUCCESS);
  ck_assert_int_eq(ng_endpoint_push(ep, "article-1", g, NULL), NG_SUCCESS); /* queued */
  ck_assert_int_eq(told.calls, 0);
  ck_assert_int_eq(ng_endpoint_flush(ep), NG_ERR_NETWORK);
  ck_assert_int_eq(told.calls, 1);
  ck_assert_str_eq(told.id, "article-1");
  ck_assert_int_eq(told.status, NG_ERR_NETWORK);
  ck_assert_int_eq(ng_endpoint_flush(ep), NG_SUCCESS); /* nothing left: nothing told twice */
  ck_assert_int_eq(told.calls, 1);
  ng_graph_free(g);
  ng_endpoint_free(ep);
  ng_world_free(world);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("endpoint");
  TCase *tc = tcase_create("endpoint");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, json_results_read_in_any_pieces);
  tcase_add_test(tc, xml_results_read_like_json);
  tcase_add_test(tc, streaming_keeps_the_row_being_read);
  tcase_add_test(tc, boolean_answers);
  tcase_add_test(tc, our_writers_round_trip);
  tcase_add_test(tc, malformed_results_are_refused);
  tcase_add_test(tc, update_operations_keep_blank_groups_whole);
  tcase_add_test(tc, an_empty_graph_is_only_dropped);
  tcase_add_test(tc, error_text_is_one_clean_line);
  tcase_add_test(tc, query_forms);
  tcase_add_test(tc, prelude_declares_what_is_used);
  tcase_add_test(tc, endpoint_urls_are_checked);
  tcase_add_test(tc, unreachable_server_fails_cleanly);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
