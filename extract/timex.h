/* timex.h - time expressions in news text, resolved against the article
 * date in the manner of HeidelTime's news rules. */
#ifndef NG_TIMEX_H
#define NG_TIMEX_H

#include "internal.h"

typedef enum {
  NG_TENSE_UNKNOWN = 0, /* let the scanner guess from the sentence */
  NG_TENSE_PAST,
  NG_TENSE_PRESENT,
  NG_TENSE_FUTURE
} NgTense;

typedef enum {
  NG_GRAN_NONE = 0, /* could not be resolved (e.g. no reference date) */
  NG_GRAN_DAY,
  NG_GRAN_WEEK,
  NG_GRAN_MONTH,
  NG_GRAN_YEAR
} NgGranularity;

typedef struct {
  size_t begin, end;   /* byte offsets of the expression in the scanned text */
  char value[16];      /* ISO 8601: YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www; "" if unresolved */
  NgDate date;         /* as a date: the day, the month (day 0), the year
                          (month 0), or for a week its Monday */
  NgGranularity gran;
  bool relative;       /* resolved against the reference date */
} NgTimexMatch;

/* Find the time expressions of one sentence (text[0..len), UTF-8) and
 * resolve them against ref, the article date ({0,0,0} when unknown:
 * relative expressions then stay unresolved, absolute ones with a year are
 * still resolved).  tense is the tense of the sentence's main verb, used to
 * decide between the past and the future reading of weekdays and bare
 * months; NG_TENSE_UNKNOWN lets the scanner guess.  Writes at most max
 * matches, in text order, without overlaps; returns how many. */
size_t ng_timex_scan(const char *text, size_t len, NgDate ref, NgTense tense,
                     NgTimexMatch *out, size_t max);

#endif /* NG_TIMEX_H */
