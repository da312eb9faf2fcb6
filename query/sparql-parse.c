/* sparql-parse.c - the lexer and the recursive-descent parser of the whole
 * SPARQL 1.1 Query and Update grammar (the W3C recommendation's section
 * 19), translating group graph patterns into the algebra as its section
 * 18.2 says.
 *
 * Hand-written: the grammar is LL(1) but for a few places that look two
 * tokens ahead, and a hand-written parser reports each error at the token
 * that caused it (line:col of the user's own text: the project's prefixes
 * are predeclared in the prefix table, not pasted in front of the query).
 *
 * Errors abort the parse with longjmp: every allocation of a parse lives in
 * the query's arena, or in the few maps the parser keeps (freed by the
 * caller of setjmp), so nothing leaks on the way out. */
#include "sparql-engine.h"
#include "iri.h"

#include <raptor2.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 256 /* nesting of groups, expressions and paths */

/* ================================================================= lexer */

typedef enum {
  T_EOF,
  T_IRI,
  T_PNAME,
  T_BNODE,
  T_VAR,
  T_LANG,
  T_INT,
  T_DEC,
  T_DBL,
  T_STR,
  T_WORD,
  T_PUNCT
} TokKind;

typedef struct {
  TokKind kind;
  size_t begin, end; /* bytes of the text */
  unsigned long line, col;
  const char *value; /* IRI, string (escapes decoded), variable or label name, number, word */
  const char *local; /* T_PNAME: the local part (escapes decoded); value: the prefix, no ':' */
  char punct[3];     /* T_PUNCT */
} Token;

typedef struct {
  const char *iri;
  unsigned long line, col;
} BlankUse;

typedef struct Parser {
  NgWorld *world;
  const char *origin;
  const char *text;
  size_t len;
  NgSqQuery *q;
  NgArena *arena;
  jmp_buf fail;
  NgStatus status;
  /* lexing */
  size_t pos;
  size_t cur_off; /* line/col are known up to this offset */
  unsigned long cur_line, cur_col;
  Token tok, next; /* the current token and one of look-ahead */
  bool has_next;
  /* names */
  NgMap *prefixes; /* prefix -> namespace (char * in the arena) */
  char *base;
  NgMap *maps[64]; /* every map made, to free them at the end */
  size_t nmaps;
  NgMap *scope;        /* variable names of the current SELECT -> index + 1 */
  NgMap *bnodes;       /* blank node labels of the current scope -> var + 1 */
  NgMap *bnode_bgp;    /* label -> the BGP number it was used in */
  unsigned bgp_number; /* the basic graph pattern being read, for the label rule */
  unsigned bgp_counter;
  NgMap *data_bnodes; /* labels of update data blocks -> operation number + 1 */
  unsigned op_number;
  int depth;
  NgSqNode *group_filter; /* the FILTER node the last group made for its own filters */
  /* aggregates of the SELECT being parsed: allowed where agg_ok */
  bool agg_ok;
  bool in_agg;
  NgSqAgg *aggs;
  size_t naggs, cap_aggs;
  /* where blank nodes go */
  enum { BN_VAR, BN_TEMPLATE, BN_FORBIDDEN } bnode_mode;
  bool no_vars;   /* data blocks: variables are errors */
  uint64_t fresh; /* counter for generated blank node labels */
} Parser;

static void fail_at(Parser *p, const Token *t, const char *fmt, ...) NG_PRINTF(3, 4);

static void fail_at(Parser *p, const Token *t, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  ng_report(p->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, p->origin, t ? t->line : 0, t ? t->col : 0,
            "%s", msg);
  p->status = NG_ERR_SYNTAX;
  longjmp(p->fail, 1);
}

static void fail_nomem(Parser *p) {
  p->status = NG_ERR_NOMEM;
  longjmp(p->fail, 1);
}

static void *palloc(Parser *p, size_t size) {
  void *m = ng_arena_calloc(p->arena, size ? size : 1);
  if (!m) fail_nomem(p);
  return m;
}

static char *pstrndup(Parser *p, const char *s, size_t n) {
  char *c = ng_arena_strndup(p->arena, s, n);
  if (!c) fail_nomem(p);
  return c;
}

static NgMap *pmap(Parser *p) {
  if (p->nmaps == NG_COUNTOF(p->maps)) fail_at(p, &p->tok, "query nested too deeply");
  NgMap *m = ng_map_new();
  if (!m) fail_nomem(p);
  p->maps[p->nmaps++] = m;
  return m;
}

static void map_put(Parser *p, NgMap *m, const char *key, size_t len, uintptr_t value) {
  if (ng_map_put(m, key, len, value)) fail_nomem(p);
}

/* Line and column (1-based, in code points) of byte offset off, counted on
 * from where the last call left off (tokens come in order). */
static void locate(Parser *p, size_t off, unsigned long *line, unsigned long *col) {
  if (off < p->cur_off) { /* look-ahead backed up: count again from the start */
    p->cur_off = 0;
    p->cur_line = 1;
    p->cur_col = 1;
  }
  for (size_t i = p->cur_off; i < off; ++i) {
    unsigned char c = (unsigned char)p->text[i];
    if (c == '\n') {
      p->cur_line++;
      p->cur_col = 1;
    } else if ((c & 0xC0) != 0x80) {
      p->cur_col++;
    }
  }
  p->cur_off = off;
  *line = p->cur_line;
  *col = p->cur_col;
}

static bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_hex(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/* PN_CHARS_BASE, with every non-ASCII byte taken as part of a name */
static bool pn_base(unsigned char c) { return is_alpha(c) || c >= 0x80; }
static bool pn_chars_u(unsigned char c) { return pn_base(c) || c == '_'; }
static bool pn_chars(unsigned char c) { return pn_chars_u(c) || c == '-' || is_digit(c); }

static size_t skip_ws(Parser *p, size_t i) {
  while (i < p->len) {
    char c = p->text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      i++;
    } else if (c == '#') {
      while (i < p->len && p->text[i] != '\n')
        i++;
    } else {
      break;
    }
  }
  return i;
}

/* Appends code point cp as UTF-8; a surrogate or a value past U+10FFFF is an error. */
static void put_cp(Parser *p, NgBuf *b, uint32_t cp, const Token *t) {
  char u[4];
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
    fail_at(p, t, "syntax error: \\u escape of an invalid code point");
  if (ng_buf_append(b, u, ng_utf8_encode(cp, u))) fail_nomem(p);
}

/* \uXXXX or \UXXXXXXXX at t[i] (the backslash); returns bytes used, 0 if not one. */
static size_t uchar_escape(const char *t, size_t len, size_t i, uint32_t *cp) {
  if (i + 1 >= len || (t[i + 1] != 'u' && t[i + 1] != 'U')) return 0;
  size_t n = t[i + 1] == 'u' ? 4 : 8;
  if (i + 2 + n > len) return 0;
  uint32_t v = 0;
  for (size_t k = 0; k < n; ++k) {
    unsigned char c = (unsigned char)t[i + 2 + k];
    if (!is_hex(c)) return 0;
    v = v * 16 + (uint32_t)(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  *cp = v;
  return 2 + n;
}

static void lex_iri(Parser *p, Token *t, size_t i, size_t end) {
  NgBuf b = NG_BUF_INIT;
  for (size_t k = i + 1; k < end - 1;) {
    uint32_t cp;
    size_t n;
    if (p->text[k] == '\\') {
      if (!(n = uchar_escape(p->text, end, k, &cp))) {
        ng_buf_free(&b);
        fail_at(p, t, "syntax error: bad escape in an IRI");
      }
      put_cp(p, &b, cp, t);
      k += n;
    } else {
      if (ng_buf_append(&b, p->text + k, 1)) fail_nomem(p);
      k++;
    }
  }
  t->value = pstrndup(p, ng_buf_str(&b), b.len);
  ng_buf_free(&b);
  t->kind = T_IRI;
  t->end = end;
}

/* An IRIREF at i, or 0 (then '<' is an operator). */
static size_t iri_end(Parser *p, size_t i) {
  for (size_t j = i + 1; j < p->len; ++j) {
    unsigned char c = (unsigned char)p->text[j];
    if (c == '>') return j + 1;
    if (c <= 0x20 || strchr("<\"{}|^`", c)) return 0;
  }
  return 0;
}

static void lex_string(Parser *p, Token *t, size_t i) {
  char q = p->text[i];
  bool longform = i + 2 < p->len && p->text[i + 1] == q && p->text[i + 2] == q;
  size_t k = i + (longform ? 3 : 1);
  NgBuf b = NG_BUF_INIT;
  for (;;) {
    if (k >= p->len) {
      ng_buf_free(&b);
      fail_at(p, t, "syntax error: unterminated string");
    }
    char c = p->text[k];
    if (longform && c == q && k + 2 < p->len && p->text[k + 1] == q && p->text[k + 2] == q) {
      k += 3;
      break;
    }
    if (!longform && c == q) {
      k++;
      break;
    }
    if (!longform && (c == '\n' || c == '\r')) {
      ng_buf_free(&b);
      fail_at(p, t, "syntax error: line break in a string (use \"\"\" for long strings)");
    }
    if (c == '\\') {
      uint32_t cp;
      size_t n = uchar_escape(p->text, p->len, k, &cp);
      if (n) {
        put_cp(p, &b, cp, t);
        k += n;
        continue;
      }
      static const char from[] = "tbnrf\"'\\", to[] = "\t\b\n\r\f\"'\\";
      const char *e = k + 1 < p->len ? strchr(from, p->text[k + 1]) : NULL;
      if (!e || !*e) {
        ng_buf_free(&b);
        fail_at(p, t, "syntax error: bad escape sequence in a string");
      }
      if (ng_buf_putc(&b, to[e - from])) fail_nomem(p);
      k += 2;
      continue;
    }
    if (ng_buf_putc(&b, c)) fail_nomem(p);
    k++;
  }
  t->kind = T_STR;
  t->value = pstrndup(p, ng_buf_str(&b), b.len);
  ng_buf_free(&b);
  t->end = k;
}

static void lex_number(Parser *p, Token *t, size_t i) {
  size_t k = i;
  bool dot = false, exp = false;
  while (k < p->len && is_digit((unsigned char)p->text[k]))
    k++;
  if (k < p->len && p->text[k] == '.') {
    size_t d = k + 1;
    while (d < p->len && is_digit((unsigned char)p->text[d]))
      d++;
    bool has_exp = d < p->len && (p->text[d] == 'e' || p->text[d] == 'E');
    if (d > k + 1 || (has_exp && k > i)) { /* "1.5", "1.e3"; "1." is 1 then '.' */
      dot = true;
      k = d;
    }
  }
  if (k < p->len && (p->text[k] == 'e' || p->text[k] == 'E') && k > i) {
    size_t e = k + 1;
    if (e < p->len && (p->text[e] == '+' || p->text[e] == '-')) e++;
    if (e < p->len && is_digit((unsigned char)p->text[e])) {
      while (e < p->len && is_digit((unsigned char)p->text[e]))
        e++;
      exp = true;
      k = e;
    }
  }
  t->kind = exp ? T_DBL : dot ? T_DEC : T_INT;
  t->end = k;
  t->value = pstrndup(p, p->text + i, k - i);
}

/* A local-name escape or a percent escape at k: its length (0: none). */
static size_t plx(Parser *p, size_t k) {
  if (p->text[k] == '%')
    return k + 2 < p->len && is_hex((unsigned char)p->text[k + 1]) &&
                   is_hex((unsigned char)p->text[k + 2])
               ? 3
               : 0;
  if (p->text[k] == '\\')
    return k + 1 < p->len && p->text[k + 1] && strchr("_~.-!$&'()*+,;=/?#@%", p->text[k + 1]) ? 2
                                                                                              : 0;
  return 0;
}

/* PN_LOCAL from k: its end; *out gets it with the backslashes removed. */
static size_t lex_local(Parser *p, size_t k, const char **out) {
  NgBuf b = NG_BUF_INIT;
  size_t last_good = k, n;
  bool first = true;
  while (k < p->len) {
    unsigned char c = (unsigned char)p->text[k];
    if ((n = plx(p, k))) {
      if (ng_buf_append(&b, p->text + k + (n == 2), n == 2 ? 1 : 3)) fail_nomem(p);
      k += n;
      last_good = k;
    } else if (pn_chars(c) || c == ':' || (first && is_digit(c))) {
      if (ng_buf_putc(&b, (char)c)) fail_nomem(p);
      k++;
      last_good = k;
    } else if (c == '.' && !first) {
      if (ng_buf_putc(&b, '.')) fail_nomem(p);
      k++;
    } else {
      break;
    }
    first = false;
  }
  /* a name never ends with '.': give the trailing dots back */
  size_t trailing = k - last_good;
  *out = pstrndup(p, ng_buf_str(&b), b.len - trailing);
  ng_buf_free(&b);
  return last_good;
}

/* A word (keyword, function name) or a prefixed name, starting at i. */
static void lex_name(Parser *p, Token *t, size_t i) {
  size_t k = i;
  if (p->text[k] != ':') {
    /* PN_PREFIX: PN_CHARS_BASE ((PN_CHARS|'.')* PN_CHARS)? */
    size_t last = k + 1;
    for (k = i + 1; k < p->len; ++k) {
      unsigned char c = (unsigned char)p->text[k];
      if (pn_chars(c))
        last = k + 1;
      else if (c != '.')
        break;
    }
    if (last < p->len && p->text[last] == ':') {
      k = last;
    } else {
      /* a bare word: letters, digits and '_' */
      for (k = i; k < p->len && (is_alpha((unsigned char)p->text[k]) ||
                                 is_digit((unsigned char)p->text[k]) || p->text[k] == '_');
           ++k) {
      }
      if (k < p->len && p->text[k] == '\\') {
        Token at = *t;
        locate(p, k, &at.line, &at.col);
        fail_at(p, &at,
                "syntax error: a backslash outside a string or IRI may only escape one of "
                "_~.-!$&'()*+,;=/?#@%% in a local name");
      }
      t->kind = T_WORD;
      t->end = k;
      t->value = pstrndup(p, p->text + i, k - i);
      return;
    }
  }
  t->kind = T_PNAME;
  t->value = pstrndup(p, p->text + i, k - i);
  t->end = lex_local(p, k + 1, &t->local);
}

static void lex_var_or_label(Parser *p, Token *t, size_t i, size_t skip, TokKind kind) {
  size_t k = i + skip;
  if (k >= p->len ||
      !(pn_chars_u((unsigned char)p->text[k]) || is_digit((unsigned char)p->text[k])))
    fail_at(p, t,
            kind == T_VAR ? "syntax error: a variable needs a name"
                          : "syntax error: a blank node label needs a name");
  size_t last = ++k;
  for (; k < p->len; ++k) {
    unsigned char c = (unsigned char)p->text[k];
    if (pn_chars(c))
      last = k + 1;
    else if (c == '.' && kind == T_BNODE)
      continue;
    else
      break;
  }
  t->kind = kind;
  t->end = last;
  t->value = pstrndup(p, p->text + i + skip, last - i - skip);
}

static void lex(Parser *p, Token *t) {
  size_t i = skip_ws(p, p->pos);
  memset(t, 0, sizeof *t);
  t->begin = i;
  locate(p, i, &t->line, &t->col);
  if (i >= p->len) { /* the end is reported right after the last token */
    t->begin = p->pos;
    locate(p, p->pos, &t->line, &t->col);
    t->kind = T_EOF;
    t->end = i;
    p->pos = i;
    return;
  }
  unsigned char c = (unsigned char)p->text[i],
                d = i + 1 < p->len ? (unsigned char)p->text[i + 1] : 0;
  size_t e;
  if (c == '<' && (e = iri_end(p, i))) {
    lex_iri(p, t, i, e);
  } else if (c == '"' || c == '\'') {
    lex_string(p, t, i);
  } else if (c == '$' || (c == '?' && (pn_chars_u(d) || is_digit(d)))) {
    lex_var_or_label(p, t, i, 1, T_VAR);
  } else if (c == '_' && d == ':') {
    lex_var_or_label(p, t, i, 2, T_BNODE);
  } else if (c == '@' && is_alpha(d)) {
    size_t k = i + 1;
    while (k < p->len && is_alpha((unsigned char)p->text[k]))
      k++;
    while (k + 1 < p->len && p->text[k] == '-' &&
           (is_alpha((unsigned char)p->text[k + 1]) || is_digit((unsigned char)p->text[k + 1]))) {
      k++;
      while (k < p->len &&
             (is_alpha((unsigned char)p->text[k]) || is_digit((unsigned char)p->text[k])))
        k++;
    }
    t->kind = T_LANG;
    t->end = k;
    t->value = pstrndup(p, p->text + i + 1, k - i - 1);
  } else if (is_digit(c) || (c == '.' && is_digit(d))) {
    lex_number(p, t, i);
  } else if (pn_base(c) || c == ':') {
    lex_name(p, t, i);
  } else {
    static const char *const pairs[] = {"^^", "&&", "||", "<=", ">=", "!="};
    t->kind = T_PUNCT;
    t->end = i + 1;
    t->punct[0] = (char)c;
    for (size_t k = 0; k < NG_COUNTOF(pairs); ++k)
      if (c == (unsigned char)pairs[k][0] && d == (unsigned char)pairs[k][1]) {
        t->end = i + 2;
        t->punct[1] = (char)d;
      }
    if (!strchr("{}()[].,;*/+-!=<>|^?&:", c) || (c == '&' && !t->punct[1]))
      fail_at(p, t, "syntax error: unexpected character '%.*s'",
              (int)(ng_utf8_seq_len((const unsigned char *)p->text + i, p->len - i) ?: 1),
              p->text + i);
  }
  p->pos = t->end;
}

static void advance(Parser *p) {
  if (p->has_next) {
    p->tok = p->next;
    p->has_next = false;
  } else {
    lex(p, &p->tok);
  }
}

static const Token *peek2(Parser *p) {
  if (!p->has_next) {
    lex(p, &p->next);
    p->has_next = true;
  }
  return &p->next;
}

/* ------------------------------------------------------ token predicates */

static bool is_punct(const Token *t, const char *s) {
  return t->kind == T_PUNCT && !strcmp(t->punct, s);
}
static bool is_kw(const Token *t, const char *word) {
  return t->kind == T_WORD && !strcasecmp(t->value, word);
}

/* As Bison-made parsers (Raptor's, Rasqal's) name tokens: keywords bare,
 * punctuation and other tokens quoted, the end as $end. */
static const char *describe_token(Parser *p, const Token *t) {
  size_t n = t->end - t->begin;
  switch (t->kind) {
  case T_EOF: return "$end";
  case T_PUNCT: return ng_arena_printf(p->arena, "'%s'", t->punct) ?: "?";
  case T_WORD:
    return ng_arena_printf(p->arena, "%.*s", (int)(n > 40 ? 40 : n), p->text + t->begin) ?: "?";
  default:
    return ng_arena_printf(p->arena, "'%.*s%s'", (int)(n > 40 ? 40 : n), p->text + t->begin,
                           n > 40 ? "..." : "")
               ?: "?";
  }
}

static void unexpected(Parser *p, const char *expecting) {
  const char *what = describe_token(p, &p->tok);
  if (expecting) fail_at(p, &p->tok, "syntax error, unexpected %s, expecting %s", what, expecting);
  fail_at(p, &p->tok, "syntax error, unexpected %s", what);
}

static void expect_punct(Parser *p, const char *s) {
  if (!is_punct(&p->tok, s)) {
    char want[8];
    snprintf(want, sizeof want, "'%s'", s);
    unexpected(p, want);
  }
  advance(p);
}

static bool accept_punct(Parser *p, const char *s) {
  if (!is_punct(&p->tok, s)) return false;
  advance(p);
  return true;
}

static bool accept_kw(Parser *p, const char *word) {
  if (!is_kw(&p->tok, word)) return false;
  advance(p);
  return true;
}

static void expect_kw(Parser *p, const char *word) {
  if (!accept_kw(p, word)) unexpected(p, word);
}

static void enter(Parser *p) {
  if (++p->depth > MAX_DEPTH) fail_at(p, &p->tok, "query nested too deeply");
}

/* ============================================================== names */

static const char *resolve_iri(Parser *p, const char *ref, const Token *t) {
  if (!p->base) return ref;
  /* an absolute IRI has a scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
  const char *s = ref;
  if (is_alpha((unsigned char)*s)) {
    while (is_alpha((unsigned char)*s) || is_digit((unsigned char)*s) || (*s && strchr("+-.", *s)))
      s++;
    if (*s == ':' && s > ref) return ref;
  }
  size_t cap = strlen(p->base) + strlen(ref) + 16;
  unsigned char *buf = palloc(p, cap);
  if (!raptor_uri_resolve_uri_reference((const unsigned char *)p->base, (unsigned char *)ref, buf,
                                        cap))
    fail_at(p, t, "cannot resolve IRI <%s> against the base", ref);
  return (const char *)buf;
}

static const char *pname_iri(Parser *p, const Token *t) {
  size_t plen = strlen(t->value);
  uintptr_t ns;
  if (!ng_map_get(p->prefixes, t->value, plen, &ns))
    fail_at(p, t, "undeclared prefix '%.*s'", (int)plen, t->value);
  return ng_arena_join(p->arena, (const char *)ns, strlen((const char *)ns), t->local) ?: "";
}

/* iri: IRIREF | PrefixedName.  The current token must be one. */
static const char *take_iri(Parser *p) {
  const char *iri;
  if (p->tok.kind == T_IRI)
    iri = resolve_iri(p, p->tok.value, &p->tok);
  else if (p->tok.kind == T_PNAME)
    iri = pname_iri(p, &p->tok);
  else
    unexpected(p, "an IRI");
  advance(p);
  return iri;
}

static bool at_iri(const Parser *p) { return p->tok.kind == T_IRI || p->tok.kind == T_PNAME; }

/* ---------------------------------------------------------- variables */

static uint32_t new_var(Parser *p, const char *name) {
  NgSqQuery *q = p->q;
  if ((q->nvars & (q->nvars - 1)) == 0) { /* grow at powers of two */
    size_t cap = q->nvars ? q->nvars * 2 : 16;
    const char **names = palloc(p, cap * sizeof *names);
    if (q->nvars) memcpy(names, q->var_names, q->nvars * sizeof *names);
    q->var_names = names;
  }
  if (q->nvars >= (1u << 24)) fail_at(p, &p->tok, "too many variables");
  q->var_names[q->nvars] = name;
  return (uint32_t)q->nvars++;
}

/* The variable of this name in the current scope, made on first use. */
static uint32_t scope_var(Parser *p, NgMap *scope, const char *name) {
  uintptr_t v;
  if (ng_map_get(scope, name, strlen(name), &v)) return (uint32_t)(v - 1);
  uint32_t var = new_var(p, name);
  map_put(p, scope, name, strlen(name), (uintptr_t)var + 1);
  return var;
}

static uint32_t var_named(Parser *p, const char *name) { return scope_var(p, p->scope, name); }

/* A variable no one can name: path steps, collections, aggregates. */
static uint32_t hidden_var(Parser *p) { return new_var(p, ""); }

static NgSqTerm var_term(uint32_t v) { return (NgSqTerm){.kind = NG_SQ_T_VAR, .var = v}; }

static NgSqTerm iri_term(const char *iri) {
  return (NgSqTerm){.kind = NG_SQ_T_CONST, .term = {NG_TERM_IRI, iri, NULL, NULL}};
}

/* A blank node of the text (label) or a fresh one (label NULL), as the
 * current place wants it: a variable in patterns, a template blank node in
 * CONSTRUCT and INSERT. */
static NgSqTerm blank_term(Parser *p, const char *label, const Token *at) {
  if (p->bnode_mode == BN_FORBIDDEN)
    fail_at(p, at, "blank nodes are not allowed in DELETE DATA, DELETE WHERE or DELETE templates");
  if (p->bnode_mode == BN_TEMPLATE) {
    const char *l = label ? ng_arena_printf(p->arena, "b%s", label)
                          : ng_arena_printf(p->arena, "g%llu", (unsigned long long)++p->fresh);
    if (!l) fail_nomem(p);
    if (label && p->data_bnodes && p->no_vars) { /* a data block's label: one operation */
      uintptr_t op;
      if (ng_map_get(p->data_bnodes, label, strlen(label), &op) && op != p->op_number + 1)
        fail_at(p, at, "blank node label '_:%s' used in two operations of one request", label);
      map_put(p, p->data_bnodes, label, strlen(label), p->op_number + 1);
    }
    return (NgSqTerm){.kind = NG_SQ_T_BNODE, .term = {NG_TERM_BLANK, l, NULL, NULL}};
  }
  if (!label) return var_term(hidden_var(p));
  uintptr_t bgp;
  size_t n = strlen(label);
  if (ng_map_get(p->bnode_bgp, label, n, &bgp) && bgp != p->bgp_number)
    fail_at(p, at, "blank node label '_:%s' used in two basic graph patterns", label);
  map_put(p, p->bnode_bgp, label, n, p->bgp_number);
  uintptr_t v;
  if (ng_map_get(p->bnodes, label, n, &v)) return var_term((uint32_t)(v - 1));
  uint32_t var = new_var(p, ng_arena_printf(p->arena, "_:%s", label) ?: "_:");
  map_put(p, p->bnodes, label, n, (uintptr_t)var + 1);
  return var_term(var);
}

/* ============================================================ literals */

static NgSqTerm literal(const char *value, const char *dt, const char *lang) {
  return (NgSqTerm){.kind = NG_SQ_T_CONST, .term = {NG_TERM_LITERAL, value, dt, lang}};
}

static bool at_number(const Parser *p) {
  if (p->tok.kind == T_INT || p->tok.kind == T_DEC || p->tok.kind == T_DBL) return true;
  return false;
}

/* A sign glued to a number ("-1"): the signed lexical form, or NULL. */
static bool at_signed_number(Parser *p) {
  if (!is_punct(&p->tok, "+") && !is_punct(&p->tok, "-")) return false;
  const Token *n = peek2(p);
  return (n->kind == T_INT || n->kind == T_DEC || n->kind == T_DBL) && n->begin == p->tok.end;
}

static NgSqTerm take_number(Parser *p) {
  const char *sign = "";
  if (at_signed_number(p)) {
    sign = p->tok.punct[0] == '-' ? "-" : "+";
    advance(p);
  }
  static const char *const types[] = {
      [T_INT] = NG_NS_XSD "integer", [T_DEC] = NG_NS_XSD "decimal", [T_DBL] = NG_NS_XSD "double"};
  const char *lex = ng_arena_join(p->arena, sign, strlen(sign), p->tok.value);
  if (!lex) fail_nomem(p);
  NgSqTerm t = literal(lex, types[p->tok.kind], NULL);
  advance(p);
  return t;
}

/* RDFLiteral: String (LANGTAG | '^^' iri)? */
static NgSqTerm take_rdf_literal(Parser *p) {
  const char *value = p->tok.value;
  advance(p);
  if (p->tok.kind == T_LANG) {
    if (strlen(p->tok.value) > 255) fail_at(p, &p->tok, "language tag of more than 255 characters");
    /* tags are case-insensitive: kept in lower case, as stores keep them */
    char *lang = pstrndup(p, p->tok.value, strlen(p->tok.value));
    for (char *c = lang; *c; ++c)
      if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    advance(p);
    return literal(value, NULL, lang);
  }
  if (accept_punct(p, "^^")) {
    const char *dt = take_iri(p);
    if (!strcmp(dt, NG_NS_XSD "string")) dt = NULL; /* RDF 1.1: the same term */
    return literal(value, dt, NULL);
  }
  return literal(value, NULL, NULL);
}

static bool at_boolean(const Parser *p) {
  return p->tok.kind == T_WORD &&
         (!strcasecmp(p->tok.value, "true") || !strcasecmp(p->tok.value, "false"));
}

static NgSqTerm take_boolean(Parser *p) {
  bool value = (p->tok.value[0] | 0x20) == 't';
  NgSqTerm t = literal(value ? "true" : "false", NG_NS_XSD "boolean", NULL);
  advance(p);
  return t;
}

/* ============================================================== groups */

/* A growable array in the arena (the old copy is left behind). */
#define GROW(p, arr, n, cap)                                                                       \
  do {                                                                                             \
    if ((n) == (cap)) {                                                                            \
      size_t c_ = (cap) ? (cap)*2 : 4;                                                             \
      void *m_ = palloc((p), c_ * sizeof *(arr));                                                  \
      if (n) memcpy(m_, (arr), (n) * sizeof *(arr));                                               \
      (arr) = m_;                                                                                  \
      (cap) = c_;                                                                                  \
    }                                                                                              \
  } while (0)

/* Triples being collected: a BGP of a pattern, or a template. */
typedef struct {
  NgSqTriple *t;
  size_t n, cap;
  bool paths; /* property paths allowed */
} TripleList;

static void add_triple(Parser *p, TripleList *l, NgSqTerm s, NgSqTerm pr, NgSqTerm o,
                       NgSqPath *path) {
  GROW(p, l->t, l->n, l->cap);
  l->t[l->n++] = (NgSqTriple){s, pr, o, path};
}

static NgSqNode *new_node(Parser *p, NgSqNodeKind kind, const Token *at) {
  NgSqNode *n = palloc(p, sizeof *n);
  n->kind = kind;
  if (at) {
    n->line = at->line;
    n->col = at->col;
  }
  return n;
}

static NgSqNode *join(Parser *p, NgSqNode *a, NgSqNode *b) {
  if (a->kind == NG_SQ_N_UNIT) return b;
  if (b->kind == NG_SQ_N_UNIT) return a;
  NgSqNode *n = new_node(p, NG_SQ_N_JOIN, NULL);
  n->a = a;
  n->b = b;
  return n;
}

static NgSqExpr *parse_expression(Parser *p);
static NgSqNode *parse_group(Parser *p);
static NgSqPath *parse_path(Parser *p);
static NgSqSelect *parse_subselect(Parser *p, const Token *at);
static void parse_triples_same_subject(Parser *p, TripleList *l);
static NgSqExpr *parse_constraint(Parser *p);

/* ------------------------------------------------------------- terms */

static NgSqTerm take_var(Parser *p) {
  if (p->tok.kind != T_VAR) unexpected(p, "a variable");
  if (p->no_vars) fail_at(p, &p->tok, "variables are not allowed in INSERT DATA or DELETE DATA");
  NgSqTerm t = var_term(var_named(p, p->tok.value));
  advance(p);
  return t;
}

/* VarOrTerm (no collections or property lists). */
static bool take_var_or_term(Parser *p, NgSqTerm *out) {
  Token at = p->tok;
  if (p->tok.kind == T_VAR) {
    *out = take_var(p);
  } else if (at_iri(p)) {
    *out = iri_term(take_iri(p));
  } else if (p->tok.kind == T_STR) {
    *out = take_rdf_literal(p);
  } else if (at_number(p) || at_signed_number(p)) {
    *out = take_number(p);
  } else if (at_boolean(p)) {
    *out = take_boolean(p);
  } else if (p->tok.kind == T_BNODE) {
    const char *label = p->tok.value;
    advance(p);
    *out = blank_term(p, label, &at);
  } else if (is_punct(&p->tok, "[") && is_punct(peek2(p), "]")) {
    advance(p);
    advance(p);
    *out = blank_term(p, NULL, &at);
  } else if (is_punct(&p->tok, "(") && is_punct(peek2(p), ")")) {
    advance(p);
    advance(p);
    *out = iri_term(NG_NS_RDF "nil");
  } else {
    return false;
  }
  return true;
}

/* GraphNode: VarOrTerm | TriplesNode ('(' list ')' or '[' properties ']'). */
static NgSqTerm parse_graph_node(Parser *p, TripleList *l);

static void parse_property_list(Parser *p, TripleList *l, NgSqTerm subject, bool required);

static NgSqTerm parse_triples_node(Parser *p, TripleList *l) {
  Token at = p->tok;
  enter(p);
  NgSqTerm node;
  if (accept_punct(p, "[")) {
    node = blank_term(p, NULL, &at);
    parse_property_list(p, l, node, true);
    expect_punct(p, "]");
  } else {
    expect_punct(p, "(");
    /* a collection: rdf:first / rdf:rest, ending in rdf:nil */
    NgSqTerm head = blank_term(p, NULL, &at), cur = head;
    node = head;
    bool first = true;
    while (!accept_punct(p, ")")) {
      if (!first) {
        NgSqTerm next = blank_term(p, NULL, &at);
        add_triple(p, l, cur, iri_term(NG_NS_RDF "rest"), next, NULL);
        cur = next;
      }
      NgSqTerm item = parse_graph_node(p, l);
      add_triple(p, l, cur, iri_term(NG_NS_RDF "first"), item, NULL);
      first = false;
    }
    add_triple(p, l, cur, iri_term(NG_NS_RDF "rest"), iri_term(NG_NS_RDF "nil"), NULL);
  }
  p->depth--;
  return node;
}

static NgSqTerm parse_graph_node(Parser *p, TripleList *l) {
  NgSqTerm t;
  if (take_var_or_term(p, &t)) return t;
  if (is_punct(&p->tok, "[") || is_punct(&p->tok, "(")) return parse_triples_node(p, l);
  unexpected(p, "a term, a variable, '(' or '['");
  return t;
}

/* --------------------------------------------------------------- paths */

static NgSqPath *new_path(Parser *p, NgSqPathKind kind, NgSqPath *a, NgSqPath *b) {
  NgSqPath *path = palloc(p, sizeof *path);
  path->kind = kind;
  path->a = a;
  path->b = b;
  return path;
}

static bool at_a(const Parser *p) { return p->tok.kind == T_WORD && !strcmp(p->tok.value, "a"); }

static NgSqPath *link_path(Parser *p) {
  NgSqPath *path = new_path(p, NG_SQ_P_LINK, NULL, NULL);
  if (at_a(p)) {
    advance(p);
    path->iri = iri_term(NG_NS_RDF "type");
  } else {
    path->iri = iri_term(take_iri(p));
  }
  return path;
}

static void negated_one(Parser *p, NgSqPath *neg, size_t *cap) {
  bool inverse = accept_punct(p, "^");
  if (!at_iri(p) && !at_a(p)) unexpected(p, "an IRI or 'a'");
  NgSqPath *l = link_path(p);
  if (neg->nneg == *cap) {
    size_t c = *cap ? *cap * 2 : 4;
    NgSqTerm *t = palloc(p, c * sizeof *t);
    bool *inv = palloc(p, c * sizeof *inv);
    if (neg->nneg) {
      memcpy(t, neg->neg, neg->nneg * sizeof *t);
      memcpy(inv, neg->neg_inverse, neg->nneg * sizeof *inv);
    }
    neg->neg = t;
    neg->neg_inverse = inv;
    *cap = c;
  }
  neg->neg[neg->nneg] = l->iri;
  neg->neg_inverse[neg->nneg++] = inverse;
}

static NgSqPath *parse_path_primary(Parser *p) {
  if (at_iri(p) || at_a(p)) return link_path(p);
  if (accept_punct(p, "!")) {
    NgSqPath *neg = new_path(p, NG_SQ_P_NEG, NULL, NULL);
    size_t cap = 0;
    if (accept_punct(p, "(")) {
      if (!is_punct(&p->tok, ")")) {
        do
          negated_one(p, neg, &cap);
        while (accept_punct(p, "|"));
      }
      expect_punct(p, ")");
    } else {
      negated_one(p, neg, &cap);
    }
    return neg;
  }
  if (accept_punct(p, "(")) {
    NgSqPath *inner = parse_path(p);
    expect_punct(p, ")");
    return inner;
  }
  unexpected(p, "a property path");
  return NULL;
}

static NgSqPath *parse_path_elt_or_inverse(Parser *p) {
  bool inverse = accept_punct(p, "^");
  NgSqPath *path = parse_path_primary(p);
  /* PathMod; a '?' glued to a name cannot start a variable here */
  if (is_punct(&p->tok, "*")) {
    advance(p);
    path = new_path(p, NG_SQ_P_STAR, path, NULL);
  } else if (is_punct(&p->tok, "+")) {
    advance(p);
    path = new_path(p, NG_SQ_P_PLUS, path, NULL);
  } else if (is_punct(&p->tok, "?")) {
    advance(p);
    path = new_path(p, NG_SQ_P_OPT, path, NULL);
  }
  return inverse ? new_path(p, NG_SQ_P_INV, path, NULL) : path;
}

static NgSqPath *parse_path(Parser *p) {
  enter(p);
  NgSqPath *alt = NULL;
  do {
    NgSqPath *seq = parse_path_elt_or_inverse(p);
    while (accept_punct(p, "/"))
      seq = new_path(p, NG_SQ_P_SEQ, seq, parse_path_elt_or_inverse(p));
    alt = alt ? new_path(p, NG_SQ_P_ALT, alt, seq) : seq;
  } while (accept_punct(p, "|"));
  p->depth--;
  return alt;
}

/* A '?' right after a path element is a modifier, but the lexer reads
 * "?x" as a variable: "a?" followed by a name never occurs in valid
 * SPARQL except as  ex:p ?o  -- which is the object.  So only a '?' the
 * lexer gave as punctuation is a modifier (see parse_path_elt_or_inverse). */

/* Emits subject path object as the algebra translates it: a link is a
 * triple, ^link a reversed triple, a sequence triples through a hidden
 * variable; everything else a path pattern. */
static void emit_path(Parser *p, TripleList *l, NgSqTerm s, NgSqPath *path, NgSqTerm o) {
  switch (path->kind) {
  case NG_SQ_P_LINK: add_triple(p, l, s, path->iri, o, NULL); return;
  case NG_SQ_P_INV:
    if (path->a->kind == NG_SQ_P_LINK) {
      add_triple(p, l, o, path->a->iri, s, NULL);
      return;
    }
    break;
  case NG_SQ_P_SEQ: {
    NgSqTerm mid = var_term(hidden_var(p));
    emit_path(p, l, s, path->a, mid);
    emit_path(p, l, mid, path->b, o);
    return;
  }
  default: break;
  }
  add_triple(p, l, s, (NgSqTerm){0}, o, path);
}

/* ------------------------------------------------------ property lists */

static bool at_verb(Parser *p, bool paths) {
  if (p->tok.kind == T_VAR || at_iri(p) || at_a(p)) return true;
  return paths && (is_punct(&p->tok, "^") || is_punct(&p->tok, "!") || is_punct(&p->tok, "("));
}

static void parse_object_list(Parser *p, TripleList *l, NgSqTerm s, NgSqTerm verb, NgSqPath *path) {
  do {
    NgSqTerm o = parse_graph_node(p, l);
    if (path)
      emit_path(p, l, s, path, o);
    else
      add_triple(p, l, s, verb, o, NULL);
  } while (accept_punct(p, ","));
}

/* PropertyList(Path)NotEmpty; with required false it may be empty. */
static void parse_property_list(Parser *p, TripleList *l, NgSqTerm subject, bool required) {
  if (!at_verb(p, l->paths)) {
    if (required) unexpected(p, "a predicate");
    return;
  }
  do {
    if (!at_verb(p, l->paths)) continue; /* ';' may repeat and end the list */
    NgSqTerm verb = {0};
    NgSqPath *path = NULL;
    if (p->tok.kind == T_VAR) {
      verb = take_var(p);
    } else if (!l->paths) {
      verb = at_a(p) ? (advance(p), iri_term(NG_NS_RDF "type")) : iri_term(take_iri(p));
    } else {
      path = parse_path(p);
      if (path->kind == NG_SQ_P_LINK) {
        verb = path->iri;
        path = NULL;
      }
    }
    parse_object_list(p, l, subject, verb, path);
  } while (accept_punct(p, ";"));
}

static void parse_triples_same_subject(Parser *p, TripleList *l) {
  NgSqTerm s;
  if (take_var_or_term(p, &s)) {
    parse_property_list(p, l, s, true);
  } else if (is_punct(&p->tok, "[") || is_punct(&p->tok, "(")) {
    s = parse_triples_node(p, l);
    parse_property_list(p, l, s, false); /* "[ :p :o ]." alone is a whole triple */
  } else {
    unexpected(p, "a triple pattern");
  }
}

static bool at_triple_start(Parser *p) {
  return p->tok.kind == T_VAR || at_iri(p) || p->tok.kind == T_STR || at_number(p) ||
         at_signed_number(p) || at_boolean(p) || p->tok.kind == T_BNODE || is_punct(&p->tok, "[") ||
         is_punct(&p->tok, "(");
}

/* TriplesBlock / TriplesTemplate: triples separated by '.'. */
static void parse_triples_block(Parser *p, TripleList *l) {
  while (at_triple_start(p)) {
    parse_triples_same_subject(p, l);
    if (!accept_punct(p, ".")) break;
  }
}

/* ------------------------------------------------------------- VALUES */

static NgSqTerm parse_data_value(Parser *p) {
  if (accept_kw(p, "UNDEF")) return (NgSqTerm){0};
  NgSqTerm t;
  if (at_iri(p))
    t = iri_term(take_iri(p));
  else if (p->tok.kind == T_STR)
    t = take_rdf_literal(p);
  else if (at_number(p) || at_signed_number(p))
    t = take_number(p);
  else if (at_boolean(p))
    t = take_boolean(p);
  else
    unexpected(p, "a value or UNDEF");
  return t;
}

/* DataBlock, after VALUES. */
static NgSqNode *parse_data_block(Parser *p, const Token *at) {
  NgSqNode *n = new_node(p, NG_SQ_N_VALUES, at);
  size_t cap_vals = 0, ncells = 0, cap_cells = 0;
  bool one = p->tok.kind == T_VAR;
  if (one) {
    GROW(p, n->vals, n->nvals, cap_vals);
    n->vals[n->nvals++] = take_var(p).var;
  } else {
    expect_punct(p, "(");
    while (p->tok.kind == T_VAR) {
      GROW(p, n->vals, n->nvals, cap_vals);
      n->vals[n->nvals++] = take_var(p).var;
    }
    expect_punct(p, ")");
  }
  expect_punct(p, "{");
  while (!accept_punct(p, "}")) {
    if (one) {
      GROW(p, n->cells, ncells, cap_cells);
      n->cells[ncells++] = parse_data_value(p);
    } else {
      Token row_at = p->tok;
      expect_punct(p, "(");
      size_t k = 0;
      while (!accept_punct(p, ")")) {
        NgSqTerm v = parse_data_value(p);
        if (k++ >= n->nvals) fail_at(p, &row_at, "VALUES row longer than its variable list");
        GROW(p, n->cells, ncells, cap_cells);
        n->cells[ncells++] = v;
      }
      if (k != n->nvals) fail_at(p, &row_at, "VALUES row shorter than its variable list");
    }
    n->nrows++;
  }
  return n;
}

/* ------------------------------------------------------- scope checks */

static void mark_var(NgSqVarSet *s, size_t nvars_cap, uint32_t v) {
  if (v < nvars_cap) ng_sq_vs_add(s, v);
}

static void scope_term(const NgSqTerm *t, NgSqVarSet *s, size_t cap) {
  if (t->kind == NG_SQ_T_VAR) mark_var(s, cap, t->var);
}

/* The variables in scope of a pattern (section 18.2.1). */
static void in_scope(const NgSqNode *n, NgSqVarSet *s, size_t cap) {
  if (!n) return;
  switch (n->kind) {
  case NG_SQ_N_BGP:
    for (size_t i = 0; i < n->ntriples; ++i) {
      scope_term(&n->triples[i].s, s, cap);
      scope_term(&n->triples[i].p, s, cap);
      scope_term(&n->triples[i].o, s, cap);
    }
    break;
  case NG_SQ_N_GRAPH:
    scope_term(&n->graph, s, cap);
    in_scope(n->a, s, cap);
    break;
  case NG_SQ_N_EXTEND:
    mark_var(s, cap, n->var);
    in_scope(n->a, s, cap);
    break;
  case NG_SQ_N_VALUES:
    for (size_t i = 0; i < n->nvals; ++i)
      mark_var(s, cap, n->vals[i]);
    break;
  case NG_SQ_N_SUBQUERY:
    for (size_t i = 0; i < n->sub->nproject; ++i)
      mark_var(s, cap, n->sub->outer_vars[i]);
    break;
  case NG_SQ_N_MINUS:
  case NG_SQ_N_FILTER: in_scope(n->a, s, cap); break;
  default:
    in_scope(n->a, s, cap);
    in_scope(n->b, s, cap);
    break;
  }
}

static bool var_in_scope(Parser *p, const NgSqNode *n, const TripleList *pending, uint32_t v) {
  size_t words = (p->q->nvars + 63) / 64;
  uint64_t small[4] = {0};
  NgSqVarSet s = {words <= 4 ? small : palloc(p, words * 8)};
  size_t cap = p->q->nvars;
  in_scope(n, &s, cap);
  for (size_t i = 0; pending && i < pending->n; ++i) {
    scope_term(&pending->t[i].s, &s, cap);
    scope_term(&pending->t[i].p, &s, cap);
    scope_term(&pending->t[i].o, &s, cap);
  }
  return ng_sq_vs_has(&s, v);
}

/* ------------------------------------------------------ group patterns */

typedef struct {
  NgSqNode *g;        /* the pattern so far */
  TripleList bgp;     /* triples not yet joined into g */
  NgSqExpr **filters; /* FILTERs of the group */
  size_t nfilters, cap_filters;
} Group;

static void flush_bgp(Parser *p, Group *gr, const Token *at) {
  if (!gr->bgp.n) return;
  NgSqNode *n = new_node(p, NG_SQ_N_BGP, at);
  n->triples = gr->bgp.t;
  n->ntriples = gr->bgp.n;
  gr->bgp = (TripleList){NULL, 0, 0, true};
  gr->g = join(p, gr->g, n);
  p->bgp_number = ++p->bgp_counter;
}

static NgSqNode *parse_optional_like(Parser *p, Group *gr, const Token *at, NgSqNodeKind kind) {
  flush_bgp(p, gr, at);
  NgSqNode *inner = parse_group(p);
  NgSqNode *n = new_node(p, kind, at);
  n->a = gr->g;
  if (kind == NG_SQ_N_LEFTJOIN && inner == p->group_filter) {
    /* OPTIONAL { P FILTER(F) }: LeftJoin(G, P, F) */
    n->b = inner->a;
    n->nexprs = inner->nexprs;
    n->exprs = inner->exprs;
  } else {
    n->b = inner;
  }
  return n;
}

static NgSqNode *parse_bind(Parser *p, Group *gr, const Token *at) {
  expect_punct(p, "(");
  NgSqExpr *e = parse_expression(p);
  expect_kw(p, "AS");
  Token vt = p->tok;
  NgSqTerm v = take_var(p);
  expect_punct(p, ")");
  if (var_in_scope(p, gr->g, &gr->bgp, v.var))
    fail_at(p, &vt, "BIND to ?%s, a variable already in scope", vt.value);
  flush_bgp(p, gr, at);
  NgSqNode *n = new_node(p, NG_SQ_N_EXTEND, at);
  n->a = gr->g;
  n->var = v.var;
  n->exprs = palloc(p, sizeof *n->exprs);
  n->exprs[0] = e;
  n->nexprs = 1;
  return n;
}

static NgSqNode *parse_union(Parser *p) {
  Token at = p->tok;
  NgSqNode *n = parse_group(p);
  while (is_kw(&p->tok, "UNION")) {
    Token u = p->tok;
    advance(p);
    NgSqNode *un = new_node(p, NG_SQ_N_UNION, &u);
    un->a = n;
    un->b = parse_group(p);
    n = un;
  }
  (void)at;
  return n;
}

/* GraphPatternNotTriples; false when the current token starts none. */
static bool parse_not_triples(Parser *p, Group *gr) {
  Token at = p->tok;
  if (is_punct(&p->tok, "{")) {
    NgSqNode *u = parse_union(p);
    flush_bgp(p, gr, &at);
    gr->g = join(p, gr->g, u);
  } else if (accept_kw(p, "OPTIONAL")) {
    gr->g = parse_optional_like(p, gr, &at, NG_SQ_N_LEFTJOIN);
  } else if (accept_kw(p, "MINUS")) {
    gr->g = parse_optional_like(p, gr, &at, NG_SQ_N_MINUS);
  } else if (accept_kw(p, "GRAPH")) {
    NgSqTerm g;
    if (p->tok.kind == T_VAR)
      g = take_var(p);
    else
      g = iri_term(take_iri(p));
    NgSqNode *n = new_node(p, NG_SQ_N_GRAPH, &at);
    n->graph = g;
    n->a = parse_group(p);
    flush_bgp(p, gr, &at);
    gr->g = join(p, gr->g, n);
  } else if (accept_kw(p, "SERVICE")) {
    NgSqNode *n = new_node(p, NG_SQ_N_SERVICE, &at);
    n->silent = accept_kw(p, "SILENT");
    if (p->tok.kind == T_VAR)
      n->graph = take_var(p);
    else
      n->graph = iri_term(take_iri(p));
    n->a = parse_group(p);
    if (!p->q->has_service) {
      p->q->has_service = true;
      p->q->service_line = at.line;
      p->q->service_col = at.col;
    }
    flush_bgp(p, gr, &at);
    gr->g = join(p, gr->g, n);
  } else if (accept_kw(p, "FILTER")) {
    NgSqExpr *e = parse_constraint(p);
    GROW(p, gr->filters, gr->nfilters, gr->cap_filters);
    gr->filters[gr->nfilters++] = e;
  } else if (accept_kw(p, "BIND")) {
    gr->g = parse_bind(p, gr, &at);
  } else if (accept_kw(p, "VALUES")) {
    NgSqNode *v = parse_data_block(p, &at);
    flush_bgp(p, gr, &at);
    gr->g = join(p, gr->g, v);
  } else {
    return false;
  }
  return true;
}

/* GroupGraphPattern: '{' (SubSelect | GroupGraphPatternSub) '}' */
static NgSqNode *parse_group(Parser *p) {
  Token at = p->tok;
  expect_punct(p, "{");
  enter(p);
  unsigned outer_bgp = p->bgp_number;
  p->bgp_number = ++p->bgp_counter;
  NgSqNode *result;
  if (is_kw(&p->tok, "SELECT")) {
    NgSqNode *n = new_node(p, NG_SQ_N_SUBQUERY, &at);
    n->sub = parse_subselect(p, &at);
    p->group_filter = NULL;
    result = n;
  } else {
    Group gr = {new_node(p, NG_SQ_N_UNIT, &at), {NULL, 0, 0, true}, NULL, 0, 0};
    for (;;) {
      parse_triples_block(p, &gr.bgp);
      if (!parse_not_triples(p, &gr)) break;
      accept_punct(p, ".");
    }
    flush_bgp(p, &gr, &at);
    result = gr.g;
    p->group_filter = NULL;
    if (gr.nfilters) {
      NgSqNode *f = new_node(p, NG_SQ_N_FILTER, &at);
      f->a = result;
      f->exprs = gr.filters;
      f->nexprs = gr.nfilters;
      result = f;
      p->group_filter = f;
    }
  }
  if (!is_punct(&p->tok, "}")) unexpected(p, "'}'");
  advance(p);
  p->depth--;
  p->bgp_number = outer_bgp;
  return result;
}

/* ========================================================= expressions */

static NgSqExpr *new_expr(Parser *p, NgSqExprOp op, const Token *at) {
  NgSqExpr *e = palloc(p, sizeof *e);
  e->op = op;
  e->line = at->line;
  e->col = at->col;
  return e;
}

static NgSqExpr *binary(Parser *p, NgSqExprOp op, const Token *at, NgSqExpr *a, NgSqExpr *b) {
  NgSqExpr *e = new_expr(p, op, at);
  e->args = palloc(p, 2 * sizeof *e->args);
  e->args[0] = a;
  e->args[1] = b;
  e->nargs = 2;
  return e;
}

static NgSqExpr *unary(Parser *p, NgSqExprOp op, const Token *at, NgSqExpr *a) {
  NgSqExpr *e = new_expr(p, op, at);
  e->args = palloc(p, sizeof *e->args);
  e->args[0] = a;
  e->nargs = 1;
  return e;
}

static NgSqExpr *term_expr(Parser *p, NgSqTerm t, const Token *at) {
  NgSqExpr *e = new_expr(p, NG_SQ_E_TERM, at);
  e->term = t;
  return e;
}

/* '(' Expression (',' Expression)* ')' or NIL, into e's arguments. */
static void parse_arg_list(Parser *p, NgSqExpr *e, bool allow_empty) {
  expect_punct(p, "(");
  size_t cap = 0, n = 0;
  if (!is_punct(&p->tok, ")")) {
    do {
      GROW(p, e->args, n, cap);
      e->args[n++] = parse_expression(p);
    } while (accept_punct(p, ","));
  } else if (!allow_empty) {
    unexpected(p, "an expression");
  }
  expect_punct(p, ")");
  e->nargs = (unsigned)n;
}

static const struct {
  const char *name;
  NgSqFunc fn;
  int min, max; /* argument counts */
} builtins[] = {
    {"STR", NG_SQ_F_STR, 1, 1},
    {"LANG", NG_SQ_F_LANG, 1, 1},
    {"LANGMATCHES", NG_SQ_F_LANGMATCHES, 2, 2},
    {"DATATYPE", NG_SQ_F_DATATYPE, 1, 1},
    {"BOUND", NG_SQ_F_BOUND, 1, 1},
    {"IRI", NG_SQ_F_IRI, 1, 1},
    {"URI", NG_SQ_F_IRI, 1, 1},
    {"BNODE", NG_SQ_F_BNODE, 0, 1},
    {"RAND", NG_SQ_F_RAND, 0, 0},
    {"ABS", NG_SQ_F_ABS, 1, 1},
    {"CEIL", NG_SQ_F_CEIL, 1, 1},
    {"FLOOR", NG_SQ_F_FLOOR, 1, 1},
    {"ROUND", NG_SQ_F_ROUND, 1, 1},
    {"CONCAT", NG_SQ_F_CONCAT, 0, -1},
    {"STRLEN", NG_SQ_F_STRLEN, 1, 1},
    {"UCASE", NG_SQ_F_UCASE, 1, 1},
    {"LCASE", NG_SQ_F_LCASE, 1, 1},
    {"ENCODE_FOR_URI", NG_SQ_F_ENCODE_FOR_URI, 1, 1},
    {"CONTAINS", NG_SQ_F_CONTAINS, 2, 2},
    {"STRSTARTS", NG_SQ_F_STRSTARTS, 2, 2},
    {"STRENDS", NG_SQ_F_STRENDS, 2, 2},
    {"STRBEFORE", NG_SQ_F_STRBEFORE, 2, 2},
    {"STRAFTER", NG_SQ_F_STRAFTER, 2, 2},
    {"YEAR", NG_SQ_F_YEAR, 1, 1},
    {"MONTH", NG_SQ_F_MONTH, 1, 1},
    {"DAY", NG_SQ_F_DAY, 1, 1},
    {"HOURS", NG_SQ_F_HOURS, 1, 1},
    {"MINUTES", NG_SQ_F_MINUTES, 1, 1},
    {"SECONDS", NG_SQ_F_SECONDS, 1, 1},
    {"TIMEZONE", NG_SQ_F_TIMEZONE, 1, 1},
    {"TZ", NG_SQ_F_TZ, 1, 1},
    {"NOW", NG_SQ_F_NOW, 0, 0},
    {"UUID", NG_SQ_F_UUID, 0, 0},
    {"STRUUID", NG_SQ_F_STRUUID, 0, 0},
    {"MD5", NG_SQ_F_MD5, 1, 1},
    {"SHA1", NG_SQ_F_SHA1, 1, 1},
    {"SHA256", NG_SQ_F_SHA256, 1, 1},
    {"SHA384", NG_SQ_F_SHA384, 1, 1},
    {"SHA512", NG_SQ_F_SHA512, 1, 1},
    {"COALESCE", NG_SQ_F_COALESCE, 0, -1},
    {"IF", NG_SQ_F_IF, 3, 3},
    {"STRLANG", NG_SQ_F_STRLANG, 2, 2},
    {"STRDT", NG_SQ_F_STRDT, 2, 2},
    {"sameTerm", NG_SQ_F_SAMETERM, 2, 2},
    {"isIRI", NG_SQ_F_ISIRI, 1, 1},
    {"isURI", NG_SQ_F_ISIRI, 1, 1},
    {"isBLANK", NG_SQ_F_ISBLANK, 1, 1},
    {"isLITERAL", NG_SQ_F_ISLITERAL, 1, 1},
    {"isNUMERIC", NG_SQ_F_ISNUMERIC, 1, 1},
    {"REGEX", NG_SQ_F_REGEX, 2, 3},
    {"SUBSTR", NG_SQ_F_SUBSTR, 2, 3},
    {"REPLACE", NG_SQ_F_REPLACE, 3, 4},
};

static const struct {
  const char *name;
  NgSqAggFunc fn;
} aggregates[] = {{"COUNT", NG_SQ_A_COUNT},
                  {"SUM", NG_SQ_A_SUM},
                  {"MIN", NG_SQ_A_MIN},
                  {"MAX", NG_SQ_A_MAX},
                  {"AVG", NG_SQ_A_AVG},
                  {"SAMPLE", NG_SQ_A_SAMPLE},
                  {"GROUP_CONCAT", NG_SQ_A_GROUP_CONCAT}};

static NgSqExpr *parse_aggregate(Parser *p, NgSqAggFunc fn, const Token *at) {
  if (!p->agg_ok) fail_at(p, at, "aggregate outside SELECT, HAVING or ORDER BY");
  if (p->in_agg) fail_at(p, at, "aggregate inside an aggregate");
  NgSqAgg agg = {.fn = fn, .separator = " "};
  expect_punct(p, "(");
  agg.distinct = accept_kw(p, "DISTINCT");
  p->in_agg = true;
  if (fn == NG_SQ_A_COUNT && accept_punct(p, "*")) {
    agg.arg = NULL;
  } else {
    agg.arg = parse_expression(p);
  }
  if (fn == NG_SQ_A_GROUP_CONCAT && accept_punct(p, ";")) {
    expect_kw(p, "SEPARATOR");
    expect_punct(p, "=");
    if (p->tok.kind != T_STR) unexpected(p, "a string");
    agg.separator = p->tok.value;
    advance(p);
  }
  p->in_agg = false;
  expect_punct(p, ")");
  agg.var = hidden_var(p);
  GROW(p, p->aggs, p->naggs, p->cap_aggs);
  p->aggs[p->naggs++] = agg;
  NgSqExpr *e = new_expr(p, NG_SQ_E_AGG, at);
  e->var = agg.var;
  return e;
}

/* BuiltInCall, or NULL when the current word is none. */
static NgSqExpr *parse_builtin(Parser *p) {
  if (p->tok.kind != T_WORD) return NULL;
  Token at = p->tok;
  for (size_t i = 0; i < NG_COUNTOF(aggregates); ++i)
    if (is_kw(&at, aggregates[i].name)) {
      advance(p);
      return parse_aggregate(p, aggregates[i].fn, &at);
    }
  if (is_kw(&at, "EXISTS") || (is_kw(&at, "NOT") && is_kw(peek2(p), "EXISTS"))) {
    bool not = is_kw(&at, "NOT");
    advance(p);
    if (not ) advance(p);
    NgSqExpr *e = new_expr(p, not ? NG_SQ_E_NOT_EXISTS : NG_SQ_E_EXISTS, &at);
    bool agg_ok = p->agg_ok;
    p->agg_ok = false;
    e->pattern = parse_group(p);
    p->agg_ok = agg_ok;
    p->q->nexists++;
    return e;
  }
  for (size_t i = 0; i < NG_COUNTOF(builtins); ++i) {
    if (!is_kw(&at, builtins[i].name)) continue;
    advance(p);
    NgSqExpr *e = new_expr(p, NG_SQ_E_CALL, &at);
    e->fn = builtins[i].fn;
    if (builtins[i].fn == NG_SQ_F_BOUND) {
      expect_punct(p, "(");
      Token vt = p->tok;
      e->args = palloc(p, sizeof *e->args);
      e->args[0] = term_expr(p, take_var(p), &vt);
      e->nargs = 1;
      expect_punct(p, ")");
    } else {
      parse_arg_list(p, e, builtins[i].min == 0);
    }
    if ((int)e->nargs < builtins[i].min ||
        (builtins[i].max >= 0 && (int)e->nargs > builtins[i].max))
      fail_at(p, &at, "%s takes %d%s argument%s, not %u", builtins[i].name, builtins[i].min,
              builtins[i].max < 0                 ? " or more"
              : builtins[i].max > builtins[i].min ? " or more"
                                                  : "",
              builtins[i].min == 1 && builtins[i].max == 1 ? "" : "s", e->nargs);
    return e;
  }
  return NULL;
}

/* iriOrFunction: an IRI, or a call of the function it names. */
static NgSqExpr *parse_iri_or_function(Parser *p) {
  Token at = p->tok;
  const char *iri = take_iri(p);
  if (!is_punct(&p->tok, "(")) return term_expr(p, iri_term(iri), &at);
  NgSqExpr *e = new_expr(p, NG_SQ_E_IRI, &at);
  e->term = iri_term(iri);
  /* ArgList: NIL | '(' DISTINCT? Expression (',' Expression)* ')' */
  expect_punct(p, "(");
  accept_kw(p, "DISTINCT");
  size_t cap = 0, n = 0;
  if (!is_punct(&p->tok, ")")) {
    do {
      GROW(p, e->args, n, cap);
      e->args[n++] = parse_expression(p);
    } while (accept_punct(p, ","));
  }
  expect_punct(p, ")");
  e->nargs = (unsigned)n;
  return e;
}

static NgSqExpr *parse_primary(Parser *p) {
  Token at = p->tok;
  if (accept_punct(p, "(")) {
    NgSqExpr *e = parse_expression(p);
    expect_punct(p, ")");
    return e;
  }
  if (at_iri(p)) return parse_iri_or_function(p);
  if (p->tok.kind == T_VAR) return term_expr(p, take_var(p), &at);
  if (p->tok.kind == T_STR) return term_expr(p, take_rdf_literal(p), &at);
  if (at_number(p)) return term_expr(p, take_number(p), &at);
  if (at_boolean(p)) return term_expr(p, take_boolean(p), &at);
  NgSqExpr *b = parse_builtin(p);
  if (b) return b;
  unexpected(p, "an expression");
  return NULL;
}

static NgSqExpr *parse_unary(Parser *p) {
  Token at = p->tok;
  if (accept_punct(p, "!")) return unary(p, NG_SQ_E_NOT, &at, parse_unary(p));
  if (accept_punct(p, "+")) return unary(p, NG_SQ_E_PLUS, &at, parse_unary(p));
  if (accept_punct(p, "-")) return unary(p, NG_SQ_E_NEG, &at, parse_unary(p));
  return parse_primary(p);
}

static NgSqExpr *parse_multiplicative(Parser *p) {
  NgSqExpr *e = parse_unary(p);
  for (;;) {
    Token at = p->tok;
    if (accept_punct(p, "*"))
      e = binary(p, NG_SQ_E_MUL, &at, e, parse_unary(p));
    else if (accept_punct(p, "/"))
      e = binary(p, NG_SQ_E_DIV, &at, e, parse_unary(p));
    else
      return e;
  }
}

static NgSqExpr *parse_additive(Parser *p) {
  NgSqExpr *e = parse_multiplicative(p);
  for (;;) {
    Token at = p->tok;
    if (accept_punct(p, "+"))
      e = binary(p, NG_SQ_E_ADD, &at, e, parse_multiplicative(p));
    else if (accept_punct(p, "-"))
      e = binary(p, NG_SQ_E_SUB, &at, e, parse_multiplicative(p));
    else
      return e;
  }
}

static NgSqExpr *parse_relational(Parser *p) {
  NgSqExpr *e = parse_additive(p);
  Token at = p->tok;
  static const struct {
    const char *op;
    NgSqExprOp kind;
  } ops[] = {{"=", NG_SQ_E_EQ}, {"!=", NG_SQ_E_NE}, {"<", NG_SQ_E_LT},
             {">", NG_SQ_E_GT}, {"<=", NG_SQ_E_LE}, {">=", NG_SQ_E_GE}};
  for (size_t i = 0; i < NG_COUNTOF(ops); ++i)
    if (accept_punct(p, ops[i].op)) return binary(p, ops[i].kind, &at, e, parse_additive(p));
  bool not_in = is_kw(&p->tok, "NOT") && is_kw(peek2(p), "IN");
  if (not_in || is_kw(&p->tok, "IN")) {
    advance(p);
    if (not_in) advance(p);
    NgSqExpr *in = new_expr(p, not_in ? NG_SQ_E_NOT_IN : NG_SQ_E_IN, &at);
    NgSqExpr holder = {0};
    parse_arg_list(p, &holder, true);
    in->nargs = holder.nargs + 1;
    in->args = palloc(p, in->nargs * sizeof *in->args);
    in->args[0] = e;
    if (holder.nargs) memcpy(in->args + 1, holder.args, holder.nargs * sizeof *in->args);
    return in;
  }
  return e;
}

static NgSqExpr *parse_and(Parser *p) {
  NgSqExpr *e = parse_relational(p);
  for (;;) {
    Token at = p->tok;
    if (!accept_punct(p, "&&")) return e;
    e = binary(p, NG_SQ_E_AND, &at, e, parse_relational(p));
  }
}

static NgSqExpr *parse_expression(Parser *p) {
  enter(p);
  NgSqExpr *e = parse_and(p);
  for (;;) {
    Token at = p->tok;
    if (!accept_punct(p, "||")) break;
    e = binary(p, NG_SQ_E_OR, &at, e, parse_and(p));
  }
  p->depth--;
  return e;
}

/* Constraint: BrackettedExpression | BuiltInCall | FunctionCall */
static NgSqExpr *parse_constraint(Parser *p) {
  if (is_punct(&p->tok, "(")) {
    advance(p);
    NgSqExpr *e = parse_expression(p);
    expect_punct(p, ")");
    return e;
  }
  if (at_iri(p)) {
    Token at = p->tok;
    NgSqExpr *e = parse_iri_or_function(p);
    if (e->op != NG_SQ_E_IRI) fail_at(p, &at, "syntax error, a constraint must be a call or in ()");
    return e;
  }
  NgSqExpr *b = parse_builtin(p);
  if (!b) unexpected(p, "'(' or a function call");
  return b;
}

/* ============================================================ queries */

static void parse_dataset(Parser *p) {
  size_t cap_from = 0, cap_named = 0;
  while (accept_kw(p, "FROM")) {
    bool named = accept_kw(p, "NAMED");
    const char *iri = take_iri(p);
    if (named) {
      GROW(p, p->q->from_named, p->q->nfrom_named, cap_named);
      p->q->from_named[p->q->nfrom_named++] = iri;
    } else {
      GROW(p, p->q->from, p->q->nfrom, cap_from);
      p->q->from[p->q->nfrom++] = iri;
    }
  }
}

static uint64_t take_count(Parser *p) {
  if (p->tok.kind != T_INT) unexpected(p, "an integer");
  uint64_t v = 0;
  for (const char *s = p->tok.value; *s; ++s)
    v = v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : v * 10 + (uint64_t)(*s - '0');
  advance(p);
  return v;
}

/* Walks an expression outside aggregates: are its variables all among
 * the group keys?  Returns the offending variable's token position via *bad. */
static bool grouped_expr_ok(const NgSqSelect *s, const NgSqExpr *e, uint32_t *bad) {
  if (!e) return true;
  if (e->op == NG_SQ_E_TERM && e->term.kind == NG_SQ_T_VAR) {
    for (size_t i = 0; i < s->ngroup; ++i)
      if (s->group[i].var == e->term.var) return true;
    *bad = e->term.var;
    return false;
  }
  if (e->op == NG_SQ_E_EXISTS || e->op == NG_SQ_E_NOT_EXISTS) return true;
  for (unsigned i = 0; i < e->nargs; ++i)
    if (!grouped_expr_ok(s, e->args[i], bad)) return false;
  return true;
}

static void parse_select_clause(Parser *p, NgSqSelect *s, const Token *at) {
  (void)at;
  if (accept_kw(p, "DISTINCT"))
    s->distinct = true;
  else if (accept_kw(p, "REDUCED"))
    s->reduced = true;
  if (accept_punct(p, "*")) {
    s->star = true;
    return;
  }
  size_t cap = 0;
  p->agg_ok = true;
  while (p->tok.kind == T_VAR || is_punct(&p->tok, "(")) {
    NgSqBinding b = {0};
    Token vt = p->tok;
    if (accept_punct(p, "(")) {
      b.expr = parse_expression(p);
      expect_kw(p, "AS");
      vt = p->tok;
      b.var = take_var(p).var;
      expect_punct(p, ")");
    } else {
      b.var = take_var(p).var;
    }
    for (size_t i = 0; i < s->nproject; ++i)
      if (s->project[i].var == b.var && (b.expr || s->project[i].expr))
        fail_at(p, &vt, "?%s is projected twice", vt.value);
    GROW(p, s->project, s->nproject, cap);
    s->project[s->nproject++] = b;
  }
  p->agg_ok = false;
  if (!s->nproject) unexpected(p, "a variable, '(' or '*'");
}

static void parse_group_by(Parser *p, NgSqSelect *s) {
  size_t cap = 0;
  do {
    NgSqBinding b = {0};
    Token at = p->tok;
    if (p->tok.kind == T_VAR) {
      b.var = take_var(p).var;
    } else if (accept_punct(p, "(")) {
      b.expr = parse_expression(p);
      b.var = accept_kw(p, "AS") ? take_var(p).var : hidden_var(p);
      expect_punct(p, ")");
    } else if (at_iri(p)) {
      b.expr = parse_iri_or_function(p);
      b.var = hidden_var(p);
    } else {
      b.expr = parse_builtin(p);
      if (!b.expr) unexpected(p, "a GROUP BY condition");
      b.var = hidden_var(p);
    }
    (void)at;
    GROW(p, s->group, s->ngroup, cap);
    s->group[s->ngroup++] = b;
  } while (p->tok.kind == T_VAR || is_punct(&p->tok, "(") || at_iri(p) ||
           (p->tok.kind == T_WORD && !is_kw(&p->tok, "HAVING") && !is_kw(&p->tok, "ORDER") &&
            !is_kw(&p->tok, "LIMIT") && !is_kw(&p->tok, "OFFSET") && !is_kw(&p->tok, "VALUES")));
}

static void parse_order_by(Parser *p, NgSqSelect *s) {
  size_t cap = 0;
  p->agg_ok = true;
  do {
    NgSqOrder o = {0};
    if (is_kw(&p->tok, "ASC") || is_kw(&p->tok, "DESC")) {
      o.desc = is_kw(&p->tok, "DESC");
      advance(p);
      expect_punct(p, "(");
      o.expr = parse_expression(p);
      expect_punct(p, ")");
    } else if (p->tok.kind == T_VAR) {
      Token at = p->tok;
      o.expr = term_expr(p, take_var(p), &at);
    } else {
      o.expr = parse_constraint(p);
    }
    GROW(p, s->order, s->norder, cap);
    s->order[s->norder++] = o;
  } while (p->tok.kind == T_VAR || is_punct(&p->tok, "(") || at_iri(p) || is_kw(&p->tok, "ASC") ||
           is_kw(&p->tok, "DESC") ||
           (p->tok.kind == T_WORD && !is_kw(&p->tok, "LIMIT") && !is_kw(&p->tok, "OFFSET") &&
            !is_kw(&p->tok, "VALUES")));
  p->agg_ok = false;
}

/* SolutionModifier, then the checks that need the whole SELECT. */
static void parse_modifiers(Parser *p, NgSqSelect *s, const Token *select_at) {
  if (is_kw(&p->tok, "GROUP")) {
    advance(p);
    expect_kw(p, "BY");
    parse_group_by(p, s);
    s->grouped = true;
  }
  if (accept_kw(p, "HAVING")) {
    size_t cap = 0;
    p->agg_ok = true;
    do {
      GROW(p, s->having, s->nhaving, cap);
      s->having[s->nhaving++] = parse_constraint(p);
    } while (is_punct(&p->tok, "(") || at_iri(p) ||
             (p->tok.kind == T_WORD && !is_kw(&p->tok, "ORDER") && !is_kw(&p->tok, "LIMIT") &&
              !is_kw(&p->tok, "OFFSET") && !is_kw(&p->tok, "VALUES")));
    p->agg_ok = false;
    s->grouped = true;
  }
  if (is_kw(&p->tok, "ORDER")) {
    advance(p);
    expect_kw(p, "BY");
    parse_order_by(p, s);
  }
  for (int i = 0; i < 2; ++i) {
    if (s->limit == UINT64_MAX && accept_kw(p, "LIMIT"))
      s->limit = take_count(p);
    else if (!s->offset && accept_kw(p, "OFFSET"))
      s->offset = take_count(p);
  }
  s->aggs = p->aggs;
  s->naggs = p->naggs;
  if (s->naggs) s->grouped = true;
  if (!s->grouped) return;
  if (s->star) fail_at(p, select_at, "SELECT * with GROUP BY or an aggregate");
  for (size_t i = 0; i < s->nproject; ++i) {
    uint32_t bad = 0;
    const NgSqBinding *b = &s->project[i];
    bool ok =
        b->expr
            ? grouped_expr_ok(s, b->expr, &bad)
            : grouped_expr_ok(s, &(NgSqExpr){.op = NG_SQ_E_TERM, .term = var_term(b->var)}, &bad);
    /* a variable projected by an earlier (expr AS ?v) may be used */
    for (size_t k = 0; !ok && k < i; ++k)
      if (s->project[k].expr && s->project[k].var == bad) ok = true;
    if (!ok) fail_at(p, select_at, "?%s is neither grouped nor aggregated", p->q->var_names[bad]);
  }
}

/* Checks (expr AS ?v) of a SELECT against its WHERE clause. */
static void check_projection_scope(Parser *p, NgSqSelect *s, const Token *at) {
  for (size_t i = 0; i < s->nproject; ++i)
    if (s->project[i].expr && var_in_scope(p, s->where, NULL, s->project[i].var))
      fail_at(p, at, "SELECT (... AS ?%s): ?%s is already in scope",
              p->q->var_names[s->project[i].var], p->q->var_names[s->project[i].var]);
}

static NgSqSelect *new_select(Parser *p) {
  NgSqSelect *s = palloc(p, sizeof *s);
  s->limit = UINT64_MAX;
  return s;
}

/* The parts of a SELECT after its clause: WHERE and modifiers (dataset
 * clauses only at the top). */
static void parse_select_body(Parser *p, NgSqSelect *s, const Token *at, bool top) {
  if (top) parse_dataset(p);
  accept_kw(p, "WHERE");
  s->where = parse_group(p);
  parse_modifiers(p, s, at);
  check_projection_scope(p, s, at);
}

/* Aggregates are collected per SELECT: save and restore around a subquery. */
typedef struct {
  NgSqAgg *aggs;
  size_t naggs, cap;
  bool agg_ok, in_agg;
  NgMap *scope, *bnodes;
} AggSave;

static AggSave push_select(Parser *p) {
  AggSave s = {p->aggs, p->naggs, p->cap_aggs, p->agg_ok, p->in_agg, p->scope, p->bnodes};
  p->aggs = NULL;
  p->naggs = p->cap_aggs = 0;
  p->agg_ok = p->in_agg = false;
  return s;
}

static void pop_select(Parser *p, const AggSave *s) {
  p->aggs = s->aggs;
  p->naggs = s->naggs;
  p->cap_aggs = s->cap;
  p->agg_ok = s->agg_ok;
  p->in_agg = s->in_agg;
  p->scope = s->scope;
  p->bnodes = s->bnodes;
}

/* The variables a SELECT * projects: those in scope of its pattern, in
 * order of first appearance, without blank nodes and hidden ones. */
static void star_projection(Parser *p, NgSqSelect *s, size_t first_var) {
  size_t words = (p->q->nvars + 63) / 64, cap = 0;
  NgSqVarSet set = {palloc(p, (words ? words : 1) * 8)};
  in_scope(s->where, &set, p->q->nvars);
  if (s->values) in_scope(s->values, &set, p->q->nvars);
  for (size_t v = first_var; v < p->q->nvars; ++v) {
    const char *name = p->q->var_names[v];
    if (!ng_sq_vs_has(&set, (uint32_t)v) || !name[0] || name[0] == '_') continue;
    GROW(p, s->project, s->nproject, cap);
    s->project[s->nproject++] = (NgSqBinding){(uint32_t)v, NULL};
  }
}

/* SubSelect: SelectClause WhereClause SolutionModifier ValuesClause, in a
 * scope of its own; its projected variables bind the outer ones. */
static NgSqSelect *parse_subselect(Parser *p, const Token *at) {
  Token sel = p->tok;
  expect_kw(p, "SELECT");
  AggSave saved = push_select(p);
  p->scope = pmap(p);
  p->bnodes = pmap(p);
  size_t first_var = p->q->nvars;
  NgSqSelect *s = new_select(p);
  parse_select_clause(p, s, &sel);
  parse_select_body(p, s, &sel, false);
  if (accept_kw(p, "VALUES")) s->values = parse_data_block(p, at);
  if (s->star) star_projection(p, s, first_var);
  NgMap *inner = p->scope;
  pop_select(p, &saved);
  s->inner_vars = palloc(p, (s->nproject + 1) * sizeof *s->inner_vars);
  s->outer_vars = palloc(p, (s->nproject + 1) * sizeof *s->outer_vars);
  for (size_t i = 0; i < s->nproject; ++i) {
    uint32_t v = s->project[i].var;
    s->inner_vars[i] = v;
    s->outer_vars[i] = var_named(p, p->q->var_names[v]);
  }
  (void)inner;
  return s;
}

static void parse_prologue(Parser *p) {
  for (;;) {
    if (accept_kw(p, "BASE")) {
      if (p->tok.kind != T_IRI) unexpected(p, "an IRI");
      p->base = (char *)resolve_iri(p, p->tok.value, &p->tok);
      advance(p);
    } else if (accept_kw(p, "PREFIX")) {
      if (p->tok.kind != T_PNAME || p->tok.local[0]) unexpected(p, "a prefix name");
      const char *name = p->tok.value;
      advance(p);
      if (p->tok.kind != T_IRI) unexpected(p, "an IRI");
      const char *ns = resolve_iri(p, p->tok.value, &p->tok);
      map_put(p, p->prefixes, name, strlen(name), (uintptr_t)ns);
      advance(p);
    } else {
      return;
    }
  }
}

static void parse_construct(Parser *p, NgSqSelect *s, const Token *at) {
  TripleList l = {NULL, 0, 0, false};
  p->bnode_mode = BN_TEMPLATE;
  if (is_punct(&p->tok, "{")) {
    advance(p);
    parse_triples_block(p, &l);
    expect_punct(p, "}");
    p->bnode_mode = BN_VAR;
    parse_select_body(p, s, at, true);
  } else {
    /* CONSTRUCT WHERE { TriplesTemplate }: the template is the pattern */
    p->bnode_mode = BN_VAR;
    parse_dataset(p);
    expect_kw(p, "WHERE");
    Token g = p->tok;
    expect_punct(p, "{");
    l.paths = false;
    parse_triples_block(p, &l);
    expect_punct(p, "}");
    NgSqNode *bgp = new_node(p, NG_SQ_N_BGP, &g);
    bgp->triples = l.t;
    bgp->ntriples = l.n;
    s->where = l.n ? bgp : new_node(p, NG_SQ_N_UNIT, &g);
    parse_modifiers(p, s, at);
  }
  p->q->templ = l.t;
  p->q->ntemplate = l.n;
}

static void parse_query(Parser *p) {
  parse_prologue(p);
  Token at = p->tok;
  NgSqSelect *s = new_select(p);
  p->q->select = s;
  if (accept_kw(p, "SELECT")) {
    p->q->form = NG_SQ_SELECT;
    parse_select_clause(p, s, &at);
    parse_select_body(p, s, &at, true);
  } else if (accept_kw(p, "ASK")) {
    p->q->form = NG_SQ_ASK;
    parse_select_body(p, s, &at, true);
  } else if (accept_kw(p, "CONSTRUCT")) {
    p->q->form = NG_SQ_CONSTRUCT;
    parse_construct(p, s, &at);
  } else if (accept_kw(p, "DESCRIBE")) {
    p->q->form = NG_SQ_DESCRIBE;
    size_t cap = 0;
    if (accept_punct(p, "*")) {
      s->star = true;
    } else {
      while (p->tok.kind == T_VAR || at_iri(p)) {
        GROW(p, p->q->describe, p->q->ndescribe, cap);
        p->q->describe[p->q->ndescribe++] =
            p->tok.kind == T_VAR ? take_var(p) : iri_term(take_iri(p));
      }
      if (!p->q->ndescribe) unexpected(p, "a variable, an IRI or '*'");
    }
    parse_dataset(p);
    if (is_kw(&p->tok, "WHERE") || is_punct(&p->tok, "{")) {
      accept_kw(p, "WHERE");
      s->where = parse_group(p);
    } else {
      s->where = new_node(p, NG_SQ_N_UNIT, &at);
    }
    parse_modifiers(p, s, &at);
  } else {
    unexpected(p, "SELECT, CONSTRUCT, DESCRIBE or ASK");
  }
  if (accept_kw(p, "VALUES")) s->values = parse_data_block(p, &at);
  if (s->star) star_projection(p, s, 0);
  if (p->tok.kind != T_EOF) unexpected(p, NULL);
}

/* ============================================================= update */

static NgSqQuad *quads_from(Parser *p, const TripleList *l, NgSqTerm g, NgSqQuad *q, size_t *n,
                            size_t *cap) {
  for (size_t i = 0; i < l->n; ++i) {
    GROW(p, q, *n, *cap);
    q[(*n)++] = (NgSqQuad){l->t[i].s, l->t[i].p, l->t[i].o, g};
  }
  return q;
}

/* QuadPattern / QuadData: '{' Quads '}' into *out. */
static void parse_quads(Parser *p, NgSqQuad **out, size_t *n, bool data) {
  size_t cap = 0;
  expect_punct(p, "{");
  for (;;) {
    TripleList l = {NULL, 0, 0, false};
    parse_triples_block(p, &l);
    *out = quads_from(p, &l, (NgSqTerm){0}, *out, n, &cap);
    if (!is_kw(&p->tok, "GRAPH")) break;
    advance(p);
    NgSqTerm g;
    if (p->tok.kind == T_VAR)
      g = take_var(p);
    else
      g = iri_term(take_iri(p));
    (void)data;
    expect_punct(p, "{");
    TripleList gl = {NULL, 0, 0, false};
    parse_triples_block(p, &gl);
    expect_punct(p, "}");
    *out = quads_from(p, &gl, g, *out, n, &cap);
    accept_punct(p, ".");
  }
  expect_punct(p, "}");
}

static void parse_graph_ref_all(Parser *p, NgSqUpdateOp *op) {
  if (accept_kw(p, "DEFAULT"))
    op->ref = NG_SQ_G_DEFAULT;
  else if (accept_kw(p, "NAMED"))
    op->ref = NG_SQ_G_NAMED;
  else if (accept_kw(p, "ALL"))
    op->ref = NG_SQ_G_ALL;
  else {
    expect_kw(p, "GRAPH");
    op->ref = NG_SQ_G_IRI;
    op->iri = take_iri(p);
  }
}

static void parse_graph_or_default(Parser *p, NgSqGraphRef *ref, const char **iri) {
  if (accept_kw(p, "DEFAULT")) {
    *ref = NG_SQ_G_DEFAULT;
    return;
  }
  accept_kw(p, "GRAPH");
  *ref = NG_SQ_G_IRI;
  *iri = take_iri(p);
}

static void parse_modify(Parser *p, NgSqUpdateOp *op, const Token *at) {
  op->kind = NG_SQ_U_MODIFY;
  if (accept_kw(p, "DELETE")) {
    p->bnode_mode = BN_FORBIDDEN;
    parse_quads(p, &op->del, &op->ndelete, false);
  }
  if (accept_kw(p, "INSERT")) {
    p->bnode_mode = BN_TEMPLATE;
    parse_quads(p, &op->ins, &op->ninsert, false);
  }
  p->bnode_mode = BN_VAR;
  size_t cap = 0, cap_named = 0;
  while (accept_kw(p, "USING")) {
    if (accept_kw(p, "NAMED")) {
      GROW(p, op->using_named, op->nusing_named, cap_named);
      op->using_named[op->nusing_named++] = take_iri(p);
    } else {
      GROW(p, op->using, op->nusing, cap);
      op->using[op->nusing++] = take_iri(p);
    }
  }
  expect_kw(p, "WHERE");
  op->where = new_select(p);
  op->where->where = parse_group(p);
  (void)at;
}

static void parse_update_op(Parser *p, NgSqUpdateOp *op) {
  Token at = p->tok;
  op->line = at.line;
  op->col = at.col;
  if (accept_kw(p, "LOAD")) {
    op->kind = NG_SQ_U_LOAD;
    op->silent = accept_kw(p, "SILENT");
    op->iri = take_iri(p);
    if (accept_kw(p, "INTO")) {
      expect_kw(p, "GRAPH");
      op->iri2 = take_iri(p);
    }
  } else if (accept_kw(p, "CLEAR") || accept_kw(p, "DROP")) {
    op->kind = is_kw(&at, "CLEAR") ? NG_SQ_U_CLEAR : NG_SQ_U_DROP;
    op->silent = accept_kw(p, "SILENT");
    parse_graph_ref_all(p, op);
  } else if (accept_kw(p, "CREATE")) {
    op->kind = NG_SQ_U_CREATE;
    op->silent = accept_kw(p, "SILENT");
    expect_kw(p, "GRAPH");
    op->ref = NG_SQ_G_IRI;
    op->iri = take_iri(p);
  } else if (is_kw(&p->tok, "ADD") || is_kw(&p->tok, "MOVE") || is_kw(&p->tok, "COPY")) {
    op->kind = is_kw(&at, "ADD") ? NG_SQ_U_ADD : is_kw(&at, "MOVE") ? NG_SQ_U_MOVE : NG_SQ_U_COPY;
    advance(p);
    op->silent = accept_kw(p, "SILENT");
    parse_graph_or_default(p, &op->ref, &op->iri);
    expect_kw(p, "TO");
    parse_graph_or_default(p, &op->ref2, &op->iri2);
  } else if (is_kw(&p->tok, "INSERT") && is_kw(peek2(p), "DATA")) {
    advance(p);
    advance(p);
    op->kind = NG_SQ_U_INSERT_DATA;
    p->bnode_mode = BN_TEMPLATE;
    p->no_vars = true;
    parse_quads(p, &op->ins, &op->ninsert, true);
    p->no_vars = false;
    p->bnode_mode = BN_VAR;
  } else if (is_kw(&p->tok, "DELETE") && is_kw(peek2(p), "DATA")) {
    advance(p);
    advance(p);
    op->kind = NG_SQ_U_DELETE_DATA;
    p->bnode_mode = BN_FORBIDDEN;
    p->no_vars = true;
    parse_quads(p, &op->del, &op->ndelete, true);
    p->no_vars = false;
    p->bnode_mode = BN_VAR;
  } else if (is_kw(&p->tok, "DELETE") && is_kw(peek2(p), "WHERE")) {
    advance(p);
    advance(p);
    op->kind = NG_SQ_U_MODIFY;
    p->bnode_mode = BN_FORBIDDEN;
    parse_quads(p, &op->del, &op->ndelete, false);
    p->bnode_mode = BN_VAR;
    /* DELETE WHERE { Q }: the pattern is Q itself */
    NgSqNode *g = new_node(p, NG_SQ_N_UNIT, &at);
    for (size_t i = 0; i < op->ndelete; ++i) {
      NgSqQuad *qd = &op->del[i];
      NgSqNode *bgp = new_node(p, NG_SQ_N_BGP, &at);
      bgp->triples = palloc(p, sizeof *bgp->triples);
      bgp->triples[0] = (NgSqTriple){qd->s, qd->p, qd->o, NULL};
      bgp->ntriples = 1;
      NgSqNode *n = bgp;
      if (qd->g.kind != NG_SQ_T_NONE) {
        n = new_node(p, NG_SQ_N_GRAPH, &at);
        n->graph = qd->g;
        n->a = bgp;
      }
      g = join(p, g, n);
    }
    op->where = new_select(p);
    op->where->where = g;
  } else if (is_kw(&p->tok, "WITH")) {
    advance(p);
    op->with = take_iri(p);
    if (!is_kw(&p->tok, "DELETE") && !is_kw(&p->tok, "INSERT")) unexpected(p, "DELETE or INSERT");
    parse_modify(p, op, &at);
  } else if (is_kw(&p->tok, "DELETE") || is_kw(&p->tok, "INSERT")) {
    parse_modify(p, op, &at);
  } else {
    unexpected(p, "an update operation");
  }
}

static void parse_update(Parser *p) {
  size_t cap = 0;
  p->data_bnodes = pmap(p);
  size_t keep = p->nmaps; /* maps of the whole request; later ones are per operation */
  for (;;) {
    parse_prologue(p);
    if (p->tok.kind == T_EOF) break;
    GROW(p, p->q->ops, p->q->nops, cap);
    NgSqUpdateOp *op = &p->q->ops[p->q->nops];
    memset(op, 0, sizeof *op);
    p->op_number = (unsigned)p->q->nops;
    /* each operation is a pattern scope of its own */
    p->scope = pmap(p);
    p->bnodes = pmap(p);
    p->bnode_bgp = pmap(p);
    parse_update_op(p, op);
    p->q->nops++;
    if (p->nmaps > NG_COUNTOF(p->maps) - 8) { /* free the scopes of finished operations */
      for (size_t i = keep; i < p->nmaps; ++i)
        ng_map_free(p->maps[i]);
      p->nmaps = keep;
    }
    if (!accept_punct(p, ";")) break;
  }
  if (p->tok.kind != T_EOF) unexpected(p, "';' or the end");
}

/* ============================================================== entry */

static void predeclare(Parser *p) {
  for (const NgPrefix *pf = ng_prefixes(); pf->prefix; ++pf)
    map_put(p, p->prefixes, pf->prefix, strlen(pf->prefix), (uintptr_t)pf->ns);
}

/* The parse itself, with the longjmp target (nothing here changes after
 * setjmp, so nothing is clobbered). */
static NgStatus run_parser(Parser *p, const char *base, bool update) {
  if (setjmp(p->fail) == 0) {
    size_t bad;
    if (!ng_utf8_check(p->text, p->len, &bad)) {
      Token t = {0};
      locate(p, bad, &t.line, &t.col);
      fail_at(p, &t, "the query is not valid UTF-8 (or holds a NUL byte)");
    }
    p->prefixes = pmap(p);
    p->bnode_bgp = pmap(p);
    p->scope = pmap(p);
    p->bnodes = pmap(p);
    predeclare(p);
    if (base) p->base = pstrndup(p, base, strlen(base));
    advance(p);
    if (update)
      parse_update(p);
    else
      parse_query(p);
    p->q->base = p->base;
  }
  for (size_t i = 0; i < p->nmaps; ++i)
    ng_map_free(p->maps[i]);
  return p->status;
}

NgSqQuery *ng_sq_parse(NgWorld *world, const char *text, size_t len, const char *origin,
                       const char *base, bool update, NgStatus *status) {
  NgSqQuery *q = calloc(1, sizeof *q);
  Parser *p = calloc(1, sizeof *p);
  if (!q || !p) {
    free(q);
    free(p);
    *status = NG_ERR_NOMEM;
    return NULL;
  }
  p->world = world;
  p->origin = origin ? origin : "<query>";
  p->q = q;
  p->arena = &q->arena;
  p->cur_line = p->cur_col = 1;
  if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) { /* a byte order mark is no column */
    text += 3;
    len -= 3;
  }
  p->text = text;
  p->len = len;
  q->form = update ? NG_SQ_UPDATE : NG_SQ_SELECT;
  *status = run_parser(p, base, update);
  free(p);
  if (*status) {
    ng_sq_query_free(q);
    return NULL;
  }
  return q;
}

void ng_sq_query_free(NgSqQuery *q) {
  if (!q) return;
  ng_arena_free(&q->arena);
  free(q);
}
