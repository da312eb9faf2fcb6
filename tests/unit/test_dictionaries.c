/* test_dictionaries.c - PETRARCH-2 dictionaries as an extra lexicon
 * (extract/dictionaries.c): each file kind from the invented fixtures of
 * tests/data/dictionaries over the test lexicon, date-restricted roles, a
 * pattern mapped and the ones that are not, discards, precedence of the
 * lexicon's own entries, and malformed input with file:line:col. */
#include "extract_fixture.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char notes[16384];
static void collect(void *h, const NgError *e) {
  (void)h;
  size_t n = strlen(notes);
  const char *level = e->level == NG_LEVEL_ERROR     ? "error"
                      : e->level == NG_LEVEL_WARNING ? "warning"
                                                     : "note";
  const char *file = e->file ? strrchr(e->file, '/') : NULL;
  snprintf(notes + n, sizeof notes - n, "%s: %s:%lu:%lu: %s\n", level,
           file      ? file + 1
           : e->file ? e->file
                     : "",
           e->line, e->col, e->message);
}

static char *fixture_path(const char *name) {
  const char *top = getenv("top_srcdir");
  static char path[4][4096];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, sizeof path[0], "%s/tests/data/%s", top ? top : ".", name);
  return p;
}

/* The test lexicon plus a folder of dictionaries; NULL when it does not load. */
static NgLexicon *load_with(const char *dict_dir, unsigned flags, NgStatus *st) {
  notes[0] = '\0';
  ng_world_set_error_sink(fx_world, collect, NULL);
  NgLexiconSources src = {fixture_path("lexicon"), dict_dir, flags, false};
  return ng_lexicon_new_from(fx_world, &src, st);
}

static void dict_setup(void) {
  fx_setup();
  ng_lexicon_free(fx_ex.lex);
  NgStatus st = NG_SUCCESS;
  fx_ex.lex = load_with(fixture_path("dictionaries"), 0, &st);
  ck_assert_msg(fx_ex.lex != NULL, "fixture dictionaries do not load: %s\n%s", ng_strerror(st),
                notes);
}

/* The first event with this code, its actor code checked. */
static void expect_actor(const char *text, const char *date, const char *cameo,
                         const char *actor_code) {
  NgDocument *doc = fx_extract(text, date);
  const NgEvent *e = fx_coded(doc, cameo);
  ck_assert_msg(e != NULL, "no %s event in '%s'", cameo, text);
  ck_assert_msg(!strcmp(e->actor.code, actor_code), "'%s' (%s): actor %s, want %s", text, date,
                e->actor.code, actor_code);
  ng_document_free(doc);
}

START_TEST(actors_name_their_codes) {
  expect_actor("The NRF attacked Belarus.", "2012-01-01", "190", "BLRREB");
  expect_actor("The Northern River Front attacked Belarus.", "2012-01-01", "190", "BLRREB");
  /* a country's own code: the name is the country's */
  expect_actor("Muscovy attacked Belarus.", "2012-01-01", "190", "RUS");
}
END_TEST

START_TEST(roles_hold_in_their_periods) {
  /* [RUSELI 990101-150630] [RUSGOV >150630] [RUSELI] */
  expect_actor("Sidorov attacked Belarus.", "2010-05-01", "190", "RUSELI");
  expect_actor("Sidorov attacked Belarus.", "2016-01-01", "190", "RUSGOV");
  expect_actor("Ivan Petrovich Sidorov attacked Belarus.", "1980-01-01", "190", "RUSELI");
  /* [BLRGOV <20100301] [BLRELI], two actors over one code line */
  expect_actor("Maria Kovalenko attacked Russia.", "2009-06-01", "190", "BLRGOV");
  expect_actor("Maria Kovalenko attacked Russia.", "2012-06-01", "190", "BLRELI");
  expect_actor("Olga Kovalenko attacked Russia.", "2009-06-01", "190", "BLRGOV");
}
END_TEST

START_TEST(the_lexicon_keeps_its_own_entries) {
  /* VLADIMIR_PUTIN_ [USAGOV] and TROOPS [~REB] leave the test lexicon's readings */
  expect_actor("Vladimir Putin attacked Belarus.", "2012-01-01", "190", "RUSGOV");
  expect_actor("Russian troops attacked Belarus.", "2012-01-01", "190", "RUSMIL");
  /* the test lexicon's "visit" block (= 042) stays, PETRARCH's (040) is not read */
  NgDocument *doc = fx_extract("Russia visited Belarus.", "2012-01-01");
  ck_assert_ptr_nonnull(fx_coded(doc, "042"));
  ck_assert_ptr_null(fx_coded(doc, "040"));
  ng_document_free(doc);
}
END_TEST

START_TEST(agents_compose_with_a_country) {
  expect_actor("Belarusian frontier guards attacked Russia.", "2012-01-01", "190", "BLRMIL");
  expect_actor("A Russian frontier guardsman attacked Belarus.", "2012-01-01", "190", "RUSMIL");
  /* a regular plural made, and an explicit one */
  expect_actor("Russian harbour masters attacked Belarus.", "2012-01-01", "190", "RUSGOV");
  expect_actor("Belarusian canal pilots attacked Russia.", "2012-01-01", "190", "BLRCVL");
}
END_TEST

START_TEST(a_pattern_is_mapped) {
  NgDocument *doc = fx_extract("Russia shipped grain to Belarus.", "2012-01-01");
  const NgEvent *e = fx_coded(doc, "070");
  ck_assert_ptr_nonnull(e);
  ck_assert_str_eq(e->target.code, "BLR");
  ck_assert_str_eq(e->rule, "petrarch:ship:16"); /* the lemma and the pattern's line */
  ng_document_free(doc);
  /* a synonym of two words, and a synonym verb of the block */
  doc = fx_extract("Russia airlifted medical supplies to Belarus.", "2012-01-01");
  e = fx_coded(doc, "070");
  ck_assert_ptr_nonnull(e);
  ck_assert_str_eq(e->rule, "petrarch:airlift:16");
  ng_document_free(doc);
  /* [actor]: PETRARCH-2 codes an event only between two actors */
  doc = fx_extract("Russia shipped grain to the harbour.", "2012-01-01");
  ck_assert_ptr_null(fx_coded(doc, "070"));
  ng_document_free(doc);
  /* [---]: the pattern (more words, tried first) gives an open event */
  doc = fx_extract("Russia shipped a fuel tax to Belarus.", "2012-01-01");
  ck_assert_ptr_null(fx_coded(doc, "070"));
  ck_assert_ptr_nonnull(fx_event(doc, "ships"));
  ng_document_free(doc);
  /* a multi-word verb: its own code, and its pattern */
  doc = fx_extract("Russia called off talks with Belarus.", "2012-01-01");
  e = fx_coded(doc, "16");
  ck_assert_ptr_nonnull(e);
  ck_assert_str_eq(e->target.code, "BLR");
  ng_document_free(doc);
}
END_TEST

START_TEST(unmapped_patterns_are_counted_and_listed) {
  NgStatus st = NG_SUCCESS;
  NgLexicon *lex = load_with(fixture_path("dictionaries"), 0, &st);
  ck_assert_ptr_nonnull(lex);
  /* 8 patterns: 4 not mapped (072 unknown, words before '*', [:042], '%') */
  ck_assert_msg(strstr(notes, "patterns: 8, 4 mapped, 4 not mapped") != NULL, "%s", notes);
  ck_assert_msg(strstr(notes, "verbs: 5, 1 of them the lexicon's own") != NULL, "%s", notes);
  ck_assert_msg(strstr(notes, "4 discard phrases") != NULL, "%s", notes);
  ck_assert_ptr_null(strstr(notes, "pattern not mapped"));
  ng_lexicon_free(lex);
  lex = load_with(fixture_path("dictionaries"), NG_DICT_VERBOSE, &st);
  ck_assert_ptr_nonnull(lex);
  ck_assert_msg(strstr(notes, "Test.verbs.txt:17:1: pattern not mapped: a code not in cameo.txt"),
                "%s", notes);
  ck_assert_msg(strstr(notes, "Test.verbs.txt:18:1: pattern not mapped: words before the verb"),
                "%s", notes);
  ck_assert_msg(
      strstr(notes, "Test.verbs.txt:19:1: pattern not mapped: a code for the target's side only"),
      "%s", notes);
  ck_assert_msg(strstr(notes, "Test.verbs.txt:26:1: pattern not mapped: a compound actor"), "%s",
                notes);
  ng_lexicon_free(lex);
  lex = load_with(fixture_path("dictionaries"), NG_DICT_QUIET, &st);
  ck_assert_str_eq(notes, "");
  ng_lexicon_free(lex);
}
END_TEST

START_TEST(discards_drop_coded_events) {
  NgDocument *doc = fx_extract("Russia attacked Belarus at the football match.", "2012-01-01");
  ck_assert_ptr_null(fx_coded(doc, "190"));
  ng_document_free(doc);
  doc = fx_extract("Russia attacked Belarus.", "2012-01-01");
  ck_assert_ptr_nonnull(fx_coded(doc, "190"));
  ng_document_free(doc);
  /* a year is history when it is before the article's year and the one before */
  doc = fx_extract("In 1990 Russia attacked Belarus.", "2012-01-01");
  ck_assert_ptr_null(fx_coded(doc, "190"));
  ng_document_free(doc);
  doc = fx_extract("In 2012 Russia attacked Belarus.", "2012-05-01");
  ck_assert_ptr_nonnull(fx_coded(doc, "190"));
  ng_document_free(doc);
  doc = fx_extract("In 2012 Russia attacked Belarus.", "2016-05-01");
  ck_assert_ptr_null(fx_coded(doc, "190"));
  ng_document_free(doc);
  /* a story discard anywhere: no coded event in the whole article, open ones stay */
  doc = fx_extract("Russia attacked Belarus. The chess olympiad opened. Putin praised the players.",
                   "2012-01-01");
  ck_assert_ptr_null(fx_coded(doc, "190"));
  for (size_t i = 0; i < ng_document_event_count(doc); ++i)
    ck_assert_str_eq(ng_document_get_event(doc, i)->cameo, "");
  ng_document_free(doc);
}
END_TEST

/* A folder holding one file with the given text. */
static char *temp_dict(const char *name, const char *text) {
  static char dir[256];
  snprintf(dir, sizeof dir, "/tmp/ng-dict-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
  return dir;
}

static void remove_temp(const char *dir, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  unlink(path);
  rmdir(dir);
}

/* Loading one file fails with this diagnostic. */
static void expect_error(const char *name, const char *text, const char *diagnostic) {
  char *dir = temp_dict(name, text);
  NgStatus st = NG_SUCCESS;
  NgLexicon *lex = load_with(dir, 0, &st);
  ck_assert_msg(lex == NULL, "%s loaded", name);
  ck_assert_int_eq(st, NG_ERR_SYNTAX);
  ck_assert_msg(strstr(notes, diagnostic) != NULL, "want '%s' in:\n%s", diagnostic, notes);
  remove_temp(dir, name);
}

START_TEST(malformed_lines_are_errors_with_their_place) {
  expect_error("X.actors.txt", "ZORYA_PARTY_ [BLRPTY]\n+ZORYA_\n\t[BLROPP 990101-\n",
               "error: X.actors.txt:3:2: unclosed '[' in an actor's code");
  expect_error("X.actors.txt", "# no name yet\n\t[BLRGOV]\n",
               "error: X.actors.txt:2:2: a code '[BLRGOV]' before any actor name");
  expect_error("X.actors.txt", "+ZORYA_\n",
               "error: X.actors.txt:1:1: alias '+ZORYA_' before any actor name");
  expect_error("X.agents.txt", "RIVER_WARDEN [~GOV\n",
               "error: X.agents.txt:1:14: unclosed '[' in an agent's code");
  expect_error("verbs.txt", "---  SAIL   [070]  ---\nSAIL\n- * GRAIN (TO +)\n",
               "error: verbs.txt:3:1: a pattern wants its code in brackets");
  expect_error("verbs.txt", "&CARGO\n+GRAIN\n\n---  SAIL   [070]  ---\n- * GRAIN [070]\n&FOO\n",
               "error: verbs.txt:6:1: a synonym set '&FOO' inside a verb block");
  expect_error("X.discards.txt", "FOOTBALL MATCH\n  +   \n",
               "error: X.discards.txt:2:4: a story discard '+' with no phrase");
}
END_TEST

START_TEST(tolerated_lines_are_warnings) {
  /* as PETRARCH-2's own files have them: a 7-digit date, "[~GOV}", no code */
  char *dir = temp_dict("X.actors.txt",
                        "ZORYA_PARTY_\n\t[BLRPTY 2004017-20061201]\n\t[BLROPP]\nLONE_NAME_\n");
  NgStatus st = NG_SUCCESS;
  NgLexicon *lex = load_with(dir, NG_DICT_VERBOSE, &st);
  ck_assert_msg(lex != NULL, "%s", notes);
  ck_assert_msg(
      strstr(notes, "warning: X.actors.txt:2:10: date restriction '2004017-20061201' not read"),
      "%s", notes);
  ck_assert_msg(strstr(notes, "warning: X.actors.txt:4:0: actor 'Lone Name' has no code"), "%s",
                notes);
  ck_assert_msg(strstr(notes, "2 lines not read"), "%s", notes);
  ng_lexicon_free(lex);
  remove_temp(dir, "X.actors.txt");
  dir = temp_dict("X.agents.txt", "RIVER_WARDEN [~GOV}\n");
  lex = load_with(dir, 0, &st);
  ck_assert_msg(lex != NULL, "%s", notes);
  ck_assert_msg(strstr(notes, "2 agent nouns") && strstr(notes, "1 lines not read"), "%s", notes);
  ng_lexicon_free(lex);
  remove_temp(dir, "X.agents.txt");
}
END_TEST

START_TEST(a_folder_without_dictionaries_is_an_error) {
  NgStatus st = NG_SUCCESS;
  NgLexicon *lex = load_with("/nonexistent/petrarch", 0, &st);
  ck_assert_ptr_null(lex);
  ck_assert_int_eq(st, NG_ERR_IO);
  ck_assert_msg(strstr(notes, "cannot read the dictionaries folder"), "%s", notes);
  char *dir = temp_dict("notes.txt", "nothing to see\n");
  lex = load_with(dir, 0, &st);
  ck_assert_ptr_null(lex);
  ck_assert_int_eq(st, NG_ERR_IO);
  ck_assert_msg(strstr(notes, "no PETRARCH-2 dictionary here"), "%s", notes);
  remove_temp(dir, "notes.txt");
}
END_TEST

START_TEST(the_public_call_reads_them) {
  NgWorld *w = ng_world_new();
  ng_world_set_error_sink(w, collect, NULL);
  NgStatus st = NG_SUCCESS;
  NgExtractor *ex =
      ng_extractor_new_with_dictionaries(w, NULL, fixture_path("dictionaries"), NG_DICT_QUIET, &st);
  ck_assert_msg(ex != NULL, "%s", ng_strerror(st));
  ng_extractor_free(ex);
  ex = ng_extractor_new_with_dictionaries(w, NULL, "/nonexistent/petrarch", 0, &st);
  ck_assert_ptr_null(ex);
  ck_assert_int_eq(st, NG_ERR_IO);
  ng_world_free(w);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("dictionaries");
  TCase *tc = tcase_create("dictionaries");
  tcase_add_checked_fixture(tc, dict_setup, fx_teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, actors_name_their_codes);
  tcase_add_test(tc, roles_hold_in_their_periods);
  tcase_add_test(tc, the_lexicon_keeps_its_own_entries);
  tcase_add_test(tc, agents_compose_with_a_country);
  tcase_add_test(tc, a_pattern_is_mapped);
  tcase_add_test(tc, unmapped_patterns_are_counted_and_listed);
  tcase_add_test(tc, discards_drop_coded_events);
  tcase_add_test(tc, malformed_lines_are_errors_with_their_place);
  tcase_add_test(tc, tolerated_lines_are_warnings);
  tcase_add_test(tc, a_folder_without_dictionaries_is_an_error);
  tcase_add_test(tc, the_public_call_reads_them);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(suite)
