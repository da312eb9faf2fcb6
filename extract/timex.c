/* timex.c - time expressions of one English news sentence, resolved
 * against the article date (TimeML TIMEX3 values, in the spirit of
 * HeidelTime's news rules).
 *
 * Two passes.  The first runs on every sentence and must be cheap: it only
 * looks for a digit or for a word that can anchor a time expression (a
 * capitalised month or weekday prefix, "today", "week", "ago", ...); most
 * sentences stop there.  The second cuts the sentence into a window of
 * tokens and tries a small hand-written grammar at every token.  A parse
 * gives a symbolic expression (a date with missing parts, a weekday, an
 * offset in days/weeks/months/years, a weekend, a season) that is only then
 * resolved against the reference date, so that ranges can lend a year to
 * their first half and the tense is guessed only when a reading needs it.
 *
 * No heap, no state outside the call: everything lives in a Scan on the
 * stack, which keeps the scanner usable from extraction threads.
 */
#include "timex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------- words */

/* Months and weekdays come first so that ids map to numbers. */
/* clang-format off */
typedef enum {
  W_NONE = 0,
  W_JAN, W_FEB, W_MAR, W_APR, W_MAY, W_JUN, W_JUL, W_AUG, W_SEP, W_OCT, W_NOV, W_DEC,
  W_MON, W_TUE, W_WED, W_THU, W_FRI, W_SAT, W_SUN,
  W_TODAY, W_TONIGHT, W_YESTERDAY, W_TOMORROW,
  W_MORNING, W_AFTERNOON, W_EVENING, W_NIGHT,
  W_DAY, W_WEEK, W_MONTH, W_YEAR, W_WEEKEND,
  W_SPRING, W_SUMMER, W_AUTUMN, W_WINTER,
  W_EARLY, W_EARLIER, W_LATE, W_LATER, W_MID,
  W_THIS, W_LAST, W_NEXT, W_PAST, W_COMING, W_PREVIOUS,
  W_THE, W_END, W_BEGINNING, W_START, W_MIDDLE,
  W_AGO, W_NOW, W_TIME, W_NUMWORD,
  W_AFTER, W_AND, W_AROUND, W_AT, W_BEFORE, W_BETWEEN, W_BY, W_DURING, W_FOR, W_FROM,
  W_IN, W_OF, W_ON, W_OR, W_OVER, W_SINCE, W_THROUGH, W_THROUGHOUT, W_TILL, W_TO, W_UNTIL
} WordId;

typedef struct {
  const char *text; /* lowercase */
  uint8_t len;
  uint8_t id;
  uint8_t val;      /* number words: the number */
  uint8_t abbr;     /* abbreviated month or weekday */
} Keyword;

#define KW(text, id, val, abbr) {text, sizeof(text) - 1, id, val, abbr}

/* The keywords by first letter: a word is compared with a dozen at most. */
static const Keyword KW_A[] = {
  KW("a", W_NUMWORD, 1, 0), KW("after", W_AFTER, 0, 0), KW("afternoon", W_AFTERNOON, 0, 0),
  KW("ago", W_AGO, 0, 0), KW("an", W_NUMWORD, 1, 0), KW("and", W_AND, 0, 0),
  KW("apr", W_APR, 0, 1), KW("april", W_APR, 0, 0), KW("around", W_AROUND, 0, 0),
  KW("at", W_AT, 0, 0), KW("aug", W_AUG, 0, 1), KW("august", W_AUG, 0, 0),
  KW("autumn", W_AUTUMN, 0, 0),
};
static const Keyword KW_B[] = {
  KW("before", W_BEFORE, 0, 0), KW("beginning", W_BEGINNING, 0, 0), KW("between", W_BETWEEN, 0, 0),
  KW("by", W_BY, 0, 0),
};
static const Keyword KW_C[] = {
  KW("coming", W_COMING, 0, 0),
};
static const Keyword KW_D[] = {
  KW("day", W_DAY, 0, 0), KW("days", W_DAY, 0, 0), KW("dec", W_DEC, 0, 1),
  KW("december", W_DEC, 0, 0), KW("during", W_DURING, 0, 0),
};
static const Keyword KW_E[] = {
  KW("earlier", W_EARLIER, 0, 0), KW("early", W_EARLY, 0, 0), KW("eight", W_NUMWORD, 8, 0),
  KW("eleven", W_NUMWORD, 11, 0), KW("end", W_END, 0, 0), KW("evening", W_EVENING, 0, 0),
};
static const Keyword KW_F[] = {
  KW("fall", W_AUTUMN, 0, 0), KW("feb", W_FEB, 0, 1), KW("february", W_FEB, 0, 0),
  KW("fifteen", W_NUMWORD, 15, 0), KW("fifty", W_NUMWORD, 50, 0), KW("five", W_NUMWORD, 5, 0),
  KW("for", W_FOR, 0, 0), KW("forty", W_NUMWORD, 40, 0), KW("four", W_NUMWORD, 4, 0),
  KW("fri", W_FRI, 0, 1), KW("friday", W_FRI, 0, 0), KW("from", W_FROM, 0, 0),
};
static const Keyword KW_I[] = {
  KW("in", W_IN, 0, 0),
};
static const Keyword KW_J[] = {
  KW("jan", W_JAN, 0, 1), KW("january", W_JAN, 0, 0), KW("jul", W_JUL, 0, 1),
  KW("july", W_JUL, 0, 0), KW("jun", W_JUN, 0, 1), KW("june", W_JUN, 0, 0),
};
static const Keyword KW_L[] = {
  KW("last", W_LAST, 0, 0), KW("late", W_LATE, 0, 0), KW("later", W_LATER, 0, 0),
};
static const Keyword KW_M[] = {
  KW("mar", W_MAR, 0, 1), KW("march", W_MAR, 0, 0), KW("may", W_MAY, 0, 0), KW("mid", W_MID, 0, 0),
  KW("middle", W_MIDDLE, 0, 0), KW("mon", W_MON, 0, 1), KW("monday", W_MON, 0, 0),
  KW("month", W_MONTH, 0, 0), KW("months", W_MONTH, 0, 0), KW("morning", W_MORNING, 0, 0),
};
static const Keyword KW_N[] = {
  KW("next", W_NEXT, 0, 0), KW("night", W_NIGHT, 0, 0), KW("nine", W_NUMWORD, 9, 0),
  KW("nov", W_NOV, 0, 1), KW("november", W_NOV, 0, 0), KW("now", W_NOW, 0, 0),
};
static const Keyword KW_O[] = {
  KW("oct", W_OCT, 0, 1), KW("october", W_OCT, 0, 0), KW("of", W_OF, 0, 0), KW("on", W_ON, 0, 0),
  KW("one", W_NUMWORD, 1, 0), KW("or", W_OR, 0, 0), KW("over", W_OVER, 0, 0),
};
static const Keyword KW_P[] = {
  KW("past", W_PAST, 0, 0), KW("previous", W_PREVIOUS, 0, 0),
};
static const Keyword KW_S[] = {
  KW("sat", W_SAT, 0, 1), KW("saturday", W_SAT, 0, 0), KW("sep", W_SEP, 0, 1),
  KW("sept", W_SEP, 0, 1), KW("september", W_SEP, 0, 0), KW("seven", W_NUMWORD, 7, 0),
  KW("since", W_SINCE, 0, 0), KW("six", W_NUMWORD, 6, 0), KW("spring", W_SPRING, 0, 0),
  KW("start", W_START, 0, 0), KW("summer", W_SUMMER, 0, 0), KW("sun", W_SUN, 0, 1),
  KW("sunday", W_SUN, 0, 0),
};
static const Keyword KW_T[] = {
  KW("ten", W_NUMWORD, 10, 0), KW("the", W_THE, 0, 0), KW("thirty", W_NUMWORD, 30, 0),
  KW("this", W_THIS, 0, 0), KW("three", W_NUMWORD, 3, 0), KW("through", W_THROUGH, 0, 0),
  KW("throughout", W_THROUGHOUT, 0, 0), KW("thu", W_THU, 0, 1), KW("thur", W_THU, 0, 1),
  KW("thurs", W_THU, 0, 1), KW("thursday", W_THU, 0, 0), KW("till", W_TILL, 0, 0),
  KW("time", W_TIME, 0, 0), KW("to", W_TO, 0, 0), KW("today", W_TODAY, 0, 0),
  KW("tomorrow", W_TOMORROW, 0, 0), KW("tonight", W_TONIGHT, 0, 0), KW("tue", W_TUE, 0, 1),
  KW("tues", W_TUE, 0, 1), KW("tuesday", W_TUE, 0, 0), KW("twelve", W_NUMWORD, 12, 0),
  KW("twenty", W_NUMWORD, 20, 0), KW("two", W_NUMWORD, 2, 0),
};
static const Keyword KW_U[] = {
  KW("until", W_UNTIL, 0, 0),
};
static const Keyword KW_W[] = {
  KW("wed", W_WED, 0, 1), KW("wednesday", W_WED, 0, 0), KW("week", W_WEEK, 0, 0),
  KW("weekend", W_WEEKEND, 0, 0), KW("weekends", W_WEEKEND, 0, 0), KW("weeks", W_WEEK, 0, 0),
  KW("winter", W_WINTER, 0, 0),
};
static const Keyword KW_Y[] = {
  KW("year", W_YEAR, 0, 0), KW("years", W_YEAR, 0, 0), KW("yesterday", W_YESTERDAY, 0, 0),
};

typedef struct {
  const Keyword *words;
  size_t n;
} KeywordList;

#define KWL(list) {list, NG_COUNTOF(list)}

static const KeywordList KEYWORDS_BY_LETTER[26] = {
  KWL(KW_A), KWL(KW_B), KWL(KW_C), KWL(KW_D), KWL(KW_E), KWL(KW_F),
  {NULL, 0}, {NULL, 0}, KWL(KW_I), KWL(KW_J), {NULL, 0}, KWL(KW_L),
  KWL(KW_M), KWL(KW_N), KWL(KW_O), KWL(KW_P), {NULL, 0}, {NULL, 0},
  KWL(KW_S), KWL(KW_T), KWL(KW_U), {NULL, 0}, KWL(KW_W), {NULL, 0},
  KWL(KW_Y), {NULL, 0}};

/* clang-format on */

enum { KEYWORD_MAX_LEN = 10 };

/* low: a lowercase ASCII word of n letters (n >= 1). */
static const Keyword *keyword_find(const char *low, size_t n) {
  unsigned letter = (unsigned)(low[0] - 'a');
  if (letter >= 26 || n > KEYWORD_MAX_LEN) return NULL;
  const KeywordList *list = &KEYWORDS_BY_LETTER[letter];
  for (size_t k = 0; k < list->n; ++k) {
    const Keyword *kw = &list->words[k];
    if (kw->len == n && kw->text[n - 1] == low[n - 1] && !memcmp(kw->text, low, n)) return kw;
  }
  return NULL;
}

static bool ascii_alpha(unsigned char c) { return (unsigned)((c | 32) - 'a') < 26u; }
static bool ascii_digit(unsigned char c) { return (unsigned)(c - '0') < 10u; }
static bool ascii_upper(unsigned char c) { return (unsigned)(c - 'A') < 26u; }
static char ascii_lower(unsigned char c) { return (char)(ascii_upper(c) ? c + 32 : c); }

/* True if s[0..n) equals the lowercase word w, ignoring ASCII case. */
static bool eq_nocase(const char *s, size_t n, const char *w) {
  for (size_t i = 0; i < n; ++i)
    if (!w[i] || ascii_lower((unsigned char)s[i]) != w[i]) return false;
  return w[n] == '\0';
}

static bool in_list(const char *s, size_t n, const char *const *list) {
  for (; *list; ++list)
    if (eq_nocase(s, n, *list)) return true;
  return false;
}

/* ---------------------------------------------------------- quick filter */

#define PACK3(a, b, c) (((uint32_t)(a) << 16) | ((uint32_t)(b) << 8) | (uint32_t)(c))

/* A capitalised word starting like a month or a weekday. */
static bool calendar_prefix(const char *w) {
  switch (PACK3(ascii_lower((unsigned char)w[0]), ascii_lower((unsigned char)w[1]),
                ascii_lower((unsigned char)w[2]))) {
  case PACK3('j', 'a', 'n'):
  case PACK3('f', 'e', 'b'):
  case PACK3('m', 'a', 'r'):
  case PACK3('a', 'p', 'r'):
  case PACK3('m', 'a', 'y'):
  case PACK3('j', 'u', 'n'):
  case PACK3('j', 'u', 'l'):
  case PACK3('a', 'u', 'g'):
  case PACK3('s', 'e', 'p'):
  case PACK3('o', 'c', 't'):
  case PACK3('n', 'o', 'v'):
  case PACK3('d', 'e', 'c'):
  case PACK3('m', 'o', 'n'):
  case PACK3('t', 'u', 'e'):
  case PACK3('w', 'e', 'd'):
  case PACK3('t', 'h', 'u'):
  case PACK3('f', 'r', 'i'):
  case PACK3('s', 'a', 't'):
  case PACK3('s', 'u', 'n'): return true;
  default: return false;
  }
}

/* A word without which no rule of the grammar can match: every rule holds a
 * digit, a (capitalised) month or weekday, or one of these words.  This
 * runs on every word of every sentence, hence the switch on the length. */
static bool anchor_word(const char *w, size_t n) {
  if (n < 3 || n > 9) return false;
  if (ascii_upper((unsigned char)w[0]) && calendar_prefix(w)) return true;
  /* the first letters of the words below: most words stop here */
  enum { FIRST = 1u << ('a' - 'a') | 1u << ('d' - 'a') | 1u << ('e' - 'a') | 1u << ('f' - 'a') |
                 1u << ('m' - 'a') | 1u << ('n' - 'a') | 1u << ('s' - 'a') | 1u << ('t' - 'a') |
                 1u << ('w' - 'a') | 1u << ('y' - 'a') };
  if (!(FIRST >> (((unsigned char)w[0] | 32) - 'a') & 1)) return false;
  char low[9];
  for (size_t i = 0; i < n; ++i)
    low[i] = ascii_lower((unsigned char)w[i]);
#define IS(word) (!memcmp(low, word, n))
  switch (n) {
  case 3: return IS("day") || IS("ago");
  case 4: return IS("days") || IS("week") || IS("year") || IS("fall");
  case 5: return IS("weeks") || IS("month") || IS("years") || IS("today") || IS("night");
  case 6: return IS("months") || IS("summer") || IS("spring") || IS("autumn") || IS("winter");
  case 7: return IS("tonight") || IS("weekend") || IS("morning") || IS("evening");
  case 8: return IS("tomorrow") || IS("weekends");
  default: return IS("yesterday") || IS("afternoon");
  }
#undef IS
}

/* Digits alone make a time expression only as a year or in a numeric
 * date, and both hold a run of four digits: the other rules that read
 * numbers ("2 October", "3 days ago", "in 5 years") need a month or a unit,
 * which are anchor words.  So a sentence of amounts ("20%", "$1m",
 * "522,000") is not scanned. */
static bool may_hold_timex(const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0;
  while (i < len) {
    if (ascii_digit(s[i])) {
      size_t j = i + 1;
      while (j < len && ascii_digit(s[j]))
        ++j;
      if (j - i == 4) return true;
      i = j;
      continue;
    }
    if (!ascii_alpha(s[i])) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < len && ascii_alpha(s[j]))
      ++j;
    if (anchor_word(text + i, j - i)) return true;
    i = j;
  }
  return false;
}

/* ---------------------------------------------------------------- tokens */

typedef enum { T_END, T_WORD, T_NUM, T_ORD, T_PUNCT, T_OTHER } TokKind;

enum {
  F_SPACE = 1, /* white space before the token */
  F_CAP = 2,   /* first letter upper case */
  F_ABBR = 4,  /* abbreviated month or weekday */
  F_DASH = 8   /* a hyphen or any Unicode dash */
};

typedef struct {
  size_t begin, end; /* byte offsets */
  uint32_t cp;       /* T_PUNCT: the character; single quotes folded to '\'' */
  int num;           /* T_NUM, T_ORD: the value (-1: too long); number words too */
  uint8_t kind, flags, ndig, word;
} Tok;

/* Tokens live in a window: LOOKBACK tokens before the current one and at
 * least LOOKAHEAD after it stay available, which bounds every rule. */
enum { TOK_MAX = 256, LOOKBACK = 8, LOOKAHEAD = 48 };

/* How to read a name that recurs (a weekday, a month, a day of the year)
 * when nothing says which occurrence: the last one, the next one, the
 * closest one, or the closest one counting the future twice as far, since
 * news mostly reports what happened. */
typedef enum { POL_PAST, POL_FUTURE, POL_NEAREST, POL_NEWS } Policy;

typedef struct {
  const char *text;
  size_t len;
  NgDate ref;
  NgTense tense;
  size_t pos;    /* next byte to tokenise */
  long last_end; /* window index just past the last match, or -1 */
  size_t ntok;
  Tok end_tok; /* returned for indices outside the window */
  Tok toks[TOK_MAX];
} Scan;

typedef enum { CP_SPACE, CP_DASH, CP_QUOTE, CP_PUNCT, CP_LETTER } CpClass;

static CpClass classify_cp(uint32_t cp) {
  if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
      cp == 0x3000 || cp == 0xFEFF || cp == 0x85)
    return CP_SPACE;
  if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212) return CP_DASH;
  if (cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x2032) return CP_QUOTE;
  if ((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
      (cp >= 0xFF00 && cp <= 0xFF0F))
    return CP_PUNCT;
  return CP_LETTER;
}

/* Skips white space from *i; returns whether there was any. */
static bool skip_space(const unsigned char *s, size_t len, size_t *i) {
  bool space = false;
  while (*i < len) {
    uint32_t cp;
    size_t n;
    if (s[*i] == ' ' || (s[*i] >= '\t' && s[*i] <= '\r'))
      n = 1;
    else if (s[*i] < 0x80)
      break;
    else if (!(n = ng_utf8_decode(s + *i, len - *i, &cp)) || classify_cp(cp) != CP_SPACE)
      break;
    *i += n;
    space = true;
  }
  return space;
}

static void classify_word(const char *text, Tok *t, size_t nlet) {
  t->kind = T_WORD;
  if (ascii_upper((unsigned char)text[t->begin])) t->flags |= F_CAP;
  if (nlet > KEYWORD_MAX_LEN) return;
  char low[KEYWORD_MAX_LEN + 1];
  for (size_t i = 0; i < nlet; ++i) low[i] = ascii_lower((unsigned char)text[t->begin + i]);
  low[nlet] = '\0';
  const Keyword *k = keyword_find(low, nlet);
  if (!k) return;
  t->word = k->id;
  t->num = k->val;
  if (k->abbr) t->flags |= F_ABBR;
}

/* A run of letters and digits (non-ASCII letters included). */
static void read_alnum(Scan *sc, Tok *t) {
  const unsigned char *s = (const unsigned char *)sc->text;
  size_t j = t->begin, ndig = 0, nlet = 0;
  bool other = false;
  long value = 0;
  while (j < sc->len) {
    uint32_t cp;
    size_t n;
    if (ascii_digit(s[j])) {
      if (nlet) other = true; /* "A320", "COVID19" */
      if (ndig < 9) value = value * 10 + (s[j] - '0');
      ndig++, j++;
    } else if (ascii_alpha(s[j])) {
      nlet++, j++;
    } else if (s[j] >= 0x80 && (n = ng_utf8_decode(s + j, sc->len - j, &cp)) &&
               classify_cp(cp) == CP_LETTER) {
      other = true, j += n;
    } else {
      break;
    }
  }
  t->end = j;
  t->ndig = (uint8_t)(ndig > 255 ? 255 : ndig);
  t->num = ndig > 9 ? -1 : (int)value;
  if (other) {
    t->kind = T_OTHER;
  } else if (!nlet) {
    t->kind = T_NUM;
  } else if (!ndig) {
    classify_word(sc->text, t, nlet);
  } else if (nlet == 2 && ndig <= 2 &&
             (eq_nocase(sc->text + j - 2, 2, "st") || eq_nocase(sc->text + j - 2, 2, "nd") ||
              eq_nocase(sc->text + j - 2, 2, "rd") || eq_nocase(sc->text + j - 2, 2, "th"))) {
    t->kind = T_ORD; /* digits come first: a letter before them made it "other" */
  } else {
    t->kind = T_OTHER; /* "1990s", "10am" */
  }
}

static bool next_token(Scan *sc, Tok *t) {
  const unsigned char *s = (const unsigned char *)sc->text;
  size_t i = sc->pos;
  bool space = skip_space(s, sc->len, &i);
  if (i >= sc->len) {
    sc->pos = i;
    return false;
  }
  memset(t, 0, sizeof *t);
  t->begin = i;
  t->flags = space ? F_SPACE : 0;
  uint32_t cp = s[i];
  size_t n = 1;
  if (s[i] >= 0x80 && !(n = ng_utf8_decode(s + i, sc->len - i, &cp))) {
    n = 1, cp = 0xFFFD; /* invalid byte: punctuation of its own */
  }
  CpClass cls =
      cp < 0x80 ? (ascii_alpha(s[i]) || ascii_digit(s[i]) ? CP_LETTER : CP_PUNCT) : classify_cp(cp);
  if (cp == 0xFFFD && n == 1) cls = CP_PUNCT;
  if (cls == CP_LETTER) {
    read_alnum(sc, t);
  } else {
    t->kind = T_PUNCT;
    t->end = i + n;
    t->cp = cls == CP_QUOTE ? '\'' : cp;
    if (cls == CP_DASH || cp == '-') t->flags |= F_DASH;
  }
  sc->pos = t->end;
  return true;
}

static void fill(Scan *sc) {
  while (sc->ntok < TOK_MAX && next_token(sc, &sc->toks[sc->ntok]))
    sc->ntok++;
}

static const Tok *tk(const Scan *sc, long i) {
  return i >= 0 && (size_t)i < sc->ntok ? &sc->toks[i] : &sc->end_tok;
}

static bool is_word(const Tok *t, WordId w) { return t->kind == T_WORD && t->word == w; }
static bool is_punct(const Tok *t, uint32_t c) { return t->kind == T_PUNCT && t->cp == c; }
static bool is_dash(const Tok *t) { return t->kind == T_PUNCT && (t->flags & F_DASH); }
static bool attached(const Tok *t) { return !(t->flags & F_SPACE); }
static bool tok_in(const Scan *sc, const Tok *t, const char *const *list) {
  return t->kind == T_WORD && in_list(sc->text + t->begin, t->end - t->begin, list);
}

/* Month and weekday names count only when capitalised ("may", "march",
 * "sun" and "wed" are ordinary words). */
static int month_of(const Tok *t) {
  return t->kind == T_WORD && t->word >= W_JAN && t->word <= W_DEC && (t->flags & F_CAP)
             ? t->word - W_JAN + 1
             : 0;
}
static int weekday_of(const Tok *t) { /* 1 = Monday .. 7 = Sunday, 0: none */
  return t->kind == T_WORD && t->word >= W_MON && t->word <= W_SUN && (t->flags & F_CAP)
             ? t->word - W_MON + 1
             : 0;
}
static bool is_day_num(const Tok *t) {
  return (t->kind == T_NUM || t->kind == T_ORD) && t->ndig <= 2 && t->num >= 1 && t->num <= 31;
}
static bool is_part_of_day(const Tok *t) {
  return t->kind == T_WORD && t->word >= W_MORNING && t->word <= W_NIGHT;
}
static bool is_unit(const Tok *t) {
  return t->kind == T_WORD && t->word >= W_DAY && t->word <= W_YEAR;
}
static int season_of(const Tok *t) { /* 1 spring .. 4 winter */
  return t->kind == T_WORD && t->word >= W_SPRING && t->word <= W_WINTER ? t->word - W_SPRING + 1
                                                                         : 0;
}
static bool is_currency(uint32_t cp) {
  return cp == '$' || cp == '#' || cp == 0xA3 || cp == 0xA5 || cp == 0x20AC || cp == 0x20B9;
}

/* Number punctuation glued on both sides: "2,003", "20.03", "10/02". */
static bool glued_number_before(const Scan *sc, long i) {
  const Tok *p = tk(sc, i - 1), *q = tk(sc, i - 2);
  return attached(tk(sc, i)) && p->kind == T_PUNCT &&
         (p->cp == ',' || p->cp == '.' || p->cp == ':' || p->cp == '/') && attached(p) &&
         q->kind == T_NUM;
}
static bool glued_number_after(const Scan *sc, long i) {
  const Tok *p = tk(sc, i + 1), *q = tk(sc, i + 2);
  if (p->kind == T_PUNCT && p->cp == '%') return true;
  return attached(p) && p->kind == T_PUNCT &&
         (p->cp == ',' || p->cp == '.' || p->cp == ':' || p->cp == '/') && attached(q) &&
         q->kind == T_NUM;
}

/* ----------------------------------------------------------- expressions */

typedef enum { E_ABS, E_WEEKDAY, E_REL, E_WEEKEND, E_SEASON } ExprKind;
typedef enum { D_NONE, D_THIS, D_LAST, D_NEXT } Dir;

/* What a rule parsed, before resolution. */
typedef struct {
  ExprKind kind;
  int year, month, day; /* E_ABS: year 0 = take it from the reference date */
  int weekday;          /* E_WEEKDAY: 1 = Monday */
  int season;           /* E_SEASON: 1 = spring */
  NgGranularity unit;   /* E_REL */
  int offset;           /* E_REL: in units */
  Dir dir;              /* this/last/next; D_NONE for a bare name */
  Policy fallback;      /* reading when the tense gives no clue */
} Expr;

typedef struct {
  Expr e;
  long begin, end; /* window indices, [begin, end) */
} Parse;

static void set_abs(Parse *p, long begin, long end, int year, int month, int day) {
  memset(p, 0, sizeof *p);
  p->e.kind = E_ABS;
  p->e.year = year, p->e.month = month, p->e.day = day;
  /* A day-month without a year is usually near the article date ("January
   * 5" said on December 28); a bare month or weekday in news is past. */
  p->e.fallback = day ? POL_NEWS : POL_PAST;
  p->begin = begin, p->end = end;
}

static void set_rel(Parse *p, long begin, long end, NgGranularity unit, int offset) {
  memset(p, 0, sizeof *p);
  p->e.kind = E_REL;
  p->e.unit = unit, p->e.offset = offset;
  p->begin = begin, p->end = end;
}

static void set_kind(Parse *p, long begin, long end, ExprKind kind, Dir dir) {
  memset(p, 0, sizeof *p);
  p->e.kind = kind;
  p->e.dir = dir;
  p->e.fallback = POL_PAST;
  p->begin = begin, p->end = end;
}

static NgGranularity unit_of(const Tok *t) {
  switch (t->word) {
  case W_DAY: return NG_GRAN_DAY;
  case W_WEEK: return NG_GRAN_WEEK;
  case W_MONTH: return NG_GRAN_MONTH;
  case W_YEAR: return NG_GRAN_YEAR;
  default: return NG_GRAN_NONE;
  }
}

/* Words before a bare number that make it a count, a label or an amount. */
static const char *const NUMBER_LABELS[] = {
    "flight",  "flights",   "resolution", "route",         "no",      "nos",
    "number",  "article",   "section",    "room",          "page",    "pages",
    "chapter", "bus",       "highway",    "platform",      "gate",    "model",
    "code",    "paragraph", "item",       "line",          "unit",    "volume",
    "vol",     "apartment", "suite",      "rule",          "bill",    "hall",
    "channel", "row",       "seat",       "card",          "pin",     "ref",
    "than",    "nearly",    "almost",     "approximately", "roughly", "some",
    "exactly", "total",     "totalling",  "totaling",      "least",   "score",
    "rank",    "ranked",    NULL};

/* Words after a bare number that make it a count or a measure. */
static const char *const NUMBER_UNITS[] = {
    "people",        "persons",   "residents",  "citizens",  "civilians",    "soldiers",
    "troops",        "police",    "policemen",  "officers",  "workers",      "employees",
    "staff",         "members",   "students",   "children",  "kids",         "women",
    "men",           "families",  "households", "homes",     "houses",       "jobs",
    "deaths",        "dead",      "killed",     "injured",   "wounded",      "cases",
    "votes",         "voters",    "seats",      "delegates", "participants", "protesters",
    "demonstrators", "refugees",  "migrants",   "prisoners", "detainees",    "passengers",
    "tourists",      "visitors",  "fans",       "km",        "kilometres",   "kilometers",
    "miles",         "metres",    "meters",     "feet",      "foot",         "ft",
    "square",        "acres",     "hectares",   "tons",      "tonnes",       "kg",
    "kilograms",     "pounds",    "lbs",        "dollars",   "euros",        "yen",
    "pesos",         "rupees",    "barrels",    "litres",    "liters",       "gallons",
    "units",         "copies",    "pages",      "words",     "points",       "calories",
    "years",         "days",      "hours",      "minutes",   "seconds",      "weeks",
    "months",        "rounds",    "shots",      "cars",      "vehicles",     "trucks",
    "ships",         "planes",    "aircraft",   "flights",   "pupils",       "patients",
    "beds",          "doctors",   "nurses",     "mw",        "gw",           "kw",
    "megawatts",     "times",     "percent",    "per",       "million",      "billion",
    "thousand",      "trillion",  "gmt",        "utc",       "bst",          "est",
    "hrs",           "local",     "others",     "more",      "of",           "new",
    "signatures",    "companies", "firms",      NULL};

/* A four-digit number that reads as a year on its own ("in 2003", "the
 * 2003 invasion"), not as an amount ("2003 people", "$2003", "2,003"). */
static bool bare_year_ok(const Scan *sc, long i) {
  const Tok *t = tk(sc, i), *prev = tk(sc, i - 1), *next = tk(sc, i + 1);
  if (t->kind != T_NUM || t->ndig != 4 || t->num < 1900 || t->num > 2099) return false;
  if (glued_number_before(sc, i) || glued_number_after(sc, i)) return false;
  if (prev->kind == T_NUM || prev->kind == T_ORD) return false;
  if (is_punct(prev, ',') && is_day_num(tk(sc, i - 2))) return false; /* "February 29, 2021" */
  if (prev->kind == T_PUNCT && is_currency(prev->cp)) return false;
  if (prev->kind == T_OTHER && attached(t)) return false; /* "US$2003" split oddly, "A2003" */
  if (tok_in(sc, prev, NUMBER_LABELS)) return false;
  if (tok_in(sc, next, NUMBER_UNITS)) return false;
  return true;
}

/* A year after a month or a day: ", 2020", " 2020", " of 2020". */
static bool year_after(const Scan *sc, long k, int *year, long *end) {
  if (is_punct(tk(sc, k), ',') || is_word(tk(sc, k), W_OF)) k++;
  const Tok *t = tk(sc, k);
  if (t->kind != T_NUM || t->ndig != 4 || t->num < 1000 || t->num > 2999) return false;
  if (glued_number_after(sc, k) || tok_in(sc, tk(sc, k + 1), NUMBER_UNITS)) return false;
  *year = t->num;
  *end = k + 1;
  return true;
}

/* A day of the month after a month name, not part of a bigger number. */
static bool day_after(const Scan *sc, long k, int *day) {
  const Tok *t = tk(sc, k);
  if (!is_day_num(t) || glued_number_after(sc, k)) return false;
  *day = t->num;
  return true;
}

static bool day_fits(int year, int month, int day) {
  return day <= ng_days_in_month(year ? year : 2000, month); /* 2000: Feb 29 exists */
}

/* Words before a bare month name that make it a month. */
static bool month_cue(const Tok *t, bool may) {
  if (t->kind != T_WORD) return false;
  switch (t->word) {
  case W_IN:
  case W_SINCE:
  case W_UNTIL:
  case W_TILL:
  case W_DURING:
  case W_THROUGHOUT:
  case W_OF:
  case W_THROUGH: return true;
  case W_BEFORE:
  case W_AFTER:
  case W_FROM:
  case W_BY:
  case W_BETWEEN:
  case W_AROUND: return !may; /* "after May", "by May": likely Theresa May */
  default: return false;
  }
}

/* Whether a month name with no day or year next to it is a month: "May" only
 * after a cue, "March" not when it marches, names not next to names. */
static bool bare_month_ok(const Scan *sc, long i, int month, bool strong) {
  static const char *const marching[] = {
      "on",     "for",   "against", "to", "through", "from", "toward", "towards", "into", "past",
      "across", "along", "down",    "up", "out",     "of",   "with",   "in",      NULL};
  const Tok *prev = tk(sc, i - 1), *next = tk(sc, i + 1);
  if (strong || month_cue(prev, month == 5)) return true;
  if (month == 5) return false;
  if (prev->kind == T_WORD && (prev->flags & F_CAP) && prev->word == W_NONE) return false;
  if (next->kind == T_WORD && (next->flags & F_CAP) && next->word == W_NONE) return false;
  if (month == 3 && tok_in(sc, next, marching)) return false;
  return true;
}

/* The abbreviation dot of "Oct." or "Wed." */
static long skip_abbr_dot(const Scan *sc, long i) {
  const Tok *t = tk(sc, i);
  return (t->flags & F_ABBR) && is_punct(tk(sc, i + 1), '.') && attached(tk(sc, i + 1)) ? i + 2
                                                                                        : i + 1;
}

/* "October 2", "Oct. 2nd, 2020", "March 3-5", "October 2020", "March". */
static bool parse_month_led(const Scan *sc, long i, bool strong, Parse *p) {
  const Tok *t = tk(sc, i);
  int month = month_of(t), day = 0, year = 0;
  if (!month) return false;
  long k = skip_abbr_dot(sc, i), end;
  if (day_after(sc, k, &day)) {
    end = k + 1;
    if (is_dash(tk(sc, end)) && is_day_num(tk(sc, end + 1)) && tk(sc, end + 1)->num > day)
      end += 2; /* a range of days: the first one is the value */
    if (!year_after(sc, end, &year, &end)) year = 0;
    if (!day_fits(year, month, day)) return false;
    set_abs(p, i, end, year, month, day);
    return true;
  }
  if (year_after(sc, k, &year, &end)) {
    set_abs(p, i, end, year, month, 0);
    return true;
  }
  /* "in Dec." yes, but a bare "Mar" or "Jun" is more often a name. */
  bool dotted = k == i + 2;
  if ((t->flags & F_ABBR) && !(dotted && (strong || month_cue(tk(sc, i - 1), false)))) return false;
  if (!bare_month_ok(sc, i, month, strong)) return false;
  set_abs(p, i, k, 0, month, 0);
  return true;
}

/* "2 October", "2nd of October 2020", "3-5 March". */
static bool parse_day_led(const Scan *sc, long i, Parse *p) {
  const Tok *t = tk(sc, i);
  if (!is_day_num(t) || glued_number_before(sc, i)) return false;
  long k = i + 1;
  if (is_dash(tk(sc, k)) && is_day_num(tk(sc, k + 1)) && tk(sc, k + 1)->num > t->num) k += 2;
  if (is_word(tk(sc, k), W_OF)) k++;
  int month = month_of(tk(sc, k)), year = 0;
  if (!month) return false;
  long end = skip_abbr_dot(sc, k);
  if (!year_after(sc, end, &year, &end)) year = 0;
  if (!day_fits(year, month, t->num)) return false;
  set_abs(p, i, end, year, month, t->num);
  return true;
}

/* "2020-10-02", "2020/10/02", "25/11/2020", "11/25/2020", "25.11.2020";
 * a day-month order that cannot be told apart ("10/02/2020") is skipped. */
static bool parse_numeric_date(const Scan *sc, long i, Parse *p) {
  const Tok *a = tk(sc, i), *s1 = tk(sc, i + 1), *b = tk(sc, i + 2), *s2 = tk(sc, i + 3),
            *c = tk(sc, i + 4);
  if (a->kind != T_NUM || s1->kind != T_PUNCT || b->kind != T_NUM || c->kind != T_NUM) return false;
  if (s1->cp != s2->cp || s2->kind != T_PUNCT) return false;
  if (!attached(s1) || !attached(b) || !attached(s2) || !attached(c)) return false;
  if (glued_number_before(sc, i) || glued_number_after(sc, i + 4)) return false;
  if (b->ndig > 2) return false;
  int year, month, day;
  if (a->ndig == 4 && c->ndig <= 2 && (s1->cp == '-' || s1->cp == '/')) {
    year = a->num, month = b->num, day = c->num;
  } else if (a->ndig <= 2 && c->ndig == 4 && (s1->cp == '/' || s1->cp == '.' || s1->cp == '-')) {
    year = c->num;
    if (s1->cp == '.' || (a->num > 12 && b->num <= 12))
      day = a->num, month = b->num;
    else if (b->num > 12 && a->num <= 12)
      month = a->num, day = b->num;
    else if (a->num == b->num)
      day = month = a->num;
    else
      return false;
  } else {
    return false;
  }
  NgDate d = {year, month, day};
  if (!day || !ng_date_is_valid(d)) return false;
  set_abs(p, i, i + 5, year, month, day);
  return true;
}

/* "2003", and "2019-20" (a season across two years: the first). */
static bool parse_year(const Scan *sc, long i, Parse *p) {
  if (!bare_year_ok(sc, i)) return false;
  const Tok *t = tk(sc, i), *dash = tk(sc, i + 1), *yy = tk(sc, i + 2);
  long end = i + 1;
  if (is_dash(dash) && attached(dash) && yy->kind == T_NUM && yy->ndig == 2 && attached(yy) &&
      yy->num == (t->num + 1) % 100)
    end = i + 3;
  set_abs(p, i, end, t->num, 0, 0);
  return true;
}

/* "two days ago", "a year ago", "5 years ago", "three weeks from now". */
static bool parse_ago(const Scan *sc, long i, Parse *p) {
  const Tok *n = tk(sc, i), *u = tk(sc, i + 1), *after = tk(sc, i + 2);
  bool count = (n->kind == T_NUM && n->ndig <= 3) || is_word(n, W_NUMWORD);
  if (!count || !is_unit(u) || n->num <= 0) return false;
  if (is_word(after, W_AGO)) {
    set_rel(p, i, i + 3, unit_of(u), -n->num);
    return true;
  }
  if (is_word(after, W_FROM) && is_word(tk(sc, i + 3), W_NOW)) {
    set_rel(p, i, i + 4, unit_of(u), n->num);
    return true;
  }
  return false;
}

static bool parse_number_led(const Scan *sc, long i, Parse *p) {
  return parse_numeric_date(sc, i, p) || parse_ago(sc, i, p) || parse_day_led(sc, i, p) ||
         parse_year(sc, i, p);
}

/* Where a weekday is not a day: "Good Friday", "the Sunday Times", "every
 * Monday", "on a Tuesday". */
static bool weekday_blocked(const Scan *sc, long i) {
  static const char *const any[] = {"a", "an", "every", "each", "any", NULL};
  static const char *const before[] = {"good",   "bloody", "easter", "holy",   "palm",
                                       "ash",    "super",  "black",  "cyber",  "maundy",
                                       "shrove", "whit",   "low",    "giving", NULL};
  static const char *const after[] = {
      "times",   "telegraph",   "mirror",   "express", "herald",   "post", "mail",
      "tribune", "independent", "observer", "sport",   "people",   "star", "club",
      "league",  "agreement",   "school",   "service", "massacre", NULL};
  const Tok *prev = tk(sc, i - 1), *next = tk(sc, i + 1);
  return tok_in(sc, prev, any) || ((prev->flags & F_CAP) && tok_in(sc, prev, before)) ||
         ((next->flags & F_CAP) && tok_in(sc, next, after));
}

/* "Wednesday", "Friday evening", "Wednesday, October 2", "Sat., Oct. 3". */
static bool parse_weekday_led(const Scan *sc, long i, Parse *p) {
  const Tok *t = tk(sc, i);
  int wd = weekday_of(t);
  if (!wd || weekday_blocked(sc, i)) return false;
  long k = skip_abbr_dot(sc, i);
  long d = is_punct(tk(sc, k), ',') ? k + 1 : k;
  if ((parse_month_led(sc, d, true, p) || parse_day_led(sc, d, p)) && p->e.day) {
    p->begin = i;
    return true;
  }
  if (t->flags & F_ABBR) return false; /* "Mon", "Sun", "Wed" alone are too risky */
  long end = is_part_of_day(tk(sc, i + 1)) ? i + 2 : i + 1;
  set_kind(p, i, end, E_WEEKDAY, D_NONE);
  p->e.weekday = wd;
  return true;
}

/* "today", "yesterday morning", "tonight", "tomorrow". */
static bool parse_relday(const Scan *sc, long i, Parse *p) {
  static const char *const shows[] = {"programme", "program", "show", NULL};
  static const char *const papers[] = {"usa", NULL};
  const Tok *t = tk(sc, i), *next = tk(sc, i + 1);
  if (tok_in(sc, next, shows) || tok_in(sc, tk(sc, i - 1), papers)) return false;
  int offset = t->word == W_YESTERDAY ? -1 : t->word == W_TOMORROW ? 1 : 0;
  long end = t->word != W_TONIGHT && is_part_of_day(next) ? i + 2 : i + 1;
  set_rel(p, i, end, NG_GRAN_DAY, offset);
  return true;
}

/* "this week", "last month", "next year", "last Wednesday", "next March",
 * "this past weekend", "last summer", "last night", "this morning". */
static bool parse_dir(const Scan *sc, long i, Parse *p) {
  static const char *const counters[] = {"the", "a", "an", "every", "each", "its", "their", NULL};
  const Tok *t = tk(sc, i);
  if (tok_in(sc, tk(sc, i - 1), counters)) return false; /* "the last week of" */
  Dir dir = t->word == W_LAST ? D_LAST : t->word == W_NEXT ? D_NEXT : D_THIS;
  long k = i + 1;
  if (dir == D_THIS && is_word(tk(sc, k), W_PAST))
    dir = D_LAST, k++;
  else if (dir == D_THIS && is_word(tk(sc, k), W_COMING))
    dir = D_NEXT, k++;
  const Tok *u = tk(sc, k);
  int offset = dir == D_LAST ? -1 : dir == D_NEXT ? 1 : 0;
  if (u->kind != T_WORD) return false;
  if (u->word == W_WEEK || u->word == W_MONTH || u->word == W_YEAR) {
    set_rel(p, i, k + 1, unit_of(u), offset);
  } else if (u->word == W_WEEKEND) {
    set_kind(p, i, k + 1, E_WEEKEND, dir);
  } else if (weekday_of(u) && !(u->flags & F_ABBR)) {
    long end = is_part_of_day(tk(sc, k + 1)) ? k + 2 : k + 1;
    set_kind(p, i, end, E_WEEKDAY, dir);
    p->e.weekday = weekday_of(u);
  } else if (month_of(u)) {
    set_abs(p, i, skip_abbr_dot(sc, k), 0, month_of(u), 0);
    p->e.dir = dir;
  } else if (season_of(u)) {
    set_kind(p, i, k + 1, E_SEASON, dir);
    p->e.season = season_of(u);
  } else if ((dir == D_LAST && (u->word == W_EVENING || u->word == W_NIGHT)) ||
             (dir == D_THIS && is_part_of_day(u) && u->word != W_NIGHT)) {
    set_rel(p, i, k + 1, NG_GRAN_DAY, offset); /* "last night", "this morning" */
  } else {
    return false;
  }
  return true;
}

/* What may follow "early", "mid-", "the end of": a month, a year, or a
 * this/last/next phrase. */
static bool parse_period(const Scan *sc, long k, bool weekday_too, Parse *p) {
  const Tok *t = tk(sc, k);
  if (parse_month_led(sc, k, true, p) || parse_year(sc, k, p)) return true;
  if ((is_word(t, W_THIS) || is_word(t, W_LAST) || is_word(t, W_NEXT)) && parse_dir(sc, k, p))
    return true;
  return weekday_too && parse_weekday_led(sc, k, p);
}

/* "early 2020", "mid-October", "late last year", "earlier this month". */
static bool parse_mod(const Scan *sc, long i, Parse *p) {
  const Tok *t = tk(sc, i);
  long k = i + 1;
  if (t->word == W_MID && is_dash(tk(sc, k)) && attached(tk(sc, k))) k++;
  bool ok;
  if (t->word == W_EARLIER || t->word == W_LATER) {
    const Tok *u = tk(sc, k);
    ok = (is_word(u, W_THIS) || is_word(u, W_LAST) || is_word(u, W_NEXT)) && parse_dir(sc, k, p);
  } else {
    ok = parse_period(sc, k, t->word != W_MID, p);
  }
  if (!ok) return false;
  p->begin = i;
  return true;
}

/* "end of March", "the beginning of next year", "the end of the month";
 * begin is where the span starts ("the" or the edge word at k). */
static bool parse_edge(const Scan *sc, long begin, long k, Parse *p) {
  if (!is_word(tk(sc, k + 1), W_OF)) return false;
  long j = k + 2;
  const Tok *u = tk(sc, j + 1);
  if (is_word(tk(sc, j), W_THE) && is_unit(u) && !is_word(u, W_DAY)) {
    set_rel(p, begin, j + 2, unit_of(u), 0); /* "the end of the year": this one */
  } else if (!parse_period(sc, j, false, p)) {
    return false;
  }
  p->begin = begin;
  return true;
}

/* "the day before (yesterday)", "the previous day", "the weekend", "the
 * summer (of 2019)", "the end of ..." */
static bool parse_the(const Scan *sc, long i, Parse *p) {
  static const char *const season_cues[] = {"in",    "during", "over", "throughout", "through",
                                            "since", "until",  "till", "by",         NULL};
  /* "over the weekend", not "the weekend edition" */
  static const char *const weekend_cues[] = {"over",  "during", "at",      "on",         "for",
                                             "until", "till",   "through", "throughout", "since",
                                             "by",    "across", "into",    NULL};
  const Tok *u = tk(sc, i + 1), *v = tk(sc, i + 2), *w = tk(sc, i + 3);
  if (u->kind != T_WORD) return false;
  switch (u->word) {
  case W_END:
  case W_BEGINNING:
  case W_START:
  case W_MIDDLE: return parse_edge(sc, i, i + 1, p);
  case W_DAY:
    if (is_word(v, W_BEFORE) && is_word(w, W_YESTERDAY))
      set_rel(p, i, i + 4, NG_GRAN_DAY, -2);
    else if (is_word(v, W_AFTER) && is_word(w, W_TOMORROW))
      set_rel(p, i, i + 4, NG_GRAN_DAY, 2);
    else if (is_word(v, W_BEFORE) && (w->kind == T_PUNCT || w->kind == T_END))
      set_rel(p, i, i + 3, NG_GRAN_DAY, -1); /* not "the day before the vote" */
    else
      return false;
    return true;
  case W_PREVIOUS:
    if (!is_word(v, W_DAY)) return false;
    set_rel(p, i, i + 3, NG_GRAN_DAY, -1);
    return true;
  case W_WEEKEND:
    if (!tok_in(sc, tk(sc, i - 1), weekend_cues)) return false;
    set_kind(p, i, i + 2, E_WEEKEND, D_NONE);
    return true;
  default: break;
  }
  if (!season_of(u)) return false;
  int year;
  long end;
  if (is_word(v, W_OF) && year_after(sc, i + 2, &year, &end)) {
    set_abs(p, i, end, year, 0, 0);
    return true;
  }
  if (!tok_in(sc, tk(sc, i - 1), season_cues)) return false;
  set_kind(p, i, i + 2, E_SEASON, D_NONE);
  p->e.season = season_of(u);
  return true;
}

/* "summer 2019", "Summer of 2019" (a lowercase "fall" needs the "of"). */
static bool parse_season_led(const Scan *sc, long i, Parse *p) {
  const Tok *t = tk(sc, i);
  bool of = is_word(tk(sc, i + 1), W_OF);
  if (!of && !(t->flags & F_CAP) && eq_nocase(sc->text + t->begin, t->end - t->begin, "fall"))
    return false; /* "prices fall 2020"? rather not */
  int year;
  long end;
  if (!year_after(sc, i + 1, &year, &end)) return false;
  set_abs(p, i, end, year, 0, 0);
  return true;
}

static Policy policy_at(const Scan *sc, size_t begin, size_t end, Policy fallback);

/* "in two days", "in three weeks' time": only in the future tense, since
 * "the first time in two years" is a duration. */
static bool parse_in(const Scan *sc, long i, Parse *p) {
  const Tok *n = tk(sc, i + 1), *u = tk(sc, i + 2);
  bool count = (n->kind == T_NUM && n->ndig <= 3) || is_word(n, W_NUMWORD);
  if (!count || n->num <= 0 || !is_unit(u) || is_word(tk(sc, i + 3), W_AGO)) return false;
  long end = i + 3;
  if (is_punct(tk(sc, end), '\'') && attached(tk(sc, end)) && is_word(tk(sc, end + 1), W_TIME))
    end += 2;
  else if (is_word(tk(sc, end), W_TIME))
    end += 1;
  if (policy_at(sc, tk(sc, i)->begin, tk(sc, end - 1)->end, POL_PAST) != POL_FUTURE) return false;
  set_rel(p, i, end, unit_of(u), n->num);
  return true;
}

static bool parse_single(const Scan *sc, long i, bool strong, Parse *p) {
  const Tok *t = tk(sc, i);
  if (t->kind == T_NUM || t->kind == T_ORD) return parse_number_led(sc, i, p);
  if (t->kind != T_WORD || t->word == W_NONE) return false;
  if (t->word <= W_DEC) return parse_month_led(sc, i, strong, p);
  if (t->word <= W_SUN) return parse_weekday_led(sc, i, p);
  switch (t->word) {
  case W_TODAY:
  case W_TONIGHT:
  case W_YESTERDAY:
  case W_TOMORROW: return parse_relday(sc, i, p);
  case W_THIS:
  case W_LAST:
  case W_NEXT: return parse_dir(sc, i, p);
  case W_EARLY:
  case W_EARLIER:
  case W_LATE:
  case W_LATER:
  case W_MID: return parse_mod(sc, i, p);
  case W_THE: return parse_the(sc, i, p);
  case W_END:
  case W_BEGINNING:
  case W_START:
  case W_MIDDLE: return parse_edge(sc, i, i, p);
  case W_NUMWORD: return parse_ago(sc, i, p);
  case W_IN: return parse_in(sc, i, p);
  case W_SPRING:
  case W_SUMMER:
  case W_AUTUMN:
  case W_WINTER: return parse_season_led(sc, i, p);
  default: return false;
  }
}

/* Two dates or weekdays of the same shape joined by "-", "to", "through",
 * "until" or (after "between") "and": one match, the first as its value,
 * which borrows the year of the second ("from March to May 2020"). */
static void extend_range(const Scan *sc, Parse *p) {
  const Tok *c = tk(sc, p->end);
  bool conn = is_dash(c) || is_word(c, W_TO) || is_word(c, W_THROUGH) || is_word(c, W_UNTIL) ||
              is_word(c, W_TILL) || (is_word(c, W_AND) && is_word(tk(sc, p->begin - 1), W_BETWEEN));
  if (!conn || (p->e.kind != E_ABS && p->e.kind != E_WEEKDAY) || p->e.dir != D_NONE) return;
  Parse q;
  if (!parse_single(sc, p->end + 1, true, &q) || q.e.kind != p->e.kind || q.e.dir != D_NONE) return;
  Expr *x = &p->e;
  const Expr *y = &q.e;
  if (x->kind == E_ABS) {
    if ((x->month != 0) != (y->month != 0) || (x->day != 0) != (y->day != 0)) return;
    if (!x->year && y->year) {
      bool later = x->month > y->month || (x->month == y->month && x->day > y->day);
      x->year = y->year - (later ? 1 : 0);
    }
  }
  p->end = q.end;
}

/* A month after "and"/"or"/"to" right after another match ("in April and
 * May") needs no cue of its own. */
static bool strong_context(const Scan *sc, long i) {
  const Tok *c = tk(sc, i - 1);
  return sc->last_end == i - 1 && i >= 1 &&
         (is_word(c, W_AND) || is_word(c, W_OR) || is_word(c, W_TO) || is_punct(c, ','));
}

/* ---------------------------------------------------------------- tense */

static bool apostrophe_before(const unsigned char *s, size_t b) {
  return (b >= 1 && s[b - 1] == '\'') ||
         (b >= 3 && s[b - 3] == 0xE2 && s[b - 2] == 0x80 && s[b - 1] == 0x99);
}

static bool apostrophe_at(const unsigned char *s, size_t len, size_t i) {
  return (i < len && s[i] == '\'') ||
         (i + 2 < len && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x99);
}

typedef struct {
  char w[16], p1[16], p2[16]; /* this word and the two before, lowercase */
  size_t n;
  bool cap, apos_before, apos_after;
} CueWord;

static bool cue_is(const char *w, const char *const *list) {
  for (; *list; ++list) /* the first two letters first: most words differ there */
    if ((*list)[0] == w[0] && (*list)[1] == w[1] && !strcmp(w, *list)) return true;
  return false;
}

/* +1 for a future cue, -1 for a past cue, 0 otherwise. */
static int word_cue(const CueWord *c) {
  static const char *const future[] = {"will", "shall", "next", NULL};
  static const char *const going[] = {"going",  "due",    "expected", "scheduled", "set",
                                      "poised", "slated", "likely",   NULL};
  static const char *const planned[] = {"set", "scheduled", "slated",   "planned",
                                        "due", "forecast",  "expected", NULL};
  static const char *const to_be[] = {"is", "are", "am", "re", "s", "be", NULL};
  static const char *const intend[] = {"plans", "plan",     "intends",   "intend", "aims",
                                       "vows",  "promises", "threatens", NULL};
  static const char *const past[] = {
      "was",   "were",  "had",    "said",     "did",    "told",      "took",    "went",    "came",
      "made",  "gave",  "saw",    "met",      "held",   "left",      "began",   "lost",    "got",
      "found", "spoke", "became", "fell",     "rose",   "sent",      "brought", "thought", "kept",
      "paid",  "sold",  "stood",  "heard",    "ran",    "wrote",     "flew",    "fled",    "struck",
      "broke", "chose", "drew",   "drove",    "fought", "grew",      "knew",    "meant",   "shook",
      "shot",  "stole", "threw",  "withdrew", "sought", "taught",    "caught",  "bought",  "built",
      "spent", "felt",  "led",    "won",      "ago",    "yesterday", NULL};
  static const char *const not_past[] = {
      "need",     "seed",   "feed",    "speed",   "proceed", "exceed", "succeed",
      "indeed",   "breed",  "greed",   "weed",    "deed",    "heed",   "bleed",
      "creed",    "steed",  "hundred", "kindred", "sacred",  "naked",  "wicked",
      "wretched", "rugged", "ragged",  "beloved", "shed",    "embed",  NULL};
  static const char *const passive[] = {"be", "is", "are", "am",   "being",   "will",
                                        "to", "re", "get", "gets", "getting", NULL};
  if (c->apos_before) return !strcmp(c->w, "ll") ? 1 : 0;
  if (!strcmp(c->w, "won") && c->apos_after) return 1; /* "won't" */
  if (cue_is(c->w, future)) return 1;
  if (!strcmp(c->w, "to")) /* "is going to", "plans to" */
    return (cue_is(c->p1, going) && cue_is(c->p2, to_be)) || cue_is(c->p1, intend) ? 1 : 0;
  if (!strcmp(c->w, "for")) /* "is set for" */
    return cue_is(c->p1, planned) && cue_is(c->p2, to_be) ? 1 : 0;
  if (cue_is(c->w, past)) return -1;
  if (c->n >= 4 && c->n < sizeof c->w && !c->cap && !strcmp(c->w + c->n - 2, "ed") &&
      !cue_is(c->w, not_past) && !cue_is(c->p1, passive))
    return -1;
  return 0;
}

/* The tense nearest to text[mb..me): the closest cue word on either side
 * (the left one on a tie), so that "said on Monday that it will vote on
 * Friday" reads Monday as past and Friday as future.  Distances are in
 * words, and a comma, colon or semicolon between counts three: a cue in
 * the same clause is the better witness.  Only CUE_REACH bytes on either
 * side are read, which keeps a long run-on "sentence" linear. */
enum { CUE_REACH = 400 };

static int guess_tense(const char *text, size_t len, size_t mb, size_t me) {
  const unsigned char *s = (const unsigned char *)text;
  CueWord c;
  memset(&c, 0, sizeof c);
  long pos = 0, first = -1, last = -1, left_pos = 0;
  int left = 0;
  size_t i = mb > CUE_REACH ? mb - CUE_REACH : 0;
  while (i > 0 && i < mb && ascii_alpha(s[i - 1]) && ascii_alpha(s[i]))
    ++i; /* start on a word boundary */
  if (len - me > CUE_REACH) len = me + CUE_REACH;
  while (i < len) {
    if (!ascii_alpha(s[i])) {
      if (s[i] == ',' || s[i] == ';' || s[i] == ':') pos += 3;
      ++i;
      continue;
    }
    size_t b = i;
    while (i < len && ascii_alpha(s[i]))
      ++i;
    memcpy(c.p2, c.p1, sizeof c.p2);
    memcpy(c.p1, c.w, sizeof c.p1);
    c.n = i - b;
    ng_ascii_lower(text + b, c.n < sizeof c.w ? c.n : sizeof c.w - 1, c.w);
    c.cap = ascii_upper(s[b]);
    c.apos_before = apostrophe_before(s, b);
    c.apos_after = apostrophe_at(s, len, i);
    pos++;
    if (b >= mb && first < 0) first = pos, last = pos - 1;
    if (b >= mb && b < me) {
      last = pos;
      continue;
    }
    int cue = word_cue(&c);
    if (cue && b < mb)
      left = cue, left_pos = pos;
    else if (cue)
      return left && first - left_pos <= pos - last ? left : cue;
  }
  return left;
}

static Policy policy_at(const Scan *sc, size_t begin, size_t end, Policy fallback) {
  switch (sc->tense) {
  case NG_TENSE_PAST: return POL_PAST;
  case NG_TENSE_FUTURE: return POL_FUTURE;
  case NG_TENSE_PRESENT: return POL_NEAREST;
  default: break;
  }
  int cue = guess_tense(sc->text, sc->len, begin, end);
  return cue > 0 ? POL_FUTURE : cue < 0 ? POL_PAST : fallback;
}

/* ------------------------------------------------------------ resolution */

/* How to choose among the candidate dates around the reference. */
typedef enum { M_PAST, M_FUTURE, M_NEAREST, M_NEWS, M_BEFORE, M_AFTER } Mode;

static Mode mode_of(Dir dir, Policy pol) {
  if (dir == D_LAST) return M_BEFORE;
  if (dir == D_NEXT) return M_AFTER;
  switch (pol) {
  case POL_FUTURE: return M_FUTURE;
  case POL_NEAREST: return M_NEAREST;
  case POL_NEWS: return M_NEWS;
  default: return M_PAST;
  }
}

/* How far candidate c is from r for mode; -1 if mode excludes it.  The
 * smallest distance wins (the earlier candidate on a tie). */
static long distance(long c, long r, Mode mode) {
  long d = c - r;
  switch (mode) {
  case M_PAST: return d <= 0 ? -d : -1;
  case M_BEFORE: return d < 0 ? -d : -1;
  case M_FUTURE: return d >= 0 ? d : -1;
  case M_AFTER: return d > 0 ? d : -1;
  case M_NEAREST: return labs(d);
  default: return d < 0 ? -d : 2 * d; /* M_NEWS */
  }
}

/* Index of the candidate (positions on one scale with r) that mode picks,
 * -1 if none: PAST the latest <= r, FUTURE the earliest >= r, BEFORE and
 * AFTER the same but strict, NEAREST and NEWS the closest. */
static int pick(const long *cand, int n, long r, Mode mode) {
  int best = -1;
  long best_d = 0;
  for (int k = 0; k < n; ++k) {
    long d = distance(cand[k], r, mode);
    if (d < 0) continue;
    if (best < 0 || d < best_d || (d == best_d && cand[k] < cand[best])) best = k, best_d = d;
  }
  return best;
}

static bool ref_has_day(NgDate r) { return r.day > 0 && ng_date_is_valid(r); }
static bool ref_has_month(NgDate r) { return r.month > 0 && ng_date_is_valid(r); }
static bool ref_has_year(NgDate r) { return ng_date_is_valid(r); }

static long month_index(int year, int month) { return (long)year * 12 + month - 1; }
static NgDate month_from_index(long idx) {
  NgDate d = {(int)(idx / 12), (int)(idx % 12) + 1, 0};
  return d;
}

/* A date of the given granularity into m; false if out of range. */
static bool set_value(NgTimexMatch *m, NgDate d, NgGranularity gran) {
  if (gran == NG_GRAN_WEEK) {
    d = ng_date_add_days(d, -ng_date_weekday(d)); /* the Monday */
    if (!ng_date_is_valid(d)) return false;
    int iso_year, week;
    ng_date_iso_week(d, &iso_year, &week);
    snprintf(m->value, sizeof m->value, "%04u-W%02u", (unsigned)iso_year % 10000u,
             (unsigned)week % 100u);
  } else {
    if (gran == NG_GRAN_YEAR) d.month = 0;
    if (gran != NG_GRAN_DAY) d.day = 0;
    if (!ng_date_is_valid(d)) return false;
    ng_date_format(d, m->value);
  }
  m->date = d;
  m->gran = gran;
  return true;
}

static bool resolve_abs(const Expr *e, NgDate ref, Policy pol, NgTimexMatch *m) {
  NgGranularity gran = e->day ? NG_GRAN_DAY : e->month ? NG_GRAN_MONTH : NG_GRAN_YEAR;
  if (e->year) {
    NgDate d = {e->year, e->month, e->day};
    return set_value(m, d, gran);
  }
  Mode mode = mode_of(e->dir, pol);
  long cand[9];
  int years[9], n = 0;
  if (e->day) { /* the nearby years in which that day exists (Feb 29) */
    if (!ref_has_day(ref)) return false;
    for (int y = ref.year - 4; y <= ref.year + 4; ++y) {
      NgDate d = {y, e->month, e->day};
      if (ng_date_is_valid(d)) years[n] = y, cand[n++] = ng_date_to_days(d);
    }
    int k = pick(cand, n, ng_date_to_days(ref), mode);
    NgDate d = {k >= 0 ? years[k] : 0, e->month, e->day};
    return k >= 0 && set_value(m, d, gran);
  }
  if (!ref_has_month(ref)) return false;
  for (int y = ref.year - 1; y <= ref.year + 1; ++y)
    cand[n++] = month_index(y, e->month);
  int k = pick(cand, n, month_index(ref.year, ref.month), mode);
  return k >= 0 && set_value(m, month_from_index(cand[k]), gran);
}

static bool resolve_weekday(const Expr *e, NgDate ref, Policy pol, NgTimexMatch *m) {
  if (!ref_has_day(ref)) return false;
  long r = ng_date_to_days(ref), cand[5];
  int n = 0;
  for (long d = r - 14; d <= r + 14; ++d)
    if (ng_date_weekday(ng_date_from_days(d)) == e->weekday - 1) cand[n++] = d;
  int k = pick(cand, n, r, mode_of(e->dir, pol));
  return k >= 0 && set_value(m, ng_date_from_days(cand[k]), NG_GRAN_DAY);
}

/* A weekend is valued as the ISO week of its Saturday.  "last" and "next"
 * step a week from the weekend of the reference's own week, as "last week"
 * and "next week" do; a bare or "this" weekend said during one is that one,
 * else the tense chooses between the one before and the one ahead. */
static bool resolve_weekend(const Expr *e, NgDate ref, Policy pol, NgTimexMatch *m) {
  if (!ref_has_day(ref)) return false;
  int wd = ng_date_weekday(ref);
  long r = ng_date_to_days(ref), sat = r + 5 - wd; /* Saturday of ref's week */
  long cand[2] = {sat - 7, sat};
  if (e->dir == D_LAST)
    sat -= 7;
  else if (e->dir == D_NEXT)
    sat += 7;
  else if (wd < 5)
    sat = cand[pick(cand, 2, r, mode_of(D_NONE, pol))];
  return set_value(m, ng_date_from_days(sat), NG_GRAN_WEEK);
}

/* Seasons are valued as a year (our values have no "2020-SU"); winter is the
 * year of its December. */
static bool resolve_season(const Expr *e, NgDate ref, Policy pol, NgTimexMatch *m) {
  if (!ref_has_month(ref)) return false;
  static const int start_month[] = {3, 6, 9, 12};
  long r = month_index(ref.year, ref.month), starts[4];
  int n = 0;
  for (int y = ref.year - 2; y <= ref.year + 1; ++y)
    starts[n++] = month_index(y, start_month[e->season - 1]);
  int k = -1;
  for (int j = 0; j < n && (e->dir == D_NONE || e->dir == D_THIS); ++j)
    if (starts[j] <= r && r <= starts[j] + 2) k = j; /* "this summer" said in July */
  if (k < 0) {
    /* Compare ends for the past and starts for the future. */
    long ends[4];
    for (int j = 0; j < n; ++j)
      ends[j] = starts[j] + 2;
    Mode mode = mode_of(e->dir, pol);
    if (mode == M_PAST || mode == M_BEFORE)
      k = pick(ends, n, r, M_BEFORE);
    else if (mode == M_FUTURE || mode == M_AFTER)
      k = pick(starts, n, r, M_AFTER);
    else
      k = pick(starts, n, r, mode);
  }
  if (k < 0) return false;
  NgDate d = {month_from_index(starts[k]).year, 0, 0};
  return set_value(m, d, NG_GRAN_YEAR);
}

static bool resolve_rel(const Expr *e, NgDate ref, NgTimexMatch *m) {
  switch (e->unit) {
  case NG_GRAN_DAY:
  case NG_GRAN_WEEK:
    if (!ref_has_day(ref)) return false;
    return set_value(m, ng_date_add_days(ref, (long)e->offset * (e->unit == NG_GRAN_WEEK ? 7 : 1)),
                     e->unit);
  case NG_GRAN_MONTH:
    if (!ref_has_month(ref)) return false;
    return set_value(m, month_from_index(month_index(ref.year, ref.month) + e->offset),
                     NG_GRAN_MONTH);
  case NG_GRAN_YEAR: {
    if (!ref_has_year(ref)) return false;
    NgDate d = {ref.year + e->offset, 0, 0};
    return set_value(m, d, NG_GRAN_YEAR);
  }
  default: return false;
  }
}

/* Whether the reading depends on the tense (no year, no last/next). */
static bool needs_policy(const Expr *e) {
  if (e->kind == E_REL) return false;
  if (e->kind == E_ABS && e->year) return false;
  return e->dir == D_NONE || e->dir == D_THIS;
}

static void resolve(const Scan *sc, const Expr *e, NgTimexMatch *m) {
  m->relative = !(e->kind == E_ABS && e->year);
  Policy pol = needs_policy(e) ? policy_at(sc, m->begin, m->end, e->fallback) : POL_PAST;
  bool ok;
  switch (e->kind) {
  case E_ABS: ok = resolve_abs(e, sc->ref, pol, m); break;
  case E_WEEKDAY: ok = resolve_weekday(e, sc->ref, pol, m); break;
  case E_WEEKEND: ok = resolve_weekend(e, sc->ref, pol, m); break;
  case E_SEASON: ok = resolve_season(e, sc->ref, pol, m); break;
  default: ok = resolve_rel(e, sc->ref, m); break;
  }
  if (!ok) {
    m->value[0] = '\0';
    m->gran = NG_GRAN_NONE;
    memset(&m->date, 0, sizeof m->date);
  }
}

/* ------------------------------------------------------------------ scan */

/* Keep LOOKAHEAD tokens after i in the window, dropping old ones. */
static long refill(Scan *sc, long i) {
  if ((size_t)i + LOOKAHEAD <= sc->ntok || sc->pos >= sc->len) return i;
  long drop = i > LOOKBACK ? i - LOOKBACK : 0;
  memmove(sc->toks, sc->toks + drop, (sc->ntok - (size_t)drop) * sizeof sc->toks[0]);
  sc->ntok -= (size_t)drop;
  sc->last_end = sc->last_end >= drop ? sc->last_end - drop : -1;
  fill(sc);
  return i - drop;
}

size_t ng_timex_scan(const char *text, size_t len, NgDate ref, NgTense tense, NgTimexMatch *out,
                     size_t max) {
  if (!text || !out || !max || !may_hold_timex(text, len)) return 0;
  Scan sc;
  sc.text = text, sc.len = len, sc.ref = ref, sc.tense = tense;
  sc.pos = 0, sc.last_end = -1, sc.ntok = 0;
  memset(&sc.end_tok, 0, sizeof sc.end_tok);
  sc.end_tok.kind = T_END;
  sc.end_tok.begin = sc.end_tok.end = len;
  fill(&sc);
  size_t n = 0;
  long i = 0;
  while (n < max) {
    i = refill(&sc, i);
    if ((size_t)i >= sc.ntok) break;
    Parse p;
    if (!parse_single(&sc, i, strong_context(&sc, i), &p)) {
      i++;
      continue;
    }
    extend_range(&sc, &p);
    NgTimexMatch *m = &out[n++];
    memset(m, 0, sizeof *m);
    m->begin = tk(&sc, p.begin)->begin;
    m->end = tk(&sc, p.end - 1)->end;
    resolve(&sc, &p.e, m);
    i = sc.last_end = p.end;
  }
  return n;
}
