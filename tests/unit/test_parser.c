/* test_parser.c - the arc-eager transitions, the dynamic oracle (checked
 * against brute force on small trees), projectivisation, and parsing with
 * the built-in model. */
#include "parser.h"
#include "unit.h"

#include <string.h>

enum { ROOT = 0, LA = 1, LB = 2, NLABELS = 3 };

/* ------------------------------------------------------------ transitions */

START_TEST(transitions_build_the_tree) {
  /* "she saw it": she <-nsubj- saw -obj-> it, root -> saw */
  NgArcConfig c;
  ck_assert_int_eq(ng_arc_config_init(&c, 8), NG_SUCCESS);
  ng_arc_config_start(&c, 3, ROOT);
  ck_assert(ng_arc_valid(&c, NLABELS, NG_ACT_SHIFT));
  ck_assert(!ng_arc_valid(&c, NLABELS, NG_ACT_REDUCE));              /* the root stays */
  ck_assert(!ng_arc_valid(&c, NLABELS, NG_ACT_LEFT + LA));           /* nor gets a head */
  ck_assert(!ng_arc_valid(&c, NLABELS, NG_ACT_RIGHT(NLABELS) + LA)); /* the root's arc is root */
  ng_arc_apply(&c, NLABELS, NG_ACT_SHIFT);
  ck_assert(!ng_arc_valid(&c, NLABELS, NG_ACT_LEFT + ROOT));
  ng_arc_apply(&c, NLABELS, NG_ACT_LEFT + LA);
  ng_arc_apply(&c, NLABELS, NG_ACT_RIGHT(NLABELS) + ROOT);
  ck_assert(!ng_arc_valid(&c, NLABELS, NG_ACT_LEFT + LA)); /* saw has its head */
  ng_arc_apply(&c, NLABELS, NG_ACT_RIGHT(NLABELS) + LB);
  ck_assert(ng_arc_terminal(&c));
  ck_assert_int_eq(c.head[1], 2);
  ck_assert_int_eq(c.head[2], 0);
  ck_assert_int_eq(c.head[3], 2);
  ck_assert_int_eq(c.label[1], LA);
  ck_assert_int_eq(c.label[3], LB);
  ck_assert_int_eq(c.ld1[2], 1);
  ck_assert_int_eq(c.rd1[2], 3);
  ck_assert_int_eq(c.nl[2], 1);
  ck_assert_int_eq(c.nr[2], 1);
  ck_assert(c.lset[2] == 1ull << LA && c.rset[2] == 1ull << LB);
  ck_assert_int_eq(c.root_child, 2);
  ng_arc_config_free(&c);
}
END_TEST

START_TEST(one_dependent_of_the_root) {
  NgArcConfig c;
  ck_assert_int_eq(ng_arc_config_init(&c, 4), NG_SUCCESS);
  ng_arc_config_start(&c, 3, ROOT);
  ng_arc_apply(&c, NLABELS, NG_ACT_RIGHT(NLABELS) + ROOT);
  ng_arc_apply(&c, NLABELS, NG_ACT_REDUCE);
  ck_assert(!ng_arc_valid(&c, NLABELS, NG_ACT_RIGHT(NLABELS) + ROOT));
  /* what is left headless at the end goes under the root's dependent */
  ng_arc_apply(&c, NLABELS, NG_ACT_SHIFT);
  ng_arc_apply(&c, NLABELS, NG_ACT_SHIFT);
  ck_assert(ng_arc_terminal(&c));
  bool punct[6] = {false, false, false, true, false, false};
  ng_arc_finish(&c, punct, LB, LA);
  ck_assert_int_eq(c.head[2], 1);
  ck_assert_int_eq(c.label[2], LA);
  ck_assert_int_eq(c.head[3], 1);
  ck_assert_int_eq(c.label[3], LB);
  ng_arc_config_free(&c);
}
END_TEST

/* ------------------------------------------------------- the oracle */

static unsigned correct(const NgArcConfig *c, const int32_t *gh, const uint8_t *gl) {
  unsigned k = 0;
  for (int32_t d = 1; d <= c->n; ++d) k += c->head[d] == gh[d] && c->label[d] == gl[d];
  return k;
}

/* The most gold arcs any sequence of actions from c ends with.  Labels
 * other than the gold one never help, so only the gold label (or, for a
 * wrong arc, the first valid one) is tried. */
static unsigned best_from(const NgArcConfig *c, const int32_t *gh, const uint8_t *gl) {
  if (ng_arc_terminal(c)) return correct(c, gh, gl);
  unsigned best = 0;
  for (unsigned kind = 0; kind < 4; ++kind) {
    for (unsigned l = 0; l < (kind < 2 ? 1 : NLABELS); ++l) {
      unsigned a = kind == 0 ? NG_ACT_SHIFT : kind == 1 ? NG_ACT_REDUCE
                   : kind == 2 ? NG_ACT_LEFT + l : NG_ACT_RIGHT(NLABELS) + l;
      if (!ng_arc_valid(c, NLABELS, a)) continue;
      NgArcConfig next;
      ck_assert_int_eq(ng_arc_config_copy(&next, c), NG_SUCCESS);
      ng_arc_apply(&next, NLABELS, a);
      unsigned got = best_from(&next, gh, gl);
      if (got > best) best = got;
      ng_arc_config_free(&next);
    }
  }
  return best;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint32_t rnd(uint32_t n) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

/* A random projective tree over 1..n with one dependent of the root. */
static void random_tree(int32_t n, int32_t *gh, uint8_t *gl) {
  for (;;) {
    int32_t roots = 0;
    for (int32_t d = 1; d <= n; ++d) {
      gh[d] = (int32_t)rnd((uint32_t)n + 1);
      if (gh[d] == d) gh[d] = 0;
      roots += gh[d] == 0;
    }
    if (roots != 1) continue;
    /* a tree: every word reaches the root */
    bool ok = true;
    for (int32_t d = 1; d <= n && ok; ++d) {
      int32_t x = d, steps = 0;
      while (x && steps++ <= n) x = gh[x];
      ok = x == 0;
    }
    int32_t copy[16];
    memcpy(copy, gh, sizeof(int32_t) * (size_t)(n + 1));
    if (!ok || ng_projectivize(n, copy)) continue;
    for (int32_t d = 1; d <= n; ++d) gl[d] = gh[d] == 0 ? ROOT : (uint8_t)(1 + rnd(2));
    return;
  }
}

/* (The brute force is exponential: fewer trees under the sanitizers.) */
#if defined(__SANITIZE_ADDRESS__)
enum { ORACLE_TRIALS = 30 };
#else
enum { ORACLE_TRIALS = 80 };
#endif

/* _i: 0 the root first, 1 the root last */
START_TEST(oracle_costs_equal_brute_force) {
  unsigned checked = 0;
  for (int trial = 0; trial < ORACLE_TRIALS; ++trial) {
    int32_t n = 2 + (int32_t)rnd(4), gh[16];
    uint8_t gl[16];
    random_tree(n, gh, gl);
    NgArcConfig c;
    ck_assert_int_eq(ng_arc_config_init(&c, n), NG_SUCCESS);
    c.root_last = _i;
    ng_arc_config_start(&c, n, ROOT);
    /* walk a random path (mistakes included) and check every step */
    while (!ng_arc_terminal(&c)) {
      unsigned here = best_from(&c, gh, gl), valid[2 + 2 * NLABELS], nvalid = 0;
      for (unsigned a = 0; a < NG_ACT_COUNT(NLABELS); ++a) {
        if (!ng_arc_valid(&c, NLABELS, a)) continue;
        valid[nvalid++] = a;
        NgArcConfig next;
        ck_assert_int_eq(ng_arc_config_copy(&next, &c), NG_SUCCESS);
        ng_arc_apply(&next, NLABELS, a);
        unsigned lost = here - best_from(&next, gh, gl);
        if (ng_arc_cost(&c, NLABELS, gh, gl, a) != lost) {
          fprintf(stderr, "n %d b %d stack", n, c.b);
          for (int k = 0; k < c.nstack; ++k)
            fprintf(stderr, " %d", c.stack[k]);
          fprintf(stderr, "\n gold");
          for (int d = 1; d <= n; ++d)
            fprintf(stderr, " %d:%d/%d", d, gh[d], gl[d]);
          fprintf(stderr, "\n heads");
          for (int d = 1; d <= n; ++d)
            fprintf(stderr, " %d:%d/%d", d, c.head[d], c.label[d]);
          fprintf(stderr, "\n rootchild %d\n", c.root_child);
        }
        ck_assert_msg(ng_arc_cost(&c, NLABELS, gh, gl, a) == lost,
                      "trial %d action %u: oracle %u, brute force %u", trial, a,
                      ng_arc_cost(&c, NLABELS, gh, gl, a), lost);
        ng_arc_config_free(&next);
        checked++;
      }
      ck_assert_uint_gt(nvalid, 0);
      ng_arc_apply(&c, NLABELS, valid[rnd(nvalid)]);
    }
    ng_arc_config_free(&c);
  }
  ck_assert_uint_gt(checked, (unsigned)ORACLE_TRIALS * 6);
}
END_TEST

START_TEST(zero_cost_actions_rebuild_the_gold_tree) {
  for (int trial = 0; trial < 200; ++trial) {
    int32_t n = 1 + (int32_t)rnd(9), gh[16];
    uint8_t gl[16];
    random_tree(n, gh, gl);
    NgArcConfig c;
    ck_assert_int_eq(ng_arc_config_init(&c, n), NG_SUCCESS);
    c.root_last = _i;
    ng_arc_config_start(&c, n, ROOT);
    while (!ng_arc_terminal(&c)) {
      unsigned a = 0;
      while (!ng_arc_valid(&c, NLABELS, a) || ng_arc_cost(&c, NLABELS, gh, gl, a)) {
        a++;
        ck_assert_uint_lt(a, NG_ACT_COUNT(NLABELS));
      }
      ng_arc_apply(&c, NLABELS, a);
    }
    ck_assert_uint_eq(correct(&c, gh, gl), (unsigned)n);
    ng_arc_config_free(&c);
  }
}
END_TEST

START_TEST(projectivize_lifts_crossing_arcs) {
  /* 1 <- 3, 2 <- 4 crosses 3's span; 4 <- 0 */
  int32_t head[6] = {-1, 3, 4, 4, 0, -1};
  ck_assert_uint_eq(ng_projectivize(4, head), 1);
  ck_assert_int_eq(head[1], 4); /* lifted to its head's head */
  ck_assert_int_eq(head[2], 4);
  ck_assert_int_eq(head[3], 4);
  int32_t projective[5] = {-1, 2, 0, 2, -1};
  ck_assert_uint_eq(ng_projectivize(3, projective), 0);
  ck_assert_int_eq(projective[1], 2);
}
END_TEST

/* ------------------------------------------------------------ the beam */

/* Scores that depend on the configuration (through its features) and the
 * action, the same for the beam and the brute force. */
static void hashed_scores(const void *ctx, const uint64_t *f, size_t nf, int32_t *scores) {
  (void)ctx;
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (size_t k = 0; k < nf; ++k)
    h = (h ^ f[k]) * 0x100000001B3ull;
  for (unsigned a = 0; a < NG_ACT_COUNT(NLABELS); ++a) {
    uint64_t x = (h + a) * 0x2545F4914F6CDD1Dull;
    scores[a] = (int32_t)((x >> 40) % 1000) - 500;
  }
}

/* The best total score of any action sequence from c, and how many
 * partial sequences there are at each depth (a beam at least that wide
 * prunes nothing). */
static int64_t best_total(const NgArcConfig *c, const NgParseTok *toks, int depth,
                          unsigned *width_at) {
  width_at[depth]++;
  if (ng_arc_terminal(c)) return 0;
  uint64_t f[NG_PARSE_MAX_FEATURES];
  int32_t scores[NG_ACT_COUNT(NLABELS)];
  hashed_scores(NULL, f, ng_parser_features(c, toks, f), scores);
  int64_t best = INT64_MIN;
  for (unsigned a = 0; a < NG_ACT_COUNT(NLABELS); ++a) {
    if (!ng_arc_valid(c, NLABELS, a)) continue;
    NgArcConfig next;
    ck_assert_int_eq(ng_arc_config_copy(&next, c), NG_SUCCESS);
    ng_arc_apply(&next, NLABELS, a);
    int64_t got = scores[a] + best_total(&next, toks, depth + 1, width_at);
    if (got > best) best = got;
    ng_arc_config_free(&next);
  }
  return best;
}

static void plain_tokens(NgParseTok *toks, int32_t n) {
  memset(toks, 0, sizeof *toks * (size_t)(n + 2));
  toks[0] = (NgParseTok){.word = 1, .tag = 253};
  for (int32_t i = 1; i <= n; ++i)
    toks[i] = (NgParseTok){.word = 100 + (uint64_t)i, .tag = (uint8_t)(i % 3)};
  toks[n + 1] = (NgParseTok){.word = 2, .tag = 252};
}

START_TEST(a_wide_beam_finds_the_best_sequence) {
  unsigned exact = 0;
  for (int32_t n = 1; n <= 3; ++n) {
    NgParseTok toks[8];
    plain_tokens(toks, n);
    NgArcConfig c;
    ck_assert_int_eq(ng_arc_config_init(&c, n), NG_SUCCESS);
    ng_arc_config_start(&c, n, ROOT);
    unsigned width_at[32] = {0};
    int64_t best = best_total(&c, toks, 0, width_at);
    unsigned widest = 0;
    for (int d = 0; d < 32; ++d)
      widest = width_at[d] > widest ? width_at[d] : widest;
    if (widest > NG_BEAM_MAX) {
      ng_arc_config_free(&c);
      continue;
    }
    exact++;
    NgBeam b = {0};
    ck_assert_int_eq(ng_beam_reserve(&b, NG_BEAM_MAX, n), NG_SUCCESS);
    ng_beam_start(&b, n, ROOT);
    uint64_t f[NG_PARSE_MAX_FEATURES];
    int32_t scores[NG_ACT_COUNT(NLABELS)];
    while (ng_beam_expand(&b, NLABELS, toks, hashed_scores, NULL, f, scores)) {
      for (unsigned j = 1; j < b.ncand; ++j)
        ck_assert(b.cand[j - 1].score >= b.cand[j].score);
      ng_beam_commit(&b, NLABELS);
    }
    ck_assert_int_eq(b.item[0].score, best);
    ck_assert(ng_arc_terminal(&b.conf[0]));
    ng_beam_free(&b);
    ng_arc_config_free(&c);
  }
  ck_assert_uint_ge(exact, 2);
}
END_TEST

START_TEST(a_beam_of_one_is_greedy) {
  enum { N = 9 };
  NgParseTok toks[N + 2];
  plain_tokens(toks, N);
  NgArcConfig c;
  ck_assert_int_eq(ng_arc_config_init(&c, N), NG_SUCCESS);
  ng_arc_config_start(&c, N, ROOT);
  uint64_t f[NG_PARSE_MAX_FEATURES];
  int32_t scores[NG_ACT_COUNT(NLABELS)];
  while (!ng_arc_terminal(&c)) { /* the first best valid action */
    hashed_scores(NULL, f, ng_parser_features(&c, toks, f), scores);
    int best = -1;
    for (unsigned a = 0; a < NG_ACT_COUNT(NLABELS); ++a)
      if (ng_arc_valid(&c, NLABELS, a) && (best < 0 || scores[a] > scores[best])) best = (int)a;
    ng_arc_apply(&c, NLABELS, (unsigned)best);
  }
  NgBeam b = {0};
  ck_assert_int_eq(ng_beam_reserve(&b, 1, N), NG_SUCCESS);
  ng_beam_start(&b, N, ROOT);
  while (ng_beam_expand(&b, NLABELS, toks, hashed_scores, NULL, f, scores)) {
    ck_assert_uint_eq(b.ncand, 1);
    ng_beam_commit(&b, NLABELS);
  }
  for (int32_t d = 1; d <= N; ++d) {
    ck_assert_int_eq(b.conf[0].head[d], c.head[d]);
    ck_assert_int_eq(b.conf[0].label[d], c.label[d]);
  }
  ng_beam_free(&b);
  ng_arc_config_free(&c);
}
END_TEST

/* ---------------------------------------------------- feature hashes */

static void word(NgParseWord *w, const char *form, char *norm) {
  size_t n = strlen(form);
  for (size_t i = 0; i <= n; ++i) norm[i] = (char)(form[i] >= 'A' && form[i] <= 'Z' ? form[i] + 32 : form[i]);
  *w = (NgParseWord){form, norm, (uint32_t)n, (uint32_t)n, NULL};
}

START_TEST(parser_features_see_the_configuration) {
  const char *forms[] = {"Troops", "left", "Kabul"};
  char norms[3][16];
  NgParseTok toks[5] = {{.word = 1, .tag = 253}};
  for (int i = 0; i < 3; ++i) {
    NgParseWord w;
    word(&w, forms[i], norms[i]);
    ng_parse_tok_init(&toks[i + 1], &w);
    toks[i + 1].tag = (uint8_t)i;
  }
  toks[4] = (NgParseTok){.word = 2, .tag = 252};
  NgArcConfig c;
  ck_assert_int_eq(ng_arc_config_init(&c, 3), NG_SUCCESS);
  ng_arc_config_start(&c, 3, ROOT);
  uint64_t a[NG_PARSE_MAX_FEATURES], b[NG_PARSE_MAX_FEATURES];
  size_t na = ng_parser_features(&c, toks, a);
  ck_assert_uint_le(na, NG_PARSE_MAX_FEATURES);
  ck_assert_uint_eq(ng_parser_features(&c, toks, b), na);
  ck_assert(!memcmp(a, b, na * sizeof *a)); /* deterministic */
  ng_arc_apply(&c, NLABELS, NG_ACT_SHIFT);
  size_t nb = ng_parser_features(&c, toks, b);
  size_t same = 0;
  for (size_t k = 0; k < na && k < nb; ++k) same += a[k] == b[k];
  ck_assert_uint_lt(same, na / 2); /* most features move with the stack and buffer */
  ng_arc_config_free(&c);
}
END_TEST

/* ------------------------------------------- parsing with the built-in model */

static NgParser *builtin(NgWorld **world) {
  NgStatus st;
  *world = ng_world_new();
  NgParser *p = ng_parser_builtin(*world, &st);
  ck_assert_msg(p != NULL, "the built-in model does not load");
  return p;
}

static const unsigned widths[3] = {0, 1, 8}; /* beam widths the parsing tests run with */

/* Parse a space-separated sentence; returns the words' results. */
static void parse(NgParser *p, NgParseState *s, const char *text, NgParseResult *out, size_t *n) {
  static char buf[512], norm[512];
  static NgParseWord words[64];
  snprintf(buf, sizeof buf, "%s", text);
  size_t k = 0;
  char *save = NULL, *nb = norm;
  for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
    word(&words[k], tok, nb);
    nb += strlen(tok) + 1;
    k++;
  }
  ck_assert_int_eq(ng_parse(p, s, k, words, out), NG_SUCCESS);
  *n = k;
}

START_TEST(a_tree_for_every_sentence) {
  NgWorld *world;
  NgParser *p = builtin(&world);
  NgParseState *s = ng_parse_state_new(p);
  ng_parse_state_set_beam(s, widths[_i]); /* the model's width, greedy, a beam */
  static const char *sentences[] = {
      "The minister resigned .", ". , ; :", "a", "Yes", "( ( ( ( ) ) ) )",
      "The the the the the the the the the the the the the the the the the the the the"};
  for (size_t i = 0; i < NG_COUNTOF(sentences); ++i) {
    NgParseResult out[64];
    size_t n;
    parse(p, s, sentences[i], out, &n);
    size_t roots = 0;
    for (size_t j = 0; j < n; ++j) {
      ck_assert(out[j].head >= 0 && (size_t)out[j].head <= n && (size_t)out[j].head != j + 1);
      roots += out[j].head == 0;
      ck_assert(out[j].lemma && *out[j].lemma);
      /* no cycles: every word reaches the root */
      int32_t x = (int32_t)j + 1;
      for (size_t steps = 0; x && steps <= n; ++steps) x = out[x - 1].head;
      ck_assert_int_eq(x, 0);
    }
    ck_assert_uint_eq(roots, 1);
  }
  ng_parse_state_free(s);
  ng_parser_free(p);
  ng_world_free(world);
}
END_TEST

START_TEST(long_sentences_grow_the_state) {
  NgWorld *world;
  NgParser *p = builtin(&world);
  NgParseState *s = ng_parse_state_new(p);
  ng_parse_state_set_beam(s, widths[_i]);
  enum { N = 1000 };
  NgParseWord *w = calloc(N, sizeof *w);
  NgParseResult *out = calloc(N, sizeof *out);
  for (size_t i = 0; i < N; ++i) w[i] = (NgParseWord){i % 7 ? "word" : ",", i % 7 ? "word" : ",", i % 7 ? 4 : 1, i % 7 ? 4 : 1, NULL};
  ck_assert_int_eq(ng_parse(p, s, N, w, out), NG_SUCCESS);
  size_t roots = 0;
  for (size_t i = 0; i < N; ++i) roots += out[i].head == 0;
  ck_assert_uint_eq(roots, 1);
  free(w);
  free(out);
  ng_parse_state_free(s);
  ng_parser_free(p);
  ng_world_free(world);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("parser");
  TCase *tc = tcase_create("parser");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, transitions_build_the_tree);
  tcase_add_test(tc, one_dependent_of_the_root);
  tcase_add_loop_test(tc, oracle_costs_equal_brute_force, 0, 2);
  tcase_add_loop_test(tc, zero_cost_actions_rebuild_the_gold_tree, 0, 2);
  tcase_add_test(tc, projectivize_lifts_crossing_arcs);
  tcase_add_test(tc, parser_features_see_the_configuration);
  tcase_add_test(tc, a_wide_beam_finds_the_best_sequence);
  tcase_add_test(tc, a_beam_of_one_is_greedy);
  tcase_add_loop_test(tc, a_tree_for_every_sentence, 0, 3);
  tcase_add_loop_test(tc, long_sentences_grow_the_state, 0, 3);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
