/* quadstore.c - the quad store on LMDB (the contract is quadstore.h).
 *
 * Why LMDB: one library (Debian's liblmdb) gives transactions that are
 * durable at commit (no journal of our own), a copy-on-write B+tree that a
 * crash or SIGKILL never leaves half-written (no recovery step), one writer
 * and lock-free readers across processes, and reads straight from a memory
 * map (a term's text is a pointer, not a copy).
 *
 * Files: DIR/data.mdb and DIR/lock.mdb (LMDB's), DIR/write.lock (ours: a
 * writer flocks it before it asks LMDB for the write transaction, so that a
 * waiting writer can say so and can be interrupted; LMDB's own writer mutex
 * is not interruptible).
 *
 * Named databases in data.mdb:
 *   meta     "v" format name; "n" next dictionary number; counters (below)
 *   id2term  varint(id) -> u32 check, kind byte, text (see put_term)
 *   term2id  u64 hash of a term -> the ids of the terms with that hash
 *            (8 bytes each): terms of any length, LMDB keys being limited
 *            to 511 bytes; a lookup compares each candidate's text
 *   spog posg ospg gspo gpos gosp   the quad indexes (see INDEX LAYER)
 *
 * Ids (quadstore.h): the low 4 bits are the kind, the rest the payload:
 * a dictionary number, or an inline value.  Small numbers make short
 * varints, so the tag goes low.
 *
 * Counters in meta, all u64 little-endian, kept in the same transactions
 * as the quads (changes gather in memory during a write transaction and go
 * in before its commit):
 *   Q quads, T distinct triples, R graphs with a quad, D dictionary terms,
 *   P+p quads of predicate p, S+p / O+p distinct subjects / objects of p,
 *   G+g quads of graph g, H+g+p quads of predicate p in graph g,
 *   C+c quads (s rdf:type c), c+c distinct triples (s rdf:type c)
 * (+x: the varint of id x).
 *
 * Damage: LMDB checks its meta pages and page types, not page contents.
 * Every index entry carries a one-byte check of its key, every dictionary
 * entry a 32-bit check of its text, keys must decode to exactly four
 * minimal varints and scans must see keys in ascending order; a store whose
 * data file is shorter than its last committed page is refused at open.
 * Damage to a page's layout that LMDB does not check (node offsets) can
 * still be read as other bytes of the map: what cannot be detected is
 * listed in tests/e2e/store-faults.sh.
 *
 * One deliberate global: the list of open environments.  LMDB requires
 * that a process opens an environment once (a second open and close drops
 * its file locks), while the store may be opened twice in one process
 * (NgStore and the librdf storage over it): handles share the environment
 * through that list. */
#include "quadstore.h"
#include "iri.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FORMAT_NAME "newsgraph-quadstore 1"
#define KEY_MAX 40 /* four varints of at most 9 bytes, and room */

enum { TAG_NONE, TAG_IRI, TAG_BLANK, TAG_LITERAL, TAG_INTEGER, TAG_BOOLEAN, TAG_DATE, TAG_STRING };
#define TAG_BITS 4
#define TAG_MASK ((NgId)15)
#define INLINE_INT_MAX ((int64_t)1 << 59)

#define XSD_INTEGER NG_NS_XSD "integer"
#define XSD_BOOLEAN NG_NS_XSD "boolean"
#define XSD_DATE NG_NS_XSD "date"
#define XSD_STRING NG_NS_XSD "string"
#define RDF_TYPE NG_NS_RDF "type"

enum { IX_SPOG, IX_POSG, IX_OSPG, IX_GSPO, IX_GPOS, IX_GOSP, NIX };
static const int ix_order[NIX][4] = {
    {NG_QS_S, NG_QS_P, NG_QS_O, NG_QS_G}, {NG_QS_P, NG_QS_O, NG_QS_S, NG_QS_G},
    {NG_QS_O, NG_QS_S, NG_QS_P, NG_QS_G}, {NG_QS_G, NG_QS_S, NG_QS_P, NG_QS_O},
    {NG_QS_G, NG_QS_P, NG_QS_O, NG_QS_S}, {NG_QS_G, NG_QS_O, NG_QS_S, NG_QS_P}};
static const char *const ix_name[NIX] = {"spog", "posg", "ospg", "gspo", "gpos", "gosp"};

/* =========================================================== encodings */

/* Order-preserving varints: the count of leading 1 bits of the first byte
 * is the count of bytes that follow (0xFF: eight), the value big-endian in
 * the rest.  Only the shortest form is valid, so that memcmp of two
 * encodings orders them as their numbers. */
static size_t varint_put(unsigned char *out, uint64_t v) {
  if (v < 0x80) {
    out[0] = (unsigned char)v;
    return 1;
  }
  size_t n = 2;
  while (n < 9 && v >> (7 * n))
    n++;
  if (n == 9) {
    out[0] = 0xFF;
    for (int i = 0; i < 8; ++i)
      out[1 + i] = (unsigned char)(v >> (56 - 8 * i));
    return 9;
  }
  out[0] = (unsigned char)((0xFFu << (9 - n)) | (unsigned)(v >> (8 * (n - 1))));
  for (size_t i = 1; i < n; ++i)
    out[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
  return n;
}

/* Bytes read, 0 for a malformed or non-shortest varint. */
static size_t varint_get(const unsigned char *p, size_t avail, uint64_t *v) {
  if (!avail) return 0;
  unsigned b = p[0];
  if (b < 0x80) {
    *v = b;
    return 1;
  }
  size_t n = b == 0xFF ? 9 : (size_t)__builtin_clz(~b & 0xFFu) - 24 + 1;
  if (avail < n) return 0;
  uint64_t x = n == 9 ? 0 : (b & (0xFFu >> n));
  for (size_t i = 1; i < n; ++i)
    x = x << 8 | p[i];
  if (x < (uint64_t)1 << (7 * (n - 1 < 8 ? n - 1 : 8))) return 0;
  *v = x;
  return n;
}

/* A hash that is part of the file format (term2id keys, checks): it must
 * never change, so it is this file's own and not ng_hash_bytes. */
static uint64_t mix64(uint64_t x) {
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185ull;
  x ^= x >> 27;
  x *= 0x81dadef4bc2dd44dull;
  x ^= x >> 33;
  return x;
}

static uint64_t format_hash(const void *data, size_t len, uint64_t seed) {
  const unsigned char *p = data;
  uint64_t h = seed ^ (0x9e3779b97f4a7c15ull * (len + 1));
  while (len >= 8) {
    uint64_t w = 0;
    for (int i = 7; i >= 0; --i)
      w = w << 8 | p[i];
    h = mix64(h ^ w) + 0x632be59bd9b4e019ull;
    p += 8;
    len -= 8;
  }
  uint64_t w = 0;
  for (size_t i = len; i-- > 0;)
    w = w << 8 | p[i];
  return mix64(h ^ w ^ ((uint64_t)len << 59));
}

static void put_u64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = v << 8 | p[i];
  return v;
}

/* ================================================================= ids */

NgQsKind ng_qs_id_kind(NgId id) {
  if (!id) return NG_QS_KIND_NONE;
  switch (id & TAG_MASK) {
  case TAG_IRI: return NG_QS_KIND_IRI;
  case TAG_BLANK: return NG_QS_KIND_BLANK;
  case TAG_LITERAL: return NG_QS_KIND_LITERAL;
  case TAG_INTEGER: return NG_QS_KIND_INTEGER;
  case TAG_BOOLEAN: return NG_QS_KIND_BOOLEAN;
  case TAG_DATE: return NG_QS_KIND_DATE;
  case TAG_STRING: return NG_QS_KIND_STRING;
  default: return NG_QS_KIND_NONE;
  }
}

static int64_t id_signed_payload(NgId id) { return (int64_t)id >> TAG_BITS; }

bool ng_qs_id_integer(NgId id, int64_t *value) {
  if ((id & TAG_MASK) != TAG_INTEGER) return false;
  *value = id_signed_payload(id);
  return true;
}

bool ng_qs_id_boolean(NgId id, bool *value) {
  if ((id & TAG_MASK) != TAG_BOOLEAN) return false;
  *value = (id >> TAG_BITS) != 0;
  return true;
}

bool ng_qs_id_date(NgId id, long *days) {
  if ((id & TAG_MASK) != TAG_DATE) return false;
  *days = (long)id_signed_payload(id);
  return true;
}

static bool is_dictionary_tag(NgId id) {
  NgId tag = id & TAG_MASK;
  return tag == TAG_IRI || tag == TAG_BLANK || tag == TAG_LITERAL;
}

/* A term as the store sees it: RDF 1.1 makes "x"^^xsd:string the plain
 * literal "x", and a language tag implies rdf:langString. */
typedef struct {
  char kind; /* 'I' IRI, 'B' blank, 'S' plain, 'L' language, 'T' typed */
  const char *value;
  size_t len;
  const char *lang;     /* 'L' */
  const char *datatype; /* 'T' */
} Parts;

static NgStatus parts_of(const NgTerm *t, Parts *p) {
  memset(p, 0, sizeof *p);
  if (!t || !t->value) return NG_ERR_BAD_ARG;
  p->value = t->value;
  p->len = strlen(t->value);
  switch (t->kind) {
  case NG_TERM_IRI: p->kind = 'I'; return NG_SUCCESS;
  case NG_TERM_BLANK: p->kind = 'B'; return NG_SUCCESS;
  case NG_TERM_LITERAL: break;
  default: return NG_ERR_BAD_ARG;
  }
  if (t->lang && t->lang[0]) {
    p->kind = 'L';
    p->lang = t->lang;
  } else if (t->datatype && t->datatype[0] && strcmp(t->datatype, XSD_STRING)) {
    p->kind = 'T';
    p->datatype = t->datatype;
  } else {
    p->kind = 'S';
  }
  return NG_SUCCESS;
}

static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

/* Canonical xsd:integer: 0, or an optional '-' and digits without a
 * leading zero; within the inline range. */
static bool inline_integer(const char *s, size_t len, NgId *id) {
  bool neg = len && s[0] == '-';
  const char *d = s + neg;
  size_t n = len - neg;
  if (!n || n > 18 || !all_digits(d, n) || (d[0] == '0' && (n > 1 || neg))) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i)
    v = v * 10 + (d[i] - '0');
  if (neg) v = -v;
  if (v >= INLINE_INT_MAX || v < -INLINE_INT_MAX) return false;
  *id = ((NgId)v << TAG_BITS) | TAG_INTEGER;
  return true;
}

/* Canonical xsd:date without a time zone: YYYY-MM-DD, year 0001-9999. */
static bool inline_date(const char *s, size_t len, NgId *id) {
  if (len != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2) ||
      !all_digits(s + 8, 2))
    return false;
  NgDate d = {atoi(s), (s[5] - '0') * 10 + s[6] - '0', (s[8] - '0') * 10 + s[9] - '0'};
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > ng_days_in_month(d.year, d.month))
    return false;
  *id = ((NgId)(int64_t)ng_date_to_days(d) << TAG_BITS) | TAG_DATE;
  return true;
}

/* Plain literals of up to 7 bytes: the length in the payload's low 3 bits,
 * the bytes above it, first byte lowest (short strings, short varints). */
static bool inline_string(const char *s, size_t len, NgId *id) {
  if (len > 7) return false;
  uint64_t payload = len;
  for (size_t i = 0; i < len; ++i)
    payload |= (uint64_t)(unsigned char)s[i] << (3 + 8 * i);
  *id = (payload << TAG_BITS) | TAG_STRING;
  return true;
}

/* The id of a term that is inlined, whatever the store holds. */
static bool inline_id(const Parts *p, NgId *id) {
  if (p->kind == 'S') return inline_string(p->value, p->len, id);
  if (p->kind != 'T') return false;
  if (!strcmp(p->datatype, XSD_INTEGER)) return inline_integer(p->value, p->len, id);
  if (!strcmp(p->datatype, XSD_DATE)) return inline_date(p->value, p->len, id);
  if (!strcmp(p->datatype, XSD_BOOLEAN) &&
      (!strcmp(p->value, "true") || !strcmp(p->value, "false"))) {
    *id = ((NgId)(p->value[0] == 't') << TAG_BITS) | TAG_BOOLEAN;
    return true;
  }
  return false;
}

/* An inline id's term, its text in scratch. */
static NgStatus render_inline(NgId id, NgTerm *term, NgTermScratch *scratch) {
  char *out = scratch->buf;
  *term = (NgTerm){NG_TERM_LITERAL, out, NULL, NULL};
  switch (id & TAG_MASK) {
  case TAG_INTEGER:
    snprintf(out, sizeof scratch->buf, "%lld", (long long)id_signed_payload(id));
    term->datatype = XSD_INTEGER;
    return NG_SUCCESS;
  case TAG_BOOLEAN:
    if (id >> TAG_BITS > 1) return NG_ERR_BAD_ARG;
    strcpy(out, id >> TAG_BITS ? "true" : "false");
    term->datatype = XSD_BOOLEAN;
    return NG_SUCCESS;
  case TAG_DATE: {
    NgDate d = ng_date_from_days((long)id_signed_payload(id));
    if (d.year < 1 || d.year > 9999) return NG_ERR_BAD_ARG;
    ng_date_format(d, out);
    term->datatype = XSD_DATE;
    return NG_SUCCESS;
  }
  case TAG_STRING: {
    uint64_t payload = id >> TAG_BITS;
    size_t len = payload & 7;
    for (size_t i = 0; i < len; ++i)
      out[i] = (char)(payload >> (3 + 8 * i));
    out[len] = '\0';
    if (strlen(out) != len || payload >> (3 + 8 * len)) return NG_ERR_BAD_ARG;
    return NG_SUCCESS;
  }
  default: return NG_ERR_BAD_ARG;
  }
}

/* ====================================================== environments */

/* One LMDB environment per store directory per process (see the top). */
typedef struct Env {
  struct Env *next;
  dev_t dev;
  ino_t ino;
  unsigned refs;
  MDB_env *env;
  MDB_dbi meta, id2term, term2id, ix[NIX];
  bool readonly;
  int write_lock_fd; /* DIR/write.lock, -1 when read-only */
  char *dir, *data_path;
} Env;

static pthread_mutex_t open_envs_lock = PTHREAD_MUTEX_INITIALIZER;
static Env *open_envs;

struct NgQuadStore {
  NgWorld *world;
  Env *env;
};

struct NgQsTxn {
  NgQuadStore *qs;
  MDB_txn *txn;
  bool write, failed;
  NgQsScan *scans;          /* open scans: their cursors end with the txn */
  MDB_cursor *cursors[NIX]; /* for prefix checks */
  /* write transactions */
  bool write_locked;
  uint64_t next_number; /* 0: not read yet */
  NgMap *deltas;        /* meta key -> signed change of its counter */
  NgMap *cache;         /* identity bytes of a term -> id */
  NgId rdf_type;        /* 0: not known (yet) */
  bool rdf_type_looked_up;
  NgBuf buf;
};

/* Errors name the data file: that is what the user can look at. */
static NgStatus lmdb_error(NgQuadStore *qs, int rc, const char *what) {
  NgStatus st = NG_ERR_STORE;
  const char *why = mdb_strerror(rc);
  switch (rc) {
  case MDB_MAP_FULL:
    st = NG_ERR_TOO_LARGE;
    why = "the store reached its map size (set NEWSGRAPH_MAP_SIZE to allow more)";
    break;
  case MDB_TXN_FULL: st = NG_ERR_TOO_LARGE; break;
  case MDB_CORRUPTED:
  case MDB_PAGE_NOTFOUND:
  case MDB_INVALID:
  case MDB_BAD_TXN: why = "the data file is damaged"; break;
  case MDB_VERSION_MISMATCH: why = "the data file was written by another version of LMDB"; break;
  case ENOMEM: st = NG_ERR_NOMEM; break;
  default:
    if (rc > 0) st = NG_ERR_IO;
    break;
  }
  ng_report(qs->world, st, NG_LEVEL_ERROR, qs->env ? qs->env->data_path : NULL, 0, 0, "%s: %s",
            what, why);
  return st;
}

static NgStatus damaged(NgQuadStore *qs, const char *what) {
  ng_report(qs->world, NG_ERR_STORE, NG_LEVEL_ERROR, qs->env->data_path, 0, 0,
            "the data file is damaged: %s", what);
  return NG_ERR_STORE;
}

/* The map: address space only (pages are read from the file on demand).
 * 64 GiB holds some 250 million quads; NEWSGRAPH_MAP_SIZE (bytes, or with
 * K/M/G) sets another size, e.g. a small one to test a full store. */
static size_t map_size(void) {
  const char *env = getenv("NEWSGRAPH_MAP_SIZE");
  if (env && *env) {
    char *end;
    unsigned long long v = strtoull(env, &end, 10);
    if (*end == 'k' || *end == 'K') v <<= 10;
    if (*end == 'm' || *end == 'M') v <<= 20;
    if (*end == 'g' || *end == 'G') v <<= 30;
    if (v >= 65536) return (size_t)v;
  }
  return sizeof(size_t) >= 8 ? (size_t)64 << 30 : (size_t)1 << 30;
}

/* What a directory holds: our files, an older newsgraph store, or others. */
typedef struct {
  bool data, old, foreign, empty;
} DirLook;

static NgStatus look_at_dir(NgQuadStore *qs, const char *dir, DirLook *look) {
  memset(look, 0, sizeof *look);
  look->empty = true;
  DIR *d = opendir(dir);
  if (!d) {
    ng_report(qs->world, NG_ERR_IO, NG_LEVEL_ERROR, dir, 0, 0, "cannot read: %s", strerror(errno));
    return NG_ERR_IO;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    const char *n = e->d_name;
    if (!strcmp(n, ".") || !strcmp(n, "..")) continue;
    look->empty = false;
    if (!strcmp(n, "data.mdb"))
      look->data = true;
    else if (!strcmp(n, "CURRENT") || !strcmp(n, "journal") || !strncmp(n, "gen-", 4))
      look->old = true;
    else if (strcmp(n, "lock.mdb") && strcmp(n, "write.lock") && strcmp(n, "LOCK"))
      look->foreign = true;
  }
  closedir(d);
  return NG_SUCCESS;
}

static NgStatus make_dirs(NgQuadStore *qs, const char *dir) {
  char *path = strdup(dir);
  if (!path) return NG_ERR_NOMEM;
  NgStatus st = NG_SUCCESS;
  size_t len = strlen(path);
  for (size_t i = 1; i <= len && !st; ++i) {
    if (path[i] != '/' && path[i] != '\0') continue;
    char saved = path[i];
    path[i] = '\0';
    if (mkdir(path, 0755) && errno != EEXIST) {
      ng_report(qs->world, NG_ERR_IO, NG_LEVEL_ERROR, dir, 0, 0,
                "cannot create the store directory: %s", strerror(errno));
      st = NG_ERR_IO;
    }
    path[i] = saved;
  }
  free(path);
  return st;
}

/* Finds or makes the directory and says whether a store may open there. */
static NgStatus check_dir(NgQuadStore *qs, const char *dir, bool create) {
  struct stat sb;
  if (stat(dir, &sb)) {
    if (errno != ENOENT) {
      ng_report(qs->world, NG_ERR_IO, NG_LEVEL_ERROR, dir, 0, 0, "cannot use: %s", strerror(errno));
      return NG_ERR_IO;
    }
    if (!create) {
      ng_report(qs->world, NG_ERR_IO, NG_LEVEL_ERROR, dir, 0, 0, "no store at %s", dir);
      return NG_ERR_IO;
    }
    return make_dirs(qs, dir);
  }
  if (!S_ISDIR(sb.st_mode)) {
    ng_report(qs->world, NG_ERR_STORE, NG_LEVEL_ERROR, dir, 0, 0, "exists and is not a directory");
    return NG_ERR_STORE;
  }
  DirLook look;
  NgStatus st = look_at_dir(qs, dir, &look);
  if (st) return st;
  if (look.data) return NG_SUCCESS;
  if (look.old) {
    ng_report(qs->world, NG_ERR_STORE, NG_LEVEL_ERROR, dir, 0, 0,
              "this store was written by an older newsgraph (Berkeley DB generations); "
              "carry it over with 'newsgraph upgrade --store %s'",
              dir);
    return NG_ERR_STORE;
  }
  if (look.foreign) {
    ng_report(qs->world, NG_ERR_STORE, NG_LEVEL_ERROR, dir, 0, 0,
              "not a newsgraph store (no data.mdb, and other files)");
    return NG_ERR_STORE;
  }
  if (!create) {
    ng_report(qs->world, NG_ERR_IO, NG_LEVEL_ERROR, dir, 0, 0, "no store at %s", dir);
    return NG_ERR_IO;
  }
  return NG_SUCCESS;
}

static char *path_join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", dir, name);
  return p;
}

static void env_close(Env *e) {
  if (!e) return;
  if (e->env) mdb_env_close(e->env);
  if (e->write_lock_fd >= 0) close(e->write_lock_fd);
  free(e->dir);
  free(e->data_path);
  free(e);
}

/* A data file shorter than its last committed page was cut (a copy that
 * stopped, a full disk while copying): reading past its end would fault. */
static NgStatus check_file_size(NgQuadStore *qs) {
  MDB_envinfo info;
  MDB_stat stat_;
  struct stat sb;
  Env *e = qs->env;
  if (mdb_env_info(e->env, &info) || mdb_env_stat(e->env, &stat_)) return NG_SUCCESS;
  if (stat(e->data_path, &sb)) {
    ng_report(qs->world, NG_ERR_IO, NG_LEVEL_ERROR, e->data_path, 0, 0, "%s", strerror(errno));
    return NG_ERR_IO;
  }
  unsigned long long need = ((unsigned long long)info.me_last_pgno + 1) * stat_.ms_psize;
  if ((unsigned long long)sb.st_size >= need) return NG_SUCCESS;
  ng_report(qs->world, NG_ERR_STORE, NG_LEVEL_ERROR, e->data_path, 0, 0,
            "the data file is truncated: %llu bytes, its last commit needs %llu",
            (unsigned long long)sb.st_size, need);
  return NG_ERR_STORE;
}

/* The databases' handles (created with MDB_CREATE in flags). */
static int dbis_in(Env *e, MDB_txn *txn, unsigned flags) {
  int rc = mdb_dbi_open(txn, "meta", flags, &e->meta);
  if (!rc) rc = mdb_dbi_open(txn, "id2term", flags, &e->id2term);
  if (!rc) rc = mdb_dbi_open(txn, "term2id", flags, &e->term2id);
  for (int i = 0; i < NIX && !rc; ++i)
    rc = mdb_dbi_open(txn, ix_name[i], flags, &e->ix[i]);
  return rc;
}

/* The format name in meta: MDB_NOTFOUND when missing, -1 when another. */
static int check_format(NgQuadStore *qs, MDB_txn *txn) {
  MDB_val key = {1, "v"}, val;
  int rc = mdb_get(txn, qs->env->meta, &key, &val);
  if (rc) return rc;
  if (val.mv_size == strlen(FORMAT_NAME) && !memcmp(val.mv_data, FORMAT_NAME, val.mv_size))
    return 0;
  ng_report(qs->world, NG_ERR_STORE, NG_LEVEL_ERROR, qs->env->data_path, 0, 0,
            "not a store of this newsgraph (its format is '%.*s')",
            (int)(val.mv_size < 64 ? val.mv_size : 64), (const char *)val.mv_data);
  return -1;
}

static NgStatus lock_writer(NgQuadStore *qs);

/* A new store's databases, made by a write transaction like any other. */
static NgStatus create_dbis(NgQuadStore *qs) {
  Env *e = qs->env;
  MDB_txn *txn;
  NgStatus st = lock_writer(qs);
  if (st) return st;
  int rc = mdb_txn_begin(e->env, NULL, 0, &txn);
  if (!rc) {
    rc = dbis_in(e, txn, MDB_CREATE);
    if (!rc) rc = check_format(qs, txn);
    if (rc == MDB_NOTFOUND) {
      MDB_val key = {1, "v"}, val = {strlen(FORMAT_NAME), FORMAT_NAME};
      rc = mdb_put(txn, e->meta, &key, &val, 0);
    }
    if (rc)
      mdb_txn_abort(txn);
    else
      rc = mdb_txn_commit(txn);
  }
  flock(e->write_lock_fd, LOCK_UN);
  if (rc == -1) return NG_ERR_STORE;
  return rc ? lmdb_error(qs, rc, "cannot create the store") : NG_SUCCESS;
}

/* LMDB's main database holds nothing: a new file, no database made yet. */
static bool main_db_empty(Env *e) {
  MDB_stat st;
  return !mdb_env_stat(e->env, &st) && st.ms_entries == 0;
}

static NgStatus open_dbis(NgQuadStore *qs, bool create) {
  Env *e = qs->env;
  MDB_txn *txn;
  int rc = mdb_txn_begin(e->env, NULL, MDB_RDONLY, &txn);
  if (rc) return lmdb_error(qs, rc, "cannot read the store");
  rc = dbis_in(e, txn, 0);
  if (!rc) rc = check_format(qs, txn);
  if (rc)
    mdb_txn_abort(txn);
  else
    rc = mdb_txn_commit(txn); /* (keeps the handles) */
  if (rc == MDB_NOTFOUND && create && !e->readonly) return create_dbis(qs);
  if (rc == MDB_NOTFOUND && main_db_empty(e)) return NG_END; /* its writer is making it */
  if (rc == MDB_NOTFOUND) {
    ng_report(qs->world, NG_ERR_STORE, NG_LEVEL_ERROR, e->data_path, 0, 0,
              "not a newsgraph store (an LMDB file without its databases)");
    return NG_ERR_STORE;
  }
  if (rc == -1) return NG_ERR_STORE;
  return rc ? lmdb_error(qs, rc, "cannot read the store") : NG_SUCCESS;
}

/* Opens LMDB read-write when the files allow it, else read-only; a store
 * whose lock file cannot be written is read without it (nobody can be
 * writing it then either, unless with other rights). */
static NgStatus env_open(NgQuadStore *qs, const char *dir, bool create) {
  Env *e = qs->env;
  int rc = mdb_env_create(&e->env);
  if (!rc) rc = mdb_env_set_maxdbs(e->env, 12);
  if (!rc) rc = mdb_env_set_mapsize(e->env, map_size());
  if (rc) return lmdb_error(qs, rc, "cannot open the store");
  rc = mdb_env_open(e->env, dir, MDB_NOTLS, 0644);
  if ((rc == EACCES || rc == EROFS) && !create) {
    e->readonly = true;
    rc = mdb_env_open(e->env, dir, MDB_NOTLS | MDB_RDONLY, 0644);
    if (rc == EACCES || rc == EROFS)
      rc = mdb_env_open(e->env, dir, MDB_NOTLS | MDB_RDONLY | MDB_NOLOCK, 0644);
  }
  if (rc) return lmdb_error(qs, rc, create ? "cannot create the store" : "cannot open the store");
  if (!e->readonly) {
    int dead = 0;
    mdb_reader_check(e->env, &dead); /* slots of killed readers */
    char *lock = path_join(dir, "write.lock");
    e->write_lock_fd = lock ? open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
    free(lock);
    if (e->write_lock_fd < 0) e->readonly = true;
  }
  NgStatus st = check_file_size(qs);
  return st ? st : open_dbis(qs, create);
}

NgQuadStore *ng_qs_open(NgWorld *world, const char *dir, bool create, NgStatus *status) {
  NgQuadStore *qs = calloc(1, sizeof *qs);
  NgStatus st = qs ? NG_SUCCESS : NG_ERR_NOMEM;
  struct stat sb;
  if (!st) {
    qs->world = world;
    st = check_dir(qs, dir, create);
  }
  if (!st && stat(dir, &sb)) st = NG_ERR_IO;
  if (!st) {
    pthread_mutex_lock(&open_envs_lock);
    for (Env *e = open_envs; e; e = e->next)
      if (e->dev == sb.st_dev && e->ino == sb.st_ino) qs->env = e;
    if (qs->env) {
      qs->env->refs++;
    } else if (!(qs->env = calloc(1, sizeof *qs->env))) {
      st = NG_ERR_NOMEM;
    } else {
      Env *e = qs->env;
      e->dev = sb.st_dev;
      e->ino = sb.st_ino;
      e->refs = 1;
      e->write_lock_fd = -1;
      e->dir = strdup(dir);
      e->data_path = path_join(dir, "data.mdb");
      st = e->dir && e->data_path ? env_open(qs, dir, create) : NG_ERR_NOMEM;
      if (!st) {
        e->next = open_envs;
        open_envs = e;
      } else {
        env_close(e);
        qs->env = NULL;
      }
    }
    pthread_mutex_unlock(&open_envs_lock);
  }
  if (status) *status = st;
  if (!st) return qs;
  free(qs);
  return NULL;
}

void ng_qs_free(NgQuadStore *qs) {
  if (!qs) return;
  pthread_mutex_lock(&open_envs_lock);
  Env *e = qs->env;
  if (e && --e->refs == 0) {
    for (Env **p = &open_envs; *p; p = &(*p)->next)
      if (*p == e) {
        *p = e->next;
        break;
      }
    env_close(e);
  }
  pthread_mutex_unlock(&open_envs_lock);
  free(qs);
}

/* ======================================================= transactions */

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The writers' flock: waits politely, says so after a second, and gives
 * up when the user asks the process to stop. */
static NgStatus lock_writer(NgQuadStore *qs) {
  Env *e = qs->env;
  double start = now_seconds();
  bool noted = false;
  while (flock(e->write_lock_fd, LOCK_EX | LOCK_NB)) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      ng_report(qs->world, NG_ERR_IO, NG_LEVEL_ERROR, e->dir, 0, 0, "cannot lock: %s",
                strerror(errno));
      return NG_ERR_IO;
    }
    if (ng_world_stop_requested(qs->world)) return NG_ERR_INTERRUPTED;
    if (!noted && now_seconds() - start > 1.0) {
      ng_report(qs->world, NG_SUCCESS, NG_LEVEL_NOTE, e->dir, 0, 0,
                "waiting for another writer to finish with the store");
      noted = true;
    }
    struct timespec pause = {0, 10 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
  return NG_SUCCESS;
}

NgQsTxn *ng_qs_txn_begin(NgQuadStore *qs, bool write, NgStatus *status) {
  NgQsTxn *t = calloc(1, sizeof *t);
  NgStatus st = t ? NG_SUCCESS : NG_ERR_NOMEM;
  if (!st && write && qs->env->readonly) {
    ng_report(qs->world, NG_ERR_IO, NG_LEVEL_ERROR, qs->env->data_path, 0, 0,
              "the store is not writable: %s", strerror(EACCES));
    st = NG_ERR_IO;
  }
  if (!st) {
    t->qs = qs;
    t->write = write;
    if (write) st = lock_writer(qs);
    t->write_locked = write && !st;
  }
  if (!st) {
    int rc = mdb_txn_begin(qs->env->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
    if (rc == MDB_MAP_RESIZED) { /* another process grew the map */
      mdb_env_set_mapsize(qs->env->env, 0);
      rc = mdb_txn_begin(qs->env->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
    }
    if (rc) st = lmdb_error(qs, rc, "cannot begin a transaction");
  }
  if (status) *status = st;
  if (!st) return t;
  if (t && t->write_locked) flock(qs->env->write_lock_fd, LOCK_UN);
  free(t);
  return NULL;
}

bool ng_qs_txn_is_write(const NgQsTxn *txn) { return txn->write; }

struct NgQsScan {
  NgQsTxn *txn;
  NgQsScan *next_open, **prev_open;
  MDB_cursor *cursor; /* NULL once the transaction ended */
  int ix;
  NgId pattern[4];
  unsigned char prefix[KEY_MAX];
  size_t prefix_len;
  enum { SCAN_START, SCAN_SEEKED, SCAN_RUNNING, SCAN_DONE } state;
  unsigned char last[KEY_MAX];
  size_t last_len;
};

/* Cursors end before their transaction (LMDB frees a write transaction's
 * with it, and a read transaction's must be closed by hand). */
static void close_cursors(NgQsTxn *t) {
  for (NgQsScan *s = t->scans; s; s = s->next_open) {
    if (s->cursor) mdb_cursor_close(s->cursor);
    s->cursor = NULL;
    s->state = SCAN_DONE;
  }
  for (int i = 0; i < NIX; ++i) {
    if (t->cursors[i]) mdb_cursor_close(t->cursors[i]);
    t->cursors[i] = NULL;
  }
}

static void txn_release(NgQsTxn *t) {
  /* scans outlive nothing: detach them so that their free is harmless */
  for (NgQsScan *s = t->scans, *next; s; s = next) {
    next = s->next_open;
    s->txn = NULL;
    s->prev_open = NULL;
    s->next_open = NULL;
  }
  if (t->write_locked) flock(t->qs->env->write_lock_fd, LOCK_UN);
  ng_map_free(t->deltas);
  ng_map_free(t->cache);
  ng_buf_free(&t->buf);
  free(t);
}

void ng_qs_txn_abort(NgQsTxn *t) {
  if (!t) return;
  close_cursors(t);
  if (t->txn) mdb_txn_abort(t->txn);
  txn_release(t);
}

static NgStatus flush_counters(NgQsTxn *t);

NgStatus ng_qs_txn_commit(NgQsTxn *t) {
  if (!t->write) {
    ng_qs_txn_abort(t);
    return NG_SUCCESS;
  }
  NgStatus st = t->failed ? NG_ERR_STORE : flush_counters(t);
  close_cursors(t);
  if (st) {
    mdb_txn_abort(t->txn);
  } else {
    int rc = mdb_txn_commit(t->txn);
    if (rc) st = lmdb_error(t->qs, rc, "cannot commit");
  }
  t->txn = NULL;
  txn_release(t);
  return st;
}

/* Every failed LMDB call in a write transaction dooms it: it can only be
 * aborted (LMDB refuses the commit anyway). */
static NgStatus txn_error(NgQsTxn *t, int rc, const char *what) {
  if (t->write) t->failed = true;
  return lmdb_error(t->qs, rc, what);
}

static NgStatus need_write(NgQsTxn *t) {
  if (t->write) return t->failed ? NG_ERR_STORE : NG_SUCCESS;
  ng_report(t->qs->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, t->qs->env->data_path, 0, 0,
            "a write in a read transaction");
  return NG_ERR_BAD_ARG;
}

/* =========================================================== counters */

typedef struct {
  unsigned char b[1 + 2 * 9];
  size_t len;
} MetaKey;

static MetaKey meta_key(char tag, NgId a, NgId b) {
  MetaKey k;
  k.b[0] = (unsigned char)tag;
  k.len = 1;
  if (a) k.len += varint_put(k.b + k.len, a);
  if (b) k.len += varint_put(k.b + k.len, b);
  return k;
}

static NgStatus add_delta(NgQsTxn *t, MetaKey k, int64_t delta) {
  if (!t->deltas && !(t->deltas = ng_map_new())) return NG_ERR_NOMEM;
  uintptr_t *slot = ng_map_slot(t->deltas, (const char *)k.b, k.len, NULL);
  if (!slot) return NG_ERR_NOMEM;
  *slot = (uintptr_t)((int64_t)*slot + delta);
  return NG_SUCCESS;
}

/* A stored counter (0 when absent). */
static NgStatus meta_read(NgQsTxn *t, const unsigned char *key, size_t len, uint64_t *value) {
  MDB_val k = {len, (void *)key}, v;
  int rc = mdb_get(t->txn, t->qs->env->meta, &k, &v);
  *value = 0;
  if (rc == MDB_NOTFOUND) return NG_SUCCESS;
  if (rc) return txn_error(t, rc, "cannot read a counter");
  if (v.mv_size != 8) return damaged(t->qs, "a counter is not 8 bytes");
  *value = get_u64(v.mv_data);
  return NG_SUCCESS;
}

static NgStatus meta_write(NgQsTxn *t, const unsigned char *key, size_t len, uint64_t value) {
  MDB_val k = {len, (void *)key};
  int rc;
  if (value) {
    unsigned char b[8];
    put_u64(b, value);
    MDB_val v = {8, b};
    rc = mdb_put(t->txn, t->qs->env->meta, &k, &v, 0);
  } else {
    rc = mdb_del(t->txn, t->qs->env->meta, &k, NULL);
    if (rc == MDB_NOTFOUND) rc = 0;
  }
  return rc ? txn_error(t, rc, "cannot write a counter") : NG_SUCCESS;
}

static NgStatus apply_delta(NgQsTxn *t, const unsigned char *key, size_t len, int64_t delta,
                            int64_t *graphs) {
  uint64_t old, now;
  NgStatus st;
  NG_TRY(st, meta_read(t, key, len, &old));
  now = old + (uint64_t)delta;
  if (delta < 0 && (uint64_t)-delta > old) now = 0; /* never below zero */
  if (key[0] == 'G') *graphs += (now > 0) - (old > 0);
  return meta_write(t, key, len, now);
}

/* The gathered changes into meta (before a commit, or before a counter is
 * read in the transaction that changed it). */
static NgStatus flush_counters(NgQsTxn *t) {
  NgStatus st = NG_SUCCESS;
  int64_t graphs = 0;
  size_t i = 0, len;
  const char *key;
  uintptr_t value;
  while (!st && t->deltas && ng_map_next(t->deltas, &i, &key, &len, &value))
    if (value) st = apply_delta(t, (const unsigned char *)key, len, (int64_t)value, &graphs);
  if (!st && graphs) st = apply_delta(t, (const unsigned char *)"R", 1, graphs, &graphs);
  if (!st && t->next_number) st = meta_write(t, (const unsigned char *)"n", 1, t->next_number);
  ng_map_free(t->deltas);
  t->deltas = NULL;
  return st;
}

static NgStatus counter(NgQsTxn *t, MetaKey k, uint64_t *value) {
  NgStatus st;
  if (t->write && t->deltas) NG_TRY(st, flush_counters(t));
  return meta_read(t, k.b, k.len, value);
}

/* ================================================================ terms */

/* The bytes that identify a term in term2id's hash and in the write
 * cache: kind, language tag and NUL or the datatype's id, the text. */
static NgStatus identity(NgBuf *b, const Parts *p, NgId datatype) {
  ng_buf_clear(b);
  NgStatus st = ng_buf_putc(b, p->kind);
  if (!st && p->kind == 'L') st = ng_buf_append(b, p->lang, strlen(p->lang) + 1);
  if (!st && p->kind == 'T') {
    unsigned char d[8];
    put_u64(d, datatype);
    st = ng_buf_append(b, (const char *)d, 8);
  }
  if (!st) st = ng_buf_append(b, p->value, p->len);
  return st;
}

/* id2term's value: u32 check of the rest, kind, ['L': lang NUL]
 * ['T': varint datatype id], text, NUL. */
typedef struct {
  char kind;
  const char *lang, *value;
  size_t len;
  NgId datatype;
} Stored;

static NgStatus parse_stored(NgQuadStore *qs, NgId id, const MDB_val *v, Stored *s) {
  const unsigned char *p = v->mv_data, *end = p + v->mv_size;
  memset(s, 0, sizeof *s);
  if (v->mv_size < 6) return damaged(qs, "a dictionary entry is too short");
  uint32_t check =
      (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  if ((uint32_t)format_hash(p + 4, v->mv_size - 4, 7) != check)
    return damaged(qs, "a dictionary entry fails its check");
  p += 4;
  s->kind = (char)*p++;
  if (s->kind == 'L') {
    s->lang = (const char *)p;
    const unsigned char *nul = memchr(p, 0, (size_t)(end - p));
    if (!nul) return damaged(qs, "a language tag without its end");
    p = nul + 1;
  } else if (s->kind == 'T') {
    size_t n = varint_get(p, (size_t)(end - p), &s->datatype);
    if (!n || (s->datatype & TAG_MASK) != TAG_IRI) return damaged(qs, "a bad datatype id");
    p += n;
  }
  if (p >= end || end[-1] != '\0') return damaged(qs, "a term without its end");
  s->value = (const char *)p;
  s->len = (size_t)(end - p) - 1;
  NgId tag = id & TAG_MASK;
  bool kind_ok = (s->kind == 'I' && tag == TAG_IRI) || (s->kind == 'B' && tag == TAG_BLANK) ||
                 ((s->kind == 'S' || s->kind == 'L' || s->kind == 'T') && tag == TAG_LITERAL);
  if (!kind_ok || strlen(s->value) != s->len) return damaged(qs, "a term of the wrong kind");
  return NG_SUCCESS;
}

static NgStatus get_stored(NgQsTxn *t, NgId id, Stored *s, bool *found) {
  unsigned char kb[9];
  MDB_val k = {varint_put(kb, id), kb}, v;
  int rc = mdb_get(t->txn, t->qs->env->id2term, &k, &v);
  *found = rc == 0;
  if (rc == MDB_NOTFOUND) return NG_SUCCESS;
  if (rc) return txn_error(t, rc, "cannot read the dictionary");
  return parse_stored(t->qs, id, &v, s);
}

static bool stored_equals(const Stored *s, const Parts *p, NgId datatype) {
  if (s->kind != p->kind || s->len != p->len || memcmp(s->value, p->value, p->len)) return false;
  if (p->kind == 'L') return !strcmp(s->lang, p->lang);
  if (p->kind == 'T') return s->datatype == datatype;
  return true;
}

/* Looks the term up through term2id; *candidates keeps the value found
 * (for a new term to extend). */
static NgStatus find_term(NgQsTxn *t, const Parts *p, NgId datatype, uint64_t hash, NgId *id,
                          MDB_val *candidates) {
  unsigned char kb[8];
  put_u64(kb, hash);
  MDB_val k = {8, kb};
  *id = 0;
  int rc = mdb_get(t->txn, t->qs->env->term2id, &k, candidates);
  if (rc == MDB_NOTFOUND) {
    *candidates = (MDB_val){0, NULL};
    return NG_SUCCESS;
  }
  if (rc) return txn_error(t, rc, "cannot read the dictionary");
  if (candidates->mv_size % 8) return damaged(t->qs, "a dictionary hash entry");
  for (size_t i = 0; i < candidates->mv_size; i += 8) {
    NgId c = get_u64((const unsigned char *)candidates->mv_data + i);
    Stored s;
    bool found;
    NgStatus st = get_stored(t, c, &s, &found);
    if (st) return st;
    if (!found) return damaged(t->qs, "the dictionary names a term it does not hold");
    if (stored_equals(&s, p, datatype)) {
      *id = c;
      return NG_SUCCESS;
    }
  }
  return NG_SUCCESS;
}

static NgStatus next_number(NgQsTxn *t, uint64_t *n) {
  NgStatus st;
  if (!t->next_number) {
    NG_TRY(st, meta_read(t, (const unsigned char *)"n", 1, &t->next_number));
    if (!t->next_number) t->next_number = 1;
  }
  *n = t->next_number++;
  return NG_SUCCESS;
}

static NgStatus put_term(NgQsTxn *t, const Parts *p, NgId id, NgId datatype) {
  NgBuf *b = &t->buf;
  unsigned char head[4 + 1 + 9];
  size_t hl = 5;
  head[4] = (unsigned char)p->kind;
  if (p->kind == 'T') hl += varint_put(head + 5, datatype);
  ng_buf_clear(b);
  NgStatus st = ng_buf_append(b, (const char *)head, hl);
  if (!st && p->kind == 'L') st = ng_buf_append(b, p->lang, strlen(p->lang) + 1);
  if (!st) st = ng_buf_append(b, p->value, p->len + 1);
  if (st) return st;
  uint32_t check = (uint32_t)format_hash(b->data + 4, b->len - 4, 7);
  for (int i = 0; i < 4; ++i)
    b->data[i] = (char)(check >> (8 * i));
  unsigned char kb[9];
  MDB_val k = {varint_put(kb, id), kb}, v = {b->len, b->data};
  /* numbers only grow: appending fills pages */
  int rc = mdb_put(t->txn, t->qs->env->id2term, &k, &v, MDB_APPEND);
  if (rc == MDB_KEYEXIST) rc = mdb_put(t->txn, t->qs->env->id2term, &k, &v, MDB_NOOVERWRITE);
  return rc ? txn_error(t, rc, "cannot write the dictionary") : NG_SUCCESS;
}

static NgStatus put_hash(NgQsTxn *t, uint64_t hash, const MDB_val *old, NgId id) {
  unsigned char kb[8];
  put_u64(kb, hash);
  size_t n = old->mv_size + 8;
  unsigned char *ids = malloc(n);
  if (!ids) return NG_ERR_NOMEM;
  if (old->mv_size) memcpy(ids, old->mv_data, old->mv_size);
  put_u64(ids + old->mv_size, id);
  MDB_val k = {8, kb}, v = {n, ids};
  int rc = mdb_put(t->txn, t->qs->env->term2id, &k, &v, 0);
  free(ids);
  return rc ? txn_error(t, rc, "cannot write the dictionary") : NG_SUCCESS;
}

#define CACHE_MAX_KEY 512 /* longer terms are not kept in the write cache */

static NgStatus term_id(NgQsTxn *t, const Parts *p, bool add, NgId *id);

/* The datatype of a typed literal as an id: added when add. */
static NgStatus datatype_id(NgQsTxn *t, const Parts *p, bool add, NgId *dt) {
  *dt = 0;
  if (p->kind != 'T') return NG_SUCCESS;
  Parts d = {'I', p->datatype, strlen(p->datatype), NULL, NULL};
  return term_id(t, &d, add, dt);
}

static NgStatus term_id(NgQsTxn *t, const Parts *p, bool add, NgId *id) {
  NgStatus st;
  NgId datatype;
  *id = 0;
  if (inline_id(p, id)) return NG_SUCCESS;
  size_t total = p->len + (p->lang ? strlen(p->lang) : 0) + (p->datatype ? strlen(p->datatype) : 0);
  if (total > NG_QS_TERM_MAX) {
    ng_report(t->qs->world, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, t->qs->env->data_path, 0, 0,
              "a term of %zu bytes (the store takes terms of up to %d MiB)", total,
              NG_QS_TERM_MAX >> 20);
    return NG_ERR_TOO_LARGE;
  }
  NG_TRY(st, datatype_id(t, p, add, &datatype));
  if (p->kind == 'T' && !datatype) return NG_END;
  NG_TRY(st, identity(&t->buf, p, datatype));
  uintptr_t cached;
  bool cacheable = t->write && t->buf.len <= CACHE_MAX_KEY;
  if (cacheable && t->cache && ng_map_get(t->cache, t->buf.data, t->buf.len, &cached)) {
    *id = (NgId)cached;
    return NG_SUCCESS;
  }
  uint64_t hash = format_hash(t->buf.data, t->buf.len, 1);
  MDB_val candidates;
  NG_TRY(st, find_term(t, p, datatype, hash, id, &candidates));
  if (!*id && !add) return NG_END;
  if (!*id) {
    uint64_t n;
    NG_TRY(st, next_number(t, &n));
    *id = (n << TAG_BITS) | (p->kind == 'I' ? TAG_IRI : p->kind == 'B' ? TAG_BLANK : TAG_LITERAL);
    NG_TRY(st, put_hash(t, hash, &candidates, *id));
    NG_TRY(st, put_term(t, p, *id, datatype));
    NG_TRY(st, add_delta(t, meta_key('D', 0, 0), 1));
    if (p->kind == 'I' && !strcmp(p->value, RDF_TYPE)) t->rdf_type = *id;
    NG_TRY(st, identity(&t->buf, p, datatype)); /* put_term used the buffer */
  }
  if (cacheable) {
    if (!t->cache && !(t->cache = ng_map_new())) return NG_ERR_NOMEM;
    NG_TRY(st, ng_map_put(t->cache, t->buf.data, t->buf.len, (uintptr_t)*id));
  }
  return NG_SUCCESS;
}

NgStatus ng_qs_lookup(NgQsTxn *txn, const NgTerm *term, NgId *id) {
  Parts p;
  NgStatus st = parts_of(term, &p);
  *id = 0;
  if (st) return st;
  return term_id(txn, &p, false, id);
}

NgStatus ng_qs_intern(NgQsTxn *txn, const NgTerm *term, NgId *id) {
  Parts p;
  NgStatus st = parts_of(term, &p);
  *id = 0;
  if (!st) st = need_write(txn);
  if (st) return st;
  return term_id(txn, &p, true, id);
}

NgStatus ng_qs_term(NgQsTxn *txn, NgId id, NgTerm *term, NgTermScratch *scratch) {
  *term = (NgTerm){NG_TERM_IRI, NULL, NULL, NULL};
  if (!is_dictionary_tag(id)) return render_inline(id, term, scratch);
  Stored s, d;
  bool found;
  NgStatus st = get_stored(txn, id, &s, &found);
  if (st) return st;
  if (!found) return NG_ERR_BAD_ARG;
  term->value = s.value;
  term->kind = s.kind == 'I' ? NG_TERM_IRI : s.kind == 'B' ? NG_TERM_BLANK : NG_TERM_LITERAL;
  if (s.kind == 'L') term->lang = s.lang;
  if (s.kind != 'T') return NG_SUCCESS;
  NG_TRY(st, get_stored(txn, s.datatype, &d, &found));
  if (!found || d.kind != 'I') return damaged(txn->qs, "a literal's datatype is missing");
  term->datatype = d.value;
  return NG_SUCCESS;
}

/* rdf:type's id, for the class counters (0 while the store has none). */
static NgStatus rdf_type_id(NgQsTxn *t, NgId *id) {
  if (!t->rdf_type && !t->rdf_type_looked_up) {
    Parts p = {'I', RDF_TYPE, strlen(RDF_TYPE), NULL, NULL};
    NgStatus st = term_id(t, &p, false, &t->rdf_type);
    if (st && st != NG_END) return st;
    t->rdf_type_looked_up = true;
  }
  *id = t->rdf_type;
  return NG_SUCCESS;
}

/* ========================================================= INDEX LAYER */

/* Each index is an LMDB database of keys made of the four ids in the
 * index's order, as varints, with a one-byte value: a check of the key. */

typedef struct {
  unsigned char b[KEY_MAX];
  size_t len;
} Key;

/* The first n positions of quad q in index ix's order. */
static void key_make(Key *k, int ix, const NgId q[4], int n) {
  k->len = 0;
  for (int i = 0; i < n; ++i)
    k->len += varint_put(k->b + k->len, q[ix_order[ix][i]]);
}

static unsigned char key_check(const void *key, size_t len) {
  return (unsigned char)(format_hash(key, len, 3) >> 56);
}

/* A key of index ix back into a quad; false when it is not one. */
static bool key_parse(int ix, const MDB_val *k, const MDB_val *v, NgId q[4]) {
  const unsigned char *p = k->mv_data;
  size_t left = k->mv_size;
  for (int i = 0; i < 4; ++i) {
    uint64_t x;
    size_t n = varint_get(p, left, &x);
    if (!n || !x) return false;
    q[ix_order[ix][i]] = x;
    p += n;
    left -= n;
  }
  return !left && v->mv_size == 1 &&
         *(const unsigned char *)v->mv_data == key_check(k->mv_data, k->mv_size);
}

static NgStatus ix_cursor(NgQsTxn *t, int ix, MDB_cursor **c) {
  if (!t->cursors[ix]) {
    int rc = mdb_cursor_open(t->txn, t->qs->env->ix[ix], &t->cursors[ix]);
    if (rc) return txn_error(t, rc, "cannot read an index");
  }
  *c = t->cursors[ix];
  return NG_SUCCESS;
}

/* Is there a quad whose first n positions (in ix's order) are those of q? */
static NgStatus ix_has_prefix(NgQsTxn *t, int ix, const NgId q[4], int n, bool *found) {
  Key k;
  MDB_cursor *c = NULL;
  NgStatus st;
  NG_TRY(st, ix_cursor(t, ix, &c));
  key_make(&k, ix, q, n);
  MDB_val key = {k.len, k.b}, val;
  int rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
  *found = false;
  if (rc == MDB_NOTFOUND) return NG_SUCCESS;
  if (rc) return txn_error(t, rc, "cannot read an index");
  *found = key.mv_size >= k.len && !memcmp(key.mv_data, k.b, k.len);
  return NG_SUCCESS;
}

static NgStatus ix_put(NgQsTxn *t, int ix, const NgId q[4], bool *added) {
  Key k;
  key_make(&k, ix, q, 4);
  unsigned char check = key_check(k.b, k.len);
  MDB_val key = {k.len, k.b}, val = {1, &check};
  int rc = mdb_put(t->txn, t->qs->env->ix[ix], &key, &val, MDB_NOOVERWRITE);
  *added = rc != MDB_KEYEXIST;
  if (rc == MDB_KEYEXIST) return NG_SUCCESS;
  return rc ? txn_error(t, rc, "cannot write an index") : NG_SUCCESS;
}

static NgStatus ix_del(NgQsTxn *t, int ix, const NgId q[4], bool *removed) {
  Key k;
  key_make(&k, ix, q, 4);
  MDB_val key = {k.len, k.b};
  int rc = mdb_del(t->txn, t->qs->env->ix[ix], &key, NULL);
  *removed = rc == 0;
  if (rc == MDB_NOTFOUND) return NG_SUCCESS;
  return rc ? txn_error(t, rc, "cannot write an index") : NG_SUCCESS;
}

/* ================================================================ quads */

static bool quad_ok(const NgId q[4]) { return q[0] && q[1] && q[2] && q[3]; }

/* What a quad's arrival or departure changes in the counters.  sign is +1
 * or -1; new_triple etc. say whether the triple, the (s, p) pair and the
 * (p, o) pair appeared or disappeared with it. */
static NgStatus count_quad(NgQsTxn *t, const NgId q[4], int sign, bool triple, bool sp, bool po) {
  NgStatus st;
  NgId type;
  NG_TRY(st, rdf_type_id(t, &type));
  NG_TRY(st, add_delta(t, meta_key('Q', 0, 0), sign));
  NG_TRY(st, add_delta(t, meta_key('P', q[1], 0), sign));
  NG_TRY(st, add_delta(t, meta_key('G', q[3], 0), sign));
  NG_TRY(st, add_delta(t, meta_key('H', q[3], q[1]), sign));
  if (triple) NG_TRY(st, add_delta(t, meta_key('T', 0, 0), sign));
  if (sp) NG_TRY(st, add_delta(t, meta_key('S', q[1], 0), sign));
  if (po) NG_TRY(st, add_delta(t, meta_key('O', q[1], 0), sign));
  if (type && q[1] == type) {
    NG_TRY(st, add_delta(t, meta_key('C', q[2], 0), sign));
    if (triple) NG_TRY(st, add_delta(t, meta_key('c', q[2], 0), sign));
  }
  return NG_SUCCESS;
}

/* Which of the triple, (s, p) and (p, o) the store holds now. */
static NgStatus holds(NgQsTxn *t, const NgId q[4], bool *triple, bool *sp, bool *po) {
  NgStatus st;
  NG_TRY(st, ix_has_prefix(t, IX_SPOG, q, 3, triple));
  if (*triple) {
    *sp = *po = true;
    return NG_SUCCESS;
  }
  NG_TRY(st, ix_has_prefix(t, IX_SPOG, q, 2, sp));
  return ix_has_prefix(t, IX_POSG, q, 2, po);
}

NgStatus ng_qs_insert(NgQsTxn *txn, const NgId quad[4], bool *added) {
  NgStatus st;
  bool was_added = false, triple, sp, po, dummy;
  if (added) *added = false;
  NG_TRY(st, need_write(txn));
  if (!quad_ok(quad)) return NG_ERR_BAD_ARG;
  NG_TRY(st, holds(txn, quad, &triple, &sp, &po));
  NG_TRY(st, ix_put(txn, IX_SPOG, quad, &was_added));
  if (!was_added) return NG_SUCCESS;
  for (int ix = 1; ix < NIX; ++ix)
    NG_TRY(st, ix_put(txn, ix, quad, &dummy));
  NG_TRY(st, count_quad(txn, quad, +1, !triple, !sp, !po));
  if (added) *added = true;
  return NG_SUCCESS;
}

NgStatus ng_qs_remove(NgQsTxn *txn, const NgId quad[4], bool *removed) {
  NgStatus st;
  bool was_removed = false, triple, sp, po, dummy;
  if (removed) *removed = false;
  NG_TRY(st, need_write(txn));
  if (!quad_ok(quad)) return NG_ERR_BAD_ARG;
  NG_TRY(st, ix_del(txn, IX_SPOG, quad, &was_removed));
  if (!was_removed) return NG_SUCCESS;
  for (int ix = 1; ix < NIX; ++ix)
    NG_TRY(st, ix_del(txn, ix, quad, &dummy));
  NG_TRY(st, holds(txn, quad, &triple, &sp, &po));
  NG_TRY(st, count_quad(txn, quad, -1, !triple, !sp, !po));
  if (removed) *removed = true;
  return NG_SUCCESS;
}

/* ================================================================ scans */

/* The index for a pattern: the one whose order starts with the most bound
 * positions; with NG_QS_GRAPH_LAST and the graph unbound, one of the
 * three that put the graph last. */
static int choose_index(const NgId pattern[4], unsigned flags) {
  int best = IX_SPOG, best_n = -1;
  for (int ix = 0; ix < NIX; ++ix) {
    if ((flags & NG_QS_GRAPH_LAST) && !pattern[NG_QS_G] && ix >= IX_GSPO) break;
    int n = 0;
    while (n < 4 && pattern[ix_order[ix][n]])
      n++;
    if (n > best_n) {
      best = ix;
      best_n = n;
    }
  }
  return best;
}

static void scan_link(NgQsTxn *t, NgQsScan *s) {
  s->next_open = t->scans;
  s->prev_open = &t->scans;
  if (t->scans) t->scans->prev_open = &s->next_open;
  t->scans = s;
}

NgQsScan *ng_qs_scan_new(NgQsTxn *txn, const NgId pattern[4], unsigned flags, NgStatus *status) {
  NgQsScan *s = calloc(1, sizeof *s);
  NgStatus st = s ? NG_SUCCESS : NG_ERR_NOMEM;
  if (!st) {
    s->txn = txn;
    memcpy(s->pattern, pattern, sizeof s->pattern);
    s->ix = choose_index(pattern, flags);
    int rc = mdb_cursor_open(txn->txn, txn->qs->env->ix[s->ix], &s->cursor);
    if (rc) st = txn_error(txn, rc, "cannot read an index");
  }
  if (!st) {
    int n = 0;
    while (n < 4 && pattern[ix_order[s->ix][n]])
      n++;
    Key k;
    key_make(&k, s->ix, pattern, n);
    memcpy(s->prefix, k.b, k.len);
    s->prefix_len = k.len;
    scan_link(txn, s);
  }
  if (status) *status = st;
  if (!st) return s;
  free(s);
  return NULL;
}

void ng_qs_scan_order(const NgQsScan *scan, int order[4]) {
  memcpy(order, ix_order[scan->ix], sizeof ix_order[0]);
}

/* Keys come in ascending order, or the index is damaged. */
static bool after_last(const NgQsScan *s, const MDB_val *key) {
  if (!s->last_len) return true;
  size_t n = key->mv_size < s->last_len ? key->mv_size : s->last_len;
  int cmp = memcmp(key->mv_data, s->last, n);
  return cmp > 0 || (cmp == 0 && key->mv_size > s->last_len);
}

NgStatus ng_qs_scan_next(NgQsScan *s, NgId quad[4]) {
  if (s->state == SCAN_DONE || !s->cursor) return NG_END;
  MDB_val key = {s->prefix_len, s->prefix}, val;
  /* (LMDB takes no empty key: an empty prefix starts at the first) */
  MDB_cursor_op op = s->state == SCAN_START    ? (s->prefix_len ? MDB_SET_RANGE : MDB_FIRST)
                     : s->state == SCAN_SEEKED ? MDB_GET_CURRENT
                                               : MDB_NEXT;
  int rc = mdb_cursor_get(s->cursor, &key, &val, op);
  s->state = SCAN_RUNNING;
  if (rc == MDB_NOTFOUND || (rc == EINVAL && op == MDB_GET_CURRENT)) {
    s->state = SCAN_DONE;
    return NG_END;
  }
  if (rc) return txn_error(s->txn, rc, "cannot read an index");
  if (key.mv_size < s->prefix_len || memcmp(key.mv_data, s->prefix, s->prefix_len)) {
    s->state = SCAN_DONE;
    return NG_END;
  }
  if (key.mv_size > KEY_MAX || !key_parse(s->ix, &key, &val, quad) || !after_last(s, &key)) {
    s->state = SCAN_DONE;
    return damaged(s->txn->qs, "an index entry fails its check");
  }
  memcpy(s->last, key.mv_data, key.mv_size);
  s->last_len = key.mv_size;
  return NG_SUCCESS;
}

NgStatus ng_qs_scan_seek(NgQsScan *s, const NgId key[4]) {
  if (!s->cursor) return NG_END;
  NgId q[4];
  for (int i = 0; i < 4; ++i)
    q[i] = s->pattern[i] ? s->pattern[i] : key[i];
  Key k;
  key_make(&k, s->ix, q, 4);
  MDB_val mk = {k.len, k.b}, val;
  int rc = mdb_cursor_get(s->cursor, &mk, &val, MDB_SET_RANGE);
  s->last_len = 0;
  if (rc == MDB_NOTFOUND) {
    s->state = SCAN_DONE;
    return NG_SUCCESS;
  }
  if (rc) return txn_error(s->txn, rc, "cannot read an index");
  s->state = SCAN_SEEKED;
  return NG_SUCCESS;
}

void ng_qs_scan_free(NgQsScan *s) {
  if (!s) return;
  if (s->cursor) mdb_cursor_close(s->cursor);
  if (s->prev_open) {
    *s->prev_open = s->next_open;
    if (s->next_open) s->next_open->prev_open = s->prev_open;
  }
  free(s);
}

NgStatus ng_qs_clear_graph(NgQsTxn *txn, NgId g, uint64_t *count) {
  NgStatus st;
  if (count) *count = 0;
  NG_TRY(st, need_write(txn));
  if (!g) return NG_ERR_BAD_ARG;
  /* collected first: removing while a cursor walks the index would move it */
  NgId pattern[4] = {0, 0, 0, g}, q[4];
  NgId *quads = NULL;
  size_t n = 0, cap = 0;
  NgQsScan *scan = ng_qs_scan_new(txn, pattern, 0, &st);
  while (!st && (st = ng_qs_scan_next(scan, q)) == NG_SUCCESS) {
    if (n == cap) {
      cap = cap ? 2 * cap : 256;
      NgId *more = realloc(quads, cap * 4 * sizeof *more);
      if (!more) {
        st = NG_ERR_NOMEM;
        break;
      }
      quads = more;
    }
    memcpy(quads + 4 * n++, q, sizeof q);
  }
  ng_qs_scan_free(scan);
  if (st == NG_END) st = NG_SUCCESS;
  for (size_t i = 0; i < n && !st; ++i)
    st = ng_qs_remove(txn, quads + 4 * i, NULL);
  free(quads);
  if (!st && count) *count = n;
  return st;
}

/* ============================================================ statistics */

#define ESTIMATE_COUNT_MAX 1024

NgStatus ng_qs_estimate(NgQsTxn *txn, const NgId pattern[4], uint64_t *count, bool *exact) {
  NgStatus st;
  NgId s = pattern[0], p = pattern[1], o = pattern[2], g = pattern[3], type;
  *exact = true;
  NG_TRY(st, rdf_type_id(txn, &type));
  if (!s && !o) {
    MetaKey k = !p && !g ? meta_key('Q', 0, 0)
                : !g     ? meta_key('P', p, 0)
                : !p     ? meta_key('G', g, 0)
                         : meta_key('H', g, p);
    return counter(txn, k, count);
  }
  if (!s && !g && p && p == type) return counter(txn, meta_key('C', o, 0), count);
  /* count the matches, up to a limit */
  NgQsScan *scan = ng_qs_scan_new(txn, pattern, 0, &st);
  NgId q[4];
  uint64_t n = 0;
  while (!st && n <= ESTIMATE_COUNT_MAX && (st = ng_qs_scan_next(scan, q)) == NG_SUCCESS)
    n++;
  ng_qs_scan_free(scan);
  if (st && st != NG_END) return st;
  *count = n;
  if (n <= ESTIMATE_COUNT_MAX) return NG_SUCCESS;
  /* more: quads of the predicate spread over its subjects or objects */
  *exact = false;
  if (!p) return NG_SUCCESS;
  uint64_t quads, distinct;
  NG_TRY(st, counter(txn, meta_key('P', p, 0), &quads));
  NG_TRY(st, counter(txn, meta_key(s ? 'S' : 'O', p, 0), &distinct));
  uint64_t guess = distinct ? quads / distinct : quads;
  if (guess > *count) *count = guess;
  return NG_SUCCESS;
}

NgStatus ng_qs_predicate_stats(NgQsTxn *txn, NgId p, NgQsPredicateStats *stats) {
  NgStatus st;
  memset(stats, 0, sizeof *stats);
  NG_TRY(st, counter(txn, meta_key('P', p, 0), &stats->quads));
  NG_TRY(st, counter(txn, meta_key('S', p, 0), &stats->subjects));
  return counter(txn, meta_key('O', p, 0), &stats->objects);
}

NgStatus ng_qs_class_size(NgQsTxn *txn, NgId class_id, uint64_t *instances) {
  return counter(txn, meta_key('c', class_id, 0), instances);
}

NgStatus ng_qs_next_graph(NgQsTxn *txn, NgId after, NgId *g, uint64_t *quads) {
  NgStatus st;
  if (txn->write && txn->deltas) NG_TRY(st, flush_counters(txn));
  MetaKey k = meta_key('G', after + 1, 0);
  MDB_cursor *c;
  int rc = mdb_cursor_open(txn->txn, txn->qs->env->meta, &c);
  if (rc) return txn_error(txn, rc, "cannot read the counters");
  MDB_val key = {k.len, k.b}, val;
  rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
  st = NG_END;
  if (rc && rc != MDB_NOTFOUND) {
    st = txn_error(txn, rc, "cannot read the counters");
  } else if (!rc && key.mv_size > 1 && *(const char *)key.mv_data == 'G') {
    uint64_t id;
    size_t n = varint_get((const unsigned char *)key.mv_data + 1, key.mv_size - 1, &id);
    if (!n || n + 1 != key.mv_size || val.mv_size != 8)
      st = damaged(txn->qs, "a graph counter");
    else {
      *g = id;
      *quads = get_u64(val.mv_data);
      st = NG_SUCCESS;
    }
  }
  mdb_cursor_close(c);
  return st;
}

static unsigned long long file_bytes(const char *dir, const char *name) {
  char *path = path_join(dir, name);
  struct stat sb;
  unsigned long long n = path && stat(path, &sb) == 0 ? (unsigned long long)sb.st_size : 0;
  free(path);
  return n;
}

NgStatus ng_qs_stats(NgQsTxn *txn, NgQsStats *stats) {
  NgStatus st;
  memset(stats, 0, sizeof *stats);
  NG_TRY(st, counter(txn, meta_key('Q', 0, 0), &stats->quads));
  NG_TRY(st, counter(txn, meta_key('T', 0, 0), &stats->triples));
  NG_TRY(st, counter(txn, meta_key('R', 0, 0), &stats->graphs));
  NG_TRY(st, counter(txn, meta_key('D', 0, 0), &stats->terms));
  const char *dir = txn->qs->env->dir;
  stats->bytes = file_bytes(dir, "data.mdb") + file_bytes(dir, "lock.mdb");
  return NG_SUCCESS;
}

const char *ng_qs_dir(const NgQuadStore *qs) { return qs->env->dir; }
const char *ng_qs_data_path(const NgQuadStore *qs) { return qs->env->data_path; }
