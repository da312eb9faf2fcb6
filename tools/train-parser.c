/* train-parser.c - train the tagger and the dependency parser on a UD
 * treebank and write the model file the library loads (`make model`).
 *
 *   train-parser [--raw TEXT.jsonl] [--min-updates N] [--max-mb MB]
 *                [--tagger-epochs N] [--parser-epochs N] [--folds K] [--prune Q[,Q...]]
 *                [--beam K [--early-update]] [--root-last] [--also-mb MB OUT2.model]...
 *                [--compare-coarse] TRAIN.conllu DEV.conllu OUT.model
 *
 * Method, chosen by measurement on UD English EWT dev (model/scores.txt
 * has the numbers; the table of what each step bought is in bench/RESULTS.md
 * and the report of issue 10):
 *  - tags are (XPOS, UPOS) pairs; an averaged perceptron tags greedily left
 *    to right, then a second pass tags again seeing the first pass's tags
 *    of the words to the right (parse-features.c has the templates): one
 *    pass more costs less than a tenth of a parse;
 *  - word clusters (the exchange algorithm over the BBC corpus and the
 *    training text, --raw) give unknown words the company they keep;
 *  - the parser is trained on jackknifed tags (each tenth of the training
 *    set tagged by a tagger trained on the other nine), so that it learns
 *    from tags as wrong as the ones it will see;
 *  - the parser is a greedy arc-eager averaged perceptron trained with the
 *    dynamic oracle and exploration (Goldberg and Nivre 2012) on
 *    projectivised trees; the epoch with the best development LAS wins.
 *    Greedy, because the extractor must parse a million words in a
 *    second or two; a beam would multiply the cost by its width;
 *  - or, with --beam K, the same transitions and features searched with a
 *    beam of K and trained globally (structured perceptron, max-violation
 *    or early update; parse_train_beam); the width is written into the
 *    model, the runtime parses with it (ng_parse_state_set_beam overrides
 *    it), and the end of a run prints dev scores and speed per width;
 *  - --root-last puts the root after the words (Ballesteros and Nivre
 *    2013): the root takes its dependent once every word is read, so "...,
 *    the minister said." need not attach the reported clause's verb to the
 *    root before it sees "said" (a flag in the model; parse-features.c);
 *  - weights are averaged exactly in integers and quantised to 24-bit fixed
 *    point; features that took part in fewer than --min-updates mistakes
 *    are dropped, and more of them, by the least threshold of mistakes
 *    that fits the model in --max-mb (computed from the rows' sizes, see
 *    least_updates); rows with most classes are stored dense (one vector
 *    add instead of a scatter).  Each epoch is scored for each weight
 *    threshold of --prune (weights nearer zero dropped, in 1/256 of an
 *    update) and, with --also-mb (up to three), for other sizes written to
 *    their own files; the best dev LAS of each size is kept.
 * Everything is deterministic: fixed seeds, integer arithmetic, orders
 * that do not depend on addresses.  The same inputs give the same bytes.
 *
 * Development scores are printed as the runtime computes them: the model
 * is written to memory and loaded with ng_parser_from_memory. */
#include "conllu.h"
#include "parser.h"
#include "pipeline.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --------------------------------------------------------------- corpus */

typedef struct {
  char *form, *norm, *lemma, *xpos, *deprel;
  uint32_t form_len, norm_len;
  const NgVocab *vocab;
  uint8_t upos;       /* gold */
  uint8_t tag;        /* gold tag class */
  uint8_t label;      /* gold label */
  int32_t head;       /* gold head */
} Word;

typedef struct {
  Word *w;
  int32_t n;
  NgParseTok *toks;   /* n + 2: root, words, none */
  int32_t *proj_head; /* n + 2, projectivised gold heads (index 1..n) */
  uint8_t *glabel;    /* n + 2 */
  uint8_t *jk;        /* jackknifed tags, n */
} Sent;

typedef struct {
  Sent *s;
  size_t n;
} Corpus;

typedef struct {
  NgWorld *world;
  NgLexicon *lex;
  NgMap *tag_ids;      /* "XPOS\tUPOS" -> 1 + tag */
  NgMap *xpos_best;    /* XPOS -> 1 + most frequent tag of it */
  NgMap *label_ids;    /* label -> 1 + id */
  unsigned ntags, nlabels;
  char *tag_xpos[NG_PARSE_MAX_TAGS];
  uint8_t tag_upos[NG_PARSE_MAX_TAGS];
  char *label_name[NG_PARSE_MAX_LABELS];
  uint8_t root_label, punct_label, other_label;
  NgMap *amb;          /* norm -> ambiguity class */
  NgMap *clusters;     /* norm -> 1 + word cluster */
  uint64_t rng;
  int tagger_epochs, parser_epochs, folds;
  unsigned beam;     /* the parser's beam width (1: greedy, dynamic oracle) */
  bool root_last;    /* the root after the words (Ballesteros and Nivre 2013) */
  bool early_update; /* beam: update where the gold falls off, not at the largest violation */
} Trainer;

static void die(const char *what) {
  fprintf(stderr, "train-parser: %s\n", what);
  exit(1);
}

static void *xmalloc(size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

static char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) die("out of memory");
  return p;
}

static uint64_t rnd(Trainer *t) {
  uint64_t x = t->rng;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  t->rng = x;
  return x * 0x2545F4914F6CDD1Dull;
}

static void read_corpus(Trainer *t, const char *path, Corpus *c) {
  FILE *in = fopen(path, "r");
  if (!in) {
    fprintf(stderr, "train-parser: %s: %s\n", path, strerror(errno));
    exit(1);
  }
  NgConlluSentence cs = {0};
  unsigned long line = 0;
  size_t cap = 0;
  NgStatus st;
  while ((st = ng_conllu_read(t->world, in, path, &line, &cs)) == NG_SUCCESS) {
    if (!cs.nwords) continue;
    if (c->n == cap) {
      cap = cap ? cap * 2 : 4096;
      c->s = realloc(c->s, cap * sizeof *c->s);
      if (!c->s) die("out of memory");
    }
    Sent *s = &c->s[c->n++];
    memset(s, 0, sizeof *s);
    s->n = (int32_t)cs.nwords;
    s->w = xmalloc(cs.nwords * sizeof *s->w);
    size_t k = 0;
    for (size_t i = 0; i < cs.nlines; ++i) {
      NgConlluLine *l = &cs.lines[i];
      if (l->comment || !l->word) continue;
      Word *w = &s->w[k++];
      w->form = xstrdup(l->field[NG_CONLLU_FORM]);
      w->form_len = (uint32_t)strlen(w->form);
      w->norm = xmalloc(w->form_len * 2 + 8);
      w->norm_len = (uint32_t)ng_normalize_word(w->form, w->form_len, w->norm);
      w->vocab = ng_lexicon_word(t->lex, w->norm, w->norm_len);
      w->lemma = xstrdup(l->field[NG_CONLLU_LEMMA]);
      w->xpos = xstrdup(l->field[NG_CONLLU_XPOS]);
      w->upos = (uint8_t)ng_upos_from_name(l->field[NG_CONLLU_UPOS]);
      w->head = atoi(l->field[NG_CONLLU_HEAD]);
      w->deprel = xstrdup(l->field[NG_CONLLU_DEPREL]);
      w->label = 255;
      w->tag = 255;
    }
  }
  ng_conllu_sentence_free(&cs);
  fclose(in);
  if (st != NG_END) die("cannot read the treebank");
}

/* --------------------------------------------------- tags and labels */

typedef struct {
  char *key;
  size_t count;
} Count;

static void counts_free(Count *c, size_t n) {
  for (size_t i = 0; i < n; ++i) free(c[i].key);
  free(c);
}

static int by_count(const void *a, const void *b) {
  const Count *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->key, y->key);
}

static Count *counts_sorted(NgMap *m, size_t *n) {
  *n = ng_map_size(m);
  Count *c = xmalloc(*n * sizeof *c);
  size_t i = 0, k = 0;
  const char *key;
  size_t len;
  uintptr_t v;
  while (ng_map_next(m, &i, &key, &len, &v)) {
    char *copy = xmalloc(len + 1); /* short keys are not NUL-terminated in the map */
    memcpy(copy, key, len);
    c[k++] = (Count){copy, v};
  }
  qsort(c, *n, sizeof *c, by_count);
  return c;
}

static void count(NgMap *m, const char *key) {
  uintptr_t *slot = ng_map_slot(m, key, strlen(key), NULL);
  if (!slot) die("out of memory");
  ++*slot;
}

enum { MIN_PAIR = 10 };

static void build_tagset(Trainer *t, Corpus *train) {
  NgMap *pairs = ng_map_new(), *labels = ng_map_new();
  char key[256];
  for (size_t i = 0; i < train->n; ++i)
    for (int32_t j = 0; j < train->s[i].n; ++j) {
      Word *w = &train->s[i].w[j];
      snprintf(key, sizeof key, "%s\t%s", w->xpos, ng_upos_name(w->upos));
      count(pairs, key);
      count(labels, w->deprel);
    }
  size_t np, nl;
  Count *pc = counts_sorted(pairs, &np), *lc = counts_sorted(labels, &nl);
  t->tag_ids = ng_map_new();
  t->xpos_best = ng_map_new();
  for (size_t k = 0; k < np; ++k) {
    char *xpos = xstrdup(pc[k].key), *tab = strchr(xpos, '\t');
    *tab = '\0';
    uintptr_t best;
    bool seen = ng_map_get(t->xpos_best, xpos, strlen(xpos), &best);
    if (pc[k].count < MIN_PAIR && seen) {
      free(xpos);
      continue; /* rare pair: its XPOS's most frequent pair stands in */
    }
    if (t->ntags == NG_PARSE_MAX_TAGS) die("too many tags");
    unsigned id = t->ntags++;
    t->tag_xpos[id] = xpos;
    t->tag_upos[id] = (uint8_t)ng_upos_from_name(tab + 1);
    ng_map_put(t->tag_ids, pc[k].key, strlen(pc[k].key), id + 1);
    if (!seen) ng_map_put(t->xpos_best, xpos, strlen(xpos), id + 1);
  }
  if (nl > NG_PARSE_MAX_LABELS) die("too many labels");
  t->label_ids = ng_map_new();
  for (size_t k = 0; k < nl; ++k) {
    t->label_name[k] = xstrdup(lc[k].key);
    ng_map_put(t->label_ids, lc[k].key, strlen(lc[k].key), k + 1);
    if (!strcmp(lc[k].key, "root")) t->root_label = (uint8_t)k;
    if (!strcmp(lc[k].key, "punct")) t->punct_label = (uint8_t)k;
    if (!strcmp(lc[k].key, "parataxis")) t->other_label = (uint8_t)k;
  }
  t->nlabels = (unsigned)nl;
  counts_free(pc, np);
  counts_free(lc, nl);
  ng_map_free(pairs);
  ng_map_free(labels);
}

static uint8_t tag_of(Trainer *t, const Word *w) {
  char key[256];
  snprintf(key, sizeof key, "%s\t%s", w->xpos, ng_upos_name(w->upos));
  uintptr_t id;
  if (ng_map_get(t->tag_ids, key, strlen(key), &id)) return (uint8_t)(id - 1);
  if (ng_map_get(t->xpos_best, w->xpos, strlen(w->xpos), &id)) return (uint8_t)(id - 1);
  return 0;
}

static void assign_gold(Trainer *t, Corpus *c) {
  for (size_t i = 0; i < c->n; ++i)
    for (int32_t j = 0; j < c->s[i].n; ++j) {
      Word *w = &c->s[i].w[j];
      uintptr_t id;
      w->label = ng_map_get(t->label_ids, w->deprel, strlen(w->deprel), &id) ? (uint8_t)(id - 1) : 0;
      w->tag = tag_of(t, w);
    }
}


static int by_key(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* ------------------------------------------------------- word clusters */

/* Word classes learned from raw text by the exchange algorithm (Kneser and
 * Ney 1993; Martin, Liermann and Ney 1998): each word in turn moves to the
 * class that most raises the likelihood of a class bigram model of the
 * text, until few move.  Words the treebank never shows get the class of
 * words used like them, which the tagger and parser then see.  The text:
 * the BBC corpus tokenized as extraction tokenizes it, and the treebank's
 * training sentences.  Deterministic: words in frequency order, ties to the
 * lowest class. */
enum { NCLUSTERS = 256, CLUSTER_MIN = 3, CLUSTER_ITERATIONS = 8 };

typedef struct {
  NgMap *ids;         /* norm -> 1 + id */
  char **norms;
  uint64_t *count;
  size_t n, cap;
  uint32_t *text;     /* word ids, 0 between sentences */
  size_t len, textcap;
} Raw;

static uint32_t raw_word(Raw *r, const char *norm, size_t len) {
  bool inserted;
  uintptr_t *slot = ng_map_slot(r->ids, norm, len, &inserted);
  if (!slot) die("out of memory");
  if (inserted) {
    if (r->n == r->cap) {
      r->cap = r->cap ? r->cap * 2 : 1 << 16;
      r->norms = realloc(r->norms, r->cap * sizeof *r->norms);
      r->count = realloc(r->count, r->cap * sizeof *r->count);
      if (!r->norms || !r->count) die("out of memory");
    }
    r->norms[r->n] = xmalloc(len + 1);
    memcpy(r->norms[r->n], norm, len);
    r->count[r->n] = 0;
    *slot = ++r->n;
  }
  r->count[*slot - 1]++;
  return (uint32_t)*slot;
}

static void raw_push(Raw *r, uint32_t id) {
  if (r->len == r->textcap) {
    r->textcap = r->textcap ? r->textcap * 2 : 1 << 20;
    r->text = realloc(r->text, r->textcap * sizeof *r->text);
    if (!r->text) die("out of memory");
  }
  r->text[r->len++] = id;
}

static void raw_articles(Trainer *t, Raw *r, const char *path) {
  NgStatus st;
  NgReader *reader = ng_reader_new(t->world, path, NG_INPUT_GUESS, &st);
  if (!reader) die("cannot read the raw text");
  NgArticle a;
  NgToken *toks = NULL;
  size_t ntoks = 0, cap = 0;
  while ((st = ng_reader_next(reader, &a)) != NG_END) {
    if (st) continue;
    NgArena arena = NG_ARENA_INIT;
    ntoks = 0;
    if (ng_tokenize(t->lex, a.text, a.text_len, &arena, &toks, &ntoks, &cap)) die("out of memory");
    raw_push(r, 0);
    for (size_t i = 0; i < ntoks; ++i) {
      if (toks[i].flags & NG_TOK_PARA) raw_push(r, 0);
      raw_push(r, raw_word(r, toks[i].norm, toks[i].norm_len));
    }
    ng_arena_free(&arena);
  }
  free(toks);
  ng_reader_free(reader);
}

typedef struct {
  uint32_t *off;      /* CSR: neighbours of word w in [off[w], off[w+1]) */
  uint32_t *nb;
  uint32_t *cnt;
} Adj;

/* Bigram counts of the frequent words (ids 1..nv; the rest are 0). */
static void bigrams(const uint32_t *text, size_t len, uint32_t nv, bool forward, Adj *a) {
  NgMap *pairs = ng_map_new();
  for (size_t i = 0; i + 1 < len; ++i) {
    uint32_t x = text[i], y = text[i + 1];
    if (!x || !y || x > nv || y > nv) continue;
    uint32_t key[2] = {forward ? x : y, forward ? y : x};
    uintptr_t *slot = ng_map_slot(pairs, (const char *)key, sizeof key, NULL);
    ++*slot;
  }
  size_t npairs = ng_map_size(pairs);
  uint64_t *flat = xmalloc((npairs + 1) * 2 * sizeof *flat);
  size_t it = 0, k = 0;
  const char *key;
  size_t klen;
  uintptr_t v;
  while (ng_map_next(pairs, &it, &key, &klen, &v)) {
    uint32_t kk[2];
    memcpy(kk, key, sizeof kk);
    flat[2 * k] = (uint64_t)kk[0] << 32 | kk[1];
    flat[2 * k + 1] = v;
    k++;
  }
  qsort(flat, npairs, 2 * sizeof *flat, by_key);
  a->off = xmalloc((nv + 2) * sizeof *a->off);
  a->nb = xmalloc((npairs + 1) * sizeof *a->nb);
  a->cnt = xmalloc((npairs + 1) * sizeof *a->cnt);
  for (size_t i = 0; i < npairs; ++i) {
    uint32_t w = (uint32_t)(flat[2 * i] >> 32);
    a->off[w + 1]++;
    a->nb[i] = (uint32_t)flat[2 * i];
    a->cnt[i] = (uint32_t)flat[2 * i + 1];
  }
  for (uint32_t w = 1; w <= nv + 1; ++w) a->off[w] += a->off[w - 1];
  free(flat);
  ng_map_free(pairs);
}

static double xlogx(double x) { return x > 0 ? x * log(x) : 0; }

/* The exchange algorithm over words 1..nv with unigram counts uni. */
static void exchange(const Adj *succ, const Adj *pred, const uint64_t *uni, uint32_t nv,
                     uint16_t *cls) {
  enum { C = NCLUSTERS };
  double *n2 = xmalloc(sizeof(double) * C * C), nc[C] = {0};
  for (uint32_t w = 1; w <= nv; ++w) cls[w] = (uint16_t)((w - 1) % C);
  for (uint32_t w = 1; w <= nv; ++w) {
    nc[cls[w]] += (double)uni[w];
    for (uint32_t k = succ->off[w]; k < succ->off[w + 1]; ++k)
      n2[cls[w] * C + cls[succ->nb[k]]] += succ->cnt[k];
  }
  double out[C] = {0}, in[C] = {0};
  uint16_t nzo[C], nzi[C];
  for (int iter = 0; iter < CLUSTER_ITERATIONS; ++iter) {
    size_t moved = 0;
    for (uint32_t w = 1; w <= nv; ++w) {
      unsigned a = cls[w], no = 0, ni = 0;
      double self = 0;
      for (uint32_t k = succ->off[w]; k < succ->off[w + 1]; ++k) {
        uint32_t v = succ->nb[k];
        if (v == w) { self += succ->cnt[k]; continue; }
        unsigned c = cls[v];
        if (!out[c]) nzo[no++] = (uint16_t)c;
        out[c] += succ->cnt[k];
      }
      for (uint32_t k = pred->off[w]; k < pred->off[w + 1]; ++k) {
        uint32_t u = pred->nb[k];
        if (u == w) continue;
        unsigned c = cls[u];
        if (!in[c]) nzi[ni++] = (uint16_t)c;
        in[c] += pred->cnt[k];
      }
      /* take w out of its class */
      for (unsigned j = 0; j < no; ++j) n2[a * C + nzo[j]] -= out[nzo[j]];
      for (unsigned j = 0; j < ni; ++j) n2[nzi[j] * C + a] -= in[nzi[j]];
      n2[a * C + a] -= self;
      nc[a] -= (double)uni[w];
      /* the class it raises the likelihood most in */
      unsigned best = a;
      double best_gain = -1e300;
      for (unsigned b = 0; b < C; ++b) {
        double g = 0;
        for (unsigned j = 0; j < no; ++j) {
          unsigned c = nzo[j];
          if (c == b) continue;
          g += xlogx(n2[b * C + c] + out[c]) - xlogx(n2[b * C + c]);
        }
        for (unsigned j = 0; j < ni; ++j) {
          unsigned c = nzi[j];
          if (c == b) continue;
          g += xlogx(n2[c * C + b] + in[c]) - xlogx(n2[c * C + b]);
        }
        g += xlogx(n2[b * C + b] + out[b] + in[b] + self) - xlogx(n2[b * C + b]);
        g -= 2 * (xlogx(nc[b] + (double)uni[w]) - xlogx(nc[b]));
        if (g > best_gain + 1e-9) best_gain = g, best = b;
      }
      for (unsigned j = 0; j < no; ++j) n2[best * C + nzo[j]] += out[nzo[j]];
      for (unsigned j = 0; j < ni; ++j) n2[nzi[j] * C + best] += in[nzi[j]];
      /* the diagonal: the bigrams within the new class, and w with itself */
      n2[best * C + best] += self;
      nc[best] += (double)uni[w];
      moved += best != a;
      cls[w] = (uint16_t)best;
      for (unsigned j = 0; j < no; ++j) out[nzo[j]] = 0;
      for (unsigned j = 0; j < ni; ++j) in[nzi[j]] = 0;
    }
    fprintf(stderr, "  clusters: pass %d, %zu words moved\n", iter + 1, moved);
    if (moved < nv / 200) break;
  }
  free(n2);
}

/* Clusters of every word seen CLUSTER_MIN times in the raw text, into
 * t->clusters (norm -> 1 + class). */
static void build_clusters(Trainer *t, Corpus *train, const char *raw_path) {
  Raw r = {0};
  r.ids = ng_map_new();
  raw_articles(t, &r, raw_path);
  for (size_t i = 0; i < train->n; ++i) {
    raw_push(&r, 0);
    for (int32_t j = 0; j < train->s[i].n; ++j)
      raw_push(&r, raw_word(&r, train->s[i].w[j].norm, train->s[i].w[j].norm_len));
  }
  /* renumber: frequent words 1..nv by count (then spelling), the rest 0 */
  uint32_t *order = xmalloc(r.n * sizeof *order);
  for (uint32_t i = 0; i < r.n; ++i) order[i] = i;
  /* insertion into buckets by count would do; qsort with the counts at hand */
  Count *c = xmalloc(r.n * sizeof *c);
  for (uint32_t i = 0; i < r.n; ++i) c[i] = (Count){r.norms[i], r.count[i]};
  qsort(c, r.n, sizeof *c, by_count);
  NgMap *rank = ng_map_new();
  uint32_t nv = 0;
  for (uint32_t i = 0; i < r.n && c[i].count >= CLUSTER_MIN; ++i)
    ng_map_put(rank, c[i].key, strlen(c[i].key), ++nv);
  uint64_t *uni = xmalloc((nv + 1) * sizeof *uni);
  uint32_t *remap = xmalloc((r.n + 1) * sizeof *remap);
  for (uint32_t i = 0; i < r.n; ++i) {
    uintptr_t v = 0;
    ng_map_get(rank, r.norms[i], strlen(r.norms[i]), &v);
    remap[i + 1] = (uint32_t)v;
    if (v) uni[v] = r.count[i];
  }
  for (size_t i = 0; i < r.len; ++i) r.text[i] = r.text[i] ? remap[r.text[i]] : 0;
  Adj succ, pred;
  bigrams(r.text, r.len, nv, true, &succ);
  bigrams(r.text, r.len, nv, false, &pred);
  uint16_t *cls = xmalloc((nv + 1) * sizeof *cls);
  fprintf(stderr, "  clusters: %zu tokens, %u words\n", r.len, nv);
  exchange(&succ, &pred, uni, nv, cls);
  t->clusters = ng_map_new();
  for (uint32_t i = 0; i < nv; ++i) ng_map_put(t->clusters, c[i].key, strlen(c[i].key), 1u + cls[i + 1]);
  free(cls);
  free(succ.off), free(succ.nb), free(succ.cnt), free(pred.off), free(pred.nb), free(pred.cnt);
  free(uni);
  free(remap);
  free(order);
  free(c);
  ng_map_free(rank);
  for (size_t i = 0; i < r.n; ++i) free(r.norms[i]);
  free(r.norms);
  free(r.count);
  free(r.text);
  ng_map_free(r.ids);
}

/* ------------------------------------------------- ambiguity classes */

enum { AMB_MIN = 3 };

/* Each word seen AMB_MIN times or more gets the set of its tags, numbered
 * in the order the sets first occur. */
static void build_amb(Trainer *t, Corpus *train) {
  NgMap *tagsets = ng_map_new(); /* norm -> pointer to a 128-bit set + count */
  typedef struct {
    uint64_t bits[2];
    size_t count;
  } Set;
  size_t nwords = 0;
  for (size_t i = 0; i < train->n; ++i)
    for (int32_t j = 0; j < train->s[i].n; ++j) {
      Word *w = &train->s[i].w[j];
      bool inserted;
      uintptr_t *slot = ng_map_slot(tagsets, w->norm, w->norm_len, &inserted);
      if (inserted) *slot = (uintptr_t)xmalloc(sizeof(Set)), nwords++;
      Set *set = (Set *)*slot;
      set->bits[w->tag >> 6] |= 1ull << (w->tag & 63);
      set->count++;
    }
  NgMap *classes = ng_map_new();
  t->amb = ng_map_new();
  unsigned nclasses = 0;
  /* in corpus order, so that class numbers do not depend on the map */
  for (size_t i = 0; i < train->n; ++i)
    for (int32_t j = 0; j < train->s[i].n; ++j) {
      Word *w = &train->s[i].w[j];
      uintptr_t v;
      if (ng_map_get(t->amb, w->norm, w->norm_len, &v)) continue;
      ng_map_get(tagsets, w->norm, w->norm_len, &v);
      Set *set = (Set *)v;
      uintptr_t cls = 0;
      if (set->count >= AMB_MIN) {
        if (!ng_map_get(classes, (const char *)set->bits, sizeof set->bits, &cls)) {
          cls = ++nclasses;
          ng_map_put(classes, (const char *)set->bits, sizeof set->bits, cls);
        }
      }
      ng_map_put(t->amb, w->norm, w->norm_len, cls);
    }
  size_t it = 0;
  const char *key;
  size_t len;
  uintptr_t v;
  while (ng_map_next(tagsets, &it, &key, &len, &v)) free((void *)v);
  ng_map_free(tagsets);
  ng_map_free(classes);
  fprintf(stderr, "  %zu word types, %u ambiguity classes\n", nwords, nclasses);
}

static void prepare_tokens(Trainer *t, Corpus *c) {
  for (size_t i = 0; i < c->n; ++i) {
    Sent *s = &c->s[i];
    s->toks = xmalloc((size_t)(s->n + 2) * sizeof *s->toks);
    s->proj_head = xmalloc((size_t)(s->n + 2) * sizeof *s->proj_head);
    s->glabel = xmalloc((size_t)(s->n + 2));
    s->jk = xmalloc((size_t)s->n + 1);
    memset(&s->toks[0], 0, sizeof s->toks[0]);
    s->toks[0].word = 0x524F4F54ull;
    s->toks[0].tag = 253;
    s->toks[s->n + 1].word = 0x4E4F4E45ull;
    s->toks[s->n + 1].tag = 252;
    for (int32_t j = 0; j < s->n; ++j) {
      Word *w = &s->w[j];
      NgParseWord pw = {w->form, w->norm, w->form_len, w->norm_len, w->vocab};
      NgParseTok *tok = &s->toks[j + 1];
      ng_parse_tok_init(tok, &pw);
      if (j == 0) tok->flags |= NG_PTOK_FIRST;
      uintptr_t v;
      if (ng_map_get(t->amb, w->norm, w->norm_len, &v)) tok->amb = (uint16_t)v;
      if (t->clusters && ng_map_get(t->clusters, w->norm, w->norm_len, &v)) tok->cluster = (uint16_t)v;
      s->proj_head[j + 1] = w->head;
      s->glabel[j + 1] = w->label;
    }
    s->proj_head[0] = -1;
    s->proj_head[s->n + 1] = -1;
    ng_projectivize(s->n, s->proj_head);
  }
}

/* ------------------------------------------------ the perceptron */

typedef struct {
  int32_t w;
  uint32_t cls;
  int64_t total;  /* sum of w over the instances up to stamp */
  int64_t stamp;
} TEntry;

typedef struct {
  uint64_t key;
  TEntry *e;
  uint32_t n, cap;
  uint32_t updates;  /* mistakes the feature took part in (twice each) */
} TRow;

typedef struct {
  TRow *rows;
  size_t cap, size;
  int64_t now;   /* instances seen */
  unsigned nclasses;
} TModel;

static void tm_init(TModel *m, unsigned nclasses) {
  memset(m, 0, sizeof *m);
  m->cap = 1 << 16;
  m->rows = xmalloc(m->cap * sizeof *m->rows);
  m->nclasses = nclasses;
}

static void tm_free(TModel *m) {
  for (size_t i = 0; i < m->cap; ++i) free(m->rows[i].e);
  free(m->rows);
  memset(m, 0, sizeof *m);
}

static TRow *tm_slot(TRow *rows, size_t cap, uint64_t key) {
  for (size_t i = key & (cap - 1);; i = (i + 1) & (cap - 1))
    if (rows[i].key == key || !rows[i].key) return &rows[i];
}

static TRow *tm_find(const TModel *m, uint64_t key) {
  key = key ? key : 1;
  TRow *r = tm_slot(m->rows, m->cap, key);
  return r->key ? r : NULL;
}

static TRow *tm_insert(TModel *m, uint64_t key) {
  key = key ? key : 1;
  if ((m->size + 1) * 2 > m->cap) {
    size_t cap = m->cap * 2;
    TRow *rows = xmalloc(cap * sizeof *rows);
    for (size_t i = 0; i < m->cap; ++i)
      if (m->rows[i].key) *tm_slot(rows, cap, m->rows[i].key) = m->rows[i];
    free(m->rows);
    m->rows = rows;
    m->cap = cap;
  }
  TRow *r = tm_slot(m->rows, m->cap, key);
  if (!r->key) {
    r->key = key;
    m->size++;
  }
  return r;
}

static void tm_score(const TModel *m, const uint64_t *f, size_t nf, int32_t *scores) {
  memset(scores, 0, m->nclasses * sizeof *scores);
  for (size_t k = 0; k < nf; ++k) {
    const TRow *r = tm_find(m, f[k]);
    if (!r) continue;
    for (uint32_t j = 0; j < r->n; ++j) scores[r->e[j].cls] += r->e[j].w;
  }
}

static void tm_update(TModel *m, const uint64_t *f, size_t nf, unsigned cls, int32_t delta) {
  for (size_t k = 0; k < nf; ++k) {
    TRow *r = tm_insert(m, f[k]);
    r->updates++;
    uint32_t j = 0;
    while (j < r->n && r->e[j].cls != cls) j++;
    if (j == r->n) {
      if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 2;
        r->e = realloc(r->e, r->cap * sizeof *r->e);
        if (!r->e) die("out of memory");
      }
      r->e[r->n++] = (TEntry){0, cls, 0, m->now};
    }
    TEntry *e = &r->e[j];
    e->total += (int64_t)e->w * (m->now - e->stamp);
    e->stamp = m->now;
    e->w += delta;
  }
}

enum { SCALE = 256 };

/* The averaged weight in 24-bit fixed point, rounded to nearest. */
static int32_t tm_average(const TModel *m, const TEntry *e) {
  if (!m->now) return 0;
  __int128 total = (__int128)e->total + (__int128)e->w * (m->now - e->stamp);
  __int128 num = total * SCALE, den = m->now;
  __int128 q = num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
  if (q > 0x7FFFFF) q = 0x7FFFFF;
  if (q < -0x7FFFFF) q = -0x7FFFFF;
  return (int32_t)q;
}

/* ----------------------------------------------------- model writing */

typedef struct Table {
  uint64_t *slots;
  size_t nslots;
  uint32_t *rows;
  size_t nrows, caprows;
  size_t features;
} Table;

static size_t pow2_for(size_t n) {
  size_t cap = 16;
  while (cap * 5 < n * 8) cap *= 2; /* load at most 5/8 */
  return cap;
}

static void row_push(Table *t, uint32_t v) {
  if (t->nrows == t->caprows) {
    t->caprows = t->caprows ? t->caprows * 2 : 1 << 16;
    t->rows = realloc(t->rows, t->caprows * sizeof *t->rows);
    if (!t->rows) die("out of memory");
  }
  t->rows[t->nrows++] = v;
}

static void slot_put(uint64_t *slots, size_t nslots, uint64_t key, uint64_t value) {
  uint64_t fp = key >> 32;
  for (size_t i = key & (nslots - 1);; i = (i + 1) & (nslots - 1)) {
    if (!slots[i]) {
      slots[i] = fp << 32 | value;
      return;
    }
    if ((slots[i] >> 32) == fp) return; /* 64-bit collision in practice never; first wins */
  }
}


/* Quantise, prune, and lay out a weight table (rows in key order). */
static void table_build(const TModel *m, int32_t prune, uint32_t min_updates, Table *t) {
  memset(t, 0, sizeof *t);
  uint64_t *keys = xmalloc((m->size + 1) * sizeof *keys);
  size_t nk = 0;
  for (size_t i = 0; i < m->cap; ++i)
    if (m->rows[i].key) keys[nk++] = m->rows[i].key;
  qsort(keys, nk, sizeof *keys, by_key);
  row_push(t, 0); /* offset 0 means "empty" */
  uint64_t *offsets = xmalloc((nk + 1) * sizeof *offsets);
  size_t kept = 0;
  for (size_t k = 0; k < nk; ++k) {
    const TRow *r = tm_find(m, keys[k]);
    if (r->updates < min_updates) {
      offsets[k] = 0;
      continue;
    }
    size_t at = t->nrows;
    row_push(t, 0);
    uint32_t count = 0;
    int32_t dense[256] = {0};
    /* classes in order, so that rows do not depend on update order */
    for (unsigned cls = 0; cls < m->nclasses; ++cls)
      for (uint32_t j = 0; j < r->n; ++j) {
        if (r->e[j].cls != cls) continue;
        int32_t q = tm_average(m, &r->e[j]);
        if (q >= prune || q <= -prune) {
          row_push(t, (uint32_t)q << 8 | cls);
          dense[cls] = q;
          count++;
        }
      }
    if (!count) {
      t->nrows = at;
      offsets[k] = 0;
      continue;
    }
    t->rows[at] = count;
    if (count * 2 >= m->nclasses) { /* most classes: one weight per class */
      t->nrows = at + 1;
      t->rows[at] = NG_ROW_DENSE | m->nclasses;
      for (unsigned cls = 0; cls < m->nclasses; ++cls) row_push(t, (uint32_t)dense[cls]);
    }
    offsets[k] = at;
    kept++;
  }
  t->nslots = pow2_for(kept + 1);
  t->slots = xmalloc(t->nslots * sizeof *t->slots);
  for (size_t k = 0; k < nk; ++k)
    if (offsets[k]) slot_put(t->slots, t->nslots, keys[k], offsets[k]);
  t->features = kept;
  free(keys);
  free(offsets);
}

/* ---------------------------------------------------- fitting a size */

/* Dropping features by a threshold on their mistakes (--min-updates) that
 * grows by half a step each time overshoots the size: the model fell
 * 10-40% short of its budget, and the slot table doubles at 5/8 load, so
 * the features that fit were left out.  Instead the threshold is computed:
 * the bytes each feature's row would take are summed from the most
 * updated down, with the slots the kept count needs, and the least
 * threshold whose whole group fits is taken.  Deterministic: groups of
 * equal update counts are in or out together. */
typedef struct {
  uint32_t updates, words;
} RowCost;

static int by_updates_desc(const void *a, const void *b) {
  const RowCost *x = a, *y = b;
  return x->updates != y->updates ? (x->updates < y->updates ? 1 : -1) : 0;
}

/* The 32-bit words of r's row as table_build lays it out (0: not kept). */
static uint32_t row_words(const TModel *m, const TRow *r, int32_t prune) {
  uint32_t count = 0;
  for (uint32_t j = 0; j < r->n; ++j) {
    int32_t q = tm_average(m, &r->e[j]);
    count += q >= prune || q <= -prune;
  }
  if (!count) return 0;
  return 1 + (count * 2 >= m->nclasses ? m->nclasses : count);
}

static size_t align64(size_t n);

/* The least threshold >= min_updates whose parser table takes at most
 * budget bytes (slots and rows); UINT32_MAX when none does. */
static uint32_t least_updates(const TModel *m, int32_t prune, uint32_t min_updates, size_t budget) {
  RowCost *c = xmalloc((m->size + 1) * sizeof *c);
  size_t n = 0;
  for (size_t i = 0; i < m->cap; ++i) {
    const TRow *r = &m->rows[i];
    if (!r->key || r->updates < min_updates) continue;
    uint32_t w = row_words(m, r, prune);
    if (w) c[n++] = (RowCost){r->updates, w};
  }
  qsort(c, n, sizeof *c, by_updates_desc);
  size_t kept = 0, words = 1; /* the row at offset 0 */
  uint32_t mu = UINT32_MAX;
  for (size_t i = 0; i < n;) {
    size_t j = i, w = words;
    while (j < n && c[j].updates == c[i].updates) w += c[j++].words;
    size_t bytes = pow2_for(kept + (j - i) + 1) * 8 + align64(w * 4);
    if (bytes > budget) break;
    kept += j - i;
    words = w;
    mu = c[i].updates;
    i = j;
  }
  free(c);
  return mu;
}

static void table_free(Table *t) {
  free(t->slots);
  free(t->rows);
}

typedef struct {
  NgBuf strings;
  uint32_t tags[2 * NG_PARSE_MAX_TAGS], labels[2 * NG_PARSE_MAX_LABELS];
  uint64_t *word_slots, *lemma_slots;
  size_t nword_slots, nlemma_slots;
  const struct Table *tag2;  /* the second tagging pass */
} Extras;

static uint32_t add_string(NgBuf *b, const char *s) {
  uint32_t off = (uint32_t)b->len;
  if (ng_buf_append(b, s, strlen(s) + 1)) die("out of memory");
  return off;
}

static void extras_init(Trainer *t, Extras *x) {
  memset(x, 0, sizeof *x);
  if (ng_buf_append(&x->strings, "", 1)) die("out of memory");
  for (unsigned k = 0; k < t->ntags; ++k) {
    x->tags[2 * k] = add_string(&x->strings, t->tag_xpos[k]);
    x->tags[2 * k + 1] = t->tag_upos[k];
  }
  for (unsigned k = 0; k < t->nlabels; ++k) {
    x->labels[2 * k] = add_string(&x->strings, t->label_name[k]);
    x->labels[2 * k + 1] = ng_dep_from_name(t->label_name[k], strlen(t->label_name[k]));
  }
  /* the word table: ambiguity class and cluster of every word that has one */
  NgMap *facts = ng_map_new();
  size_t it = 0;
  const char *key;
  size_t len;
  uintptr_t v;
  while (ng_map_next(t->amb, &it, &key, &len, &v))
    if (v) *ng_map_slot(facts, key, len, NULL) |= v;
  it = 0;
  while (t->clusters && ng_map_next(t->clusters, &it, &key, &len, &v))
    *ng_map_slot(facts, key, len, NULL) |= v << 16;
  x->nword_slots = pow2_for(ng_map_size(facts) + 1);
  x->word_slots = xmalloc(x->nword_slots * sizeof *x->word_slots);
  uint64_t *keys = xmalloc((ng_map_size(facts) + 1) * 2 * sizeof *keys);
  size_t nk = 0;
  it = 0;
  while (ng_map_next(facts, &it, &key, &len, &v)) {
    keys[2 * nk] = ng_parse_word_hash(key, len);
    keys[2 * nk + 1] = v;
    nk++;
  }
  qsort(keys, nk, 2 * sizeof *keys, by_key);
  for (size_t k = 0; k < nk; ++k)
    slot_put(x->word_slots, x->nword_slots, keys[2 * k], keys[2 * k + 1] & 0xFFFFFFFFu);
  free(keys);
  ng_map_free(facts);
}

static void extras_free(Extras *x) {
  ng_buf_free(&x->strings);
  free(x->word_slots);
  free(x->lemma_slots);
}

static size_t align64(size_t n) { return (n + 63) & ~(size_t)63; }

/* The model file's bytes (malloc'd). */
static unsigned char *model_bytes(Trainer *t, Extras *x, const Table *tag, const Table *parse,
                                  size_t *len) {
  const void *data[NG_SEC_COUNT] = {x->strings.data, x->tags, x->labels, tag->slots, tag->rows,
                                    x->tag2->slots, x->tag2->rows, parse->slots, parse->rows,
                                    x->word_slots, x->lemma_slots};
  size_t size[NG_SEC_COUNT] = {x->strings.len, t->ntags * 8u, t->nlabels * 8u,
                               tag->nslots * 8, tag->nrows * 4, x->tag2->nslots * 8,
                               x->tag2->nrows * 4, parse->nslots * 8, parse->nrows * 4,
                               x->nword_slots * 8, x->nlemma_slots * 8};
  NgModelHeader h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, NG_PARSE_MAGIC, 8);
  h.version = NG_PARSE_MODEL_VERSION;
  h.header_size = sizeof h;
  h.ntags = t->ntags;
  h.nlabels = t->nlabels;
  h.root_label = t->root_label;
  h.punct_label = t->punct_label;
  h.other_label = t->other_label;
  h.flags = (t->beam > 1 ? t->beam : 0) | (t->root_last ? NG_MODEL_ROOT_LAST : 0);
  size_t at = align64(sizeof h);
  for (int k = 0; k < NG_SEC_COUNT; ++k) {
    h.offset[k] = at;
    h.size[k] = size[k];
    at = align64(at + size[k]);
  }
  h.file_size = at;
  unsigned char *out = xmalloc(at);
  for (int k = 0; k < NG_SEC_COUNT; ++k)
    if (size[k]) memcpy(out + h.offset[k], data[k], size[k]);
  h.checksum = ng_parse_checksum(out + sizeof h, at - sizeof h);
  memcpy(out, &h, sizeof h);
  *len = at;
  return out;
}

/* ---------------------------------------------------------- lemmas */

/* (norm, tag) pairs whose most frequent lemma the rules get wrong. */
static void build_lemmas(Trainer *t, Corpus *train, Extras *x) {
  NgMap *seen = ng_map_new(); /* "tag\tnorm\tlemma" -> count */
  char key[1024], rule[1024];
  for (size_t i = 0; i < train->n; ++i)
    for (int32_t j = 0; j < train->s[i].n; ++j) {
      Word *w = &train->s[i].w[j];
      if (w->norm_len + strlen(w->lemma) > 900) continue;
      snprintf(key, sizeof key, "%03u\t%s\t%s", w->tag, w->norm, w->lemma);
      count(seen, key);
    }
  size_t n;
  Count *c = counts_sorted(seen, &n);
  NgMap *done = ng_map_new();
  size_t exceptions = 0;
  uint64_t *entries = xmalloc((n + 1) * 2 * sizeof *entries);
  for (size_t k = 0; k < n; ++k) { /* most frequent lemma of a (tag, norm) first */
    const char *p = c[k].key, *norm = p + 4, *tab = strchr(norm, '\t');
    size_t head = (size_t)(tab - p);
    if (ng_map_get(done, p, head, NULL)) continue;
    ng_map_put(done, p, head, 1);
    unsigned tag = (unsigned)atoi(p);
    size_t norm_len = (size_t)(tab - norm);
    NgParseWord w = {norm, norm, (uint32_t)norm_len, (uint32_t)norm_len,
                     ng_lexicon_word(t->lex, norm, norm_len)};
    /* the rules see the form as written; the table is for lower case */
    size_t rl = ng_lemma_rule(&w, t->tag_xpos[tag], t->tag_upos[tag], rule);
    rule[rl] = '\0';
    if (!strcmp(rule, tab + 1) || t->tag_upos[tag] == NG_UPOS_PROPN) continue;
    entries[2 * exceptions] = ng_lemma_key(ng_parse_word_hash(norm, norm_len), tag);
    entries[2 * exceptions + 1] = add_string(&x->strings, tab + 1);
    exceptions++;
  }
  qsort(entries, exceptions, 2 * sizeof *entries, by_key);
  x->nlemma_slots = pow2_for(exceptions + 1);
  x->lemma_slots = xmalloc(x->nlemma_slots * sizeof *x->lemma_slots);
  for (size_t k = 0; k < exceptions; ++k)
    slot_put(x->lemma_slots, x->nlemma_slots, entries[2 * k], entries[2 * k + 1]);
  fprintf(stderr, "  %zu lemma exceptions\n", exceptions);
  free(entries);
  counts_free(c, n);
  ng_map_free(seen);
  ng_map_free(done);
}

/* ---------------------------------------------------------- the tagger */

typedef size_t (*Features)(const NgParseTok *toks, size_t n, size_t i, uint64_t *out);

static void tag_train_sentence(TModel *m, Sent *s, Features features, uint64_t *f, int32_t *scores) {
  NgParseTok *toks = s->toks + 1;
  if (features == ng_tagger2_features) /* the first pass's tags, as jackknifing gave them */
    for (int32_t i = 0; i < s->n; ++i) toks[i].tag = toks[i].tag1 = s->jk[i];
  for (int32_t i = 0; i < s->n; ++i) {
    size_t nf = features(toks, (size_t)s->n, (size_t)i, f);
    tm_score(m, f, nf, scores);
    unsigned best = 0;
    for (unsigned k = 1; k < m->nclasses; ++k)
      if (scores[k] > scores[best]) best = k;
    unsigned gold = s->w[i].tag;
    if (best != gold) {
      tm_update(m, f, nf, gold, 1);
      tm_update(m, f, nf, best, -1);
    }
    m->now++;
    toks[i].tag = (uint8_t)best;
  }
}

static size_t *order_of(size_t n) {
  size_t *o = xmalloc((n + 1) * sizeof *o);
  for (size_t i = 0; i < n; ++i) o[i] = i;
  return o;
}

static void shuffle(Trainer *t, size_t *o, size_t n) {
  for (size_t i = n; i > 1; --i) {
    size_t j = rnd(t) % i, tmp = o[i - 1];
    o[i - 1] = o[j];
    o[j] = tmp;
  }
}

/* Train a tagger on the sentences not in fold `skip` (-1: all). */
static void train_tagger(Trainer *t, Corpus *c, int skip, Features features, TModel *m) {
  tm_init(m, t->ntags);
  uint64_t f[NG_PARSE_MAX_FEATURES];
  int32_t scores[NG_PARSE_MAX_TAGS];
  size_t *o = order_of(c->n);
  for (int e = 0; e < t->tagger_epochs; ++e) {
    shuffle(t, o, c->n);
    for (size_t k = 0; k < c->n; ++k) {
      if (skip >= 0 && (int)(o[k] % (size_t)t->folds) == skip) continue;
      tag_train_sentence(m, &c->s[o[k]], features, f, scores);
    }
  }
  free(o);
}

/* Tag with averaged weights (the fold held out). */
static void tag_with(const TModel *m, Sent *s, uint8_t *out) {
  uint64_t f[NG_PARSE_MAX_FEATURES];
  int32_t scores[NG_PARSE_MAX_TAGS];
  NgParseTok *toks = s->toks + 1;
  for (int32_t i = 0; i < s->n; ++i) {
    size_t nf = ng_tagger_features(toks, (size_t)s->n, (size_t)i, f);
    memset(scores, 0, m->nclasses * sizeof *scores);
    for (size_t k = 0; k < nf; ++k) {
      const TRow *r = tm_find(m, f[k]);
      if (!r) continue;
      for (uint32_t j = 0; j < r->n; ++j) scores[r->e[j].cls] += tm_average(m, &r->e[j]);
    }
    unsigned best = 0;
    for (unsigned k = 1; k < m->nclasses; ++k)
      if (scores[k] > scores[best]) best = k;
    toks[i].tag = (uint8_t)best;
    out[i] = (uint8_t)best;
  }
}

static void jackknife(Trainer *t, Corpus *c) {
  size_t right = 0, total = 0;
  for (int fold = 0; fold < t->folds; ++fold) {
    TModel m;
    train_tagger(t, c, fold, ng_tagger_features, &m);
    for (size_t i = (size_t)fold; i < c->n; i += (size_t)t->folds) {
      Sent *s = &c->s[i];
      tag_with(&m, s, s->jk);
      for (int32_t j = 0; j < s->n; ++j) right += s->jk[j] == s->w[j].tag, total++;
    }
    tm_free(&m);
    fprintf(stderr, "  fold %d tagged\n", fold);
  }
  fprintf(stderr, "  jackknifed tags: %.2f%% right\n", 100.0 * right / total);
}

/* ---------------------------------------------------------- the parser */

static void parse_train_sentence(Trainer *t, TModel *m, Sent *s, NgArcConfig *c, bool explore,
                                 uint64_t *f, int32_t *scores, unsigned *costs) {
  unsigned L = t->nlabels, nact = NG_ACT_COUNT(L);
  for (int32_t j = 0; j < s->n; ++j) s->toks[j + 1].tag = s->jk[j];
  const int32_t *gh = s->proj_head;
  const uint8_t *gl = s->glabel;
  ng_arc_config_start(c, s->n, t->root_label);
  while (!ng_arc_terminal(c)) {
    size_t nf = ng_parser_features(c, s->toks, f);
    tm_score(m, f, nf, scores);
    int32_t st = c->nstack ? c->stack[c->nstack - 1] : s->n + 1, b = c->b;
    /* the costs of the four kinds of action, then each label's */
    unsigned left = ng_arc_cost(c, L, gh, gl, NG_ACT_LEFT + (gh[st] == b ? gl[st] : 0));
    unsigned right = ng_arc_cost(c, L, gh, gl, NG_ACT_RIGHT(L) + (gh[b] == st ? gl[b] : 0));
    unsigned shift = ng_arc_cost(c, L, gh, gl, NG_ACT_SHIFT);
    unsigned reduce = ng_arc_cost(c, L, gh, gl, NG_ACT_REDUCE);
    int pred = -1, gold = -1;
    unsigned min_cost = ~0u;
    for (unsigned a = 0; a < nact; ++a) {
      if (!ng_arc_valid(c, L, a)) {
        costs[a] = ~0u;
        continue;
      }
      if (a == NG_ACT_SHIFT) costs[a] = shift;
      else if (a == NG_ACT_REDUCE) costs[a] = reduce;
      else if (a < NG_ACT_RIGHT(L)) costs[a] = left + (gh[st] == b && a - NG_ACT_LEFT != gl[st]);
      else costs[a] = right + (gh[b] == st && a - NG_ACT_RIGHT(L) != gl[b]);
      if (c->root_last && b == 0) costs[a] = ng_arc_cost(c, L, gh, gl, a); /* the root's arcs */
      if (costs[a] < min_cost) min_cost = costs[a];
      if (pred < 0 || scores[a] > scores[pred]) pred = (int)a;
    }
    for (unsigned a = 0; a < nact; ++a)
      if (costs[a] == min_cost && (gold < 0 || scores[a] > scores[gold])) gold = (int)a;
    if (costs[pred] > min_cost) {
      tm_update(m, f, nf, (unsigned)gold, 1);
      tm_update(m, f, nf, (unsigned)pred, -1);
    }
    m->now++;
    bool follow = explore && rnd(t) % 10 < 9;
    ng_arc_apply(c, L, (unsigned)(follow ? pred : gold));
  }
}

/* ----------------------------------------------------- the beam parser */

/* Global training of the beam (Zhang and Nivre 2011; Huang, Fayong and
 * Guo 2012): the gold is any item that has lost no gold arc it could keep
 * (each of its actions of the least cost the dynamic oracle gives, so the
 * spurious ambiguity of arc-eager is no error), the
 * best of them while the beam holds one; once none is left the last one is
 * followed alone, by its best zero-cost action.  The update adds the
 * features of the gold's actions and subtracts the beam's best, at the
 * step where the best outscores the gold most (max-violation) or at the
 * first step the gold falls off (early update).  The common prefix of the
 * two sequences cancels and is not replayed into the weights. */
typedef struct {
  NgBeam beam;
  NgBeamItem *hist;    /* per step, the width candidates kept (parent, action) */
  uint16_t *gold_tail; /* the gold's actions after it fell off the beam */
  uint16_t *seq[2];    /* the two sequences of an update */
  NgArcConfig gold, replay;
  size_t steps; /* room in hist for steps */
} BeamTrainer;

static void beam_trainer_init(BeamTrainer *bt, unsigned width, int32_t maxn) {
  memset(bt, 0, sizeof *bt);
  if (ng_beam_reserve(&bt->beam, width, maxn)) die("out of memory");
  bt->steps = (size_t)maxn * 2 + 4;
  bt->hist = xmalloc(bt->steps * width * sizeof *bt->hist);
  bt->gold_tail = xmalloc(bt->steps * sizeof *bt->gold_tail);
  bt->seq[0] = xmalloc(bt->steps * sizeof *bt->seq[0]);
  bt->seq[1] = xmalloc(bt->steps * sizeof *bt->seq[1]);
  if (ng_arc_config_init(&bt->gold, maxn) || ng_arc_config_init(&bt->replay, maxn))
    die("out of memory");
}

static void beam_trainer_free(BeamTrainer *bt) {
  ng_beam_free(&bt->beam);
  free(bt->hist);
  free(bt->gold_tail);
  free(bt->seq[0]);
  free(bt->seq[1]);
  ng_arc_config_free(&bt->gold);
  ng_arc_config_free(&bt->replay);
}

static void score_tm(const void *ctx, const uint64_t *f, size_t nf, int32_t *scores) {
  tm_score(ctx, f, nf, scores);
}

/* The actions of item i at step t, from the first step on, into out; their number. */
static size_t beam_path(const BeamTrainer *bt, size_t t, int32_t i, uint16_t *out) {
  unsigned w = bt->beam.width;
  for (size_t k = t + 1; k-- > 0;) {
    const NgBeamItem *it = &bt->hist[k * w + (size_t)i];
    out[k] = it->action;
    i = it->parent;
  }
  return t + 1;
}

/* The least cost of a valid action of c: 0 but where the gold tree is out
 * of reach (projectivising can give the root a second dependent).  Costs
 * of arcs differ by label only through a wrong gold label, or, with the
 * root last, the root's label: one label of each kind is asked. */
static unsigned least_cost(const Trainer *t, const NgArcConfig *c, const Sent *s) {
  unsigned L = t->nlabels, least = ~0u;
  const int32_t *gh = s->proj_head;
  int32_t s0 = c->nstack ? c->stack[c->nstack - 1] : s->n + 1, b = c->b;
  bool left_gold = gh[s0] == b && ng_arc_valid(c, L, NG_ACT_LEFT + s->glabel[s0]);
  bool right_gold = gh[b] == s0 && ng_arc_valid(c, L, NG_ACT_RIGHT(L) + s->glabel[b]);
  bool left_done = false, right_done = false;
  for (unsigned a = 0; a < NG_ACT_COUNT(L); ++a) {
    bool left = a >= NG_ACT_LEFT && a < NG_ACT_RIGHT(L), right = a >= NG_ACT_RIGHT(L);
    if (left) {
      unsigned l = a - NG_ACT_LEFT;
      bool root_arc = c->root_last && b == 0 && l == t->root_label;
      if (!root_arc && (left_gold ? l != s->glabel[s0] : left_done)) continue;
    } else if (right && (right_gold ? a - NG_ACT_RIGHT(L) != s->glabel[b] : right_done)) {
      continue;
    }
    if (!ng_arc_valid(c, L, a)) continue;
    left_done |= left;
    right_done |= right;
    unsigned cost = ng_arc_cost(c, L, gh, s->glabel, a);
    if (cost < least) least = cost;
    if (!least) break;
  }
  return least;
}

/* The best least-cost action of c (valid, scored by the weights being trained). */
static unsigned gold_action(Trainer *t, const TModel *m, const NgArcConfig *c, const Sent *s,
                            uint64_t *f, int32_t *scores, int32_t *gained) {
  unsigned L = t->nlabels, nact = NG_ACT_COUNT(L), least = least_cost(t, c, s);
  tm_score(m, f, ng_parser_features(c, s->toks, f), scores);
  int best = -1;
  for (unsigned a = 0; a < nact; ++a) {
    if (!ng_arc_valid(c, L, a) || (best >= 0 && scores[a] <= scores[best])) continue;
    if (ng_arc_cost(c, L, s->proj_head, s->glabel, a) == least) best = (int)a;
  }
  if (best < 0) die("no least-cost action");
  *gained = scores[best];
  return (unsigned)best;
}

/* Replay the two sequences from the start, +1 for the gold's features, -1 for the other's. */
static void beam_update(Trainer *t, TModel *m, BeamTrainer *bt, const Sent *s, size_t len,
                        uint64_t *f) {
  unsigned L = t->nlabels;
  size_t first = 0;
  while (first < len && bt->seq[0][first] == bt->seq[1][first])
    first++;
  for (int g = 0; g < 2; ++g) {
    NgArcConfig *c = &bt->replay;
    ng_arc_config_start(c, s->n, t->root_label);
    for (size_t k = 0; k < len; ++k) {
      unsigned a = bt->seq[g][k];
      if (a == NG_BEAM_HOLD) continue;
      if (k >= first) tm_update(m, f, ng_parser_features(c, s->toks, f), a, g == 0 ? 1 : -1);
      ng_arc_apply(c, L, a);
    }
  }
}

static void parse_train_beam(Trainer *t, TModel *m, BeamTrainer *bt, Sent *s, uint64_t *f,
                             int32_t *scores) {
  unsigned L = t->nlabels, w = bt->beam.width;
  NgBeam *b = &bt->beam;
  for (int32_t j = 0; j < s->n; ++j)
    s->toks[j + 1].tag = s->jk[j];
  ng_beam_start(b, s->n, t->root_label);
  int64_t gold_score = 0;
  size_t anchor_t = 0, ntail = 0; /* the gold: item anchor_i of step anchor_t, then the tail */
  int32_t anchor_i = -1;          /* -1: the start */
  bool on_beam = true;
  int64_t max_violation = -1;
  size_t max_t = 0, max_anchor_t = 0, max_tail = 0;
  int32_t max_anchor_i = -1;
  size_t last = 0;
  for (size_t step = 0; ng_beam_expand(b, L, s->toks, score_tm, m, f, scores); ++step) {
    if (step >= bt->steps) die("beam: too many steps");
    unsigned least[NG_BEAM_MAX];
    for (unsigned i = 0; i < b->nitems; ++i)
      least[i] =
          b->item[i].zero && !ng_arc_terminal(&b->conf[i]) ? least_cost(t, &b->conf[i], s) : 0;
    for (unsigned j = 0; j < b->ncand; ++j) {
      NgBeamItem *it = &b->cand[j];
      const NgArcConfig *pc = &b->conf[it->parent];
      it->zero = b->item[it->parent].zero &&
                 (it->action == NG_BEAM_HOLD ||
                  ng_arc_cost(pc, L, s->proj_head, s->glabel, it->action) == least[it->parent]);
      bt->hist[step * w + j] = *it;
    }
    ng_beam_commit(b, L);
    if (on_beam) {
      unsigned j = 0;
      while (j < b->nitems && !b->item[j].zero)
        j++;
      if (j < b->nitems) {
        anchor_t = step, anchor_i = (int32_t)j, gold_score = b->item[j].score;
      } else {
        /* fallen off: follow the last gold item (its configuration is in spare) alone */
        on_beam = false;
        ng_arc_config_assign(&bt->gold, &b->spare[anchor_i < 0 ? 0 : anchor_i]);
      }
    }
    if (!on_beam) {
      uint16_t a = NG_BEAM_HOLD;
      if (!ng_arc_terminal(&bt->gold)) {
        int32_t gained;
        a = (uint16_t)gold_action(t, m, &bt->gold, s, f, scores, &gained);
        gold_score += gained;
        ng_arc_apply(&bt->gold, L, a);
      }
      bt->gold_tail[ntail++] = a;
    }
    last = step;
    /* early update: at the fall, or at the end */
    if (t->early_update && on_beam) continue;
    if (!b->item[0].zero && b->item[0].score - gold_score > max_violation) {
      max_violation = b->item[0].score - gold_score;
      max_t = step, max_anchor_t = anchor_t, max_anchor_i = anchor_i, max_tail = ntail;
    }
    if (t->early_update) break;
  }
  if (t->early_update && on_beam && !b->item[0].zero) {
    max_violation = 0;
    max_t = last, max_anchor_t = anchor_t, max_anchor_i = anchor_i, max_tail = ntail;
  }
  m->now++;
  if (max_violation < 0) return;
  size_t len = beam_path(bt, max_t, 0, bt->seq[1]);
  size_t glen = max_anchor_i < 0 ? 0 : beam_path(bt, max_anchor_t, max_anchor_i, bt->seq[0]);
  memcpy(bt->seq[0] + glen, bt->gold_tail, max_tail * sizeof *bt->gold_tail);
  if (glen + max_tail != len) die("beam: sequences of different lengths");
  beam_update(t, m, bt, s, len, f);
}

/* ------------------------------------------------------- evaluation */

typedef struct {
  size_t words, upos, xpos, lemma, uas, las;
} Scores;

static double now_s(void);

/* Scores of the model on dev with a beam of width (0: the model's); the seconds parsing took. */
static double evaluate(Trainer *t, const unsigned char *model, size_t len, Corpus *dev,
                       unsigned width, Scores *sc) {
  NgStatus st;
  NgParser *p = ng_parser_from_memory(t->world, model, len, "<trained model>", &st);
  if (!p) die("the trained model does not load");
  NgParseState *ps = ng_parse_state_new(p);
  ng_parse_state_set_beam(ps, width);
  double spent = 0;
  memset(sc, 0, sizeof *sc);
  NgParseWord *words = NULL;
  NgParseResult *out = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < dev->n; ++i) {
    Sent *s = &dev->s[i];
    if ((size_t)s->n > cap) {
      cap = (size_t)s->n * 2;
      words = realloc(words, cap * sizeof *words);
      out = realloc(out, cap * sizeof *out);
      if (!words || !out) die("out of memory");
    }
    for (int32_t j = 0; j < s->n; ++j) {
      Word *w = &s->w[j];
      words[j] = (NgParseWord){w->form, w->norm, w->form_len, w->norm_len, w->vocab};
    }
    double t0 = now_s();
    if (ng_parse(p, ps, (size_t)s->n, words, out)) die("parse failed");
    spent += now_s() - t0;
    for (int32_t j = 0; j < s->n; ++j) {
      Word *w = &s->w[j];
      sc->words++;
      sc->upos += out[j].upos == w->upos;
      sc->xpos += !strcmp(ng_parser_xpos_name(p, out[j].xpos), w->xpos);
      sc->lemma += !strcmp(out[j].lemma, w->lemma);
      if (out[j].head == w->head) {
        sc->uas++;
        sc->las += out[j].dep == ng_dep_from_name(w->deprel, strlen(w->deprel));
      }
    }
  }
  free(words);
  free(out);
  ng_parse_state_free(ps);
  ng_parser_free(p);
  return spent;
}

static void print_scores(const char *what, const Scores *s) {
  double n = (double)s->words / 100;
  fprintf(stderr, "  %-18s UPOS %.2f  XPOS %.2f  lemma %.2f  UAS %.2f  LAS %.2f\n", what,
          s->upos / n, s->xpos / n, s->lemma / n, s->uas / n, s->las / n);
}

/* ------------------------------------------------ choosing the model */

/* The best model so far for one size: dev LAS decides, the earlier wins a tie. */
typedef struct {
  unsigned char *model;
  size_t len, las, features;
  int epoch;
  int32_t prune;
  uint32_t mu;
} Kept;

/* Build the model of the parser's weights pruned at prune and mu (more
 * if it does not fit budget), score it on dev, print it, and keep it in
 * k if it beats k (k NULL: print only). */
static void write_file(const char *path, const unsigned char *data, size_t len);

static void try_model(Trainer *t, Extras *x, const Table *tag, const TModel *parser, Corpus *dev,
                      int32_t prune, uint32_t mu, size_t budget, int epoch, double start, Kept *k,
                      const char *path) {
  Table pt;
  size_t len;
  unsigned char *model;
  for (;; ++mu) {
    table_build(parser, prune, mu, &pt);
    model = model_bytes(t, x, tag, &pt, &len);
    if (len <= budget || mu > 100000) break;
    free(model);
    table_free(&pt);
  }
  Scores sc;
  evaluate(t, model, len, dev, 0, &sc);
  char what[96];
  snprintf(what, sizeof what, "epoch %d %zuM p%d (%.0f s, %u+, %zuk f, %.1f MB)%s", epoch,
           budget >> 20, prune, now_s() - start, mu, pt.features / 1000, len / 1e6,
           k ? "" : " coarse");
  print_scores(what, &sc);
  if (k && (!k->model || sc.las > k->las)) {
    free(k->model);
    *k = (Kept){model, len, sc.las, pt.features, epoch, prune, mu};
    write_file(path, model, len); /* the best so far is on disk should the run be stopped */
  } else {
    free(model);
  }
  table_free(&pt);
}

/* ---------------------------------------------------------------- main */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_file(const char *path, const unsigned char *data, size_t len) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *out = fopen(tmp, "wb");
  if (!out || fwrite(data, 1, len, out) != len || fclose(out) || rename(tmp, path)) {
    fprintf(stderr, "train-parser: %s: %s\n", path, strerror(errno));
    exit(1);
  }
}

int main(int argc, char **argv) {
  Trainer t;
  memset(&t, 0, sizeof t);
  t.tagger_epochs = 10;
  t.parser_epochs = 15;
  t.folds = 10;
  t.beam = 1;
  t.rng = 0x9E3779B97F4A7C15ull;
  int32_t prune = 1;
  uint32_t min_updates = 1;
  size_t max_bytes = 16u << 20;
  const char *raw = NULL, *out_path[4] = {NULL};
  size_t budget[4] = {0};
  int nbudgets = 1;
  int32_t prunes[8] = {1};
  int nprunes = 1;
  bool compare_coarse = false;
  int arg = 1;
  for (; arg < argc && argv[arg][0] == '-' && argv[arg][1] == '-'; ++arg) {
    if (!strcmp(argv[arg], "--tagger-epochs") && arg + 1 < argc) t.tagger_epochs = atoi(argv[++arg]);
    else if (!strcmp(argv[arg], "--parser-epochs") && arg + 1 < argc) t.parser_epochs = atoi(argv[++arg]);
    else if (!strcmp(argv[arg], "--folds") && arg + 1 < argc) t.folds = atoi(argv[++arg]);
    else if (!strcmp(argv[arg], "--prune") && arg + 1 < argc) {
      char *p = argv[++arg];
      for (nprunes = 0; nprunes < 8 && *p; ++nprunes) {
        prunes[nprunes] = (int32_t)strtol(p, &p, 10);
        if (prunes[nprunes] < 1 || (*p && *p != ',')) die("--prune: weights 1, 2, ... (comma-separated)");
        p += *p == ',';
      }
      prune = prunes[0];
    } else if (!strcmp(argv[arg], "--also-mb") && arg + 2 < argc && nbudgets < 4) {
      budget[nbudgets] = (size_t)atoi(argv[++arg]) << 20;
      out_path[nbudgets++] = argv[++arg];
    } else if (!strcmp(argv[arg], "--compare-coarse"))
      compare_coarse = true;
    else if (!strcmp(argv[arg], "--raw") && arg + 1 < argc) raw = argv[++arg];
    else if (!strcmp(argv[arg], "--beam") && arg + 1 < argc)
      t.beam = (unsigned)atoi(argv[++arg]);
    else if (!strcmp(argv[arg], "--root-last"))
      t.root_last = true;
    else if (!strcmp(argv[arg], "--early-update"))
      t.early_update = true;
    else if (!strcmp(argv[arg], "--min-updates") && arg + 1 < argc) min_updates = (uint32_t)atoi(argv[++arg]);
    else if (!strcmp(argv[arg], "--max-mb") && arg + 1 < argc) max_bytes = (size_t)atoi(argv[++arg]) << 20;
    else die("unknown option");
  }
  if (t.beam < 1 || t.beam > NG_BEAM_MAX) die("--beam: a width from 1 to 64");
  if (argc - arg != 3) die("usage: train-parser [--raw TEXT.jsonl] [options] TRAIN.conllu DEV.conllu OUT.model");
  double start = now_s();
  NgStatus st;
  t.world = ng_world_new();
  t.lex = ng_lexicon_new(t.world, NULL, &st);
  if (!t.lex) die("cannot build the lexicon");
  Corpus train = {0}, dev = {0};
  read_corpus(&t, argv[arg], &train);
  read_corpus(&t, argv[arg + 1], &dev);
  build_tagset(&t, &train);
  assign_gold(&t, &train);
  assign_gold(&t, &dev);
  fprintf(stderr, "train-parser: %zu training sentences, %u tags, %u labels\n", train.n, t.ntags,
          t.nlabels);
  build_amb(&t, &train);
  if (raw) build_clusters(&t, &train, raw);
  prepare_tokens(&t, &train);
  prepare_tokens(&t, &dev);
  Extras x;
  extras_init(&t, &x);
  build_lemmas(&t, &train, &x);

  fprintf(stderr, "tagger: jackknifing in %d folds (%.0f s)\n", t.folds, now_s() - start);
  jackknife(&t, &train);
  TModel tagger, tagger2;
  train_tagger(&t, &train, -1, ng_tagger_features, &tagger);
  train_tagger(&t, &train, -1, ng_tagger2_features, &tagger2);
  Table tag_table, tag2_table;
  table_build(&tagger, prune, min_updates, &tag_table);
  table_build(&tagger2, prune, min_updates, &tag2_table);
  x.tag2 = &tag2_table;
  fprintf(stderr, "tagger: %zu + %zu features (%.0f s)\n", tag_table.features, tag2_table.features,
          now_s() - start);

  TModel parser;
  tm_init(&parser, NG_ACT_COUNT(t.nlabels));
  NgArcConfig c;
  int32_t maxn = 1;
  for (size_t i = 0; i < train.n; ++i) maxn = train.s[i].n > maxn ? train.s[i].n : maxn;
  if (ng_arc_config_init(&c, maxn)) die("out of memory");
  c.root_last = t.root_last;
  uint64_t f[NG_PARSE_MAX_FEATURES];
  int32_t scores[NG_ACT_COUNT(NG_PARSE_MAX_LABELS)];
  unsigned costs[NG_ACT_COUNT(NG_PARSE_MAX_LABELS)];
  BeamTrainer bt;
  if (t.beam > 1) beam_trainer_init(&bt, t.beam, maxn);
  if (t.beam > 1) bt.beam.root_last = bt.gold.root_last = bt.replay.root_last = t.root_last;
  size_t *o = order_of(train.n);
  /* the model's bytes but the parser's weights: what a budget leaves them */
  Table empty = {0};
  size_t fixed;
  free(model_bytes(&t, &x, &tag_table, &empty, &fixed));
  budget[0] = max_bytes;
  out_path[0] = argv[arg + 2];
  Kept kept[4] = {{0}};
  for (int e = 0; e < t.parser_epochs; ++e) {
    shuffle(&t, o, train.n);
    for (size_t k = 0; k < train.n; ++k) {
      if (t.beam > 1)
        parse_train_beam(&t, &parser, &bt, &train.s[o[k]], f, scores);
      else
        parse_train_sentence(&t, &parser, &train.s[o[k]], &c, e > 0, f, scores, costs);
    }
    for (int b = 0; b < nbudgets; ++b)
      for (int p = 0; p < nprunes; ++p) {
        uint32_t mu = budget[b] > fixed
                          ? least_updates(&parser, prunes[p], min_updates, budget[b] - fixed)
                          : UINT32_MAX;
        if (mu == UINT32_MAX) continue;
        try_model(&t, &x, &tag_table, &parser, &dev, prunes[p], mu, budget[b], e + 1, start,
                  &kept[b], out_path[b]);
      }
    if (compare_coarse) { /* round 4's schedule of thresholds, for comparison: never kept */
      uint32_t mu = min_updates;
      for (;; mu += mu / 2 + 1) {
        Table pt;
        size_t len;
        table_build(&parser, prunes[0], mu, &pt);
        free(model_bytes(&t, &x, &tag_table, &pt, &len));
        table_free(&pt);
        if (len <= max_bytes || mu > 100000) break;
      }
      try_model(&t, &x, &tag_table, &parser, &dev, prunes[0], mu, max_bytes, e + 1, start, NULL,
                NULL);
    }
  }
  for (int b = 0; b < nbudgets; ++b) {
    Kept *k = &kept[b];
    if (!k->model) die("no model fits the size");
    fprintf(stderr,
            "train-parser: %s: epoch %d kept (prune %d, %u+ mistakes, %zu features), "
            "%.1f MB, %.0f s\n",
            out_path[b], k->epoch, k->prune, k->mu, k->features, k->len / 1e6, now_s() - start);
    /* the price of the beam: the kept model's dev scores and speed per width */
    for (unsigned width = 1; width <= 16 && t.beam > 1; width *= 2) {
      Scores sc;
      double spent = evaluate(&t, k->model, k->len, &dev, width, &sc);
      char what[64];
      snprintf(what, sizeof what, "beam %u (%.0f w/s)", width, sc.words / spent);
      print_scores(what, &sc);
    }
    free(k->model);
  }
  if (t.beam > 1) beam_trainer_free(&bt);
  free(o);
  ng_arc_config_free(&c);
  tm_free(&parser);
  tm_free(&tagger);
  tm_free(&tagger2);
  table_free(&tag_table);
  table_free(&tag2_table);
  extras_free(&x);
  ng_lexicon_free(t.lex);
  ng_world_free(t.world);
  return 0;
}
