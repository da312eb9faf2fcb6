/* parsebench.c - the tagger and parser alone, for `make bench`.
 *
 *   parsebench conllu FILE.conllu [RUNS [BEAMS [MODEL]]]   words of a treebank
 *   parsebench articles FILE [RUNS [BEAMS [MODEL]]]        sentences as extraction splits them
 *
 * Everything is read, tokenized and split first; then, for each beam width
 * of BEAMS (a comma-separated list; default 0, the width the model was
 * trained with), the sentences are tagged and parsed RUNS times (default
 * 5) with one thread and with two (each thread its own state, one shared
 * parser; the sentences split in halves by words), and the best wall time
 * of each is printed:
 *
 *   sentences N / words N / beam W threads T tag_s S parse_s S tag_cpu_s S parse_cpu_s S
 *
 * (tag_s: tagging and lemmas only; parse_s: tagging, lemmas and parsing;
 * the _cpu_s ones the process's CPU time, best of the runs; W the width
 * parsed with). */
#include "conllu.h"
#include "parser.h"
#include "pipeline.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  NgParseWord *words;
  size_t n;
} Sentence;

typedef struct {
  Sentence *s;
  size_t n, cap, words;
} Set;

static void add(Set *set, NgParseWord *words, size_t n) {
  if (set->n == set->cap) {
    set->cap = set->cap ? set->cap * 2 : 1024;
    set->s = realloc(set->s, set->cap * sizeof *set->s);
    if (!set->s) exit(1);
  }
  set->s[set->n++] = (Sentence){words, n};
  set->words += n;
}

static char *dup(const char *s, size_t n) {
  char *p = malloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static void read_conllu(NgWorld *world, const NgLexicon *lex, const char *path, Set *set) {
  FILE *in = fopen(path, "r");
  if (!in) exit(1);
  NgConlluSentence cs = {0};
  unsigned long line = 0;
  while (ng_conllu_read(world, in, path, &line, &cs) == NG_SUCCESS) {
    NgParseWord *w = calloc(cs.nwords + 1, sizeof *w);
    size_t k = 0;
    for (size_t i = 0; i < cs.nlines; ++i) {
      if (!cs.lines[i].word) continue;
      const char *form = cs.lines[i].field[NG_CONLLU_FORM];
      size_t len = strlen(form);
      char *norm = malloc(len * 2 + 8);
      size_t nlen = ng_normalize_word(form, len, norm);
      w[k++] = (NgParseWord){dup(form, len), norm, (uint32_t)len, (uint32_t)nlen,
                             ng_lexicon_word(lex, norm, nlen)};
    }
    if (k) add(set, w, k);
  }
  ng_conllu_sentence_free(&cs);
  fclose(in);
}

static void read_articles(NgWorld *world, const NgExtractor *ex, const char *path, Set *set) {
  NgStatus st;
  NgReader *r = ng_reader_new(world, path, NG_INPUT_GUESS, &st);
  if (!r) exit(1);
  NgArticle a;
  while ((st = ng_reader_next(r, &a)) != NG_END) {
    if (st) continue;
    NgDocument *doc = ng_document_segment(ex, &a, &st);
    if (!doc) continue;
    for (size_t i = 0; i < doc->nsents; ++i) {
      const NgSentence *s = &doc->sents[i];
      NgParseWord *w = calloc(s->count + 1, sizeof *w);
      for (size_t j = 0; j < s->count; ++j) {
        const NgToken *t = &doc->tokens[s->first + j];
        w[j] = (NgParseWord){dup(doc->text + t->begin, t->end - t->begin),
                             dup(t->norm, t->norm_len), t->end - t->begin, t->norm_len, t->vocab};
      }
      add(set, w, s->count);
    }
    ng_document_free(doc);
  }
  ng_reader_free(r);
}

typedef struct {
  const NgParser *p;
  const Set *set;
  size_t first, end;
  bool tag_only;
} Job;

static void *run(void *arg) {
  Job *j = arg;
  NgParseState *s = ng_parse_state_new(j->p);
  NgParseResult *out = malloc(4096 * sizeof *out);
  for (size_t i = j->first; i < j->end; ++i) {
    const Sentence *x = &j->set->s[i];
    if (x->n > 4096) continue;
    if (j->tag_only) ng_parse_tag(j->p, s, x->n, x->words, out);
    else ng_parse(j->p, s, x->n, x->words, out);
  }
  free(out);
  ng_parse_state_free(s);
  return NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wall time; *cpu_s gets the process's CPU time (a busy machine's wall
 * times include waiting for a core). */
static double timed(const NgParser *p, const Set *set, int threads, bool tag_only, double *cpu_s) {
  Job jobs[2];
  pthread_t tid[2];
  size_t half = 0, words = 0;
  while (half < set->n && words < set->words / 2) words += set->s[half++].n;
  jobs[0] = (Job){p, set, 0, threads == 1 ? set->n : half, tag_only};
  jobs[1] = (Job){p, set, half, set->n, tag_only};
  double t0 = now(), c0 = cpu();
  if (threads == 1) {
    run(&jobs[0]);
  } else {
    for (int k = 0; k < 2; ++k) pthread_create(&tid[k], NULL, run, &jobs[k]);
    for (int k = 0; k < 2; ++k) pthread_join(tid[k], NULL);
  }
  *cpu_s = cpu() - c0;
  return now() - t0;
}

/* One beam width: the best of runs, one thread and two. */
static void bench_width(const NgParser *p, const Set *set, int runs) {
  for (int threads = 1; threads <= 2; ++threads) {
    double best_tag = 1e30, best_parse = 1e30, cpu_tag = 1e30, cpu_parse = 1e30, c;
    for (int r = 0; r < runs; ++r) {
      double a = timed(p, set, threads, true, &c);
      if (c < cpu_tag) cpu_tag = c;
      double b = timed(p, set, threads, false, &c);
      if (c < cpu_parse) cpu_parse = c;
      if (a < best_tag) best_tag = a;
      if (b < best_parse) best_parse = b;
    }
    printf("beam\t%u\tthreads\t%d\ttag_s\t%.4f\tparse_s\t%.4f\ttag_cpu_s\t%.4f\tparse_cpu_s\t%.4f\n",
           p->beam, threads, best_tag, best_parse, cpu_tag, cpu_parse);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: parsebench (conllu|articles) FILE [RUNS [BEAMS [MODEL]]]\n");
    return 2;
  }
  int runs = argc > 3 ? atoi(argv[3]) : 5;
  const char *beams = argc > 4 ? argv[4] : "0";
  NgStatus st;
  NgWorld *world = ng_world_new();
  NgExtractor *ex = ng_extractor_new(world, NULL, &st);
  double t0 = now();
  NgParser *p = ng_parser_new(world, argc > 5 ? argv[5] : NULL, &st);
  double load = now() - t0;
  if (!ex || !p) return 1;
  Set set = {0};
  if (!strcmp(argv[1], "conllu")) read_conllu(world, ex->lex, argv[2], &set);
  else read_articles(world, ex, argv[2], &set);
  printf("model_load_ms\t%.2f\nsentences\t%zu\nwords\t%zu\n", load * 1e3, set.n, set.words);
  for (const char *b = beams; *b; b += *b == ',') {
    char *end;
    unsigned long width = strtoul(b, &end, 10);
    if (end == b) break;
    b = end;
    ng_parser_set_beam(p, (unsigned)width);
    bench_width(p, &set, runs);
  }
  ng_parser_free(p);
  ng_extractor_free(ex);
  ng_world_free(world);
  return 0;
}
