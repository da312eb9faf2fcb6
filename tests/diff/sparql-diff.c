/* sparql-diff.c - runs SPARQL queries through both engines of newsgraph (its
 * own, and librdf with Rasqal: --engine redland) over one store and compares
 * their answers (issue 12: Rasqal as a second opinion).
 *
 *   sparql-diff STORE QUERIES
 *
 * QUERIES holds one query a line, after a tag and a tab: "bag" (the answers
 * are compared as multisets of rows) or "ordered" (ORDER BY makes the order
 * total: compared row by row); after another tab may come the query Rasqal
 * is to run instead, one that means the same in a form Rasqal runs (see
 * tests/diff/randquery.py); lines starting with '#' are comments.  Both
 * answers are TSV, whose terms are written in N-Triples form by the same
 * writer, so two equal answers are equal byte for byte once the rows are
 * sorted.  A query one engine refuses and the other answers is a
 * disagreement too; one both refuse is counted apart.
 *
 * Each disagreement is printed (the query and the rows only one side has);
 * the exit status is 1 when there is any, 0 otherwise.  Written here, not
 * done with the CLI: two processes a query cost 0.2 s, a process of this
 * program a few milliseconds a query. */
#include "newsgraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SHOWN 5 /* rows shown of each side of a disagreement */

typedef struct {
  unsigned long errors;
  char last[512];
} Sink;

static void sink_error(void *handle, const NgError *e) {
  Sink *s = handle;
  if (e->level != NG_LEVEL_ERROR) return;
  s->errors++;
  snprintf(s->last, sizeof s->last, "%s", e->message ? e->message : "");
}

typedef struct {
  char *text; /* the whole answer (owned) */
  size_t len;
  char **rows; /* pointers into text, past the header line, or into owned */
  size_t nrows;
  char **owned; /* rows rewritten (decimals) */
  size_t nowned;
  NgStatus status;
  char error[512];
  double seconds;
} Answer;

static void answer_free(Answer *a) {
  free(a->text);
  free(a->rows);
  for (size_t i = 0; i < a->nowned; ++i)
    free(a->owned[i]);
  free(a->owned);
  memset(a, 0, sizeof *a);
}

static int compare_rows(const void *x, const void *y) {
  return strcmp(*(char *const *)x, *(char *const *)y);
}

#define DECIMAL "\"^^<http://www.w3.org/2001/XMLSchema#decimal>"

/* The row with each xsd:decimal written to 15 significant digits (NULL:
 * out of memory): the precision of a decimal division (AVG) is the
 * engine's (XPath op:numeric-divide; newsgraph keeps 18 digits, Rasqal
 * 17). */
static char *round_decimals(const char *row) {
  size_t cap = strlen(row) + 1, len = 0;
  char *out = malloc(cap + 64);
  if (!out) return NULL;
  const char *p = row, *end;
  while ((end = strstr(p, DECIMAL))) {
    const char *open = end;
    while (open > p && open[-1] != '"')
      open--;
    if (open == p || open - 1 < row) break; /* (not a literal: left alone) */
    memcpy(out + len, p, (size_t)(open - p));
    len += (size_t)(open - p);
    char digits[64];
    snprintf(digits, sizeof digits, "%.15g", strtod(open, NULL));
    memcpy(out + len, digits, strlen(digits));
    len += strlen(digits);
    p = end;
    memcpy(out + len, p, strlen(DECIMAL));
    len += strlen(DECIMAL);
    p += strlen(DECIMAL);
    char *more = realloc(out, len + strlen(p) + 64 + 1);
    if (!more) {
      free(out);
      return NULL;
    }
    out = more;
  }
  strcpy(out + len, p);
  return out;
}

static int keep_rounded(Answer *a, size_t i) {
  if (!strstr(a->rows[i], DECIMAL)) return 0;
  char *rounded = round_decimals(a->rows[i]);
  char **more = rounded ? realloc(a->owned, (a->nowned + 1) * sizeof *a->owned) : NULL;
  if (!more) {
    free(rounded);
    return -1;
  }
  a->owned = more;
  a->owned[a->nowned++] = rounded;
  a->rows[i] = rounded;
  return 0;
}

/* Splits the answer into its rows (the header line is left out: the
 * engines name variables alike, and a difference there shows in rows). */
static int split_rows(Answer *a, int sorted) {
  size_t cap = 16;
  a->rows = malloc(cap * sizeof *a->rows);
  if (!a->rows) return -1;
  char *p = a->text ? strchr(a->text, '\n') : NULL;
  while (p && *++p) {
    char *end = strchr(p, '\n');
    if (end) *end = '\0';
    if (a->nrows == cap) {
      char **more = realloc(a->rows, 2 * cap * sizeof *a->rows);
      if (!more) return -1;
      a->rows = more;
      cap *= 2;
    }
    a->rows[a->nrows++] = p;
    if (keep_rounded(a, a->nrows - 1)) return -1;
    p = end;
  }
  if (sorted) qsort(a->rows, a->nrows, sizeof *a->rows, compare_rows);
  return 0;
}

static int run(NgStore *store, Sink *sink, const char *query, NgQueryEngine engine, int sorted,
               Answer *a) {
  memset(a, 0, sizeof *a);
  FILE *out = open_memstream(&a->text, &a->len);
  if (!out) return -1;
  NgQueryOptions options;
  ng_query_options_init(&options);
  options.engine = engine;
  options.timeout = 30;
  sink->last[0] = '\0';
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  a->status = ng_store_query_with(store, query, "<query>", &options, NG_RESULTS_TSV, out);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  a->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  if (fclose(out)) return -1;
  snprintf(a->error, sizeof a->error, "%s", sink->last);
  return a->status ? 0 : split_rows(a, sorted);
}

/* Rows of a not in b (both sorted), at most MAX_SHOWN of them. */
static void show_missing(const char *side, const Answer *a, const Answer *b) {
  size_t i = 0, j = 0, shown = 0, missing = 0;
  while (i < a->nrows) {
    int c = j < b->nrows ? strcmp(a->rows[i], b->rows[j]) : -1;
    if (c == 0) {
      i++, j++;
    } else if (c > 0) {
      j++;
    } else {
      if (shown++ < MAX_SHOWN) printf("  only %s: %s\n", side, a->rows[i]);
      missing++;
      i++;
    }
  }
  if (missing > MAX_SHOWN) printf("  only %s: ... %zu rows in all\n", side, missing);
}

/* 1 when the answers differ (printed), 0 when they agree. */
static int differ(const char *query, Answer *ours, Answer *theirs, int ordered) {
  int same = ours->nrows == theirs->nrows;
  for (size_t i = 0; same && i < ours->nrows; ++i)
    same = !strcmp(ours->rows[i], theirs->rows[i]);
  if (same) return 0;
  printf("DIFFERENT (%s; newsgraph %zu rows, Rasqal %zu): %s\n", ordered ? "ordered" : "bag",
         ours->nrows, theirs->nrows, query);
  if (ordered) { /* the order differs, or the rows: show the rows */
    qsort(ours->rows, ours->nrows, sizeof *ours->rows, compare_rows);
    qsort(theirs->rows, theirs->nrows, sizeof *theirs->rows, compare_rows);
  }
  show_missing("newsgraph", ours, theirs);
  show_missing("Rasqal", theirs, ours);
  return 1;
}

typedef struct {
  unsigned long queries, agree, with_rows, differ, both_refuse, empty_group, no_group;
  double ours_seconds, theirs_seconds;
} Counts;

/* Rasqal answers aggregates without GROUP BY over no solutions with no
 * row; SPARQL 1.1 (18.5.1, Group: the one group of no solutions) gives one,
 * COUNT 0 and AVG 0 and the others unbound. */
static int rasqal_no_group(const char *query, const Answer *ours, const Answer *theirs) {
  return !strstr(query, " GROUP BY ") && strstr(query, "SELECT (") && ours->nrows == 1 &&
         theirs->nrows == 0;
}

/* Rasqal answers a GROUP BY over no solutions with one row, its group key
 * unbound; SPARQL 1.1 (18.5.1, Group) makes no group of no solutions, so
 * no row (only without GROUP BY is there the one group of nothing).  The
 * generated grouped queries project their key first. */
static int rasqal_empty_group(const char *query, const Answer *ours, const Answer *theirs) {
  return strstr(query, " GROUP BY ") && ours->nrows == 0 && theirs->nrows == 1 &&
         theirs->rows[0][0] == '\t';
}

static int check_query(NgStore *store, Sink *sink, const char *query, const char *ref, int ordered,
                       Counts *n) {
  Answer ours, theirs;
  int bad = run(store, sink, query, NG_ENGINE_NATIVE, !ordered, &ours) ||
            run(store, sink, ref, NG_ENGINE_REDLAND, !ordered, &theirs);
  if (bad) {
    fprintf(stderr, "sparql-diff: out of memory\n");
    return -1;
  }
  n->queries++;
  n->ours_seconds += ours.seconds;
  n->theirs_seconds += theirs.seconds;
  if (ours.seconds + theirs.seconds > 1) /* (a slow one makes `make check` slow) */
    printf("SLOW (newsgraph %.2f s, Rasqal %.2f s): %s\n", ours.seconds, theirs.seconds, query);
  if (ours.status && theirs.status) {
    n->both_refuse++;
    printf("REFUSED BY BOTH: %s\n  newsgraph: %s\n  Rasqal: %s\n", query, ours.error, theirs.error);
  } else if (ours.status || theirs.status) {
    n->differ++;
    printf("DIFFERENT (one refuses): %s\n  newsgraph: %s\n  Rasqal: %s\n", query,
           ours.status ? ours.error : "answers", theirs.status ? theirs.error : "answers");
  } else if (rasqal_empty_group(query, &ours, &theirs)) {
    n->empty_group++;
  } else if (rasqal_no_group(query, &ours, &theirs)) {
    n->no_group++;
  } else if (differ(query, &ours, &theirs, ordered)) {
    n->differ++;
  } else {
    n->agree++;
    if (ours.nrows) n->with_rows++;
  }
  answer_free(&ours);
  answer_free(&theirs);
  return 0;
}

static int check_file(NgStore *store, Sink *sink, FILE *in, Counts *n) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int st = 0;
  while (!st && (len = getline(&line, &cap, in)) > 0) {
    if (line[len - 1] == '\n') line[--len] = '\0';
    if (!len || line[0] == '#') continue;
    char *tab = strchr(line, '\t');
    if (!tab || (strncmp(line, "bag\t", 4) && strncmp(line, "ordered\t", 8))) {
      fprintf(stderr, "sparql-diff: a line without its tag: %.60s\n", line);
      st = -1;
      break;
    }
    char *query = tab + 1, *ref = strchr(query, '\t');
    if (ref) *ref++ = '\0';
    st = check_query(store, sink, query, ref ? ref : query, line[0] == 'o', n);
  }
  free(line);
  return st;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: sparql-diff STORE QUERIES\n");
    return 2;
  }
  FILE *in = fopen(argv[2], "r");
  if (!in) {
    perror(argv[2]);
    return 2;
  }
  Sink sink = {0, ""};
  NgWorld *world = ng_world_new();
  NgStatus st = NG_SUCCESS;
  NgStore *store = world ? ng_store_open(world, argv[1], NG_STORE_READ, &st) : NULL;
  if (world) ng_world_set_error_sink(world, sink_error, &sink);
  Counts n = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  int rc = store && !check_file(store, &sink, in, &n) ? 0 : 2;
  fclose(in);
  ng_store_free(store);
  ng_world_free(world);
  if (rc) {
    fprintf(stderr, "sparql-diff: cannot run the queries (store %s: %d)\n", argv[1], (int)st);
    return rc;
  }
  printf("time: newsgraph %.2f s, Rasqal %.2f s\n", n.ours_seconds, n.theirs_seconds);
  printf("%lu queries: %lu answered alike (%lu with rows), %lu differently, %lu refused by both; "
         "Rasqal's known differences: %lu groups of no solutions with a row, "
         "%lu aggregates of no solutions without one\n",
         n.queries, n.agree, n.with_rows, n.differ, n.both_refuse, n.empty_group, n.no_group);
  return n.differ ? 1 : 0;
}
