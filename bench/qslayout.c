/* qslayout.c - measures index layouts that query/quadstore.c could have
 * used, on the quads of a real store (quadstore.c's opening comment quotes
 * what it printed for the choice made):
 *
 *   qslayout STORE WORKDIR
 *
 * reads every quad of STORE (in GSPO order: the order graphs arrive in)
 * and writes each of the six index orders into a fresh LMDB environment
 * in WORKDIR, three ways:
 *   keys    one LMDB key per quad: four order-preserving varints
 *   dupsort MDB_DUPSORT: the first id the key, the other three (varints)
 *           a duplicate, so that quads sharing their first id share it
 *   dupfix  MDB_DUPSORT|MDB_DUPFIXED: the other three as fixed 8-byte ids
 * and prints, per layout and order, the bytes of its pages per quad, the
 * page count and the CPU seconds of the writes (one transaction, quads in
 * arrival order, as an import). */
#include "internal.h"
#include "quadstore.h"

#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const int order[6][4] = {{0, 1, 2, 3}, {1, 2, 0, 3}, {2, 0, 1, 3},
                                {3, 0, 1, 2}, {3, 1, 2, 0}, {3, 2, 0, 1}};
static const char *const names[6] = {"spog", "posg", "ospg", "gspo", "gpos", "gosp"};

/* Order-preserving varints, as quadstore.c's (its functions are static). */
static size_t varint(unsigned char *out, uint64_t v) {
  if (v < 0x80) {
    out[0] = (unsigned char)v;
    return 1;
  }
  size_t n = 2;
  while (n < 9 && v >> (7 * n)) n++;
  if (n == 9) {
    out[0] = 0xFF;
    for (int i = 0; i < 8; ++i) out[1 + i] = (unsigned char)(v >> (56 - 8 * i));
    return 9;
  }
  out[0] = (unsigned char)((0xFFu << (9 - n)) | (unsigned)(v >> (8 * (n - 1))));
  for (size_t i = 1; i < n; ++i) out[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
  return n;
}

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef enum { KEYS, DUPSORT, DUPFIX } Layout;

static int put(MDB_txn *txn, MDB_dbi dbi, Layout layout, const NgId *q, int ix) {
  unsigned char k[40], d[40];
  size_t kl = 0, dl = 0;
  if (layout == KEYS) {
    for (int i = 0; i < 4; ++i) kl += varint(k + kl, q[order[ix][i]]);
  } else {
    kl = varint(k, q[order[ix][0]]);
    for (int i = 1; i < 4; ++i) {
      if (layout == DUPSORT) {
        dl += varint(d + dl, q[order[ix][i]]);
      } else {
        for (int b = 7; b >= 0; --b) d[dl++] = (unsigned char)(q[order[ix][i]] >> (8 * b));
      }
    }
  }
  unsigned char check = 0;
  MDB_val key = {kl, k}, val = layout == KEYS ? (MDB_val){1, &check} : (MDB_val){dl, d};
  return mdb_put(txn, dbi, &key, &val, 0);
}

static int measure(const char *work, Layout layout, int ix, const NgId *quads, size_t n) {
  static const char *const lname[] = {"keys", "dupsort", "dupfix"};
  char dir[512];
  snprintf(dir, sizeof dir, "%s/%s-%s", work, lname[layout], names[ix]);
  mkdir(dir, 0755);
  MDB_env *env;
  MDB_txn *txn;
  MDB_dbi dbi;
  MDB_stat st;
  int rc = mdb_env_create(&env);
  if (!rc) rc = mdb_env_set_mapsize(env, (size_t)64 << 30);
  if (!rc) rc = mdb_env_open(env, dir, MDB_NOSYNC, 0644);
  if (!rc) rc = mdb_txn_begin(env, NULL, 0, &txn);
  unsigned flags = layout == KEYS ? 0 : layout == DUPSORT ? MDB_DUPSORT : MDB_DUPSORT | MDB_DUPFIXED;
  if (!rc) rc = mdb_dbi_open(txn, NULL, flags, &dbi);
  double t0 = cpu_now();
  for (size_t i = 0; i < n && !rc; ++i) rc = put(txn, dbi, layout, quads + 4 * i, ix);
  if (!rc) rc = mdb_txn_commit(txn);
  double t1 = cpu_now();
  if (!rc) rc = mdb_env_stat(env, &st);
  if (rc) {
    fprintf(stderr, "qslayout: %s: %s\n", dir, mdb_strerror(rc));
    return 1;
  }
  /* the main database is this one; the sub-databases of DUPSORT are in
   * its counts (mdb_env_stat counts every page the tree holds) */
  MDB_envinfo info;
  mdb_env_info(env, &info);
  size_t pages = info.me_last_pgno + 1;
  printf("%s\t%s\t%.1f\t%zu\t%.2f\n", lname[layout], names[ix],
         (double)pages * st.ms_psize / (double)n, pages, t1 - t0);
  mdb_env_close(env);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: qslayout STORE WORKDIR\n");
    return 2;
  }
  NgWorld *world = ng_world_new();
  NgStatus status;
  NgQuadStore *qs = ng_qs_open(world, argv[1], false, &status);
  NgQsTxn *txn = qs ? ng_qs_txn_begin(qs, false, &status) : NULL;
  if (!txn) return 1;
  size_t n = 0, cap = 1 << 20;
  NgId *quads = malloc(cap * 4 * sizeof *quads), q[4];
  /* in graph order: every graph, then its quads */
  NgQsScan *scan;
  uint64_t count;
  for (NgId g = 0; ng_qs_next_graph(txn, g, &g, &count) == NG_SUCCESS;) {
    NgId pattern[4] = {0, 0, 0, g};
    scan = ng_qs_scan_new(txn, pattern, 0, &status);
    while (ng_qs_scan_next(scan, q) == NG_SUCCESS) {
      if (n == cap) quads = realloc(quads, (cap *= 2) * 4 * sizeof *quads);
      memcpy(quads + 4 * n++, q, sizeof q);
    }
    ng_qs_scan_free(scan);
  }
  ng_qs_txn_abort(txn);
  ng_qs_free(qs);
  ng_world_free(world);
  printf("# %zu quads\n# layout\tindex\tbytes/quad\tpages\tcpu s\n", n);
  mkdir(argv[2], 0755);
  int rc = 0;
  for (int layout = KEYS; layout <= DUPFIX; ++layout)
    for (int ix = 0; ix < 6; ++ix) rc |= measure(argv[2], (Layout)layout, ix, quads, n);
  free(quads);
  return rc;
}
