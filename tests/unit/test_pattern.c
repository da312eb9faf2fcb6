/* test_pattern.c - the shadow of a sentence and anchored pattern matches. */
#include "extract_fixture.h"

static NgDocument *doc;
static void teardown(void) {
  ng_document_free(doc);
  doc = NULL;
  fx_teardown();
}

START_TEST(shadow_brackets_phrases_and_lemmas) {
  doc = fx_extract("The EU imposed sanctions on Belarus.", NULL);
  NgShadow sh;
  memset(&sh, 0, sizeof sh);
  ck_assert_int_eq(ng_shadow_build(doc, 0, &sh), NG_SUCCESS);
  ck_assert_str_eq(sh.text.data, "{0 the eu } impose {1 sanction } on {2 belarus } . ");
  ck_assert_uint_eq(sh.tok_offset[2], strlen("{0 the eu } "));
  ng_shadow_free(&sh);
}
END_TEST

/* The rule and target of the match after the first verb group. */
static const char *match(const char *text) {
  static char buf[256];
  ng_document_free(doc);
  doc = fx_extract(text, NULL);
  NgShadow sh;
  memset(&sh, 0, sizeof sh);
  ck_assert_int_eq(ng_shadow_build(doc, 0, &sh), NG_SUCCESS);
  NgPatternMatch m;
  const NgVerbGroup *g = NULL;
  for (size_t k = 0; k < doc->ngroups && !g; ++k)
    if (doc->groups[k].verb) g = &doc->groups[k];
  ck_assert_ptr_nonnull(g);
  if (!ng_pattern_match(doc, 0, &sh, g, 0, &m)) {
    ng_shadow_free(&sh);
    return "none";
  }
  const char *t = m.target_phrase >= 0 ? ng_doc_span_text(doc, doc->phrases[m.target_phrase].first,
                                                           doc->phrases[m.target_phrase].last) : "-";
  const char *s = m.source_phrase >= 0 ? ng_doc_span_text(doc, doc->phrases[m.source_phrase].first,
                                                           doc->phrases[m.source_phrase].last) : "-";
  snprintf(buf, sizeof buf, "%s %s %s<-%s", m.info->rule, m.info->code, t, s);
  ng_shadow_free(&sh);
  return buf;
}

START_TEST(anchored_matches) {
  ck_assert_str_eq(match("The EU imposed tough new sanctions on Belarus."), "impose#1 163 Belarus<--");
  ck_assert_str_eq(match("The EU imposed sanctions against Belarus."), "impose#1 163 Belarus<--");
  ck_assert_str_eq(match("The EU imposed a fine on Belarus."), "none");
  ck_assert_str_eq(match("The EU expanded its list of sanctioned individuals to include Lukashenko."),
                   "expand#1 163 Lukashenko<--");
  ck_assert_str_eq(match("Putin met with Lukashenko."), "meet#1 040 Lukashenko<--");
}
END_TEST

START_TEST(passive_only_patterns) {
  ck_assert_str_eq(match("Four children were killed in Israeli shelling."), "kill#1 190 -<-Israeli shelling");
  ck_assert_str_eq(match("Israeli shelling killed four children."), "none");
}
END_TEST

START_TEST(gaps_stop_at_clause_end) {
  ck_assert_str_eq(match("The EU imposed sanctions. Its envoy went on Belarus."), "none");
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("pattern");
  TCase *tc = tcase_create("pattern");
  tcase_add_checked_fixture(tc, fx_setup, teardown);
  tcase_add_test(tc, shadow_brackets_phrases_and_lemmas);
  tcase_add_test(tc, anchored_matches);
  tcase_add_test(tc, passive_only_patterns);
  tcase_add_test(tc, gaps_stop_at_clause_end);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
