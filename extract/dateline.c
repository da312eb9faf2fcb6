/* dateline.c - the dateline at the head of an article.
 *
 * Two kinds are recognised at the start of one of the first three
 * non-blank lines (within the first ~300 bytes):
 *
 *  - a wire dateline: PLACE [, REGION]... [, DATE] [(AGENCY[ - DATE])] SEP
 *    "MINSK, Nov 25 (Reuters) -", "KABUL, Afghanistan, Dec. 5 —", "LYON:",
 *    or an agency group of its own: "(Sputnik - 25th November, 2020)",
 *    "(Reuters) -", "Nov 25 (Reuters) -".  SEP is -, --, an en or em dash,
 *    or a colon.
 *  - a line that holds only a date, maybe labelled and with a time:
 *    "March 06, 2008", "Tuesday, 25 November 2020", "2020-11-25",
 *    "Published: 25 Nov 2020 10:01 GMT" (never "25/11/2020": which is the
 *    day?).  A weekday alone is a date only inside a wire dateline.
 *
 * A dateline is easy to confuse with a sentence ("WASHINGTON has ...",
 * "The EU said: ...") or a headline in capitals ("EU SANCTIONS: WHAT NEXT"),
 * so the rules are narrow: a place in capitals may stand alone before its
 * separator, a place in ordinary capitalised words ("London") needs a date
 * or an agency; the place is at most four words, none of them a rubric
 * ("BREAKING", "UPDATE"); and a capitals place without date or agency is
 * refused when it is a short acronym ("EU:") or when the words after the
 * separator are capitals too.  An acronym such as "NATO: Russia must ..."
 * still passes: only a gazetteer could tell it from "LYON: Police ...".
 */
#include "extract.h"

#include <string.h>
#include <utf8proc.h>

#define SCAN_BYTES 300 /* a dateline starts within these ... */
#define SCAN_LINES 3   /* ... and on one of these non-blank lines */
#define MAX_PLACE_WORDS 4
#define MAX_AGENCY_WORDS 6
#define MAX_AGENCY_BYTES 48

/* A position in the line being read; never beyond end. */
typedef struct {
  const char *s;
  size_t pos, end;
} Cursor;

/* What a date in the text says; 0 (weekday -1) when not said. */
typedef struct {
  int year, month, day, weekday;
} DateParts;

/* ------------------------------------------------------------ characters */

static bool at_end(const Cursor *c) { return c->pos >= c->end; }
static char peek(const Cursor *c) { return at_end(c) ? '\0' : c->s[c->pos]; }

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static void skip_spaces(Cursor *c) {
  while (!at_end(c) && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t'))
    c->pos++;
}

/* The code point at the cursor and its byte length (0 at the end or on
 * invalid UTF-8). */
static size_t code_point(const Cursor *c, size_t pos, uint32_t *cp) {
  if (pos >= c->end) return 0;
  return ng_utf8_decode((const unsigned char *)c->s + pos, c->end - pos, cp);
}

typedef enum { CH_OTHER, CH_UPPER, CH_LOWER, CH_LETTER } CharKind;

static CharKind char_kind(uint32_t cp) {
  switch (utf8proc_category((utf8proc_int32_t)cp)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LT: return CH_UPPER;
  case UTF8PROC_CATEGORY_LL: return CH_LOWER;
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO: return CH_LETTER;
  default: return CH_OTHER;
  }
}

static CharKind kind_at(const Cursor *c, size_t pos, size_t *len) {
  uint32_t cp;
  *len = code_point(c, pos, &cp);
  return *len ? char_kind(cp) : CH_OTHER;
}

/* ASCII letters of s[0..len) equal word, ignoring case. */
static bool word_is(const char *s, size_t len, const char *word) {
  /* the first letter first: the lists are scanned whole for most words */
  if (!len || (s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32 : s[0]) != word[0]) return false;
  if (strlen(word) != len) return false;
  for (size_t i = 0; i < len; ++i) {
    char ch = s[i];
    if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
    if (ch != word[i]) return false;
  }
  return true;
}

static int find_word(const char *s, size_t len, const char *const *words) {
  for (int i = 0; words[i]; ++i)
    if (word_is(s, len, words[i])) return i;
  return -1;
}

/* ----------------------------------------------------------------- words */

typedef struct {
  size_t begin, end;
  int letters, upper, lower;
  bool first_upper;
} Word;

/* Apostrophes, hyphens, dots and slashes join letters: "N'DJAMENA",
 * "PORT-AU-PRINCE", "U.S.", "BRUSSELS/MOSCOW". */
static size_t joiner_len(const Cursor *c, size_t pos) {
  if (pos >= c->end) return 0;
  if (c->s[pos] && strchr("'-./", c->s[pos])) return 1;
  if (c->end - pos >= 3 && !memcmp(c->s + pos, "\xE2\x80\x99", 3)) return 3; /* ’ */
  return 0;
}

/* A word of letters at the cursor, with inner joiners and a final '.'
 * ("ST.", "Calif.", "U.S."). */
static bool word_at(Cursor *c, Word *w) {
  size_t len, pos = c->pos;
  CharKind k = kind_at(c, pos, &len);
  if (k == CH_OTHER) return false;
  memset(w, 0, sizeof *w);
  w->begin = pos;
  w->first_upper = k == CH_UPPER;
  for (;;) {
    w->letters++;
    w->upper += k == CH_UPPER;
    w->lower += k == CH_LOWER;
    pos += len;
    size_t j = joiner_len(c, pos);
    CharKind next = kind_at(c, pos + j, &len); /* j == 0: the character at pos */
    if (next != CH_OTHER) {
      k = next;
      pos += j;
      continue;
    }
    if (j == 1 && c->s[pos] == '.') pos++;
    break;
  }
  w->end = pos;
  c->pos = pos;
  return true;
}

static bool all_caps(const Word *w) { return w->upper >= 1 && w->lower == 0; }

/* ----------------------------------------------------------------- dates */

typedef struct {
  const char *name;
  int value;
} Name;

static const Name months[] = {
    {"january", 1},   {"february", 2},  {"march", 3},  {"april", 4},     {"may", 5},
    {"june", 6},      {"july", 7},      {"august", 8}, {"september", 9}, {"october", 10},
    {"november", 11}, {"december", 12}, {"jan", 1},    {"feb", 2},       {"mar", 3},
    {"apr", 4},       {"jun", 6},       {"jul", 7},    {"aug", 8},       {"sep", 9},
    {"sept", 9},      {"oct", 10},      {"nov", 11},   {"dec", 12},      {NULL, 0}};
static const Name weekdays[] = {{"monday", 0}, {"tuesday", 1},  {"wednesday", 2}, {"thursday", 3},
                                {"friday", 4}, {"saturday", 5}, {"sunday", 6},    {"mon", 0},
                                {"tue", 1},    {"tues", 1},     {"wed", 2},       {"thu", 3},
                                {"thur", 3},   {"thurs", 3},    {"fri", 4},       {"sat", 5},
                                {"sun", 6},    {NULL, 0}};

static const Name *find_name(const char *s, size_t len, const Name *names) {
  for (; names->name; ++names)
    if (word_is(s, len, names->name)) return names;
  return NULL;
}

/* A month or weekday name at the cursor (an abbreviation may take a '.');
 * returns its value, or -1 and leaves the cursor alone. */
static int name_at(Cursor *c, const Name *names) {
  size_t pos = c->pos;
  while (pos < c->end && (c->s[pos] | 32) >= 'a' && (c->s[pos] | 32) <= 'z')
    pos++;
  const Name *n = find_name(c->s + c->pos, pos - c->pos, names);
  if (!n) return -1;
  if (pos - c->pos <= 4 && pos < c->end && c->s[pos] == '.') pos++;
  c->pos = pos;
  return n->value;
}

static int month_at(Cursor *c) {
  int m = name_at(c, months);
  return m < 0 ? 0 : m;
}

static int weekday_at(Cursor *c) { return name_at(c, weekdays); }

/* The cursor is at the end of a token: no letter or digit glued on. */
static bool token_ends(const Cursor *c) {
  size_t len;
  return at_end(c) || (!is_digit(peek(c)) && kind_at(c, c->pos, &len) == CH_OTHER);
}

static int number_at(Cursor *c, int min_digits, int max_digits) {
  size_t pos = c->pos;
  int v = 0, n = 0;
  for (; pos < c->end && is_digit(c->s[pos]) && n < max_digits; ++pos, ++n)
    v = v * 10 + (c->s[pos] - '0');
  if (n < min_digits || (pos < c->end && is_digit(c->s[pos]))) return -1;
  c->pos = pos;
  return v;
}

/* A day of the month, "5", "05", "25th". */
static int day_at(Cursor *c) {
  Cursor save = *c;
  int d = number_at(c, 1, 2);
  if (d < 1 || d > 31) {
    *c = save;
    return 0;
  }
  static const char *const suffixes[] = {"st", "nd", "rd", "th", NULL};
  if (c->end - c->pos >= 2 && find_word(c->s + c->pos, 2, suffixes) >= 0) c->pos += 2;
  if (!token_ends(c)) {
    *c = save;
    return 0;
  }
  return d;
}

/* "[,] 2020" after a day; the cursor stays put when there is no year. */
static int year_after(Cursor *c) {
  Cursor save = *c;
  if (peek(c) == ',') c->pos++;
  skip_spaces(c);
  int y = number_at(c, 4, 4);
  if (y < 1000 || !token_ends(c)) {
    *c = save;
    return 0;
  }
  return y;
}

static int digits_value(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; ++i)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* "2020-11-25" */
static bool iso_at(Cursor *c, DateParts *d) {
  const char *s = c->s + c->pos;
  if (c->end - c->pos < 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; ++i)
    if (i != 4 && i != 7 && !is_digit(s[i])) return false;
  Cursor after = {c->s, c->pos + 10, c->end};
  if (!token_ends(&after)) return false;
  d->year = digits_value(s, 4);
  d->month = digits_value(s + 5, 2);
  d->day = digits_value(s + 8, 2);
  *c = after;
  return true;
}

/* "Nov 25[, 2020]" */
static bool month_day_at(Cursor *c, DateParts *d) {
  Cursor save = *c;
  if ((d->month = month_at(c))) {
    skip_spaces(c);
    if ((d->day = day_at(c))) return true;
  }
  *c = save;
  d->month = d->day = 0;
  return false;
}

/* "25[th] November" */
static bool day_month_at(Cursor *c, DateParts *d) {
  Cursor save = *c;
  if ((d->day = day_at(c))) {
    skip_spaces(c);
    if ((d->month = month_at(c)) && token_ends(c)) return true;
  }
  *c = save;
  d->month = d->day = 0;
  return false;
}

/* A date: ISO, or month and day either way round with an optional year,
 * after an optional weekday ("Tuesday, 25 November 2020"); a weekday alone
 * only when weekday_alone ("PARIS, Tuesday (AFP) -"). */
static bool date_at(Cursor *c, DateParts *d, bool weekday_alone) {
  Cursor start = *c;
  memset(d, 0, sizeof *d);
  d->weekday = -1;
  if (iso_at(c, d)) return true;
  d->weekday = weekday_at(c);
  Cursor after_weekday = *c;
  if (d->weekday >= 0) {
    if (peek(c) == ',') c->pos++;
    skip_spaces(c);
  }
  if (month_day_at(c, d) || day_month_at(c, d)) {
    d->year = year_after(c);
    return true;
  }
  *c = after_weekday;
  if (d->weekday >= 0 && weekday_alone && token_ends(c)) return true;
  *c = start;
  d->weekday = -1;
  return false;
}

/* The full date the parts stand for: the year from the text, else the
 * latest such date on or before ref; a weekday alone is the latest such
 * day on or before ref. */
static bool resolve_date(const DateParts *d, NgDate ref, NgDate *out) {
  if (d->year) {
    NgDate r = {d->year, d->month, d->day};
    *out = r;
    return d->month && ng_date_is_valid(r);
  }
  if (!ng_date_is_valid(ref) || ref.year == 0) return false;
  NgDate last = ref; /* the last day ref covers */
  if (!last.month) last.month = 12;
  if (!last.day) last.day = ng_days_in_month(last.year, last.month);
  if (!d->month) {
    if (d->weekday < 0 || !ref.day) return false;
    *out = ng_date_add_days(last, -(long)((ng_date_weekday(last) - d->weekday + 7) % 7));
    return true;
  }
  for (int y = last.year; y >= last.year - 8 && y >= 1; --y) { /* Feb 29 may go back 8 years */
    NgDate r = {y, d->month, d->day};
    if (ng_date_is_valid(r) && ng_date_to_days(r) <= ng_date_to_days(last)) {
      *out = r;
      return true;
    }
  }
  return false;
}

/* ---------------------------------------------------- places and agencies */

/* Lower-case words inside place names: "Rio de Janeiro", "Port of Spain". */
static const char *const connectors[] = {"de", "da",  "do",  "dos", "das", "del", "della", "di",
                                         "du", "des", "la",  "le",  "el",  "al",  "of",    "am",
                                         "an", "der", "sur", "en",  "y",   NULL};

/* Capitalised words that open lines without being places. */
static const char *const rubrics[] = {
    "breaking",  "update",  "updated",   "updates",    "exclusive",  "watch",      "live",
    "analysis",  "opinion", "editorial", "comment",    "commentary", "note",       "correction",
    "corrected", "factbox", "explainer", "interview",  "video",      "photo",      "photos",
    "warning",   "urgent",  "flash",     "alert",      "summary",    "highlights", "review",
    "feature",   "special", "report",    "news",       "brief",      "advisory",   "clarification",
    "recap",     "preview", "quote",     "transcript", "by",         "the",        "a",
    "an",        "editor",  "editors",   "source",     "sources",    "credit",     "read",
    "more",      "see",     "also",      "related",    "q",          "i",          "we",
    "he",        "she",     "it",        "they",       "this",       "that",       "these",
    "those",     "there",   "here",      "but",        "and",        "or",         "if",
    "when",      "while",   "in",        "on",         "at",         "for",        "from",
    "with",      "after",   "before",    NULL};

typedef struct {
  size_t begin, end;
  bool caps; /* every word in capitals */
  int words, letters;
} Place;

static size_t word_len_without_dot(const Cursor *c, const Word *w) {
  size_t len = w->end - w->begin;
  return len && c->s[w->end - 1] == '.' ? len - 1 : len;
}

static bool is_rubric(const Cursor *c, const Word *w) {
  return find_word(c->s + w->begin, word_len_without_dot(c, w), rubrics) >= 0;
}

static bool is_calendar_word(const Cursor *c, const Word *w) {
  size_t len = word_len_without_dot(c, w);
  return find_name(c->s + w->begin, len, months) || find_name(c->s + w->begin, len, weekdays);
}

static bool is_connector(const Cursor *c, const Word *w) {
  return !w->first_upper && find_word(c->s + w->begin, w->end - w->begin, connectors) >= 0;
}

/* One space, then a word; a lower-case connector brings the word after it
 * ("Rio de Janeiro").  The cursor moves only when there is one. */
static bool next_name_word(Cursor *c, Word *w) {
  Cursor next = *c;
  if (peek(&next) != ' ') return false;
  next.pos++;
  if (!word_at(&next, w)) return false;
  if (is_connector(&next, w)) {
    if (peek(&next) != ' ') return false;
    next.pos++;
    if (!word_at(&next, w)) return false;
  }
  if (!w->first_upper || is_calendar_word(&next, w)) return false;
  *c = next;
  return true;
}

/* Up to four words, all in capitals or all capitalised.  A rubric word
 * ("UPDATE", "The") anywhere means this is no place. */
static bool place_at(Cursor *c, Place *p) {
  Cursor save = *c, next;
  Word w;
  if (!word_at(c, &w) || !w.first_upper || is_rubric(c, &w) || is_calendar_word(c, &w)) {
    *c = save;
    return false;
  }
  p->begin = w.begin;
  p->end = w.end;
  p->caps = all_caps(&w) && w.letters >= 2;
  p->words = 1;
  p->letters = w.letters;
  next = *c;
  while (p->words < MAX_PLACE_WORDS && next_name_word(&next, &w)) {
    if (p->caps != all_caps(&w)) break;
    if (is_rubric(&next, &w)) {
      *c = save;
      return false;
    }
    p->end = w.end;
    p->words++;
    p->letters += w.letters;
  }
  c->pos = p->end;
  return true;
}

/* A region after a comma: capitalised words ("Palestinian Territories",
 * "Calif.", "N.Y.").  Long words in capitals are not a region but more of
 * a headline ("RUSSIA, CHINA SIGN DEAL:"). */
static bool region_word(const Cursor *c, const Word *w) {
  return w->first_upper && !is_rubric(c, w) && !is_calendar_word(c, w) &&
         !(all_caps(w) && w->letters > 3);
}

static bool region_at(Cursor *c) {
  Cursor save = *c;
  Word w;
  if (!word_at(c, &w) || !region_word(c, &w)) {
    *c = save;
    return false;
  }
  for (int words = 1; words < MAX_PLACE_WORDS; ++words) {
    Cursor next = *c;
    if (!next_name_word(&next, &w) || !region_word(&next, &w)) break;
    *c = next;
  }
  return true;
}

/* The separator after a dateline: "-", "--", an en or em dash, ":".  A
 * space must follow, except after a dash, or when glued_ok (after an
 * agency, "(Reuters)-Iran said" is a typo, not a hyphenated word). */
static bool separator_at(Cursor *c, bool glued_ok) {
  Cursor save = *c;
  skip_spaces(c);
  bool dash = false;
  if (peek(c) == '-') {
    c->pos += c->end - c->pos >= 2 && c->s[c->pos + 1] == '-' ? 2 : 1;
  } else if (peek(c) == ':') {
    c->pos++;
  } else if (c->end - c->pos >= 3 && (!memcmp(c->s + c->pos, "\xE2\x80\x94", 3) ||
                                      !memcmp(c->s + c->pos, "\xE2\x80\x93", 3))) {
    c->pos += 3;
    dash = true; /* "WASHINGTON—The ..." has no space after the dash */
  } else {
    *c = save;
    return false;
  }
  if (!at_end(c) && peek(c) != ' ' && peek(c) != '\t' && !dash && !glued_ok) {
    *c = save;
    return false;
  }
  skip_spaces(c);
  return true;
}

/* A word of an agency name: capitalised ("dpa" styles itself in lower
 * case), two letters at least and no inner dot, so that "(D)" after a
 * politician and "(AAPL.O)" after a company are not agencies. */
static bool agency_word(const Cursor *c, const Word *w) {
  const char *s = c->s + w->begin;
  size_t len = word_len_without_dot(c, w);
  if (!w->first_upper && !word_is(s, len, "dpa")) return false;
  return w->letters >= 2 && !memchr(s, '.', len);
}

/* "(Reuters)", "(AP)", "(Sputnik - 25th November, 2020)": an agency name,
 * maybe a date, in parentheses.  *d gets the date if there is one. */
static bool agency_at(Cursor *c, DateParts *d, bool *has_date) {
  Cursor save = *c;
  Word w;
  int words = 0;
  *has_date = false;
  if (peek(c) != '(') return false;
  c->pos++;
  while (word_at(c, &w)) {
    if (!agency_word(c, &w) || ++words > MAX_AGENCY_WORDS) goto no;
    size_t len;
    /* "UrduPoint News / Sputnik": agencies that share a story */
    if (c->pos + 3 < c->end && !memcmp(c->s + c->pos, " / ", 3) &&
        kind_at(c, c->pos + 3, &len) == CH_UPPER) {
      c->pos += 3;
      continue;
    }
    if (peek(c) != ' ' || kind_at(c, c->pos + 1, &len) == CH_OTHER) break;
    c->pos++;
  }
  if (!words || c->pos - save.pos > MAX_AGENCY_BYTES) goto no;
  Cursor before_date = *c;
  skip_spaces(c);
  if (separator_at(c, false) || (peek(c) == ',' && (c->pos++, skip_spaces(c), true))) {
    if (!(*has_date = date_at(c, d, true))) *c = before_date;
  }
  skip_spaces(c);
  if (peek(c) != ')') goto no;
  c->pos++;
  return true;
no:
  *c = save;
  *has_date = false;
  return false;
}

/* After a place in capitals with neither date nor agency, the text must
 * go on in ordinary case: "LYON: Police said" is a dateline, "EU SANCTIONS:
 * WHAT NEXT" a headline, and a lone "SUMMARY:" a label. */
static bool ordinary_text_follows(const Cursor *after) {
  Cursor c = *after;
  Word w;
  for (int words = 0; words < 3 && word_at(&c, &w); ++words) {
    if (!all_caps(&w) || w.letters < 2) return true;
    skip_spaces(&c);
  }
  return false;
}

/* ------------------------------------------------------------ datelines */

static void set_place(NgDateline *out, const char *s, size_t len) {
  if (len >= sizeof out->place) {
    len = sizeof out->place - 1;
    while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
      len--; /* whole characters only */
  }
  memcpy(out->place, s, len);
  out->place[len] = '\0';
}

static void set_date(NgDateline *out, const DateParts *d, bool has, NgDate ref) {
  out->has_date = has && resolve_date(d, ref, &out->date);
  if (!out->has_date) memset(&out->date, 0, sizeof out->date);
}

/* "(Sputnik - 25th November, 2020)" or "(Reuters) -" opening a line. */
static bool agency_dateline(Cursor *c, NgDate ref, NgDateline *out) {
  size_t begin = c->pos;
  DateParts d;
  bool has_date;
  if (!agency_at(c, &d, &has_date)) return false;
  size_t len;
  /* "(CNN)The ..." is CNN's style: no separator, no space */
  bool glued = !at_end(c) && kind_at(c, c->pos, &len) == CH_UPPER;
  if (!separator_at(c, false) && !has_date && !glued) return false;
  skip_spaces(c);
  out->begin = begin;
  out->end = c->pos;
  out->place[0] = '\0';
  set_date(out, &d, has_date, ref);
  return true;
}

/* "Nov 25 (Reuters) -": a date, an agency, a separator, and no place. */
static bool dated_agency_dateline(Cursor *c, NgDate ref, NgDateline *out) {
  size_t begin = c->pos;
  DateParts d, agency_date;
  bool agency_has_date;
  if (!date_at(c, &d, false)) return false;
  skip_spaces(c);
  if (!agency_at(c, &agency_date, &agency_has_date) || !separator_at(c, true)) return false;
  out->begin = begin;
  out->end = c->pos;
  out->place[0] = '\0';
  set_date(out, &d, true, ref);
  return true;
}

/* ", REGION" and ", DATE" parts after the place; sets *has_date. */
static void place_details(Cursor *c, DateParts *d, bool *has_date) {
  for (int parts = 0; parts < 3 && !*has_date && peek(c) == ','; ++parts) {
    Cursor save = *c;
    c->pos++;
    skip_spaces(c);
    if ((*has_date = date_at(c, d, true))) break;
    if (!region_at(c)) {
      *c = save;
      break;
    }
  }
}

/* PLACE [, REGION]... [, DATE] [(AGENCY)] SEP */
static bool wire_dateline(Cursor *c, NgDate ref, NgDateline *out) {
  size_t begin = c->pos;
  Place place;
  DateParts d = {0, 0, 0, -1};
  bool has_date = false, has_agency = false, agency_has_date = false;
  if (!place_at(c, &place)) return dated_agency_dateline(c, ref, out);
  place_details(c, &d, &has_date);
  skip_spaces(c);
  if (peek(c) == '(') {
    DateParts agency_date;
    if (!(has_agency = agency_at(c, &agency_date, &agency_has_date))) return false;
    if (!has_date && agency_has_date) d = agency_date, has_date = true;
  }
  /* "MINSK (Sputnik - 25th November, 2020) Russia's ...": an agency
   * group that carries a date needs no separator after it */
  if (!separator_at(c, has_agency) && !agency_has_date) return false;
  skip_spaces(c);
  if (!has_date && !has_agency) {
    /* only the place vouches for itself: it must look like one */
    if (!place.caps) return false;
    if (place.words == 1 && place.letters <= 3) return false; /* "EU:", "UN:" */
    if (!ordinary_text_follows(c)) return false;
  }
  out->begin = begin;
  out->end = c->pos;
  set_place(out, c->s + place.begin, place.end - place.begin);
  set_date(out, &d, has_date, ref);
  return true;
}

/* "10:30", "10.01", "10:30:15". */
static bool clock_at(Cursor *c) {
  Cursor save = *c;
  int hour = number_at(c, 1, 2);
  if (hour >= 0 && hour <= 24 && (peek(c) == ':' || peek(c) == '.')) {
    c->pos++;
    if (number_at(c, 2, 2) >= 0) {
      Cursor before_seconds = *c;
      if (peek(c) == ':' && (++c->pos, number_at(c, 2, 2) < 0)) *c = before_seconds;
      return true;
    }
  }
  *c = save;
  return false;
}

/* "[,] 10:30 [am|a.m.|PM] [GMT|ET]" after a date on its own line. */
static void skip_time(Cursor *c) {
  Cursor save = *c;
  skip_spaces(c);
  if (peek(c) == ',' || peek(c) == '|' || peek(c) == '-') {
    c->pos++;
    skip_spaces(c);
  }
  if (!clock_at(c)) {
    *c = save;
    return;
  }
  skip_spaces(c);
  for (int i = 0; i < 2; ++i) {
    Cursor before = *c;
    Word w;
    if (!word_at(c, &w) || w.letters > 4) {
      *c = before;
      break;
    }
    skip_spaces(c);
  }
}

/* "Published:", "Updated on", "Last updated:" before a date line. */
static void skip_date_label(Cursor *c) {
  static const char *const labels[] = {"published", "updated", "posted", "date", NULL};
  Cursor save = *c;
  Word w;
  if (!word_at(c, &w)) return;
  if (word_is(c->s + w.begin, w.end - w.begin, "last") ||
      word_is(c->s + w.begin, w.end - w.begin, "first")) {
    skip_spaces(c);
    if (!word_at(c, &w)) goto no;
  }
  if (find_word(c->s + w.begin, w.end - w.begin, labels) < 0) goto no;
  skip_spaces(c);
  Cursor before_on = *c;
  if (!word_at(c, &w) || !word_is(c->s + w.begin, w.end - w.begin, "on")) *c = before_on;
  if (peek(c) == ':') c->pos++;
  skip_spaces(c);
  return;
no:
  *c = save;
}

/* A line that holds only a date. */
static bool date_line(Cursor *c, size_t line_end, NgDate ref, NgDateline *out) {
  /* line_end: after the newline */
  size_t begin = c->pos;
  DateParts d;
  skip_date_label(c);
  if (!date_at(c, &d, false)) return false;
  skip_time(c);
  skip_spaces(c);
  if (peek(c) == '\r') c->pos++;
  if (!at_end(c)) return false;
  out->begin = begin;
  out->end = line_end; /* the newline goes too */
  out->place[0] = '\0';
  set_date(out, &d, true, ref);
  return true;
}

bool ng_dateline_find(const char *text, size_t len, NgDate ref, NgDateline *out) {
  size_t pos = 0;
  memset(out, 0, sizeof *out);
  for (int lines = 0; lines < SCAN_LINES && pos < len && pos < SCAN_BYTES;) {
    /* skip blank space: lines of nothing do not count */
    while (pos < len &&
           (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
      pos++;
    if (pos >= len || pos >= SCAN_BYTES) break;
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t line_end = nl ? (size_t)(nl - text) : len;
    Cursor c = {text, pos, line_end};
    if (date_line(&c, nl ? line_end + 1 : len, ref, out)) return true;
    c.pos = pos;
    if (wire_dateline(&c, ref, out)) return true;
    c.pos = pos;
    if (agency_dateline(&c, ref, out)) return true;
    memset(out, 0, sizeof *out);
    pos = line_end;
    lines++;
  }
  return false;
}
