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
  bool relative;       /* needs the reference date (even when unresolved) */
} NgTimexMatch;

/* Find the time expressions of one sentence (text[0..len), UTF-8) and
 * resolve them against ref, the article date ({0,0,0} when unknown:
 * relative expressions then stay unresolved, absolute ones with a year are
 * still resolved).  tense is the tense of the sentence's main verb, used to
 * decide between the past and the future reading of weekdays and bare
 * months; NG_TENSE_UNKNOWN lets the scanner guess.  Writes at most max
 * matches, in text order, without overlaps; returns how many.
 *
 * Spans.  A match covers the expression without the preposition before it
 * ("on [Wednesday]", "in [March]", "in [2003]") but with its modifiers and
 * its own words: "[last Wednesday]", "[mid-October]", "[early 2020]",
 * "[earlier this month]", "[two days ago]", "[in two days]", "[Friday
 * evening]", "[the end of March]", "[the day before]", "[the weekend]",
 * "[Oct.]" with the abbreviation dot, "[Wednesday, October 2, 2019]".
 * A range ("[March 3-5]", "from [March 3 to March 5]", "between [2001 and
 * 2003]", "[Monday to Wednesday]", "[2019-20]") is one match valued as its
 * start; the start takes the year of the end when it has none ("[March to
 * May 2020]" is 2020-03).
 *
 * Values.  YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www (ISO week; date is then
 * its Monday).  Modifiers do not change the value (mid-October is the
 * month).  Weekends are the ISO week of their Saturday; seasons the year
 * (winter: the year of its December).  "tonight", "this morning" are the
 * day; "last night" the day before; "N days/weeks/months/years ago" and
 * "N ... from now" keep the unit's granularity; "in N days" is matched only
 * in the future tense ("the first time in two years" is a duration).
 * Decades ("the 1990s"), "now", "recently", times of day, holidays and
 * numeric dates whose day/month order is ambiguous (10/02/2020) are not
 * matched.  A bare number is a year only in 1900-2099 and not as an amount
 * ("2003 people", "$2003", "2,003", "Flight 2003").
 *
 * Readings.  A name without a year (weekday, month, "October 2", season,
 * weekend) is read in the tense: past = the latest on or before ref (the
 * same day or month counts), future = the first on or after ref, present =
 * the nearest.  "last X" is the latest strictly before ref, "next X" the
 * first strictly after ("this X" follows the tense); a season or weekend
 * said during it is that one, and "last/next weekend" are a week from the
 * weekend of ref's own week, as "last/next week" are.  When tense is
 * NG_TENSE_UNKNOWN the closest cue word decides (future: will, shall, 'll,
 * won't, next, is going/due/expected to, plans to, is set for; past: was,
 * were, had, said, common irregular pasts, -ed words not after be/will/
 * to), a comma between counting as three words; without any cue, names
 * read as past, except a day-month, which takes the nearer occurrence with
 * the future counting double ("January 5" said on December 28 is next
 * year's, "March 3" said in October this year's).
 *
 * Names.  Month and weekday names count only when capitalised; abbreviated
 * weekdays ("Sat.") only before a date, abbreviated months only next to a
 * day or year or as "in Dec."; "Good Friday", "the Sunday Times", "every
 * Monday" are not days.  "May" needs a day, a year or a cue before it (in,
 * since, until, during, of, early, last, ...); "March" before on/to/for/
 * against/... is a march; a month next to a capitalised name is a name
 * ("June Carter") unless a cue precedes it. */
size_t ng_timex_scan(const char *text, size_t len, NgDate ref, NgTense tense,
                     NgTimexMatch *out, size_t max);

#endif /* NG_TIMEX_H */
