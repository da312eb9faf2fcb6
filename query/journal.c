/* journal.c - the append-only log of committed records (see query.h for
 * the record format).
 *
 * A record is committed once ng_journal_sync() has written and fdatasync'ed
 * it.  A crash in the middle of a write leaves a torn tail: its length runs
 * past the end of the file or its CRC does not match, and no valid record
 * follows.  Reading stops there, and the next writer cuts it off.  A bad
 * record with a valid one after it is damage, not a crash: it is reported
 * and the journal refused, as cutting it off would lose committed records. */
#include "query.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "NGJ1"
#define HEADER_SIZE 12

enum { TAG_IRI = 1, TAG_BLANK, TAG_LITERAL, TAG_LANG, TAG_TYPED };

/* ---------------------------------------------------------------- CRC-32 */

/* The reflected IEEE 802.3 polynomial 0xEDB88320, one entry per byte value. */
static const uint32_t crc_table[256] = {
    0x00000000u, 0x77073096u, 0xEE0E612Cu, 0x990951BAu, 0x076DC419u, 0x706AF48Fu, 0xE963A535u,
    0x9E6495A3u, 0x0EDB8832u, 0x79DCB8A4u, 0xE0D5E91Eu, 0x97D2D988u, 0x09B64C2Bu, 0x7EB17CBDu,
    0xE7B82D07u, 0x90BF1D91u, 0x1DB71064u, 0x6AB020F2u, 0xF3B97148u, 0x84BE41DEu, 0x1ADAD47Du,
    0x6DDDE4EBu, 0xF4D4B551u, 0x83D385C7u, 0x136C9856u, 0x646BA8C0u, 0xFD62F97Au, 0x8A65C9ECu,
    0x14015C4Fu, 0x63066CD9u, 0xFA0F3D63u, 0x8D080DF5u, 0x3B6E20C8u, 0x4C69105Eu, 0xD56041E4u,
    0xA2677172u, 0x3C03E4D1u, 0x4B04D447u, 0xD20D85FDu, 0xA50AB56Bu, 0x35B5A8FAu, 0x42B2986Cu,
    0xDBBBC9D6u, 0xACBCF940u, 0x32D86CE3u, 0x45DF5C75u, 0xDCD60DCFu, 0xABD13D59u, 0x26D930ACu,
    0x51DE003Au, 0xC8D75180u, 0xBFD06116u, 0x21B4F4B5u, 0x56B3C423u, 0xCFBA9599u, 0xB8BDA50Fu,
    0x2802B89Eu, 0x5F058808u, 0xC60CD9B2u, 0xB10BE924u, 0x2F6F7C87u, 0x58684C11u, 0xC1611DABu,
    0xB6662D3Du, 0x76DC4190u, 0x01DB7106u, 0x98D220BCu, 0xEFD5102Au, 0x71B18589u, 0x06B6B51Fu,
    0x9FBFE4A5u, 0xE8B8D433u, 0x7807C9A2u, 0x0F00F934u, 0x9609A88Eu, 0xE10E9818u, 0x7F6A0DBBu,
    0x086D3D2Du, 0x91646C97u, 0xE6635C01u, 0x6B6B51F4u, 0x1C6C6162u, 0x856530D8u, 0xF262004Eu,
    0x6C0695EDu, 0x1B01A57Bu, 0x8208F4C1u, 0xF50FC457u, 0x65B0D9C6u, 0x12B7E950u, 0x8BBEB8EAu,
    0xFCB9887Cu, 0x62DD1DDFu, 0x15DA2D49u, 0x8CD37CF3u, 0xFBD44C65u, 0x4DB26158u, 0x3AB551CEu,
    0xA3BC0074u, 0xD4BB30E2u, 0x4ADFA541u, 0x3DD895D7u, 0xA4D1C46Du, 0xD3D6F4FBu, 0x4369E96Au,
    0x346ED9FCu, 0xAD678846u, 0xDA60B8D0u, 0x44042D73u, 0x33031DE5u, 0xAA0A4C5Fu, 0xDD0D7CC9u,
    0x5005713Cu, 0x270241AAu, 0xBE0B1010u, 0xC90C2086u, 0x5768B525u, 0x206F85B3u, 0xB966D409u,
    0xCE61E49Fu, 0x5EDEF90Eu, 0x29D9C998u, 0xB0D09822u, 0xC7D7A8B4u, 0x59B33D17u, 0x2EB40D81u,
    0xB7BD5C3Bu, 0xC0BA6CADu, 0xEDB88320u, 0x9ABFB3B6u, 0x03B6E20Cu, 0x74B1D29Au, 0xEAD54739u,
    0x9DD277AFu, 0x04DB2615u, 0x73DC1683u, 0xE3630B12u, 0x94643B84u, 0x0D6D6A3Eu, 0x7A6A5AA8u,
    0xE40ECF0Bu, 0x9309FF9Du, 0x0A00AE27u, 0x7D079EB1u, 0xF00F9344u, 0x8708A3D2u, 0x1E01F268u,
    0x6906C2FEu, 0xF762575Du, 0x806567CBu, 0x196C3671u, 0x6E6B06E7u, 0xFED41B76u, 0x89D32BE0u,
    0x10DA7A5Au, 0x67DD4ACCu, 0xF9B9DF6Fu, 0x8EBEEFF9u, 0x17B7BE43u, 0x60B08ED5u, 0xD6D6A3E8u,
    0xA1D1937Eu, 0x38D8C2C4u, 0x4FDFF252u, 0xD1BB67F1u, 0xA6BC5767u, 0x3FB506DDu, 0x48B2364Bu,
    0xD80D2BDAu, 0xAF0A1B4Cu, 0x36034AF6u, 0x41047A60u, 0xDF60EFC3u, 0xA867DF55u, 0x316E8EEFu,
    0x4669BE79u, 0xCB61B38Cu, 0xBC66831Au, 0x256FD2A0u, 0x5268E236u, 0xCC0C7795u, 0xBB0B4703u,
    0x220216B9u, 0x5505262Fu, 0xC5BA3BBEu, 0xB2BD0B28u, 0x2BB45A92u, 0x5CB36A04u, 0xC2D7FFA7u,
    0xB5D0CF31u, 0x2CD99E8Bu, 0x5BDEAE1Du, 0x9B64C2B0u, 0xEC63F226u, 0x756AA39Cu, 0x026D930Au,
    0x9C0906A9u, 0xEB0E363Fu, 0x72076785u, 0x05005713u, 0x95BF4A82u, 0xE2B87A14u, 0x7BB12BAEu,
    0x0CB61B38u, 0x92D28E9Bu, 0xE5D5BE0Du, 0x7CDCEFB7u, 0x0BDBDF21u, 0x86D3D2D4u, 0xF1D4E242u,
    0x68DDB3F8u, 0x1FDA836Eu, 0x81BE16CDu, 0xF6B9265Bu, 0x6FB077E1u, 0x18B74777u, 0x88085AE6u,
    0xFF0F6A70u, 0x66063BCAu, 0x11010B5Cu, 0x8F659EFFu, 0xF862AE69u, 0x616BFFD3u, 0x166CCF45u,
    0xA00AE278u, 0xD70DD2EEu, 0x4E048354u, 0x3903B3C2u, 0xA7672661u, 0xD06016F7u, 0x4969474Du,
    0x3E6E77DBu, 0xAED16A4Au, 0xD9D65ADCu, 0x40DF0B66u, 0x37D83BF0u, 0xA9BCAE53u, 0xDEBB9EC5u,
    0x47B2CF7Fu, 0x30B5FFE9u, 0xBDBDF21Cu, 0xCABAC28Au, 0x53B39330u, 0x24B4A3A6u, 0xBAD03605u,
    0xCDD70693u, 0x54DE5729u, 0x23D967BFu, 0xB3667A2Eu, 0xC4614AB8u, 0x5D681B02u, 0x2A6F2B94u,
    0xB40BBE37u, 0xC30C8EA1u, 0x5A05DF1Bu, 0x2D02EF8Du,
};

uint32_t ng_crc32(uint32_t crc, const void *data, size_t len) {
  const unsigned char *p = data;
  crc = ~crc;
  while (len--)
    crc = crc_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

/* ------------------------------------------------------------- the object */

/* Encoding: each distinct term of a record gets an index, found through
 * this table (hash of the term's contents; strings borrowed from the graph). */
typedef struct {
  uint64_t hash; /* 0: empty */
  NgTermKind kind;
  uint32_t index;
  const char *value, *datatype, *lang;
} TermSlot;

struct NgJournal {
  NgWorld *world;
  char *path;
  int fd;
  uint64_t disk_size; /* bytes of valid records on disk */
  NgBuf pending;      /* records appended, not yet written */
  /* encoding scratch */
  NgBuf terms, triples;
  TermSlot *slots;
  size_t slot_cap;
  uint32_t nterms;
  /* reading */
  uint64_t read_pos;
  unsigned char *rbuf;
  size_t rcap;
  NgTerm *rterms;
  size_t rterms_cap;
  uint32_t *rtriples;
  size_t rtriples_cap;
};

static NgStatus io_error(NgJournal *j, const char *what) {
  ng_report(j->world, NG_ERR_IO, NG_LEVEL_ERROR, j->path, 0, 0, "%s: %s", what, strerror(errno));
  return NG_ERR_IO;
}

static NgStatus read_at(NgJournal *j, void *out, size_t len, uint64_t pos, bool *short_read) {
  unsigned char *p = out;
  *short_read = false;
  while (len) {
    ssize_t n = pread(j->fd, p, len, (off_t)pos);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(j, "cannot read the journal");
    if (n == 0) {
      *short_read = true;
      return NG_SUCCESS;
    }
    p += n;
    pos += (uint64_t)n;
    len -= (size_t)n;
  }
  return NG_SUCCESS;
}

static uint32_t get_u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p) {
  return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static void put_u32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = (unsigned char)(v >> (8 * i));
}

/* Reads the record at pos into rbuf.  *valid is false for a torn or
 * corrupt record (or the end of the file); *payload_len its size. */
static NgStatus load_record(NgJournal *j, uint64_t pos, uint64_t file_size, bool *valid,
                            size_t *payload_len) {
  unsigned char head[HEADER_SIZE];
  bool short_read;
  *valid = false;
  if (file_size - pos < HEADER_SIZE) return NG_SUCCESS;
  NgStatus st = read_at(j, head, HEADER_SIZE, pos, &short_read);
  if (st || short_read || memcmp(head, MAGIC, 4)) return st;
  uint32_t len = get_u32(head + 4), crc = get_u32(head + 8);
  if (len < 10 || len > file_size - pos - HEADER_SIZE) return NG_SUCCESS;
  if (len > j->rcap) {
    unsigned char *b = realloc(j->rbuf, len);
    if (!b) return NG_ERR_NOMEM;
    j->rbuf = b;
    j->rcap = len;
  }
  st = read_at(j, j->rbuf, len, pos + HEADER_SIZE, &short_read);
  if (st || short_read) return st;
  *valid = ng_crc32(0, j->rbuf, len) == crc;
  *payload_len = len;
  return NG_SUCCESS;
}

/* Is there a whole, valid record anywhere after pos?  Then the bad bytes
 * at pos are damage in the middle of the journal, not the torn tail a
 * crash leaves (a crash only ever cuts the last record short). */
static NgStatus valid_record_after(NgJournal *j, uint64_t pos, uint64_t size, bool *found) {
  unsigned char buf[1 << 16];
  *found = false;
  for (uint64_t at = pos + 1; at + HEADER_SIZE <= size && !*found;) {
    bool short_read;
    size_t want = size - at < sizeof buf ? (size_t)(size - at) : sizeof buf;
    NgStatus st = read_at(j, buf, want, at, &short_read);
    if (st || short_read) return st;
    for (size_t i = 0; i + 4 <= want && !*found; ++i) {
      if (memcmp(buf + i, MAGIC, 4)) continue;
      bool valid;
      size_t len;
      NG_TRY(st, load_record(j, at + i, size, &valid, &len));
      *found = valid;
    }
    at += want > 3 ? want - 3 : want; /* a magic across the boundary */
  }
  return NG_SUCCESS;
}

/* Checks every record.  A torn tail is cut off when allowed to write and
 * ignored otherwise; damage followed by valid records is refused, never
 * cut: the records after it were committed. */
static NgStatus scan(NgJournal *j, bool write, uint64_t *last_seq) {
  struct stat sb;
  if (fstat(j->fd, &sb)) return io_error(j, "cannot stat the journal");
  uint64_t size = (uint64_t)sb.st_size, pos = 0;
  *last_seq = 0;
  for (;;) {
    bool valid;
    size_t len = 0;
    NgStatus st = load_record(j, pos, size, &valid, &len);
    if (st) return st;
    if (!valid) break;
    uint64_t seq = get_u64(j->rbuf + 1);
    if (seq > *last_seq) *last_seq = seq;
    pos += HEADER_SIZE + len;
  }
  j->disk_size = pos;
  if (pos == size) return NG_SUCCESS;
  bool damaged;
  NgStatus st = valid_record_after(j, pos, size, &damaged);
  if (st) return st;
  if (damaged) {
    ng_report(j->world, NG_ERR_STORE, NG_LEVEL_ERROR, j->path, 0, 0,
              "damaged record at byte %llu, with committed records after it: the store is "
              "refused (nothing was changed; the journal needs repair or a backup)",
              (unsigned long long)pos);
    return NG_ERR_STORE;
  }
  ng_report(j->world, NG_SUCCESS, NG_LEVEL_WARNING, j->path, 0, 0,
            "%s %llu bytes of an incomplete last record (left by a crash)",
            write ? "cutting off" : "ignoring", (unsigned long long)(size - pos));
  if (write && (ftruncate(j->fd, (off_t)pos) || fsync(j->fd)))
    return io_error(j, "cannot cut the incomplete record off");
  return NG_SUCCESS;
}

/* The journal file, created (and its directory entry made durable) if needed. */
static NgStatus open_file(NgJournal *j, const char *dir, bool write) {
  j->fd = open(j->path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
  if (j->fd >= 0) return NG_SUCCESS;
  if (errno != ENOENT) return io_error(j, "cannot open the journal");
  if (!write) return NG_SUCCESS; /* nothing journaled yet */
  j->fd = open(j->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (j->fd < 0) return io_error(j, "cannot create the journal");
  return ng_fsync_path(dir) ? io_error(j, "cannot sync the store directory") : NG_SUCCESS;
}

NgJournal *ng_journal_open(NgWorld *world, const char *dir, bool write, uint64_t *last_seq,
                           NgStatus *status) {
  NgJournal *j = calloc(1, sizeof *j);
  NgBuf path = NG_BUF_INIT;
  NgStatus st = j ? ng_buf_printf(&path, "%s/journal", dir) : NG_ERR_NOMEM;
  *last_seq = 0;
  if (j) j->fd = -1;
  if (!st) {
    j->world = world;
    j->path = ng_buf_take(&path);
    st = open_file(j, dir, write);
  }
  if (!st && j->fd >= 0) st = scan(j, write, last_seq);
  *status = st;
  if (!st) return j;
  ng_buf_free(&path);
  ng_journal_free(j);
  return NULL;
}

void ng_journal_free(NgJournal *j) {
  if (!j) return;
  if (j->fd >= 0) close(j->fd);
  free(j->path);
  ng_buf_free(&j->pending);
  ng_buf_free(&j->terms);
  ng_buf_free(&j->triples);
  free(j->slots);
  free(j->rbuf);
  free(j->rterms);
  free(j->rtriples);
  free(j);
}

bool ng_journal_has_records(const NgJournal *j) { return j->disk_size > 0 || j->pending.len > 0; }

unsigned long long ng_journal_bytes(const NgJournal *j) { return j->disk_size; }

/* -------------------------------------------------------------- encoding */

static NgStatus put_varint(NgBuf *b, uint64_t v) {
  char bytes[10];
  size_t n = 0;
  do {
    bytes[n++] = (char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
    v >>= 7;
  } while (v);
  return ng_buf_append(b, bytes, n);
}

/* Length, bytes and a NUL, so that decoded strings are used in place. */
static NgStatus put_string(NgBuf *b, const char *s) {
  size_t len = strlen(s);
  NgStatus st = put_varint(b, len);
  if (!st) st = ng_buf_append(b, s, len + 1);
  return st;
}

static bool same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* A table big enough for the record's terms, cleared (sized to the record
 * so that small records after a huge one stay cheap). */
static NgStatus reset_slots(NgJournal *j, size_t ntriples) {
  size_t cap = 64;
  while (cap < 8 * ntriples + 8)
    cap *= 2;
  if (cap != j->slot_cap) {
    TermSlot *s = realloc(j->slots, cap * sizeof *s);
    if (!s) return NG_ERR_NOMEM;
    j->slots = s;
    j->slot_cap = cap;
  }
  memset(j->slots, 0, j->slot_cap * sizeof *j->slots);
  j->nterms = 0;
  return NG_SUCCESS;
}

static NgStatus write_term(NgJournal *j, NgTermKind kind, const char *value, const char *datatype,
                           const char *lang, uint32_t datatype_index) {
  NgBuf *b = &j->terms;
  int tag = kind == NG_TERM_IRI     ? TAG_IRI
            : kind == NG_TERM_BLANK ? TAG_BLANK
            : lang                  ? TAG_LANG
            : datatype              ? TAG_TYPED
                                    : TAG_LITERAL;
  NgStatus st = ng_buf_putc(b, (char)tag);
  if (!st) st = put_string(b, value);
  if (!st && tag == TAG_LANG) st = put_string(b, lang);
  if (!st && tag == TAG_TYPED) st = put_varint(b, datatype_index);
  return st;
}

/* The record index of a term, writing the term the first time it is seen
 * (a literal's datatype IRI goes first, as a term of its own). */
static NgStatus term_index(NgJournal *j, NgTermKind kind, const char *value, const char *datatype,
                           const char *lang, uint32_t *index) {
  NgStatus st;
  if (kind != NG_TERM_LITERAL) datatype = lang = NULL;
  if (lang) datatype = NULL;
  uint64_t h = ng_term_fingerprint(kind, value, strlen(value), datatype, lang);
  if (!h) h = 1;
  size_t mask = j->slot_cap - 1, i = h & mask;
  for (; j->slots[i].hash; i = (i + 1) & mask) {
    TermSlot *s = &j->slots[i];
    if (s->hash == h && s->kind == kind && !strcmp(s->value, value) &&
        same_str(s->datatype, datatype) && same_str(s->lang, lang)) {
      *index = s->index;
      return NG_SUCCESS;
    }
  }
  uint32_t dt_index = 0;
  if (datatype) {
    NG_TRY(st, term_index(j, NG_TERM_IRI, datatype, NULL, NULL, &dt_index));
    /* the datatype took a slot: find the free one again */
    for (i = h & mask; j->slots[i].hash; i = (i + 1) & mask) {
    }
  }
  NG_TRY(st, write_term(j, kind, value, datatype, lang, dt_index));
  j->slots[i] = (TermSlot){h, kind, j->nterms, value, datatype, lang};
  *index = j->nterms++;
  return NG_SUCCESS;
}

static NgStatus encode_triples(NgJournal *j, const NgGraph *graph) {
  NgStatus st;
  size_t n = ng_graph_size(graph);
  NG_TRY(st, reset_slots(j, n));
  ng_buf_clear(&j->terms);
  ng_buf_clear(&j->triples);
  for (size_t i = 0; i < n; ++i) {
    const NgTriple *t = ng_graph_get(graph, i);
    const NgTerm *parts[3] = {&t->s, &t->p, &t->o};
    for (int k = 0; k < 3; ++k) {
      uint32_t index;
      const NgTerm *term = parts[k];
      NG_TRY(st, term_index(j, term->kind, term->value, term->datatype, term->lang, &index));
      NG_TRY(st, put_varint(&j->triples, index));
    }
  }
  return NG_SUCCESS;
}

NgStatus ng_journal_append(NgJournal *j, NgJournalKind kind, uint64_t seq, const NgGraph *graph) {
  NgStatus st;
  NG_TRY(st, encode_triples(j, graph));
  NgBuf head = NG_BUF_INIT, counts = NG_BUF_INIT;
  unsigned char fixed[9] = {(unsigned char)kind};
  for (int i = 0; i < 8; ++i)
    fixed[1 + i] = (unsigned char)(seq >> (8 * i));
  st = ng_buf_append(&head, (const char *)fixed, sizeof fixed);
  if (!st) st = put_string(&head, ng_graph_get_name(graph));
  if (!st) st = put_varint(&head, j->nterms);
  if (!st) st = put_varint(&counts, ng_graph_size(graph));
  size_t len = head.len + j->terms.len + counts.len + j->triples.len;
  if (!st && len > UINT32_MAX) st = NG_ERR_TOO_LARGE;
  if (!st) {
    uint32_t crc = ng_crc32(0, head.data, head.len);
    crc = ng_crc32(crc, j->terms.data, j->terms.len);
    crc = ng_crc32(crc, counts.data, counts.len);
    crc = ng_crc32(crc, j->triples.data, j->triples.len);
    unsigned char header[HEADER_SIZE];
    memcpy(header, MAGIC, 4);
    put_u32(header + 4, (uint32_t)len);
    put_u32(header + 8, crc);
    const size_t mark = j->pending.len;
    st = ng_buf_append(&j->pending, (const char *)header, HEADER_SIZE);
    if (!st) st = ng_buf_append(&j->pending, head.data, head.len);
    if (!st) st = ng_buf_append(&j->pending, j->terms.data, j->terms.len);
    if (!st) st = ng_buf_append(&j->pending, counts.data, counts.len);
    if (!st) st = ng_buf_append(&j->pending, j->triples.data, j->triples.len);
    if (st) j->pending.len = mark; /* never leave half a record buffered */
  }
  ng_buf_free(&head);
  ng_buf_free(&counts);
  return st;
}

NgStatus ng_journal_sync(NgJournal *j) {
  if (!j->pending.len) return NG_SUCCESS;
  const char *p = j->pending.data;
  size_t left = j->pending.len;
  uint64_t pos = j->disk_size;
  while (left) {
    ssize_t n = pwrite(j->fd, p, left, (off_t)pos);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      NgStatus st = io_error(j, "cannot write the journal");
      if (ftruncate(j->fd, (off_t)j->disk_size)) { /* the CRC catches what remains */
      }
      return st;
    }
    p += n;
    pos += (uint64_t)n;
    left -= (size_t)n;
  }
  if (fdatasync(j->fd)) return io_error(j, "cannot sync the journal");
  j->disk_size = pos;
  ng_buf_clear(&j->pending);
  return NG_SUCCESS;
}

NgStatus ng_journal_truncate(NgJournal *j) {
  if (ftruncate(j->fd, 0) || fsync(j->fd)) return io_error(j, "cannot empty the journal");
  j->disk_size = 0;
  j->read_pos = 0;
  return NG_SUCCESS;
}

/* -------------------------------------------------------------- decoding */

typedef struct {
  const unsigned char *p, *end;
  bool bad;
} Reader;

static uint64_t get_varint(Reader *r) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (r->p >= r->end) break;
    unsigned char c = *r->p++;
    v |= (uint64_t)(c & 0x7F) << shift;
    if (!(c & 0x80)) return v;
  }
  r->bad = true;
  return 0;
}

static const char *get_string(Reader *r, size_t *len_out) {
  uint64_t len = get_varint(r);
  if (r->bad || len >= (uint64_t)(r->end - r->p) || r->p[len] != '\0') {
    r->bad = true;
    return "";
  }
  const char *s = (const char *)r->p;
  r->p += len + 1;
  if (len_out) *len_out = (size_t)len;
  return s;
}

static NgStatus grow(void **array, size_t *cap, size_t want, size_t size) {
  if (want <= *cap) return NG_SUCCESS;
  void *p = realloc(*array, want * size);
  if (!p) return NG_ERR_NOMEM;
  *array = p;
  *cap = want;
  return NG_SUCCESS;
}

static void decode_term(Reader *r, NgTerm *terms, uint32_t i) {
  int tag = r->p < r->end ? *r->p++ : 0;
  NgTerm *t = &terms[i];
  *t = (NgTerm){tag == TAG_IRI     ? NG_TERM_IRI
                : tag == TAG_BLANK ? NG_TERM_BLANK
                                   : NG_TERM_LITERAL,
                get_string(r, NULL), NULL, NULL};
  if (tag == TAG_LANG) t->lang = get_string(r, NULL);
  if (tag == TAG_TYPED) {
    uint64_t dt = get_varint(r);
    if (dt >= i || terms[dt].kind != NG_TERM_IRI)
      r->bad = true;
    else
      t->datatype = terms[dt].value;
  }
  if (tag < TAG_IRI || tag > TAG_TYPED) r->bad = true;
}

static NgStatus decode(NgJournal *j, size_t len, NgJournalRecord *rec) {
  Reader r = {j->rbuf + 9, j->rbuf + len, false};
  rec->kind = j->rbuf[0] == NG_JOURNAL_REPLACE ? NG_JOURNAL_REPLACE : NG_JOURNAL_ADD;
  rec->seq = get_u64(j->rbuf + 1);
  rec->graph = get_string(&r, &rec->graph_len);
  uint64_t nterms = get_varint(&r);
  /* each term takes at least 3 bytes, each triple 3: bounds before allocating */
  if (r.bad || nterms > len) return NG_ERR_STORE;
  NgStatus st = grow((void **)&j->rterms, &j->rterms_cap, (size_t)nterms + 1, sizeof *j->rterms);
  for (uint32_t i = 0; !st && !r.bad && i < nterms; ++i)
    decode_term(&r, j->rterms, i);
  uint64_t ntriples = r.bad ? 0 : get_varint(&r);
  if (!st && (r.bad || ntriples > len)) return NG_ERR_STORE;
  if (!st)
    st = grow((void **)&j->rtriples, &j->rtriples_cap, 3 * (size_t)ntriples + 1,
              sizeof *j->rtriples);
  for (size_t i = 0; !st && !r.bad && i < 3 * ntriples; ++i) {
    uint64_t index = get_varint(&r);
    if (index >= nterms) r.bad = true;
    j->rtriples[i] = (uint32_t)index;
  }
  if (st) return st;
  if (r.bad || r.p != r.end || (j->rbuf[0] != NG_JOURNAL_REPLACE && j->rbuf[0] != NG_JOURNAL_ADD))
    return NG_ERR_STORE;
  rec->nterms = (size_t)nterms;
  rec->ntriples = (size_t)ntriples;
  rec->terms = j->rterms;
  rec->triples = j->rtriples;
  return NG_SUCCESS;
}

NgStatus ng_journal_rewind(NgJournal *j) {
  j->read_pos = 0;
  return NG_SUCCESS;
}

NgStatus ng_journal_next(NgJournal *j, NgJournalRecord *record) {
  if (j->read_pos >= j->disk_size) return NG_END;
  bool valid;
  size_t len = 0;
  NgStatus st = load_record(j, j->read_pos, j->disk_size, &valid, &len);
  if (!st && valid)
    st = decode(j, len, record);
  else if (!st)
    st = NG_ERR_STORE; /* it was valid when the journal was opened */
  if (st == NG_ERR_STORE)
    ng_report(j->world, st, NG_LEVEL_ERROR, j->path, 0, 0, "damaged record at offset %llu",
              (unsigned long long)j->read_pos);
  if (!st) j->read_pos += HEADER_SIZE + len;
  return st;
}
