/* upgrade.c - carrying a store of the older format over: Redland's
 * "hashes" storage on Berkeley DB in generation directories, a CURRENT
 * file naming the live one, and a journal of records committed after it.
 *
 * Read-only on the old files: the live generation through librdf (as it
 * was written), then the journal's records with a sequence number past
 * the generation's (replaces and adds, in order), all into a new store
 * built in DIR.upgrading beside DIR.  Only when all of it is committed is
 * DIR renamed DIR.old and DIR.upgrading renamed DIR.  A run that dies
 * half-way leaves DIR as it was (and DIR.upgrading, which the next run
 * starts again); one that dies between the two renames leaves DIR.old and
 * a complete DIR.upgrading, which the next run puts in place.
 *
 * The journal format (it was query/journal.c's): records of
 *   "NGJ1", u32 payload length, u32 CRC-32 (IEEE) of the payload, payload
 * little-endian; a payload is u8 kind (1 replace, 2 add), u64 sequence,
 * the graph IRI, varint term count, the terms, varint triple count, three
 * varint term indexes a triple; a string is varint length, bytes, NUL; a
 * term is u8 tag (1 IRI, 2 blank, 3 literal, 4 literal with language,
 * 5 typed literal) and its string, then the language string or the
 * datatype's term index.  A record that is torn or fails its check with
 * no valid record after it ends the journal (a crash's leftover, never
 * reported committed); one with valid records after it is damage, and the
 * upgrade is refused: cutting the journal there would lose what they
 * committed (issue 9, as journal.c did). */
#include "query.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { REC_REPLACE = 1, REC_ADD = 2 };
enum { TAG_IRI = 1, TAG_BLANK, TAG_LITERAL, TAG_LANG, TAG_TYPED };

typedef struct {
  NgWorld *world;
  const char *dir;
  char *new_dir, *old_dir;
  NgQuadStore *qs;
  NgQsTxn *txn;
  uint64_t quads;
  uint32_t crc_table[256];
} Upgrade;

static char *joined(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s%s", a, b);
  return p;
}

static NgStatus io_fail(Upgrade *u, const char *path, const char *what) {
  ng_report(u->world, NG_ERR_IO, NG_LEVEL_ERROR, path, 0, 0, "%s: %s", what, strerror(errno));
  return NG_ERR_IO;
}

/* --------------------------------------------------------- the old store */

static NgStatus read_file(Upgrade *u, const char *path, NgBuf *out, bool *missing) {
  FILE *f = fopen(path, "rb");
  *missing = !f && errno == ENOENT;
  if (!f) return *missing ? NG_SUCCESS : io_fail(u, path, "cannot read");
  char buf[65536];
  size_t n;
  NgStatus st = NG_SUCCESS;
  while (!st && (n = fread(buf, 1, sizeof buf, f)) > 0)
    st = ng_buf_append(out, buf, n);
  if (!st && ferror(f)) st = io_fail(u, path, "cannot read");
  fclose(f);
  return st;
}

/* CURRENT's generation and the last journal sequence it holds. */
static NgStatus read_current(Upgrade *u, unsigned long *gen, uint64_t *seq) {
  NgBuf text = NG_BUF_INIT;
  bool missing;
  char *path = joined(u->dir, "/CURRENT");
  NgStatus st = path ? read_file(u, path, &text, &missing) : NG_ERR_NOMEM;
  *gen = 0;
  *seq = 0;
  if (!st && !missing && (sscanf(ng_buf_str(&text), "gen-%lu", gen) != 1 || !*gen)) {
    ng_report(u->world, NG_ERR_STORE, NG_LEVEL_ERROR, path, 0, 0, "does not name a generation");
    st = NG_ERR_STORE;
  }
  free(path);
  ng_buf_clear(&text);
  if (st || !*gen) {
    ng_buf_free(&text);
    return st;
  }
  char meta[64];
  snprintf(meta, sizeof meta, "/gen-%06lu/meta", *gen);
  path = joined(u->dir, meta);
  st = path ? read_file(u, path, &text, &missing) : NG_ERR_NOMEM;
  const char *at = strstr(ng_buf_str(&text), "\nseq ");
  if (!st && (missing || strncmp(ng_buf_str(&text), "newsgraph-meta 1\n", 17) || !at)) {
    ng_report(u->world, NG_ERR_STORE, NG_LEVEL_ERROR, path, 0, 0,
              "missing or damaged generation counters");
    st = NG_ERR_STORE;
  }
  if (!st) *seq = strtoull(at + 5, NULL, 10);
  free(path);
  ng_buf_free(&text);
  return st;
}

static NgStatus intern_node(Upgrade *u, librdf_node *node, NgId *id) {
  NgTerm t;
  NgStatus st = ng_node_to_term(node, &t);
  return st ? st : ng_qs_intern(u->txn, &t, id);
}

/* Every statement of every context of the generation. */
static NgStatus copy_generation(Upgrade *u, NgRdf *rdf, const char *gen_dir) {
  librdf_world *world = ng_rdf_world(rdf);
  librdf_hash *options = librdf_new_hash(world, NULL);
  librdf_storage *storage = NULL;
  if (options && !librdf_hash_put_strings(options, "hash-type", "bdb") &&
      !librdf_hash_put_strings(options, "dir", gen_dir) &&
      !librdf_hash_put_strings(options, "contexts", "yes") &&
      !librdf_hash_put_strings(options, "index-predicates", "yes") &&
      !librdf_hash_put_strings(options, "write", "no") &&
      !librdf_hash_put_strings(options, "new", "no"))
    storage = librdf_new_storage_with_options(world, "hashes", "ng", options);
  if (options) librdf_free_hash(options);
  librdf_model *model = storage ? librdf_new_model(world, storage, NULL) : NULL;
  librdf_iterator *it = model ? librdf_model_get_contexts(model) : NULL;
  NgStatus st = it ? NG_SUCCESS : NG_ERR_STORE;
  if (st)
    ng_report(u->world, st, NG_LEVEL_ERROR, gen_dir, 0, 0, "cannot read the old store's files");
  for (; it && !st && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *context = librdf_new_node_from_node(librdf_iterator_get_object(it));
    NgId q[4];
    st = context ? intern_node(u, context, &q[NG_QS_G]) : NG_ERR_NOMEM;
    librdf_stream *s = st ? NULL : librdf_model_context_as_stream(model, context);
    for (; s && !st && !librdf_stream_end(s); librdf_stream_next(s)) {
      librdf_statement *statement = librdf_stream_get_object(s);
      st = statement ? NG_SUCCESS : NG_ERR_STORE;
      if (!st) st = intern_node(u, librdf_statement_get_subject(statement), &q[NG_QS_S]);
      if (!st) st = intern_node(u, librdf_statement_get_predicate(statement), &q[NG_QS_P]);
      if (!st) st = intern_node(u, librdf_statement_get_object(statement), &q[NG_QS_O]);
      bool added = false;
      if (!st) st = ng_qs_insert(u->txn, q, &added);
      u->quads += added;
      if (!st && ng_world_stop_requested(u->world)) st = NG_ERR_INTERRUPTED;
    }
    if (s) librdf_free_stream(s);
    if (context) librdf_free_node(context);
  }
  if (it) librdf_free_iterator(it);
  if (model) librdf_free_model(model);
  if (storage) librdf_free_storage(storage);
  return st;
}

/* ----------------------------------------------------------- the journal */

static void crc_init(Upgrade *u) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    u->crc_table[i] = c;
  }
}

static uint32_t crc32_of(const Upgrade *u, const unsigned char *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  while (n--)
    c = u->crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
  return ~c;
}

static uint32_t le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

typedef struct {
  const unsigned char *p, *end;
  bool bad;
} Cursor;

static uint64_t get_varint(Cursor *c) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (c->p >= c->end) break;
    unsigned char b = *c->p++;
    v |= (uint64_t)(b & 0x7F) << shift;
    if (!(b & 0x80)) return v;
  }
  c->bad = true;
  return 0;
}

static const char *get_string(Cursor *c) {
  uint64_t len = get_varint(c);
  if (c->bad || len >= (uint64_t)(c->end - c->p) || c->p[len] != '\0') {
    c->bad = true;
    return "";
  }
  const char *s = (const char *)c->p;
  c->p += len + 1;
  return s;
}

/* A record's terms as ids, in the order written. */
static NgStatus record_terms(Upgrade *u, Cursor *c, NgId **ids, uint64_t *n) {
  *n = get_varint(c);
  if (c->bad || *n > (uint64_t)(c->end - c->p)) return NG_ERR_STORE;
  NgTerm *terms = calloc((size_t)*n + 1, sizeof *terms);
  *ids = calloc((size_t)*n + 1, sizeof **ids);
  NgStatus st = terms && *ids ? NG_SUCCESS : NG_ERR_NOMEM;
  for (uint64_t i = 0; !st && i < *n; ++i) {
    int tag = c->p < c->end ? *c->p++ : 0;
    NgTerm *t = &terms[i];
    *t = (NgTerm){tag == TAG_IRI     ? NG_TERM_IRI
                  : tag == TAG_BLANK ? NG_TERM_BLANK
                                     : NG_TERM_LITERAL,
                  get_string(c), NULL, NULL};
    if (tag == TAG_LANG) t->lang = get_string(c);
    if (tag == TAG_TYPED) {
      uint64_t dt = get_varint(c);
      if (dt >= i || terms[dt].kind != NG_TERM_IRI) c->bad = true;
      if (!c->bad) t->datatype = terms[dt].value;
    }
    if (tag < TAG_IRI || tag > TAG_TYPED || c->bad) st = NG_ERR_STORE;
    if (!st) st = ng_qs_intern(u->txn, t, &(*ids)[i]);
  }
  free(terms);
  return st;
}

static NgStatus apply_record(Upgrade *u, const unsigned char *p, size_t len, uint64_t after) {
  Cursor c = {p + 9, p + len, false};
  uint64_t seq = 0;
  for (int i = 7; i >= 0; --i)
    seq = seq << 8 | p[1 + i];
  if (seq <= after) return NG_SUCCESS; /* already in the generation */
  NgTerm graph = {NG_TERM_IRI, get_string(&c), NULL, NULL};
  NgId *ids = NULL, q[4];
  uint64_t nterms = 0;
  NgStatus st = c.bad || (p[0] != REC_REPLACE && p[0] != REC_ADD) ? NG_ERR_STORE : NG_SUCCESS;
  if (!st) st = ng_qs_intern(u->txn, &graph, &q[NG_QS_G]);
  if (!st && p[0] == REC_REPLACE) {
    uint64_t cleared = 0;
    st = ng_qs_clear_graph(u->txn, q[NG_QS_G], &cleared);
    u->quads -= cleared;
  }
  if (!st) st = record_terms(u, &c, &ids, &nterms);
  uint64_t ntriples = st ? 0 : get_varint(&c);
  if (!st && (c.bad || ntriples > len)) st = NG_ERR_STORE;
  for (uint64_t i = 0; !st && i < ntriples; ++i) {
    for (int k = 0; k < 3; ++k) {
      uint64_t index = get_varint(&c);
      if (c.bad || index >= nterms) st = NG_ERR_STORE;
      if (!st) q[k] = ids[index];
    }
    bool added = false;
    if (!st) st = ng_qs_insert(u->txn, q, &added);
    u->quads += added;
  }
  if (!st && c.p != c.end) st = NG_ERR_STORE;
  free(ids);
  return st;
}

/* Is there a whole record with a good check at pos? */
static bool record_at(const Upgrade *u, const unsigned char *p, size_t size, size_t pos) {
  if (size - pos < 12 || memcmp(p + pos, "NGJ1", 4)) return false;
  uint32_t len = le32(p + pos + 4);
  return len >= 10 && len <= size - pos - 12 && crc32_of(u, p + pos + 12, len) == le32(p + pos + 8);
}

/* Bad bytes at pos with a valid record somewhere after them: damage in
 * the middle, not the torn tail a crash leaves. */
static bool damaged_in_the_middle(const Upgrade *u, const unsigned char *p, size_t size,
                                  size_t pos) {
  for (size_t at = pos + 1; at + 12 <= size; ++at)
    if (p[at] == 'N' && record_at(u, p, size, at)) return true;
  return false;
}

/* The journal's valid records, in order, past sequence number after. */
static NgStatus replay_journal(Upgrade *u, uint64_t after) {
  NgBuf data = NG_BUF_INIT;
  bool missing;
  char *path = joined(u->dir, "/journal");
  NgStatus st = path ? read_file(u, path, &data, &missing) : NG_ERR_NOMEM;
  const unsigned char *p = (const unsigned char *)data.data;
  size_t pos = 0, records = 0;
  crc_init(u);
  while (!st && record_at(u, p, data.len, pos)) {
    uint32_t len = le32(p + pos + 4);
    st = apply_record(u, p + pos + 12, len, after);
    if (st == NG_ERR_STORE)
      ng_report(u->world, st, NG_LEVEL_ERROR, path, 0, 0, "damaged record at offset %zu", pos);
    pos += 12 + len;
    records++;
  }
  if (!st && pos < data.len && damaged_in_the_middle(u, p, data.len, pos)) {
    ng_report(u->world, NG_ERR_STORE, NG_LEVEL_ERROR, path, 0, 0,
              "damaged record at byte %zu, with committed records after it: not upgraded "
              "(nothing was changed; the journal needs repair or a backup)",
              pos);
    st = NG_ERR_STORE;
  } else if (!st && pos < data.len) {
    ng_report(u->world, NG_SUCCESS, NG_LEVEL_WARNING, path, 0, 0,
              "ignoring %zu bytes of an incomplete record at its end (left by a crash)",
              data.len - pos);
  }
  free(path);
  ng_buf_free(&data);
  return st;
}

/* ------------------------------------------------------------- the switch */

static NgStatus remove_tree(Upgrade *u, const char *path) {
  char *cmd = NULL;
  DIR *d = opendir(path);
  if (!d) return errno == ENOENT ? NG_SUCCESS : io_fail(u, path, "cannot remove");
  struct dirent *e;
  NgStatus st = NG_SUCCESS;
  while (!st && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (unlinkat(dirfd(d), e->d_name, 0)) st = io_fail(u, path, "cannot remove a file of");
  }
  closedir(d);
  free(cmd);
  if (!st && rmdir(path)) st = io_fail(u, path, "cannot remove");
  return st;
}

static bool exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

static NgStatus build_new_store(Upgrade *u) {
  NgStatus st;
  unsigned long gen;
  uint64_t seq;
  NG_TRY(st, read_current(u, &gen, &seq));
  NG_TRY(st, remove_tree(u, u->new_dir)); /* a run that died before */
  u->qs = ng_qs_open(u->world, u->new_dir, true, &st);
  if (!u->qs) return st;
  u->txn = ng_qs_txn_begin(u->qs, true, &st);
  NgRdf *rdf = st ? NULL : ng_rdf_get(u->world);
  if (!st && !rdf) st = NG_ERR_NOMEM;
  if (!st && gen) {
    char name[32];
    snprintf(name, sizeof name, "/gen-%06lu", gen);
    char *gen_dir = joined(u->dir, name);
    st = gen_dir ? copy_generation(u, rdf, gen_dir) : NG_ERR_NOMEM;
    free(gen_dir);
  }
  if (!st) st = replay_journal(u, seq);
  if (st) {
    ng_qs_txn_abort(u->txn);
  } else {
    st = ng_qs_txn_commit(u->txn);
  }
  u->txn = NULL;
  ng_qs_free(u->qs);
  u->qs = NULL;
  return st;
}

NgStatus ng_store_upgrade(NgWorld *world, const char *dir, unsigned long *quads) {
  Upgrade u = {world, dir, joined(dir, ".upgrading"), joined(dir, ".old"), NULL, NULL, 0, {0}};
  NgStatus st = u.new_dir && u.old_dir ? NG_SUCCESS : NG_ERR_NOMEM;
  char *current = joined(dir, "/CURRENT"), *journal = joined(dir, "/journal");
  if (!current || !journal) st = NG_ERR_NOMEM;
  bool finish_only = !st && !exists(dir) && exists(u.old_dir) && exists(u.new_dir);
  if (!st && !finish_only) {
    if (!exists(current) && !exists(journal)) {
      ng_report(world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, dir, 0, 0,
                "not a store of the older format (no CURRENT, no journal): nothing to upgrade");
      st = NG_ERR_BAD_ARG;
    } else if (exists(u.old_dir)) {
      ng_report(world, NG_ERR_STORE, NG_LEVEL_ERROR, u.old_dir, 0, 0,
                "is in the way (an earlier upgrade's copy of the old store?): move it first");
      st = NG_ERR_STORE;
    }
  }
  if (!st && !finish_only) st = build_new_store(&u);
  if (!st && !finish_only && rename(dir, u.old_dir)) st = io_fail(&u, dir, "cannot rename");
  if (!st && rename(u.new_dir, dir)) st = io_fail(&u, u.new_dir, "cannot rename");
  if (quads) *quads = (unsigned long)u.quads;
  free(current);
  free(journal);
  free(u.new_dir);
  free(u.old_dir);
  return st;
}
