/* test_graph.c - NgGraph: a deduplicated set of triples with normalised
 * terms, compact enough for whole imported files. */
#include "internal.h"
#include "iri.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

static NgTerm iri(const char *v) { return (NgTerm){NG_TERM_IRI, v, NULL, NULL}; }
static NgTerm blank(const char *v) { return (NgTerm){NG_TERM_BLANK, v, NULL, NULL}; }
static NgTerm lit(const char *v, const char *dt, const char *lang) {
  return (NgTerm){NG_TERM_LITERAL, v, dt, lang};
}

START_TEST(name_and_empty_graph) {
  NgGraph *g = ng_graph_new("http://example.org/g");
  ck_assert_str_eq(ng_graph_get_name(g), "http://example.org/g");
  ck_assert_uint_eq(ng_graph_size(g), 0);
  ck_assert_ptr_null(ng_graph_get(g, 0));
  ng_graph_free(g);
  NgGraph *d = ng_graph_new(NULL);
  ck_assert_ptr_null(ng_graph_get_name(d));
  ng_graph_free(d);
  ng_graph_free(NULL);
}
END_TEST

START_TEST(duplicates_are_dropped_and_strings_copied) {
  NgGraph *g = ng_graph_new(NULL);
  char s[32], p[32], o[32];
  strcpy(s, "http://ex/s");
  strcpy(p, "http://ex/p");
  strcpy(o, "value");
  NgTerm ts = iri(s), tp = iri(p), to = lit(o, NULL, NULL);
  ck_assert_int_eq(ng_graph_add(g, &ts, &tp, &to), NG_SUCCESS);
  /* the same triple from other buffers is the same triple */
  char s2[32], o2[32];
  strcpy(s2, s);
  strcpy(o2, o);
  NgTerm ts2 = iri(s2), to2 = lit(o2, NULL, NULL);
  ck_assert_int_eq(ng_graph_add(g, &ts2, &tp, &to2), NG_SUCCESS);
  ck_assert_uint_eq(ng_graph_size(g), 1);
  /* the graph owns copies: changing the caller's buffers changes nothing */
  strcpy(s, "http://ex/changed");
  strcpy(o, "changed");
  const NgTriple *t = ng_graph_get(g, 0);
  ck_assert_str_eq(t->s.value, "http://ex/s");
  ck_assert_str_eq(t->o.value, "value");
  ck_assert_int_eq(t->o.kind, NG_TERM_LITERAL);
  /* a literal and an IRI with the same text differ */
  NgTerm as_iri = iri("value");
  ck_assert_int_eq(ng_graph_add(g, &ts2, &tp, &as_iri), NG_SUCCESS);
  ck_assert_uint_eq(ng_graph_size(g), 2);
  ng_graph_free(g);
}
END_TEST

START_TEST(literal_forms_are_normalised) {
  NgGraph *g = ng_graph_new(NULL);
  NgTerm s = iri("http://ex/s"), p = iri("http://ex/p");
  NgTerm plain = lit("x", NULL, NULL), typed = lit("x", NG_NS_XSD "string", NULL);
  NgTerm en = lit("x", NULL, "EN-gb"), en2 = lit("x", NG_NS_RDF "langString", "en-GB");
  NgTerm num = lit("1", NG_NS_XSD "integer", NULL);
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &plain), NG_SUCCESS);
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &typed), NG_SUCCESS); /* RDF 1.1: same term */
  ck_assert_uint_eq(ng_graph_size(g), 1);
  ck_assert_ptr_null(ng_graph_get(g, 0)->o.datatype);
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &en), NG_SUCCESS);
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &en2), NG_SUCCESS); /* tags ignore case */
  ck_assert_uint_eq(ng_graph_size(g), 2);
  ck_assert_str_eq(ng_graph_get(g, 1)->o.lang, "en-gb");
  ck_assert_ptr_null(ng_graph_get(g, 1)->o.datatype);
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &num), NG_SUCCESS);
  ck_assert_str_eq(ng_graph_get(g, 2)->o.datatype, NG_NS_XSD "integer");
  /* datatype and language on IRIs mean nothing and are dropped */
  NgTerm odd = {NG_TERM_IRI, "http://ex/o", "http://ex/dt", "en"};
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &odd), NG_SUCCESS);
  ck_assert_ptr_null(ng_graph_get(g, 3)->o.datatype);
  ck_assert_ptr_null(ng_graph_get(g, 3)->o.lang);
  ng_graph_free(g);
}
END_TEST

START_TEST(invalid_triples_are_refused) {
  NgGraph *g = ng_graph_new(NULL);
  NgTerm s = iri("http://ex/s"), p = iri("http://ex/p"), o = lit("o", NULL, NULL);
  NgTerm b = blank("b1"), empty = iri(""), none = {NG_TERM_IRI, NULL, NULL, NULL};
  ck_assert_int_eq(ng_graph_add(g, &o, &p, &o), NG_ERR_BAD_ARG);     /* literal subject */
  ck_assert_int_eq(ng_graph_add(g, &s, &b, &o), NG_ERR_BAD_ARG);     /* blank predicate */
  ck_assert_int_eq(ng_graph_add(g, &s, &o, &o), NG_ERR_BAD_ARG);     /* literal predicate */
  ck_assert_int_eq(ng_graph_add(g, &empty, &p, &o), NG_ERR_BAD_ARG); /* empty IRI */
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &none), NG_ERR_BAD_ARG);  /* no value */
  ck_assert_int_eq(ng_graph_add(g, NULL, &p, &o), NG_ERR_BAD_ARG);
  NgTerm badlang = lit("x", NULL, "en gb"), both = lit("x", NG_NS_XSD "int", "en");
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &badlang), NG_ERR_BAD_ARG);
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &both), NG_ERR_BAD_ARG);
  NgTerm latin1 = lit("caf\xe9", NULL, NULL), badiri = iri("http://ex/\xff");
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &latin1), NG_ERR_ENCODING);
  ck_assert_int_eq(ng_graph_add(g, &badiri, &p, &o), NG_ERR_ENCODING);
  ck_assert_uint_eq(ng_graph_size(g), 0);
  /* blank subjects and objects are fine */
  ck_assert_int_eq(ng_graph_add(g, &b, &p, &b), NG_SUCCESS);
  ck_assert_int_eq(ng_graph_get(g, 0)->s.kind, NG_TERM_BLANK);
  ng_graph_free(g);
}
END_TEST

/* Many triples: the set must stay exact through growth, and equal strings
 * are stored once (the graph interns them). */
START_TEST(large_graph_stays_a_set) {
  NgGraph *g = ng_graph_new("http://ex/big");
  char s[64], o[64];
  NgTerm p = iri(NG_NS_RDFS "label");
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 100000; ++i) {
      snprintf(s, sizeof s, "http://ex/s%d", i % 1000);
      snprintf(o, sizeof o, "label %d", i);
      NgTerm ts = iri(s), to = lit(o, NULL, NULL);
      ck_assert_int_eq(ng_graph_add(g, &ts, &p, &to), NG_SUCCESS);
    }
  }
  ck_assert_uint_eq(ng_graph_size(g), 100000);
  ck_assert_str_eq(ng_graph_get(g, 12345)->o.value, "label 12345");
  /* s0 of triple 0 and of triple 1000 are one copy */
  ck_assert_ptr_eq(ng_graph_get(g, 0)->s.value, ng_graph_get(g, 1000)->s.value);
  ck_assert_ptr_eq(ng_graph_get(g, 0)->p.value, ng_graph_get(g, 99999)->p.value);
  ng_graph_free(g);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("graph");
  TCase *tc = tcase_create("graph");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, name_and_empty_graph);
  tcase_add_test(tc, duplicates_are_dropped_and_strings_copied);
  tcase_add_test(tc, literal_forms_are_normalised);
  tcase_add_test(tc, invalid_triples_are_refused);
  tcase_add_test(tc, large_graph_stays_a_set);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
