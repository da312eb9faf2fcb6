/* test_token.c - the tokenizer and word normalisation. */
#include "extract_fixture.h"

static NgToken *toks;
static size_t ntoks, cap;
static NgArena arena;

static void tokenize(const char *text) {
  ntoks = 0;
  ck_assert_int_eq(ng_tokenize(fx_ex.lex, text, strlen(text), &arena, &toks, &ntoks, &cap), NG_SUCCESS);
}

static void teardown(void) {
  free(toks);
  toks = NULL;
  ntoks = cap = 0;
  ng_arena_free(&arena);
  fx_teardown();
}

/* The tokens joined by '|' as normalised forms. */
static const char *joined(void) {
  static char buf[1024];
  size_t o = 0;
  for (size_t i = 0; i < ntoks && o < sizeof buf - 64; ++i)
    o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "|" : "", toks[i].norm);
  buf[o] = '\0';
  return buf;
}

START_TEST(clitics_split_and_hyphens_stay) {
  tokenize("Russia's ambassador didn't see al-Qaeda's surface-to-air missiles.");
  ck_assert_str_eq(joined(), "russia|'s|ambassador|did|n't|see|al-qaeda|'s|surface-to-air|missiles|.");
  ck_assert(toks[1].flags & NG_TOK_CLITIC);
  ck_assert(toks[8].flags & NG_TOK_HYPHEN);
  ck_assert(toks[10].flags & NG_TOK_END);
}
END_TEST

START_TEST(abbreviations_keep_their_stop) {
  tokenize("Gen. Smith met U.S. envoys on Nov. 3 at 4.5 p.m. for $3,800.");
  ck_assert_str_eq(joined(), "gen.|smith|met|u.s.|envoys|on|nov.|3|at|4.5|p.m.|for|$|3,800|.");
  ck_assert(toks[0].flags & NG_TOK_ABBREV);
  ck_assert(toks[3].flags & NG_TOK_ALLCAPS);
  ck_assert(toks[7].flags & NG_TOK_DIGIT);
}
END_TEST

START_TEST(unicode_quotes_dashes_and_case) {
  tokenize("\xe2\x80\x9c" "C\xc3\x94TE d\xe2\x80\x99Ivoire\xe2\x80\x9d \xe2\x80\x94 it\xe2\x80\x99s\xe2\x80\xa6");
  ck_assert_str_eq(joined(), "\"|c\xc3\xb4te|d'ivoire|\"|-|it|'s|...");
  ck_assert(toks[0].flags & NG_TOK_QUOTE);
  ck_assert(toks[1].flags & NG_TOK_ALLCAPS);
  ck_assert(toks[7].flags & NG_TOK_END);
  /* offsets point into the original bytes */
  ck_assert_uint_eq(toks[1].begin, 3);
  ck_assert_uint_eq(toks[1].end, 8);
}
END_TEST

START_TEST(line_breaks_are_recorded) {
  tokenize("Title\n\nBody one\nline two");
  ck_assert_uint_eq(ntoks, 5);
  ck_assert(toks[1].flags & NG_TOK_PARA);
  ck_assert(toks[3].flags & NG_TOK_NEWLINE);
  ck_assert(!(toks[3].flags & NG_TOK_PARA));
}
END_TEST

START_TEST(hostile_bytes_do_not_break_it) {
  /* invalid UTF-8 and NUL never reach the tokenizer (the reader refuses
   * them), but it must still not read past the end */
  const char bad[] = {'a', (char)0xC3, 'b', (char)0xE2, (char)0x80};
  ntoks = 0;
  ck_assert_int_eq(ng_tokenize(fx_ex.lex, bad, sizeof bad, &arena, &toks, &ntoks, &cap), NG_SUCCESS);
  ck_assert_uint_ge(ntoks, 1);
  for (size_t i = 0; i < ntoks; ++i) ck_assert_uint_le(toks[i].end, sizeof bad);
}
END_TEST

START_TEST(long_input_is_linear) {
  size_t n = 2000000;
  char *big = malloc(n + 1);
  for (size_t i = 0; i < n; ++i) big[i] = i % 7 == 6 ? ' ' : 'a' + (char)(i % 26);
  big[n] = '\0';
  tokenize(big);
  ck_assert_uint_eq(ntoks, (n + 6) / 7);
  free(big);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("token");
  TCase *tc = tcase_create("token");
  tcase_add_checked_fixture(tc, fx_setup, teardown);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, clitics_split_and_hyphens_stay);
  tcase_add_test(tc, abbreviations_keep_their_stop);
  tcase_add_test(tc, unicode_quotes_dashes_and_case);
  tcase_add_test(tc, line_breaks_are_recorded);
  tcase_add_test(tc, hostile_bytes_do_not_break_it);
  tcase_add_test(tc, long_input_is_linear);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
