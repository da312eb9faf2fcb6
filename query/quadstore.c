/* quadstore.c - the quad store on LMDB (the contract is quadstore.h).
 *
 * Why LMDB: one library (Debian's liblmdb) gives transactions that are
 * durable at commit (no journal of our own), a copy-on-write B+tree that a
 * crash or SIGKILL never leaves half-written (no recovery step), one writer
 * and lock-free readers across processes, and reads straight from a memory
 * map (a term's text is a pointer, not a copy).  RocksDB (what Oxigraph
 * uses) compresses better but brings its own write-ahead log, compaction
 * threads and a C++ runtime, and its readers are not lock-free across
 * processes, which the CLI's many short-lived readers need.
 *
 * The layout, and the measurements that chose it.  bench/qslayout wrote
 * the 820,082 quads of bench/gen.py's 100k events (in arrival order, one
 * transaction) into each index order three ways; bytes of pages a quad,
 * for SPOG POSG OSPG GSPO GPOS GOSP:
 *   one key per quad (four order-preserving varints, a check byte):
 *     24.0 39.6 42.6 24.0 44.2 47.3 = 262 for the six, 3.0 s of CPU:
 *     orders written at their end (new subjects, new graphs) fill their
 *     pages, the others split pages in two (half full) and pay a B-tree
 *     descent and a page copy per quad;
 *   MDB_DUPSORT, the first id the key and the rest varint duplicates:
 *     25.1 30.7 33.0 49.9 50.0 50.0 = 238, 3.6 s: a shared first id saves
 *     little (each duplicate keeps an 8-byte node header), and a graph's
 *     few dozen quads get pages of their own;
 *   MDB_DUPSORT|MDB_DUPFIXED (the rest as fixed 8-byte ids): 280;
 *   blocks of delta-encoded quads (below, this file): 6.3 5.6 5.9 6.3 5.8
 *     6.2 = 36, and 53 bytes a quad for the whole store with its
 *     dictionary and counters.
 * On 1M events (8.2M quads) through `import`: one key per quad made
 * 2.16 GB (263 bytes a quad, the dictionary included) in 151 s of CPU;
 * blocks 532 MB (65) in 49 s.  Blocks are at most 512 bytes: rewriting one
 * for a single change is what a small commit pays (at 1,300 bytes
 * `extract` of the BBC corpus took twice the CPU, for no less space).
 *
 * Files: DIR/data.mdb and DIR/lock.mdb (LMDB's), DIR/write.lock (ours: a
 * writer flocks it before it asks LMDB for the write transaction, so that a
 * waiting writer can say so and can be interrupted; LMDB's own writer mutex
 * is not interruptible; made after LMDB's files, it also tells that a store
 * was there when data.mdb is missing).
 *
 * Named databases in data.mdb:
 *   meta     "v" format name; "n" next dictionary number; counters (below)
 *   id2term  varint(id) -> u32 check, kind byte, text (see keep_new_term)
 *   term2id  u64 hash of a term -> the ids of the terms with that hash
 *            (8 bytes each): terms of any length, LMDB keys being limited
 *            to 511 bytes; a lookup compares each candidate's text
 *   spog posg ospg gspo gpos gosp   the quad indexes (see INDEX LAYER):
 *            every pattern of bound positions is a prefix of one of them,
 *            and the first three put the graph last, so that the copies of
 *            a triple in several graphs are adjacent
 *
 * Ids (quadstore.h): the low 4 bits are the kind, the rest the payload:
 * a dictionary number, or an inline value.  Small numbers make short
 * varints, so the tag goes low.
 *
 * Writes gather in the transaction (see WRITES and TERMS) and go into the
 * databases at its commit, or before something in it reads them.
 *
 * Damage: LMDB checks its meta pages' magic and its page types, not page
 * contents.  Every index block carries a 16-bit check of its bytes, every
 * dictionary entry a 32-bit one; a block's tuples must decode exactly and
 * rise, blocks must follow each other in order; a store whose data file is
 * shorter than its last committed page is refused at open.  What cannot be
 * detected: damage to a page's layout that LMDB does not check (node
 * offsets, branch pages) can be read as other bytes of the map, and a meta
 * page whose magic number survived can name a wrong root (LMDB keeps no
 * check of its own); tests/e2e/store-faults.sh tries what can be.
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define FORMAT_NAME "newsgraph-quadstore 1"
#define KEY_MAX 40        /* four varints of at most 9 bytes, and room */
#define CACHE_MAX_KEY 512 /* longer terms of the store are not cached */

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
 * literal "x", a language tag implies rdf:langString, and language tags
 * compare without case (they are kept in lower case, as NgGraph does). */
typedef struct {
  char kind; /* 'I' IRI, 'B' blank, 'S' plain, 'L' language, 'T' typed */
  const char *value;
  size_t len;
  const char *lang;     /* 'L': lang_lower */
  const char *datatype; /* 'T' */
  char lang_lower[256];
} Parts;

/* The shape of a BCP 47 tag, as Turtle's LANGTAG has it:
 * [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*, lower-cased into out. */
static bool lang_tag(const char *lang, char out[256]) {
  size_t run = 0;
  bool first = true;
  for (size_t i = 0; i < 255; ++i) {
    char c = lang[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alpha || (c >= '0' && c <= '9' && !first)) {
      out[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      run++;
    } else if (c == '-' || c == '\0') {
      if (!run) return false;
      out[i] = c;
      if (!c) return true;
      first = false;
      run = 0;
    } else {
      return false;
    }
  }
  return false; /* 255 bytes or more: no real tag is that long */
}

static bool utf8_ok(const char *s, size_t len) {
  size_t bad;
  return ng_utf8_check(s, len, &bad);
}

/* Checks a term (NG_ERR_BAD_ARG: an empty IRI or label, a bad language
 * tag; NG_ERR_ENCODING: not UTF-8, unless utf8 is false: the caller knows
 * it is) and gives its parts. */
static NgStatus parts_of(const NgTerm *t, bool utf8, Parts *p) {
  p->kind = 0;
  p->lang = p->datatype = NULL;
  if (!t || !t->value) return NG_ERR_BAD_ARG;
  p->value = t->value;
  p->len = strlen(t->value);
  if (utf8 && !utf8_ok(p->value, p->len)) return NG_ERR_ENCODING;
  switch (t->kind) {
  case NG_TERM_IRI: p->kind = 'I'; return p->len ? NG_SUCCESS : NG_ERR_BAD_ARG;
  case NG_TERM_BLANK: p->kind = 'B'; return p->len ? NG_SUCCESS : NG_ERR_BAD_ARG;
  case NG_TERM_LITERAL: break;
  default: return NG_ERR_BAD_ARG;
  }
  if (t->lang && t->lang[0]) {
    p->kind = 'L';
    p->lang = p->lang_lower;
    return lang_tag(t->lang, p->lang_lower) ? NG_SUCCESS : NG_ERR_BAD_ARG;
  }
  if (t->datatype && t->datatype[0] && strcmp(t->datatype, XSD_STRING)) {
    p->kind = 'T';
    p->datatype = t->datatype;
    return !utf8 || utf8_ok(t->datatype, strlen(t->datatype)) ? NG_SUCCESS : NG_ERR_ENCODING;
  }
  p->kind = 'S';
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

/* A change waiting in a write transaction (see WRITES). */
typedef struct {
  NgId q[4]; /* s, p, o, g */
  uint32_t seq;
  uint8_t insert; /* 1 insert, 0 remove */
} Change;

typedef struct {
  NgId k[4];
} Tuple;

typedef struct {
  Tuple *v;
  size_t n, cap;
} Tuples;

/* The room a flush of the changes works in, kept by the transaction
 * between flushes (see WRITES). */
typedef struct Edit Edit;
typedef struct Effect Effect;
typedef struct {
  Edit *edits, *tmp;
  Edit *spog, *ospg, *posg; /* the orders the others are made from */
  Effect *effects;
  size_t cap;
  Tuples old, merged; /* apply_edits' block before and after */
} FlushRoom;

/* A term added in a write transaction, written at its end (see TERMS). */
typedef struct {
  NgId id;
  uint64_t hash;
  size_t offset, len; /* its id2term value in new_bytes */
} NewTerm;

/* A write transaction's working memory, kept by the store for the next
 * one (see take_spare). */
typedef struct {
  Change *changes;
  size_t cap_changes;
  NewTerm *new_terms;
  size_t cap_new;
  NgBuf new_bytes, block_bytes;
  size_t *block_at;
  FlushRoom room;
} Spare;

/* Every key of term2id, while a writer of this process has seen all of
 * them (see KNOWN HASHES). */
typedef struct {
  uint64_t *slots; /* open addressing; 0: empty (hash 0 is has_zero) */
  size_t cap, n;
  bool valid, has_zero;
  size_t txnid; /* the last commit whose keys it holds */
} KnownHashes;

struct NgQuadStore {
  NgWorld *world;
  Env *env;
  pthread_mutex_t spare_lock; /* (transactions of several threads) */
  Spare spare;                /* a write transaction's memory, for the next */
  bool has_spare;
  KnownHashes known; /* (under spare_lock; a write transaction takes it) */
};

typedef struct {
  NgId g;
  uint32_t seq; /* t->seq when set: valid unless g was changed after */
  unsigned char fp[NG_QS_FINGERPRINT_SIZE];
} Fingerprint;

struct NgQsTxn {
  NgQuadStore *qs;
  MDB_txn *txn;
  bool write, failed;
  NgQsScan *scans; /* open scans: their cursors end with the txn */
  /* write transactions */
  bool write_locked;
  Change *changes; /* not yet in the indexes */
  size_t nchanges, cap_changes;
  NgMap *changed_graphs; /* the graphs of those changes -> t->seq after the last */
  NgId last_g;           /* the graph of the last change, and its slot there: */
  uintptr_t *last_slot;  /* changes come graph by graph (no look-up each) */
  NgMap *touched;        /* every graph changed: u64 g -> t->seq after its last change */
  Fingerprint *fps;      /* set in this transaction, kept at commit unless touched after */
  size_t nfps;
  uint32_t seq;
  uint64_t next_number; /* 0: not read yet */
  uint64_t fresh_from;  /* terms numbered from here are in no index yet (0: none known) */
  uint64_t first_new;   /* the number of the first term added in this txn */
  NewTerm *new_terms;   /* added, not yet written */
  size_t nnew, cap_new;
  NgBuf new_bytes;
  FlushRoom room;    /* reused by each flush of the changes */
  NgBuf block_bytes; /* put_blocks' encoded changes */
  size_t *block_at;  /* and where each starts */
  NgMap *deltas;     /* meta key -> signed change of its counter */
  KnownHashes known; /* write: term2id's keys as the transaction began */
  NgBuf written;     /* the hashes this transaction put in term2id (u64s) */
  NgMap *cache;      /* identity bytes of a term -> id */
  NgId rdf_type;     /* 0: not known (yet) */
  bool rdf_type_looked_up;
  NgBuf buf;
};

static void spare_free(Spare *s);
static void take_spare(NgQsTxn *t);
static void give_spare(NgQsTxn *t);
static void known_drop(KnownHashes *k);

/* A failed write: LMDB says EIO for a write cut short, which is what a
 * full disk or a file size limit (ulimit -f) gives; say which it is. */
static void write_hint(NgQuadStore *qs, char *out, size_t size) {
  struct statvfs vfs;
  struct rlimit lim;
  struct stat sb;
  if (!qs->env || stat(qs->env->data_path, &sb)) return;
  if (!getrlimit(RLIMIT_FSIZE, &lim) && lim.rlim_cur != RLIM_INFINITY &&
      (unsigned long long)lim.rlim_cur <= (unsigned long long)sb.st_size + (1u << 20))
    snprintf(out, size, " (the file size limit, %llu bytes, is reached)",
             (unsigned long long)lim.rlim_cur);
  else if (!statvfs(qs->env->dir, &vfs) &&
           (unsigned long long)vfs.f_bavail * vfs.f_frsize < (16ull << 20))
    snprintf(out, size, " (the disk is full: %llu bytes free)",
             (unsigned long long)vfs.f_bavail * vfs.f_frsize);
}

/* Errors name the data file: that is what the user can look at. */
static NgStatus lmdb_error(NgQuadStore *qs, int rc, const char *what) {
  NgStatus st = NG_ERR_STORE;
  const char *why = mdb_strerror(rc);
  switch (rc) {
  case MDB_MAP_FULL:
    st = NG_ERR_IO;
    why = "the store reached its map size (set NEWSGRAPH_MAP_SIZE to allow more)";
    break;
  case MDB_TXN_FULL: break;
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
  char hint[160] = "";
  if (rc == EIO || rc == ENOSPC || rc == EFBIG) write_hint(qs, hint, sizeof hint);
  ng_report(qs->world, st, NG_LEVEL_ERROR, qs->env ? qs->env->data_path : NULL, 0, 0, "%s: %s%s",
            what, why, hint);
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
  bool made; /* write.lock: made after LMDB's files, so data.mdb was there */
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
    else if (!strcmp(n, "write.lock"))
      look->made = true;
    else if (strcmp(n, "lock.mdb") && strcmp(n, "LOCK"))
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
  if (look.made) { /* never start an empty store over a lost one */
    ng_report(qs->world, NG_ERR_STORE, NG_LEVEL_ERROR, dir, 0, 0,
              "data.mdb is missing: the store's data file was moved or deleted (its other files "
              "are there); put it back, or remove the directory to start a new store");
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
/* One try at opening the environment; a failed one is closed (LMDB takes
 * no second mdb_env_open on the same handle). */
static int try_open(Env *e, const char *dir, unsigned flags) {
  int rc = mdb_env_create(&e->env);
  if (!rc) rc = mdb_env_set_maxdbs(e->env, 12);
  if (!rc) rc = mdb_env_set_mapsize(e->env, map_size());
  if (!rc) rc = mdb_env_open(e->env, dir, MDB_NOTLS | flags, 0644);
  if (rc && e->env) {
    mdb_env_close(e->env);
    e->env = NULL;
  }
  return rc;
}

static NgStatus env_open(NgQuadStore *qs, const char *dir, bool create) {
  Env *e = qs->env;
  int rc = try_open(e, dir, 0);
  if ((rc == EACCES || rc == EROFS) && !create) {
    e->readonly = true;
    rc = try_open(e, dir, MDB_RDONLY);
    if (rc == EACCES || rc == EROFS) rc = try_open(e, dir, MDB_RDONLY | MDB_NOLOCK);
  }
  if (rc == EACCES || rc == EROFS) {
    ng_report(qs->world, NG_ERR_IO, NG_LEVEL_ERROR, e->data_path, 0, 0,
              "the store is not writable: %s", strerror(rc));
    return NG_ERR_IO;
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
  if (!st && pthread_mutex_init(&qs->spare_lock, NULL)) {
    free(qs);
    qs = NULL;
    st = NG_ERR_NOMEM;
  }
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
  if (qs) pthread_mutex_destroy(&qs->spare_lock);
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
  if (qs->has_spare) spare_free(&qs->spare);
  known_drop(&qs->known);
  pthread_mutex_destroy(&qs->spare_lock);
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
  if (!st && write) take_spare(t);
  if (status) *status = st;
  if (!st) return t;
  if (t && t->write_locked) flock(qs->env->write_lock_fd, LOCK_UN);
  free(t);
  return NULL;
}

bool ng_qs_txn_is_write(const NgQsTxn *txn) { return txn->write; }

/* Every failed LMDB call in a write transaction dooms it: it can only be
 * aborted (LMDB refuses the commit anyway). */
static NgStatus txn_error(NgQsTxn *t, int rc, const char *what) {
  if (t->write) t->failed = true;
  return lmdb_error(t->qs, rc, what);
}

static NgStatus txn_damaged(NgQsTxn *t, const char *what) {
  if (t->write) t->failed = true;
  return damaged(t->qs, what);
}

static NgStatus need_write(NgQsTxn *t) {
  if (t->write) return t->failed ? NG_ERR_STORE : NG_SUCCESS;
  ng_report(t->qs->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, t->qs->env->data_path, 0, 0,
            "a write in a read transaction");
  return NG_ERR_BAD_ARG;
}

/* ========================================================= INDEX LAYER */

/* Each index is an LMDB database of blocks: runs of consecutive quads in
 * the index's order (a quad in an index's order is a Tuple).  A block's
 * key is its first tuple as four order-preserving varints, so that LMDB
 * keeps the blocks in order; its value is a 16-bit check of the rest, the
 * count of the other tuples (LEB128) and each of them as a change from the
 * one before:
 *   a byte: bits 0-1 how many leading ids are the same (k), bits 2-4 which
 *     of the ids after the (k+1)th are the same again;
 *   the (k+1)th id's increase, then each later id that is not the same,
 *   whole (LEB128).
 * Values stay under BLOCK_MAX bytes: small enough that LMDB puts seven or
 * more on a page and that a block rewritten for one change costs little,
 * large enough that its key and LMDB's node header weigh little. */

#define BLOCK_MAX 512
#define DELTA_MAX 41 /* a byte and four LEB128 numbers */

static int tuple_cmp(const Tuple *a, const Tuple *b) {
  for (int i = 0; i < 4; ++i)
    if (a->k[i] != b->k[i]) return a->k[i] < b->k[i] ? -1 : 1;
  return 0;
}

static bool same_prefix(const Tuple *a, const Tuple *b, int n) {
  for (int i = 0; i < n; ++i)
    if (a->k[i] != b->k[i]) return false;
  return true;
}

static Tuple tuple_of(int ix, const NgId q[4]) {
  Tuple t;
  for (int i = 0; i < 4; ++i)
    t.k[i] = q[ix_order[ix][i]];
  return t;
}

static void quad_of(int ix, const Tuple *t, NgId q[4]) {
  for (int i = 0; i < 4; ++i)
    q[ix_order[ix][i]] = t->k[i];
}

static NgStatus tuples_reserve(Tuples *ts, size_t n) {
  if (n <= ts->cap) return NG_SUCCESS;
  size_t cap = ts->cap ? ts->cap : 64;
  while (cap < n)
    cap *= 2;
  Tuple *v = realloc(ts->v, cap * sizeof *v);
  if (!v) return NG_ERR_NOMEM;
  ts->v = v;
  ts->cap = cap;
  return NG_SUCCESS;
}

static size_t leb_put(unsigned char *p, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  p[n++] = (unsigned char)v;
  return n;
}

static size_t leb_get(const unsigned char *p, size_t avail, uint64_t *v) {
  uint64_t x = 0;
  for (size_t i = 0; i < avail && i < 10; ++i) {
    x |= (uint64_t)(p[i] & 0x7F) << (7 * i);
    if (!(p[i] & 0x80)) {
      *v = x;
      return i + 1;
    }
  }
  return 0;
}

typedef struct {
  unsigned char b[KEY_MAX];
  size_t len;
} Key;

static Key key_of(const Tuple *t, int n) {
  Key k;
  k.len = 0;
  for (int i = 0; i < n; ++i)
    k.len += varint_put(k.b + k.len, t->k[i]);
  return k;
}

static bool key_parse(const MDB_val *key, Tuple *t) {
  const unsigned char *p = key->mv_data;
  size_t left = key->mv_size;
  for (int i = 0; i < 4; ++i) {
    size_t n = varint_get(p, left, &t->k[i]);
    if (!n || !t->k[i]) return false;
    p += n;
    left -= n;
  }
  return left == 0;
}

static size_t delta_put(unsigned char *out, const Tuple *prev, const Tuple *cur) {
  int k = 0;
  while (k < 3 && cur->k[k] == prev->k[k])
    k++;
  unsigned hdr = (unsigned)k;
  size_t n = 1 + leb_put(out + 1, cur->k[k] - prev->k[k]);
  for (int j = k + 1; j < 4; ++j) {
    if (cur->k[j] == prev->k[j])
      hdr |= 1u << (2 + j - k - 1);
    else
      n += leb_put(out + n, cur->k[j]);
  }
  out[0] = (unsigned char)hdr;
  return n;
}

/* One tuple after prev; 0 when the bytes are not one (damage). */
static size_t delta_get(const unsigned char *p, size_t avail, const Tuple *prev, Tuple *cur) {
  if (!avail) return 0;
  unsigned hdr = p[0];
  int k = (int)(hdr & 3);
  if (hdr >> (2 + 3 - k)) return 0; /* bits for ids that do not follow */
  uint64_t v;
  size_t n = 1, m = leb_get(p + 1, avail - 1, &v);
  if (!m || !v || prev->k[k] + v <= prev->k[k]) return 0;
  n += m;
  *cur = *prev;
  cur->k[k] = prev->k[k] + v;
  for (int j = k + 1; j < 4; ++j) {
    if (hdr & (1u << (2 + j - k - 1))) continue;
    m = leb_get(p + n, avail - n, &v);
    if (!m || !v) return 0;
    cur->k[j] = v;
    n += m;
  }
  return n;
}

/* A block's check: one multiplication a word, in the machine's byte
 * order (LMDB's files are not portable between byte orders either).  It
 * is computed at every read of a block, so it is cheaper than format_hash;
 * it is for damage, not for adversaries. */
static uint16_t block_check(const void *data, size_t len) {
  const unsigned char *p = data;
  uint64_t h = 0x6e67626c6f636bull ^ len, w;
  for (; len >= 8; p += 8, len -= 8) {
    memcpy(&w, p, 8);
    h = (h ^ w) * 0x9e3779b97f4a7c15ull;
  }
  w = 0;
  memcpy(&w, p, len);
  h = (h ^ w) * 0x9e3779b97f4a7c15ull;
  return (uint16_t)(h >> 48 ^ h >> 16);
}

/* A block being decoded, tuple by tuple: its bytes (they stay valid while
 * the transaction writes nothing), where the next tuple starts, how many
 * are left, and the last one. */
typedef struct {
  const unsigned char *p;
  size_t len, pos;
  uint64_t left;
  Tuple last;
} BlockReader;

/* Checks a block and gives its first tuple (r->last). */
static NgStatus block_start(NgQsTxn *t, const MDB_val *key, const MDB_val *val, BlockReader *r) {
  r->p = val->mv_data;
  r->len = val->mv_size;
  if (!key_parse(key, &r->last) || r->len < 3 ||
      block_check(r->p + 2, r->len - 2) != (uint16_t)(r->p[0] | r->p[1] << 8))
    return txn_damaged(t, "an index block fails its check");
  size_t m = leb_get(r->p + 2, r->len - 2, &r->left);
  if (!m || r->left > r->len) return txn_damaged(t, "an index block's count");
  r->pos = 2 + m;
  return NG_SUCCESS;
}

/* The block's next tuple (r->last; r->left > 0). */
static inline NgStatus block_next(NgQsTxn *t, BlockReader *r) {
  size_t used = delta_get(r->p + r->pos, r->len - r->pos, &r->last, &r->last);
  if (!used) return txn_damaged(t, "an index block holds a bad entry");
  r->pos += used;
  if (--r->left || r->pos == r->len) return NG_SUCCESS;
  return txn_damaged(t, "an index block is longer than its entries");
}

/* A block's tuples, appended to out, up to the first one past the
 * tuples whose first n ids are stop's and that are >= stop (with stop;
 * *cut tells whether it stopped there): a scan's point lookup needs a
 * tuple or two of the ~80 a block holds.  The block's check covers all
 * its bytes all the same. */
static NgStatus block_decode_until(NgQsTxn *t, const MDB_val *key, const MDB_val *val,
                                   Tuples *out, const Tuple *stop, int n, bool *cut) {
  BlockReader r;
  NgStatus st = block_start(t, key, val, &r);
  if (!st) st = tuples_reserve(out, out->n + r.left + 1);
  if (st) return st;
  out->v[out->n++] = r.last;
  if (cut) *cut = false;
  while (r.left) {
    NG_TRY(st, block_next(t, &r));
    out->v[out->n++] = r.last;
    if (stop && !same_prefix(&r.last, stop, n) && tuple_cmp(&r.last, stop) > 0) {
      *cut = true; /* the rest follow it: no more matches in this block or after */
      return NG_SUCCESS;
    }
  }
  return NG_SUCCESS;
}

static NgStatus block_decode(NgQsTxn *t, const MDB_val *key, const MDB_val *val, Tuples *out) {
  return block_decode_until(t, key, val, out, NULL, 0, NULL);
}

static NgStatus open_cursor(NgQsTxn *t, int ix, MDB_cursor **c) {
  int rc = mdb_cursor_open(t->txn, t->qs->env->ix[ix], c);
  return rc ? txn_error(t, rc, "cannot read an index") : NG_SUCCESS;
}

/* Puts the cursor on the block where x belongs: the last whose first
 * tuple is <= x, or the first block when x comes before all.  *found is
 * false for an empty index. */
static NgStatus locate(NgQsTxn *t, MDB_cursor *c, const Tuple *x, MDB_val *key, MDB_val *val,
                       bool *found) {
  Key k = key_of(x, 4);
  *key = (MDB_val){k.len, k.b};
  int rc = mdb_cursor_get(c, key, val, MDB_SET_RANGE);
  bool exact = !rc && key->mv_size == k.len && !memcmp(key->mv_data, k.b, k.len);
  if (!rc && !exact) {
    rc = mdb_cursor_get(c, key, val, MDB_PREV);
    if (rc == MDB_NOTFOUND) rc = mdb_cursor_get(c, key, val, MDB_FIRST);
  } else if (rc == MDB_NOTFOUND) {
    rc = mdb_cursor_get(c, key, val, MDB_LAST);
  }
  *found = rc == 0;
  if (rc == MDB_NOTFOUND) return NG_SUCCESS;
  return rc ? txn_error(t, rc, "cannot read an index") : NG_SUCCESS;
}

/* The first tuple of the block after the cursor's (moves the cursor). */
static NgStatus next_first(NgQsTxn *t, MDB_cursor *c, Tuple *first, bool *found) {
  MDB_val key, val;
  int rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
  *found = rc == 0;
  if (rc == MDB_NOTFOUND) return NG_SUCCESS;
  if (rc) return txn_error(t, rc, "cannot read an index");
  return key_parse(&key, first) ? NG_SUCCESS : txn_damaged(t, "an index block's key");
}

/* The first position in v[0..n) whose tuple is >= x. */
static size_t lower_bound(const Tuple *v, size_t n, const Tuple *x) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (tuple_cmp(&v[mid], x) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Presence queries in ascending order over one index (between writes):
 * the block of the last query is kept while the next falls in it, and
 * decoded only as far as the queries go (a query needs the tuples up to
 * the first >= its own: decoding whole blocks was 1.4% of extract into a
 * store, most of it past what was asked). */
typedef struct {
  NgQsTxn *t;
  MDB_cursor *c;
  Tuples block; /* its tuples decoded so far */
  BlockReader rest;
  bool loaded, has_next;
  Tuple next; /* the first tuple of the following block */
} Finder;

static NgStatus finder_load(Finder *f, const Tuple *x) {
  MDB_val key, val;
  bool found;
  NgStatus st = locate(f->t, f->c, x, &key, &val, &found);
  f->block.n = 0;
  f->loaded = f->has_next = false;
  if (st || !found) return st;
  NG_TRY(st, block_start(f->t, &key, &val, &f->rest));
  NG_TRY(st, tuples_reserve(&f->block, f->rest.left + 1));
  f->block.v[f->block.n++] = f->rest.last;
  f->loaded = true;
  return next_first(f->t, f->c, &f->next, &f->has_next);
}

/* Is there a tuple >= lo whose first n ids are lo's? */
static NgStatus finder_any(Finder *f, const Tuple *lo, int n, bool *found) {
  NgStatus st;
  bool inside = f->loaded && tuple_cmp(lo, &f->block.v[0]) >= 0 &&
                (!f->has_next || tuple_cmp(lo, &f->next) < 0);
  if (!inside) NG_TRY(st, finder_load(f, lo));
  *found = false;
  if (!f->loaded) return NG_SUCCESS; /* an empty index */
  while (f->rest.left && tuple_cmp(&f->block.v[f->block.n - 1], lo) < 0) {
    NG_TRY(st, block_next(f->t, &f->rest));
    f->block.v[f->block.n++] = f->rest.last;
  }
  size_t i = lower_bound(f->block.v, f->block.n, lo);
  const Tuple *c = i < f->block.n ? &f->block.v[i] : f->has_next ? &f->next : NULL;
  *found = c && same_prefix(c, lo, n);
  return NG_SUCCESS;
}

static NgStatus finder_open(Finder *f, NgQsTxn *t, int ix) {
  memset(f, 0, sizeof *f);
  f->t = t;
  return open_cursor(t, ix, &f->c);
}

static void finder_close(Finder *f) {
  if (f->c) mdb_cursor_close(f->c);
  free(f->block.v);
}

/* Writes v[0..n) as blocks.  A run that only grew at its end fills its
 * blocks; others split into blocks of equal size (room for inserts).
 * Each tuple's change from the one before is encoded once, into
 * t->block_bytes; at[i] is where tuple i's starts (at[n]: the end). */
static NgStatus put_blocks(NgQsTxn *t, int ix, const Tuple *v, size_t n, bool append, bool at_end) {
  NgBuf *d = &t->block_bytes;
  NgStatus st = ng_buf_reserve(d, n * DELTA_MAX);
  size_t *at = st ? NULL : realloc(t->block_at, (n + 1) * sizeof *at);
  if (!at) return NG_ERR_NOMEM;
  t->block_at = at;
  size_t len = 0;
  at[0] = 0;
  for (size_t i = 1; i < n; ++i) {
    at[i] = len;
    len += delta_put((unsigned char *)d->data + len, &v[i - 1], &v[i]);
  }
  at[n] = len;
  size_t pieces = len / BLOCK_MAX + 1;
  size_t target = append ? BLOCK_MAX : len / pieces + DELTA_MAX;
  unsigned char head[2 + 10];
  for (size_t start = 0; start < n;) {
    size_t end = start + 1; /* tuples start..end-1: the key and their changes */
    while (end < n && at[end + 1] - at[start + 1] <= target)
      end++;
    size_t hl = 2 + leb_put(head + 2, end - start - 1),
           body = at[end] - (end > start + 1 ? at[start + 1] : at[end]);
    ng_buf_clear(&t->buf);
    st = ng_buf_append(&t->buf, (const char *)head, hl);
    if (!st && body) st = ng_buf_append(&t->buf, d->data + at[start + 1], body);
    if (st) return st;
    uint16_t check = block_check(t->buf.data + 2, t->buf.len - 2);
    t->buf.data[0] = (char)(check & 0xFF);
    t->buf.data[1] = (char)(check >> 8);
    Key k = key_of(&v[start], 4);
    MDB_val key = {k.len, k.b}, val = {t->buf.len, t->buf.data};
    /* blocks past the last one: LMDB fills its pages when appending */
    int rc = at_end ? mdb_put(t->txn, t->qs->env->ix[ix], &key, &val, MDB_APPEND) : MDB_KEYEXIST;
    if (rc == MDB_KEYEXIST) rc = mdb_put(t->txn, t->qs->env->ix[ix], &key, &val, 0);
    if (rc) return txn_error(t, rc, "cannot write an index");
    start = end;
  }
  return NG_SUCCESS;
}

/* A sorted change to an index: tuple x goes in (insert) or out; who: the
 * change it comes from (see WRITES). */
struct Edit {
  Tuple x;
  uint32_t who;
  bool insert;
};

static bool edit_less(const Edit *a, const Edit *b) {
  for (int i = 0; i < 4; ++i)
    if (a->x.k[i] != b->x.k[i]) return a->x.k[i] < b->x.k[i];
  return a->who < b->who;
}

static void insertion_sort(Edit *e, size_t n) {
  for (size_t i = 1; i < n; ++i) {
    Edit x = e[i];
    size_t j = i;
    for (; j > 0 && edit_less(&x, &e[j - 1]); --j)
      e[j] = e[j - 1];
    e[j] = x;
  }
}

/* Sorts e[0..n) with tmp[0..n) as room: a merge sort of the ascending runs
 * already there (changes often come in the order of one index or
 * another), stable, with the comparison inline (qsort's calls and copies
 * through memmove cost twice as much here). */
static void edits_sort(Edit *e, Edit *tmp, size_t n) {
  if (n < 2) return;
  size_t *runs = n > 16 ? malloc((n + 1) * sizeof *runs) : NULL, nruns = 0;
  if (!runs) { /* a few (a subject's), or no room for the runs: slower, but sorted */
    insertion_sort(e, n);
    return;
  }
  for (size_t i = 0; i < n;) {
    runs[nruns++] = i;
    for (i++; i < n && !edit_less(&e[i], &e[i - 1]); i++) {
    }
  }
  runs[nruns] = n;
  Edit *from = e, *to = tmp;
  while (nruns > 1) {
    size_t out = 0;
    for (size_t r = 0; r < nruns; r += 2) {
      size_t a = runs[r], mid = runs[r + 1], b = r + 2 <= nruns ? runs[r + 2] : mid;
      if (r + 1 == nruns) b = mid = runs[r + 1];
      size_t i = a, j = mid, k = a;
      while (i < mid && j < b)
        to[k++] = edit_less(&from[j], &from[i]) ? from[j++] : from[i++];
      while (i < mid)
        to[k++] = from[i++];
      while (j < b)
        to[k++] = from[j++];
      runs[out++] = a;
    }
    runs[out] = n;
    nruns = out;
    Edit *swap = from;
    from = to;
    to = swap;
  }
  if (from != e) memcpy(e, from, n * sizeof *e);
  free(runs);
}

/* LSD radix sorts here go 11 bits at a time, over the bits where the keys
 * differ (ids are small numbers: two passes for the BBC corpus's, three
 * with 8-bit digits; the counts stay in the first-level cache). */
#define RADIX_BITS 11

/* An item to sort by a 64-bit key (an index, a pointer). */
typedef struct {
  uint64_t key;
  uintptr_t item;
} Keyed;

/* Sorts v[0..n) by key, stably, with tmp[0..n) as room (qsort's calls
 * were 1.4% of extract into a store, for the new terms by hash and the
 * counters' changes by key).  The sorted items are in v or in tmp: the
 * one returned. */
static Keyed *radix_keyed(Keyed *v, Keyed *tmp, size_t n) {
  uint64_t all_or = 0, all_and = ~(uint64_t)0;
  for (size_t i = 0; i < n; ++i) {
    all_or |= v[i].key;
    all_and &= v[i].key;
  }
  uint64_t differ = all_or ^ all_and;
  int lo = differ ? __builtin_ctzll(differ) : 64, hi = differ ? 64 - __builtin_clzll(differ) : 0;
  Keyed *src = v, *dst = tmp;
  for (int shift = lo; shift < hi; shift += RADIX_BITS) {
    const uint64_t mask = (1u << RADIX_BITS) - 1;
    size_t count[(1u << RADIX_BITS) + 1] = {0};
    for (size_t i = 0; i < n; ++i)
      count[((src[i].key >> shift) & mask) + 1]++;
    for (size_t b = 0; b < mask + 1; ++b)
      count[b + 1] += count[b];
    for (size_t i = 0; i < n; ++i)
      dst[count[(src[i].key >> shift) & mask]++] = src[i];
    Keyed *swap = src;
    src = dst;
    dst = swap;
  }
  return src;
}

/* Sorts v[0..n) by the bits of differ, stably, with tmp[0..n) as room
 * (n < 2^32); the sorted words are in v or in tmp: the one returned. */
static uint64_t *radix_words(uint64_t *v, uint64_t *tmp, size_t n, uint64_t differ) {
  int lo = differ ? __builtin_ctzll(differ) : 64, hi = differ ? 64 - __builtin_clzll(differ) : 0;
  uint64_t *src = v, *dst = tmp;
  for (int shift = lo; shift < hi; shift += RADIX_BITS) {
    const uint64_t mask = (1u << RADIX_BITS) - 1;
    uint32_t count[(1u << RADIX_BITS) + 1] = {0};
    for (size_t i = 0; i < n; ++i)
      count[((src[i] >> shift) & mask) + 1]++;
    for (size_t b = 0; b < mask + 1; ++b)
      count[b + 1] += count[b];
    for (size_t i = 0; i < n; ++i)
      dst[count[(src[i] >> shift) & mask]++] = src[i];
    uint64_t *swap = src;
    src = dst;
    dst = swap;
  }
  return src;
}

/* The order of e[0..n) by the id at position `at` of their tuples,
 * stably: the indexes of e, in room (40n bytes; n < 2^32, as a change's
 * seq).  (id, index) pairs are sorted by radix passes, 8 bytes each when
 * the ids fit in 32 bits, else 16: moving them instead of 40-byte edits
 * keeps a pass in the cache (passes over whole edits were 4.4% of extract
 * into a store). */
static const uint32_t *order_by(const Edit *e, int at, size_t n, void *room) {
  uint64_t all_or = 0, all_and = ~(uint64_t)0;
  for (size_t i = 0; i < n; ++i) {
    all_or |= e[i].x.k[at];
    all_and &= e[i].x.k[at];
  }
  uint32_t *index = room; /* (written over the sorted pairs, behind the reads) */
  if (all_or >> 32) {
    Keyed *v = room;
    for (size_t i = 0; i < n; ++i)
      v[i] = (Keyed){e[i].x.k[at], i};
    v = radix_keyed(v, v + n, n);
    for (size_t i = 0; i < n; ++i)
      index[i] = (uint32_t)v[i].item;
    return index;
  }
  uint64_t *v = room;
  for (size_t i = 0; i < n; ++i)
    v[i] = e[i].x.k[at] << 32 | i;
  v = radix_words(v, v + n, n, (all_or ^ all_and) << 32);
  for (size_t i = 0; i < n; ++i)
    index[i] = (uint32_t)v[i];
  return index;
}

/* Sorts each subject's edits of e[0..n) (in subject order) as edits_sort
 * does: with the radix sort by subject before it, SPOG order (merging
 * whole tuples from the start took twice as long: 2.3% of extract into a
 * store). */
static void sort_subjects(Edit *e, Edit *tmp, size_t n) {
  for (size_t a = 0, b; a < n; a = b) {
    for (b = a + 1; b < n && e[b].x.k[0] == e[a].x.k[0]; ++b) {
    }
    edits_sort(e + a, tmp + a, b - a);
  }
}

/* The old block's tuples with edits e[0..n) applied, into out. */
static NgStatus merge(const Tuples *old, const Edit *e, size_t n, Tuples *out, bool *append) {
  NgStatus st = tuples_reserve(out, old->n + n);
  size_t i = 0, j = 0;
  out->n = 0;
  *append = true;
  while (!st && (i < old->n || j < n)) {
    int c = i == old->n ? 1 : j == n ? -1 : tuple_cmp(&old->v[i], &e[j].x);
    if (c < 0) {
      out->v[out->n++] = old->v[i++];
    } else {
      if (e[j].insert) out->v[out->n++] = e[j].x; /* (c == 0: already there) */
      if (!e[j].insert || i < old->n) *append = false;
      i += c == 0;
      j++;
    }
  }
  return st;
}

/* Applies sorted, distinct edits to index ix, block by block. */
static NgStatus apply_edits(NgQsTxn *t, int ix, const Edit *e, size_t n) {
  MDB_cursor *c;
  NgStatus st = open_cursor(t, ix, &c);
  Tuples *old = &t->room.old, *merged = &t->room.merged;
  for (size_t i = 0; !st && i < n;) {
    MDB_val key, val;
    bool found, has_next = false, append = false;
    Tuple next;
    old->n = 0;
    st = locate(t, c, &e[i].x, &key, &val, &found);
    if (!st && found) st = block_decode(t, &key, &val, old);
    Key old_key = key_of(old->n ? &old->v[0] : &e[i].x, 4);
    if (!st && found) st = next_first(t, c, &next, &has_next);
    size_t j = i;
    while (j < n && (!has_next || tuple_cmp(&e[j].x, &next) < 0))
      j++;
    if (!st) st = merge(old, e + i, j - i, merged, &append);
    /* a block whose first tuple stays is overwritten by its put (LMDB
     * replaces the value of a key): no delete, one B-tree descent less */
    Key new_key = key_of(merged->n ? &merged->v[0] : &e[i].x, 4);
    bool same_key = merged->n && new_key.len == old_key.len &&
                    !memcmp(new_key.b, old_key.b, old_key.len);
    if (!st && found && !same_key) {
      MDB_val k = {old_key.len, old_key.b};
      int rc = mdb_del(t->txn, t->qs->env->ix[ix], &k, NULL);
      if (rc) st = txn_error(t, rc, "cannot write an index");
    }
    if (!st && merged->n) st = put_blocks(t, ix, merged->v, merged->n, append, !has_next);
    i = j;
  }
  mdb_cursor_close(c);
  return st;
}

/* ============================================================== WRITES */

/* Inserts and removals gather in the transaction and go into the indexes
 * together (flush_changes): sorted per index, each block they touch is
 * read, merged and written once.  The counters that depend on what else
 * the store holds (distinct triples, subjects and objects per predicate,
 * instances of a class) are found by asking the indexes before and after
 * the changes. */

#define CHANGES_MAX (1u << 20) /* changes kept before they are written */

static NgStatus add_delta(NgQsTxn *t, char tag, NgId a, NgId b, int64_t delta);
static NgStatus rdf_type_id(NgQsTxn *t, NgId *id);

/* What changed, in SPOG order, with what the store held around it before
 * and after (triple, subject-predicate pair, predicate-object pair). */
struct Effect {
  Tuple x; /* s p o g */
  bool insert;
  bool triple[2], sp[2], po[2]; /* [0] before, [1] after */
  bool first_sp;                /* the first of its (s, p) pair, in SPOG order */
};

/* Room for n changes.  Nothing in it needs to survive: arrays that grow
 * are made anew (no copy), with room for more (the next transaction's
 * may be a little larger: see take_spare). */
static NgStatus room_reserve(FlushRoom *r, size_t n) {
  if (n <= r->cap) return NG_SUCCESS;
  size_t cap = n + n / 4;
  r->cap = 0; /* (until all are there) */
  Edit **edits[] = {&r->edits, &r->tmp, &r->spog, &r->ospg, &r->posg};
  for (size_t i = 0; i < NG_COUNTOF(edits); ++i) {
    free(*edits[i]);
    if (!(*edits[i] = malloc(cap * sizeof **edits[i]))) return NG_ERR_NOMEM;
  }
  free(r->effects);
  if (!(r->effects = malloc(cap * sizeof *r->effects))) return NG_ERR_NOMEM;
  r->cap = cap;
  return NG_SUCCESS;
}

static void room_free(FlushRoom *r) {
  free(r->edits);
  free(r->tmp);
  free(r->spog);
  free(r->ospg);
  free(r->posg);
  free(r->effects);
  free(r->old.v);
  free(r->merged.v);
}

/* e as an edit of index `to` (an edit of index from_ix). */
static Edit edit_as(const Edit *e, int from_ix, int to) {
  NgId q[4];
  quad_of(from_ix, &e->x, q);
  return (Edit){tuple_of(to, q), e->who, e->insert};
}

/* The edits of index `to` from those of index `from` (sorted, distinct),
 * into out.  Every index order used here is an order `from` with one
 * position moved to the front (OSPG is SPOG with o first, POSG is OSPG
 * with p first, GSPO, GPOS and GOSP are SPOG, POSG and OSPG with g
 * first), so a stable sort on that one id sorts them (order_by).
 * Measured on extract of the BBC corpus: the merge sort of whole tuples
 * per index was 7% of the samples. */
static void edits_derive(const Edit *from, int from_ix, int to, size_t n, Edit *out, Edit *tmp) {
  int at = 0; /* where to's first id is in from's tuples */
  while (ix_order[from_ix][at] != ix_order[to][0])
    at++;
  const uint32_t *order = order_by(from, at, n, tmp);
  for (size_t i = 0; i < n; ++i)
    out[i] = edit_as(&from[order[i]], from_ix, to);
}

/* The SPOG edits of the effects (already in that order). */
static void edits_spog(FlushRoom *r, const Effect *e, size_t n) {
  for (size_t i = 0; i < n; ++i)
    r->spog[i] = (Edit){e[i].x, (uint32_t)i, e[i].insert};
}

/* Whether one of the first n ids of x is a term added since the changes
 * were last written: no index holds it yet. */
static bool any_fresh(const NgQsTxn *t, const Tuple *x, int n) {
  if (!t->fresh_from) return false;
  for (int i = 0; i < n; ++i)
    if (is_dictionary_tag(x->k[i]) && (x->k[i] >> TAG_BITS) >= t->fresh_from) return true;
  return false;
}

/* The changes that change something: the last one of each quad, when the
 * store does not already hold (or lack) it; into r->effects, SPOG order. */
static NgStatus effects_of(NgQsTxn *t, FlushRoom *r, size_t *n) {
  Finder f;
  NgStatus st = room_reserve(r, t->nchanges + 1);
  if (!st) st = finder_open(&f, t, IX_SPOG);
  *n = 0;
  if (st) return st;
  for (size_t i = 0; i < t->nchanges; ++i) /* who: the order they came in */
    r->spog[i] =
        (Edit){tuple_of(IX_SPOG, t->changes[i].q), t->changes[i].seq, t->changes[i].insert != 0};
  edits_derive(r->spog, IX_SPOG, IX_SPOG, t->nchanges, r->edits, r->tmp); /* by subject */
  sort_subjects(r->edits, r->tmp, t->nchanges);
  for (size_t i = 0; !st && i < t->nchanges; ++i) {
    const Edit *x = &r->edits[i];
    if (i + 1 < t->nchanges && !tuple_cmp(&x->x, &r->edits[i + 1].x)) continue; /* a later one */
    bool held = false;
    if (!x->insert || !any_fresh(t, &x->x, 4)) st = finder_any(&f, &x->x, 4, &held);
    if (!st && held != x->insert)
      r->effects[(*n)++] = (Effect){x->x, x->insert, {0}, {0}, {0}, false};
  }
  finder_close(&f);
  return st;
}

/* What an effect tells by itself: an inserted quad's triple and pairs
 * are there after it, a removed one's were there before it; those with an
 * id no index has seen yet were not there before.  Else the index is asked
 * (true: *held is known). */
static bool known(NgQsTxn *t, const Effect *e, const Tuple *prefix, int n, int when, bool *held) {
  if (e->insert == (when == 1)) return *held = true;
  *held = false;
  return when == 0 && any_fresh(t, prefix, n);
}

/* Fills effect[k].triple[when] and .sp[when] from SPOG. */
static NgStatus triples_held(NgQsTxn *t, Effect *e, size_t n, int when) {
  Finder f;
  NgStatus st = finder_open(&f, t, IX_SPOG);
  for (size_t i = 0; !st && i < n; ++i) {
    Tuple lo = e[i].x;
    lo.k[3] = 0;
    if (!known(t, &e[i], &lo, 3, when, &e[i].triple[when]))
      st = finder_any(&f, &lo, 3, &e[i].triple[when]);
    lo.k[2] = 0;
    if (!st && !known(t, &e[i], &lo, 2, when, &e[i].sp[when]))
      st = finder_any(&f, &lo, 2, &e[i].sp[when]);
  }
  finder_close(&f);
  return st;
}

/* Fills effect[who].po[when] from POSG, visited in the order of the
 * POSG edits. */
static NgStatus pairs_held(NgQsTxn *t, const Edit *posg, Effect *e, size_t n, int when) {
  Finder f;
  NgStatus st = finder_open(&f, t, IX_POSG);
  for (size_t i = 0; !st && i < n; ++i) {
    Tuple lo = {{posg[i].x.k[0], posg[i].x.k[1], 0, 0}};
    Effect *x = &e[posg[i].who];
    if (!known(t, x, &lo, 2, when, &x->po[when])) st = finder_any(&f, &lo, 2, &x->po[when]);
  }
  finder_close(&f);
  return st;
}

/* Sums of the counters' changes over runs of edits that share a key:
 * one add_delta a run, not one a quad (a map look-up each: 3% of extract
 * into a store).  The sums are what the per-quad calls added up to. */
typedef struct {
  int64_t quads, triples;
} Totals;

/* Marks, in SPOG order, the first effect of each (s, p) pair: the pair's
 * change counts once, and POSG order (where it is counted) does not keep
 * a pair's quads together. */
static void mark_first_pairs(Effect *e, size_t n) {
  for (size_t i = 0; i < n; ++i)
    e[i].first_sp = !i || !same_prefix(&e[i - 1].x, &e[i].x, 2);
}

/* The counters of one (p, o) run of the POSG edits posg[a..b): its quads
 * and distinct triples (rdf:type's per class too), and into run[] those of
 * its predicate. */
static NgStatus count_object_run(NgQsTxn *t, const Edit *posg, const Effect *e, size_t a,
                                 size_t b, NgId type, Totals *sums, int64_t run[3]) {
  int64_t quads = 0, triples = 0;
  for (size_t i = a; i < b; ++i) {
    const Effect *x = &e[posg[i].who];
    quads += x->insert ? 1 : -1;
    /* a triple counts once however many of its quads changed */
    if (i == a || !same_prefix(&posg[i - 1].x, &posg[i].x, 3))
      triples += x->triple[1] - x->triple[0];
    run[1] += x->first_sp ? x->sp[1] - x->sp[0] : 0;
  }
  const Effect *first = &e[posg[a].who];
  run[0] += quads;
  run[2] += first->po[1] - first->po[0]; /* (a pair (p, o): once) */
  sums->quads += quads;
  sums->triples += triples;
  NgStatus st = NG_SUCCESS;
  NgId o = posg[a].x.k[1];
  if (type && posg[a].x.k[0] == type && quads) st = add_delta(t, 'C', o, 0, quads);
  if (!st && type && posg[a].x.k[0] == type && triples) st = add_delta(t, 'c', o, 0, triples);
  return st;
}

/* The counters' changes, from the effects in POSG order: per predicate
 * its quads ('P'), (s, p) pairs ('S') and (p, o) pairs ('O'); per class;
 * all quads and triples. */
static NgStatus count_effects(NgQsTxn *t, const Effect *e, const Edit *posg, size_t n) {
  NgId type;
  NgStatus st = rdf_type_id(t, &type);
  Totals sums = {0, 0};
  for (size_t a = 0; !st && a < n;) { /* one predicate */
    int64_t run[3] = {0, 0, 0};       /* its quads, (s, p) and (p, o) pairs */
    size_t b = a;
    while (!st && b < n && posg[b].x.k[0] == posg[a].x.k[0]) {
      size_t c = b + 1;
      while (c < n && same_prefix(&posg[c].x, &posg[b].x, 2))
        c++;
      st = count_object_run(t, posg, e, b, c, type, &sums, run);
      b = c;
    }
    NgId p = posg[a].x.k[0];
    if (!st && run[0]) st = add_delta(t, 'P', p, 0, run[0]);
    if (!st && run[1]) st = add_delta(t, 'S', p, 0, run[1]);
    if (!st && run[2]) st = add_delta(t, 'O', p, 0, run[2]);
    a = b;
  }
  if (!st && sums.quads) st = add_delta(t, 'Q', 0, 0, sums.quads);
  if (!st && sums.triples) st = add_delta(t, 'T', 0, 0, sums.triples);
  return st;
}

/* Quads per graph and predicate ('H'), from the GPOS edits: one
 * add_delta per (g, p) run. */
static NgStatus count_graph_predicates(NgQsTxn *t, const Edit *gpos, size_t n) {
  NgStatus st = NG_SUCCESS;
  for (size_t a = 0; !st && a < n;) {
    int64_t quads = 0;
    size_t b = a;
    for (; b < n && same_prefix(&gpos[b].x, &gpos[a].x, 2); ++b)
      quads += gpos[b].insert ? 1 : -1;
    if (quads) st = add_delta(t, 'H', gpos[a].x.k[0], gpos[a].x.k[1], quads);
    a = b;
  }
  return st;
}

static NgStatus flush_room(NgQsTxn *t, FlushRoom *r) {
  size_t n = 0;
  NgStatus st = effects_of(t, r, &n);
  Effect *e = r->effects;
  if (!st) {
    mark_first_pairs(e, n);
    edits_spog(r, e, n);
    edits_derive(r->spog, IX_SPOG, IX_OSPG, n, r->ospg, r->tmp);
    edits_derive(r->ospg, IX_OSPG, IX_POSG, n, r->posg, r->tmp);
    st = triples_held(t, e, n, 0);
  }
  if (!st) st = pairs_held(t, r->posg, e, n, 0);
  static const int base[NIX] = {-1, -1, -1, IX_SPOG, IX_POSG, IX_OSPG}; /* (GSPO, GPOS, GOSP) */
  for (int ix = 0; !st && ix < NIX; ++ix) {
    const Edit *edits = ix == IX_SPOG ? r->spog : ix == IX_POSG ? r->posg : r->ospg;
    if (base[ix] >= 0) {
      const Edit *from = base[ix] == IX_SPOG ? r->spog : base[ix] == IX_POSG ? r->posg : r->ospg;
      edits_derive(from, base[ix], ix, n, r->edits, r->tmp);
      edits = r->edits;
    }
    st = apply_edits(t, ix, edits, n);
    if (!st && ix == IX_GPOS) st = count_graph_predicates(t, edits, n);
  }
  if (!st) st = triples_held(t, e, n, 1);
  if (!st) st = pairs_held(t, r->posg, e, n, 1);
  if (!st) st = count_effects(t, e, r->posg, n);
  return st;
}

static NgStatus touch_changed_graphs(NgQsTxn *t);

static NgStatus flush_changes(NgQsTxn *t) {
  if (!t->nchanges) return NG_SUCCESS;
  NgStatus st = flush_room(t, &t->room);
  if (!st) st = touch_changed_graphs(t);
  t->nchanges = 0;
  ng_map_free(t->changed_graphs);
  t->changed_graphs = NULL;
  t->last_g = 0;
  t->last_slot = NULL;
  t->fresh_from = t->next_number; /* the indexes may hold every id so far */
  if (st) t->failed = true;
  return st;
}

static NgStatus queue_change(NgQsTxn *t, const NgId q[4], bool insert) {
  if (t->nchanges == t->cap_changes) {
    size_t cap = t->cap_changes ? 2 * t->cap_changes : 1024;
    Change *c = realloc(t->changes, cap * sizeof *c);
    if (!c) return NG_ERR_NOMEM;
    t->changes = c;
    t->cap_changes = cap;
  }
  uintptr_t *last = t->last_g == q[NG_QS_G] ? t->last_slot : NULL;
  if (!last) {
    unsigned char g[8];
    put_u64(g, q[NG_QS_G]);
    if (!t->changed_graphs && !(t->changed_graphs = ng_map_new())) return NG_ERR_NOMEM;
    /* (a new key may move the others' slots: only the last one is kept) */
    if (!(last = ng_map_slot(t->changed_graphs, (const char *)g, 8, NULL))) return NG_ERR_NOMEM;
    t->last_g = q[NG_QS_G];
    t->last_slot = last;
  }
  Change *c = &t->changes[t->nchanges++];
  memcpy(c->q, q, sizeof c->q);
  c->seq = t->seq++;
  *last = t->seq; /* (graph fingerprints: g changed up to here) */
  c->insert = insert;
  /* a bound on memory; never under an open scan, whose blocks would move */
  if (t->nchanges >= CHANGES_MAX && !t->scans) return flush_changes(t);
  return NG_SUCCESS;
}

/* Whether the store holds quad q now (changes written first). */
static NgStatus holds_quad(NgQsTxn *t, const NgId q[4], bool *held) {
  NgStatus st = flush_changes(t);
  Finder f;
  if (!st) st = finder_open(&f, t, IX_SPOG);
  if (st) return st;
  Tuple x = tuple_of(IX_SPOG, q);
  st = finder_any(&f, &x, 4, held);
  finder_close(&f);
  return st;
}

static bool quad_ok(const NgId q[4]) { return q[0] && q[1] && q[2] && q[3]; }

NgStatus ng_qs_insert(NgQsTxn *txn, const NgId quad[4], bool *added) {
  NgStatus st;
  bool held = false;
  if (added) *added = false;
  NG_TRY(st, need_write(txn));
  if (!quad_ok(quad)) return NG_ERR_BAD_ARG;
  if (added) NG_TRY(st, holds_quad(txn, quad, &held));
  if (added) *added = !held;
  return held ? NG_SUCCESS : queue_change(txn, quad, true);
}

NgStatus ng_qs_remove(NgQsTxn *txn, const NgId quad[4], bool *removed) {
  NgStatus st;
  bool held = true;
  if (removed) *removed = false;
  NG_TRY(st, need_write(txn));
  if (!quad_ok(quad)) return NG_ERR_BAD_ARG;
  if (removed) NG_TRY(st, holds_quad(txn, quad, &held));
  if (removed) *removed = held;
  return held ? queue_change(txn, quad, false) : NG_SUCCESS;
}

/* =========================================================== counters */

/* Records of meta, each one LMDB entry:
 *   "Q" "T" "R" "D" "n"  u64
 *   "P"+p   u64 quads, u64 distinct subjects, u64 distinct objects
 *   "G"+g   LEB128: quads, then (predicate, quads) pairs by predicate
 *   "C"+c   u64 quads (s rdf:type c), u64 distinct instances s
 * Changes gather in t->deltas under keys tag + varint ids ('S', 'O', 'c'
 * and 'H' g p are folded into the records above when written). */

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

static NgStatus add_delta(NgQsTxn *t, char tag, NgId a, NgId b, int64_t delta) {
  MetaKey k = meta_key(tag, a, b);
  if (!t->deltas && !(t->deltas = ng_map_new())) return NG_ERR_NOMEM;
  uintptr_t *slot = ng_map_slot(t->deltas, (const char *)k.b, k.len, NULL);
  if (!slot) return NG_ERR_NOMEM;
  *slot = (uintptr_t)((int64_t)*slot + delta);
  return NG_SUCCESS;
}

/* A record's bytes (NULL/0 when absent); they live until the next write. */
static NgStatus meta_get(NgQsTxn *t, const MetaKey *k, MDB_val *v) {
  MDB_val key = {k->len, (void *)k->b};
  int rc = mdb_get(t->txn, t->qs->env->meta, &key, v);
  if (rc == MDB_NOTFOUND) {
    *v = (MDB_val){0, NULL};
    return NG_SUCCESS;
  }
  return rc ? txn_error(t, rc, "cannot read a counter") : NG_SUCCESS;
}

static NgStatus meta_put(NgQsTxn *t, const MetaKey *k, const void *data, size_t len) {
  MDB_val key = {k->len, (void *)k->b}, val = {len, (void *)data};
  int rc = len ? mdb_put(t->txn, t->qs->env->meta, &key, &val, 0)
               : mdb_del(t->txn, t->qs->env->meta, &key, NULL);
  if (rc == MDB_NOTFOUND) rc = 0;
  return rc ? txn_error(t, rc, "cannot write a counter") : NG_SUCCESS;
}

/* Fixed records of n u64 (absent: zeros). */
static NgStatus meta_read_u64s(NgQsTxn *t, const MetaKey *k, uint64_t *v, size_t n) {
  MDB_val val;
  NgStatus st = meta_get(t, k, &val);
  memset(v, 0, n * sizeof *v);
  if (st || !val.mv_size) return st;
  if (val.mv_size != 8 * n) return txn_damaged(t, "a counter of the wrong size");
  for (size_t i = 0; i < n; ++i)
    v[i] = get_u64((const unsigned char *)val.mv_data + 8 * i);
  return NG_SUCCESS;
}

static NgStatus meta_write_u64s(NgQsTxn *t, const MetaKey *k, const uint64_t *v, size_t n) {
  unsigned char b[3 * 8];
  bool zero = true;
  for (size_t i = 0; i < n; ++i) {
    put_u64(b + 8 * i, v[i]);
    zero = zero && !v[i];
  }
  return meta_put(t, k, b, zero ? 0 : 8 * n);
}

static uint64_t plus(uint64_t v, int64_t d) {
  return d < 0 && (uint64_t)-d > v ? 0 : v + (uint64_t)d; /* never below zero */
}

/* A graph's record: its quads and its (predicate, quads) pairs. */
typedef struct {
  uint64_t total;
  uint64_t *pairs; /* p, count, p, count... by p */
  size_t npairs, cap;
} GraphCounts;

static NgStatus graph_counts_read(NgQsTxn *t, NgId g, GraphCounts *gc) {
  MetaKey k = meta_key('G', g, 0);
  MDB_val v;
  NgStatus st = meta_get(t, &k, &v);
  gc->total = 0;
  gc->npairs = 0;
  const unsigned char *p = v.mv_data;
  size_t pos = 0, m;
  if (st || !v.mv_size) return st;
  if (!(m = leb_get(p, v.mv_size, &gc->total))) return txn_damaged(t, "a graph counter");
  pos += m;
  while (pos < v.mv_size) {
    uint64_t pred, count;
    size_t a = leb_get(p + pos, v.mv_size - pos, &pred), b;
    if (!a || !(b = leb_get(p + pos + a, v.mv_size - pos - a, &count)))
      return txn_damaged(t, "a graph counter");
    pos += a + b;
    if (gc->npairs == gc->cap) {
      size_t cap = gc->cap ? 2 * gc->cap : 16;
      uint64_t *more = realloc(gc->pairs, 2 * cap * sizeof *more);
      if (!more) return NG_ERR_NOMEM;
      gc->pairs = more;
      gc->cap = cap;
    }
    gc->pairs[2 * gc->npairs] = pred;
    gc->pairs[2 * gc->npairs++ + 1] = count;
  }
  return NG_SUCCESS;
}

static NgStatus graph_counts_write(NgQsTxn *t, NgId g, const GraphCounts *gc) {
  MetaKey k = meta_key('G', g, 0);
  NgBuf *b = &t->buf;
  unsigned char d[20];
  ng_buf_clear(b);
  NgStatus st = gc->total ? ng_buf_append(b, (const char *)d, leb_put(d, gc->total)) : NG_SUCCESS;
  for (size_t i = 0; gc->total && !st && i < gc->npairs; ++i) {
    if (!gc->pairs[2 * i + 1]) continue;
    size_t n = leb_put(d, gc->pairs[2 * i]);
    n += leb_put(d + n, gc->pairs[2 * i + 1]);
    st = ng_buf_append(b, (const char *)d, n);
  }
  return st ? st : meta_put(t, &k, b->data, gc->total ? b->len : 0);
}

/* Adds delta to predicate p's count in gc (sorted by p). */
static NgStatus graph_counts_add(GraphCounts *gc, NgId p, int64_t delta) {
  size_t i = 0;
  while (i < gc->npairs && gc->pairs[2 * i] < p)
    i++;
  if (i == gc->npairs || gc->pairs[2 * i] != p) {
    if (gc->npairs == gc->cap) {
      size_t cap = gc->cap ? 2 * gc->cap : 16;
      uint64_t *more = realloc(gc->pairs, 2 * cap * sizeof *more);
      if (!more) return NG_ERR_NOMEM;
      gc->pairs = more;
      gc->cap = cap;
    }
    memmove(gc->pairs + 2 * i + 2, gc->pairs + 2 * i, 2 * (gc->npairs - i) * sizeof *gc->pairs);
    gc->pairs[2 * i] = p;
    gc->pairs[2 * i + 1] = 0;
    gc->npairs++;
  }
  gc->pairs[2 * i + 1] = plus(gc->pairs[2 * i + 1], delta);
  gc->total = plus(gc->total, delta);
  return NG_SUCCESS;
}

/* One gathered change, decoded from its key. */
typedef struct {
  char tag;
  NgId a, b;
  int64_t delta;
} Delta;

/* Sorts d[0..n) by tag, a, b: three stable radix sorts, the last key
 * first; into out (NG_ERR_NOMEM: d is left as it was). */
static NgStatus deltas_sort(const Delta *d, size_t n, Delta *out) {
  Keyed *room = malloc(2 * (n + 1) * sizeof *room), *v = room;
  if (!room) return NG_ERR_NOMEM;
  for (size_t i = 0; i < n; ++i)
    v[i] = (Keyed){d[i].b, i};
  v = radix_keyed(v, v == room ? room + n : room, n);
  for (size_t i = 0; i < n; ++i)
    v[i].key = d[v[i].item].a;
  v = radix_keyed(v, v == room ? room + n : room, n);
  for (size_t i = 0; i < n; ++i)
    v[i].key = (unsigned char)d[v[i].item].tag;
  v = radix_keyed(v, v == room ? room + n : room, n);
  for (size_t i = 0; i < n; ++i)
    out[i] = d[v[i].item];
  free(room);
  return NG_SUCCESS;
}

static bool delta_decode(const char *key, size_t len, uintptr_t value, Delta *d) {
  const unsigned char *p = (const unsigned char *)key;
  size_t n = 1, m;
  *d = (Delta){(char)p[0], 0, 0, (int64_t)value};
  if (n < len && !(m = varint_get(p + n, len - n, &d->a))) return false;
  if (n < len) n += m;
  if (n < len && !(m = varint_get(p + n, len - n, &d->b))) return false;
  return true;
}

/* Graph records: the quads per graph and per predicate in it ('H'), and
 * the graphs that start or stop holding quads. */
static NgStatus write_graph_deltas(NgQsTxn *t, const Delta *d, size_t n, int64_t *graphs) {
  GraphCounts gc = {0, NULL, 0, 0};
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; !st && i < n;) {
    NgId g = d[i].a;
    st = graph_counts_read(t, g, &gc);
    uint64_t before = gc.total;
    for (; !st && i < n && d[i].a == g; ++i)
      st = graph_counts_add(&gc, d[i].b, d[i].delta);
    if (!st) st = graph_counts_write(t, g, &gc);
    *graphs += (gc.total > 0) - (before > 0);
  }
  free(gc.pairs);
  return st;
}

/* Records of fixed u64 fields: tag X's delta goes to field f of record R. */
static NgStatus write_field_delta(NgQsTxn *t, char record, NgId id, size_t fields, size_t f,
                                  int64_t delta) {
  MetaKey k = meta_key(record, id, 0);
  uint64_t v[3];
  NgStatus st = meta_read_u64s(t, &k, v, fields);
  if (st) return st;
  v[f] = plus(v[f], delta);
  return meta_write_u64s(t, &k, v, fields);
}

/* The gathered changes into meta (before a commit, or before a counter is
 * read in the transaction that changed it). */
static NgStatus flush_counters(NgQsTxn *t) {
  size_t n = t->deltas ? ng_map_size(t->deltas) : 0, i = 0, len, k = 0;
  const char *key;
  uintptr_t value;
  Delta *all = malloc(2 * (n + 1) * sizeof *all), *d = all ? all + n + 1 : NULL;
  NgStatus st = all ? NG_SUCCESS : NG_ERR_NOMEM;
  while (!st && t->deltas && ng_map_next(t->deltas, &i, &key, &len, &value))
    if (value && delta_decode(key, len, value, &all[k])) k++;
  if (!st) st = deltas_sort(all, k, d);
  if (st) k = 0;
  int64_t graphs = 0;
  size_t h = 0;
  while (h < k && d[h].tag != 'H')
    h++;
  size_t h_end = h;
  while (h_end < k && d[h_end].tag == 'H')
    h_end++;
  if (!st) st = write_graph_deltas(t, d + h, h_end - h, &graphs);
  for (size_t j = 0; !st && j < k; ++j) {
    const Delta *x = &d[j];
    switch (x->tag) {
    case 'P': st = write_field_delta(t, 'P', x->a, 3, 0, x->delta); break;
    case 'S': st = write_field_delta(t, 'P', x->a, 3, 1, x->delta); break;
    case 'O': st = write_field_delta(t, 'P', x->a, 3, 2, x->delta); break;
    case 'C': st = write_field_delta(t, 'C', x->a, 2, 0, x->delta); break;
    case 'c': st = write_field_delta(t, 'C', x->a, 2, 1, x->delta); break;
    case 'Q':
    case 'T':
    case 'D': st = write_field_delta(t, x->tag, 0, 1, 0, x->delta); break;
    default: break;
    }
  }
  if (!st && graphs) st = write_field_delta(t, 'R', 0, 1, 0, graphs);
  if (!st && t->next_number) {
    MetaKey nk = meta_key('n', 0, 0);
    st = meta_write_u64s(t, &nk, &t->next_number, 1);
  }
  free(all);
  ng_map_free(t->deltas);
  t->deltas = NULL;
  return st;
}

static NgStatus flush_terms(NgQsTxn *t);

/* ================================================== graph fingerprints */

/* Meta record "F"+g: the fingerprint of graph g (quadstore.h).  Every
 * changed graph is remembered with the transaction's change count after its
 * last change (changed_graphs while the changes wait, touched once they are
 * written); at commit a fingerprint set at or after that count is written,
 * and every other changed graph's fingerprint is deleted. */

static NgStatus touch_changed_graphs(NgQsTxn *t) {
  size_t i = 0, len;
  const char *key;
  uintptr_t value;
  if (!t->changed_graphs) return NG_SUCCESS;
  if (!t->touched && !(t->touched = ng_map_new())) return NG_ERR_NOMEM;
  while (ng_map_next(t->changed_graphs, &i, &key, &len, &value)) {
    uintptr_t *slot = ng_map_slot(t->touched, key, len, NULL);
    if (!slot) return NG_ERR_NOMEM;
    *slot = value;
  }
  return NG_SUCCESS;
}

/* The change count after which g's fingerprint may be set: 0 if g was not
 * changed in this transaction. */
static uint32_t touched_at(const NgQsTxn *t, NgId g) {
  unsigned char key[8];
  uintptr_t v = 0;
  put_u64(key, g);
  if (t->changed_graphs && ng_map_get(t->changed_graphs, (const char *)key, 8, &v))
    return (uint32_t)v;
  if (t->touched && ng_map_get(t->touched, (const char *)key, 8, &v)) return (uint32_t)v;
  return 0;
}

static Fingerprint *fingerprint_set_in_txn(const NgQsTxn *t, NgId g) {
  for (size_t i = t->nfps; i-- > 0;)
    if (t->fps[i].g == g) return &t->fps[i];
  return NULL;
}

NgStatus ng_qs_graph_fingerprint(NgQsTxn *txn, NgId g, unsigned char fp[NG_QS_FINGERPRINT_SIZE],
                                 bool *found) {
  *found = false;
  if (!g) return NG_ERR_BAD_ARG;
  uint32_t changed = txn->write ? touched_at(txn, g) : 0;
  Fingerprint *set = txn->write ? fingerprint_set_in_txn(txn, g) : NULL;
  if (set && set->seq >= changed) {
    memcpy(fp, set->fp, NG_QS_FINGERPRINT_SIZE);
    *found = true;
    return NG_SUCCESS;
  }
  if (changed) return NG_SUCCESS;
  MetaKey k = meta_key('F', g, 0);
  MDB_val v;
  NgStatus st = meta_get(txn, &k, &v);
  if (st || !v.mv_size) return st;
  if (v.mv_size != NG_QS_FINGERPRINT_SIZE) return txn_damaged(txn, "a graph fingerprint");
  memcpy(fp, v.mv_data, NG_QS_FINGERPRINT_SIZE);
  *found = true;
  return NG_SUCCESS;
}

NgStatus ng_qs_set_graph_fingerprint(NgQsTxn *txn, NgId g,
                                     const unsigned char fp[NG_QS_FINGERPRINT_SIZE]) {
  NgStatus st;
  NG_TRY(st, need_write(txn));
  if (!g) return NG_ERR_BAD_ARG;
  Fingerprint *set = fingerprint_set_in_txn(txn, g);
  if (!set) {
    Fingerprint *more = realloc(txn->fps, (txn->nfps + 1) * sizeof *more);
    if (!more) return NG_ERR_NOMEM;
    txn->fps = more;
    set = &txn->fps[txn->nfps++];
    set->g = g;
  }
  set->seq = txn->seq;
  memcpy(set->fp, fp, NG_QS_FINGERPRINT_SIZE);
  return NG_SUCCESS;
}

/* At commit, after the changes are flushed. */
static NgStatus flush_fingerprints(NgQsTxn *t) {
  NgStatus st = NG_SUCCESS;
  size_t i = 0, len;
  const char *key;
  uintptr_t value;
  while (!st && t->touched && ng_map_next(t->touched, &i, &key, &len, &value)) {
    NgId g = get_u64((const unsigned char *)key);
    Fingerprint *set = fingerprint_set_in_txn(t, g);
    if (set && set->seq >= (uint32_t)value) continue; /* written below */
    MetaKey k = meta_key('F', g, 0);
    st = meta_put(t, &k, NULL, 0);
  }
  for (size_t j = 0; j < t->nfps && !st; ++j) {
    if (t->fps[j].seq < touched_at(t, t->fps[j].g)) continue;
    MetaKey k = meta_key('F', t->fps[j].g, 0);
    st = meta_put(t, &k, t->fps[j].fp, NG_QS_FINGERPRINT_SIZE);
  }
  return st;
}

/* Everything gathered, written (before a commit, or a read of it). */
static NgStatus flush_all(NgQsTxn *t) {
  NgStatus st;
  if (!t->write) return NG_SUCCESS;
  if (t->failed) return NG_ERR_STORE;
  NG_TRY(st, flush_changes(t));
  NG_TRY(st, flush_terms(t));
  return flush_counters(t);
}

static NgStatus read_u64s(NgQsTxn *t, char tag, NgId id, uint64_t *v, size_t n) {
  NgStatus st;
  memset(v, 0, n * sizeof *v);
  NG_TRY(st, flush_all(t));
  MetaKey k = meta_key(tag, id, 0);
  return meta_read_u64s(t, &k, v, n);
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

/* A term added in this transaction and not yet written. */
static const NewTerm *new_term(const NgQsTxn *t, NgId id) {
  uint64_t n = id >> TAG_BITS;
  if (!t->nnew || n < t->first_new || n - t->first_new >= t->nnew) return NULL;
  const NewTerm *nt = &t->new_terms[n - t->first_new];
  return nt->id == id ? nt : NULL;
}

static NgStatus get_stored(NgQsTxn *t, NgId id, Stored *s, bool *found) {
  const NewTerm *nt = new_term(t, id);
  if (nt) {
    MDB_val v = {nt->len, t->new_bytes.data + nt->offset};
    *found = true;
    return parse_stored(t->qs, id, &v, s);
  }
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

/* ========================================================= KNOWN HASHES */

/* A new term's hash is looked up in term2id before the term gets an id:
 * a descent of the tree that finds nothing, for nearly every term of an
 * article (2.4% of extract into a store).  A writer that has seen every
 * key of term2id knows without it: the store keeps them in memory from
 * the first write transaction that finds term2id empty, adds those of
 * each transaction it commits, and trusts them only while no other
 * transaction committed in between (LMDB numbers write transactions one
 * after the other: the next must be the last one's number + 1).  An
 * absent hash means no term of term2id is this one; a present one is
 * looked up as before.  Past KNOWN_MAX keys they are dropped. */
#define KNOWN_MAX ((size_t)1 << 20) /* (16 MB of table) */

static bool known_has(const KnownHashes *k, uint64_t h) {
  if (!h || !k->cap) return !h && k->has_zero;
  for (size_t i = mix64(h) & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
    if (k->slots[i] == h) return true;
    if (!k->slots[i]) return false;
  }
}

static void known_drop(KnownHashes *k) {
  free(k->slots);
  *k = (KnownHashes){NULL, 0, 0, false, false, 0};
}

static void known_put(KnownHashes *k, uint64_t h) {
  size_t i = mix64(h) & (k->cap - 1);
  while (k->slots[i] && k->slots[i] != h)
    i = (i + 1) & (k->cap - 1);
  k->n += !k->slots[i];
  k->slots[i] = h;
}

static bool known_grow(KnownHashes *k, size_t more) {
  if ((k->n + more) * 2 <= k->cap) return true;
  size_t cap = k->cap ? k->cap : 1024;
  while ((k->n + more) * 2 > cap)
    cap *= 2;
  KnownHashes bigger = {calloc(cap, sizeof(uint64_t)), cap, 0, true, k->has_zero, k->txnid};
  if (!bigger.slots) return false;
  for (size_t i = 0; i < k->cap; ++i)
    if (k->slots[i]) known_put(&bigger, k->slots[i]);
  free(k->slots);
  *k = bigger;
  return true;
}

/* At the start of a write transaction: valid only if this transaction
 * follows the one they were last brought up to date with, or term2id is
 * empty. */
static void known_check(NgQsTxn *t) {
  KnownHashes *k = &t->known;
  size_t id = mdb_txn_id(t->txn);
  MDB_stat st;
  if (k->valid && id == k->txnid + 1) return;
  known_drop(k);
  if (mdb_stat(t->txn, t->qs->env->term2id, &st) || st.ms_entries) return;
  k->valid = true;
  k->txnid = id - 1;
}

/* After this transaction committed: its hashes are term2id's too. */
static void known_committed(KnownHashes *k, const NgBuf *written, size_t txnid) {
  size_t n = written->len / sizeof(uint64_t);
  if (!k->valid) return;
  if (k->n + n > KNOWN_MAX || !known_grow(k, n)) {
    known_drop(k);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    uint64_t h;
    memcpy(&h, written->data + i * sizeof h, sizeof h);
    if (h)
      known_put(k, h);
    else
      k->has_zero = true;
  }
  k->txnid = txnid;
}

/* Looks the term up through term2id (the terms written before this
 * transaction; those added in it are all in its cache). */
static NgStatus find_term(NgQsTxn *t, const Parts *p, NgId datatype, uint64_t hash, NgId *id) {
  unsigned char kb[8];
  put_u64(kb, hash);
  MDB_val k = {8, kb}, candidates;
  *id = 0;
  if (t->known.valid && !known_has(&t->known, hash)) return NG_SUCCESS; /* (see KNOWN HASHES) */
  int rc = mdb_get(t->txn, t->qs->env->term2id, &k, &candidates);
  if (rc == MDB_NOTFOUND) return NG_SUCCESS;
  if (rc) return txn_error(t, rc, "cannot read the dictionary");
  if (candidates.mv_size % 8) return txn_damaged(t, "a dictionary hash entry");
  for (size_t i = 0; i < candidates.mv_size; i += 8) {
    NgId c = get_u64((const unsigned char *)candidates.mv_data + i);
    Stored s;
    bool found;
    NgStatus st = get_stored(t, c, &s, &found);
    if (st) return st;
    if (!found) return txn_damaged(t, "the dictionary names a term it does not hold");
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
    MetaKey k = meta_key('n', 0, 0);
    NG_TRY(st, meta_read_u64s(t, &k, &t->next_number, 1));
    if (!t->next_number) t->next_number = 1;
    t->fresh_from = t->next_number; /* nothing numbered from here exists */
  }
  if (!t->nnew) t->first_new = t->next_number;
  *n = t->next_number++;
  return NG_SUCCESS;
}

/* A new term's id2term value, kept with the transaction's new terms. */
static NgStatus keep_new_term(NgQsTxn *t, const Parts *p, NgId id, NgId datatype, uint64_t hash) {
  NgBuf *b = &t->new_bytes;
  size_t offset = b->len;
  unsigned char head[4 + 1 + 9];
  size_t hl = 5;
  head[4] = (unsigned char)p->kind;
  if (p->kind == 'T') hl += varint_put(head + 5, datatype);
  NgStatus st = ng_buf_append(b, (const char *)head, hl);
  if (!st && p->kind == 'L') st = ng_buf_append(b, p->lang, strlen(p->lang) + 1);
  if (!st) st = ng_buf_append(b, p->value, p->len + 1);
  if (!st && t->nnew == t->cap_new) {
    size_t cap = t->cap_new ? 2 * t->cap_new : 256;
    NewTerm *more = realloc(t->new_terms, cap * sizeof *more);
    if (!more) st = NG_ERR_NOMEM;
    if (!st) {
      t->new_terms = more;
      t->cap_new = cap;
    }
  }
  if (st) {
    b->len = offset;
    return st;
  }
  uint32_t check = (uint32_t)format_hash(b->data + offset + 4, b->len - offset - 4, 7);
  for (int i = 0; i < 4; ++i)
    b->data[offset + i] = (char)(check >> (8 * i));
  t->new_terms[t->nnew++] = (NewTerm){id, hash, offset, b->len - offset};
  return NG_SUCCESS;
}

/* The new terms by hash, then id (they are in id order: a stable sort),
 * into by_hash (NULL: out of memory). */
static NewTerm **new_terms_by_hash(NgQsTxn *t) {
  Keyed *room = malloc(2 * t->nnew * sizeof *room), *v = room;
  NewTerm **by_hash = room ? malloc(t->nnew * sizeof *by_hash) : NULL;
  for (size_t i = 0; by_hash && i < t->nnew; ++i)
    v[i] = (Keyed){t->new_terms[i].hash, (uintptr_t)&t->new_terms[i]};
  if (by_hash) v = radix_keyed(room, room + t->nnew, t->nnew);
  for (size_t i = 0; by_hash && i < t->nnew; ++i)
    by_hash[i] = (NewTerm *)v[i].item;
  free(room);
  return by_hash;
}

static NgStatus append_ids(NgBuf *ids, NewTerm **same, size_t n) {
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; !st && i < n; ++i) {
    unsigned char d[8];
    put_u64(d, same[i]->id);
    st = ng_buf_append(ids, (const char *)d, 8);
  }
  return st;
}

/* The key of hash same[0]->hash, with the ids of same[0..n) after any
 * there already. */
static NgStatus put_hash(NgQsTxn *t, MDB_cursor *c, NgBuf *ids, NewTerm **same, size_t n) {
  unsigned char kb[8];
  put_u64(kb, same[0]->hash);
  ng_buf_clear(ids);
  NgStatus st = append_ids(ids, same, n);
  MDB_val k = {8, kb}, v = {ids->len, ids->data};
  int rc = st ? 0 : mdb_cursor_put(c, &k, &v, MDB_NOOVERWRITE);
  if (rc == MDB_KEYEXIST) { /* v: the ids already there (in the map) */
    ng_buf_clear(ids);
    st = ng_buf_append(ids, v.mv_data, v.mv_size);
    if (!st) st = append_ids(ids, same, n);
    k = (MDB_val){8, kb};
    v = (MDB_val){ids->len, ids->data};
    rc = st ? 0 : mdb_cursor_put(c, &k, &v, 0);
  }
  return rc ? txn_error(t, rc, "cannot write the dictionary") : st;
}

/* term2id: each hash's ids, the new ones after those already there.
 * Most hashes are new: each is put without a look first (LMDB says when
 * the key is there, and gives its ids), through one cursor, in hash order
 * (LMDB looks in the cursor's page before it descends the tree).  A get
 * and a put of their own descended twice a term: 4% of extract. */
static NgStatus write_hashes(NgQsTxn *t, NewTerm **by_hash, size_t n) {
  NgBuf ids = NG_BUF_INIT;
  MDB_cursor *c = NULL;
  int rc = mdb_cursor_open(t->txn, t->qs->env->term2id, &c);
  NgStatus st = rc ? txn_error(t, rc, "cannot write the dictionary") : NG_SUCCESS;
  for (size_t i = 0, j; !st && i < n; i = j) {
    for (j = i + 1; j < n && by_hash[j]->hash == by_hash[i]->hash; ++j) {
    }
    st = put_hash(t, c, &ids, by_hash + i, j - i);
  }
  if (c) mdb_cursor_close(c);
  ng_buf_free(&ids);
  return st;
}

/* The transaction's new terms into id2term (in id order: appended, so
 * LMDB fills its pages) and term2id (in hash order). */
static NgStatus flush_terms(NgQsTxn *t) {
  if (!t->nnew) return NG_SUCCESS;
  /* the dictionary's count, once a flush (not a map look-up a term) */
  NgStatus st = add_delta(t, 'D', 0, 0, (int64_t)t->nnew);
  for (size_t i = 0; !st && i < t->nnew; ++i) {
    unsigned char kb[9];
    MDB_val k = {varint_put(kb, t->new_terms[i].id), kb};
    MDB_val v = {t->new_terms[i].len, t->new_bytes.data + t->new_terms[i].offset};
    int rc = mdb_put(t->txn, t->qs->env->id2term, &k, &v, MDB_APPEND);
    if (rc == MDB_KEYEXIST) rc = mdb_put(t->txn, t->qs->env->id2term, &k, &v, MDB_NOOVERWRITE);
    if (rc) st = txn_error(t, rc, "cannot write the dictionary");
  }
  for (size_t i = 0; !st && t->known.valid && i < t->nnew; ++i)
    st = ng_buf_append(&t->written, (const char *)&t->new_terms[i].hash, sizeof(uint64_t));
  NewTerm **by_hash = st ? NULL : new_terms_by_hash(t);
  if (!st && !by_hash) st = NG_ERR_NOMEM;
  if (!st) st = write_hashes(t, by_hash, t->nnew);
  free(by_hash);
  t->nnew = 0;
  ng_buf_clear(&t->new_bytes);
  return st;
}

static NgStatus term_id(NgQsTxn *t, const Parts *p, bool add, NgId *id);

/* The datatype of a typed literal as an id: added when add. */
static NgStatus datatype_id(NgQsTxn *t, const Parts *p, bool add, NgId *dt) {
  *dt = 0;
  if (p->kind != 'T') return NG_SUCCESS;
  Parts d = {'I', p->datatype, strlen(p->datatype), NULL, NULL, {0}};
  return term_id(t, &d, add, dt);
}

/* Terms past the limit are refused, unreported: the caller knows where
 * the term came from and says so. */
static NgStatus check_size(const Parts *p) {
  size_t total = p->len + (p->lang ? strlen(p->lang) : 0) + (p->datatype ? strlen(p->datatype) : 0);
  return total <= NG_QS_TERM_MAX ? NG_SUCCESS : NG_ERR_TOO_LARGE;
}

static NgStatus term_id(NgQsTxn *t, const Parts *p, bool add, NgId *id) {
  NgStatus st;
  NgId datatype;
  *id = 0;
  if (inline_id(p, id)) return NG_SUCCESS;
  NG_TRY(st, check_size(p));
  NG_TRY(st, datatype_id(t, p, add, &datatype));
  if (p->kind == 'T' && !datatype) return NG_END;
  NG_TRY(st, identity(&t->buf, p, datatype));
  uintptr_t cached;
  if (!t->cache && t->write && !(t->cache = ng_map_new())) return NG_ERR_NOMEM;
  NgMapKey key = {0, 0};
  if (t->cache) key = ng_map_prefetch_key(t->cache, t->buf.data, t->buf.len);
  if (t->cache && ng_map_get_key(t->cache, key, t->buf.data, t->buf.len, &cached)) {
    *id = (NgId)cached;
    return NG_SUCCESS;
  }
  uint64_t hash = format_hash(t->buf.data, t->buf.len, 1);
  NG_TRY(st, find_term(t, p, datatype, hash, id));
  if (!*id && !add) return NG_END;
  if (!*id) {
    uint64_t n;
    NG_TRY(st, next_number(t, &n));
    *id = (n << TAG_BITS) | (p->kind == 'I' ? TAG_IRI : p->kind == 'B' ? TAG_BLANK : TAG_LITERAL);
    NG_TRY(st, keep_new_term(t, p, *id, datatype, hash));
    if (p->kind == 'I' && !strcmp(p->value, RDF_TYPE)) t->rdf_type = *id;
  } else if (t->buf.len > CACHE_MAX_KEY) {
    return NG_SUCCESS; /* long terms of the store are not kept in memory */
  }
  /* every term added in a write transaction is cached: that is how the
   * transaction finds it again before it is written */
  if (!t->write) return NG_SUCCESS;
  uintptr_t *slot = ng_map_slot_key(t->cache, key, t->buf.data, t->buf.len, NULL);
  if (!slot) return NG_ERR_NOMEM;
  *slot = (uintptr_t)*id;
  return NG_SUCCESS;
}

NgStatus ng_qs_lookup(NgQsTxn *txn, const NgTerm *term, NgId *id) {
  Parts p;
  NgStatus st = parts_of(term, true, &p);
  *id = 0;
  if (st) return st;
  return term_id(txn, &p, false, id);
}

static NgStatus intern(NgQsTxn *txn, const NgTerm *term, bool utf8, NgId *id) {
  Parts p;
  NgStatus st = parts_of(term, utf8, &p);
  *id = 0;
  if (!st) st = need_write(txn);
  if (st) return st;
  return term_id(txn, &p, true, id);
}

NgStatus ng_qs_intern(NgQsTxn *txn, const NgTerm *term, NgId *id) {
  return intern(txn, term, true, id);
}

NgStatus ng_qs_intern_checked(NgQsTxn *txn, const NgTerm *term, NgId *id) {
  return intern(txn, term, false, id);
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
    Parts p = {'I', RDF_TYPE, strlen(RDF_TYPE), NULL, NULL, {0}};
    NgStatus st = term_id(t, &p, false, &t->rdf_type);
    if (st && st != NG_END) return st;
    t->rdf_type_looked_up = true;
  }
  *id = t->rdf_type;
  return NG_SUCCESS;
}

/* ======================================================== ending txns */

struct NgQsScan {
  NgQsTxn *txn;
  NgQsScan *next_open, **prev_open;
  MDB_cursor *cursor; /* NULL once the transaction ended */
  int ix, nbound;
  NgId pattern[4];
  Tuple low;    /* the bound ids, then zeros */
  Tuples block; /* the current block's tuples */
  size_t pos;   /* the next one to return */
  Tuple last;   /* the last returned, for the order check */
  bool any, done, started;
  bool cut;     /* the block was decoded up to the first tuple past the pattern */
};

/* Scans end before their transaction: their cursors are closed (LMDB
 * frees a write transaction's with it, and a read transaction's must be
 * closed by hand) and they are detached, so that their free is harmless. */
static void end_scans(NgQsTxn *t) {
  for (NgQsScan *s = t->scans, *next; s; s = next) {
    next = s->next_open;
    if (s->cursor) mdb_cursor_close(s->cursor);
    s->cursor = NULL;
    s->done = true;
    s->txn = NULL;
    s->prev_open = NULL;
    s->next_open = NULL;
  }
  t->scans = NULL;
}

/* The working memory of a write transaction: arrays of as many entries
 * as the changes (130,000 for a commit of extract), which a new
 * transaction faulted in again page by page (page faults were 4.5% of the
 * samples of extract into a store, most of them in these arrays).  The
 * store keeps the last transaction's for the next, unless it is larger
 * than SPARE_MAX changes (an import's: not held while the store sits
 * idle). */
#define SPARE_MAX ((size_t)1 << 18)

static void spare_free(Spare *s) {
  free(s->changes);
  free(s->new_terms);
  ng_buf_free(&s->new_bytes);
  ng_buf_free(&s->block_bytes);
  free(s->block_at);
  room_free(&s->room);
}

static void take_spare(NgQsTxn *t) {
  NgQuadStore *qs = t->qs;
  pthread_mutex_lock(&qs->spare_lock);
  if (qs->has_spare) {
    Spare *s = &qs->spare;
    t->changes = s->changes;
    t->cap_changes = s->cap_changes;
    t->new_terms = s->new_terms;
    t->cap_new = s->cap_new;
    t->new_bytes = s->new_bytes;
    t->block_bytes = s->block_bytes;
    t->block_at = s->block_at;
    t->room = s->room;
    qs->has_spare = false;
  }
  t->known = qs->known;
  qs->known = (KnownHashes){NULL, 0, 0, false, false, 0};
  pthread_mutex_unlock(&qs->spare_lock);
  ng_buf_clear(&t->new_bytes);
  known_check(t);
}

static void give_spare(NgQsTxn *t) {
  NgQuadStore *qs = t->qs;
  Spare s = {t->changes, t->cap_changes, t->new_terms, t->cap_new, t->new_bytes,
             t->block_bytes, t->block_at, t->room};
  bool kept = false, small = t->cap_changes <= SPARE_MAX && t->room.cap <= SPARE_MAX;
  pthread_mutex_lock(&qs->spare_lock);
  if (small && (kept = !qs->has_spare)) {
    qs->spare = s;
    qs->has_spare = true;
  }
  if (!qs->known.slots && !qs->known.valid) { /* (else another took and gave back) */
    qs->known = t->known;
    t->known = (KnownHashes){NULL, 0, 0, false, false, 0};
  }
  pthread_mutex_unlock(&qs->spare_lock);
  known_drop(&t->known);
  ng_buf_free(&t->written);
  if (!kept) spare_free(&s);
}

static void txn_release(NgQsTxn *t) {
  end_scans(t);
  if (t->write_locked) flock(t->qs->env->write_lock_fd, LOCK_UN);
  if (t->write) give_spare(t);
  ng_map_free(t->changed_graphs);
  ng_map_free(t->touched);
  free(t->fps);
  ng_map_free(t->deltas);
  ng_map_free(t->cache);
  ng_buf_free(&t->buf);
  free(t);
}

void ng_qs_txn_abort(NgQsTxn *t) {
  if (!t) return;
  end_scans(t);
  if (t->txn) mdb_txn_abort(t->txn);
  txn_release(t);
}

NgStatus ng_qs_txn_commit(NgQsTxn *t) {
  if (!t->write) {
    ng_qs_txn_abort(t);
    return NG_SUCCESS;
  }
  end_scans(t);
  NgStatus st = flush_all(t);
  if (!st) st = flush_fingerprints(t);
  if (st) {
    mdb_txn_abort(t->txn);
  } else {
    size_t id = mdb_txn_id(t->txn);
    int rc = mdb_txn_commit(t->txn);
    if (rc) st = lmdb_error(t->qs, rc, "cannot commit");
    if (rc) known_drop(&t->known); /* (did it or did it not?) */
    if (!rc) known_committed(&t->known, &t->written, id);
  }
  t->txn = NULL;
  txn_release(t);
  return st;
}

/* ================================================================ scans */

/* The index for a pattern: the one whose order starts with the most bound
 * positions; with NG_QS_GRAPH_LAST and the graph unbound, one of the
 * three that put the graph last. */
static int choose_index(const NgId pattern[4], unsigned flags, int *nbound) {
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
  *nbound = best_n;
  return best;
}

static void scan_link(NgQsTxn *t, NgQsScan *s) {
  s->next_open = t->scans;
  s->prev_open = &t->scans;
  if (t->scans) t->scans->prev_open = &s->next_open;
  t->scans = s;
}

/* A scan of what the indexes hold; with flush, the transaction's changes
 * go into them first. */
static NgQsScan *scan_open(NgQsTxn *txn, const NgId pattern[4], unsigned flags, bool flush,
                           NgStatus *status) {
  NgQsScan *s = calloc(1, sizeof *s);
  NgStatus st = !s ? NG_ERR_NOMEM : flush ? flush_all(txn) : NG_SUCCESS;
  if (!st) {
    s->txn = txn;
    memcpy(s->pattern, pattern, sizeof s->pattern);
    s->ix = choose_index(pattern, flags, &s->nbound);
    s->low = tuple_of(s->ix, pattern);
    for (int i = s->nbound; i < 4; ++i)
      s->low.k[i] = 0;
    st = open_cursor(txn, s->ix, &s->cursor);
  }
  if (!st) scan_link(txn, s);
  if (status) *status = st;
  if (!st) return s;
  free(s);
  return NULL;
}

NgQsScan *ng_qs_scan_new(NgQsTxn *txn, const NgId pattern[4], unsigned flags, NgStatus *status) {
  return scan_open(txn, pattern, flags, !(flags & NG_QS_NO_FLUSH), status);
}

void ng_qs_scan_order(const NgQsScan *scan, int order[4]) {
  memcpy(order, ix_order[scan->ix], sizeof ix_order[0]);
}

/* Loads the block where x belongs and moves to the first tuple >= x. */
static NgStatus scan_load(NgQsScan *s, const Tuple *x) {
  MDB_val key, val;
  bool found;
  s->block.n = 0;
  s->pos = 0;
  NgStatus st = locate(s->txn, s->cursor, x, &key, &val, &found);
  s->cut = false;
  if (!st && found)
    st = block_decode_until(s->txn, &key, &val, &s->block, &s->low, s->nbound, &s->cut);
  if (!st) s->pos = lower_bound(s->block.v, s->block.n, x);
  s->done = st || !found;
  return st;
}

/* The next block, in order after the last tuple seen. */
static NgStatus scan_next_block(NgQsScan *s) {
  MDB_val key, val;
  s->block.n = 0;
  s->pos = 0;
  int rc = mdb_cursor_get(s->cursor, &key, &val, MDB_NEXT);
  if (rc == MDB_NOTFOUND) {
    s->done = true;
    return NG_SUCCESS;
  }
  if (rc) return txn_error(s->txn, rc, "cannot read an index");
  NgStatus st = block_decode_until(s->txn, &key, &val, &s->block, &s->low, s->nbound, &s->cut);
  if (!st && s->any && tuple_cmp(&s->block.v[0], &s->last) <= 0)
    st = txn_damaged(s->txn, "an index's blocks are out of order");
  return st;
}

NgStatus ng_qs_scan_next(NgQsScan *s, NgId quad[4]) {
  NgStatus st = NG_SUCCESS;
  if (s->done || !s->cursor) return NG_END;
  if (!s->started) {
    s->started = true;
    st = scan_load(s, &s->low);
  }
  while (!st && !s->done && s->pos == s->block.n) {
    if (s->cut) { /* the block's tuples past the pattern were not decoded */
      s->done = true;
      break;
    }
    st = scan_next_block(s);
  }
  if (st || s->done) {
    s->done = true;
    return st ? st : NG_END;
  }
  const Tuple *x = &s->block.v[s->pos++];
  if (!same_prefix(x, &s->low, s->nbound)) {
    s->done = true;
    return NG_END;
  }
  s->last = *x;
  s->any = true;
  quad_of(s->ix, x, quad);
  return NG_SUCCESS;
}

NgStatus ng_qs_scan_seek(NgQsScan *s, const NgId key[4]) {
  if (!s->cursor) return NG_END;
  NgId q[4];
  for (int i = 0; i < 4; ++i)
    q[i] = s->pattern[i] ? s->pattern[i] : key[i];
  Tuple x = tuple_of(s->ix, q);
  s->started = true;
  s->done = false;
  s->any = false;
  /* within the block at hand: no need to ask LMDB */
  if (s->block.n && tuple_cmp(&x, &s->block.v[0]) >= 0 &&
      tuple_cmp(&x, &s->block.v[s->block.n - 1]) <= 0) {
    s->pos = lower_bound(s->block.v, s->block.n, &x);
    return NG_SUCCESS;
  }
  return scan_load(s, &x);
}

void ng_qs_scan_free(NgQsScan *s) {
  if (!s) return;
  if (s->cursor) mdb_cursor_close(s->cursor);
  if (s->prev_open) {
    *s->prev_open = s->next_open;
    if (s->next_open) s->next_open->prev_open = s->prev_open;
  }
  free(s->block.v);
  free(s);
}

NgStatus ng_qs_clear_graph(NgQsTxn *txn, NgId g, uint64_t *count) {
  NgStatus st;
  if (count) *count = 0;
  NG_TRY(st, need_write(txn));
  if (!g) return NG_ERR_BAD_ARG;
  /* Without changes of g waiting, the indexes hold all of g: no need to
   * write the waiting ones first (an article replaced in a group commit
   * would write them once per article).  A term no index holds yet names
   * no graph there. */
  unsigned char key[8];
  uintptr_t any;
  put_u64(key, g);
  bool waiting = txn->changed_graphs && ng_map_get(txn->changed_graphs, (const char *)key, 8, &any);
  Tuple gt = {{g, 0, 0, 0}};
  if (!waiting && any_fresh(txn, &gt, 1)) return NG_SUCCESS;
  /* collected first: the removals must not move the blocks of the scan */
  NgId pattern[4] = {0, 0, 0, g}, q[4];
  Tuples all = {NULL, 0, 0};
  NgQsScan *scan = scan_open(txn, pattern, 0, waiting, &st);
  while (!st && (st = ng_qs_scan_next(scan, q)) == NG_SUCCESS) {
    st = tuples_reserve(&all, all.n + 1);
    if (!st) memcpy(all.v[all.n++].k, q, sizeof q);
  }
  ng_qs_scan_free(scan);
  if (st == NG_END) st = NG_SUCCESS;
  for (size_t i = 0; i < all.n && !st; ++i)
    st = queue_change(txn, all.v[i].k, false);
  free(all.v);
  if (!st && count) *count = all.n;
  return st;
}

/* ============================================================ statistics */

#define ESTIMATE_COUNT_MAX 1024

static NgStatus graph_pred_count(NgQsTxn *t, NgId g, NgId p, uint64_t *count) {
  GraphCounts gc = {0, NULL, 0, 0};
  NgStatus st = flush_all(t);
  if (!st) st = graph_counts_read(t, g, &gc);
  *count = 0;
  if (!p) *count = gc.total;
  for (size_t i = 0; !st && p && i < gc.npairs; ++i)
    if (gc.pairs[2 * i] == p) *count = gc.pairs[2 * i + 1];
  free(gc.pairs);
  return st;
}

NgStatus ng_qs_estimate(NgQsTxn *txn, const NgId pattern[4], uint64_t *count, bool *exact) {
  NgStatus st;
  NgId s = pattern[0], p = pattern[1], o = pattern[2], g = pattern[3], type;
  uint64_t v[3];
  *exact = true;
  NG_TRY(st, rdf_type_id(txn, &type));
  if (!s && !o && g) return graph_pred_count(txn, g, p, count);
  if (!s && !o && !p) return read_u64s(txn, 'Q', 0, count, 1);
  if (!s && !o) {
    NG_TRY(st, read_u64s(txn, 'P', p, v, 3));
    *count = v[0];
    return NG_SUCCESS;
  }
  if (!s && !g && p && p == type) {
    NG_TRY(st, read_u64s(txn, 'C', o, v, 2));
    *count = v[0];
    return NG_SUCCESS;
  }
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
  /* more: the predicate's quads spread over its subjects or objects */
  *exact = false;
  if (!p) return NG_SUCCESS;
  NG_TRY(st, read_u64s(txn, 'P', p, v, 3));
  uint64_t distinct = s ? v[1] : v[2];
  uint64_t guess = distinct ? v[0] / distinct : v[0];
  if (guess > *count) *count = guess;
  return NG_SUCCESS;
}

NgStatus ng_qs_predicate_stats(NgQsTxn *txn, NgId p, NgQsPredicateStats *stats) {
  uint64_t v[3];
  NgStatus st = read_u64s(txn, 'P', p, v, 3);
  *stats = (NgQsPredicateStats){v[0], v[1], v[2]};
  return st;
}

NgStatus ng_qs_class_size(NgQsTxn *txn, NgId class_id, uint64_t *instances) {
  uint64_t v[2];
  NgStatus st = read_u64s(txn, 'C', class_id, v, 2);
  *instances = v[1];
  return st;
}

NgStatus ng_qs_next_graph(NgQsTxn *txn, NgId after, NgId *g, uint64_t *quads) {
  NgStatus st;
  NG_TRY(st, flush_all(txn));
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
    if (!n || n + 1 != key.mv_size || !leb_get(val.mv_data, val.mv_size, quads)) {
      st = txn_damaged(txn, "a graph counter");
    } else {
      *g = id;
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
  NG_TRY(st, read_u64s(txn, 'Q', 0, &stats->quads, 1));
  NG_TRY(st, read_u64s(txn, 'T', 0, &stats->triples, 1));
  NG_TRY(st, read_u64s(txn, 'R', 0, &stats->graphs, 1));
  NG_TRY(st, read_u64s(txn, 'D', 0, &stats->terms, 1));
  const char *dir = txn->qs->env->dir;
  stats->bytes = file_bytes(dir, "data.mdb") + file_bytes(dir, "lock.mdb");
  return NG_SUCCESS;
}

const char *ng_qs_dir(const NgQuadStore *qs) { return qs->env->dir; }
const char *ng_qs_data_path(const NgQuadStore *qs) { return qs->env->data_path; }
