/* parse-features.c - what the tagger and the parser look at, and the
 * arc-eager transition system with its dynamic oracle.
 *
 * This code is shared by the runtime (parser.c) and the trainer
 * (tools/train-parser.c): a model is trained on exactly the features it
 * is used with.  Every feature is a 64-bit hash of a template number and
 * the values it combines; the weight tables (parse-model.c) map hashes to
 * rows of class weights.  Prefixes and suffixes are the bytes themselves
 * packed into an integer, not hashed: a load instead of a loop.
 *
 * Why arc-eager with a dynamic oracle: a greedy transition parser makes
 * 2n decisions for n words, each a sum of ~80 feature rows, which is the
 * budget the extractor can afford per sentence (beam search multiplies it
 * by the beam).  Trained with the dynamic oracle and exploration (Goldberg
 * and Nivre 2012), it learns to recover from its own mistakes, which the
 * static oracle never shows it.  The feature templates are those of Zhang
 * and Nivre (2011): words and tags of the stack top, the buffer front and
 * their dependents, distances, valencies and label sets. */
#include "parser.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- hashing */

static inline uint64_t step(uint64_t h, uint64_t v) {
  h ^= v;
  h *= 0x9FB21C651E98DF25ull;
  return h ^ (h >> 29);
}

static inline uint64_t fin(uint64_t h) {
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 32);
}

#define SEED(t) (0x243F6A8885A308D3ull * ((uint64_t)(t) + 1))
#define F1(t, a) fin(step(SEED(t), (a)))
#define F2(t, a, b) fin(step(step(SEED(t), (a)), (b)))
#define F3(t, a, b, c) fin(step(step(step(SEED(t), (a)), (b)), (c)))
#define F4(t, a, b, c, d) fin(step(step(step(step(SEED(t), (a)), (b)), (c)), (d)))

uint64_t ng_parse_word_hash(const char *norm, size_t len) { return ng_hash_bytes(norm, len); }

uint64_t ng_lemma_key(uint64_t word_hash, unsigned tag) { return F1(1000 + tag, word_hash); }

/* ---------------------------------------------------------- token facts */

/* Shape: X for upper-case letters, x lower, d digits, the byte itself
 * otherwise, runs cut at two, at most 16 symbols (4 bits each would be too
 * few for the punctuation: 8 bits each, folded into the hash). */
static uint64_t word_shape(const char *s, size_t len) {
  uint64_t h = 0x51ED27A1C0FFEEull;
  unsigned prev = 0, run = 0, count = 0;
  for (size_t i = 0; i < len && count < 16; ++i) {
    unsigned char c = (unsigned char)s[i];
    unsigned k;
    if (c >= 'A' && c <= 'Z') k = 'X';
    else if (c >= 'a' && c <= 'z') k = 'x';
    else if (c >= '0' && c <= '9') k = 'd';
    else if (c >= 0x80) {
      if ((c & 0xC0) == 0x80) continue; /* continuation byte */
      k = 'u';
    } else k = c;
    run = k == prev ? run + 1 : 1;
    prev = k;
    if (run > 2) continue;
    h = step(h, k);
    count++;
  }
  return h;
}

static uint64_t packed(const char *s, size_t len, size_t take, bool from_end) {
  if (take > len) take = len;
  uint64_t v = 0;
  const char *p = from_end ? s + len - take : s;
  for (size_t i = 0; i < take; ++i) v |= (uint64_t)(unsigned char)p[i] << (8 * i);
  return v | (uint64_t)take << 40 | (uint64_t)from_end << 48;
}

void ng_parse_tok_init(NgParseTok *t, const NgParseWord *w) {
  memset(t, 0, sizeof *t);
  t->word = ng_parse_word_hash(w->norm, w->norm_len);
  for (size_t k = 0; k < 3; ++k) t->pre[k] = packed(w->norm, w->norm_len, k + 1, false);
  for (size_t k = 0; k < 4; ++k) t->suf[k] = packed(w->norm, w->norm_len, k + 1, true);
  t->shape = word_shape(w->form, w->form_len);
  const NgVocab *v = w->vocab;
  if (v && v->wf) {
    uint16_t wn = v->wf & 0x3FF;
    if (v->vfreq > v->nfreq) wn |= 1u << 10;
    if (v->nfreq > v->vfreq) wn |= 1u << 11;
    if (v->afreq > v->vfreq && v->afreq > v->nfreq) wn |= 1u << 12;
    wn |= 1u << 13;
    t->wn = wn;
  }
  unsigned letters = 0, upper = 0;
  bool punct = w->form_len > 0;
  for (size_t i = 0; i < w->form_len; ++i) {
    unsigned char c = (unsigned char)w->form[i];
    if (c >= 'A' && c <= 'Z') {
      letters++;
      upper++;
      punct = false;
    } else if ((c >= 'a' && c <= 'z') || c >= 0x80) {
      letters++;
      punct = false;
    } else if (c >= '0' && c <= '9') {
      t->flags |= NG_PTOK_DIGIT;
      punct = false;
    } else if (c == '-' && i > 0) {
      t->flags |= NG_PTOK_HYPHEN;
    }
  }
  if (w->form_len && w->form[0] >= 'A' && w->form[0] <= 'Z') t->flags |= NG_PTOK_CAP;
  if (letters >= 2 && upper == letters) t->flags |= NG_PTOK_ALLCAPS;
  if (punct) t->flags |= NG_PTOK_PUNCT;
}

/* ---------------------------------------------------------- the tagger */

/* Beyond the sentence's ends. */
static const NgParseTok START = {.word = 0x5354415254ull, .shape = 1, .tag = 255, .tag1 = 255,
                                 .amb = 0xFFFF};
static const NgParseTok END = {.word = 0x454E44ull, .shape = 2, .tag = 254, .tag1 = 254,
                               .amb = 0xFFFE};

static inline const NgParseTok *at(const NgParseTok *toks, size_t n, ptrdiff_t i) {
  if (i < 0) return &START;
  if ((size_t)i >= n) return &END;
  return &toks[i];
}

enum {
  T_BIAS, T_W0, T_S1, T_S2, T_S3, T_S4, T_P1, T_P2, T_P3, T_SHAPE0, T_WN0, T_AMB0, T_WM1, T_WM2,
  T_WP1, T_WP2, T_SUF3M1, T_SUF3P1, T_T1, T_T2, T_T1T2, T_T1W0, T_T1S3, T_AMBP1, T_AMBP2,
  T_AMBP1P2, T_W0WP1, T_WM1W0, T_SHAPEP1, T_SHAPEM1, T_WNP1, T_FLAGS0, T_T1AMB0, T_T1AMBP1,
  T_C0, T_CM1, T_CP1, T_CP2, T_C0T1, T_WN0S3, T_CP1AMB0, T_T2T1AMB0, T_WM1AMB0, T_W0AMBP1,
  T_CM1C0, T2_OWN, T2_N1, T2_N2, T2_N1N2, T2_T1N1, T2_W0N1, T2_OWNN1, T2_S3N1, T2_M1N1, T2_C0N1
};

size_t ng_tagger_features(const NgParseTok *toks, size_t n, size_t i, uint64_t *out) {
  const NgParseTok *w0 = &toks[i], *m1 = at(toks, n, (ptrdiff_t)i - 1),
                   *m2 = at(toks, n, (ptrdiff_t)i - 2), *p1 = at(toks, n, (ptrdiff_t)i + 1),
                   *p2 = at(toks, n, (ptrdiff_t)i + 2);
  uint64_t t1 = m1->tag, t2 = m2->tag;
  size_t k = 0;
  out[k++] = F1(T_BIAS, 0);
  out[k++] = F1(T_W0, w0->word);
  out[k++] = F1(T_S1, w0->suf[0]);
  out[k++] = F1(T_S2, w0->suf[1]);
  out[k++] = F1(T_S3, w0->suf[2]);
  out[k++] = F1(T_S4, w0->suf[3]);
  out[k++] = F1(T_P1, w0->pre[0]);
  out[k++] = F1(T_P2, w0->pre[1]);
  out[k++] = F1(T_P3, w0->pre[2]);
  out[k++] = F1(T_SHAPE0, w0->shape);
  out[k++] = F1(T_WN0, w0->wn);
  out[k++] = F1(T_AMB0, w0->amb);
  out[k++] = F1(T_WM1, m1->word);
  out[k++] = F1(T_WM2, m2->word);
  out[k++] = F1(T_WP1, p1->word);
  out[k++] = F1(T_WP2, p2->word);
  out[k++] = F1(T_SUF3M1, m1->suf[2]);
  out[k++] = F1(T_SUF3P1, p1->suf[2]);
  out[k++] = F1(T_T1, t1);
  out[k++] = F1(T_T2, t2);
  out[k++] = F2(T_T1T2, t1, t2);
  out[k++] = F2(T_T1W0, t1, w0->word);
  out[k++] = F2(T_T1S3, t1, w0->suf[2]);
  out[k++] = F1(T_AMBP1, p1->amb);
  out[k++] = F1(T_AMBP2, p2->amb);
  out[k++] = F2(T_AMBP1P2, p1->amb, p2->amb);
  out[k++] = F2(T_W0WP1, w0->word, p1->word);
  out[k++] = F2(T_WM1W0, m1->word, w0->word);
  out[k++] = F1(T_SHAPEP1, p1->shape);
  out[k++] = F1(T_SHAPEM1, m1->shape);
  out[k++] = F1(T_WNP1, p1->wn);
  out[k++] = F2(T_FLAGS0, w0->flags, i == 0);
  out[k++] = F2(T_T1AMB0, t1, w0->amb);
  out[k++] = F2(T_T1AMBP1, t1, p1->amb);
  out[k++] = F2(T_WN0S3, w0->wn, w0->suf[2]);
  out[k++] = F3(T_T2T1AMB0, t2, t1, w0->amb);
  out[k++] = F2(T_WM1AMB0, m1->word, w0->amb);
  out[k++] = F2(T_W0AMBP1, w0->word, p1->amb);
  if (w0->cluster || m1->cluster || p1->cluster) {
    out[k++] = F1(T_C0, w0->cluster);
    out[k++] = F1(T_CM1, m1->cluster);
    out[k++] = F1(T_CP1, p1->cluster);
    out[k++] = F1(T_CP2, p2->cluster);
    out[k++] = F2(T_C0T1, w0->cluster, t1);
    out[k++] = F2(T_CP1AMB0, p1->cluster, w0->amb);
    out[k++] = F2(T_CM1C0, m1->cluster, w0->cluster);
  }
  return k;
}

size_t ng_tagger2_features(const NgParseTok *toks, size_t n, size_t i, uint64_t *out) {
  size_t k = ng_tagger_features(toks, n, i, out);
  const NgParseTok *w0 = &toks[i], *m1 = at(toks, n, (ptrdiff_t)i - 1),
                   *p1 = at(toks, n, (ptrdiff_t)i + 1), *p2 = at(toks, n, (ptrdiff_t)i + 2);
  uint64_t own = w0->tag1, n1 = p1->tag1, n2 = p2->tag1;
  out[k++] = F1(T2_OWN, own);
  out[k++] = F1(T2_N1, n1);
  out[k++] = F1(T2_N2, n2);
  out[k++] = F2(T2_N1N2, n1, n2);
  out[k++] = F2(T2_T1N1, m1->tag, n1);
  out[k++] = F2(T2_W0N1, w0->word, n1);
  out[k++] = F2(T2_OWNN1, own, n1);
  out[k++] = F2(T2_S3N1, w0->suf[2], n1);
  out[k++] = F3(T2_M1N1, m1->tag, own, n1);
  out[k++] = F2(T2_C0N1, w0->cluster, n1);
  return k;
}

/* ---------------------------------------------------- the transitions */

static size_t config_bytes(int32_t cap);

NgStatus ng_arc_config_init(NgArcConfig *c, int32_t cap) {
  memset(c, 0, sizeof *c);
  size_t m = (size_t)cap + 2;
  char *p = malloc(config_bytes(cap));
  if (!p) return NG_ERR_NOMEM;
  c->lset = (uint64_t *)p;
  c->rset = c->lset + m;
  c->stack = (int32_t *)(c->rset + m);
  c->head = c->stack + m;
  c->ld1 = c->head + m;
  c->ld2 = c->ld1 + m;
  c->rd1 = c->ld2 + m;
  c->rd2 = c->rd1 + m;
  c->label = (uint8_t *)(c->rd2 + m);
  c->nl = c->label + m;
  c->nr = c->nl + m;
  c->n = 0;
  c->cap = cap;
  return NG_SUCCESS;
}

static size_t config_bytes(int32_t cap) {
  return ((size_t)cap + 2) * (sizeof(int32_t) * 6 + sizeof(uint64_t) * 2 + 3);
}

NgStatus ng_arc_config_copy(NgArcConfig *dst, const NgArcConfig *src) {
  NgStatus st = ng_arc_config_init(dst, src->cap);
  if (st) return st;
  memcpy(dst->lset, src->lset, config_bytes(src->cap));
  dst->n = src->n;
  dst->nstack = src->nstack;
  dst->b = src->b;
  dst->root_child = src->root_child;
  dst->root_last = src->root_last;
  dst->root_label = src->root_label;
  return NG_SUCCESS;
}

void ng_arc_config_assign(NgArcConfig *dst, const NgArcConfig *src) {
  size_t m = (size_t)src->n + 2;
  memcpy(dst->lset, src->lset, m * sizeof *dst->lset);
  memcpy(dst->rset, src->rset, m * sizeof *dst->rset);
  memcpy(dst->stack, src->stack, (size_t)src->nstack * sizeof *dst->stack);
  memcpy(dst->head, src->head, m * sizeof *dst->head);
  memcpy(dst->ld1, src->ld1, m * sizeof *dst->ld1);
  memcpy(dst->ld2, src->ld2, m * sizeof *dst->ld2);
  memcpy(dst->rd1, src->rd1, m * sizeof *dst->rd1);
  memcpy(dst->rd2, src->rd2, m * sizeof *dst->rd2);
  memcpy(dst->label, src->label, m);
  memcpy(dst->nl, src->nl, m);
  memcpy(dst->nr, src->nr, m);
  dst->n = src->n;
  dst->nstack = src->nstack;
  dst->b = src->b;
  dst->root_child = src->root_child;
  dst->root_last = src->root_last;
  dst->root_label = src->root_label;
}

void ng_arc_config_free(NgArcConfig *c) {
  if (!c) return;
  free(c->lset);
  memset(c, 0, sizeof *c);
}

void ng_arc_config_start(NgArcConfig *c, int32_t n, uint8_t root_label) {
  size_t m = (size_t)n + 2;
  c->n = n;
  if (c->root_last) { /* an empty stack; the buffer: the words, then the root */
    c->nstack = 0;
    c->b = n >= 1 ? 1 : 0;
  } else {
    c->nstack = 1;
    c->stack[0] = 0;
    c->b = n >= 1 ? 1 : n + 1;
  }
  c->root_child = 0;
  c->root_label = root_label;
  for (size_t i = 0; i < m; ++i) {
    c->head[i] = -1;
    c->ld1[i] = c->ld2[i] = c->rd1[i] = c->rd2[i] = n + 1;
  }
  memset(c->label, NG_PARSE_MAX_LABELS, m);
  memset(c->nl, 0, m);
  memset(c->nr, 0, m);
  memset(c->lset, 0, m * sizeof *c->lset);
  memset(c->rset, 0, m * sizeof *c->rset);
}

bool ng_arc_terminal(const NgArcConfig *c) {
  return c->root_last ? c->b == 0 && c->nstack == 0 : c->b > c->n;
}

/* The stack's top, or "none" (n + 1) when the stack is empty. */
static inline int32_t s0_of(const NgArcConfig *c) {
  return c->nstack ? c->stack[c->nstack - 1] : c->n + 1;
}

/* The buffer's front after b (the root follows the last word when it is last). */
static inline int32_t next_of(const NgArcConfig *c, int32_t b) {
  if (b == 0 || b > c->n) return c->n + 1;
  return b == c->n && c->root_last ? 0 : b + 1;
}

/* Where token x stands in the sentence: the root first or after the words. */
static inline int32_t pos_of(const NgArcConfig *c, int32_t x) {
  return x == 0 && c->root_last ? c->n + 1 : x;
}

/* With the root last: is a headless word below the stack's top (one that
 * could still take the root's arc)? */
static bool headless_below(const NgArcConfig *c) {
  for (int32_t k = 0; k + 1 < c->nstack; ++k)
    if (c->head[c->stack[k]] < 0) return true;
  return false;
}

/* The root last (Ballesteros and Nivre 2013): the root is the buffer's
 * last token and takes its dependents by left arcs once every word is
 * read; its one "root" dependent is the first headless word it takes
 * (others take the root with other labels, and ng_arc_finish moves them
 * under the root's dependent). */
static bool valid_root_last(const NgArcConfig *c, unsigned nlabels, unsigned a) {
  int32_t s0 = s0_of(c), b = c->b;
  if (!c->nstack) return a == NG_ACT_SHIFT && b != 0;
  if (a == NG_ACT_SHIFT) return b != 0;
  if (a == NG_ACT_REDUCE) return c->head[s0] >= 0;
  if (a < NG_ACT_LEFT + nlabels) {
    unsigned l = a - NG_ACT_LEFT;
    if (c->head[s0] >= 0) return false;
    if (b != 0) return l != c->root_label;
    if (l == c->root_label) return !c->root_child;
    return c->root_child || headless_below(c);
  }
  return b != 0 && a - NG_ACT_RIGHT(nlabels) != c->root_label;
}

bool ng_arc_valid(const NgArcConfig *c, unsigned nlabels, unsigned a) {
  if (ng_arc_terminal(c)) return false;
  if (c->root_last) return valid_root_last(c, nlabels, a);
  int32_t s0 = s0_of(c);
  if (a == NG_ACT_SHIFT) return true;
  if (a == NG_ACT_REDUCE) return s0 != 0 && c->head[s0] >= 0;
  if (a < NG_ACT_LEFT + nlabels) {
    unsigned l = a - NG_ACT_LEFT;
    return s0 != 0 && c->head[s0] < 0 && l != c->root_label;
  }
  unsigned l = a - NG_ACT_RIGHT(nlabels);
  if (s0 == 0) return l == c->root_label && c->root_child == 0;
  return l != c->root_label;
}

static void add_arc(NgArcConfig *c, int32_t h, int32_t d, unsigned l) {
  c->head[d] = h;
  c->label[d] = (uint8_t)l;
  if (h == 0 ? c->root_last : d < h) {
    c->ld2[h] = c->ld1[h];
    c->ld1[h] = d;
    if (c->nl[h] < 255) c->nl[h]++;
    c->lset[h] |= 1ull << l;
  } else {
    c->rd2[h] = c->rd1[h];
    c->rd1[h] = d;
    if (c->nr[h] < 255) c->nr[h]++;
    c->rset[h] |= 1ull << l;
  }
  if (h == 0 && l == c->root_label && !c->root_child) c->root_child = d;
}

void ng_arc_apply(NgArcConfig *c, unsigned nlabels, unsigned a) {
  int32_t s0 = s0_of(c);
  if (a == NG_ACT_SHIFT) {
    c->stack[c->nstack++] = c->b;
    c->b = next_of(c, c->b);
  } else if (a == NG_ACT_REDUCE) {
    c->nstack--;
  } else if (a < NG_ACT_LEFT + nlabels) {
    add_arc(c, c->b, s0, a - NG_ACT_LEFT);
    c->nstack--;
  } else {
    add_arc(c, s0, c->b, a - NG_ACT_RIGHT(nlabels));
    c->stack[c->nstack++] = c->b;
    c->b = next_of(c, c->b);
  }
}

void ng_arc_finish(NgArcConfig *c, const bool *punct, uint8_t punct_label, uint8_t other_label) {
  if (c->root_last) { /* the root's dependents but its first go under that one */
    for (int32_t d = 1; d <= c->n; ++d)
      if (c->head[d] == 0 && d != c->root_child) {
        c->head[d] = c->root_child;
        if (c->label[d] == c->root_label) c->label[d] = punct[d] ? punct_label : other_label;
      }
    return;
  }
  for (int32_t k = 1; k < c->nstack; ++k) {
    int32_t s = c->stack[k];
    if (c->head[s] >= 0) continue;
    if (!c->root_child) add_arc(c, 0, s, c->root_label);
    else add_arc(c, c->root_child, s, punct[s] ? punct_label : other_label);
  }
  c->nstack = 1;
}

/* ------------------------------------------------------------ the beam */

NgStatus ng_beam_reserve(NgBeam *b, unsigned width, int32_t n) {
  if (width < 1) width = 1;
  if (width > NG_BEAM_MAX) width = NG_BEAM_MAX;
  if (b->conf && width <= b->width && n <= b->cap) return NG_SUCCESS;
  unsigned w = width > b->width ? width : b->width;
  int32_t cap = n > b->cap ? n : b->cap;
  NgBeam nb = {0};
  nb.width = w;
  nb.cap = cap;
  nb.conf = calloc(w, sizeof *nb.conf);
  nb.spare = calloc(w, sizeof *nb.spare);
  nb.item = calloc(w, sizeof *nb.item);
  nb.cand = calloc(w, sizeof *nb.cand);
  bool ok = nb.conf && nb.spare && nb.item && nb.cand;
  for (unsigned i = 0; ok && i < w; ++i)
    ok = !ng_arc_config_init(&nb.conf[i], cap) && !ng_arc_config_init(&nb.spare[i], cap);
  if (!ok) {
    ng_beam_free(&nb);
    return NG_ERR_NOMEM;
  }
  ng_beam_free(b);
  *b = nb;
  return NG_SUCCESS;
}

void ng_beam_free(NgBeam *b) {
  if (!b) return;
  for (unsigned i = 0; i < b->width; ++i) {
    if (b->conf) ng_arc_config_free(&b->conf[i]);
    if (b->spare) ng_arc_config_free(&b->spare[i]);
  }
  free(b->conf);
  free(b->spare);
  free(b->item);
  free(b->cand);
  memset(b, 0, sizeof *b);
}

void ng_beam_start(NgBeam *b, int32_t n, uint8_t root_label) {
  b->conf[0].root_last = b->root_last;
  ng_arc_config_start(&b->conf[0], n, root_label);
  b->item[0] = (NgBeamItem){0, -1, NG_BEAM_HOLD, 1};
  b->nitems = 1;
  b->ncand = 0;
}

/* Into the sorted candidates if among the best width; equal scores keep
 * the earlier candidate first. */
static void beam_offer(NgBeam *b, int64_t score, int32_t parent, unsigned action) {
  unsigned n = b->ncand;
  if (n == b->width && score <= b->cand[n - 1].score) return;
  unsigned at = n < b->width ? n : n - 1;
  while (at > 0 && b->cand[at - 1].score < score) {
    if (at < b->width) b->cand[at] = b->cand[at - 1];
    at--;
  }
  b->cand[at] = (NgBeamItem){score, parent, (uint16_t)action, 0};
  if (n < b->width) b->ncand++;
}

bool ng_beam_expand(NgBeam *b, unsigned nlabels, const NgParseTok *toks, NgBeamScore score,
                    const void *ctx, uint64_t *feats, int32_t *scores) {
  bool moved = false;
  b->ncand = 0;
  for (unsigned i = 0; i < b->nitems; ++i) {
    const NgArcConfig *c = &b->conf[i];
    int64_t base = b->item[i].score;
    if (ng_arc_terminal(c)) {
      beam_offer(b, base, (int32_t)i, NG_BEAM_HOLD);
      continue;
    }
    moved = true;
    score(ctx, feats, ng_parser_features(c, toks, feats), scores);
    if (c->root_last) {
      for (unsigned a = 0; a < NG_ACT_COUNT(nlabels); ++a)
        if (ng_arc_valid(c, nlabels, a)) beam_offer(b, base + scores[a], (int32_t)i, a);
      continue;
    }
    /* validity once per kind of action, as ng_arc_valid decides it */
    int32_t s0 = s0_of(c);
    bool headless = s0 != 0 && c->head[s0] < 0;
    beam_offer(b, base + scores[NG_ACT_SHIFT], (int32_t)i, NG_ACT_SHIFT);
    if (s0 != 0 && !headless)
      beam_offer(b, base + scores[NG_ACT_REDUCE], (int32_t)i, NG_ACT_REDUCE);
    if (headless)
      for (unsigned l = 0; l < nlabels; ++l)
        if (l != c->root_label)
          beam_offer(b, base + scores[NG_ACT_LEFT + l], (int32_t)i, NG_ACT_LEFT + l);
    unsigned right = NG_ACT_RIGHT(nlabels);
    if (s0 == 0) {
      if (!c->root_child)
        beam_offer(b, base + scores[right + c->root_label], (int32_t)i, right + c->root_label);
    } else {
      for (unsigned l = 0; l < nlabels; ++l)
        if (l != c->root_label) beam_offer(b, base + scores[right + l], (int32_t)i, right + l);
    }
  }
  return moved;
}

void ng_beam_commit(NgBeam *b, unsigned nlabels) {
  for (unsigned j = 0; j < b->ncand; ++j) {
    const NgBeamItem *it = &b->cand[j];
    ng_arc_config_assign(&b->spare[j], &b->conf[it->parent]);
    if (it->action != NG_BEAM_HOLD) ng_arc_apply(&b->spare[j], nlabels, it->action);
  }
  NgArcConfig *t = b->conf;
  b->conf = b->spare;
  b->spare = t;
  NgBeamItem *items = b->item;
  b->item = b->cand;
  b->cand = items;
  b->nitems = b->ncand;
  b->ncand = 0;
}

/* ------------------------------------------------------- the oracle */

unsigned ng_arc_cost(const NgArcConfig *c, unsigned nlabels, const int32_t *gh, const uint8_t *gl,
                     unsigned a) {
  int32_t s = s0_of(c), b = c->b, n = c->n;
  int32_t bw = b == 0 ? n + 1 : b; /* the first word in the buffer */
  int32_t pb = pos_of(c, b);
  unsigned cost = 0;
  if (c->root_last && b == 0 && a >= NG_ACT_LEFT && a < NG_ACT_LEFT + nlabels) {
    /* the root takes s; with the label root, the other words whose head is the root lose it */
    unsigned l = a - NG_ACT_LEFT;
    if (gh[s] == 0 && gl[s] != l && !c->root_child) cost++; /* (else lost already) */
    if (l == c->root_label && gh[s] != 0)
      for (int32_t k = 0; k + 1 < c->nstack; ++k)
        cost += gh[c->stack[k]] == 0 && c->head[c->stack[k]] < 0;
    return cost;
  }
  if (a == NG_ACT_SHIFT) {
    /* b loses its head and its dependents in the stack */
    for (int32_t k = 0; k < c->nstack; ++k) {
      int32_t x = c->stack[k];
      if (gh[b] == x && (x != 0 || !c->root_child)) cost++;
      if (x != 0 && gh[x] == b && c->head[x] < 0) cost++;
    }
  } else if (a == NG_ACT_REDUCE) {
    for (int32_t d = bw; d <= n; ++d)
      cost += gh[d] == s;
  } else if (a < NG_ACT_LEFT + nlabels) {
    /* s loses its head and dependents in the buffer, but b as head */
    for (int32_t d = bw; d <= n; ++d)
      cost += gh[d] == s;
    if (gh[s] >= 0 && pos_of(c, gh[s]) > pb) cost++;
    if (gh[s] == b && gl[s] != a - NG_ACT_LEFT) cost++;
  } else {
    /* b loses every other head and its dependents in the stack; the root
     * takes one dependent only, so a wrong one loses the right one */
    if (gh[b] != s) {
      if (gh[b] >= 0 && pos_of(c, gh[b]) > pb) cost++;
      if (s == 0)
        for (int32_t d = b + 1; d <= n; ++d) cost += gh[d] == 0;
      for (int32_t k = 0; k < c->nstack; ++k)
        if (gh[b] == c->stack[k] && (c->stack[k] != 0 || !c->root_child)) cost++;
    } else if (gl[b] != a - NG_ACT_RIGHT(nlabels)) {
      cost++;
    }
    for (int32_t k = 0; k < c->nstack; ++k) {
      int32_t x = c->stack[k];
      if (x != 0 && gh[x] == b && c->head[x] < 0) cost++;
    }
  }
  return cost;
}

/* ---------------------------------------------------- projectivity */

/* Does the arc (h, d) cross another arc of head[]? */
static bool crosses(int32_t n, const int32_t *head, int32_t d) {
  int32_t h = head[d], lo = h < d ? h : d, hi = h < d ? d : h;
  for (int32_t k = lo + 1; k < hi; ++k) {
    /* k inside the span: its head must be inside too (or the span's ends) */
    int32_t hk = head[k];
    if (hk < lo || hk > hi) return true;
  }
  (void)n;
  return false;
}

size_t ng_projectivize(int32_t n, int32_t *head) {
  size_t lifted = 0;
  for (bool changed = true; changed;) {
    changed = false;
    /* lift the shortest crossing arc first */
    int32_t best = 0, best_len = 0;
    for (int32_t d = 1; d <= n; ++d) {
      if (head[d] <= 0 || !crosses(n, head, d)) continue;
      int32_t len = abs(head[d] - d);
      if (!best || len < best_len) best = d, best_len = len;
    }
    if (best) {
      head[best] = head[head[best]];
      lifted++;
      changed = true;
    }
  }
  return lifted;
}

/* ------------------------------------------------ parser features */

enum {
  P_S0WP, P_S0W, P_S0P, P_N0WP, P_N0W, P_N0P, P_N1WP, P_N1W, P_N1P, P_N2WP, P_N2W, P_N2P,
  P_S0WPN0WP, P_S0WPN0W, P_S0WN0WP, P_S0WPN0P, P_S0PN0WP, P_S0WN0W, P_S0PN0P, P_N0PN1P,
  P_N0PN1PN2P, P_S0PN0PN1P, P_S0HPS0PN0P, P_S0PS0LPN0P, P_S0PS0RPN0P, P_S0PN0PN0LP,
  P_S0WD, P_S0PD, P_N0WD, P_N0PD, P_S0WN0WD, P_S0PN0PD,
  P_S0WVR, P_S0PVR, P_S0WVL, P_S0PVL, P_N0WVL, P_N0PVL,
  P_S0HW, P_S0HP, P_S0L, P_S0LW, P_S0LP, P_S0LL, P_S0RW, P_S0RP, P_S0RL, P_N0LW, P_N0LP, P_N0LL,
  P_S0H2W, P_S0H2P, P_S0HL, P_S0L2W, P_S0L2P, P_S0L2L, P_S0R2W, P_S0R2P, P_S0R2L, P_N0L2W,
  P_N0L2P, P_N0L2L, P_S0PS0LPS0L2P, P_S0PS0RPS0R2P, P_S0PS0HPS0H2P, P_N0PN0LPN0L2P,
  P_S0WSR, P_S0PSR, P_S0WSL, P_S0PSL, P_N0WSL, P_N0PSL,
  /* beyond Zhang and Nivre: the second stack word, word clusters */
  P_S1W, P_S1P, P_S1PS0P, P_S1PS0PN0P, P_N3P, P_S0C, P_N0C, P_N1C, P_S0CN0C, P_S0PN0C,
  P_S0CN0P, P_S0CN0W, P_S0WN0C, P_S0HC, P_N0LC
};

size_t ng_parser_features(const NgArcConfig *c, const NgParseTok *toks, uint64_t *out) {
  int32_t n = c->n, none = n + 1;
  int32_t s0 = c->nstack ? c->stack[c->nstack - 1] : none;
  int32_t s1 = c->nstack >= 2 ? c->stack[c->nstack - 2] : none;
  int32_t n0 = c->b <= n ? c->b : none;
  int32_t n1 = next_of(c, n0), n2 = next_of(c, n1), n3 = next_of(c, n2);
  int32_t s0h = s0 != none && c->head[s0] >= 0 ? c->head[s0] : none;
  int32_t s0h2 = s0h != none && c->head[s0h] >= 0 ? c->head[s0h] : none;
  int32_t s0l = s0 != none ? c->ld1[s0] : none, s0l2 = s0 != none ? c->ld2[s0] : none;
  int32_t s0r = s0 != none ? c->rd1[s0] : none, s0r2 = s0 != none ? c->rd2[s0] : none;
  int32_t n0l = n0 != none ? c->ld1[n0] : none, n0l2 = n0 != none ? c->ld2[n0] : none;
#define W(x) toks[x].word
#define P(x) ((uint64_t)toks[x].tag)
#define C(x) ((uint64_t)toks[x].cluster)
#define L(x) ((uint64_t)c->label[x])
  uint64_t s0w = W(s0), s0p = P(s0), n0w = W(n0), n0p = P(n0), n1w = W(n1), n1p = P(n1);
  uint64_t n2w = W(n2), n2p = P(n2);
  uint64_t d = 0;
  if (s0 != none && n0 != none) {
    int32_t dist = pos_of(c, n0) - s0;
    d = dist <= 5 ? (uint64_t)dist : dist <= 10 ? 6 : 7;
  }
  uint64_t s0vl = s0 != none ? c->nl[s0] : 0, s0vr = s0 != none ? c->nr[s0] : 0;
  uint64_t n0vl = n0 != none ? c->nl[n0] : 0;
  uint64_t s0sl = s0 != none ? c->lset[s0] : 1ull << 63, s0sr = s0 != none ? c->rset[s0] : 1ull << 63;
  uint64_t n0sl = n0 != none ? c->lset[n0] : 1ull << 63;
  size_t k = 0;
  out[k++] = F2(P_S0WP, s0w, s0p);
  out[k++] = F1(P_S0W, s0w);
  out[k++] = F1(P_S0P, s0p);
  out[k++] = F2(P_N0WP, n0w, n0p);
  out[k++] = F1(P_N0W, n0w);
  out[k++] = F1(P_N0P, n0p);
  out[k++] = F2(P_N1WP, n1w, n1p);
  out[k++] = F1(P_N1W, n1w);
  out[k++] = F1(P_N1P, n1p);
  out[k++] = F2(P_N2WP, n2w, n2p);
  out[k++] = F1(P_N2W, n2w);
  out[k++] = F1(P_N2P, n2p);
  out[k++] = F4(P_S0WPN0WP, s0w, s0p, n0w, n0p);
  out[k++] = F3(P_S0WPN0W, s0w, s0p, n0w);
  out[k++] = F3(P_S0WN0WP, s0w, n0w, n0p);
  out[k++] = F3(P_S0WPN0P, s0w, s0p, n0p);
  out[k++] = F3(P_S0PN0WP, s0p, n0w, n0p);
  out[k++] = F2(P_S0WN0W, s0w, n0w);
  out[k++] = F2(P_S0PN0P, s0p, n0p);
  out[k++] = F2(P_N0PN1P, n0p, n1p);
  out[k++] = F3(P_N0PN1PN2P, n0p, n1p, n2p);
  out[k++] = F3(P_S0PN0PN1P, s0p, n0p, n1p);
  out[k++] = F3(P_S0HPS0PN0P, P(s0h), s0p, n0p);
  out[k++] = F3(P_S0PS0LPN0P, s0p, P(s0l), n0p);
  out[k++] = F3(P_S0PS0RPN0P, s0p, P(s0r), n0p);
  out[k++] = F3(P_S0PN0PN0LP, s0p, n0p, P(n0l));
  out[k++] = F2(P_S0WD, s0w, d);
  out[k++] = F2(P_S0PD, s0p, d);
  out[k++] = F2(P_N0WD, n0w, d);
  out[k++] = F2(P_N0PD, n0p, d);
  out[k++] = F3(P_S0WN0WD, s0w, n0w, d);
  out[k++] = F3(P_S0PN0PD, s0p, n0p, d);
  out[k++] = F2(P_S0WVR, s0w, s0vr);
  out[k++] = F2(P_S0PVR, s0p, s0vr);
  out[k++] = F2(P_S0WVL, s0w, s0vl);
  out[k++] = F2(P_S0PVL, s0p, s0vl);
  out[k++] = F2(P_N0WVL, n0w, n0vl);
  out[k++] = F2(P_N0PVL, n0p, n0vl);
  out[k++] = F1(P_S0HW, W(s0h));
  out[k++] = F1(P_S0HP, P(s0h));
  out[k++] = F1(P_S0L, L(s0));
  out[k++] = F1(P_S0LW, W(s0l));
  out[k++] = F1(P_S0LP, P(s0l));
  out[k++] = F1(P_S0LL, L(s0l));
  out[k++] = F1(P_S0RW, W(s0r));
  out[k++] = F1(P_S0RP, P(s0r));
  out[k++] = F1(P_S0RL, L(s0r));
  out[k++] = F1(P_N0LW, W(n0l));
  out[k++] = F1(P_N0LP, P(n0l));
  out[k++] = F1(P_N0LL, L(n0l));
  out[k++] = F1(P_S0H2W, W(s0h2));
  out[k++] = F1(P_S0H2P, P(s0h2));
  out[k++] = F1(P_S0HL, L(s0h));
  out[k++] = F1(P_S0L2W, W(s0l2));
  out[k++] = F1(P_S0L2P, P(s0l2));
  out[k++] = F1(P_S0L2L, L(s0l2));
  out[k++] = F1(P_S0R2W, W(s0r2));
  out[k++] = F1(P_S0R2P, P(s0r2));
  out[k++] = F1(P_S0R2L, L(s0r2));
  out[k++] = F1(P_N0L2W, W(n0l2));
  out[k++] = F1(P_N0L2P, P(n0l2));
  out[k++] = F1(P_N0L2L, L(n0l2));
  out[k++] = F3(P_S0PS0LPS0L2P, s0p, P(s0l), P(s0l2));
  out[k++] = F3(P_S0PS0RPS0R2P, s0p, P(s0r), P(s0r2));
  out[k++] = F3(P_S0PS0HPS0H2P, s0p, P(s0h), P(s0h2));
  out[k++] = F3(P_N0PN0LPN0L2P, n0p, P(n0l), P(n0l2));
  out[k++] = F2(P_S0WSR, s0w, s0sr);
  out[k++] = F2(P_S0PSR, s0p, s0sr);
  out[k++] = F2(P_S0WSL, s0w, s0sl);
  out[k++] = F2(P_S0PSL, s0p, s0sl);
  out[k++] = F2(P_N0WSL, n0w, n0sl);
  out[k++] = F2(P_N0PSL, n0p, n0sl);
  out[k++] = F1(P_S1W, W(s1));
  out[k++] = F1(P_S1P, P(s1));
  out[k++] = F2(P_S1PS0P, P(s1), s0p);
  out[k++] = F3(P_S1PS0PN0P, P(s1), s0p, n0p);
  out[k++] = F1(P_N3P, P(n3));
  if (C(s0) || C(n0) || C(n1)) {
    out[k++] = F1(P_S0C, C(s0));
    out[k++] = F1(P_N0C, C(n0));
    out[k++] = F1(P_N1C, C(n1));
    out[k++] = F2(P_S0CN0C, C(s0), C(n0));
    out[k++] = F2(P_S0PN0C, s0p, C(n0));
    out[k++] = F2(P_S0CN0P, C(s0), n0p);
    out[k++] = F2(P_S0CN0W, C(s0), n0w);
    out[k++] = F2(P_S0WN0C, s0w, C(n0));
    out[k++] = F1(P_S0HC, C(s0h));
    out[k++] = F1(P_N0LC, C(n0l));
  }
#undef W
#undef P
#undef C
#undef L
  return k;
}
