/* test_actors.c - actor mentions: lexicon forms, case rules, composition
 * of countries and roles, titled persons, periods of office. */
#include "extract_fixture.h"

/* "text=CODE" for each mention of the first sentence, joined by ", ". */
static const char *mentions(const char *text, const char *date) {
  static char buf[2048];
  NgDocument *doc = fx_extract(text, date);
  size_t o = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < doc->nmentions && o < sizeof buf - 128; ++i) {
    const NgMention *m = &doc->mentions[i];
    if (m->pronoun) continue;
    const char *span = ng_doc_span_text(doc, m->first, m->first + m->count - 1);
    o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s=%s", o ? ", " : "", span, m->code);
  }
  ng_document_free(doc);
  return buf;
}

START_TEST(lexicon_forms_and_case) {
  ck_assert_str_eq(mentions("The EU and the U.N. met in Minsk.", NULL), "EU=IGOEUREEC, U.N.=IGOUNO, Minsk=BLRGOV");
  ck_assert_str_eq(mentions("Tell us about it, he said.", NULL), "");
  ck_assert_str_eq(mentions("The US and America agree.", NULL), "US=USA, America=USA");
  ck_assert_str_eq(mentions("An apple a day.", NULL), "");
  ck_assert_str_eq(mentions("The Kremlin denied it.", NULL), "Kremlin=RUSGOV");
}
END_TEST

START_TEST(countries_combine_with_roles) {
  ck_assert_str_eq(mentions("Belarusian officials said so.", NULL), "Belarusian officials=BLRGOV");
  ck_assert_str_eq(mentions("Russia's ambassador left.", NULL), "Russia's ambassador=RUSGOV");
  ck_assert_str_eq(mentions("The government of Iran said so.", NULL), "government of Iran=IRNGOV");
  ck_assert_str_eq(mentions("Russian troops and Ukrainian rebels clashed.", NULL),
                   "Russian troops=RUSMIL, Ukrainian rebels=UKRREB");
  ck_assert_str_eq(mentions("The Russian building fell.", NULL), "Russian=RUS");
}
END_TEST

START_TEST(titles_make_persons) {
  ck_assert_str_eq(mentions("Russian President Vladimir Putin spoke.", NULL), "Russian President Vladimir Putin=RUSGOV");
  ck_assert_str_eq(mentions("Foreign Minister Sergei Lavrov spoke.", NULL), "Foreign Minister Sergei Lavrov=GOV");
  ck_assert_str_eq(mentions("Iran's ambassador, Kazem Jalali, spoke.", NULL), "Iran's ambassador, Kazem Jalali=IRNGOV");
  ck_assert_str_eq(mentions("Lukashenko and Alyaksandr Lukashenka are one.", NULL),
                   "Lukashenko=BLRGOV, Alyaksandr Lukashenka=BLRGOV");
}
END_TEST

START_TEST(offices_have_periods) {
  ck_assert_str_eq(mentions("Barack Obama spoke.", "2012-05-01"), "Barack Obama=USAGOV");
  ck_assert_str_eq(mentions("Barack Obama spoke.", "2019-05-01"), "Barack Obama=USA");
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("actors");
  TCase *tc = tcase_create("actors");
  tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
  tcase_add_test(tc, lexicon_forms_and_case);
  tcase_add_test(tc, countries_combine_with_roles);
  tcase_add_test(tc, titles_make_persons);
  tcase_add_test(tc, offices_have_periods);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
