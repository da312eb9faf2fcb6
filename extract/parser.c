/* parser.c - tag, lemmatise and parse a sentence with a loaded model.
 *
 * Tagging is greedy left to right: each word's tag is the best class of
 * the sum of its features' weight rows (integers throughout), the tags
 * before it among its features and the tag sets of the words after it
 * (the model's word table) standing in for a second pass.  Parsing is the
 * greedy arc-eager parser of parse-features.c, over the predicted tags:
 * about 2n decisions, each the best valid action; or, for a model trained
 * with a beam, the beam search of parse-features.c (the model's width, or
 * the one ng_parser_set_beam gives), about width times the cost.  Lemmas come from the
 * model's exceptions table (what training found the rules get wrong), or
 * from rules over WordNet's lemmas.  Nothing here allocates per word: the
 * state grows to the longest sentence seen and keeps its memory. */
#include "parser.h"

#include <stdlib.h>
#include <string.h>

struct NgParseStateImpl {
  const NgParser *parser;
  size_t cap;            /* words the arrays hold */
  NgParseTok *toks;      /* cap + 2: the root, the words, "none" */
  bool *punct;           /* cap + 2 */
  NgArcConfig config;
  NgBeam beam;           /* the beam's items, allocated by the first beam parse */
  unsigned beam_width;   /* 0: the model's */
  char *lemmas;          /* lemma text made by rules */
  size_t lemmas_cap;
  int32_t scores[NG_ACT_COUNT(NG_PARSE_MAX_LABELS) + NG_PARSE_MAX_TAGS];
  uint64_t feats[NG_PARSE_MAX_FEATURES];
};

/* -------------------------------------------------------------- names */

const char *ng_parser_xpos_name(const NgParser *p, unsigned xpos) {
  return xpos < p->ntags ? p->tag_name[xpos] : "_";
}

const char *ng_parser_deprel_name(const NgParser *p, unsigned deprel) {
  return deprel < p->nlabels ? p->label_name[deprel] : "_";
}

int ng_parser_deprel_id(const NgParser *p, const char *name) {
  for (unsigned k = 0; k < p->nlabels; ++k)
    if (!strcmp(p->label_name[k], name)) return (int)k;
  return -1;
}

unsigned ng_parser_tag_count(const NgParser *p) { return p->ntags; }
unsigned ng_parser_label_count(const NgParser *p) { return p->nlabels; }

/* -------------------------------------------------------------- state */

NgParseState *ng_parse_state_new(const NgParser *parser) {
  NgParseState *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->parser = parser;
  return s;
}

void ng_parse_state_free(NgParseState *s) {
  if (!s) return;
  free(s->toks);
  free(s->punct);
  free(s->lemmas);
  ng_arc_config_free(&s->config);
  ng_beam_free(&s->beam);
  free(s);
}

static NgStatus reserve(NgParseState *s, size_t n) {
  if (n <= s->cap && s->toks) return NG_SUCCESS;
  size_t cap = s->cap ? s->cap : 64;
  while (cap < n) cap *= 2;
  NgParseTok *toks = malloc((cap + 2) * sizeof *toks);
  bool *punct = malloc(cap + 2);
  NgArcConfig config;
  if (!toks || !punct || ng_arc_config_init(&config, (int32_t)cap)) {
    free(toks);
    free(punct);
    return NG_ERR_NOMEM;
  }
  free(s->toks);
  free(s->punct);
  ng_arc_config_free(&s->config);
  s->toks = toks;
  s->punct = punct;
  s->config = config;
  s->cap = cap;
  return NG_SUCCESS;
}

/* ------------------------------------------------------------- tagging */

static void word_facts(const NgWordTable *t, NgParseTok *tok) {
  uint64_t h = tok->word, fp = h >> 32;
  for (uint64_t i = h & t->mask;; i = (i + 1) & t->mask) {
    uint64_t v = t->slots[i];
    if (!v) return;
    if ((v >> 32) == fp) {
      tok->amb = (uint16_t)v;
      tok->cluster = (uint16_t)(v >> 16);
      return;
    }
  }
}

void ng_parse_prepare(const NgParser *p, NgParseTok *toks, size_t n, const NgParseWord *words) {
  for (size_t i = 0; i < n; ++i) {
    ng_parse_tok_init(&toks[i], &words[i]);
    if (i == 0) toks[i].flags |= NG_PTOK_FIRST;
  }
  for (size_t i = 0; i < n; ++i) word_facts(&p->words, &toks[i]);
}

static unsigned best_of(const int32_t *scores, unsigned n) {
  unsigned best = 0;
  for (unsigned k = 1; k < n; ++k)
    if (scores[k] > scores[best]) best = k;
  return best;
}

/* Two passes left to right: the second sees the first's tags of the words
 * after the one it tags, not only its own tags before. */
void ng_parse_tag_tokens(const NgParser *p, NgParseTok *toks, size_t n, uint64_t *feats,
                         int32_t *scores) {
  for (size_t i = 0; i < n; ++i) {
    size_t nf = ng_tagger_features(toks, n, i, feats);
    memset(scores, 0, p->ntags * sizeof *scores);
    ng_weights_score(&p->tagger, feats, nf, scores);
    toks[i].tag = toks[i].tag1 = (uint8_t)best_of(scores, p->ntags);
  }
  for (size_t i = 0; i < n; ++i) {
    size_t nf = ng_tagger2_features(toks, n, i, feats);
    memset(scores, 0, p->ntags * sizeof *scores);
    ng_weights_score(&p->tagger2, feats, nf, scores);
    toks[i].tag = (uint8_t)best_of(scores, p->ntags);
  }
}

/* ------------------------------------------------------------- lemmas */

static const char *lemma_exception(const NgParser *p, uint64_t word, unsigned tag) {
  uint64_t h = ng_lemma_key(word, tag), fp = h >> 32;
  for (uint64_t i = h & p->lemmas.mask;; i = (i + 1) & p->lemmas.mask) {
    uint64_t v = p->lemmas.slots[i];
    if (!v) return NULL;
    if ((v >> 32) == fp) return p->strings + (uint32_t)v;
  }
}

static bool ends_with(const char *s, size_t len, const char *suffix, size_t n) {
  return len > n + 1 && !memcmp(s + len - n, suffix, n);
}

/* Regular inflections undone, for words WordNet does not know. */
static size_t strip_suffix(const char *norm, size_t len, const char *xpos, char *out) {
  memcpy(out, norm, len);
  if (!strcmp(xpos, "NNS") || !strcmp(xpos, "VBZ")) {
    if (ends_with(norm, len, "ies", 3)) return memcpy(out + len - 3, "y", 1), len - 2;
    if (ends_with(norm, len, "sses", 4) || ends_with(norm, len, "ches", 4) ||
        ends_with(norm, len, "shes", 4) || ends_with(norm, len, "xes", 3))
      return len - 2;
    if (ends_with(norm, len, "s", 1) && !ends_with(norm, len, "ss", 2)) return len - 1;
  } else if (!strcmp(xpos, "VBD") || !strcmp(xpos, "VBN")) {
    if (ends_with(norm, len, "ied", 3)) return memcpy(out + len - 3, "y", 1), len - 2;
    if (ends_with(norm, len, "ed", 2)) return len - 2;
  } else if (!strcmp(xpos, "VBG")) {
    if (ends_with(norm, len, "ing", 3)) return len - 3;
  }
  return len;
}

size_t ng_lemma_rule(const NgParseWord *w, const char *xpos, unsigned upos, char *out) {
  if (upos == NG_UPOS_PROPN || upos == NG_UPOS_NUM || upos == NG_UPOS_PUNCT ||
      upos == NG_UPOS_SYM || upos == NG_UPOS_X) {
    memcpy(out, w->form, w->form_len);
    return w->form_len;
  }
  const NgVocab *v = w->vocab;
  const char *lemma = NULL;
  if (xpos[0] == 'V' && xpos[1] == 'B' && xpos[2]) lemma = v ? v->lemma : NULL;
  else if (!strcmp(xpos, "NNS") && v && v->noun_lemma) lemma = v->noun_lemma;
  if (lemma) {
    size_t n = strlen(lemma);
    memcpy(out, lemma, n);
    return n;
  }
  return strip_suffix(w->norm, w->norm_len, xpos, out);
}

static NgStatus lemmatise(const NgParser *p, NgParseState *s, size_t n, const NgParseWord *words,
                          NgParseResult *out) {
  size_t need = 0;
  for (size_t i = 0; i < n; ++i) need += (words[i].form_len > words[i].norm_len ? words[i].form_len
                                                                               : words[i].norm_len) +
                                         64;
  if (need > s->lemmas_cap) {
    char *b = realloc(s->lemmas, need);
    if (!b) return NG_ERR_NOMEM;
    s->lemmas = b;
    s->lemmas_cap = need;
  }
  char *at = s->lemmas;
  for (size_t i = 0; i < n; ++i) {
    const NgParseTok *t = &s->toks[i + 1];
    const char *ex = lemma_exception(p, t->word, t->tag);
    if (ex) {
      out[i].lemma = ex;
      continue;
    }
    size_t len = ng_lemma_rule(&words[i], p->tag_name[t->tag], p->tag_upos[t->tag], at);
    at[len] = '\0';
    out[i].lemma = at;
    at += len + 1;
  }
  return NG_SUCCESS;
}

/* ------------------------------------------------------------- parsing */

/* The best valid action: validity is decided once per kind of action
 * (shift, reduce, left and right arcs; the root's one arc), not per label. */
static unsigned best_action(const NgArcConfig *c, unsigned nlabels, const int32_t *scores) {
  unsigned best = NG_ACT_SHIFT;
  int32_t best_score = scores[NG_ACT_SHIFT];
  int32_t s0 = c->stack[c->nstack - 1];
  bool headless = s0 != 0 && c->head[s0] < 0;
  if (s0 != 0 && !headless && scores[NG_ACT_REDUCE] > best_score)
    best = NG_ACT_REDUCE, best_score = scores[NG_ACT_REDUCE];
  if (headless)
    for (unsigned l = 0; l < nlabels; ++l)
      if (l != c->root_label && scores[NG_ACT_LEFT + l] > best_score)
        best = NG_ACT_LEFT + l, best_score = scores[NG_ACT_LEFT + l];
  const int32_t *right = scores + NG_ACT_RIGHT(nlabels);
  if (s0 == 0) {
    if (!c->root_child && right[c->root_label] > best_score) best = NG_ACT_RIGHT(nlabels) + c->root_label;
  } else {
    for (unsigned l = 0; l < nlabels; ++l)
      if (l != c->root_label && right[l] > best_score)
        best = NG_ACT_RIGHT(nlabels) + l, best_score = right[l];
  }
  return best;
}

/* The best valid action, asking ng_arc_valid of each (the root-last system). */
static unsigned best_valid(const NgArcConfig *c, unsigned nlabels, const int32_t *scores) {
  int best = -1;
  for (unsigned a = 0; a < NG_ACT_COUNT(nlabels); ++a)
    if (ng_arc_valid(c, nlabels, a) && (best < 0 || scores[a] > scores[best])) best = (int)a;
  return (unsigned)best;
}

void ng_parse_run(const NgParser *p, NgArcConfig *c, const NgParseTok *toks, int32_t n,
                  const bool *punct, uint64_t *feats, int32_t *scores) {
  unsigned nactions = NG_ACT_COUNT(p->nlabels);
  c->root_last = p->root_last;
  ng_arc_config_start(c, n, p->root_label);
  while (!ng_arc_terminal(c)) {
    size_t nf = ng_parser_features(c, toks, feats);
    memset(scores, 0, nactions * sizeof *scores);
    ng_weights_score(&p->parser, feats, nf, scores);
    ng_arc_apply(c, p->nlabels,
                 c->root_last ? best_valid(c, p->nlabels, scores)
                              : best_action(c, p->nlabels, scores));
  }
  ng_arc_finish(c, punct, p->punct_label, p->other_label);
}

static void score_rows(const void *ctx, const uint64_t *feats, size_t nf, int32_t *scores) {
  const NgParser *p = ctx;
  memset(scores, 0, NG_ACT_COUNT(p->nlabels) * sizeof *scores);
  ng_weights_score(&p->parser, feats, nf, scores);
}

void ng_parse_run_beam(const NgParser *p, NgBeam *b, NgArcConfig *c, const NgParseTok *toks,
                       int32_t n, const bool *punct, uint64_t *feats, int32_t *scores) {
  b->root_last = p->root_last;
  ng_beam_start(b, n, p->root_label);
  while (ng_beam_expand(b, p->nlabels, toks, score_rows, p, feats, scores))
    ng_beam_commit(b, p->nlabels);
  ng_arc_config_assign(c, &b->conf[0]);
  c->root_last = p->root_last;
  ng_arc_finish(c, punct, p->punct_label, p->other_label);
}

void ng_parser_set_beam(NgParser *p, unsigned width) {
  p->beam = width && width <= NG_BEAM_MAX ? width : p->trained_beam;
}

void ng_parse_state_set_beam(NgParseState *s, unsigned width) {
  s->beam_width = width > NG_BEAM_MAX ? NG_BEAM_MAX : width;
}

static void set_root_token(NgParseTok *t, NgParseTok *none) {
  memset(t, 0, sizeof *t);
  t->word = 0x524F4F54ull;
  t->tag = 253;
  memset(none, 0, sizeof *none);
  none->word = 0x4E4F4E45ull;
  none->tag = 252;
}

static NgStatus tag_sentence(const NgParser *p, NgParseState *s, size_t n,
                             const NgParseWord *words, NgParseResult *out) {
  NgStatus st;
  NG_TRY(st, reserve(s, n));
  set_root_token(&s->toks[0], &s->toks[n + 1]);
  ng_parse_prepare(p, s->toks + 1, n, words);
  ng_parse_tag_tokens(p, s->toks + 1, n, s->feats, s->scores);
  for (size_t i = 0; i < n; ++i) {
    unsigned tag = s->toks[i + 1].tag;
    out[i].xpos = (uint8_t)tag;
    out[i].upos = p->tag_upos[tag];
    out[i].head = 0;
    out[i].deprel = 0;
    out[i].dep = NG_DEP_NONE;
  }
  return lemmatise(p, s, n, words, out);
}

NgStatus ng_parse_tag(const NgParser *p, NgParseState *s, size_t n, const NgParseWord *words,
                      NgParseResult *out) {
  if (!n) return NG_SUCCESS;
  return tag_sentence(p, s, n, words, out);
}

NgStatus ng_parse(const NgParser *p, NgParseState *s, size_t n, const NgParseWord *words,
                  NgParseResult *out) {
  if (!n) return NG_SUCCESS;
  NgStatus st;
  NG_TRY(st, tag_sentence(p, s, n, words, out));
  for (size_t i = 0; i <= n + 1; ++i) s->punct[i] = i >= 1 && i <= n && out[i - 1].upos == NG_UPOS_PUNCT;
  unsigned width = s->beam_width ? s->beam_width : p->beam;
  if (width > 1) {
    /* exactly width items: a beam wider than asked would parse differently */
    if (s->beam.width != width) ng_beam_free(&s->beam);
    NG_TRY(st, ng_beam_reserve(&s->beam, width, (int32_t)s->cap));
    ng_parse_run_beam(p, &s->beam, &s->config, s->toks, (int32_t)n, s->punct, s->feats, s->scores);
  } else {
    ng_parse_run(p, &s->config, s->toks, (int32_t)n, s->punct, s->feats, s->scores);
  }
  for (size_t i = 0; i < n; ++i) {
    out[i].head = s->config.head[i + 1];
    out[i].deprel = s->config.label[i + 1];
    out[i].dep = p->label_dep[out[i].deprel];
  }
  return NG_SUCCESS;
}
