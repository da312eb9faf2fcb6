/* ngbench.c - in-process measurements for `make bench` that the command
 * line cannot give: how long the lexicon takes to build, and how many
 * sentences and events a corpus has (for sentences/s).
 *
 *   ngbench lexicon [RUNS]   "lexicon_ms MEDIAN", "lexicon_first_ms FIRST",
 *                            "lexicon_cpu_ms MEDIAN" (CPU time)
 *   ngbench extract FILE...  "articles N", "bytes N" (article text),
 *                            "sentences N", "events N", "seconds S"
 *                            (extraction with TSV output to /dev/null, the
 *                            work of `extract --no-store --format tsv`)
 *
 * Uses only the public API (newsgraph.h), like the CLI. */
#include "newsgraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_seconds(void) { return clock_seconds(CLOCK_MONOTONIC); }

/* CPU time of the process: what a busy machine does not inflate. */
static double cpu_seconds(void) { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The first build pays for page faults in the embedded tables; the median
 * of all is what a warm process pays.  Both are printed, in wall time and
 * in CPU time (the median). */
static int bench_lexicon(NgWorld *world, int runs) {
  double ms[64], cpu_ms[64];
  if (runs < 1) runs = 1;
  if (runs > 64) runs = 64;
  for (int i = 0; i < runs; ++i) {
    NgStatus st = NG_SUCCESS;
    double start = now_seconds(), cpu_start = cpu_seconds();
    NgExtractor *ex = ng_extractor_new(world, NULL, &st);
    ms[i] = (now_seconds() - start) * 1e3;
    cpu_ms[i] = (cpu_seconds() - cpu_start) * 1e3;
    if (!ex) {
      fprintf(stderr, "ngbench: cannot build the lexicon: %s\n", ng_strerror(st));
      return 1;
    }
    ng_extractor_free(ex);
  }
  double first = ms[0];
  qsort(ms, (size_t)runs, sizeof ms[0], compare_doubles);
  qsort(cpu_ms, (size_t)runs, sizeof cpu_ms[0], compare_doubles);
  printf("lexicon_ms\t%.2f\nlexicon_first_ms\t%.2f\nlexicon_cpu_ms\t%.2f\n", ms[runs / 2], first,
         cpu_ms[runs / 2]);
  return 0;
}

typedef struct {
  unsigned long articles, sentences, events, failed;
  unsigned long long bytes;
} Counts;

static void extract_file(NgWorld *world, const NgExtractor *ex, const char *path, FILE *sink,
                         Counts *c) {
  NgStatus st = NG_SUCCESS;
  NgReader *reader = ng_reader_new(world, path, NG_INPUT_GUESS, &st);
  if (!reader) {
    c->failed++;
    return;
  }
  NgArticle article;
  for (;;) {
    st = ng_reader_next(reader, &article);
    if (st == NG_END) break;
    if (st == NG_ERR_NOMEM || st == NG_ERR_IO) {
      c->failed++;
      break;
    }
    if (st != NG_SUCCESS) {
      c->failed++;
      continue;
    }
    NgDocument *doc = ng_extract(ex, &article, NULL, &st);
    if (!doc) {
      c->failed++;
      continue;
    }
    ng_document_write_tsv(doc, sink);
    c->articles++;
    c->bytes += article.text_len;
    c->sentences += ng_document_sentence_count(doc);
    c->events += ng_document_event_count(doc);
    ng_document_free(doc);
  }
  ng_reader_free(reader);
}

static int bench_extract(NgWorld *world, int nfiles, char **files) {
  NgStatus st = NG_SUCCESS;
  NgExtractor *ex = ng_extractor_new(world, NULL, &st);
  FILE *sink = fopen("/dev/null", "w");
  if (!ex || !sink) {
    fprintf(stderr, "ngbench: cannot start: %s\n", ng_strerror(st));
    ng_extractor_free(ex);
    if (sink) fclose(sink);
    return 1;
  }
  Counts c;
  memset(&c, 0, sizeof c);
  double start = now_seconds();
  ng_tsv_write_header(sink);
  for (int i = 0; i < nfiles; ++i)
    extract_file(world, ex, files[i], sink, &c);
  double secs = now_seconds() - start;
  fclose(sink);
  ng_extractor_free(ex);
  printf("articles\t%lu\nbytes\t%llu\nsentences\t%lu\nevents\t%lu\nseconds\t%.3f\n", c.articles,
         c.bytes, c.sentences, c.events, secs);
  if (c.failed) fprintf(stderr, "ngbench: %lu articles or files failed\n", c.failed);
  return c.failed ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || (strcmp(argv[1], "lexicon") && (strcmp(argv[1], "extract") || argc < 3))) {
    fprintf(stderr, "usage: ngbench lexicon [RUNS] | ngbench extract FILE...\n");
    return 2;
  }
  NgWorld *world = ng_world_new();
  if (!world) return 1;
  int rc = !strcmp(argv[1], "lexicon") ? bench_lexicon(world, argc > 2 ? atoi(argv[2]) : 5)
                                       : bench_extract(world, argc - 2, argv + 2);
  ng_world_free(world);
  return rc;
}
