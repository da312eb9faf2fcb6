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
 * Each pattern is one regular expression, tried anchored right after the
 * verb, in file order (the first that matches wins).  Before a pattern is
 * run, a quick test checks that the words it requires occur in the sentence
 * at all: most patterns of a verb fail that test, so a verb costs one hash
 * lookup and, usually, one or two anchored matches. */
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
  /* required elements and their alternatives */
  NgRequired req[16];
  uint64_t hashes[16][32];
  char *prefixes[16][32];
  size_t nreq;
  bool req_open;    /* collecting the alternatives of one element */
  bool req_unknown; /* an alternative that cannot be checked */
  NgArena *arena;
} Compiler;

static NgStatus put_escaped(NgBuf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (strchr("\\^$.|?*+()[]{}", s[i]) && ng_buf_putc(b, '\\')) return NG_ERR_NOMEM;
    if (ng_buf_putc(b, s[i])) return NG_ERR_NOMEM;
  }
  return NG_SUCCESS;
}

/* Remember an alternative of the current required element. */
static void require_key(Compiler *c, const char *key, size_t n, bool prefix) {
  if (!c->req_open) return;
  NgRequired *r = &c->req[c->nreq];
  if (r->nhash == 32 || r->nprefix == 32) {
    c->req_unknown = true;
    return;
  }
  if (!prefix) {
    c->hashes[c->nreq][r->nhash++] = ng_hash_bytes(key, n);
    return;
  }
  char *copy = ng_arena_strndup(c->arena, key, n);
  if (!copy) c->req_unknown = true;
  else c->prefixes[c->nreq][r->nprefix++] = copy;
}

/* One word of an alternative: its lemma key, or a prefix with '*'. */
static NgStatus put_word(Compiler *c, const char *w, size_t n, bool first_of_alternative) {
  bool prefix = n > 1 && w[n - 1] == '*';
  if (prefix) n--;
  char norm[256], key[256];
  if (n * 2 + 8 > sizeof norm) return NG_ERR_SYNTAX;
  size_t nl = ng_normalize_word(w, n, norm);
  size_t kl = prefix ? (memcpy(key, norm, nl + 1), nl) : ng_lexicon_lemma_key(c->lex, norm, nl, key);
  if (first_of_alternative) require_key(c, key, kl, prefix);
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
    bool first = true;
    while (!st && w < s + n) {
      const char *us = memchr(w, '_', (size_t)(s + n - w));
      size_t wn = us ? (size_t)(us - w) : (size_t)(s + n - w);
      if (!wn) return NG_ERR_SYNTAX;
      st = put_word(c, w, wn, first);
      first = false;
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

/* A required element: its alternatives become one element of the test. */
static NgStatus put_required(Compiler *c, const char *tok) {
  if (c->nreq == NG_COUNTOF(c->req)) return put_alternatives(c, tok);
  memset(&c->req[c->nreq], 0, sizeof c->req[c->nreq]);
  c->req_open = true;
  c->req_unknown = false;
  NgStatus st = put_alternatives(c, tok);
  c->req_open = false;
  if (!c->req_unknown) c->nreq++; /* else it cannot be tested: leave it out */
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
      st = put_required(c, tok);
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
  char *save = NULL;
  for (char *o = strtok_r(options, " ,", &save); o; o = strtok_r(NULL, " ,", &save)) {
    *bad = line;
    if (!strcmp(o, "passive")) info->passive_only = true;
    else if (!strcmp(o, "active")) info->active_only = true;
    else if (!strcmp(o, "symmetric")) info->symmetric = true;
    else if (!strcmp(o, "actor")) info->needs_actor = true;
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

/* Keep the required-word test of a compiled pattern in the lexicon arena. */
static NgStatus store_required(NgArena *arena, const Compiler *c, NgPatternInfo *info) {
  info->nrequired = (uint8_t)c->nreq;
  if (!c->nreq) return NG_SUCCESS;
  NgRequired *req = ng_arena_alloc(arena, c->nreq * sizeof *req);
  if (!req) return NG_ERR_NOMEM;
  for (size_t e = 0; e < c->nreq; ++e) {
    req[e] = c->req[e];
    uint64_t *h = ng_arena_alloc(arena, (req[e].nhash + 1) * sizeof *h);
    const char **p = ng_arena_alloc(arena, (req[e].nprefix + 1) * sizeof *p);
    if (!h || !p) return NG_ERR_NOMEM;
    memcpy(h, c->hashes[e], req[e].nhash * sizeof *h);
    memcpy(p, c->prefixes[e], req[e].nprefix * sizeof *p);
    req[e].hash = h;
    req[e].prefix = p;
  }
  info->required = req;
  return NG_SUCCESS;
}

/* One line of a block: "= CODE LABEL" or "CODE LABEL : PATTERN". */
static NgStatus compile_line(NgLexicon *lex, NgVerb *verb, char *line, const char **bad, NgWorld *world,
                             const char *file, unsigned long lineno) {
  NgArena *arena = ng_lexicon_arena(lex);
  NgPatternInfo info;
  memset(&info, 0, sizeof info);
  NgStatus st = parse_options(line, &info, bad);
  if (st) return st;
  if (line[0] == '=') {
    if ((st = parse_head(lex, arena, line + 1, verb->lemma, &info, bad))) return st;
    info.confidence = info.confidence ? info.confidence : 0.7;
    info.rule = ng_arena_printf(arena, "%s#0", verb->lemma);
    info.has_target = true;
    verb->dflt = info;
    verb->has_default = true;
    return NG_SUCCESS;
  }
  char *colon = strchr(line, ':');
  if (!colon) return NG_ERR_SYNTAX;
  *colon = '\0';
  if ((st = parse_head(lex, arena, line, verb->lemma, &info, bad))) return st;
  /* (not memset: the alternative tables are 8 KB, filled as they are used) */
  Compiler c;
  c.re = (NgBuf)NG_BUF_INIT;
  c.groups = c.target = c.source = 0;
  c.nreq = 0;
  c.req_open = c.req_unknown = false;
  c.lex = lex;
  c.arena = arena;
  st = compile_pattern(&c, colon + 1, bad);
  if (!st) st = store_required(arena, &c, &info);
  /* PCRE2 compiles it when the lexicon has read its files (a second thread
   * takes half): its code arrives in the slot then */
  NgPatternInfo *slot = &verb->patterns[verb->npatterns];
  if (!st) st = ng_lexicon_defer_pattern(lex, slot, c.re.data ? c.re.data : "", c.re.len, file, lineno);
  ng_buf_free(&c.re);
  if (st) return st;
  info.confidence = info.confidence ? info.confidence : 0.9;
  info.rule = ng_arena_printf(arena, "%s#%zu", verb->lemma, verb->npatterns + 1);
  info.has_target = c.target != 0;
  info.has_source = c.source != 0;
  info.target_group = c.target;
  info.source_group = c.source;
  *slot = info;
  verb->npatterns++;
  return NG_SUCCESS;
}

NgStatus ng_verb_compile(NgLexicon *lex, NgVerb *verb, const char **sources, size_t n, NgWorld *world,
                         const char *file, const unsigned long *lines) {
  NgStatus result = NG_SUCCESS;
  verb->patterns = calloc(n ? n : 1, sizeof *verb->patterns);
  if (!verb->patterns) return NG_ERR_NOMEM;
  for (size_t i = 0; i < n; ++i) {
    char *copy = strdup(sources[i]);
    if (!copy) return NG_ERR_NOMEM;
    char *line = copy;
    while (*line == ' ' || *line == '\t') line++;
    const char *bad = line;
    NgStatus st = compile_line(lex, verb, line, &bad, world, file, lines[i]);
    if (st == NG_ERR_SYNTAX) {
      unsigned long col = (unsigned long)(bad >= copy && bad <= copy + strlen(sources[i]) ? bad - copy : 0) + 1;
      ng_report(world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, file, lines[i], col,
                "bad pattern near '%.40s' (see lexicon/README.md, verbs.txt)", bad);
    }
    if (st && !result) result = st == NG_FAILURE ? NG_ERR_SYNTAX : st;
    free(copy);
  }
  return result;
}

/* --------------------------------------------------------------- shadow */

void ng_shadow_free(NgShadow *s) {
  ng_buf_free(&s->text);
  free(s->tok_offset);
  free(s->tok_hash);
  free(s->keys);
  pcre2_match_data_free(s->match_data);
  memset(s, 0, sizeof *s);
}

static void add_key(NgShadow *sh, uint64_t h) {
  if (!h) h = 1;
  size_t mask = sh->nkeys_cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    if (sh->keys[i] == h) return;
    if (!sh->keys[i]) {
      sh->keys[i] = h;
      return;
    }
  }
}

static bool has_key(const NgShadow *sh, uint64_t h) {
  if (!h) h = 1;
  size_t mask = sh->nkeys_cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    if (sh->keys[i] == h) return true;
    if (!sh->keys[i]) return false;
  }
}

NgStatus ng_shadow_build(NgDocument *doc, size_t sentence, NgShadow *sh) {
  const NgSentence *s = &doc->sents[sentence];
  sh->built_for = 0;
  ng_buf_clear(&sh->text);
  if (s->count + 1 > sh->cap) {
    uint32_t *p = realloc(sh->tok_offset, (s->count + 1) * sizeof *p);
    if (!p) return NG_ERR_NOMEM;
    sh->tok_offset = p;
    uint64_t *h = realloc(sh->tok_hash, (s->count + 1) * sizeof *h);
    if (!h) return NG_ERR_NOMEM;
    sh->tok_hash = h;
    sh->cap = s->count + 1;
  }
  sh->ntok = s->count;
  size_t want = 64;
  while (want < s->count * 2 + 2) want *= 2;
  if (want > sh->nkeys_cap) {
    uint64_t *k = realloc(sh->keys, want * sizeof *k);
    if (!k) return NG_ERR_NOMEM;
    sh->keys = k;
    sh->nkeys_cap = want;
  }
  if (!sh->match_data && !(sh->match_data = pcre2_match_data_create(16, NULL))) return NG_ERR_NOMEM;
  NgStatus st = NG_SUCCESS;
  char key[512];
  for (size_t k = 0; k < s->count && !st; ++k) {
    const NgToken *t = &doc->tokens[s->first + k];
    const char *kp = key;
    size_t kl;
    uint64_t hash;
    if (t->pos == NG_POS_VERB && t->lemma) {
      const NgVocab *lv = t->vocab && t->vocab->lemma == t->lemma ? t->vocab : NULL;
      kp = t->lemma;
      kl = lv ? lv->key_len : strlen(t->lemma);
      hash = lv ? lv->key_hash : ng_hash_bytes(kp, kl);
    } else if (t->vocab && t->vocab->key) { /* known words: computed at load */
      kp = t->vocab->key;
      kl = t->vocab->key_len;
      hash = t->vocab->key_hash;
    } else {
      kl = t->norm_len * 2 + 8 <= sizeof key ? ng_lexicon_lemma_key(doc->lex, t->norm, t->norm_len, key) : 1;
      if (kl == 1 && t->norm_len * 2 + 8 > sizeof key) key[0] = 'x';
      for (size_t j = 0; j < kl; ++j) /* brackets are the shadow's own */
        if (key[j] == '{') key[j] = '(';
        else if (key[j] == '}') key[j] = ')';
      hash = ng_hash_bytes(key, kl);
    }
    sh->tok_hash[k] = hash;
    /* room for "{4294967295 ", the key, " } " at once, then plain stores
     * (a call per piece was a third of the cost) */
    if ((st = ng_buf_reserve(&sh->text, kl + 16))) break;
    char *w = sh->text.data + sh->text.len;
    sh->tok_offset[k] = (uint32_t)sh->text.len;
    if (t->np >= 0 && doc->phrases[t->np].first == s->first + k) {
      char open[16]; /* "{12 ", written backwards without printf */
      size_t o = sizeof open;
      uint32_t v = (uint32_t)t->np;
      open[--o] = ' ';
      do {
        open[--o] = (char)('0' + v % 10);
        v /= 10;
      } while (v);
      open[--o] = '{';
      memcpy(w, open + o, sizeof open - o);
      w += sizeof open - o;
    }
    memcpy(w, kp, kl);
    w += kl;
    *w++ = ' ';
    if (t->np >= 0 && doc->phrases[t->np].last == s->first + k) {
      *w++ = '}';
      *w++ = ' ';
    }
    *w = '\0';
    sh->text.len = (size_t)(w - sh->text.data);
  }
  sh->tok_offset[s->count] = (uint32_t)sh->text.len;
  if (!st) sh->built_for = sentence + 1;
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

/* Does a word starting with prefix stand in the shadow between from and to?
 * (memchr for the first byte, then compare: memmem's set-up cost more than
 * the search, on clauses of a hundred bytes) */
static bool has_prefix(const NgShadow *sh, size_t from, size_t to, const char *prefix) {
  size_t n = strlen(prefix);
  const char *s = sh->text.data + from, *end = sh->text.data + to;
  while (s + n < end) {
    const char *hit = memchr(s, prefix[0], (size_t)(end - s) - n + 1);
    if (!hit) return false;
    if (memcmp(hit, prefix, n) == 0 && hit > sh->text.data && hit[-1] == ' ') return true; /* at a word start */
    s = hit + 1;
  }
  return false;
}

/* The quick test: every required element has an alternative in the clause
 * after the verb. */
static bool may_match(const NgPatternInfo *p, const NgShadow *sh, size_t from, size_t to) {
  for (size_t e = 0; e < p->nrequired; ++e) {
    const NgRequired *r = &p->required[e];
    bool found = false;
    for (size_t a = 0; a < r->nhash && !found; ++a) found = has_key(sh, r->hash[a]);
    for (size_t a = 0; a < r->nprefix && !found; ++a) found = has_prefix(sh, from, to, r->prefix[a]);
    if (!found) return false;
  }
  return true;
}

static int32_t group_phrase(const NgShadow *sh, const PCRE2_SIZE *ov, int group, int rc) {
  if (!group || group >= rc || ov[2 * group] == PCRE2_UNSET) return -1;
  return (int32_t)strtol(sh->text.data + ov[2 * group], NULL, 10);
}

/* The words a pattern of group g may use: those after the verb, up to the
 * end of its clause (where gaps stop too). */
static size_t collect_keys(const NgDocument *doc, const NgSentence *s, NgShadow *sh, size_t rel) {
  memset(sh->keys, 0, sh->nkeys_cap * sizeof *sh->keys);
  size_t k = rel;
  for (; k < sh->ntok; ++k) {
    const NgToken *t = &doc->tokens[s->first + k];
    if ((t->flags & NG_TOK_END) || (t->flags & NG_TOK_PUNCT && (t->norm[0] == ';' || t->norm[0] == ':'))) break;
    add_key(sh, sh->tok_hash[k]);
  }
  return k; /* the first token after the clause */
}

bool ng_pattern_match(const NgDocument *doc, size_t sentence, NgShadow *sh, const NgVerbGroup *g, size_t first,
                      NgPatternMatch *m) {
  const NgVerb *v = g->verb;
  bool passive = (g->flags & NG_VG_PASSIVE) != 0;
  const NgSentence *s = &doc->sents[sentence];
  size_t rel = g->head - s->first + 1;
  if (!v->npatterns || sh->built_for != sentence + 1 || rel > sh->ntok || !sh->match_data) return false;
  size_t clause_end = collect_keys(doc, s, sh, rel);
  size_t from = sh->tok_offset[rel], to = sh->tok_offset[clause_end];
  pcre2_match_data *md = sh->match_data;
  for (size_t i = first; i < v->npatterns; ++i) {
    const NgPatternInfo *p = &v->patterns[i];
    if ((passive ? p->active_only : p->passive_only) || !may_match(p, sh, from, to)) continue;
    int rc = pcre2_match(p->re, (PCRE2_SPTR)sh->text.data, sh->text.len, sh->tok_offset[rel],
                         PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK, md, NULL);
    if (rc <= 0) continue;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    m->info = p;
    m->index = i;
    m->target_phrase = group_phrase(sh, ov, p->target_group, rc);
    m->source_phrase = group_phrase(sh, ov, p->source_group, rc);
    m->end_token = s->first + token_at(sh, ov[1] ? ov[1] - 1 : 0);
    return true;
  }
  return false;
}
