/* test_sparql_engine.c - newsgraph's own SPARQL engine through the public
 * API: the dataset rules (the default graph as the union of the graphs, a
 * set of triples; FROM, FROM NAMED, an explicit dataset), SPARQL Update in
 * one transaction, removing an article, the limits (rows, time), and syntax
 * errors at the offending token.  The W3C suites (tests/w3c) check the rest
 * of the algebra. */
#include "internal.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  char text[4096];
  size_t len;
} Errors;

static void capture(void *handle, const NgError *e) {
  Errors *c = handle;
  int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s:%lu:%lu: %s\n",
                   e->file ? e->file : "", e->line, e->col, e->message);
  if (n > 0 && (size_t)n < sizeof c->text - c->len) c->len += (size_t)n;
}

typedef struct {
  char dir[64];
  NgWorld *world;
  NgStore *store;
  Errors errors;
} Fixture;

static void update(Fixture *f, const char *text) {
  NgStatus st = ng_store_update(f->store, text, "test.ru", NULL);
  ck_assert_msg(st == NG_SUCCESS, "update failed: %s", f->errors.text);
}

/* A store with one triple in two graphs and one in a third. */
static void fixture_open(Fixture *f) {
  memset(f, 0, sizeof *f);
  strcpy(f->dir, "/tmp/ng-sqe-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(f->dir));
  f->world = ng_world_new();
  ng_world_set_error_sink(f->world, capture, &f->errors);
  NgStatus st;
  f->store = ng_store_open(f->world, f->dir, NG_STORE_WRITE, &st);
  ck_assert_ptr_nonnull(f->store);
  update(f, "PREFIX : <http://ex/> INSERT DATA { GRAPH :g1 { :a :p 1 . :a :q \"x\" }"
            " GRAPH :g2 { :a :p 1 } GRAPH :g3 { :b :p 2 } }");
}

static void fixture_close(Fixture *f) {
  ng_store_free(f->store);
  ng_world_free(f->world);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
  ck_assert_int_eq(system(cmd), 0);
}

static char *run(Fixture *f, const char *query, const NgQueryOptions *o, NgStatus *status) {
  char *out = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&out, &len);
  *status = ng_store_query_with(f->store, query, "test.rq", o, NG_RESULTS_CSV, mem);
  fclose(mem);
  return out;
}

static void expect(Fixture *f, const char *query, const NgQueryOptions *o, const char *want) {
  NgStatus st;
  char *got = run(f, query, o, &st);
  ck_assert_msg(st == NG_SUCCESS, "query failed: %s", f->errors.text);
  ck_assert_str_eq(got, want);
  free(got);
}

#define COUNT_P "PREFIX : <http://ex/> SELECT (COUNT(*) AS ?n) "

START_TEST(default_graph_is_the_union_as_a_set) {
  Fixture f;
  fixture_open(&f);
  /* :a :p 1 is in g1 and g2: once in the default graph, twice by graph */
  expect(&f, COUNT_P "WHERE { ?s :p ?o }", NULL, "n\r\n2\r\n");
  expect(&f, COUNT_P "WHERE { GRAPH ?g { ?s :p ?o } }", NULL, "n\r\n3\r\n");
  expect(&f, COUNT_P "WHERE { :a :p 1 }", NULL, "n\r\n1\r\n");
  fixture_close(&f);
}
END_TEST

START_TEST(from_and_from_named_follow_the_dataset_rules) {
  Fixture f;
  fixture_open(&f);
  expect(&f, COUNT_P "FROM :g3 WHERE { ?s ?p ?o }", NULL, "n\r\n1\r\n");
  /* the merge of g1 and g2: their common triple once */
  expect(&f, COUNT_P "FROM :g1 FROM :g2 WHERE { ?s ?p ?o }", NULL, "n\r\n2\r\n");
  /* FROM without FROM NAMED: no named graphs */
  expect(&f, COUNT_P "FROM :g1 WHERE { GRAPH ?g { ?s ?p ?o } }", NULL, "n\r\n0\r\n");
  expect(&f, "PREFIX : <http://ex/> SELECT ?g FROM NAMED :g2 WHERE { GRAPH ?g { ?s ?p ?o } }", NULL,
         "g\r\nhttp://ex/g2\r\n");
  /* a graph the store does not hold is empty: nothing is fetched */
  expect(&f, COUNT_P "FROM <http://nowhere.example/> WHERE { ?s ?p ?o }", NULL, "n\r\n0\r\n");
  /* an explicit dataset replaces the query's */
  NgQueryOptions o;
  ng_query_options_init(&o);
  const char *defaults[] = {"http://ex/g3", NULL}, *named[] = {NULL};
  o.default_graphs = defaults;
  o.named_graphs = named;
  expect(&f, COUNT_P "FROM :g1 WHERE { ?s ?p ?o }", &o, "n\r\n1\r\n");
  fixture_close(&f);
}
END_TEST

START_TEST(update_is_one_transaction) {
  Fixture f;
  fixture_open(&f);
  update(&f,
         "PREFIX : <http://ex/> DELETE { GRAPH ?g { ?s :p ?o } } INSERT { GRAPH ?g { ?s :p 9 } }"
         " WHERE { GRAPH ?g { ?s :p ?o } }");
  expect(&f, COUNT_P "WHERE { ?s :p 9 }", NULL, "n\r\n2\r\n");
  /* a request failing half-way leaves nothing of it */
  NgStatus st = ng_store_update(
      f.store, "PREFIX : <http://ex/> INSERT DATA { :c :p 3 } ; LOAD <http://example.org/x.ttl>",
      "test.ru", NULL);
  ck_assert_int_eq(st, NG_ERR_QUERY);
  ck_assert_ptr_nonnull(strstr(f.errors.text, "test.ru:1:49: LOAD reads local files only"));
  expect(&f, COUNT_P "WHERE { :c ?p ?o }", NULL, "n\r\n0\r\n");
  /* DELETE without GRAPH: from every graph holding the triple */
  update(&f, "PREFIX : <http://ex/> DELETE DATA { :a :q \"x\" }");
  expect(&f, COUNT_P "WHERE { GRAPH ?g { :a :q ?o } }", NULL, "n\r\n0\r\n");
  NgStoreStats stats;
  ck_assert_int_eq(ng_store_stats(f.store, &stats), NG_SUCCESS);
  ck_assert_uint_eq(stats.quads, 3);
  fixture_close(&f);
}
END_TEST

START_TEST(remove_article_clears_its_graph) {
  Fixture f;
  fixture_open(&f);
  bool found = false;
  ck_assert_int_eq(ng_store_remove_article(f.store, "http://ex/g3", &found), NG_SUCCESS);
  ck_assert(found);
  expect(&f, COUNT_P "WHERE { GRAPH :g3 { ?s ?p ?o } }", NULL, "n\r\n0\r\n");
  ck_assert_int_eq(ng_store_remove_article(f.store, "http://ex/g3", &found), NG_SUCCESS);
  ck_assert(!found);
  fixture_close(&f);
}
END_TEST

START_TEST(limits_stop_a_query) {
  Fixture f;
  fixture_open(&f);
  NgQueryOptions o;
  ng_query_options_init(&o);
  o.max_rows = 1;
  NgStatus st;
  char *out = run(&f, "SELECT * WHERE { ?s ?p ?o }", &o, &st);
  ck_assert_int_eq(st, NG_ERR_TOO_LARGE);
  ck_assert_str_eq(out, "s,p,o\r\nhttp://ex/a,http://ex/p,1\r\n");
  free(out);
  /* a cross product of paths that would run for hours stops at the timeout */
  ng_query_options_init(&o);
  o.timeout = 0.3;
  double t0 = (double)clock() / CLOCKS_PER_SEC;
  out = run(&f,
            "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://ex/p>|!<http://ex/p>)* ?b . ?c ?d ?e ."
            " ?f ?g ?h . ?i ?j ?k . ?l ?m ?n2 . ?o ?p2 ?q . ?r ?s ?t . ?u ?v ?w . ?x ?y ?z ."
            " ?a1 ?a2 ?a3 . ?b1 ?b2 ?b3 . ?c1 ?c2 ?c3 . ?d1 ?d2 ?d3 . ?e1 ?e2 ?e3 . ?f1 ?f2 ?f3 }",
            &o, &st);
  double t1 = (double)clock() / CLOCKS_PER_SEC;
  free(out);
  ck_assert_int_eq(st, NG_ERR_INTERRUPTED);
  ck_assert_msg(t1 - t0 < 5, "took %.1f s of CPU", t1 - t0);
  ck_assert_ptr_nonnull(strstr(f.errors.text, "time limit"));
  fixture_close(&f);
}
END_TEST

START_TEST(errors_at_the_offending_token) {
  NgWorld *w = ng_world_new();
  Errors e = {{0}, 0};
  ng_world_set_error_sink(w, capture, &e);
  ck_assert_int_eq(
      ng_sparql_check(w, "SELECT * WHERE {\n  ?s ?p ?o FILTER(?o >) }", "q.rq", NULL, false),
      NG_ERR_SYNTAX);
  ck_assert_ptr_nonnull(strstr(e.text, "q.rq:2:23: syntax error, unexpected ')'"));
  e.len = 0;
  ck_assert_int_eq(
      ng_sparql_check(w, "SELECT (COUNT(*) AS ?n) ?s WHERE { ?s ?p ?o }", "q.rq", NULL, false),
      NG_ERR_SYNTAX);
  ck_assert_ptr_nonnull(strstr(e.text, "?s is neither grouped nor aggregated"));
  e.len = 0;
  ck_assert_int_eq(ng_sparql_check(w, "INSERT DATA { ?s <http://p> 1 }", "u.ru", NULL, true),
                   NG_ERR_SYNTAX);
  ck_assert_ptr_nonnull(strstr(e.text, "u.ru:1:15: variables are not allowed"));
  /* the project's prefixes are there, a PREFIX of the text overrides one */
  ck_assert_int_eq(ng_sparql_check(w, "ASK { ?e ng:actor ?a }", "q.rq", NULL, false), NG_SUCCESS);
  ck_assert_int_eq(
      ng_sparql_check(w, "PREFIX ng: <x:> ASK { ?e ng:actor ?a }", "q.rq", NULL, false),
      NG_SUCCESS);
  ng_world_free(w);
}
END_TEST

/* COUNT(*) grouped by the variables that join two parts of a pattern is
 * computed from per-part counts (sparql-eval.c, counted groups): the same
 * answers as solution by solution, which a HAVING with another aggregate
 * or a FILTER across the parts still takes. */
START_TEST(counted_groups_give_the_ordinary_answers) {
  Fixture f;
  fixture_open(&f);
  update(&f, "PREFIX : <http://ex/> INSERT DATA { GRAPH :h1 {"
             " :e1 :actor :x ; :target :v1 . :e2 :actor :x ; :target :v1 ."
             " :e3 :actor :x ; :target :v2 . :f1 :actor :v1 ; :target :w1 ."
             " :f2 :actor :v1 ; :target :x . :f3 :actor :v2 ; :target :w1 ."
             " :f4 :actor :v2 ; :target :w2 }"
             " GRAPH :h2 { :f1 :actor :v1 ; :target :w1 } }");
  const char *want = "via,far,n\r\nhttp://ex/v1,http://ex/w1,2\r\n"
                     "http://ex/v2,http://ex/w1,1\r\nhttp://ex/v2,http://ex/w2,1\r\n";
  const char *head = "PREFIX : <http://ex/> SELECT ?via ?far (COUNT(*) AS ?n) WHERE {"
                     " ?a :actor :x ; :target ?via . ?b :actor ?via ; :target ?far ";
  const char *tails[] = {
      "FILTER(?far != :x) } GROUP BY ?via ?far ORDER BY ?via ?far",
      "FILTER(?far != :x) } GROUP BY ?via ?far HAVING(SUM(1) > 0) ORDER BY ?via ?far",
      "FILTER(?far != :x && ?a != ?b) } GROUP BY ?via ?far ORDER BY ?via ?far",
      "FILTER(?far != :x) } GROUP BY ?far ?via ORDER BY ?via ?far"};
  for (size_t i = 0; i < sizeof tails / sizeof tails[0]; ++i) {
    char q[1024];
    snprintf(q, sizeof q, "%s%s", head, tails[i]);
    expect(&f, q, NULL, want);
  }
  /* keys bound in both parts, a group key in one part only, a constant part */
  for (int having = 0; having < 2; ++having) {
    const char *h = having ? " HAVING(SUM(1) > 0)" : "";
    char q[1024];
    snprintf(q, sizeof q, "PREFIX : <http://ex/> SELECT ?via (COUNT(*) AS ?n) WHERE {"
             " ?a :target ?via . ?b :actor ?via } GROUP BY ?via%s ORDER BY ?via", h);
    expect(&f, q, NULL, "via,n\r\nhttp://ex/v1,4\r\nhttp://ex/v2,2\r\nhttp://ex/x,3\r\n");
    snprintf(q, sizeof q, "PREFIX : <http://ex/> SELECT (COUNT(*) AS ?n) WHERE {"
             " ?a :actor :x . ?b :actor ?c } GROUP BY ?c%s ORDER BY ?n", h);
    expect(&f, q, NULL, "n\r\n6\r\n6\r\n9\r\n");
  }
  fixture_close(&f);
}
END_TEST

/* Groups live in flat arrays with an index of their own (sparql-eval.c):
 * enough groups that both grow several times, every aggregate beside
 * COUNT, HAVING and ORDER BY over them, and the one group of aggregates
 * over no solution; counted groups (the last part's solutions straight
 * into the groups) give what the ordinary way gives for as many groups. */
START_TEST(many_groups_keep_their_aggregates) {
  Fixture f;
  fixture_open(&f);
  char data[32768];
  size_t len = (size_t)snprintf(data, sizeof data, "PREFIX : <http://ex/> INSERT DATA { GRAPH :m {");
  for (int i = 0; i < 300; ++i)
    len += (size_t)snprintf(data + len, sizeof data - len,
                            " :i%d :g %d ; :v %d ; :t \"t\" . :j%d :r :n%d . :n%d :s :o%d .", i,
                            i % 100, i, i, i % 150, i % 150, i % 7);
  snprintf(data + len, sizeof data - len, " } }");
  update(&f, data);
  /* group k holds k, k + 100 and k + 200 */
  char want[16384];
  len = (size_t)snprintf(want, sizeof want, "g,n,s,lo,hi,c\r\n");
  for (int k = 99; k >= 50; --k)
    len += (size_t)snprintf(want + len, sizeof want - len, "%d,3,%d,%d,%d,t\r\n", k, 3 * k + 300,
                            k, k + 200);
  expect(&f,
         "PREFIX : <http://ex/> SELECT ?g (COUNT(*) AS ?n) (SUM(?v) AS ?s) (MIN(?v) AS ?lo)"
         " (MAX(?v) AS ?hi) (GROUP_CONCAT(DISTINCT ?t) AS ?c) WHERE { ?i :g ?g ; :v ?v ; :t ?t }"
         " GROUP BY ?g HAVING(?g >= 50) ORDER BY DESC(?g)",
         NULL, want);
  expect(&f,
         "PREFIX : <http://ex/> SELECT (COUNT(*) AS ?n) (GROUP_CONCAT(?x) AS ?c) (SUM(?x) AS ?s)"
         " WHERE { ?x :nothing ?y }",
         NULL, "n,c,s\r\n0,,0\r\n");
  const char *pattern = "PREFIX : <http://ex/> SELECT ?n ?o (COUNT(*) AS ?k) WHERE {"
                        " ?j :r ?n . ?n :s ?o . ?i :g ?g ; :v ?v } GROUP BY ?n ?o%s"
                        " ORDER BY ?n ?o";
  char q1[512], q2[512];
  snprintf(q1, sizeof q1, pattern, "");
  snprintf(q2, sizeof q2, pattern, " HAVING(SUM(1) > 0)"); /* the ordinary way */
  NgStatus st;
  char *counted = run(&f, q1, NULL, &st);
  ck_assert_msg(st == NG_SUCCESS, "query failed: %s", f.errors.text);
  char *ordinary = run(&f, q2, NULL, &st);
  ck_assert_msg(st == NG_SUCCESS, "query failed: %s", f.errors.text);
  ck_assert_str_eq(counted, ordinary);
  ck_assert_ptr_nonnull(strstr(counted, "http://ex/n149,http://ex/o2,600\r\n"));
  free(counted);
  free(ordinary);
  fixture_close(&f);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("sparql_engine");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, default_graph_is_the_union_as_a_set);
  tcase_add_test(tc, from_and_from_named_follow_the_dataset_rules);
  tcase_add_test(tc, update_is_one_transaction);
  tcase_add_test(tc, remove_article_clears_its_graph);
  tcase_add_test(tc, limits_stop_a_query);
  tcase_add_test(tc, errors_at_the_offending_token);
  tcase_add_test(tc, counted_groups_give_the_ordinary_answers);
  tcase_add_test(tc, many_groups_keep_their_aggregates);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
