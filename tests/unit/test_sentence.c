/* test_sentence.c - the sentence splitter. */
#include "extract_fixture.h"

/* The sentences of text, joined by " || ". */
static const char *split(const char *text) {
  static char buf[2048];
  NgDocument *doc = fx_extract(text, NULL);
  size_t o = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < doc->nsents && o < sizeof buf - 8; ++i) {
    const NgSentence *s = &doc->sents[i];
    o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%.*s", i ? " || " : "", (int)(s->end - s->begin),
                          doc->text + s->begin);
  }
  ng_document_free(doc);
  return buf;
}

START_TEST(stops_and_abbreviations) {
  ck_assert_str_eq(split("Gen. Smith arrived. He met Mr. Jones in the U.S. capital."),
                   "Gen. Smith arrived. || He met Mr. Jones in the U.S. capital.");
  ck_assert_str_eq(split("Talks began in the U.S. The EU did not attend."),
                   "Talks began in the U.S. || The EU did not attend.");
  ck_assert_str_eq(split("It fell 4.5 percent. Prices rose."), "It fell 4.5 percent. || Prices rose.");
}
END_TEST

START_TEST(quotes_stay_with_their_sentence) {
  ck_assert_str_eq(split("\"We will not yield.\" The minister left."),
                   "\"We will not yield.\" || The minister left.");
  ck_assert_str_eq(split("\"Why?\" he asked. Nobody answered."), "\"Why?\" he asked. || Nobody answered.");
}
END_TEST

START_TEST(paragraphs_and_headings) {
  ck_assert_str_eq(split("EU widens sanctions\n\nThe EU acted on Friday. It said more would come"),
                   "EU widens sanctions || The EU acted on Friday. || It said more would come");
  ck_assert_str_eq(split("The talks in\nGeneva ended on Friday."), "The talks in\nGeneva ended on Friday.");
  /* a wire's hard line breaks inside a sentence, after a name */
  ck_assert_str_eq(split("Western Union said John\nPope Jr has been elected president."),
                   "Western Union said John\nPope Jr has been elected president.");
  ck_assert_str_eq(split("Arvin Industries Inc said L.K.\nEvans has been elected."),
                   "Arvin Industries Inc said L.K.\nEvans has been elected.");
  ck_assert_str_eq(split("It placed notes through New York Life\nInsurance Co and others."),
                   "It placed notes through New York Life\nInsurance Co and others.");
  /* a heading or dateline line opening the text, or its own paragraph, still ends */
  ck_assert_str_eq(split("MINSK, Nov 25\nThe EU acted."), "MINSK, Nov 25 || The EU acted.");
  ck_assert_str_eq(split("The EU acted.\n\nREACTIONS IN MOSCOW\nMoscow objected."),
                   "The EU acted. || REACTIONS IN MOSCOW || Moscow objected.");
}
END_TEST

START_TEST(endless_text_is_cut) {
  size_t n = 100000;
  char *s = malloc(n * 2 + 2);
  for (size_t i = 0; i < n; ++i) s[2 * i] = 'a', s[2 * i + 1] = ' ';
  s[2 * n] = '\0';
  NgDocument *doc = fx_extract(s, NULL);
  ck_assert_uint_ge(doc->nsents, n / 160);
  for (size_t i = 0; i < doc->nsents; ++i) ck_assert_uint_le(doc->sents[i].count, 160);
  ng_document_free(doc);
  free(s);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("sentence");
  TCase *tc = tcase_create("sentence");
  tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, stops_and_abbreviations);
  tcase_add_test(tc, quotes_stay_with_their_sentence);
  tcase_add_test(tc, paragraphs_and_headings);
  tcase_add_test(tc, endless_text_is_cut);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
