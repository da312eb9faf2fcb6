/* tsv.c - the event table (--format tsv), its mentions (--format
 * mentions) and the time expression table (--format timex).  Tabs and line breaks inside fields become spaces, so
 * that every line is one record. */
#include "pipeline.h"

#include <stdio.h>
#include <string.h>

static const char *const columns[] = {
    "article", "sentence", "actor", "actor_code", "actor_text", "action", "action_text", "cameo",
    "target", "target_code", "target_text", "date", "article_date", "confidence", "negated", "text",
    "factuality"};

/* A document's records are built in memory and written with one fwrite:
 * stdio's per-call cost (locking, the stream's own buffer, an
 * open_memstream's byte-wise copy) was a tenth of extraction time.  Each
 * record's room is reserved first, from the lengths of its fields. */
typedef struct {
  NgBuf buf;
  char *p; /* where the record being written goes on */
  NgStatus st;
} Out;

/* Room for a record of these fields and up to `fixed` bytes more. */
static bool begin_record(Out *o, const size_t *lens, size_t n, size_t fixed) {
  size_t total = fixed;
  for (size_t i = 0; i < n; ++i) total += lens[i];
  if (!o->st) o->st = ng_buf_reserve(&o->buf, total);
  o->p = o->buf.data + o->buf.len;
  return !o->st;
}

static void end_record(Out *o) {
  o->buf.len = (size_t)(o->p - o->buf.data);
  o->buf.data[o->buf.len] = '\0';
}

static void put_bytes(Out *o, const char *s, size_t n) {
  memcpy(o->p, s, n);
  o->p += n;
}

static void put_char(Out *o, char c) { *o->p++ = c; }

/* n bytes of s, tabs and line breaks as spaces */
static void put_field(Out *o, const char *s, size_t n) {
  const char *end = s + n;
  while (s < end) {
    size_t run = strcspn(s, "\t\n\r");
    put_bytes(o, s, run);
    s += run;
    if (s < end) {
      put_char(o, ' ');
      s++;
    }
  }
}

static size_t len_of(const char *s) { return s ? strlen(s) : 0; }

/* "\t123\t" without printf, which would dominate the writer's cost. */
static void put_number(Out *o, size_t v) {
  char buf[24];
  size_t i = sizeof buf;
  buf[--i] = '\t';
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  buf[--i] = '\t';
  put_bytes(o, buf + i, sizeof buf - i);
}

/* "\t0.85": two decimals, confidence being in [0, 1]. */
static void put_confidence(Out *o, double c) {
  long hundredths = (long)(c * 100.0 + 0.5);
  if (hundredths < 0) hundredths = 0;
  if (hundredths > 100) hundredths = 100;
  char buf[5] = {'\t', (char)('0' + hundredths / 100), '.', (char)('0' + hundredths / 10 % 10),
                 (char)('0' + hundredths % 10)};
  put_bytes(o, buf, sizeof buf);
}

/* Write what o holds; the error of building it, else of writing it. */
static NgStatus flush_out(Out *o, FILE *out) {
  if (!o->st && o->buf.len && fwrite(o->buf.data, 1, o->buf.len, out) != o->buf.len) o->st = NG_ERR_IO;
  ng_buf_free(&o->buf);
  if (!o->st && ferror(out)) o->st = NG_ERR_IO;
  return o->st;
}

void ng_tsv_write_header(FILE *out) {
  for (size_t i = 0; i < NG_COUNTOF(columns); ++i) {
    if (i) putc('\t', out);
    fputs(columns[i], out);
  }
  putc('\n', out);
}

void ng_mentions_write_header(FILE *out) {
  for (size_t i = 0; i < NG_COUNTOF(columns); ++i) {
    fputs(columns[i], out);
    putc('\t', out);
  }
  fputs("event\n", out);
}

/* two numbers ("\t%zu\t"), a confidence, the negation flag, tabs, a newline */
#define FIXED_BYTES 128

/* What one record tells of an event: the event's fields, with the words
 * of the mention the record is of. */
typedef struct {
  size_t sentence;
  const char *actor_text, *action_text, *target_text, *text;
  const char *event_id; /* NULL: no `event` column */
} RecordOf;

/* One record of event e into o. */
static bool put_record(const NgDocument *doc, const NgEvent *e, const RecordOf *r, Out *o) {
  size_t id_len = len_of(doc->id), date_len = len_of(doc->date);
  const char *middle[] = {e->actor.label, e->actor.code, r->actor_text, e->action, r->action_text, e->cameo,
                          e->target.label, e->target.code, r->target_text, e->date};
  size_t lens[NG_COUNTOF(middle) + 4] = {id_len, date_len, len_of(r->text), len_of(r->event_id)};
  for (size_t f = 0; f < NG_COUNTOF(middle); ++f) lens[4 + f] = len_of(middle[f]);
  if (!begin_record(o, lens, NG_COUNTOF(lens), FIXED_BYTES)) return false;
  put_field(o, doc->id, id_len);
  put_number(o, r->sentence);
  for (size_t f = 0; f < NG_COUNTOF(middle); ++f) {
    if (middle[f]) put_field(o, middle[f], lens[4 + f]);
    put_char(o, '\t');
  }
  put_field(o, doc->date, date_len);
  put_confidence(o, e->confidence);
  put_bytes(o, e->negated ? "\t1\t" : "\t0\t", 3);
  if (r->text) put_field(o, r->text, lens[2]);
  put_char(o, '\t');
  const char *fact = ng_factuality_name(e->factuality); /* a short word of ours: fits FIXED_BYTES */
  put_bytes(o, fact, strlen(fact));
  if (r->event_id) {
    put_char(o, '\t');
    put_bytes(o, r->event_id, lens[3]);
  }
  put_char(o, '\n');
  end_record(o);
  return true;
}

/* The records of doc's events into o: one an event. */
static void build_tsv(const NgDocument *doc, Out *o) {
  for (size_t i = 0; i < doc->nevents; ++i) {
    const NgEvent *e = &doc->events[i];
    RecordOf r = {e->sentence, e->actor.text, e->action_text, e->target.text, e->sentence_text, NULL};
    if (!put_record(doc, e, &r, o)) break;
  }
}

/* ... one a mention, with the event's name as its IRI has it ("3-0": its
 * sentence and its place among that sentence's events). */
static void build_mentions(const NgDocument *doc, Out *o) {
  size_t n_in_sentence = 0;
  for (size_t i = 0; i < doc->nevents; ++i) {
    const NgEvent *e = &doc->events[i];
    n_in_sentence = i > 0 && doc->events[i - 1].sentence == e->sentence ? n_in_sentence + 1 : 0;
    char id[48];
    snprintf(id, sizeof id, "%zu-%zu", e->sentence, n_in_sentence);
    RecordOf r = {e->sentence, e->actor.text, e->action_text, e->target.text, e->sentence_text, id};
    bool ok = put_record(doc, e, &r, o);
    for (size_t k = 0; k < e->nfurther && ok; ++k) {
      const NgEventMention *m = &e->further[k];
      r = (RecordOf){m->sentence, m->actor_text, m->action_text, m->target_text, m->text, id};
      ok = put_record(doc, e, &r, o);
    }
    if (!ok) break;
  }
}

typedef void Builder(const NgDocument *doc, Out *o);

/* The records build makes of doc, written to out. */
static NgStatus write_built(Builder *build, const NgDocument *doc, FILE *out) {
  Out o = {NG_BUF_INIT, NULL, NG_SUCCESS};
  build(doc, &o);
  return flush_out(&o, out);
}

/* ... or handed over as a malloc'd string (never NULL on success: "" for a
 * document without records). */
static char *built_new(Builder *build, const NgDocument *doc, size_t *len, NgStatus *status) {
  Out o = {NG_BUF_INIT, NULL, NG_SUCCESS};
  build(doc, &o);
  if (!o.st && !o.buf.data) o.st = ng_buf_reserve(&o.buf, 0);
  *status = o.st;
  if (o.st) {
    ng_buf_free(&o.buf);
    return NULL;
  }
  *len = o.buf.len;
  return ng_buf_take(&o.buf);
}

NgStatus ng_document_write_tsv(const NgDocument *doc, FILE *out) { return write_built(build_tsv, doc, out); }

char *ng_document_tsv_new(const NgDocument *doc, size_t *len, NgStatus *status) {
  return built_new(build_tsv, doc, len, status);
}

NgStatus ng_document_write_mentions(const NgDocument *doc, FILE *out) {
  return write_built(build_mentions, doc, out);
}

char *ng_document_mentions_new(const NgDocument *doc, size_t *len, NgStatus *status) {
  return built_new(build_mentions, doc, len, status);
}

void ng_timex_write_header(FILE *out) { fputs("article\tstart\tend\ttext\tvalue\n", out); }

/* The records of doc's time expressions into o. */
static void build_timex(const NgDocument *doc, Out *o) {
  size_t id_len = len_of(doc->id);
  for (size_t i = 0; i < doc->ntimexes; ++i) {
    const NgTimex *t = &doc->out_timexes[i];
    size_t lens[] = {id_len, len_of(t->text), len_of(t->value)};
    if (!begin_record(o, lens, NG_COUNTOF(lens), FIXED_BYTES)) break;
    put_field(o, doc->id, id_len);
    put_number(o, t->begin);
    o->p--; /* the next number's leading tab ends this one */
    put_number(o, t->end);
    if (t->text) put_field(o, t->text, lens[1]);
    put_char(o, '\t');
    if (t->value) put_field(o, t->value, lens[2]);
    put_char(o, '\n');
    end_record(o);
  }
}

NgStatus ng_document_write_timex(const NgDocument *doc, FILE *out) { return write_built(build_timex, doc, out); }

char *ng_document_timex_new(const NgDocument *doc, size_t *len, NgStatus *status) {
  return built_new(build_timex, doc, len, status);
}
