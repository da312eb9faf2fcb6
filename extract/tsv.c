/* tsv.c - the event table (--format tsv) and the time expression table
 * (--format timex).  Tabs and line breaks inside fields become spaces, so
 * that every line is one record. */
#include "pipeline.h"

#include <stdio.h>
#include <string.h>

static const char *const columns[] = {
    "article", "sentence", "actor", "actor_code", "actor_text", "action", "action_text", "cameo",
    "target", "target_code", "target_text", "date", "article_date", "confidence", "negated", "text"};

static void put_field(FILE *out, const char *s) {
  if (!s) return;
  while (*s) {
    size_t run = strcspn(s, "\t\n\r");
    fwrite(s, 1, run, out);
    s += run;
    if (*s) {
      putc(' ', out);
      s++;
    }
  }
}

/* "\t123\t" without printf, which would dominate the writer's cost. */
static void put_number(FILE *out, size_t v) {
  char buf[24];
  size_t i = sizeof buf;
  buf[--i] = '\t';
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  buf[--i] = '\t';
  fwrite(buf + i, 1, sizeof buf - i, out);
}

/* "\t0.85": two decimals, confidence being in [0, 1]. */
static void put_confidence(FILE *out, double c) {
  long hundredths = (long)(c * 100.0 + 0.5);
  if (hundredths < 0) hundredths = 0;
  if (hundredths > 100) hundredths = 100;
  char buf[6] = {'\t', (char)('0' + hundredths / 100), '.', (char)('0' + hundredths / 10 % 10),
                 (char)('0' + hundredths % 10), 0};
  fwrite(buf, 1, 5, out);
}

void ng_tsv_write_header(FILE *out) {
  for (size_t i = 0; i < NG_COUNTOF(columns); ++i) {
    if (i) putc('\t', out);
    fputs(columns[i], out);
  }
  putc('\n', out);
}

NgStatus ng_document_write_tsv(const NgDocument *doc, FILE *out) {
  for (size_t i = 0; i < doc->nevents; ++i) {
    const NgEvent *e = &doc->events[i];
    put_field(out, doc->id);
    put_number(out, e->sentence);
    put_field(out, e->actor.label);
    putc('\t', out);
    put_field(out, e->actor.code);
    putc('\t', out);
    put_field(out, e->actor.text);
    putc('\t', out);
    put_field(out, e->action);
    putc('\t', out);
    put_field(out, e->action_text);
    putc('\t', out);
    put_field(out, e->cameo);
    putc('\t', out);
    put_field(out, e->target.label);
    putc('\t', out);
    put_field(out, e->target.code);
    putc('\t', out);
    put_field(out, e->target.text);
    putc('\t', out);
    put_field(out, e->date);
    putc('\t', out);
    put_field(out, doc->date);
    put_confidence(out, e->confidence);
    fputs(e->negated ? "\t1\t" : "\t0\t", out);
    put_field(out, e->sentence_text);
    putc('\n', out);
  }
  return ferror(out) ? NG_ERR_IO : NG_SUCCESS;
}

void ng_timex_write_header(FILE *out) { fputs("article\tstart\tend\ttext\tvalue\n", out); }

NgStatus ng_document_write_timex(const NgDocument *doc, FILE *out) {
  for (size_t i = 0; i < doc->ntimexes; ++i) {
    const NgTimex *t = &doc->out_timexes[i];
    put_field(out, doc->id);
    fprintf(out, "\t%zu\t%zu\t", t->begin, t->end);
    put_field(out, t->text);
    putc('\t', out);
    put_field(out, t->value);
    putc('\n', out);
  }
  return ferror(out) ? NG_ERR_IO : NG_SUCCESS;
}
