/* extract.h - private interface of the extraction module (text -> events). */
#ifndef NG_EXTRACT_H
#define NG_EXTRACT_H

#include "internal.h"

/* ------------------------------------------------------------ dateline */

/* A dateline at the head of an article ("MINSK, Nov 25 (Reuters) -",
 * "(Sputnik - 25th November, 2020)", "LYON:") or a line holding only a date
 * among its first lines ("March 06, 2008"). */
typedef struct {
  size_t begin, end; /* byte range to leave out of the first sentence */
  bool has_date;
  NgDate date;       /* full date when has_date; the year is taken from the
                        reference date (the latest such date on or before it)
                        when the dateline gives none */
  char place[64];    /* "MINSK", "" if none */
} NgDateline;

/* Look for a dateline in the first lines of text.  ref is the article date
 * if already known ({0,0,0} otherwise).  Returns false if there is none. */
bool ng_dateline_find(const char *text, size_t len, NgDate ref, NgDateline *out);

/* ---------------------------------------------------------------- input */
/* Internal to the article readers (input.c, html.c). */

/* Normalise a publication date to "YYYY-MM-DD": ISO 8601 with or without
 * a time ("2020-11-25", "2020-11-25T10:00:00Z", "2020-11-25 10:00+01:00")
 * or RFC 2822 as feeds and meta tags give it ("Wed, 25 Nov 2020 10:00:00
 * GMT").  Surrounding whitespace is ignored.  False if s is none of these. */
bool ng_input_date_normalize(const char *s, size_t len, char out[11]);

/* What an HTML page gives an article; each buffer is cleared, then filled
 * ("" when the page has nothing for it).  date is YYYY-MM-DD. */
typedef struct {
  NgBuf *title, *date, *url, *text;
} NgHtmlFields;

/* Parse an HTML page with libxml2 and take its title, publication date,
 * canonical URL and body text (UTF-8).  name names the page in
 * diagnostics.  Invalid UTF-8 in a page that is (or is taken to be) UTF-8
 * is reported at name:line:col and gives NG_ERR_ENCODING. */
NgStatus ng_html_extract(NgWorld *world, const char *name, const char *data, size_t len,
                         NgHtmlFields *out);

#endif /* NG_EXTRACT_H */
