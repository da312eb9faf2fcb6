/* pattern.c - verb patterns: compile the pattern language of verbs.txt to
 * PCRE2, and match it anchored right after a verb.
 *
 * A sentence is matched through its "shadow": every token as its lemma,
 * separated by single spaces, with each noun phrase bracketed as
 * "{N ... }" where N is the phrase's index:
 *
 *   The EU on November 6 expanded its list of sanctioned individuals to include Lukashenko .
 *   {0 the eu } on {1 november 6 } expand {2 its list } of {3 sanction individual } to include {4 lukashenko } .
 *
 * All patterns of one verb are compiled into one alternation (first branch
 * that matches wins, as the file order says), each branch marked with
 * (*MARK:k) so that the match tells which pattern it was.  Matching is one
 * hash lookup for the verb, then one anchored match. */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any phrase brackets between two words. */
#define SKIP_MARKS "(?:(?:\\{\\d+|\\}) )*"
/* Before a literal word: closing brackets, then, entering a phrase, up to
 * four of its first words ("imposed tough new sanctions", "its list"). */
#define SKIP_MODIFIERS "(?:\\} )*(?:\\{\\d+ (?:[^ {}]+ ){0,4}?)?"
/* A gap: up to a dozen shadow items (words and brackets), not crossing the
 * end of a clause. */
#define GAP "(?:(?![.;:!?] )[^ ]+ ){0,14}?"

typedef struct {
  NgBuf re;
  int groups;       /* capture groups so far */
  int target, source;
  NgLexicon *lex;
} Compiler;

static NgStatus put_escaped(NgBuf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (strchr("\\^$.|?*+()[]{}", s[i]) && ng_buf_putc(b, '\\')) return NG_ERR_NOMEM;
    if (ng_buf_putc(b, s[i])) return NG_ERR_NOMEM;
  }
  return NG_SUCCESS;
}

/* One word of an alternative: its lemma key, or a prefix with '*'. */
static NgStatus put_word(Compiler *c, const char *w, size_t n) {
  bool prefix = n > 1 && w[n - 1] == '*';
  if (prefix) n--;
  char norm[256], key[256];
  if (n * 2 + 8 > sizeof norm) return NG_ERR_SYNTAX;
  size_t nl = ng_normalize_word(w, n, norm);
  size_t kl = prefix ? (memcpy(key, norm, nl + 1), nl) : ng_lexicon_lemma_key(c->lex, norm, nl, key);
  NgStatus st = put_escaped(&c->re, key, kl);
  if (!st && prefix) st = ng_buf_puts(&c->re, "[^ ]*");
  return st;
}

/* "a|b_c|d*": alternatives, '_' joining the words of one. */
static NgStatus put_alternatives(Compiler *c, const char *tok) {
  NgStatus st = ng_buf_puts(&c->re, SKIP_MODIFIERS "(?:");
  const char *s = tok;
  while (!st) {
    const char *bar = strchr(s, '|');
    size_t n = bar ? (size_t)(bar - s) : strlen(s);
    if (!n) return NG_ERR_SYNTAX;
    const char *w = s;
    while (!st && w < s + n) {
      const char *us = memchr(w, '_', (size_t)(s + n - w));
      size_t wn = us ? (size_t)(us - w) : (size_t)(s + n - w);
      if (!wn) return NG_ERR_SYNTAX;
      st = put_word(c, w, wn);
      if (us && !st) st = ng_buf_puts(&c->re, " " SKIP_MARKS);
      w += wn + (us != NULL);
    }
    if (!bar) break;
    if (!st) st = ng_buf_putc(&c->re, '|');
    s = bar + 1;
  }
  if (!st) st = ng_buf_puts(&c->re, ") ");
  return st;
}

static NgStatus put_slot(Compiler *c, int *group) {
  if (*group) return NG_ERR_SYNTAX; /* one $target / $source per pattern */
  *group = ++c->groups;
  return ng_buf_puts(&c->re, SKIP_MARKS "\\{(\\d+) [^{}]*\\} ");
}

/* Translate one pattern (the text after ':') into c->re. */
static NgStatus compile_pattern(Compiler *c, char *pattern, const char **bad) {
  char *save = NULL;
  NgStatus st = NG_SUCCESS;
  int any = 0;
  for (char *tok = strtok_r(pattern, " \t", &save); tok && !st; tok = strtok_r(NULL, " \t", &save)) {
    *bad = tok;
    size_t n = strlen(tok);
    if (!strcmp(tok, "...")) st = ng_buf_puts(&c->re, GAP);
    else if (!strcmp(tok, "$target")) st = put_slot(c, &c->target);
    else if (!strcmp(tok, "$source")) st = put_slot(c, &c->source);
    else if (!strcmp(tok, "$any")) {
      any = 0;
      st = put_slot(c, &any);
    } else if (tok[0] == '(' && n > 2 && tok[n - 1] == ')') {
      tok[n - 1] = '\0';
      st = ng_buf_puts(&c->re, "(?:");
      if (!st) st = put_alternatives(c, tok + 1);
      if (!st) st = ng_buf_puts(&c->re, ")?");
    } else if (tok[0] == '$' || strchr(tok, '(') || strchr(tok, ')')) {
      st = NG_ERR_SYNTAX;
    } else {
      st = put_alternatives(c, tok);
    }
  }
  return st;
}

/* Options in square brackets, anywhere on the line ("[passive]"); the
 * bracketed text is blanked out of the line. */
static NgStatus parse_options(char *line, NgPatternInfo *info, const char **bad) {
  char *open = strchr(line, '[');
  if (!open) return NG_SUCCESS;
  char *close = strchr(open, ']');
  if (!close || strchr(close + 1, '[')) {
    *bad = open;
    return NG_ERR_SYNTAX;
  }
  *close = '\0';
  *open = '\0';
  char options[256];
  snprintf(options, sizeof options, "%s", open + 1);
  memset(open, ' ', (size_t)(close - open) + 1);
  open = options - 1;
  char *save = NULL;
  for (char *o = strtok_r(open + 1, " ,", &save); o; o = strtok_r(NULL, " ,", &save)) {
    *bad = line;
    if (!strcmp(o, "passive")) info->passive_only = true;
    else if (!strcmp(o, "active")) info->active_only = true;
    else if (!strcmp(o, "symmetric")) info->symmetric = true;
    else if (!strncmp(o, "conf=", 5)) {
      char *end;
      info->confidence = strtod(o + 5, &end);
      if (*end || info->confidence <= 0 || info->confidence > 1) return NG_ERR_SYNTAX;
    } else {
      return NG_ERR_SYNTAX;
    }
  }
  return NG_SUCCESS;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
  return s;
}

/* "CODE LABEL" before the ':' (or the whole "= CODE LABEL" line). */
static NgStatus parse_head(NgLexicon *lex, NgArena *arena, char *head, const char *lemma,
                           NgPatternInfo *info, const char **bad) {
  head = trim(head);
  char *sp = strpbrk(head, " \t");
  if (sp) *sp = '\0';
  *bad = head;
  if (!strcmp(head, "-")) {
    info->code = "";
  } else {
    if (!ng_lexicon_cameo(lex, head)) return NG_ERR_SYNTAX;
    info->code = ng_arena_strdup(arena, head);
  }
  const char *label = sp ? trim(sp + 1) : "";
  if (!*label) {
    const NgCameo *c = ng_lexicon_cameo(lex, head);
    label = c ? c->label : ng_arena_printf(arena, "%ss", lemma);
  }
  info->label = ng_arena_strdup(arena, label);
  return info->code && info->label ? NG_SUCCESS : NG_ERR_NOMEM;
}

typedef struct {
  NgBuf alt[2];      /* [0] active, [1] passive */
  uint32_t *map[2];  /* MARK -> pattern index */
  size_t count[2];
} Alternation;

static NgStatus add_branch(Alternation *a, int voice, const char *re, uint32_t index) {
  size_t k = a->count[voice];
  uint32_t *m = realloc(a->map[voice], (k + 1) * sizeof *m);
  if (!m) return NG_ERR_NOMEM;
  a->map[voice] = m;
  m[k] = index;
  NgStatus st = ng_buf_puts(&a->alt[voice], k ? "|" : "(?:");
  if (!st) st = ng_buf_printf(&a->alt[voice], "(*MARK:%zu)%s", k, re);
  a->count[voice]++;
  return st;
}

/* Group numbers restart in every branch: (?| ... ) would make that
 * automatic, but we keep one numbering and record each pattern's groups. */
static pcre2_code *compile_alternation(NgBuf *alt, NgWorld *world, const char *file, unsigned long line) {
  if (ng_buf_putc(alt, ')')) return NULL;
  int err;
  PCRE2_SIZE off;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)alt->data, alt->len, PCRE2_UTF | PCRE2_NO_UTF_CHECK, &err,
                                   &off, NULL);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    ng_report(world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, file, line, 0, "pattern does not compile: %s", (char *)msg);
  }
  return code;
}

NgStatus ng_verb_compile(NgLexicon *lex, NgVerb *verb, const char **sources, size_t n, NgWorld *world,
                         const char *file, const unsigned long *lines) {
  NgArena *arena = ng_lexicon_arena(lex);
  NgStatus result = NG_SUCCESS;
  Alternation alt;
  memset(&alt, 0, sizeof alt);
  verb->patterns = calloc(n ? n : 1, sizeof *verb->patterns);
  if (!verb->patterns) return NG_ERR_NOMEM;
  int groups[2] = {0, 0}; /* capture groups so far in each voice's alternation */
  for (size_t i = 0; i < n; ++i) {
    char *copy = strdup(sources[i]);
    if (!copy) return NG_ERR_NOMEM;
    char *line = copy;
    while (*line == ' ' || *line == '\t') line++;
    const char *bad = line;
    NgPatternInfo info;
    memset(&info, 0, sizeof info);
    NgStatus st = parse_options(line, &info, &bad);
    Compiler c = {NG_BUF_INIT, 0, 0, 0, lex};
    if (!st && line[0] == '=') {
      st = parse_head(lex, arena, line + 1, verb->lemma, &info, &bad);
      if (!st) {
        info.confidence = info.confidence ? info.confidence : 0.7;
        info.rule = ng_arena_printf(arena, "%s#0", verb->lemma);
        info.has_target = true;
        verb->dflt = info;
        verb->has_default = true;
      }
    } else if (!st) {
      char *colon = strchr(line, ':');
      if (!colon) {
        st = NG_ERR_SYNTAX;
      } else {
        *colon = '\0';
        st = parse_head(lex, arena, line, verb->lemma, &info, &bad);
        if (!st) st = compile_pattern(&c, colon + 1, &bad);
      }
      if (!st) {
        info.confidence = info.confidence ? info.confidence : 0.9;
        info.rule = ng_arena_printf(arena, "%s#%zu", verb->lemma, verb->npatterns + 1);
        info.has_target = c.target != 0;
        info.has_source = c.source != 0;
        /* Capture groups are numbered across the whole alternation, so a
         * branch's numbers depend on the branches before it in that voice.
         * The map entry packs index | target << 16 | source << 24. */
        uint32_t index = (uint32_t)verb->npatterns;
        verb->patterns[verb->npatterns++] = info;
        for (int v = 0; v < 2 && !st; ++v) {
          if (v == 0 ? info.passive_only : info.active_only) continue;
          uint32_t tg = c.target ? (uint32_t)(groups[v] + c.target) : 0;
          uint32_t sg = c.source ? (uint32_t)(groups[v] + c.source) : 0;
          st = add_branch(&alt, v, c.re.data ? c.re.data : "", index | tg << 16 | sg << 24);
          groups[v] += c.groups;
        }
      }
    }
    if (st == NG_ERR_SYNTAX) {
      unsigned long col = (unsigned long)(bad >= copy && bad <= copy + strlen(sources[i]) ? bad - copy : 0) + 1;
      ng_report(world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, file, lines[i], col,
                "bad pattern near '%.40s' (see lexicon/README.md, verbs.txt)", bad);
      result = NG_ERR_SYNTAX;
    } else if (st) {
      result = st;
    }
    ng_buf_free(&c.re);
    free(copy);
  }
  for (int v = 0; v < 2 && !result; ++v) {
    if (!alt.count[v]) continue;
    pcre2_code *code = compile_alternation(&alt.alt[v], world, file, n ? lines[0] : 0);
    if (!code) result = NG_ERR_SYNTAX;
    if (v == 0) verb->active = code;
    else verb->passive = code;
  }
  verb->active_map = alt.map[0];
  verb->passive_map = alt.map[1];
  ng_buf_free(&alt.alt[0]);
  ng_buf_free(&alt.alt[1]);
  return result;
}

/* --------------------------------------------------------------- shadow */

void ng_shadow_free(NgShadow *s) {
  ng_buf_free(&s->text);
  free(s->tok_offset);
  s->tok_offset = NULL;
  s->ntok = s->cap = 0;
}

NgStatus ng_shadow_build(NgDocument *doc, size_t sentence, NgShadow *sh) {
  const NgSentence *s = &doc->sents[sentence];
  ng_buf_clear(&sh->text);
  if (s->count + 1 > sh->cap) {
    uint32_t *p = realloc(sh->tok_offset, (s->count + 1) * sizeof *p);
    if (!p) return NG_ERR_NOMEM;
    sh->tok_offset = p;
    sh->cap = s->count + 1;
  }
  sh->ntok = s->count;
  NgStatus st = ng_buf_reserve(&sh->text, s->count * 12 + 16);
  char key[512];
  for (size_t k = 0; k < s->count && !st; ++k) {
    const NgToken *t = &doc->tokens[s->first + k];
    sh->tok_offset[k] = (uint32_t)sh->text.len;
    if (t->np >= 0 && doc->phrases[t->np].first == s->first + k)
      st = ng_buf_printf(&sh->text, "{%d ", t->np);
    size_t kl;
    if (t->pos == NG_POS_VERB && t->lemma) {
      kl = strlen(t->lemma);
      if (kl >= sizeof key) kl = sizeof key - 1;
      memcpy(key, t->lemma, kl);
    } else if (t->norm_len * 2 + 8 <= sizeof key) {
      kl = ng_lexicon_lemma_key(doc->lex, t->norm, t->norm_len, key);
    } else {
      kl = 1;
      key[0] = 'x';
    }
    for (size_t j = 0; j < kl; ++j)
      if (key[j] == '{' || key[j] == ' ') key[j] = '(';
      else if (key[j] == '}') key[j] = ')';
    if (!st) st = ng_buf_append(&sh->text, key, kl);
    if (!st) st = ng_buf_putc(&sh->text, ' ');
    if (!st && t->np >= 0 && doc->phrases[t->np].last == s->first + k) st = ng_buf_puts(&sh->text, "} ");
  }
  sh->tok_offset[s->count] = (uint32_t)sh->text.len;
  return st;
}

/* The token (relative to the sentence) at shadow offset off. */
static size_t token_at(const NgShadow *sh, size_t off) {
  size_t lo = 0, hi = sh->ntok;
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    if (sh->tok_offset[mid] <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

bool ng_pattern_match(const NgDocument *doc, size_t sentence, const NgShadow *sh, const NgVerbGroup *g,
                      NgPatternMatch *m) {
  const NgVerb *v = g->verb;
  bool passive = (g->flags & NG_VG_PASSIVE) != 0;
  const pcre2_code *code = passive ? v->passive : v->active;
  const uint32_t *map = passive ? v->passive_map : v->active_map;
  if (!code) return false;
  const NgSentence *s = &doc->sents[sentence];
  size_t rel = g->head - s->first + 1;
  if (rel > sh->ntok) return false;
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
  if (!md) return false;
  int rc = pcre2_match(code, (PCRE2_SPTR)sh->text.data, sh->text.len, sh->tok_offset[rel],
                       PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK, md, NULL);
  bool ok = false;
  if (rc > 0) {
    PCRE2_SPTR mark = pcre2_get_mark(md);
    uint32_t packed = map[mark ? strtoul((const char *)mark, NULL, 10) : 0];
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    int tg = (int)((packed >> 16) & 0xFF), sg = (int)(packed >> 24);
    m->info = &v->patterns[packed & 0xFFFF];
    m->target_phrase = m->source_phrase = -1;
    if (tg && tg < rc && ov[2 * tg] != PCRE2_UNSET)
      m->target_phrase = (int32_t)strtol(sh->text.data + ov[2 * tg], NULL, 10);
    if (sg && sg < rc && ov[2 * sg] != PCRE2_UNSET)
      m->source_phrase = (int32_t)strtol(sh->text.data + ov[2 * sg], NULL, 10);
    size_t end = ov[1] ? ov[1] - 1 : 0;
    m->end_token = s->first + token_at(sh, end);
    ok = true;
  }
  pcre2_match_data_free(md);
  return ok;
}
