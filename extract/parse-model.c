/* parse-model.c - the tagger's and parser's model file: loading, checking,
 * weight lookups.
 *
 * The file is used where it lies (mapped, or embedded in the library), so
 * every offset and count in it is checked once at load, against the
 * file's length, before any lookup may follow it: a truncated, corrupt or
 * foreign file is an error naming the file, never a wild read.  Layout in
 * parser.h (NgModelHeader). */
#include "parser.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- names */

static const char *const UPOS_NAMES[NG_UPOS_COUNT] = {
    "_", "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X"};

static const char *const DEP_NAMES[NG_DEP_COUNT] = {
    "_", "acl", "advcl", "advmod", "amod", "appos", "aux", "case", "cc", "ccomp", "clf",
    "compound", "conj", "cop", "csubj", "dep", "det", "discourse", "dislocated", "expl", "fixed",
    "flat", "goeswith", "iobj", "list", "mark", "nmod", "nsubj", "nummod", "obj", "obl", "orphan",
    "parataxis", "punct", "reparandum", "root", "vocative", "xcomp"};

const char *ng_upos_name(unsigned upos) { return upos < NG_UPOS_COUNT ? UPOS_NAMES[upos] : "_"; }

NgUpos ng_upos_from_name(const char *name) {
  for (unsigned k = 1; k < NG_UPOS_COUNT; ++k)
    if (!strcmp(name, UPOS_NAMES[k])) return (NgUpos)k;
  return NG_UPOS_NONE;
}

const char *ng_dep_name(unsigned dep) { return dep < NG_DEP_COUNT ? DEP_NAMES[dep] : "_"; }

NgDep ng_dep_from_name(const char *name, size_t len) {
  const char *colon = memchr(name, ':', len);
  if (colon) len = (size_t)(colon - name);
  for (unsigned k = 1; k < NG_DEP_COUNT; ++k)
    if (strlen(DEP_NAMES[k]) == len && !memcmp(name, DEP_NAMES[k], len)) return (NgDep)k;
  return NG_DEP_NONE;
}

/* ------------------------------------------------------------- checksum */

/* Four independent lanes, so that the multiplications overlap: a 5 MB
 * model is summed in about a millisecond. */
uint64_t ng_parse_checksum(const void *data, size_t len) {
  const unsigned char *p = data;
  uint64_t lane[4] = {0x243F6A8885A308D3ull, 0x13198A2E03707344ull, 0xA4093822299F31D0ull,
                      0x082EFA98EC4E6C89ull};
  size_t i = 0;
  for (; i + 32 <= len; i += 32)
    for (int k = 0; k < 4; ++k) {
      uint64_t v;
      memcpy(&v, p + i + 8 * k, 8);
      lane[k] = (lane[k] ^ v) * 0x9FB21C651E98DF25ull;
      lane[k] ^= lane[k] >> 31;
    }
  uint64_t h = len;
  for (; i < len; ++i) h = (h ^ p[i]) * 0x100000001B3ull;
  for (int k = 0; k < 4; ++k) h = (h ^ lane[k]) * 0xD6E8FEB86659FD93ull, h ^= h >> 32;
  return h;
}

/* -------------------------------------------------------------- weights */

const uint32_t *ng_weights_row(const NgWeights *w, uint64_t h) {
  uint64_t fp = h >> 32;
  for (uint64_t i = h & w->mask;; i = (i + 1) & w->mask) {
    uint64_t s = w->slots[i];
    if (!s) return NULL;
    if ((s >> 32) == fp) return w->rows + (uint32_t)s;
  }
}

/* A row: its header, then either `count` entries (weight << 8 | class) or,
 * for a row with most classes (NG_ROW_DENSE), one int32 weight per class
 * in class order, which the compiler adds up with vector instructions. */
static inline void add_row(const uint32_t *r, unsigned nclasses, int32_t *restrict scores) {
  uint32_t head = r[0];
  if (head & NG_ROW_DENSE) {
    const int32_t *d = (const int32_t *)(r + 1);
    for (unsigned c = 0; c < nclasses; ++c) scores[c] += d[c];
    return;
  }
  for (uint32_t j = 1; j <= head; ++j) scores[r[j] & 0xFF] += (int32_t)r[j] >> 8;
}

/* (Compiled for AVX2 too, chosen at run time: the dense rows' sums are
 * most of a parse's work.  The build itself targets any x86-64.) */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx2", "default")))
#endif
void ng_weights_score(const NgWeights *w, const uint64_t *feats, size_t n, int32_t *scores) {
  /* Ask for every feature's slot first: the lookups then overlap their
   * cache misses instead of waiting for each in turn; the same for the
   * rows they find. */
  for (size_t k = 0; k < n; ++k) __builtin_prefetch(&w->slots[feats[k] & w->mask]);
  const uint32_t *rows[NG_PARSE_MAX_FEATURES];
  size_t m = 0;
  for (size_t k = 0; k < n; ++k) {
    const uint32_t *r = ng_weights_row(w, feats[k]);
    if (!r) continue;
    __builtin_prefetch(r);
    __builtin_prefetch(r + 16);
    rows[m++] = r;
  }
  for (size_t k = 0; k < m; ++k) add_row(rows[k], w->nclasses, scores);
}

/* ---------------------------------------------------------------- load */


static NgStatus bad(NgWorld *world, const char *name, const char *what) {
  ng_report(world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, name, 0, 0, "not a usable parser model: %s", what);
  return NG_ERR_SYNTAX;
}

static bool is_pow2(uint64_t x) { return x && !(x & (x - 1)); }

/* Slots of 8 bytes, a power of two of them, at least one empty (else a
 * lookup would never end). */
static bool slots_ok(const uint64_t *slots, uint64_t bytes, bool full) {
  if (bytes % 8 || !is_pow2(bytes / 8)) return false;
  if (!full) return true;
  for (uint64_t i = 0; i < bytes / 8; ++i)
    if (!slots[i]) return true;
  return false;
}

static bool weights_ok(NgWeights *w) {
  for (uint64_t i = 0; i <= w->mask; ++i) {
    uint64_t s = w->slots[i];
    if (!s) continue;
    uint64_t off = (uint32_t)s;
    if (off == 0 || off >= w->nrows_words) return false;
    uint32_t head = w->rows[off];
    uint64_t count = head & NG_ROW_DENSE ? w->nclasses : head;
    if ((head & NG_ROW_DENSE && (head & ~NG_ROW_DENSE) != w->nclasses) ||
        count > w->nrows_words - off - 1)
      return false;
    for (uint64_t j = 0; !(head & NG_ROW_DENSE) && j < count; ++j)
      if ((w->rows[off + 1 + j] & 0xFF) >= w->nclasses) return false;
  }
  return true;
}

static bool string_ok(const NgParser *p, uint32_t off) { return off < p->strings_len; }

static NgStatus check_sections(NgParser *p, const unsigned char *base, size_t len,
                               const NgModelHeader *h) {
  const char *name = p->name;
  for (int k = 0; k < NG_SEC_COUNT; ++k) {
    uint64_t off = h->offset[k], size = h->size[k];
    if (off % 8 || off < sizeof *h || off > len || size > len - off)
      return bad(p->world, name, "a section lies outside the file");
  }
  p->strings = (const char *)base + h->offset[NG_SEC_STRINGS];
  p->strings_len = h->size[NG_SEC_STRINGS];
  if (!p->strings_len || p->strings[p->strings_len - 1])
    return bad(p->world, name, "the string table is not terminated");
  if (!h->ntags || h->ntags > NG_PARSE_MAX_TAGS || !h->nlabels || h->nlabels > NG_PARSE_MAX_LABELS)
    return bad(p->world, name, "tag or label count out of range");
  if (h->size[NG_SEC_TAGS] != h->ntags * 8ull || h->size[NG_SEC_LABELS] != h->nlabels * 8ull)
    return bad(p->world, name, "tag or label table of the wrong size");
  if (h->root_label >= h->nlabels || h->punct_label >= h->nlabels || h->other_label >= h->nlabels)
    return bad(p->world, name, "label number out of range");
  p->ntags = h->ntags;
  p->nlabels = h->nlabels;
  const uint32_t *tags = (const uint32_t *)(base + h->offset[NG_SEC_TAGS]);
  for (unsigned k = 0; k < p->ntags; ++k) {
    if (!string_ok(p, tags[2 * k]) || tags[2 * k + 1] >= NG_UPOS_COUNT)
      return bad(p->world, name, "bad tag entry");
    p->tag_name[k] = p->strings + tags[2 * k];
    p->tag_upos[k] = (uint8_t)tags[2 * k + 1];
  }
  const uint32_t *labels = (const uint32_t *)(base + h->offset[NG_SEC_LABELS]);
  for (unsigned k = 0; k < p->nlabels; ++k) {
    if (!string_ok(p, labels[2 * k]) || labels[2 * k + 1] >= NG_DEP_COUNT)
      return bad(p->world, name, "bad label entry");
    p->label_name[k] = p->strings + labels[2 * k];
    p->label_dep[k] = (uint8_t)labels[2 * k + 1];
  }
  p->root_label = (uint8_t)h->root_label;
  p->punct_label = (uint8_t)h->punct_label;
  p->other_label = (uint8_t)h->other_label;
  unsigned beam = h->flags & 0xFFu;
  if (beam > NG_BEAM_MAX) return bad(p->world, name, "bad beam width");
  p->beam = p->trained_beam = beam ? beam : 1;
  p->root_last = h->flags & NG_MODEL_ROOT_LAST;
  return NG_SUCCESS;
}

/* The weight tables' slots and rows; every row and lemma checked only when
 * `full` (a file given by the user: a few milliseconds a megabyte; the
 * built-in model is part of the library, as trusted as its code, and is
 * not read through at start-up: its pages are mapped as parsing needs
 * them). */
static NgStatus check_tables(NgParser *p, const unsigned char *base, const NgModelHeader *h,
                             bool full) {
  const char *name = p->name;
  struct {
    int slots, rows;
    NgWeights *w;
    unsigned nclasses;
  } tables[3] = {{NG_SEC_TAG_SLOTS, NG_SEC_TAG_ROWS, &p->tagger, p->ntags},
                 {NG_SEC_TAG2_SLOTS, NG_SEC_TAG2_ROWS, &p->tagger2, p->ntags},
                 {NG_SEC_PARSE_SLOTS, NG_SEC_PARSE_ROWS, &p->parser, NG_ACT_COUNT(p->nlabels)}};
  for (int k = 0; k < 3; ++k) {
    NgWeights *w = tables[k].w;
    w->slots = (const uint64_t *)(base + h->offset[tables[k].slots]);
    if (!slots_ok(w->slots, h->size[tables[k].slots], full))
      return bad(p->world, name, "bad weight table");
    w->mask = h->size[tables[k].slots] / 8 - 1;
    w->rows = (const uint32_t *)(base + h->offset[tables[k].rows]);
    w->nrows_words = h->size[tables[k].rows] / 4;
    w->nclasses = tables[k].nclasses;
    if (h->size[tables[k].rows] % 4 || (full && !weights_ok(w)))
      return bad(p->world, name, "a weight row lies outside its table");
  }
  p->words.slots = (const uint64_t *)(base + h->offset[NG_SEC_WORD_SLOTS]);
  if (!slots_ok(p->words.slots, h->size[NG_SEC_WORD_SLOTS], full))
    return bad(p->world, name, "bad word table");
  p->words.mask = h->size[NG_SEC_WORD_SLOTS] / 8 - 1;
  p->lemmas.slots = (const uint64_t *)(base + h->offset[NG_SEC_LEMMA_SLOTS]);
  if (!slots_ok(p->lemmas.slots, h->size[NG_SEC_LEMMA_SLOTS], full))
    return bad(p->world, name, "bad lemma table");
  p->lemmas.mask = h->size[NG_SEC_LEMMA_SLOTS] / 8 - 1;
  for (uint64_t i = 0; full && i <= p->lemmas.mask; ++i)
    if (p->lemmas.slots[i] && !string_ok(p, (uint32_t)p->lemmas.slots[i]))
      return bad(p->world, name, "a lemma lies outside the string table");
  return NG_SUCCESS;
}

static NgParser *from_memory(NgWorld *world, const void *data, size_t len, const char *name,
                             bool full, NgStatus *status) {
  NgStatus st = NG_SUCCESS;
  NgParser *p = calloc(1, sizeof *p);
  if (!p || !(p->name = strdup(name ? name : "<model>"))) {
    free(p);
    *status = NG_ERR_NOMEM;
    return NULL;
  }
  p->world = world;
  NgModelHeader h;
  const unsigned char *base = data;
  if (len < sizeof h || ((uintptr_t)data & 7)) {
    st = bad(world, p->name, len < sizeof h ? "too short for a header" : "misaligned in memory");
    goto fail;
  }
  memcpy(&h, data, sizeof h);
  if (memcmp(h.magic, NG_PARSE_MAGIC, 8)) {
    st = bad(world, p->name, "no model signature");
    goto fail;
  }
  if (h.version != NG_PARSE_MODEL_VERSION) {
    ng_report(world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, p->name, 0, 0,
              "parser model version %u, this newsgraph reads version %u (retrain: make model)",
              h.version, NG_PARSE_MODEL_VERSION);
    st = NG_ERR_SYNTAX;
    goto fail;
  }
  if (h.header_size != sizeof h || h.file_size != len) {
    st = bad(world, p->name, h.file_size > len ? "truncated" : "the header's size disagrees");
    goto fail;
  }
  if (full && ng_parse_checksum(base + sizeof h, len - sizeof h) != h.checksum) {
    st = bad(world, p->name, "checksum mismatch (corrupt)");
    goto fail;
  }
  if ((st = check_sections(p, base, len, &h)) || (st = check_tables(p, base, &h, full))) goto fail;
  *status = NG_SUCCESS;
  return p;
fail:
  ng_parser_free(p);
  *status = st;
  return NULL;
}

NgParser *ng_parser_from_memory(NgWorld *world, const void *data, size_t len, const char *name,
                                NgStatus *status) {
  return from_memory(world, data, len, name, true, status);
}

NgParser *ng_parser_load(NgWorld *world, const char *path, NgStatus *status) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
    ng_report(world, NG_ERR_IO, NG_LEVEL_ERROR, path, 0, 0, "cannot read the parser model: %s",
              fd < 0 || errno ? strerror(errno) : "not a regular file");
    if (fd >= 0) close(fd);
    *status = NG_ERR_IO;
    return NULL;
  }
  size_t len = (size_t)sb.st_size;
  void *map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
  close(fd);
  if (len && map == MAP_FAILED) {
    ng_report(world, NG_ERR_IO, NG_LEVEL_ERROR, path, 0, 0, "cannot map the parser model: %s",
              strerror(errno));
    *status = NG_ERR_IO;
    return NULL;
  }
  NgParser *p = ng_parser_from_memory(world, len ? map : "", len, path, status);
  if (!p) {
    if (len) munmap(map, len);
    return NULL;
  }
  p->map = map;
  p->map_len = len;
  return p;
}

/* The model embedded by model/model-data.S. */
extern const unsigned char ng_parse_model_data[];
extern const unsigned char ng_parse_model_end[];

NgParser *ng_parser_builtin(NgWorld *world, NgStatus *status) {
  return from_memory(world, ng_parse_model_data, (size_t)(ng_parse_model_end - ng_parse_model_data),
                     "<built-in parser model>", false, status);
}

void ng_parser_free(NgParser *p) {
  if (!p) return;
  if (p->map) munmap(p->map, p->map_len);
  free(p->name);
  free(p);
}
