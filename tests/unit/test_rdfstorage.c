/* test_rdfstorage.c - the store as the librdf storage "newsgraph": the
 * model API (size, find with patterns and contexts, contexts, contains),
 * changes through it (with and without librdf transactions), and a
 * SPARQL query by Rasqal over it. */
#include "internal.h"
#include "iri.h"
#include "query.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *temp_store(void) {
  char *dir = strdup("/tmp/ng-rdfs-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char *path = malloc(strlen(dir) + 4);
  sprintf(path, "%s/db", dir);
  free(dir);
  return path;
}

static void remove_store(char *path) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s' && rmdir \"$(dirname '%s')\"", path, path);
  ck_assert_int_eq(system(cmd), 0);
  free(path);
}

static NgTerm iri(const char *v) { return (NgTerm){NG_TERM_IRI, v, NULL, NULL}; }

/* librdf's messages, kept (its own printer reads past the end of some
 * locators, and the tests check what was said). */
typedef struct {
  int errors;
  char last[512];
} Log;

static int on_log(void *data, librdf_log_message *m) {
  Log *log = data;
  if (librdf_log_message_level(m) >= LIBRDF_LOG_ERROR) {
    log->errors++;
    snprintf(log->last, sizeof log->last, "%s", librdf_log_message_message(m));
  }
  return 1;
}

static librdf_world *new_world(Log *log) {
  librdf_world *w = librdf_new_world();
  memset(log, 0, sizeof *log);
  librdf_world_set_logger(w, log, on_log);
  librdf_world_open(w);
  return w;
}

/* g1: s1 p o1, s1 p "one"@en, s2 p o1; g2: s1 p o1 (also in g1). */
static void fill(const char *path) {
  NgWorld *w = ng_world_new();
  NgStatus st;
  NgStore *s = ng_store_open(w, path, NG_STORE_WRITE, &st);
  ck_assert_ptr_nonnull(s);
  NgGraph *g1 = ng_graph_new("http://e.org/g1"), *g2 = ng_graph_new("http://e.org/g2");
  NgTerm s1 = iri("http://e.org/s1"), s2 = iri("http://e.org/s2"), p = iri("http://e.org/p");
  NgTerm o1 = iri("http://e.org/o1"), one = {NG_TERM_LITERAL, "one", NULL, "en"};
  ck_assert_int_eq(ng_graph_add(g1, &s1, &p, &o1), NG_SUCCESS);
  ck_assert_int_eq(ng_graph_add(g1, &s1, &p, &one), NG_SUCCESS);
  ck_assert_int_eq(ng_graph_add(g1, &s2, &p, &o1), NG_SUCCESS);
  ck_assert_int_eq(ng_graph_add(g2, &s1, &p, &o1), NG_SUCCESS);
  ck_assert_int_eq(ng_store_replace_graph(s, g1), NG_SUCCESS);
  ck_assert_int_eq(ng_store_replace_graph(s, g2), NG_SUCCESS);
  ck_assert_int_eq(ng_store_close(s), NG_SUCCESS);
  ng_graph_free(g1);
  ng_graph_free(g2);
  ng_world_free(w);
}

static librdf_node *uri(librdf_world *w, const char *s) {
  return librdf_new_node_from_uri_string(w, (const unsigned char *)s);
}

static int stream_count(librdf_stream *stream, const char *want_context) {
  ck_assert_ptr_nonnull(stream);
  int n = 0;
  for (; !librdf_stream_end(stream); librdf_stream_next(stream)) {
    ck_assert_ptr_nonnull(librdf_stream_get_object(stream));
    librdf_node *c = librdf_stream_get_context2(stream);
    ck_assert_ptr_nonnull(c);
    if (want_context)
      ck_assert_str_eq((const char *)librdf_uri_as_string(librdf_node_get_uri(c)), want_context);
    n++;
  }
  librdf_free_stream(stream);
  return n;
}

static int pattern_count(librdf_world *w, librdf_model *m, const char *s, const char *p,
                         const char *o, const char *context) {
  librdf_statement *q = librdf_new_statement_from_nodes(w, s ? uri(w, s) : NULL,
                                                        p ? uri(w, p) : NULL, o ? uri(w, o) : NULL);
  librdf_node *c = context ? uri(w, context) : NULL;
  int n = stream_count(c ? librdf_model_find_statements_in_context(m, q, c)
                         : librdf_model_find_statements(m, q),
                       context);
  librdf_free_statement(q);
  if (c) librdf_free_node(c);
  return n;
}

START_TEST(the_model_api_reads_the_store) {
  char *path = temp_store();
  fill(path);
  Log log;
  librdf_world *w = new_world(&log);
  ck_assert_int_eq(ng_redland_register(w), 0);
  ck_assert_int_eq(ng_redland_register(w), 0); /* twice: harmless */
  librdf_storage *storage = librdf_new_storage(w, "newsgraph", path, NULL);
  ck_assert_ptr_nonnull(storage);
  librdf_model *m = librdf_new_model(w, storage, NULL);
  ck_assert_ptr_nonnull(m);
  ck_assert_int_eq(librdf_model_size(m), 4);
  ck_assert_int_eq(pattern_count(w, m, NULL, NULL, NULL, NULL), 4);
  ck_assert_int_eq(pattern_count(w, m, "http://e.org/s1", NULL, NULL, NULL), 3);
  ck_assert_int_eq(pattern_count(w, m, NULL, NULL, "http://e.org/o1", NULL), 3);
  ck_assert_int_eq(pattern_count(w, m, NULL, NULL, "http://e.org/o1", "http://e.org/g1"), 2);
  ck_assert_int_eq(pattern_count(w, m, NULL, NULL, NULL, "http://e.org/g2"), 1);
  ck_assert_int_eq(pattern_count(w, m, "http://e.org/none", NULL, NULL, NULL), 0);
  ck_assert_int_eq(pattern_count(w, m, NULL, NULL, NULL, "http://e.org/none"), 0);
  /* contexts, each once */
  librdf_iterator *it = librdf_model_get_contexts(m);
  ck_assert_ptr_nonnull(it);
  int n = 0;
  for (; !librdf_iterator_end(it); librdf_iterator_next(it), n++) {
    librdf_node *c = librdf_iterator_get_object(it);
    const char *name = (const char *)librdf_uri_as_string(librdf_node_get_uri(c));
    ck_assert_str_eq(name, n ? "http://e.org/g2" : "http://e.org/g1");
  }
  librdf_free_iterator(it);
  ck_assert_int_eq(n, 2);
  /* contains, and the literal comes back with its language */
  librdf_statement *q = librdf_new_statement_from_nodes(
      w, uri(w, "http://e.org/s1"), uri(w, "http://e.org/p"),
      librdf_new_node_from_literal(w, (const unsigned char *)"one", "en", 0));
  ck_assert(librdf_model_contains_statement(m, q));
  librdf_free_statement(q);
  q = librdf_new_statement_from_nodes(
      w, uri(w, "http://e.org/s1"), uri(w, "http://e.org/p"),
      librdf_new_node_from_literal(w, (const unsigned char *)"one", "fr", 0));
  ck_assert(!librdf_model_contains_statement(m, q));
  /* read-only: changes are refused */
  librdf_node *g = uri(w, "http://e.org/g3");
  ck_assert_int_ne(librdf_model_context_add_statement(m, g, q), 0);
  ck_assert_ptr_nonnull(strstr(log.last, "opened without write='yes'"));
  librdf_free_node(g);
  librdf_free_statement(q);
  librdf_free_model(m);
  librdf_free_storage(storage);
  librdf_free_world(w);
  remove_store(path);
}
END_TEST

static int select_count(librdf_world *w, librdf_model *m, const char *text) {
  librdf_query *query = librdf_new_query(w, "sparql", NULL, (const unsigned char *)text, NULL);
  ck_assert_ptr_nonnull(query);
  librdf_query_results *r = librdf_model_query_execute(m, query);
  ck_assert_ptr_nonnull(r);
  int n = 0;
  for (; !librdf_query_results_finished(r); librdf_query_results_next(r))
    n++;
  librdf_free_query_results(r);
  librdf_free_query(query);
  return n;
}

START_TEST(changes_and_queries_through_librdf) {
  char *path = temp_store();
  fill(path);
  Log log;
  librdf_world *w = new_world(&log);
  ck_assert_int_eq(ng_redland_register(w), 0);
  librdf_storage *storage = librdf_new_storage(w, "newsgraph", path, "write='yes'");
  librdf_model *m = librdf_new_model(w, storage, NULL);
  ck_assert_ptr_nonnull(m);
  librdf_node *g3 = uri(w, "http://e.org/g3");
  librdf_statement *t = librdf_new_statement_from_nodes(
      w, uri(w, "http://e.org/s3"), uri(w, "http://e.org/p"),
      librdf_new_node_from_typed_literal(
          w, (const unsigned char *)"3", NULL,
          librdf_new_uri(w, (const unsigned char *)NG_NS_XSD "integer")));
  ck_assert_int_eq(librdf_model_context_add_statement(m, g3, t), 0);
  ck_assert_int_eq(librdf_model_size(m), 5);
  ck_assert_int_ne(librdf_model_add_statement(m, t), 0); /* no context: refused */
  ck_assert_ptr_nonnull(strstr(log.last, "named graphs only"));
  /* in a librdf transaction: nothing visible to others until the commit */
  ck_assert_int_eq(librdf_model_transaction_start(m), 0);
  ck_assert_int_eq(librdf_model_context_remove_statements(m, g3), 0);
  ck_assert_int_eq(librdf_model_size(m), 4);
  NgWorld *nw = ng_world_new();
  NgStore *reader = ng_store_open(nw, path, NG_STORE_READ, NULL);
  NgStoreStats st;
  ck_assert_int_eq(ng_store_stats(reader, &st), NG_SUCCESS);
  ck_assert_uint_eq(st.quads, 5);
  ck_assert_int_eq(librdf_model_transaction_rollback(m), 0);
  ck_assert_int_eq(librdf_model_size(m), 5);
  ck_assert_int_eq(librdf_model_transaction_start(m), 0);
  ck_assert_int_eq(librdf_model_context_remove_statement(m, g3, t), 0);
  ck_assert_int_eq(librdf_model_transaction_commit(m), 0);
  ck_assert_int_eq(ng_store_stats(reader, &st), NG_SUCCESS);
  ck_assert_uint_eq(st.quads, 4);
  ck_assert_uint_eq(st.graphs, 2);
  /* Rasqal over the storage: GRAPH ?g binds each graph of a triple */
  ck_assert_int_eq(
      select_count(w, m, "SELECT ?g WHERE { GRAPH ?g { <http://e.org/s1> ?p <http://e.org/o1> } }"),
      2);
  ck_assert_int_eq(select_count(w, m, "SELECT ?s WHERE { ?s ?p \"one\"@en }"), 1);
  ck_assert_int_eq(select_count(w, m, "SELECT ?s WHERE { ?s ?p \"nothing\" }"), 0);
  ng_store_free(reader);
  ng_world_free(nw);
  librdf_free_statement(t);
  librdf_free_node(g3);
  librdf_free_model(m);
  librdf_free_storage(storage);
  librdf_free_world(w);
  remove_store(path);
}
END_TEST

START_TEST(a_missing_store_is_an_error) {
  char *path = temp_store();
  Log log;
  librdf_world *w = new_world(&log);
  ng_redland_register(w);
  ck_assert_ptr_null(librdf_new_storage(w, "newsgraph", path, NULL));
  ck_assert_ptr_nonnull(strstr(log.last, "no store at"));
  librdf_storage *s = librdf_new_storage(w, "newsgraph", path, "new='yes'");
  ck_assert_ptr_nonnull(s);
  librdf_model *m = librdf_new_model(w, s, NULL);
  ck_assert_int_eq(librdf_model_size(m), 0);
  librdf_free_model(m);
  librdf_free_storage(s);
  librdf_free_world(w);
  remove_store(path);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("rdfstorage");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, the_model_api_reads_the_store);
  tcase_add_test(tc, changes_and_queries_through_librdf);
  tcase_add_test(tc, a_missing_store_is_an_error);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
