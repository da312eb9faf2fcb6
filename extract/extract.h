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

#endif /* NG_EXTRACT_H */
