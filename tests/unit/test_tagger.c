/* test_tagger.c - what the tagger sees of a word, its features, and the
 * tags and lemmas the built-in model gives plain news sentences. */
#include "parser.h"
#include "pipeline.h"
#include "unit.h"

#include <string.h>

static NgParseTok tok_of(const char *form) {
  static char norm[64];
  size_t n = strlen(form), m = ng_normalize_word(form, n, norm);
  NgParseWord w = {form, norm, (uint32_t)n, (uint32_t)m, NULL};
  NgParseTok t;
  ng_parse_tok_init(&t, &w);
  return t;
}

START_TEST(word_facts) {
  NgParseTok apple = tok_of("Apple"), mango = tok_of("Mango"), lower = tok_of("apple");
  ck_assert(apple.shape == mango.shape);
  ck_assert(apple.shape != lower.shape);
  ck_assert(apple.word == lower.word); /* the word is its normalised form */
  ck_assert(apple.suf[2] == lower.suf[2] && apple.suf[2] != mango.suf[2]);
  ck_assert(apple.flags & NG_PTOK_CAP);
  ck_assert(!(lower.flags & NG_PTOK_CAP));
  NgParseTok nato = tok_of("NATO"), num = tok_of("3,800"), dash = tok_of("al-Qaeda"),
             comma = tok_of(",");
  ck_assert(nato.flags & NG_PTOK_ALLCAPS);
  ck_assert(num.flags & NG_PTOK_DIGIT);
  ck_assert(dash.flags & NG_PTOK_HYPHEN);
  ck_assert(comma.flags & NG_PTOK_PUNCT);
  ck_assert(!(apple.flags & NG_PTOK_PUNCT));
  /* runs of a character class are cut at two: long and short numbers alike */
  ck_assert(tok_of("123456").shape == tok_of("12").shape);
  ck_assert(tok_of("1").shape != tok_of("12").shape);
}
END_TEST

START_TEST(tagger_features_follow_context) {
  NgParseTok toks[3] = {tok_of("The"), tok_of("talks"), tok_of("failed")};
  uint64_t a[NG_PARSE_MAX_FEATURES], b[NG_PARSE_MAX_FEATURES];
  toks[0].tag = 3;
  size_t na = ng_tagger_features(toks, 3, 1, a);
  ck_assert_uint_gt(na, 30);
  ck_assert_uint_le(na, NG_PARSE_MAX_FEATURES);
  toks[0].tag = 4; /* another tag before: the tag features change, the word's do not */
  size_t nb = ng_tagger_features(toks, 3, 1, b);
  ck_assert_uint_eq(na, nb);
  size_t same = 0;
  for (size_t k = 0; k < na; ++k) same += a[k] == b[k];
  ck_assert_uint_lt(same, na);
  ck_assert_uint_gt(same, na / 2);
  /* no two templates of one word collide */
  for (size_t i = 0; i < na; ++i)
    for (size_t j = i + 1; j < na; ++j) ck_assert(a[i] != a[j]);
}
END_TEST

/* Tag a space-separated sentence with the built-in model and the real
 * lexicon (as the extractor does); tags joined with spaces. */
static const char *tag(const char *text, const char **lemmas) {
  static char out[1024];
  static NgParseResult res[64];
  NgStatus st;
  NgWorld *world = ng_world_new();
  NgLexicon *lex = ng_lexicon_new(world, NULL, &st);
  NgParser *p = ng_parser_builtin(world, &st);
  ck_assert_ptr_nonnull(lex);
  ck_assert_ptr_nonnull(p);
  NgParseState *s = ng_parse_state_new(p);
  char buf[512], norm[1024], *save = NULL, *nb = norm;
  NgParseWord words[64];
  size_t n = 0;
  snprintf(buf, sizeof buf, "%s", text);
  for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
    size_t len = strlen(t), m = ng_normalize_word(t, len, nb);
    words[n++] = (NgParseWord){t, nb, (uint32_t)len, (uint32_t)m, ng_lexicon_word(lex, nb, m)};
    nb += m + 1;
  }
  ck_assert_int_eq(ng_parse_tag(p, s, n, words, res), NG_SUCCESS);
  size_t o = 0;
  static char lem[1024];
  size_t lo = 0;
  for (size_t i = 0; i < n; ++i) {
    o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? " " : "", ng_parser_xpos_name(p, res[i].xpos));
    lo += (size_t)snprintf(lem + lo, sizeof lem - lo, "%s%s", i ? " " : "", res[i].lemma);
  }
  if (lemmas) *lemmas = lem;
  ng_parse_state_free(s);
  ng_parser_free(p);
  ng_lexicon_free(lex);
  ng_world_free(world);
  return out;
}

START_TEST(plain_news_is_tagged) {
  const char *lemmas;
  ck_assert_str_eq(tag("The ministers signed the agreement on Tuesday .", &lemmas),
                   "DT NNS VBD DT NN IN NNP .");
  ck_assert_str_eq(lemmas, "the minister sign the agreement on Tuesday .");
  ck_assert_str_eq(tag("Police said two men were arrested .", &lemmas), "NNS VBD CD NNS VBD VBN .");
  ck_assert_str_eq(lemmas, "police say two man be arrest .");
}
END_TEST

START_TEST(nouns_and_verbs_in_context) {
  /* "attacks" and "talks" as a verb after a subject, as nouns after a determiner */
  ck_assert_str_eq(tag("The rebels attacks were repelled .", NULL), "DT NNS NNS VBD VBN .");
  ck_assert_str_eq(tag("She talks to the press .", NULL), "PRP VBZ IN DT NN .");
  ck_assert_str_eq(tag("The talks collapsed .", NULL), "DT NNS VBD .");
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("tagger");
  TCase *tc = tcase_create("tagger");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, word_facts);
  tcase_add_test(tc, tagger_features_follow_context);
  tcase_add_test(tc, plain_news_is_tagged);
  tcase_add_test(tc, nouns_and_verbs_in_context);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
