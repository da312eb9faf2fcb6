/* probe.c - the text side of SPARQL: a tokenizer just precise enough to
 * find token boundaries, the prelude that predeclares the project's
 * prefixes, the query form, and the search for where a parser failed.
 *
 * Shared by the embedded store (sparql.c) and the remote endpoint
 * (endpoint.c), so that both see the user's query the same way. */
#include "query.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ============================================================ tokens */

static bool word_char(unsigned char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80)
    return true;
  return strchr(first ? "_:?$@%\\" : "_:?$@%\\.-", c) != NULL && c != '\0';
}

static size_t skip_space(const char *t, size_t len, size_t i) {
  while (i < len) {
    if (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n') {
      i++;
    } else if (t[i] == '#') {
      while (i < len && t[i] != '\n')
        i++;
    } else {
      break;
    }
  }
  return i;
}

/* End of a string token starting at i: "..." '...' or the long forms. */
static size_t string_end(const char *t, size_t len, size_t i) {
  char q = t[i];
  bool longform = i + 2 < len && t[i + 1] == q && t[i + 2] == q;
  size_t j = i + (longform ? 3 : 1);
  while (j < len) {
    if (t[j] == '\\') {
      j += 2;
    } else if (longform && j + 2 < len && t[j] == q && t[j + 1] == q && t[j + 2] == q) {
      return j + 3;
    } else if (!longform && t[j] == q) {
      return j + 1;
    } else if (!longform && t[j] == '\n') {
      return j; /* unterminated: the token is the rest of the line */
    } else {
      j++;
    }
  }
  return len;
}

/* An IRI "<...>" if one closes before any character IRIs cannot hold;
 * otherwise 0 (the '<' is an operator). */
static size_t iri_end(const char *t, size_t len, size_t i) {
  for (size_t j = i + 1; j < len; ++j) {
    if (t[j] == '>') return j + 1;
    if (strchr(" \t\r\n<\"{}|^`", t[j])) return 0;
  }
  return 0;
}

NgTokKind ng_sparql_token(const char *t, size_t len, size_t *pos, size_t *begin) {
  size_t i = skip_space(t, len, *pos), end;
  *begin = i;
  if (i >= len) {
    *pos = len;
    return NG_TOK_END;
  }
  unsigned char c = (unsigned char)t[i];
  NgTokKind kind = NG_TOK_PUNCT;
  if (c == '<' && (end = iri_end(t, len, i))) {
    kind = NG_TOK_IRI;
  } else if (c == '"' || c == '\'') {
    kind = NG_TOK_STRING;
    end = string_end(t, len, i);
  } else if (word_char(c, true)) {
    kind = NG_TOK_WORD;
    for (end = i + 1; end < len && word_char((unsigned char)t[end], false); ++end) {
    }
    while (end > i + 1 && t[end - 1] == '.')
      end--; /* "ex:a ." and "ex:a." alike */
  } else {
    static const char *const pairs[] = {"^^", "&&", "||", "<=", ">=", "!="};
    end = i + 1;
    for (size_t k = 0; k < NG_COUNTOF(pairs); ++k)
      if (i + 1 < len && t[i] == pairs[k][0] && t[i + 1] == pairs[k][1]) end = i + 2;
  }
  *pos = end;
  return kind;
}

/* Outside strings, IRIs and comments SPARQL allows a backslash only as a
 * local-name escape (PN_LOCAL_ESC). */
bool ng_sparql_stray_backslash(const char *t, size_t len, size_t *offset) {
  size_t pos = 0, begin;
  NgTokKind kind;
  while ((kind = ng_sparql_token(t, len, &pos, &begin)) != NG_TOK_END) {
    if (kind == NG_TOK_IRI || kind == NG_TOK_STRING) continue;
    for (size_t i = begin; i < pos; ++i) {
      if (t[i] != '\\') continue;
      if (i + 1 < len && t[i + 1] && strchr(LOCAL_ESCAPE_CHARS, t[i + 1])) {
        i++;
        continue;
      }
      *offset = i;
      return true;
    }
  }
  return false;
}

static bool is_keyword(const char *t, size_t begin, size_t end, const char *word) {
  size_t n = strlen(word);
  return end - begin == n && !strncasecmp(t + begin, word, n);
}

/* ============================================================ prelude */

/* Does the query declare this prefix itself ("PREFIX name:")? */
static bool declares(const char *q, size_t len, const char *name) {
  size_t pos = 0, begin, name_len = strlen(name);
  bool after_keyword = false;
  NgTokKind kind;
  while ((kind = ng_sparql_token(q, len, &pos, &begin)) != NG_TOK_END) {
    size_t n = pos - begin;
    if (after_keyword && kind == NG_TOK_WORD && n == name_len + 1 &&
        !memcmp(q + begin, name, name_len))
      return true;
    after_keyword = kind == NG_TOK_WORD && is_keyword(q, begin, pos, "PREFIX");
  }
  return false;
}

/* Is a name "name:local" (or "^^name:local") written anywhere in the query? */
static bool uses(const char *q, size_t len, const char *name) {
  size_t pos = 0, begin, name_len = strlen(name);
  while (ng_sparql_token(q, len, &pos, &begin) != NG_TOK_END)
    if (pos - begin > name_len && q[begin + name_len] == ':' && !memcmp(q + begin, name, name_len))
      return true;
  return false;
}

/* The user's "BASE <iri>" when the query starts with one: SPARQL parsers
 * want it before any PREFIX, so it moves to the prelude line (and is
 * blanked out in place, which keeps every line and column where it was). */
static bool leading_base(const char *q, size_t len, size_t *begin, size_t *iri, size_t *end) {
  size_t pos = 0, b;
  if (ng_sparql_token(q, len, &pos, &b) != NG_TOK_WORD || !is_keyword(q, b, pos, "BASE"))
    return false;
  if (ng_sparql_token(q, len, &pos, iri) != NG_TOK_IRI) return false;
  *begin = b;
  *end = pos;
  return true;
}

NgStatus ng_sparql_prelude(NgBuf *text, const char *user, bool used_only, size_t *prelude) {
  NgStatus st = NG_SUCCESS;
  if (!strncmp(user, "\xef\xbb\xbf", 3)) user += 3; /* a byte order mark is no column */
  size_t len = strlen(user), base_begin = 0, iri = 0, base_end = 0, start = text->len;
  bool base = leading_base(user, len, &base_begin, &iri, &base_end);
  if (base) st = ng_buf_printf(text, "BASE %.*s ", (int)(base_end - iri), user + iri);
  for (const NgPrefix *p = ng_prefixes(); p->prefix && !st; ++p)
    if (!declares(user, len, p->prefix) && (!used_only || uses(user, len, p->prefix)))
      st = ng_buf_printf(text, "PREFIX %s: <%s> ", p->prefix, p->ns);
  if (!st) st = ng_buf_putc(text, '\n');
  size_t user_at = text->len;
  if (!st) st = ng_buf_append(text, user, len);
  if (st) return st;
  for (size_t i = base_begin; base && i < base_end; ++i)
    if (text->data[user_at + i] != '\n') text->data[user_at + i] = ' ';
  *prelude = user_at - start;
  return NG_SUCCESS;
}

/* ============================================================== form */

NgQueryForm ng_sparql_query_form(const char *text) {
  static const struct {
    const char *word;
    NgQueryForm form;
  } forms[] = {
      {"SELECT", NG_FORM_SELECT},     {"ASK", NG_FORM_ASK},       {"CONSTRUCT", NG_FORM_CONSTRUCT},
      {"DESCRIBE", NG_FORM_DESCRIBE}, {"INSERT", NG_FORM_UPDATE}, {"DELETE", NG_FORM_UPDATE},
      {"LOAD", NG_FORM_UPDATE},       {"CLEAR", NG_FORM_UPDATE},  {"DROP", NG_FORM_UPDATE},
      {"CREATE", NG_FORM_UPDATE},     {"ADD", NG_FORM_UPDATE},    {"MOVE", NG_FORM_UPDATE},
      {"COPY", NG_FORM_UPDATE},       {"WITH", NG_FORM_UPDATE}};
  size_t len = strlen(text), pos = 0, begin;
  NgTokKind kind;
  /* the first of these words outside the prologue decides; PREFIX and
   * BASE declarations come before it and hold none of them */
  while ((kind = ng_sparql_token(text, len, &pos, &begin)) != NG_TOK_END) {
    if (kind != NG_TOK_WORD) continue;
    for (size_t i = 0; i < NG_COUNTOF(forms); ++i)
      if (is_keyword(text, begin, pos, forms[i].word)) return forms[i].form;
  }
  return NG_FORM_UNKNOWN;
}

/* ============================================================ probing */

typedef struct {
  size_t begin, end;
} Span;

/* Tokens starting on line `line` (every token when 0). */
static NgStatus collect_tokens(const char *text, size_t len, unsigned long line, Span **out,
                               size_t *n) {
  size_t pos = 0, begin, cap = 0, newlines_to = 0;
  unsigned long current = 1;
  *out = NULL;
  *n = 0;
  while (ng_sparql_token(text, len, &pos, &begin) != NG_TOK_END) {
    for (; newlines_to < begin; ++newlines_to)
      current += text[newlines_to] == '\n';
    if (line && current < line) continue;
    if (line && current > line) break;
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      Span *s = realloc(*out, cap * sizeof *s);
      if (!s) return NG_ERR_NOMEM;
      *out = s;
    }
    (*out)[(*n)++] = (Span){begin, pos};
  }
  return NG_SUCCESS;
}

bool ng_probe_error_offset(const char *text, size_t len, unsigned long first_line,
                           NgPrefixParse parse, void *ctx, size_t *offset) {
  Span *tokens;
  size_t n;
  if (collect_tokens(text, len, first_line, &tokens, &n) || !n) {
    free(tokens);
    return false;
  }
  bool found = parse(ctx, text, tokens[n - 1].end);
  if (found) {
    /* smallest k whose prefix (through token k) fails before its end */
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (parse(ctx, text, tokens[mid].end))
        hi = mid;
      else
        lo = mid + 1;
    }
    *offset = tokens[lo].begin;
  }
  free(tokens);
  return found;
}
