/* dictionaries.c - PETRARCH-2's dictionaries as an extra lexicon
 * (`extract --dictionaries DIR`).
 *
 * PETRARCH-2 (Open Event Data Alliance, MIT) codes events from five text
 * dictionaries.  This file reads four of them from the formats as their
 * files show them - no Debian package reads them, and the reader is
 * written here, not taken from PETRARCH - and adds what it reads to the
 * lexicon under lexicon/README.md's rules: a surface form or verb lemma
 * the built-in lexicon (or --lexicon) already has keeps its readings.
 *
 *   actors (*.actors.txt)  NAME, +ALIAS lines, then [CODE], [CODE >YYMMDD],
 *                          [CODE <YYMMDD], [CODE YYMMDD-YYMMDD]: one actor
 *                          entry per code and period (actors.c picks the
 *                          period that holds at the article's date)
 *   agents (*agents*)      PHRASE {PLURALS} [~CODE]: role nouns, composed
 *                          with a country as roles.txt's are; !SET! words
 *                          expand to each of a "!SET! = A, B" line
 *   verbs (the file of     &SET / +MEMBER synonym sets, then blocks
 *     "--- VERB [CODE] ---" "--- VERB [CODE] ---", verb lines (VERB [CODE],
 *     headers)             +MULTI_WORD) and patterns "- ... * ... [CODE]"
 *                          translated to verbs.txt's pattern language where
 *                          they map (see translate_pattern)
 *   discards (*discards*)  PHRASE (sentence) or +PHRASE (story)
 *
 * The issue dictionary (*Issue*) is not read.  Lines PETRARCH's own files
 * carry although they do not follow the format (a role with a date of 7
 * digits, "[~ENV}", a block with no code) are warnings, counted in the
 * summary line and shown one by one with NG_DICT_VERBOSE: PETRARCH loads
 * these files as they are.  What no file of the distribution has (a code
 * line before any actor, a pattern outside a verb block, an unclosed '[')
 * is an error. */
#include "pipeline.h"
#include "newsgraph.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_EXPANSIONS 64 /* !SET! expansions of one agent phrase */

typedef enum {
  DICT_NONE,
  DICT_ACTORS,
  DICT_AGENTS,
  DICT_VERBS,
  DICT_DISCARDS,
  DICT_ISSUES
} DictKind;

/* What a load counts, for the summary line. */
typedef struct {
  size_t actors, actor_forms, agent_forms, shadowed;
  size_t verbs, verbs_builtin, patterns, unmapped, discards, warnings;
} DictCounts;

typedef struct {
  NgLexicon *lex;
  NgWorld *world;
  const char *file;
  unsigned long line;
  const char *line_start; /* the line being read, for columns */
  unsigned flags;
  DictCounts *n;
  bool failed;
} Reader;

static unsigned long column(const Reader *r, const char *at) {
  if (!at || !r->line_start || at < r->line_start) return 0;
  return (unsigned long)ng_utf8_count(r->line_start, (size_t)(at - r->line_start)) + 1;
}

static void dict_error(Reader *r, const char *at, const char *msg, const char *arg) {
  ng_report(r->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, r->file, r->line, column(r, at), msg, arg);
  r->failed = true;
}

/* A line PETRARCH's own files carry: counted, shown when verbose. */
static void dict_warning(Reader *r, const char *at, const char *msg, const char *arg) {
  r->n->warnings++;
  if (r->flags & NG_DICT_VERBOSE)
    ng_report(r->world, NG_SUCCESS, NG_LEVEL_WARNING, r->file, r->line, column(r, at), msg, arg);
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\r')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

/* Call fn for each line of text, its '#' comment cut off; fn gets a
 * mutable copy (blank lines too: they end synonym sets). */
static void for_each_line(Reader *r, const char *text, size_t len,
                          void (*fn)(Reader *, char *, void *), void *ctx) {
  NgBuf buf = NG_BUF_INIT;
  r->line = 0;
  for (size_t i = 0; i < len && !r->failed;) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - text) : len;
    r->line++;
    ng_buf_clear(&buf);
    if (ng_buf_append(&buf, text + i, end - i) || ng_buf_putc(&buf, '\0')) {
      r->failed = true;
      break;
    }
    char *line = buf.data;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    r->line_start = line;
    /* (a comment line is no blank line: it does not end a block) */
    if (!hash || line[strspn(line, " \t\r")]) fn(r, line, ctx);
    i = end + 1;
  }
  ng_buf_free(&buf);
}

static bool has_vowel(const char *s, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (s[i] && strchr("AEIOUYaeiouy", s[i])) return true;
  return false;
}

/* The small words of names, lower case inside one: "Friends of the Earth". */
static bool is_particle(const char *s, size_t n) {
  static const char *const words[] = {"of", "the", "and", "for", "in",  "on", "to",
                                      "at", "by",  "de",  "du",  "la",  "le", "el",
                                      "al", "an",  "a",   "da",  "van", "von"};
  for (size_t i = 0; i < NG_COUNTOF(words); ++i)
    if (strlen(words[i]) == n && !strncasecmp(s, words[i], n)) return true;
  return false;
}

/* A dictionary phrase ("US_PRESIDENT_GEORGE_W._BUSH_") as text: '_' and
 * runs of spaces are one space, the trailing '_' (PETRARCH's "whole word")
 * goes; lower case, or Title Case for names (acronyms - two letters or no
 * vowel: "UN", "NLD" - keep their capitals). */
static void phrase_text(const char *s, size_t n, bool title, char *out, size_t cap) {
  size_t o = 0;
  bool word_start = true, acronym = false, lower_word = false;
  for (size_t i = 0; i < n && o + 1 < cap; ++i) {
    char c = s[i] == '_' ? ' ' : s[i];
    if (c == ' ' || c == '\t') {
      if (o && out[o - 1] != ' ') out[o++] = ' ';
      word_start = true;
      continue;
    }
    if (word_start) { /* an acronym keeps its capitals: two letters, or no vowel */
      size_t wl = strcspn(s + i, " _\t");
      if (wl > n - i) wl = n - i;
      acronym = wl <= 2 || !has_vowel(s + i, wl);
      if (o && is_particle(s + i, wl))
        acronym = false, lower_word = true;
      else
        lower_word = false;
    }
    bool upper = c >= 'A' && c <= 'Z';
    if (upper && !(title && !lower_word && (word_start || acronym))) c = (char)(c + 32);
    out[o++] = c;
    word_start = false;
  }
  while (o && out[o - 1] == ' ')
    o--;
  out[o] = '\0';
}

/* ------------------------------------------------------------- dates */

/* YYMMDD (00-29: 20YY, else 19YY) or YYYYMMDD. */
static bool parse_dict_date(const char *s, size_t n, NgDate *d) {
  if ((n != 6 && n != 8) || strspn(s, "0123456789") < n) return false;
  long v = strtol(s, NULL, 10);
  int year = (int)(v / 10000);
  if (n == 6) year += year < 30 ? 2000 : 1900;
  d->year = year;
  d->month = (int)(v / 100 % 100);
  d->day = (int)(v % 100);
  return ng_date_is_valid(*d) && d->month && d->day;
}

/* "CODE", "CODE >D", "CODE <D", "CODE D-D" (inside the brackets). */
typedef struct {
  char code[16];
  NgDate from, to;
} Role;

static bool parse_role(Reader *r, char *in, Role *role) {
  char *s = trim(in);
  size_t cl = strcspn(s, " \t");
  memset(role, 0, sizeof *role);
  if (cl < 3 || cl >= sizeof role->code) {
    dict_warning(r, s, "actor code '%s' is not a CAMEO code: role left out", s);
    return false;
  }
  memcpy(role->code, s, cl);
  for (size_t i = 0; i < cl; ++i)
    if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))) {
      dict_warning(r, s, "actor code '%s' is not a CAMEO code: role left out", s);
      return false;
    }
  char *d = trim(s + cl);
  if (!*d) return true;
  char op = *d;
  if (op == '>' || op == '<') {
    char *ds = trim(d + 1);
    if (parse_dict_date(ds, strlen(ds), op == '>' ? &role->from : &role->to)) return true;
  } else {
    char *dash = strchr(d, '-');
    if (dash && parse_dict_date(d, (size_t)(dash - d), &role->from) &&
        parse_dict_date(dash + 1, strlen(dash + 1), &role->to))
      return true;
  }
  dict_warning(
      r, d,
      "date restriction '%s' not read (want >YYMMDD, <YYMMDD or YYMMDD-YYMMDD): role left out", d);
  return false;
}

/* ------------------------------------------------------------ actors */

/* Names up to their codes.  A name line (not '+') after names with no code
 * yet is another actor with the same codes ("FORMER_PRESIDENT_GERALD_R._FORD"
 * after "GERALD_R._FORD_"'s aliases; three groups over one [SYRREBMUS]):
 * starts[] marks where each begins, its first name its label. */
typedef struct {
  char **names; /* surface forms */
  bool *starts;
  unsigned long *lines;
  size_t nnames, cap_names;
  Role *roles;
  size_t nroles, cap_roles;
  unsigned long first_line;
} ActorBlock;

static void actor_block_clear(ActorBlock *b) {
  for (size_t i = 0; i < b->nnames; ++i)
    free(b->names[i]);
  b->nnames = b->nroles = 0;
}

static void actor_block_free(ActorBlock *b) {
  actor_block_clear(b);
  free(b->names);
  free(b->starts);
  free(b->lines);
  free(b->roles);
}

static bool grow(void **p, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return true;
  size_t c = *cap ? *cap * 2 : 8;
  void *q = realloc(*p, c * size);
  if (!q) return false;
  *p = q;
  *cap = c;
  return true;
}

/* A form of no word but an optional "the" cannot be looked for. */
static bool no_words(Reader *r, const char *text, const char *at) {
  if (*text && strcasecmp(text, "the")) return false;
  dict_warning(r, at, "'%s' has no words to look for: left out", text);
  return true;
}

static void add_name(Reader *r, ActorBlock *b, const char *s, size_t n, bool start) {
  char text[512];
  phrase_text(s, n, true, text, sizeof text);
  if (no_words(r, text, s)) return;
  size_t cap = b->cap_names, cap2 = b->cap_names;
  if (!grow((void **)&b->names, &cap, b->nnames, sizeof *b->names) ||
      !grow((void **)&b->starts, &cap2, b->nnames, sizeof *b->starts) ||
      !grow((void **)&b->lines, &b->cap_names, b->nnames, sizeof *b->lines) ||
      cap != b->cap_names || cap2 != b->cap_names || !(b->names[b->nnames] = strdup(text))) {
    r->failed = true;
    return;
  }
  b->starts[b->nnames] = start || !b->nnames;
  b->lines[b->nnames++] = r->line;
}

static NgActorKind dict_actor_kind(const ActorBlock *b, const char *code) {
  for (size_t i = 0; i < b->nroles; ++i)
    if (b->roles[i].from.year || b->roles[i].to.year) return NG_KIND_PERSON; /* an office held */
  if (!strncmp(code, "IGO", 3)) return NG_KIND_IGO;
  if (!strncmp(code, "NGO", 3)) return NG_KIND_NGO;
  if (!strncmp(code, "MNC", 3) || strstr(code, "BUS")) return NG_KIND_COMPANY;
  if (strstr(code, "MED")) return NG_KIND_MEDIA;
  if (strstr(code, "PTY")) return NG_KIND_PARTY;
  return NG_KIND_GROUP;
}

/* One entry per role for names [first, end); a country's own code makes
 * the names the country's. */
static void flush_actor_names(Reader *r, ActorBlock *b, size_t first, size_t end) {
  for (size_t i = 0; i < b->nroles && !r->failed; ++i) {
    const Role *role = &b->roles[i];
    const NgActorEntry *e = NULL;
    bool dated = role->from.year || role->to.year;
    if (strlen(role->code) == 3 && !dated) e = ng_lexicon_country(r->lex, role->code);
    if (e && strcmp(e->code, role->code)) e = NULL;
    if (!e) {
      e = ng_lexicon_add_actor(r->lex, role->code, b->names[first], dict_actor_kind(b, role->code),
                               role->from, role->to);
      r->n->actors++;
    }
    if (!e) {
      r->failed = true;
      break;
    }
    for (size_t k = first; k < end && !r->failed; ++k) {
      bool kept = false;
      NgStatus st = ng_lexicon_add_actor_form(r->lex, e, b->names[k], r->file, b->lines[k], &kept);
      if (st == NG_ERR_NOMEM) r->failed = true;
      if (kept) r->n->actor_forms++;
    }
  }
}

static void flush_actor(Reader *r, ActorBlock *b) {
  if (!b->nnames) return;
  if (!b->nroles) {
    unsigned long line = r->line;
    const char *start = r->line_start;
    r->line = b->first_line;
    r->line_start = NULL;
    dict_warning(r, NULL, "actor '%s' has no code: left out", b->names[0]);
    r->line = line;
    r->line_start = start;
    actor_block_clear(b);
    return;
  }
  for (size_t first = 0; first < b->nnames && !r->failed;) {
    size_t end = first + 1;
    while (end < b->nnames && !b->starts[end])
      end++;
    flush_actor_names(r, b, first, end);
    first = end;
  }
  actor_block_clear(b);
}

/* The [CODE ...] groups of a line. */
static void read_roles(Reader *r, ActorBlock *b, char *s) {
  for (char *open = strchr(s, '['); open && !r->failed; open = strchr(open, '[')) {
    char *close = strchr(open, ']');
    if (!close) {
      dict_error(r, open, "unclosed '%s' in an actor's code", "[");
      return;
    }
    *close = '\0';
    Role role;
    if (!b->nnames) {
      dict_error(r, open, "a code '[%s]' before any actor name", open + 1);
      return;
    }
    if (parse_role(r, open + 1, &role)) {
      if (!grow((void **)&b->roles, &b->cap_roles, b->nroles, sizeof *b->roles)) {
        r->failed = true;
        return;
      }
      b->roles[b->nroles++] = role;
    }
    open = close + 1;
  }
}

static void parse_actor_line(Reader *r, char *line, void *ctx) {
  ActorBlock *b = ctx;
  bool indented = line[0] == ' ' || line[0] == '\t';
  char *s = trim(line);
  if (!*s) return;
  if (*s == '[') {
    read_roles(r, b, s);
    return;
  }
  char *bracket = strchr(s, '[');
  size_t name_len = bracket ? (size_t)(bracket - s) : strlen(s);
  if (*s == '+') {
    if (!b->nnames) {
      dict_error(r, s, "alias '%s' before any actor name", s);
      return;
    }
    add_name(r, b, s + 1, name_len - 1, false);
  } else if (indented && b->nnames && !b->nroles) { /* a name written indented: an alias */
    add_name(r, b, s, name_len, false);
  } else {
    if (b->nroles) flush_actor(r, b);
    if (!b->nnames) b->first_line = r->line;
    add_name(r, b, s, name_len, true);
  }
  if (bracket) read_roles(r, b, bracket);
}

/* ------------------------------------------------------------ agents */

typedef struct {
  char name[32];
  char **items;
  size_t n;
} SubstSet;

typedef struct {
  SubstSet sets[16];
  size_t nsets;
} AgentState;

static void agent_state_free(AgentState *a) {
  for (size_t i = 0; i < a->nsets; ++i) {
    for (size_t k = 0; k < a->sets[i].n; ++k)
      free(a->sets[i].items[k]);
    free(a->sets[i].items);
  }
}

/* "!MINIST! = MINISTER, MINISTERS, MINISTRY" */
static void define_set(Reader *r, AgentState *a, char *s, char *eq) {
  *eq = '\0';
  char *name = trim(s);
  if (a->nsets == NG_COUNTOF(a->sets) || strlen(name) >= sizeof a->sets[0].name) {
    dict_error(r, name, "too many or too long substitution sets ('%s')", name);
    return;
  }
  SubstSet *set = &a->sets[a->nsets++];
  memset(set, 0, sizeof *set);
  snprintf(set->name, sizeof set->name, "%s", name);
  size_t cap = 0;
  char *save = NULL;
  for (char *item = strtok_r(eq + 1, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
    item = trim(item);
    if (!*item) continue;
    if (!grow((void **)&set->items, &cap, set->n, sizeof *set->items) ||
        !(set->items[set->n] = strdup(item))) {
      r->failed = true;
      return;
    }
    set->n++;
  }
}

/* Every text of a phrase with its !SET! words replaced (at most out_cap). */
static size_t expand_sets(const AgentState *a, const char *phrase, char out[][256],
                          size_t out_cap) {
  const char *bang = strchr(phrase, '!');
  const char *end = bang ? strchr(bang + 1, '!') : NULL;
  if (!end) {
    snprintf(out[0], 256, "%s", phrase);
    return 1;
  }
  size_t nlen = (size_t)(end - bang + 1);
  const SubstSet *set = NULL;
  for (size_t i = 0; i < a->nsets && !set; ++i)
    if (strlen(a->sets[i].name) == nlen && !strncmp(a->sets[i].name, bang, nlen)) set = &a->sets[i];
  if (!set) return 0;
  size_t n = 0;
  for (size_t k = 0; k < set->n && n < out_cap; ++k) {
    char joined[256];
    snprintf(joined, sizeof joined, "%.*s%s%s", (int)(bang - phrase), phrase, set->items[k],
             end + 1);
    n += expand_sets(a, joined, out + n, out_cap - n);
  }
  return n;
}

/* The regular plural of a phrase's last word ("officer" -> "officers"). */
static bool regular_plural(const char *text, char *out, size_t cap) {
  size_t n = strlen(text);
  if (n < 3 || n + 3 >= cap) return false;
  char last = text[n - 1], before = text[n - 2];
  if (last < 'a' || last > 'z' || last == 's') return false;
  if (last == 'y' && !strchr("aeiou", before))
    snprintf(out, cap, "%.*sies", (int)(n - 1), text);
  else if (last == 'x' || last == 'z' || (last == 'h' && (before == 'c' || before == 's')))
    snprintf(out, cap, "%ses", text);
  else
    snprintf(out, cap, "%ss", text);
  return true;
}

static void add_agent(Reader *r, const char *role, const char *phrase, bool plural) {
  char text[256];
  phrase_text(phrase, strlen(phrase), false, text, sizeof text);
  if (no_words(r, text, NULL)) return;
  bool kept = false;
  NgStatus st = ng_lexicon_add_role_form(r->lex, role, text, plural, r->file, r->line, &kept);
  if (st == NG_ERR_NOMEM)
    r->failed = true;
  else if (st)
    dict_warning(r, NULL, "agent '%s' has no words: left out", phrase);
  else if (kept)
    r->n->agent_forms++;
}

static void parse_agent_line(Reader *r, char *line, void *ctx) {
  AgentState *a = ctx;
  char *s = trim(line);
  if (!*s) return;
  char *eq = strchr(s, '=');
  if (s[0] == '!' && eq) {
    define_set(r, a, s, eq);
    return;
  }
  char *open = strchr(s, '[');
  if (!open) {
    dict_warning(r, s, "agent '%s' has no [~CODE]: left out", s);
    return;
  }
  char *close = open + strcspn(open, "]}");
  if (!*close) {
    dict_error(r, open, "unclosed '%s' in an agent's code", "[");
    return;
  }
  if (*close == '}') dict_warning(r, close, "agent code closed by '%s' instead of ']'", "}");
  *close = '\0';
  char role[16];
  char *code = trim(open + 1);
  size_t cl = strlen(code);
  if (cl && code[0] == '~')
    code++, cl--;
  else if (cl && code[cl - 1] == '~')
    code[--cl] = '\0';
  bool ok = cl >= 3 && cl < 8;
  for (size_t i = 0; ok && i < cl; ++i)
    ok = code[i] >= 'A' && code[i] <= 'Z';
  if (!ok) {
    dict_warning(r, code, "agent code '%s' is not a CAMEO role (3 to 7 capitals): left out", code);
    return;
  }
  snprintf(role, sizeof role, "%s", code);
  *open = '\0';
  char *brace = strchr(s, '{');
  char *plurals = NULL;
  if (brace) {
    char *rb = strchr(brace, '}');
    *brace = '\0';
    if (rb) *rb = '\0';
    plurals = brace + 1;
  }
  char forms[MAX_EXPANSIONS][256];
  size_t nforms = expand_sets(a, trim(s), forms, MAX_EXPANSIONS);
  if (!nforms) {
    dict_warning(r, s, "agent '%s' names an undefined !SET!: left out", s);
    return;
  }
  for (size_t i = 0; i < nforms && !r->failed; ++i) {
    add_agent(r, role, forms[i], false);
    char text[256], pl[260];
    phrase_text(forms[i], strlen(forms[i]), false, text, sizeof text);
    if (!plurals && regular_plural(text, pl, sizeof pl)) add_agent(r, role, pl, true);
  }
  char *save = NULL;
  for (char *p = plurals ? strtok_r(plurals, " \t", &save) : NULL; p && !r->failed;
       p = strtok_r(NULL, " \t", &save)) {
    size_t np = expand_sets(a, p, forms, MAX_EXPANSIONS);
    for (size_t i = 0; i < np; ++i)
      add_agent(r, role, forms[i], true);
  }
}

/* ----------------------------------------------------------- discards */

static void parse_discard_line(Reader *r, char *line, void *ctx) {
  (void)ctx;
  char *s = trim(line);
  if (!*s) return;
  bool story = *s == '+';
  if (story) s = trim(s + 1);
  char text[512];
  phrase_text(s, strlen(s), false, text, sizeof text);
  if (!*text) {
    dict_error(r, s, "a story discard '+' with no phrase%s", "");
    return;
  }
  NgStatus st = ng_lexicon_add_discard(r->lex, text, story);
  if (st == NG_ERR_NOMEM)
    r->failed = true;
  else if (st)
    dict_warning(r, s, "discard '%s' has no words: left out", s);
  else
    r->n->discards++;
}

/* ------------------------------------------------------------- verbs */

typedef struct {
  char name[48];
  char *alternatives; /* "a|b_c|d", verbs.txt's alternatives */
} SynSet;

typedef struct {
  char *lemma;
  /* lines in verbs.txt's pattern language, the verb's phrase patterns
   * (multi-word verbs: "call off") before its own */
  char **specific, **plain;
  unsigned long *specific_no, *plain_no;
  size_t nspecific, nplain, cap_specific, cap_plain;
  char *dflt;
  unsigned long dflt_no;
} VerbAcc;

typedef struct {
  char code[8];  /* "" when the pattern gives no event ([---]) */
  char *pattern; /* translated, NULL when it does not map */
  unsigned long line;
} BlockPattern;

typedef struct {
  char words[96]; /* "call off" */
  char code[8];
  unsigned long line;
} BlockVerb;

typedef struct {
  SynSet *sets;
  size_t nsets, cap_sets;
  SynSet *open_set; /* reading +MEMBER lines of it */
  NgBuf members;
  bool in_block;
  char block_code[8];
  BlockVerb *verbs;
  size_t nverbs, cap_verbs;
  BlockPattern *pats;
  size_t npats, cap_pats;
  NgMap *acc_by_lemma;
  VerbAcc *acc;
  size_t nacc, cap_acc;
} VerbState;

static void close_set(Reader *r, VerbState *v) {
  if (!v->open_set) return;
  if (!v->members.len) {
    dict_warning(r, NULL, "synonym set %s has no members", v->open_set->name);
  } else if (!(v->open_set->alternatives = strdup(ng_buf_str(&v->members)))) {
    r->failed = true;
  }
  v->open_set = NULL;
  ng_buf_clear(&v->members);
}

static const SynSet *find_set(const VerbState *v, const char *name, size_t n) {
  for (size_t i = 0; i < v->nsets; ++i)
    if (strlen(v->sets[i].name) == n && !strncmp(v->sets[i].name, name, n)) return &v->sets[i];
  return NULL;
}

/* A word of a pattern or a set in verbs.txt's form: lower case, '_'
 * between words, no trailing '_'; false for what that language cannot say. */
static bool pattern_word(const char *w, size_t n, char *out, size_t cap) {
  while (n && w[n - 1] == '_')
    n--;
  if (!n || n + 1 > cap) return false;
  for (size_t i = 0; i < n; ++i) {
    char c = w[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '\'' ||
          c == '.'))
      return false;
    if (c == '_' && (i == 0 || out[i - 1] == '_')) return false;
    out[i] = c;
  }
  out[n] = '\0';
  return true;
}

static void add_member(Reader *r, VerbState *v, char *s) {
  char word[128];
  size_t n = strcspn(s, " \t{");
  if (!pattern_word(s, n, word, sizeof word)) {
    dict_warning(r, s, "synonym '%s' is not a word or phrase: left out", s);
    return;
  }
  if ((v->members.len && ng_buf_putc(&v->members, '|')) || ng_buf_puts(&v->members, word))
    r->failed = true;
}

/* The code of "[CODE]", "[CODE:CODE]" (the second is the same act seen
 * from the target; the first is kept), "[---]" (no event: ""). */
typedef enum { CODE_OK, CODE_NONE, CODE_TARGET_ONLY, CODE_UNKNOWN, CODE_BAD } CodeStatus;

static CodeStatus read_code(const NgLexicon *lex, const char *s, size_t n, char code[8]) {
  code[0] = '\0';
  if (n >= 3 && !strncmp(s, "---", 3) && (n == 3 || s[3] == ' ')) return CODE_NONE;
  if (n && s[0] == ':') return CODE_TARGET_ONLY;
  size_t d = 0;
  while (d < n && s[d] >= '0' && s[d] <= '9')
    d++;
  if (d < 2 || d > 4 || (d < n && s[d] != ':' && s[d] != ' ')) return CODE_BAD;
  memcpy(code, s, d);
  code[d] = '\0';
  return ng_lexicon_cameo(lex, code) ? CODE_OK : CODE_UNKNOWN;
}

/* Split a pattern into tokens: words, and ( ) { } on their own. */
static size_t pattern_tokens(char *s, char **tok, size_t max) {
  size_t n = 0;
  static char marks[4][2] = {"(", ")", "{", "}"};
  while (*s && n < max) {
    while (*s == ' ' || *s == '\t')
      s++;
    if (!*s) break;
    const char *m = strchr("(){}", *s);
    if (m) {
      tok[n++] = marks[m - "(){}"];
      *s++ = '\0';
      continue;
    }
    tok[n++] = s;
    s += strcspn(s, " \t(){}");
    if (*s == ' ' || *s == '\t')
      *s++ = '\0';
    else if (*s) { /* a bracket right after the word: keep it for the next token */
      char c = *s;
      *s = '\0';
      const char *mm = strchr("(){}", c);
      if (n < max) tok[n++] = marks[mm - "(){}"];
      s++;
    }
  }
  return n;
}

/* PETRARCH-2's pattern (the text between '-' and the code) in verbs.txt's
 * language, or NULL with *why.  Words before the verb's '*' cannot be said
 * (our patterns follow the verb), but for "$ *" (the subject is the
 * source: the default) and "+ *" with a '$' after the verb (our $source
 * makes the subject the target); '%' (a compound actor) cannot either.
 * After the verb, top-level elements are separated by gaps ("...") and the
 * words of a noun phrase {..} or prepositional phrase (..) follow one
 * another; &SET gives its alternatives, '+' $target, '$' $source, '^' $any. */
static char *translate_pattern(const VerbState *v, char *text, const char **why) {
  char *tok[64];
  size_t n = pattern_tokens(text, tok, NG_COUNTOF(tok));
  size_t star = n;
  for (size_t i = 0; i < n; ++i)
    if (!strcmp(tok[i], "*")) {
      star = i;
      break;
    }
  if (star == n) return *why = "no '*' for the verb", NULL;
  bool subject_is_target = star == 1 && !strcmp(tok[0], "+");
  if (star > 1 || (star == 1 && strcmp(tok[0], "$") && !subject_is_target))
    return *why = "words before the verb", NULL;
  NgBuf out = NG_BUF_INIT;
  int depth = 0, targets = 0, sources = 0;
  bool bad = false, first = true;
  for (size_t i = star + 1; i < n && !bad; ++i) {
    const char *t = tok[i];
    if (!strcmp(t, "(") || !strcmp(t, "{")) {
      if (!depth && !first) bad = ng_buf_puts(&out, " ...") != NG_SUCCESS;
      depth++;
      first = false;
      continue;
    }
    if (!strcmp(t, ")") || !strcmp(t, "}")) {
      if (depth) depth--;
      continue;
    }
    const char *piece = NULL;
    char word[128];
    if (!strcmp(t, "+"))
      piece = "$target", targets++;
    else if (!strcmp(t, "$"))
      piece = "$source", sources++;
    else if (!strcmp(t, "^"))
      piece = "$any";
    else if (!strcmp(t, "%"))
      *why = "a compound actor '%'", bad = true;
    else if (t[0] == '&') {
      const SynSet *set = find_set(v, t + 1, strlen(t + 1));
      if (!set) {
        char name[64];
        snprintf(name, sizeof name, "&%s_", t + 1); /* sets are often named with a trailing '_' */
        set = find_set(v, name + 1, strlen(name + 1));
      }
      if (!set || !set->alternatives)
        *why = "an unknown synonym set", bad = true;
      else
        piece = set->alternatives;
    } else if (pattern_word(t, strlen(t), word, sizeof word)) {
      piece = word;
    } else {
      *why = "a word verbs.txt cannot say", bad = true;
    }
    if (bad) break;
    if (!first && !depth && ng_buf_puts(&out, " ...")) bad = true;
    if (out.len && ng_buf_putc(&out, ' ')) bad = true;
    if (ng_buf_puts(&out, piece)) bad = true;
    first = false;
  }
  if (!bad && (targets > 1 || sources > 1)) *why = "two targets or two sources", bad = true;
  if (!bad && subject_is_target && !sources)
    *why = "the subject as target with no source", bad = true;
  if (bad) {
    ng_buf_free(&out);
    return NULL;
  }
  if (!out.data && ng_buf_puts(&out, "")) return *why = "out of memory", NULL;
  return ng_buf_take(&out);
}

static void block_clear(VerbState *v) {
  for (size_t i = 0; i < v->npats; ++i)
    free(v->pats[i].pattern);
  v->npats = v->nverbs = 0;
  v->in_block = false;
}

/* The lemma of a verb line's first word ("ANGERED" -> "anger"). */
static void verb_lemma(const NgLexicon *lex, const char *word, char *out, size_t cap) {
  char norm[200];
  size_t n = strlen(word);
  if (n * 2 + 8 > sizeof norm) n = (sizeof norm - 8) / 2;
  size_t nl = ng_normalize_word(word, n, norm);
  const NgVocab *vv = ng_lexicon_word(lex, norm, nl);
  snprintf(out, cap, "%s", vv && vv->lemma ? vv->lemma : norm);
}

static VerbAcc *acc_for(Reader *r, VerbState *v, const char *lemma) {
  bool inserted = false;
  uintptr_t *slot = ng_map_slot(v->acc_by_lemma, lemma, strlen(lemma), &inserted);
  if (!slot) return NULL;
  if (!inserted) return &v->acc[*slot];
  if (!grow((void **)&v->acc, &v->cap_acc, v->nacc, sizeof *v->acc)) return NULL;
  VerbAcc *a = &v->acc[v->nacc];
  memset(a, 0, sizeof *a);
  if (!(a->lemma = strdup(lemma))) return NULL;
  *slot = v->nacc++;
  (void)r;
  return a;
}

static bool acc_add(char ***lines, unsigned long **nos, size_t *n, size_t *cap, char *line,
                    unsigned long no) {
  size_t c = *cap;
  if (!line || !grow((void **)lines, &c, *n, sizeof **lines) ||
      !grow((void **)nos, cap, *n, sizeof **nos) || c != *cap) {
    free(line);
    return false;
  }
  (*lines)[*n] = line;
  (*nos)[(*n)++] = no;
  return true;
}

static char *line_printf(const char *fmt, const char *a, const char *b, const char *c) {
  size_t n = (size_t)snprintf(NULL, 0, fmt, a, b, c) + 1;
  char *s = malloc(n);
  if (s) snprintf(s, n, fmt, a, b, c);
  return s;
}

/* How much a translated pattern asks for: its words and slots (a phrase
 * "fuel_tax" its words, a set of alternatives one). */
static size_t pattern_weight(const char *p) {
  size_t n = 0;
  for (const char *s = p; *s;) {
    size_t len = strcspn(s, " ");
    bool alternatives = memchr(s, '|', len) != NULL;
    if (len && !(len == 3 && !strncmp(s, "...", 3))) n++;
    for (size_t i = 0; i < len && !alternatives; ++i)
      n += s[i] == '_';
    s += len;
    while (*s == ' ')
      s++;
  }
  return n;
}

static int heavier_first(const void *a, const void *b) {
  const BlockPattern *x = a, *y = b;
  size_t wx = x->pattern ? pattern_weight(x->pattern) : 0,
         wy = y->pattern ? pattern_weight(y->pattern) : 0;
  if (wx != wy) return wx > wy ? -1 : 1;
  return x->line < y->line ? -1 : x->line > y->line; /* then in file order */
}

/* The block's patterns under each of its verbs.  PETRARCH-2 takes the
 * pattern that matches most of the sentence; ours takes the first that
 * matches, so the patterns go in that order: most words first. */
static void flush_verb_block(Reader *r, VerbState *v) {
  if (!v->in_block) return;
  qsort(v->pats, v->npats, sizeof *v->pats, heavier_first);
  for (size_t i = 0; i < v->nverbs && !r->failed; ++i) {
    const BlockVerb *bv = &v->verbs[i];
    char first[96], lemma[256], particle[96] = "";
    size_t fl = strcspn(bv->words, " ");
    snprintf(first, sizeof first, "%.*s", (int)fl, bv->words);
    if (bv->words[fl]) snprintf(particle, sizeof particle, "%s", bv->words + fl + 1);
    verb_lemma(r->lex, first, lemma, sizeof lemma);
    if (ng_lexicon_has_verb(r->lex, lemma)) { /* the built-in block wins whole */
      r->n->verbs_builtin++;
      continue;
    }
    VerbAcc *a = acc_for(r, v, lemma);
    if (!a) {
      r->failed = true;
      return;
    }
    const char *code = bv->code[0] ? bv->code : v->block_code;
    bool has_particle = particle[0] != '\0';
    for (size_t k = 0; k < v->npats && !r->failed; ++k) {
      const BlockPattern *p = &v->pats[k];
      if (!p->pattern) continue;
      const char *c = p->code[0] ? p->code : "-";
      /* [actor]: PETRARCH-2 codes an event only between two actors */
      char *line = has_particle
                       ? line_printf(p->pattern[0] ? "  %s : %s %s [actor]" : "  %s : %s%s [actor]",
                                     c, particle, p->pattern)
                       : line_printf("  %s : %s%s [actor]", c, p->pattern, "");
      bool ok = has_particle
                    ? acc_add(&a->specific, &a->specific_no, &a->nspecific, &a->cap_specific, line,
                              p->line)
                    : acc_add(&a->plain, &a->plain_no, &a->nplain, &a->cap_plain, line, p->line);
      if (!ok) r->failed = true;
    }
    if (!code[0] || r->failed) continue;
    if (has_particle) { /* "call off" alone: its code */
      if (!acc_add(&a->specific, &a->specific_no, &a->nspecific, &a->cap_specific,
                   line_printf("  %s : %s%s [actor]", code, particle, ""), bv->line))
        r->failed = true;
    } else if (!a->dflt) {
      if (!(a->dflt = line_printf("  = %s%s%s [actor]", code, "", ""))) r->failed = true;
      a->dflt_no = bv->line;
    }
  }
  block_clear(v);
}

/* "---  IMPOSE   [170]  ---" */
static void start_verb_block(Reader *r, VerbState *v, char *s) {
  flush_verb_block(r, v);
  char *open = strchr(s, '['), *close = open ? strchr(open, ']') : NULL;
  if (!close) {
    dict_error(r, s, "a verb block header wants '--- VERB [CODE] ---', not '%s'", s);
    return;
  }
  CodeStatus cs = read_code(r->lex, open + 1, (size_t)(close - open - 1), v->block_code);
  if (cs == CODE_UNKNOWN || cs == CODE_BAD || cs == CODE_TARGET_ONLY) {
    *close = '\0';
    dict_warning(r, open + 1, "block code '%s' is not a CAMEO code of cameo.txt: no default",
                 open + 1);
    v->block_code[0] = '\0';
  }
  v->in_block = true;
}

static void add_block_verb(Reader *r, VerbState *v, char *s) {
  if (*s == '+') s++;
  char *end = s + strcspn(s, " \t{[");
  BlockVerb bv;
  memset(&bv, 0, sizeof bv);
  bv.line = r->line;
  phrase_text(s, (size_t)(end - s), false, bv.words, sizeof bv.words);
  char *open = strchr(end, '[');
  if (open) {
    char *close = strchr(open, ']');
    if (!close) {
      dict_error(r, open, "unclosed '%s' in a verb's code", "[");
      return;
    }
    CodeStatus cs = read_code(r->lex, open + 1, (size_t)(close - open - 1), bv.code);
    if (cs != CODE_OK && cs != CODE_NONE) {
      *close = '\0';
      dict_warning(r, open + 1,
                   "verb code '%s' is not a CAMEO code of cameo.txt: the block's is used",
                   open + 1);
      bv.code[0] = '\0';
    }
  }
  if (!bv.words[0]) return;
  if (!grow((void **)&v->verbs, &v->cap_verbs, v->nverbs, sizeof *v->verbs)) {
    r->failed = true;
    return;
  }
  v->verbs[v->nverbs++] = bv;
  r->n->verbs++;
}

static void add_block_pattern(Reader *r, VerbState *v, char *s) {
  char *open = strrchr(s, '['), *close = open ? strchr(open, ']') : NULL;
  if (!close) {
    dict_error(r, s, "a pattern wants its code in brackets: '%s'", s);
    return;
  }
  BlockPattern p;
  memset(&p, 0, sizeof p);
  p.line = r->line;
  r->n->patterns++;
  CodeStatus cs = read_code(r->lex, open + 1, (size_t)(close - open - 1), p.code);
  const char *why = NULL;
  *open = '\0';
  char *text = s + 1; /* after the '-' */
  if (cs == CODE_TARGET_ONLY)
    why = "a code for the target's side only ([:CODE])";
  else if (cs == CODE_UNKNOWN)
    why = "a code not in cameo.txt";
  else if (cs == CODE_BAD)
    why = "a code that is not one";
  else
    p.pattern = translate_pattern(v, text, &why);
  if (!p.pattern) {
    r->n->unmapped++;
    if (r->flags & NG_DICT_VERBOSE)
      ng_report(r->world, NG_SUCCESS, NG_LEVEL_NOTE, r->file, r->line, 1, "pattern not mapped: %s",
                why ? why : "?");
    return;
  }
  if (!grow((void **)&v->pats, &v->cap_pats, v->npats, sizeof *v->pats)) {
    free(p.pattern);
    r->failed = true;
    return;
  }
  v->pats[v->npats++] = p;
}

static void parse_verb_dict_line(Reader *r, char *line, void *ctx) {
  VerbState *v = ctx;
  char *s = trim(line);
  if (!*s) {
    close_set(r, v);
    return;
  }
  if (!strncmp(s, "---", 3) && strchr(s, '[')) {
    close_set(r, v);
    start_verb_block(r, v, s);
  } else if (*s == '&') {
    close_set(r, v);
    if (v->in_block) {
      dict_error(r, s, "a synonym set '%s' inside a verb block", s);
      return;
    }
    char name[48];
    size_t n = strcspn(s + 1, " \t");
    snprintf(name, sizeof name, "%.*s", (int)n, s + 1);
    if (!grow((void **)&v->sets, &v->cap_sets, v->nsets, sizeof *v->sets)) {
      r->failed = true;
      return;
    }
    v->open_set = &v->sets[v->nsets++];
    memset(v->open_set, 0, sizeof *v->open_set);
    snprintf(v->open_set->name, sizeof v->open_set->name, "%s", name);
  } else if (*s == '+' && v->open_set) {
    add_member(r, v, s + 1);
  } else if (!v->in_block) {
    dict_error(r, s, "expected a synonym set, a member or '--- VERB [CODE] ---', not '%s'", s);
  } else if (*s == '-') {
    add_block_pattern(r, v, s);
  } else {
    add_block_verb(r, v, s);
  }
}

/* Each lemma's patterns, as one verbs.txt block. */
static void register_verbs(Reader *r, VerbState *v) {
  for (size_t i = 0; i < v->nacc && !r->failed; ++i) {
    VerbAcc *a = &v->acc[i];
    size_t n = a->nspecific + a->nplain + (a->dflt != NULL);
    const char **lines = malloc((n ? n : 1) * sizeof *lines);
    unsigned long *nos = malloc((n ? n : 1) * sizeof *nos);
    if (!lines || !nos) {
      free(lines);
      free(nos);
      r->failed = true;
      break;
    }
    size_t k = 0;
    for (size_t j = 0; j < a->nspecific; ++j, ++k)
      lines[k] = a->specific[j], nos[k] = a->specific_no[j];
    for (size_t j = 0; j < a->nplain; ++j, ++k)
      lines[k] = a->plain[j], nos[k] = a->plain_no[j];
    if (a->dflt) lines[k] = a->dflt, nos[k++] = a->dflt_no;
    NgVerb *verb = ng_lexicon_add_verb(r->lex, a->lemma, lines, nos, n, r->file);
    free(lines);
    if (!verb || verb->npatterns + (verb->has_default ? 1 : 0) != n) {
      free(nos);
      r->failed = true;
      break;
    }
    /* rules name their source, the lemma and the dictionary's line:
     * "petrarch:rush:721" */
    NgArena *arena = ng_lexicon_arena(r->lex);
    for (size_t j = 0; j < verb->npatterns; ++j)
      verb->patterns[j].rule = ng_arena_printf(arena, "petrarch:%s:%lu", a->lemma, nos[j]);
    if (verb->has_default)
      verb->dflt.rule = ng_arena_printf(arena, "petrarch:%s:%lu", a->lemma, a->dflt_no);
    free(nos);
  }
}

static void verb_state_free(VerbState *v) {
  block_clear(v);
  for (size_t i = 0; i < v->nsets; ++i)
    free(v->sets[i].alternatives);
  free(v->sets);
  free(v->verbs);
  free(v->pats);
  ng_buf_free(&v->members);
  for (size_t i = 0; i < v->nacc; ++i) {
    VerbAcc *a = &v->acc[i];
    for (size_t j = 0; j < a->nspecific; ++j)
      free(a->specific[j]);
    for (size_t j = 0; j < a->nplain; ++j)
      free(a->plain[j]);
    free(a->specific);
    free(a->plain);
    free(a->specific_no);
    free(a->plain_no);
    free(a->dflt);
    free(a->lemma);
  }
  free(v->acc);
  ng_map_free(v->acc_by_lemma);
}

/* ------------------------------------------------------------- files */

/* A verb dictionary has "--- VERB [CODE] ---" block headers. */
static bool looks_like_verbs(const char *text, size_t len) {
  for (size_t i = 0; i + 4 < len;) {
    if (!strncmp(text + i, "---", 3) && (text[i + 3] == ' ' || text[i + 3] == '\t')) {
      const char *nl = memchr(text + i, '\n', len - i);
      size_t end = nl ? (size_t)(nl - text) : len;
      const char *br = memchr(text + i, '[', end - i);
      if (br && memchr(br, ']', end - (size_t)(br - text))) return true;
    }
    const char *nl = memchr(text + i, '\n', len - i);
    if (!nl) break;
    i = (size_t)(nl - text) + 1;
  }
  return false;
}

static bool contains_ci(const char *s, const char *needle) {
  size_t n = strlen(needle);
  for (; *s; ++s)
    if (!strncasecmp(s, needle, n)) return true;
  return false;
}

static DictKind dict_kind(const char *name, const char *text, size_t len) {
  size_t n = strlen(name);
  if (n > 11 && !strcasecmp(name + n - 11, ".actors.txt")) return DICT_ACTORS;
  if (contains_ci(name, "agents")) return DICT_AGENTS;
  if (contains_ci(name, "discards")) return DICT_DISCARDS;
  if (contains_ci(name, "issue")) return DICT_ISSUES;
  return looks_like_verbs(text, len) ? DICT_VERBS : DICT_NONE;
}

typedef struct {
  char *path, *text;
  size_t len;
  DictKind kind;
} DictFile;

static void read_dict_file(Reader *r, DictFile *f, VerbState *verbs, AgentState *agents) {
  r->file = f->path;
  size_t bad = 0;
  if (!ng_utf8_check(f->text, f->len, &bad)) {
    unsigned long line, col;
    ng_utf8_line_col(f->text, f->len, bad, &line, &col);
    ng_report(r->world, NG_ERR_ENCODING, NG_LEVEL_ERROR, f->path, line, col, "%s", "invalid UTF-8");
    r->failed = true;
    return;
  }
  ActorBlock block;
  memset(&block, 0, sizeof block);
  switch (f->kind) {
  case DICT_ACTORS:
    for_each_line(r, f->text, f->len, parse_actor_line, &block);
    if (!r->failed) flush_actor(r, &block);
    actor_block_free(&block);
    break;
  case DICT_AGENTS: for_each_line(r, f->text, f->len, parse_agent_line, agents); break;
  case DICT_DISCARDS: for_each_line(r, f->text, f->len, parse_discard_line, NULL); break;
  case DICT_VERBS:
    for_each_line(r, f->text, f->len, parse_verb_dict_line, verbs);
    close_set(r, verbs);
    if (!r->failed) flush_verb_block(r, verbs);
    if (!r->failed) register_verbs(r, verbs);
    break;
  default: break;
  }
}

static int compare_files(const void *a, const void *b) {
  const DictFile *x = a, *y = b;
  /* verbs last: the actor files do not need them, and a lemma's block is
   * registered once all of the file is read */
  if ((x->kind == DICT_VERBS) != (y->kind == DICT_VERBS)) return x->kind == DICT_VERBS ? 1 : -1;
  return strcmp(x->path, y->path);
}

/* One dictionary file of dir read into f; false when it cannot be. */
static bool read_dict_text(Reader *r, const char *dir, const char *name, DictFile *f,
                           NgStatus *st) {
  NgBuf path = NG_BUF_INIT;
  NgStatus rs = ng_buf_printf(&path, "%s/%s", dir, name);
  f->path = rs ? NULL : ng_buf_take(&path);
  ng_buf_free(&path);
  if (!f->path) rs = NG_ERR_NOMEM;
  else if ((rs = ng_file_read(f->path, &f->text, &f->len)))
    ng_report(r->world, rs, NG_LEVEL_ERROR, f->path, 0, 0, "cannot read: %s",
              rs == NG_ERR_NOMEM ? "out of memory" : strerror(errno));
  if (!rs) return true;
  free(f->path);
  *st = rs;
  r->failed = true;
  return false;
}

/* The dictionary files of dir, read into memory. */
static DictFile *list_dict_files(Reader *r, const char *dir, size_t *count, NgStatus *st) {
  char **names = NULL;
  NgStatus ls = ng_dir_list(dir, ".txt", &names);
  if (ls) {
    ng_report(r->world, ls, NG_LEVEL_ERROR, dir, 0, 0, "cannot read the dictionaries folder: %s",
              ls == NG_ERR_NOMEM ? "out of memory" : strerror(errno));
    *st = ls;
    return NULL;
  }
  DictFile *files = NULL;
  size_t n = 0, cap = 0;
  for (char **name = names; *name && !r->failed; ++name) {
    DictFile f = {NULL, NULL, 0, DICT_NONE};
    if (!read_dict_text(r, dir, *name, &f, st)) break;
    f.kind = dict_kind(*name, f.text, f.len);
    if (f.kind == DICT_NONE || f.kind == DICT_ISSUES) {
      if (r->flags & NG_DICT_VERBOSE)
        ng_report(r->world, NG_SUCCESS, NG_LEVEL_NOTE, f.path, 0, 0, "%s",
                  f.kind == DICT_ISSUES
                      ? "issue dictionary: not read"
                      : "not a PETRARCH-2 actor, agent, verb or discard dictionary: not read");
      free(f.text);
      free(f.path);
      continue;
    }
    if (!grow((void **)&files, &cap, n, sizeof *files)) {
      free(f.text);
      free(f.path);
      *st = NG_ERR_NOMEM;
      r->failed = true;
      break;
    }
    files[n++] = f;
  }
  ng_names_free(names);
  if (files) qsort(files, n, sizeof *files, compare_files);
  *count = n;
  return files;
}

void ng_dictionaries_load(NgLexicon *lex, const char *dir, unsigned flags, bool *failed,
                          NgStatus *st) {
  DictCounts counts;
  memset(&counts, 0, sizeof counts);
  NgWorld *world = ng_lexicon_world(lex);
  Reader r = {lex, world, dir, 0, NULL, flags, &counts, false};
  size_t nfiles = 0;
  DictFile *files = list_dict_files(&r, dir, &nfiles, st);
  if (!r.failed && files == NULL && *st == NG_SUCCESS) {
    ng_report(world, NG_ERR_IO, NG_LEVEL_ERROR, dir, 0, 0, "%s",
              "no PETRARCH-2 dictionary here (*.actors.txt, *agents*.txt, *discards*.txt, a verb "
              "dictionary)");
    *st = NG_ERR_IO;
  }
  if (!files) {
    *failed = true;
    return;
  }
  VerbState verbs;
  memset(&verbs, 0, sizeof verbs);
  AgentState agents;
  memset(&agents, 0, sizeof agents);
  size_t shadowed_before = ng_lexicon_shadowed_forms(lex);
  if (!(verbs.acc_by_lemma = ng_map_new())) r.failed = true;
  for (size_t i = 0; i < nfiles && !r.failed; ++i)
    read_dict_file(&r, &files[i], &verbs, &agents);
  verb_state_free(&verbs);
  agent_state_free(&agents);
  for (size_t i = 0; i < nfiles; ++i) {
    free(files[i].text);
    free(files[i].path);
  }
  free(files);
  if (r.failed) {
    *failed = true;
    return;
  }
  counts.shadowed = ng_lexicon_shadowed_forms(lex) - shadowed_before;
  if (!(flags & NG_DICT_QUIET))
    ng_report(
        world, NG_SUCCESS, NG_LEVEL_NOTE, dir, 0, 0,
        "PETRARCH-2 dictionaries: %zu actors with %zu names, %zu agent nouns, %zu names or nouns "
        "the "
        "lexicon already had (kept its); verbs: %zu, %zu of them the lexicon's own (kept its); "
        "patterns: %zu, %zu mapped, %zu not mapped%s; %zu discard phrases; %zu lines not read "
        "(warnings%s)",
        counts.actors, counts.actor_forms, counts.agent_forms, counts.shadowed, counts.verbs,
        counts.verbs_builtin, counts.patterns, counts.patterns - counts.unmapped, counts.unmapped,
        flags & NG_DICT_VERBOSE ? "" : " (--verbose lists them)", counts.discards, counts.warnings,
        flags & NG_DICT_VERBOSE ? "" : "; --verbose shows them");
}

/* ------------------------------------------------- discards at work */

/* Does a discard phrase start at token i of [i, end)? */
static const NgDiscard *discard_at(const NgDocument *doc, size_t i, size_t end) {
  const NgToken *t = &doc->tokens[i];
  for (const NgDiscard *d = ng_lexicon_discards_from(doc->lex, t->norm, t->norm_len); d;
       d = d->next) {
    if (i + d->nwords > end) continue;
    size_t k = 1;
    while (k < d->nwords && doc->tokens[i + k].norm_len == strlen(d->words[k]) &&
           !memcmp(doc->tokens[i + k].norm, d->words[k], doc->tokens[i + k].norm_len))
      k++;
    if (k == d->nwords) return d;
  }
  return NULL;
}

/* A year among the discards (PETRARCH-2 lists 1914 to 2010) is there for
 * history ("in 1945 ..."): it discards a sentence only when it is more than
 * a year before the article's date, not the current year a report names. */
static bool recent_year(const NgDocument *doc, const NgDiscard *d) {
  if (d->nwords != 1 || strlen(d->words[0]) != 4 || strspn(d->words[0], "0123456789") != 4 ||
      !doc->ref.year)
    return false;
  return atoi(d->words[0]) >= doc->ref.year - 1;
}

/* 0: none, 1: a sentence discard, 2: a story discard in sentence s. */
static int sentence_discard(const NgDocument *doc, size_t s) {
  const NgSentence *sent = &doc->sents[s];
  int found = 0;
  for (size_t i = sent->first; i < sent->first + sent->count && found < 2; ++i) {
    const NgDiscard *d = discard_at(doc, i, sent->first + sent->count);
    if (d && !recent_year(doc, d)) found = d->story ? 2 : 1;
  }
  return found;
}

/* PETRARCH-2 codes no event of a sentence holding a discard phrase, and
 * no event of a story holding a '+' one.  Here the coded events go (an
 * open event, outside CAMEO, was never PETRARCH's to code and stays). */
NgStatus ng_dictionaries_discard(NgDocument *doc) {
  if (!ng_lexicon_has_discards(doc->lex) || !doc->nevents) return NG_SUCCESS;
  uint8_t *mark = calloc(doc->nsents ? doc->nsents : 1, 1);
  if (!mark) return NG_ERR_NOMEM;
  bool story = false;
  for (size_t s = 0; s < doc->nsents && !story; ++s) {
    mark[s] = (uint8_t)sentence_discard(doc, s);
    story = mark[s] == 2;
  }
  size_t kept = 0;
  for (size_t i = 0; i < doc->nevents; ++i) {
    const NgEvent *e = &doc->events[i];
    bool coded = e->cameo && e->cameo[0];
    if (coded && (story || mark[e->sentence])) continue;
    doc->events[kept++] = *e;
  }
  doc->nevents = kept;
  free(mark);
  return NG_SUCCESS;
}
