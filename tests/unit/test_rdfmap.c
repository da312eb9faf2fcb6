/* test_rdfmap.c - the RDF of an extracted article: the article graph and
 * the shared graph, made one at a time or both in one pass. */
#include "extract_fixture.h"
#include "iri.h"

#include <string.h>

/* Every triple of a, as text, is in b, and they are as many. */
static void same_triples(const NgGraph *a, const NgGraph *b) {
  ck_assert_uint_eq(ng_graph_size(a), ng_graph_size(b));
  for (size_t i = 0; i < ng_graph_size(a); ++i) {
    const NgTriple *x = ng_graph_get(a, i), *y = ng_graph_get(b, i);
    ck_assert_str_eq(x->s.value, y->s.value);
    ck_assert_str_eq(x->p.value, y->p.value);
    ck_assert_str_eq(x->o.value, y->o.value);
    ck_assert_int_eq(x->o.kind, y->o.kind);
  }
}

START_TEST(both_graphs_in_one_pass) {
  NgDocument *doc = fx_extract("The European Union imposed sanctions on Belarus on Monday. "
                               "Zorblax Corp said it would sue the government.",
                               "2004-11-22");
  NgStatus st;
  NgGraph *graph = ng_document_to_graph(doc, &st);
  ck_assert_ptr_nonnull(graph);
  NgGraph *shared = ng_document_to_shared_graph(doc, &st);
  ck_assert_ptr_nonnull(shared);
  NgGraph *g2 = NULL, *s2 = NULL;
  ck_assert_int_eq(ng_document_to_graphs(doc, &g2, &s2), NG_SUCCESS);
  ck_assert_str_eq(ng_graph_get_name(g2), ng_graph_get_name(graph));
  ck_assert_str_eq(ng_graph_get_name(s2), NG_SHARED_GRAPH);
  ck_assert_uint_gt(ng_graph_size(graph), 10);
  ck_assert_uint_gt(ng_graph_size(shared), 2);
  same_triples(graph, g2);
  same_triples(shared, s2);
  ng_graph_free(graph);
  ng_graph_free(shared);
  ng_graph_free(g2);
  ng_graph_free(s2);
  ng_document_free(doc);
}
END_TEST

/* How many plain triples (actor rel:ACTION target) the article graph has. */
static size_t plain_triples(const char *text) {
  NgDocument *doc = fx_extract(text, "2004-11-22");
  NgStatus st;
  NgGraph *graph = ng_document_to_graph(doc, &st);
  ck_assert_ptr_nonnull(graph);
  size_t n = 0;
  for (size_t i = 0; i < ng_graph_size(graph); ++i)
    n += !strncmp(ng_graph_get(graph, i)->p.value, NG_NS_REL, strlen(NG_NS_REL));
  ng_graph_free(graph);
  ng_document_free(doc);
  return n;
}

/* The plain triple view holds what happened: not a negated act. */
START_TEST(plain_triples_of_what_happened) {
  ck_assert_uint_eq(plain_triples("Russia attacked Ukraine."), 1);
  ck_assert_uint_eq(plain_triples("Russia did not attack Ukraine."), 0);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("rdfmap");
  TCase *tc = tcase_create("rdfmap");
  tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
  tcase_add_test(tc, both_graphs_in_one_pass);
  tcase_add_test(tc, plain_triples_of_what_happened);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
