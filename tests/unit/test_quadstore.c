/* test_quadstore.c - the LMDB quad store (query/quadstore.h): ids and
 * inline terms, the dictionary, the six indexes against a brute-force list
 * for every pattern, seeks, counters, snapshots, persistence, crashes
 * (forked children that die before and after a commit), damage. */
#define _GNU_SOURCE /* memmem */
#include "internal.h"
#include "iri.h"
#include "quadstore.h"
#include "unit.h"

#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------- helpers */

typedef struct {
  char text[8192];
  size_t len;
} Captured;

static void capture(void *handle, const NgError *e) {
  Captured *c = handle;
  int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s: %s\n", e->file ? e->file : "",
                   e->message);
  if (n > 0 && (size_t)n < sizeof c->text - c->len) c->len += (size_t)n;
}

static NgWorld *quiet_world(Captured *c) {
  NgWorld *w = ng_world_new();
  memset(c, 0, sizeof *c);
  ng_world_set_error_sink(w, capture, c);
  return w;
}

/* A fresh directory; the store goes in DIR/qs. */
static char *temp_store(void) {
  char *dir = strdup("/tmp/ng-qs-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char *path = malloc(strlen(dir) + 4);
  sprintf(path, "%s/qs", dir);
  free(dir);
  return path;
}

static void remove_store(char *path) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s' && rmdir \"$(dirname '%s')\"", path, path);
  ck_assert_int_eq(system(cmd), 0);
  free(path);
}

static NgQuadStore *open_new(NgWorld *w, const char *dir) {
  NgStatus st;
  NgQuadStore *qs = ng_qs_open(w, dir, true, &st);
  ck_assert_int_eq(st, NG_SUCCESS);
  ck_assert_ptr_nonnull(qs);
  return qs;
}

static NgQsTxn *begin(NgQuadStore *qs, bool write) {
  NgStatus st;
  NgQsTxn *t = ng_qs_txn_begin(qs, write, &st);
  ck_assert_int_eq(st, NG_SUCCESS);
  return t;
}

static NgId intern(NgQsTxn *t, NgTermKind kind, const char *value, const char *dt,
                   const char *lang) {
  NgTerm term = {kind, value, dt, lang};
  NgId id;
  ck_assert_int_eq(ng_qs_intern(t, &term, &id), NG_SUCCESS);
  ck_assert(id != 0);
  return id;
}

static NgId iri(NgQsTxn *t, const char *v) { return intern(t, NG_TERM_IRI, v, NULL, NULL); }

/* The term of id equals (kind, value, datatype, lang). */
static void check_term(NgQsTxn *t, NgId id, NgTermKind kind, const char *value, const char *dt,
                       const char *lang) {
  NgTerm term;
  NgTermScratch scratch;
  ck_assert_int_eq(ng_qs_term(t, id, &term, &scratch), NG_SUCCESS);
  ck_assert_int_eq(term.kind, kind);
  ck_assert_str_eq(term.value, value);
  if (dt)
    ck_assert_str_eq(term.datatype, dt);
  else
    ck_assert_ptr_null(term.datatype);
  if (lang)
    ck_assert_str_eq(term.lang, lang);
  else
    ck_assert_ptr_null(term.lang);
}

/* ----------------------------------------------------------------- ids */

START_TEST(inline_and_dictionary_terms) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  NgQsTxn *t = begin(qs, true);
  const char *xi = NG_NS_XSD "integer", *xd = NG_NS_XSD "date", *xb = NG_NS_XSD "boolean";

  NgId one = intern(t, NG_TERM_LITERAL, "1", xi, NULL);
  NgId minus = intern(t, NG_TERM_LITERAL, "-576460752303423488", xi, NULL); /* -2^59 */
  NgId padded = intern(t, NG_TERM_LITERAL, "01", xi, NULL);
  NgId big = intern(t, NG_TERM_LITERAL, "576460752303423488", xi, NULL); /* 2^59: too big */
  int64_t v;
  ck_assert_int_eq(ng_qs_id_kind(one), NG_QS_KIND_INTEGER);
  ck_assert(ng_qs_id_integer(one, &v) && v == 1);
  ck_assert(ng_qs_id_integer(minus, &v) && v == -576460752303423488LL);
  ck_assert_int_eq(ng_qs_id_kind(padded), NG_QS_KIND_LITERAL); /* not sameTerm as "1" */
  ck_assert_int_eq(ng_qs_id_kind(big), NG_QS_KIND_LITERAL);
  ck_assert(padded != one);
  ck_assert_int_eq(ng_qs_id_kind(intern(t, NG_TERM_LITERAL, "-0", xi, NULL)), NG_QS_KIND_LITERAL);
  check_term(t, minus, NG_TERM_LITERAL, "-576460752303423488", xi, NULL);
  check_term(t, padded, NG_TERM_LITERAL, "01", xi, NULL);
  check_term(t, big, NG_TERM_LITERAL, "576460752303423488", xi, NULL);

  NgId day = intern(t, NG_TERM_LITERAL, "2022-03-01", xd, NULL);
  long days;
  ck_assert(ng_qs_id_date(day, &days) && days == 19052);
  check_term(t, day, NG_TERM_LITERAL, "2022-03-01", xd, NULL);
  ck_assert_int_eq(ng_qs_id_kind(intern(t, NG_TERM_LITERAL, "2022-02-30", xd, NULL)),
                   NG_QS_KIND_LITERAL);
  ck_assert_int_eq(ng_qs_id_kind(intern(t, NG_TERM_LITERAL, "2022-03-01Z", xd, NULL)),
                   NG_QS_KIND_LITERAL);
  NgId old = intern(t, NG_TERM_LITERAL, "0001-01-01", xd, NULL);
  check_term(t, old, NG_TERM_LITERAL, "0001-01-01", xd, NULL);

  bool b;
  NgId yes = intern(t, NG_TERM_LITERAL, "true", xb, NULL);
  ck_assert(ng_qs_id_boolean(yes, &b) && b);
  ck_assert_int_eq(ng_qs_id_kind(intern(t, NG_TERM_LITERAL, "1", xb, NULL)), NG_QS_KIND_LITERAL);
  check_term(t, yes, NG_TERM_LITERAL, "true", xb, NULL);

  NgId s7 = intern(t, NG_TERM_LITERAL, "seven 7", NULL, NULL);
  NgId s8 = intern(t, NG_TERM_LITERAL, "eight 8!", NULL, NULL);
  NgId empty = intern(t, NG_TERM_LITERAL, "", NULL, NULL);
  ck_assert_int_eq(ng_qs_id_kind(s7), NG_QS_KIND_STRING);
  ck_assert_int_eq(ng_qs_id_kind(s8), NG_QS_KIND_LITERAL);
  ck_assert_int_eq(ng_qs_id_kind(empty), NG_QS_KIND_STRING);
  ck_assert(intern(t, NG_TERM_LITERAL, "seven 7", NG_NS_XSD "string", NULL) == s7);
  ck_assert(intern(t, NG_TERM_LITERAL, "eight 8!", NG_NS_XSD "string", NULL) == s8);
  check_term(t, s7, NG_TERM_LITERAL, "seven 7", NULL, NULL);
  check_term(t, s8, NG_TERM_LITERAL, "eight 8!", NULL, NULL);
  check_term(t, empty, NG_TERM_LITERAL, "", NULL, NULL);
  /* UTF-8 in an inline string: bytes, not characters */
  check_term(t, intern(t, NG_TERM_LITERAL, "Čé", NULL, NULL), NG_TERM_LITERAL, "Čé", NULL, NULL);

  NgId en = intern(t, NG_TERM_LITERAL, "hi", NULL, "en");
  NgId fr = intern(t, NG_TERM_LITERAL, "hi", NULL, "fr");
  NgId typed = intern(t, NG_TERM_LITERAL, "hi", "http://e.org/dt", NULL);
  NgId blank = intern(t, NG_TERM_BLANK, "hi", NULL, NULL);
  NgId iri_hi = iri(t, "hi");
  NgId all[] = {en, fr, typed, blank, iri_hi, intern(t, NG_TERM_LITERAL, "hi", NULL, NULL)};
  for (size_t i = 0; i < NG_COUNTOF(all); ++i)
    for (size_t j = i + 1; j < NG_COUNTOF(all); ++j)
      ck_assert(all[i] != all[j]);
  check_term(t, en, NG_TERM_LITERAL, "hi", NULL, "en");
  check_term(t, typed, NG_TERM_LITERAL, "hi", "http://e.org/dt", NULL);
  check_term(t, blank, NG_TERM_BLANK, "hi", NULL, NULL);
  check_term(t, iri_hi, NG_TERM_IRI, "hi", NULL, NULL);
  ck_assert_int_eq(ng_qs_id_kind(blank), NG_QS_KIND_BLANK);
  ck_assert_int_eq(ng_qs_id_kind(iri_hi), NG_QS_KIND_IRI);
  ck_assert(iri(t, "hi") == iri_hi); /* the same term again: the same id */

  NgTerm term;
  NgTermScratch scratch;
  ck_assert_int_eq(ng_qs_term(t, (NgId)999999 << 4 | 1, &term, &scratch), NG_ERR_BAD_ARG);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);

  /* committed: a read transaction finds every term again */
  t = begin(qs, false);
  NgTerm q = {NG_TERM_LITERAL, "hi", "http://e.org/dt", NULL};
  NgId found;
  ck_assert_int_eq(ng_qs_lookup(t, &q, &found), NG_SUCCESS);
  ck_assert(found == typed);
  q = (NgTerm){NG_TERM_LITERAL, "hi", "http://e.org/other", NULL};
  ck_assert_int_eq(ng_qs_lookup(t, &q, &found), NG_END);
  q = (NgTerm){NG_TERM_IRI, "never seen", NULL, NULL};
  ck_assert_int_eq(ng_qs_lookup(t, &q, &found), NG_END);
  q = (NgTerm){NG_TERM_LITERAL, "12", NG_NS_XSD "integer", NULL};
  ck_assert_int_eq(ng_qs_lookup(t, &q, &found), NG_SUCCESS);     /* inline: always known */
  ck_assert_int_eq(ng_qs_intern(t, &q, &found), NG_ERR_BAD_ARG); /* read only */
  NgQsStats stats;
  ck_assert_int_eq(ng_qs_stats(t, &stats), NG_SUCCESS);
  /* not inlined: 01, 2^59, -0, two dates, "1"^^boolean and their three
   * datatypes, "eight 8!", two languages, e.org/dt and its literal, the
   * blank node and the IRI */
  ck_assert_uint_eq(stats.terms, 16);
  ng_qs_txn_abort(t);
  ng_qs_free(qs);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

START_TEST(large_terms_and_the_limit) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  NgQsTxn *t = begin(qs, true);
  size_t n = (size_t)1 << 20;
  char *text = malloc(n + 1);
  for (size_t i = 0; i < n; ++i)
    text[i] = (char)('a' + i % 26);
  text[n] = '\0';
  NgId big = intern(t, NG_TERM_LITERAL, text, NULL, "en");
  NgId big_iri = iri(t, text);
  ck_assert(big != big_iri);
  ck_assert(intern(t, NG_TERM_LITERAL, text, NULL, "en") == big);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  t = begin(qs, false);
  check_term(t, big, NG_TERM_LITERAL, text, NULL, "en");
  check_term(t, big_iri, NG_TERM_IRI, text, NULL, NULL);
  ng_qs_txn_abort(t);
  free(text);
  /* past the limit: refused before anything is written */
  n = (size_t)NG_QS_TERM_MAX + 1;
  text = malloc(n + 1);
  memset(text, 'x', n);
  text[n] = '\0';
  t = begin(qs, true);
  NgTerm huge = {NG_TERM_LITERAL, text, NULL, NULL};
  NgId id;
  ck_assert_int_eq(ng_qs_intern(t, &huge, &id), NG_ERR_TOO_LARGE);
  ck_assert_str_eq(c.text, ""); /* the caller says where the term came from */
  NgQsStats stats;
  ck_assert_int_eq(ng_qs_stats(t, &stats), NG_SUCCESS);
  ck_assert_uint_eq(stats.terms, 2);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  free(text);
  ng_qs_free(qs);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

/* ---------------------------------------------------------------- quads */

/* A random set of quads over small id sets, kept as a list as well. */
#define NQ 400
typedef struct {
  NgId q[NQ][4];
  size_t n;
} QuadList;

static int cmp_order[4];
static int cmp_quads(const void *a, const void *b) {
  const NgId *x = a, *y = b;
  for (int i = 0; i < 4; ++i) {
    int k = cmp_order[i];
    if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
  }
  return 0;
}

static bool matches(const NgId q[4], const NgId pattern[4]) {
  for (int i = 0; i < 4; ++i)
    if (pattern[i] && pattern[i] != q[i]) return false;
  return true;
}

/* Every pattern made of the values of some quad (and of absent values)
 * gives exactly the matching quads, in the scan's order. */
static void check_scan(NgQsTxn *t, const QuadList *all, const NgId pattern[4], unsigned flags) {
  NgStatus st;
  NgQsScan *scan = ng_qs_scan_new(t, pattern, flags, &st);
  ck_assert_int_eq(st, NG_SUCCESS);
  ng_qs_scan_order(scan, cmp_order);
  for (int i = 0; i < 4; ++i) /* bound positions first */
    if (!pattern[cmp_order[i]])
      for (int j = i + 1; j < 4; ++j)
        ck_assert(!pattern[cmp_order[j]]);
  if ((flags & NG_QS_GRAPH_LAST) && !pattern[NG_QS_G]) ck_assert_int_eq(cmp_order[3], NG_QS_G);
  NgId(*want)[4] = malloc(sizeof(NgId[4]) * (all->n + 1));
  size_t nwant = 0;
  for (size_t i = 0; i < all->n; ++i)
    if (matches(all->q[i], pattern)) memcpy(want[nwant++], all->q[i], sizeof want[0]);
  qsort(want, nwant, sizeof want[0], cmp_quads);
  NgId q[4];
  size_t got = 0;
  while ((st = ng_qs_scan_next(scan, q)) == NG_SUCCESS) {
    ck_assert_uint_lt(got, nwant);
    ck_assert(!memcmp(q, want[got], sizeof q));
    got++;
  }
  ck_assert_int_eq(st, NG_END);
  ck_assert_uint_eq(got, nwant);
  uint64_t count;
  bool exact;
  ck_assert_int_eq(ng_qs_estimate(t, pattern, &count, &exact), NG_SUCCESS);
  ck_assert(exact);
  ck_assert_uint_eq(count, nwant);
  ng_qs_scan_free(scan);
  free(want);
}

static void fill(NgQsTxn *t, QuadList *all, unsigned seed) {
  NgId s[12], p[4], o[10], g[5];
  char name[64];
  for (int i = 0; i < 12; ++i) {
    snprintf(name, sizeof name, "http://e.org/s%d", i);
    s[i] = iri(t, name);
  }
  for (int i = 0; i < 4; ++i) {
    snprintf(name, sizeof name, "http://e.org/p%d", i);
    p[i] = iri(t, name);
  }
  for (int i = 0; i < 10; ++i) {
    snprintf(name, sizeof name, "object number %d", i);
    o[i] = i < 5 ? intern(t, NG_TERM_LITERAL, name, NULL, NULL) : (NgId)(i * 1000) << 4 | 4;
  }
  for (int i = 0; i < 5; ++i) {
    snprintf(name, sizeof name, "http://e.org/g%d", i);
    g[i] = iri(t, name);
  }
  all->n = 0;
  srand(seed);
  while (all->n < NQ) {
    NgId q[4] = {s[rand() % 12], p[rand() % 4], o[rand() % 10], g[rand() % 5]};
    bool dup = false;
    for (size_t i = 0; i < all->n && !dup; ++i)
      dup = !memcmp(all->q[i], q, sizeof q);
    bool added;
    ck_assert_int_eq(ng_qs_insert(t, q, &added), NG_SUCCESS);
    ck_assert(added == !dup);
    if (!dup) memcpy(all->q[all->n++], q, sizeof q);
  }
}

START_TEST(every_pattern_against_a_list) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  NgQsTxn *t = begin(qs, true);
  static QuadList all;
  fill(t, &all, 7);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  t = begin(qs, false);
  for (size_t k = 0; k < all.n; k += 37) {
    for (unsigned mask = 0; mask < 16; ++mask) {
      NgId pattern[4];
      for (int i = 0; i < 4; ++i)
        pattern[i] = mask & (1u << i) ? all.q[k][i] : 0;
      check_scan(t, &all, pattern, 0);
      check_scan(t, &all, pattern, NG_QS_GRAPH_LAST);
    }
  }
  NgId none[4] = {0, 0, (NgId)424242 << 4 | 4, 0}; /* a value no quad holds */
  check_scan(t, &all, none, 0);
  ng_qs_txn_abort(t);
  ng_qs_free(qs);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

START_TEST(seek_goes_to_the_first_match_at_or_after) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  NgQsTxn *t = begin(qs, true);
  static QuadList all;
  fill(t, &all, 11);
  /* p bound: the scan runs in (p, o, s, g) order */
  NgId p = all.q[0][NG_QS_P], pattern[4] = {0, p, 0, 0};
  NgStatus st;
  NgQsScan *scan = ng_qs_scan_new(t, pattern, NG_QS_GRAPH_LAST, &st);
  ng_qs_scan_order(scan, cmp_order);
  ck_assert_int_eq(cmp_order[0], NG_QS_P);
  NgId(*want)[4] = malloc(sizeof(NgId[4]) * NQ);
  size_t n = 0;
  for (size_t i = 0; i < all.n; ++i)
    if (all.q[i][NG_QS_P] == p) memcpy(want[n++], all.q[i], sizeof want[0]);
  qsort(want, n, sizeof want[0], cmp_quads);
  for (size_t target = 0; target < n; target += 5) {
    NgId key[4] = {want[target][0], 0, want[target][2], want[target][3]};
    ck_assert_int_eq(ng_qs_scan_seek(scan, key), NG_SUCCESS);
    NgId q[4];
    ck_assert_int_eq(ng_qs_scan_next(scan, q), NG_SUCCESS);
    ck_assert(!memcmp(q, want[target], sizeof q));
    if (target + 1 < n) {
      ck_assert_int_eq(ng_qs_scan_next(scan, q), NG_SUCCESS);
      ck_assert(!memcmp(q, want[target + 1], sizeof q));
    }
    /* between two matches: the later one */
    NgId between[4] = {want[target][0], 0, want[target][2], want[target][3] + 1};
    ck_assert_int_eq(ng_qs_scan_seek(scan, between), NG_SUCCESS);
    st = ng_qs_scan_next(scan, q);
    if (target + 1 < n) {
      ck_assert_int_eq(st, NG_SUCCESS);
      ck_assert(!memcmp(q, want[target + 1], sizeof q));
    }
  }
  NgId past[4] = {0, 0, ~(NgId)0, 0};
  ck_assert_int_eq(ng_qs_scan_seek(scan, past), NG_SUCCESS);
  NgId q[4];
  ck_assert_int_eq(ng_qs_scan_next(scan, q), NG_END);
  ng_qs_scan_free(scan);
  free(want);
  ng_qs_txn_abort(t);
  ng_qs_free(qs);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

START_TEST(counters_follow_inserts_and_removals) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  NgQsTxn *t = begin(qs, true);
  NgId type = iri(t, NG_NS_RDF "type"), ev = iri(t, NG_NS_ONTO "Event");
  NgId label = iri(t, NG_NS_RDFS "label");
  NgId e1 = iri(t, "http://e.org/e1"), e2 = iri(t, "http://e.org/e2");
  NgId g1 = iri(t, "http://e.org/g1"), g2 = iri(t, "http://e.org/g2");
  NgId name = intern(t, NG_TERM_LITERAL, "a label", NULL, NULL);
  NgId quads[][4] = {{e1, type, ev, g1},
                     {e1, type, ev, g2},
                     {e2, type, ev, g1},
                     {e1, label, name, g1},
                     {e2, label, name, g2}};
  for (size_t i = 0; i < NG_COUNTOF(quads); ++i)
    ck_assert_int_eq(ng_qs_insert(t, quads[i], NULL), NG_SUCCESS);
  bool added = true;
  ck_assert_int_eq(ng_qs_insert(t, quads[0], &added), NG_SUCCESS);
  ck_assert(!added);
  NgId bad[4] = {e1, type, 0, g1};
  ck_assert_int_eq(ng_qs_insert(t, bad, NULL), NG_ERR_BAD_ARG);
  /* read in the writing transaction: the changes so far */
  NgQsStats s;
  ck_assert_int_eq(ng_qs_stats(t, &s), NG_SUCCESS);
  ck_assert_uint_eq(s.quads, 5);
  ck_assert_uint_eq(s.triples, 4);
  ck_assert_uint_eq(s.graphs, 2);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);

  t = begin(qs, false);
  uint64_t n;
  bool exact;
  NgId by_p[4] = {0, type, 0, 0}, by_g[4] = {0, 0, 0, g1}, by_pg[4] = {0, type, 0, g2};
  NgId by_class[4] = {0, type, ev, 0};
  ck_assert_int_eq(ng_qs_estimate(t, by_p, &n, &exact), NG_SUCCESS);
  ck_assert(exact && n == 3);
  ck_assert_int_eq(ng_qs_estimate(t, by_g, &n, &exact), NG_SUCCESS);
  ck_assert(exact && n == 3);
  ck_assert_int_eq(ng_qs_estimate(t, by_pg, &n, &exact), NG_SUCCESS);
  ck_assert(exact && n == 1);
  ck_assert_int_eq(ng_qs_estimate(t, by_class, &n, &exact), NG_SUCCESS);
  ck_assert(exact && n == 3);
  ck_assert_int_eq(ng_qs_class_size(t, ev, &n), NG_SUCCESS);
  ck_assert_uint_eq(n, 2);
  NgQsPredicateStats ps;
  ck_assert_int_eq(ng_qs_predicate_stats(t, label, &ps), NG_SUCCESS);
  ck_assert(ps.quads == 2 && ps.subjects == 2 && ps.objects == 1);
  NgId g = 0, seen[4];
  uint64_t counts[4];
  size_t ng = 0;
  while (ng < 4 && ng_qs_next_graph(t, g, &g, &counts[ng]) == NG_SUCCESS)
    seen[ng++] = g;
  ck_assert_uint_eq(ng, 2);
  ck_assert(seen[0] == g1 && counts[0] == 3 && seen[1] == g2 && counts[1] == 2);
  ng_qs_txn_abort(t);

  /* removals and a cleared graph undo the counts */
  t = begin(qs, true);
  bool removed;
  ck_assert_int_eq(ng_qs_remove(t, quads[1], &removed), NG_SUCCESS);
  ck_assert(removed);
  ck_assert_int_eq(ng_qs_remove(t, quads[1], &removed), NG_SUCCESS);
  ck_assert(!removed);
  ck_assert_int_eq(ng_qs_class_size(t, ev, &n), NG_SUCCESS);
  ck_assert_uint_eq(n, 2); /* e1 is still an event in g1 */
  uint64_t cleared;
  ck_assert_int_eq(ng_qs_clear_graph(t, g1, &cleared), NG_SUCCESS);
  ck_assert_uint_eq(cleared, 3);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  t = begin(qs, false);
  ck_assert_int_eq(ng_qs_stats(t, &s), NG_SUCCESS);
  ck_assert(s.quads == 1 && s.triples == 1 && s.graphs == 1);
  ck_assert_int_eq(ng_qs_class_size(t, ev, &n), NG_SUCCESS);
  ck_assert_uint_eq(n, 0);
  ck_assert_int_eq(ng_qs_predicate_stats(t, label, &ps), NG_SUCCESS);
  ck_assert(ps.quads == 1 && ps.subjects == 1 && ps.objects == 1);
  ck_assert_int_eq(ng_qs_next_graph(t, 0, &g, &n), NG_SUCCESS);
  ck_assert(g == g2 && n == 1);
  ck_assert_int_eq(ng_qs_next_graph(t, g2, &g, &n), NG_END);
  ng_qs_txn_abort(t);
  ng_qs_free(qs);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

/* --------------------------------------------------------- transactions */

static uint64_t quad_count(NgQuadStore *qs) {
  NgQsTxn *t = begin(qs, false);
  NgQsStats s;
  ck_assert_int_eq(ng_qs_stats(t, &s), NG_SUCCESS);
  ng_qs_txn_abort(t);
  return s.quads;
}

static void add_quads(NgQsTxn *t, int from, int n) {
  NgId p = iri(t, "http://e.org/p"), g = iri(t, "http://e.org/g");
  for (int i = from; i < from + n; ++i) {
    char name[64];
    snprintf(name, sizeof name, "http://e.org/s%d", i);
    NgId q[4] = {iri(t, name), p, (NgId)i << 4 | 4, g};
    ck_assert_int_eq(ng_qs_insert(t, q, NULL), NG_SUCCESS);
  }
}

static bool fingerprint_is(NgQuadStore *qs, NgId g, unsigned char mark) {
  NgQsTxn *t = begin(qs, false);
  unsigned char fp[NG_QS_FINGERPRINT_SIZE];
  bool found = false;
  ck_assert_int_eq(ng_qs_graph_fingerprint(t, g, fp, &found), NG_SUCCESS);
  ng_qs_txn_abort(t);
  return found && fp[0] == mark && fp[NG_QS_FINGERPRINT_SIZE - 1] == mark;
}

/* A graph's fingerprint lasts while the graph is unchanged: set after the
 * writes it describes it is kept, any change of the graph later (in the
 * same transaction or another, insert, remove or clear) drops it, and a
 * change of another graph does not; an abort keeps nothing. */
START_TEST(fingerprints_last_while_the_graph_is_unchanged) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  unsigned char fp[NG_QS_FINGERPRINT_SIZE];
  NgQsTxn *t = begin(qs, true);
  NgId p = iri(t, "http://e.org/p"), a = iri(t, "http://e.org/a"), b = iri(t, "http://e.org/b");
  NgId g1 = iri(t, "http://e.org/g1"), g2 = iri(t, "http://e.org/g2");
  NgId q1[4] = {a, p, b, g1}, q2[4] = {b, p, a, g2}, q3[4] = {b, p, b, g1};
  ck_assert_int_eq(ng_qs_insert(t, q1, NULL), NG_SUCCESS);
  ck_assert_int_eq(ng_qs_insert(t, q2, NULL), NG_SUCCESS);
  memset(fp, 1, sizeof fp);
  ck_assert_int_eq(ng_qs_set_graph_fingerprint(t, g1, fp), NG_SUCCESS);
  memset(fp, 2, sizeof fp);
  ck_assert_int_eq(ng_qs_set_graph_fingerprint(t, g2, fp), NG_SUCCESS);
  bool found = false;
  ck_assert_int_eq(ng_qs_graph_fingerprint(t, g1, fp, &found), NG_SUCCESS);
  ck_assert(found && fp[0] == 1);
  ck_assert_int_eq(ng_qs_insert(t, q3, NULL), NG_SUCCESS); /* g1 changes after its set */
  ck_assert_int_eq(ng_qs_graph_fingerprint(t, g1, fp, &found), NG_SUCCESS);
  ck_assert(!found);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  ck_assert(!fingerprint_is(qs, g1, 1));
  ck_assert(fingerprint_is(qs, g2, 2));

  /* set again; a change of g1 in a later transaction drops only g1's */
  t = begin(qs, true);
  memset(fp, 3, sizeof fp);
  ck_assert_int_eq(ng_qs_set_graph_fingerprint(t, g1, fp), NG_SUCCESS);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  ck_assert(fingerprint_is(qs, g1, 3));
  t = begin(qs, true);
  bool removed = false;
  ck_assert_int_eq(ng_qs_remove(t, q3, &removed), NG_SUCCESS);
  ck_assert(removed);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  ck_assert(!fingerprint_is(qs, g1, 3));
  ck_assert(fingerprint_is(qs, g2, 2));

  /* clearing the graph drops it */
  t = begin(qs, true);
  uint64_t n = 0;
  ck_assert_int_eq(ng_qs_clear_graph(t, g2, &n), NG_SUCCESS);
  ck_assert_uint_eq(n, 1);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  ck_assert(!fingerprint_is(qs, g2, 2));

  /* an aborted transaction keeps nothing it set */
  t = begin(qs, true);
  memset(fp, 4, sizeof fp);
  ck_assert_int_eq(ng_qs_set_graph_fingerprint(t, g2, fp), NG_SUCCESS);
  ng_qs_txn_abort(t);
  ck_assert(!fingerprint_is(qs, g2, 4));
  ng_qs_free(qs);
  ng_world_free(w);
  remove_store(dir);
}
END_TEST

START_TEST(readers_see_snapshots) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  NgQsTxn *t = begin(qs, true);
  add_quads(t, 0, 10);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  NgQsTxn *old = begin(qs, false); /* before the next write */
  t = begin(qs, true);
  add_quads(t, 10, 10);
  ck_assert_uint_eq(quad_count(qs), 10); /* not committed yet */
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  ck_assert_uint_eq(quad_count(qs), 20);
  NgQsStats s;
  ck_assert_int_eq(ng_qs_stats(old, &s), NG_SUCCESS);
  ck_assert_uint_eq(s.quads, 10); /* its snapshot */
  ng_qs_txn_abort(old);
  /* an aborted write leaves nothing, terms included */
  t = begin(qs, true);
  add_quads(t, 20, 10);
  ng_qs_txn_abort(t);
  ck_assert_uint_eq(quad_count(qs), 20);
  t = begin(qs, false);
  NgTerm gone = {NG_TERM_IRI, "http://e.org/s25", NULL, NULL};
  NgId id;
  ck_assert_int_eq(ng_qs_lookup(t, &gone, &id), NG_END);
  ng_qs_txn_abort(t);
  /* a second handle on the same directory shares the environment */
  NgQuadStore *again = open_new(w, dir);
  ck_assert_uint_eq(quad_count(again), 20);
  ng_qs_free(again);
  ck_assert_uint_eq(quad_count(qs), 20);
  ng_qs_free(qs);
  /* and everything is there after a reopen */
  NgStatus st;
  qs = ng_qs_open(w, dir, false, &st);
  ck_assert_int_eq(st, NG_SUCCESS);
  ck_assert_uint_eq(quad_count(qs), 20);
  ng_qs_free(qs);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

/* A writer that knows every key of term2id (quadstore.c, KNOWN HASHES)
 * must not trust them once another has committed: the term the other
 * added is found, not added again. */
START_TEST(a_writer_finds_the_terms_another_added) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *a = open_new(w, dir), *b = open_new(w, dir);
  NgQsTxn *t = begin(a, true);
  NgId first = iri(t, "http://e.org/first");
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  t = begin(b, true);
  NgId other = iri(t, "http://e.org/other");
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  t = begin(a, true); /* b committed since a's last */
  ck_assert(iri(t, "http://e.org/other") == other);
  ck_assert(iri(t, "http://e.org/first") == first);
  iri(t, "http://e.org/third");
  ng_qs_txn_abort(t); /* an aborted writer's terms are not there */
  t = begin(a, true);
  ck_assert(iri(t, "http://e.org/other") == other);
  NgTerm gone = {NG_TERM_IRI, "http://e.org/third", NULL, NULL};
  NgId id;
  ck_assert_int_eq(ng_qs_lookup(t, &gone, &id), NG_END);
  NgId third = iri(t, "http://e.org/third");
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  t = begin(a, true); /* a's own commit before: its keys are known */
  ck_assert(iri(t, "http://e.org/third") == third);
  ck_assert(iri(t, "http://e.org/first") == first);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  ng_qs_free(a);
  ng_qs_free(b);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

START_TEST(scans_survive_their_transaction) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  NgQsTxn *t = begin(qs, true);
  add_quads(t, 0, 3);
  NgId any[4] = {0, 0, 0, 0}, q[4];
  NgStatus st;
  NgQsScan *scan = ng_qs_scan_new(t, any, 0, &st);
  ck_assert_int_eq(ng_qs_scan_next(scan, q), NG_SUCCESS);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  ck_assert_int_eq(ng_qs_scan_next(scan, q), NG_END); /* ended with it, harmlessly */
  ng_qs_scan_free(scan);
  ng_qs_scan_free(NULL);
  ng_qs_txn_abort(NULL);
  ng_qs_free(NULL);
  ng_qs_free(qs);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

/* A child writes, commits (or not) and dies without closing anything. */
static void child_writes(const char *dir, int from, bool commit) {
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    NgWorld *w = ng_world_new();
    NgQuadStore *qs = ng_qs_open(w, dir, true, NULL);
    NgQsTxn *t = qs ? ng_qs_txn_begin(qs, true, NULL) : NULL;
    if (!t) _exit(3);
    add_quads(t, from, 50);
    if (commit && ng_qs_txn_commit(t)) _exit(4);
    _exit(0);
  }
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(a_dead_writer_loses_only_what_it_did_not_commit) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  child_writes(dir, 0, true);
  child_writes(dir, 50, false); /* dies inside its transaction */
  child_writes(dir, 100, true); /* the writer lock is free again */
  NgStatus st;
  NgQuadStore *qs = ng_qs_open(w, dir, false, &st);
  ck_assert_int_eq(st, NG_SUCCESS);
  ck_assert_uint_eq(quad_count(qs), 100);
  NgQsTxn *t = begin(qs, false);
  NgTerm lost = {NG_TERM_IRI, "http://e.org/s60", NULL, NULL},
         kept = {NG_TERM_IRI, "http://e.org/s120", NULL, NULL};
  NgId id;
  ck_assert_int_eq(ng_qs_lookup(t, &lost, &id), NG_END);
  ck_assert_int_eq(ng_qs_lookup(t, &kept, &id), NG_SUCCESS);
  ng_qs_txn_abort(t);
  ng_qs_free(qs);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

/* -------------------------------------------------------------- errors */

START_TEST(directories_that_are_not_stores) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgStatus st;
  ck_assert_ptr_null(ng_qs_open(w, dir, false, &st));
  ck_assert_int_eq(st, NG_ERR_IO);
  ck_assert_ptr_nonnull(strstr(c.text, "no store at"));
  /* an old store: told how to carry it over */
  ck_assert_int_eq(mkdir(dir, 0755), 0);
  char path[512];
  snprintf(path, sizeof path, "%s/CURRENT", dir);
  FILE *f = fopen(path, "w");
  fputs("gen-000001\n", f);
  fclose(f);
  ck_assert_ptr_null(ng_qs_open(w, dir, true, &st));
  ck_assert_int_eq(st, NG_ERR_STORE);
  ck_assert_ptr_nonnull(strstr(c.text, "newsgraph upgrade --store"));
  unlink(path);
  /* someone's files */
  snprintf(path, sizeof path, "%s/notes.txt", dir);
  f = fopen(path, "w");
  fclose(f);
  ck_assert_ptr_null(ng_qs_open(w, dir, true, &st));
  ck_assert_ptr_nonnull(strstr(c.text, "not a newsgraph store"));
  unlink(path);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

START_TEST(a_truncated_data_file_is_refused) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  NgQsTxn *t = begin(qs, true);
  add_quads(t, 0, 2000);
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  ng_qs_free(qs);
  char path[512];
  snprintf(path, sizeof path, "%s/data.mdb", dir);
  struct stat sb;
  ck_assert_int_eq(stat(path, &sb), 0);
  ck_assert_int_eq(truncate(path, sb.st_size / 2), 0);
  NgStatus st;
  ck_assert_ptr_null(ng_qs_open(w, dir, false, &st));
  ck_assert_int_eq(st, NG_ERR_STORE);
  ck_assert_ptr_nonnull(strstr(c.text, "data.mdb: the data file is truncated"));
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

/* A byte of an index key changed in place: the scan that meets it fails
 * with an error, it never answers with the damaged quad. */
/* Where the first value of LMDB database name is in the data file: its
 * bytes, read through LMDB, found in the file.  The store must be closed. */
static long value_offset(const char *dir, const char *name, size_t *len) {
  MDB_env *env;
  MDB_txn *txn;
  MDB_dbi dbi;
  MDB_cursor *c;
  MDB_val key, val;
  ck_assert_int_eq(mdb_env_create(&env), 0);
  ck_assert_int_eq(mdb_env_set_maxdbs(env, 12), 0);
  ck_assert_int_eq(mdb_env_open(env, dir, MDB_RDONLY, 0644), 0);
  ck_assert_int_eq(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
  ck_assert_int_eq(mdb_dbi_open(txn, name, 0, &dbi), 0);
  ck_assert_int_eq(mdb_cursor_open(txn, dbi, &c), 0);
  ck_assert_int_eq(mdb_cursor_get(c, &key, &val, MDB_FIRST), 0);
  *len = val.mv_size;
  char *bytes = malloc(val.mv_size);
  memcpy(bytes, val.mv_data, val.mv_size);
  mdb_cursor_close(c);
  mdb_txn_abort(txn);
  mdb_env_close(env);
  char path[512];
  snprintf(path, sizeof path, "%s/data.mdb", dir);
  FILE *f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  char *data = malloc((size_t)size);
  fseek(f, 0, SEEK_SET);
  ck_assert_uint_eq(fread(data, 1, (size_t)size, f), (size_t)size);
  fclose(f);
  char *at = memmem(data, (size_t)size, bytes, *len);
  ck_assert_ptr_nonnull(at);
  long offset = (long)(at - data);
  free(data);
  free(bytes);
  return offset;
}

static void flip_byte(const char *dir, long at) {
  char path[512];
  snprintf(path, sizeof path, "%s/data.mdb", dir);
  FILE *f = fopen(path, "r+b");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fseek(f, at, SEEK_SET), 0);
  int byte = fgetc(f);
  ck_assert_int_ge(byte, 0);
  ck_assert_int_eq(fseek(f, at, SEEK_SET), 0);
  fputc(byte ^ 0x10, f);
  fclose(f);
}

/* A byte of an index block and one of a dictionary entry changed in
 * place: what meets them fails with an error naming the data file, never
 * answers with what the damage made of them. */
START_TEST(damaged_records_are_detected) {
  Captured c;
  NgWorld *w = quiet_world(&c);
  char *dir = temp_store();
  NgQuadStore *qs = open_new(w, dir);
  NgQsTxn *t = begin(qs, true);
  NgId p = iri(t, "http://e.org/pppppp"), g = iri(t, "http://e.org/g");
  NgId o = (NgId)0x5a5a5a5a5a << 4 | 4;
  for (int i = 0; i < 200; ++i) {
    NgId q[4] = {(NgId)(1000 + 3 * i) << 4 | 4, p, o, g};
    ck_assert_int_eq(ng_qs_insert(t, q, NULL), NG_SUCCESS);
  }
  ck_assert_int_eq(ng_qs_txn_commit(t), NG_SUCCESS);
  ng_qs_free(qs);
  size_t len;
  static const char *const damaged[] = {"spog", "ospg", "gpos"};
  for (size_t i = 0; i < NG_COUNTOF(damaged); ++i) {
    long at = value_offset(dir, damaged[i], &len);
    flip_byte(dir, at + (long)len / 2);
  }
  long term_at = value_offset(dir, "id2term", &len);
  flip_byte(dir, term_at + (long)len - 3);
  NgStatus st;
  qs = ng_qs_open(w, dir, false, &st);
  ck_assert_int_eq(st, NG_SUCCESS);
  t = begin(qs, false);
  NgId patterns[][4] = {{0, 0, 0, 0}, {0, p, 0, 0}, {0, 0, o, 0},
                        {0, 0, 0, g}, {0, p, 0, g}, {0, 0, o, g}}; /* the six indexes */
  int failed = 0;
  for (size_t i = 0; i < NG_COUNTOF(patterns); ++i) {
    NgId q[4];
    NgQsScan *scan = ng_qs_scan_new(t, patterns[i], 0, &st);
    while ((st = ng_qs_scan_next(scan, q)) == NG_SUCCESS)
      ck_assert(q[1] == p && q[2] == o && q[3] == g);
    if (st == NG_ERR_STORE) failed++;
    ng_qs_scan_free(scan);
  }
  ck_assert_int_eq(failed, 3); /* SPOG, OSPG and GPOS; not POSG, GSPO, GOSP */
  ck_assert_ptr_nonnull(strstr(c.text, "data.mdb: the data file is damaged"));
  /* the first term of the dictionary (the IRI http://e.org/pppppp) */
  NgTerm term;
  NgTermScratch scratch;
  ck_assert_int_eq(ng_qs_term(t, p, &term, &scratch), NG_ERR_STORE);
  ck_assert_ptr_nonnull(strstr(c.text, "a dictionary entry fails its check"));
  ng_qs_txn_abort(t);
  ng_qs_free(qs);
  remove_store(dir);
  ng_world_free(w);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("quadstore");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, inline_and_dictionary_terms);
  tcase_add_test(tc, large_terms_and_the_limit);
  tcase_add_test(tc, every_pattern_against_a_list);
  tcase_add_test(tc, seek_goes_to_the_first_match_at_or_after);
  tcase_add_test(tc, counters_follow_inserts_and_removals);
  tcase_add_test(tc, fingerprints_last_while_the_graph_is_unchanged);
  tcase_add_test(tc, readers_see_snapshots);
  tcase_add_test(tc, a_writer_finds_the_terms_another_added);
  tcase_add_test(tc, scans_survive_their_transaction);
  tcase_add_test(tc, a_dead_writer_loses_only_what_it_did_not_commit);
  tcase_add_test(tc, directories_that_are_not_stores);
  tcase_add_test(tc, a_truncated_data_file_is_refused);
  tcase_add_test(tc, damaged_records_are_detected);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
