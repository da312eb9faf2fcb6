/* sparql.c - SPARQL over the store, and the text side of it: a tokenizer
 * that finds where a parser failed, and the result writers.
 *
 * Queries run through librdf_new_query(..., "sparql", ...) on the live
 * generation, with the project's prefixes predeclared on one line before
 * the user's text (so line numbers shift by exactly one).  Rasqal 0.9.33
 * reports syntax errors with a line but no column (-1), so the column is
 * found by re-parsing shorter prefixes of the query (ng_probe_error_offset).
 *
 * Known Rasqal behaviour kept as it is: an aggregate over no match, e.g.
 * SELECT (COUNT(*) AS ?n) WHERE { ?s ng:none ?o }, gives no row instead of
 * a row with 0; the default graph is the union of the article graphs as
 * Redland stores it, so a triple held by several graphs matches once per
 * graph (use DISTINCT). */
#include "query.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define ROW_BATCH 1024 /* rows held before streaming formats write them */

NgResultsFormat ng_results_format_from_name(const char *name, bool *ok) {
  static const char *const names[] = {"table", "csv", "tsv", "json", "xml"};
  for (size_t i = 0; name && i < NG_COUNTOF(names); ++i) {
    if (ng_streq_nocase(name, names[i])) {
      if (ok) *ok = true;
      return (NgResultsFormat)i;
    }
  }
  if (ok) *ok = false;
  return NG_RESULTS_TSV;
}

/* ============================================================ tokens */

typedef enum { TOK_END, TOK_WORD, TOK_IRI, TOK_STRING, TOK_PUNCT } TokKind;

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

/* The next token of SPARQL or Turtle text from *pos: its kind, begin and
 * end.  Only as precise as finding token boundaries needs. */
static TokKind next_token(const char *t, size_t len, size_t *pos, size_t *begin) {
  size_t i = skip_space(t, len, *pos), end;
  *begin = i;
  if (i >= len) {
    *pos = len;
    return TOK_END;
  }
  unsigned char c = (unsigned char)t[i];
  TokKind kind = TOK_PUNCT;
  if (c == '<' && (end = iri_end(t, len, i))) {
    kind = TOK_IRI;
  } else if (c == '"' || c == '\'') {
    kind = TOK_STRING;
    end = string_end(t, len, i);
  } else if (word_char(c, true)) {
    kind = TOK_WORD;
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
  while (next_token(text, len, &pos, &begin) != TOK_END) {
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

/* ===================================================== result table */

NgResultTable *ng_result_table_new(NgResultKind kind) {
  NgResultTable *t = calloc(1, sizeof *t);
  if (t) t->kind = kind;
  return t;
}

void ng_result_table_free(NgResultTable *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nvars; ++i)
    free(t->vars[i]);
  free(t->vars);
  free(t->cells);
  ng_arena_free(&t->arena);
  free(t);
}

NgStatus ng_result_table_add_var(NgResultTable *t, const char *name) {
  if (t->nrows || t->rows_written) return NG_ERR_BAD_ARG; /* the shape is fixed by then */
  char **vars = realloc(t->vars, (t->nvars + 1) * sizeof *vars);
  if (!vars) return NG_ERR_NOMEM;
  t->vars = vars;
  if (!(vars[t->nvars] = strdup(name))) return NG_ERR_NOMEM;
  t->nvars++;
  return NG_SUCCESS;
}

NgStatus ng_result_table_add_row(NgResultTable *t, size_t *row) {
  if (t->nrows == t->cap_rows) {
    size_t cap = t->cap_rows ? t->cap_rows * 2 : 64;
    NgTerm *cells = realloc(t->cells, cap * (t->nvars ? t->nvars : 1) * sizeof *cells);
    if (!cells) return NG_ERR_NOMEM;
    t->cells = cells;
    t->cap_rows = cap;
  }
  NgTerm *r = &t->cells[t->nrows * t->nvars];
  for (size_t i = 0; i < t->nvars; ++i)
    r[i] = (NgTerm){NG_TERM_IRI, NULL, NULL, NULL};
  *row = t->nrows++;
  return NG_SUCCESS;
}

static const char *arena_copy(NgArena *a, const char *s, bool *failed) {
  if (!s) return NULL;
  const char *copy = ng_arena_strdup(a, s);
  if (!copy) *failed = true;
  return copy;
}

NgStatus ng_result_table_set(NgResultTable *t, size_t row, size_t col, const NgTerm *term) {
  if (row >= t->nrows || col >= t->nvars) return NG_ERR_BAD_ARG;
  NgTerm *cell = &t->cells[row * t->nvars + col];
  bool failed = false;
  *cell = (NgTerm){term->kind, arena_copy(&t->arena, term->value, &failed),
                   arena_copy(&t->arena, term->datatype, &failed),
                   arena_copy(&t->arena, term->lang, &failed)};
  return failed ? NG_ERR_NOMEM : NG_SUCCESS;
}

void ng_result_table_drop_rows(NgResultTable *t) {
  t->rows_written += t->nrows;
  t->nrows = 0;
  ng_arena_free(&t->arena); /* variable names live outside it */
}

/* ======================================================= formatting */

/* Text with the control characters made visible (\n, \t, \uXXXX), so that
 * a value never breaks a line of the table. */
static NgStatus append_visible(NgBuf *b, const char *s) {
  NgStatus st = NG_SUCCESS;
  for (const unsigned char *p = (const unsigned char *)s; *p && !st; ++p) {
    if (*p >= 0x20 && *p != 0x7F)
      st = ng_buf_putc(b, (char)*p);
    else if (*p == '\n')
      st = ng_buf_puts(b, "\\n");
    else if (*p == '\t')
      st = ng_buf_puts(b, "\\t");
    else if (*p == '\r')
      st = ng_buf_puts(b, "\\r");
    else
      st = ng_buf_printf(b, "\\u%04X", *p);
  }
  return st;
}

/* The prefix whose namespace is the longest start of iri (display only:
 * the local part need not be a valid Turtle name). */
static const NgPrefix *display_prefix(const char *iri) {
  const NgPrefix *best = NULL;
  size_t best_len = 0;
  for (const NgPrefix *p = ng_prefixes(); p->prefix; ++p) {
    size_t len = strlen(p->ns);
    if (len > best_len && !strncmp(iri, p->ns, len) && iri[len]) {
      best = p;
      best_len = len;
    }
  }
  return best;
}

/* A cell as the table shows it: prefixed names, plain literals. */
static NgStatus display_text(NgBuf *b, const NgTerm *t) {
  NgStatus st;
  if (!t->value) return NG_SUCCESS;
  if (t->kind == NG_TERM_BLANK) NG_TRY(st, ng_buf_puts(b, "_:"));
  if (t->kind != NG_TERM_IRI) return append_visible(b, t->value);
  const NgPrefix *p = display_prefix(t->value);
  if (p) {
    NG_TRY(st, ng_buf_printf(b, "%s:", p->prefix));
    return append_visible(b, t->value + strlen(p->ns));
  }
  NG_TRY(st, ng_buf_putc(b, '<'));
  NG_TRY(st, append_visible(b, t->value));
  return ng_buf_putc(b, '>');
}

/* Columns on a terminal: wide characters take two, combining marks none. */
static size_t display_width(const char *s) {
  size_t width = 0, len = strlen(s), i = 0;
  while (i < len) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) {
      width++;
      i++;
      continue;
    }
    int w = utf8proc_charwidth(cp);
    width += w > 0 ? (size_t)w : 0;
    i += (size_t)n;
  }
  return width;
}

static NgStatus put_buf(FILE *out, NgBuf *b) {
  if (b->len && fwrite(b->data, 1, b->len, out) != b->len) return NG_ERR_IO;
  ng_buf_clear(b);
  return NG_SUCCESS;
}

/* ------------------------------------------------------------ table */

typedef struct {
  char **text;    /* (nrows + 1) * ncols, row 0 the header */
  size_t *width;  /* display width of each text */
  size_t *column; /* width of each column */
} Grid;

static NgStatus rule_line(NgBuf *b, const Grid *g, size_t ncols, const char *left, const char *mid,
                          const char *right) {
  NgStatus st = ng_buf_puts(b, left);
  for (size_t c = 0; c < ncols && !st; ++c) {
    for (size_t k = 0; k < g->column[c] + 2 && !st; ++k)
      st = ng_buf_puts(b, "\xe2\x94\x80");
    if (!st) st = ng_buf_puts(b, c + 1 < ncols ? mid : right);
  }
  return st ? st : ng_buf_putc(b, '\n');
}

static NgStatus text_line(NgBuf *b, const Grid *g, size_t row, size_t ncols) {
  NgStatus st = ng_buf_puts(b, "\xe2\x94\x82"); /* │ */
  for (size_t c = 0; c < ncols && !st; ++c) {
    size_t i = row * ncols + c;
    st = ng_buf_printf(b, " %s%*s \xe2\x94\x82", g->text[i], (int)(g->column[c] - g->width[i]), "");
  }
  return st ? st : ng_buf_putc(b, '\n');
}

static NgStatus fill_grid(const NgResultTable *t, Grid *g, NgArena *arena) {
  size_t ncols = t->nvars, cells = (t->nrows + 1) * ncols;
  g->text = ng_arena_calloc(arena, cells * sizeof *g->text + 1);
  g->width = ng_arena_calloc(arena, cells * sizeof *g->width + 1);
  g->column = ng_arena_calloc(arena, ncols * sizeof *g->column + 1);
  if (!g->text || !g->width || !g->column) return NG_ERR_NOMEM;
  NgBuf b = NG_BUF_INIT;
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < cells && !st; ++i) {
    ng_buf_clear(&b);
    st = i < ncols ? append_visible(&b, t->vars[i]) : display_text(&b, &t->cells[i - ncols]);
    if (!st && !(g->text[i] = ng_arena_strdup(arena, ng_buf_str(&b)))) st = NG_ERR_NOMEM;
    if (st) break;
    g->width[i] = display_width(g->text[i]);
    if (g->width[i] > g->column[i % ncols]) g->column[i % ncols] = g->width[i];
  }
  ng_buf_free(&b);
  return st;
}

/* Box-drawing table; needs every row for the column widths. */
static NgStatus write_table(const NgResultTable *t, FILE *out) {
  if (!t->nvars) return NG_SUCCESS;
  NgArena arena = NG_ARENA_INIT;
  NgBuf b = NG_BUF_INIT;
  Grid g;
  NgStatus st = fill_grid(t, &g, &arena);
  if (!st) st = rule_line(&b, &g, t->nvars, "\xe2\x94\x8c", "\xe2\x94\xac", "\xe2\x94\x90");
  if (!st) st = text_line(&b, &g, 0, t->nvars);
  if (!st) st = rule_line(&b, &g, t->nvars, "\xe2\x94\x9c", "\xe2\x94\xbc", "\xe2\x94\xa4");
  for (size_t r = 1; r <= t->nrows && !st; ++r) {
    st = text_line(&b, &g, r, t->nvars);
    if (!st && b.len > 65536) st = put_buf(out, &b);
  }
  if (!st) st = rule_line(&b, &g, t->nvars, "\xe2\x94\x94", "\xe2\x94\xb4", "\xe2\x94\x98");
  if (!st) st = put_buf(out, &b);
  ng_buf_free(&b);
  ng_arena_free(&arena);
  return st;
}

/* -------------------------------------------------------- csv / tsv */

/* W3C SPARQL 1.1 CSV: RFC 4180 quoting, CRLF line ends. */
static NgStatus csv_field(NgBuf *b, const char *s) {
  if (!strpbrk(s, "\",\r\n")) return ng_buf_puts(b, s);
  NgStatus st = ng_buf_putc(b, '"');
  for (const char *p = s; *p && !st; ++p)
    st = *p == '"' ? ng_buf_puts(b, "\"\"") : ng_buf_putc(b, *p);
  return st ? st : ng_buf_putc(b, '"');
}

static NgStatus csv_rows(const NgResultTable *t, NgBuf *b, FILE *out) {
  NgStatus st = NG_SUCCESS;
  NgBuf cell = NG_BUF_INIT;
  for (size_t r = 0; r < t->nrows && !st; ++r) {
    for (size_t c = 0; c < t->nvars && !st; ++c) {
      const NgTerm *term = &t->cells[r * t->nvars + c];
      ng_buf_clear(&cell);
      if (term->value && term->kind == NG_TERM_BLANK) st = ng_buf_puts(&cell, "_:");
      if (!st && term->value) st = ng_buf_puts(&cell, term->value);
      if (!st && c) st = ng_buf_putc(b, ',');
      if (!st) st = csv_field(b, ng_buf_str(&cell));
    }
    if (!st) st = ng_buf_puts(b, "\r\n");
    if (!st && b->len > 65536) st = put_buf(out, b);
  }
  ng_buf_free(&cell);
  return st;
}

/* W3C SPARQL 1.1 TSV: terms in their SPARQL/Turtle syntax. */
static NgStatus tsv_rows(const NgResultTable *t, NgBuf *b, FILE *out) {
  NgStatus st = NG_SUCCESS;
  for (size_t r = 0; r < t->nrows && !st; ++r) {
    for (size_t c = 0; c < t->nvars && !st; ++c) {
      const NgTerm *term = &t->cells[r * t->nvars + c];
      if (c) st = ng_buf_putc(b, '\t');
      if (!st && term->value) st = ng_term_append_nt(b, term);
    }
    if (!st) st = ng_buf_putc(b, '\n');
    if (!st && b->len > 65536) st = put_buf(out, b);
  }
  return st;
}

static NgStatus separated_vars(NgBuf *b, const NgResultTable *t, const char *sep, const char *mark,
                               const char *end) {
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < t->nvars && !st; ++i)
    st = ng_buf_printf(b, "%s%s%s", i ? sep : "", mark, t->vars[i]);
  return st ? st : ng_buf_puts(b, end);
}

/* --------------------------------------------------------------- json */

static NgStatus json_string(NgBuf *b, const char *s) {
  NgStatus st = ng_buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p && !st; ++p) {
    if (*p == '"' || *p == '\\')
      st = ng_buf_printf(b, "\\%c", *p);
    else if (*p == '\n')
      st = ng_buf_puts(b, "\\n");
    else if (*p == '\r')
      st = ng_buf_puts(b, "\\r");
    else if (*p == '\t')
      st = ng_buf_puts(b, "\\t");
    else if (*p < 0x20)
      st = ng_buf_printf(b, "\\u%04x", *p);
    else
      st = ng_buf_putc(b, (char)*p);
  }
  return st ? st : ng_buf_putc(b, '"');
}

static NgStatus json_term(NgBuf *b, const NgTerm *t) {
  static const char *const types[] = {"uri", "bnode", "literal"};
  NgStatus st = ng_buf_printf(b, "{\"type\": \"%s\", \"value\": ", types[t->kind]);
  if (!st) st = json_string(b, t->value);
  if (!st && t->kind == NG_TERM_LITERAL && t->lang) {
    st = ng_buf_puts(b, ", \"xml:lang\": ");
    if (!st) st = json_string(b, t->lang);
  } else if (!st && t->kind == NG_TERM_LITERAL && t->datatype) {
    st = ng_buf_puts(b, ", \"datatype\": ");
    if (!st) st = json_string(b, t->datatype);
  }
  return st ? st : ng_buf_putc(b, '}');
}

static NgStatus json_head(NgBuf *b, const NgResultTable *t) {
  NgStatus st = ng_buf_puts(b, "{\n  \"head\": {\"vars\": [");
  for (size_t i = 0; i < t->nvars && !st; ++i) {
    if (i) st = ng_buf_puts(b, ", ");
    if (!st) st = json_string(b, t->vars[i]);
  }
  return st ? st : ng_buf_puts(b, "]},\n  \"results\": {\"bindings\": [");
}

static NgStatus json_rows(const NgResultTable *t, NgBuf *b, FILE *out) {
  NgStatus st = NG_SUCCESS;
  for (size_t r = 0; r < t->nrows && !st; ++r) {
    st = ng_buf_puts(b, r + t->rows_written ? ",\n    {" : "\n    {");
    bool first = true;
    for (size_t c = 0; c < t->nvars && !st; ++c) {
      const NgTerm *term = &t->cells[r * t->nvars + c];
      if (!term->value) continue; /* unbound: left out */
      if (!first) st = ng_buf_puts(b, ", ");
      first = false;
      if (!st) st = json_string(b, t->vars[c]);
      if (!st) st = ng_buf_puts(b, ": ");
      if (!st) st = json_term(b, term);
    }
    if (!st) st = ng_buf_putc(b, '}');
    if (!st && b->len > 65536) st = put_buf(out, b);
  }
  return st;
}

/* ---------------------------------------------------------------- xml */

/* XML 1.0 cannot hold most control characters, even as references: they
 * become U+FFFD.  CR is kept as a reference (parsers would drop it). */
static NgStatus xml_text(NgBuf *b, const char *s) {
  NgStatus st = NG_SUCCESS;
  for (const unsigned char *p = (const unsigned char *)s; *p && !st; ++p) {
    switch (*p) {
    case '&': st = ng_buf_puts(b, "&amp;"); break;
    case '<': st = ng_buf_puts(b, "&lt;"); break;
    case '>': st = ng_buf_puts(b, "&gt;"); break;
    case '"': st = ng_buf_puts(b, "&quot;"); break;
    case '\r': st = ng_buf_puts(b, "&#13;"); break;
    case '\t':
    case '\n': st = ng_buf_putc(b, (char)*p); break;
    default: st = *p < 0x20 ? ng_buf_puts(b, "\xef\xbf\xbd") : ng_buf_putc(b, (char)*p);
    }
  }
  return st;
}

static NgStatus xml_term(NgBuf *b, const NgTerm *t) {
  static const char *const tags[] = {"uri", "bnode", "literal"};
  NgStatus st = ng_buf_printf(b, "<%s", tags[t->kind]);
  if (!st && t->kind == NG_TERM_LITERAL && (t->lang || t->datatype)) {
    st = ng_buf_puts(b, t->lang ? " xml:lang=\"" : " datatype=\"");
    if (!st) st = xml_text(b, t->lang ? t->lang : t->datatype);
    if (!st) st = ng_buf_putc(b, '"');
  }
  if (!st) st = ng_buf_putc(b, '>');
  if (!st) st = xml_text(b, t->value);
  return st ? st : ng_buf_printf(b, "</%s>", tags[t->kind]);
}

#define XML_START                                                                                  \
  "<?xml version=\"1.0\"?>\n<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"

static NgStatus xml_head(NgBuf *b, const NgResultTable *t) {
  NgStatus st = ng_buf_puts(b, XML_START "  <head>\n");
  for (size_t i = 0; i < t->nvars && !st; ++i) {
    st = ng_buf_puts(b, "    <variable name=\"");
    if (!st) st = xml_text(b, t->vars[i]);
    if (!st) st = ng_buf_puts(b, "\"/>\n");
  }
  return st ? st : ng_buf_puts(b, "  </head>\n  <results>\n");
}

static NgStatus xml_rows(const NgResultTable *t, NgBuf *b, FILE *out) {
  NgStatus st = NG_SUCCESS;
  for (size_t r = 0; r < t->nrows && !st; ++r) {
    st = ng_buf_puts(b, "    <result>\n");
    for (size_t c = 0; c < t->nvars && !st; ++c) {
      const NgTerm *term = &t->cells[r * t->nvars + c];
      if (!term->value) continue;
      st = ng_buf_puts(b, "      <binding name=\"");
      if (!st) st = xml_text(b, t->vars[c]);
      if (!st) st = ng_buf_puts(b, "\">");
      if (!st) st = xml_term(b, term);
      if (!st) st = ng_buf_puts(b, "</binding>\n");
    }
    if (!st) st = ng_buf_puts(b, "    </result>\n");
    if (!st && b->len > 65536) st = put_buf(out, b);
  }
  return st;
}

/* ------------------------------------------------------------ writing */

/* ASK answers.  The W3C CSV/TSV formats define SELECT only; ASK follows
 * the common practice of a one-column "_askResult" table. */
static NgStatus write_boolean(NgBuf *b, bool value, NgResultsFormat format) {
  const char *v = value ? "true" : "false";
  switch (format) {
  case NG_RESULTS_TABLE: return ng_buf_printf(b, "%s\n", v);
  case NG_RESULTS_CSV: return ng_buf_printf(b, "_askResult\r\n%s\r\n", v);
  case NG_RESULTS_TSV: return ng_buf_printf(b, "?_askResult\n%s\n", v);
  case NG_RESULTS_JSON: return ng_buf_printf(b, "{\n  \"head\": {},\n  \"boolean\": %s\n}\n", v);
  case NG_RESULTS_XML:
    return ng_buf_printf(b, XML_START "  <head/>\n  <boolean>%s</boolean>\n</sparql>\n", v);
  }
  return NG_ERR_BAD_ARG;
}

static NgStatus write_head(NgResultTable *t, NgResultsFormat format, NgBuf *b) {
  switch (format) {
  case NG_RESULTS_CSV: return separated_vars(b, t, ",", "", "\r\n");
  case NG_RESULTS_TSV: return separated_vars(b, t, "\t", "?", "\n");
  case NG_RESULTS_JSON: return json_head(b, t);
  case NG_RESULTS_XML: return xml_head(b, t);
  case NG_RESULTS_TABLE: break;
  }
  return NG_SUCCESS;
}

static NgStatus write_rows(NgResultTable *t, NgResultsFormat format, NgBuf *b, FILE *out) {
  switch (format) {
  case NG_RESULTS_CSV: return csv_rows(t, b, out);
  case NG_RESULTS_TSV: return tsv_rows(t, b, out);
  case NG_RESULTS_JSON: return json_rows(t, b, out);
  case NG_RESULTS_XML: return xml_rows(t, b, out);
  case NG_RESULTS_TABLE: break;
  }
  return NG_SUCCESS;
}

static NgStatus write_tail(NgResultTable *t, NgResultsFormat format, NgBuf *b, FILE *out) {
  switch (format) {
  case NG_RESULTS_JSON:
    return ng_buf_puts(b, t->nrows + t->rows_written ? "\n  ]}\n}\n" : "]}\n}\n");
  case NG_RESULTS_XML: return ng_buf_puts(b, "  </results>\n</sparql>\n");
  case NG_RESULTS_TABLE: return write_table(t, out);
  default: break;
  }
  return NG_SUCCESS;
}

NgStatus ng_results_write(NgResultTable *table, NgResultsFormat format, int parts, FILE *out) {
  NgBuf b = NG_BUF_INIT;
  NgStatus st = NG_SUCCESS;
  if (table->kind == NG_RESULT_BOOLEAN) {
    if (parts & NG_RESULTS_TAIL) st = write_boolean(&b, table->boolean, format);
  } else {
    if (parts & NG_RESULTS_HEAD) st = write_head(table, format, &b);
    if (!st && (parts & NG_RESULTS_ROWS)) st = write_rows(table, format, &b, out);
    if (!st && (parts & NG_RESULTS_TAIL)) st = write_tail(table, format, &b, out);
  }
  if (!st) st = put_buf(out, &b);
  ng_buf_free(&b);
  return st;
}

/* ========================================================= running */

typedef struct {
  NgStore *store;
  const char *origin;
  NgResultsFormat format;
  FILE *out;
  NgBuf text;           /* prelude line + the user's query */
  size_t prelude;       /* bytes before the user's text */
  const char *user;     /* the user's text */
  rasqal_query *parsed; /* the syntax check's parse: names the variables */
} Query;

/* Does the query declare this prefix itself ("PREFIX name:")? */
static bool declares(const char *q, size_t len, const char *name) {
  size_t pos = 0, begin, name_len = strlen(name);
  bool after_keyword = false;
  TokKind kind;
  while ((kind = next_token(q, len, &pos, &begin)) != TOK_END) {
    size_t n = pos - begin;
    if (after_keyword && kind == TOK_WORD && n == name_len + 1 &&
        !memcmp(q + begin, name, name_len))
      return true;
    after_keyword = kind == TOK_WORD && n == 6 && !strncasecmp(q + begin, "PREFIX", 6);
  }
  return false;
}

/* The user's "BASE <iri>" when the query starts with one: Rasqal wants it
 * before any PREFIX, so it moves to the prelude line (and is blanked out
 * in place, which keeps every line and column where it was). */
static bool leading_base(const char *q, size_t len, size_t *begin, size_t *iri, size_t *end) {
  size_t pos = 0, b;
  if (next_token(q, len, &pos, &b) != TOK_WORD || pos - b != 4 || strncasecmp(q + b, "BASE", 4))
    return false;
  if (next_token(q, len, &pos, iri) != TOK_IRI) return false;
  *begin = b;
  *end = pos;
  return true;
}

/* The project's prefixes, all on one line, except those the query declares. */
static NgStatus build_text(Query *q, const char *user) {
  NgStatus st = NG_SUCCESS;
  if (!strncmp(user, "\xef\xbb\xbf", 3)) user += 3; /* a byte order mark is no column */
  size_t len = strlen(user), base_begin = 0, iri = 0, base_end = 0;
  bool base = leading_base(user, len, &base_begin, &iri, &base_end);
  if (base) st = ng_buf_printf(&q->text, "BASE %.*s ", (int)(base_end - iri), user + iri);
  for (const NgPrefix *p = ng_prefixes(); p->prefix && !st; ++p)
    if (!declares(user, len, p->prefix))
      st = ng_buf_printf(&q->text, "PREFIX %s: <%s> ", p->prefix, p->ns);
  if (!st) st = ng_buf_putc(&q->text, '\n');
  q->prelude = q->text.len;
  if (!st) st = ng_buf_append(&q->text, user, len);
  if (st) return st;
  q->user = q->text.data + q->prelude;
  for (size_t i = base_begin; base && i < base_end; ++i)
    if (q->text.data[q->prelude + i] != '\n') q->text.data[q->prelude + i] = ' ';
  return NG_SUCCESS;
}

/* Parses text[0..len) as SPARQL; true if it fails before its end. */
static bool prefix_fails(void *ctx, const char *text, size_t len) {
  Query *q = ctx;
  char *copy = strndup(text, len);
  if (!copy) return false;
  NgRdfLog log = {.quiet = true, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(q->store->rdf, &log);
  rasqal_query *rq =
      rasqal_new_query(librdf_world_get_rasqal(ng_rdf_world(q->store->rdf)), "sparql", NULL);
  int rc = rq ? rasqal_query_prepare(rq, (const unsigned char *)copy, NULL) : 1;
  if (rq) rasqal_free_query(rq);
  ng_rdf_set_log(q->store->rdf, old);
  free(copy);
  return rc && log.errors && !strstr(log.message, "unexpected $end");
}

/* Where the syntax error is, in the user's own lines and columns: the
 * culprit token, or for an unexpected end the end of the text. */
static void report_syntax_error(Query *q, const NgRdfLog *log) {
  size_t offset = q->text.len;
  bool found = true;
  if (strstr(log->message, "unexpected $end")) {
    while (offset > q->prelude && strchr(" \t\r\n", q->text.data[offset - 1]))
      offset--;
  } else {
    found = ng_probe_error_offset(q->text.data, q->text.len, 0, prefix_fails, q, &offset);
  }
  unsigned long line = 0, col = 0;
  if (found) {
    size_t at = offset > q->prelude ? offset - q->prelude : 0;
    ng_utf8_line_col(q->user, q->text.len - q->prelude, at, &line, &col);
  } else if (log->line > 1) {
    line = (unsigned long)log->line - 1; /* rasqal's line, without the prelude */
  }
  ng_report(q->store->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, q->origin, line, col, "%s",
            log->message[0] ? log->message : "SPARQL syntax error");
}

static NgStatus check_syntax(Query *q) {
  NgRdfLog log = {.collect = true, .origin = q->origin, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(q->store->rdf, &log);
  rasqal_world *rw = librdf_world_get_rasqal(ng_rdf_world(q->store->rdf));
  q->parsed = rasqal_new_query(rw, "sparql", NULL);
  int rc =
      q->parsed ? rasqal_query_prepare(q->parsed, (const unsigned char *)q->text.data, NULL) : 1;
  ng_rdf_set_log(q->store->rdf, old);
  if (!rc && !log.errors) return NG_SUCCESS;
  report_syntax_error(q, &log);
  return NG_ERR_SYNTAX;
}

static NgStatus read_row(librdf_query_results *r, NgResultTable *t) {
  size_t row;
  NgStatus st = ng_result_table_add_row(t, &row);
  for (size_t c = 0; c < t->nvars && !st; ++c) {
    librdf_node *node = librdf_query_results_get_binding_value(r, (int)c);
    if (!node) continue; /* unbound */
    NgTerm term;
    st = ng_node_to_term(node, &term);
    if (!st) st = ng_result_table_set(t, row, c, &term);
    librdf_free_node(node);
  }
  return st;
}

/* The variables of the result.  Redland knows none when there is no row;
 * the parse of the query still does. */
static NgStatus add_vars(Query *q, librdf_query_results *r, NgResultTable *t) {
  NgStatus st = NG_SUCCESS;
  int nvars = librdf_query_results_get_bindings_count(r);
  for (int i = 0; i < nvars && !st; ++i)
    st = ng_result_table_add_var(t, librdf_query_results_get_binding_name(r, i));
  if (nvars > 0 || !librdf_query_results_finished(r)) return st;
  raptor_sequence *vars = rasqal_query_get_bound_variable_sequence(q->parsed);
  for (int i = 0; vars && i < raptor_sequence_size(vars) && !st; ++i) {
    rasqal_variable *v = raptor_sequence_get_at(vars, i);
    if (v && v->name) st = ng_result_table_add_var(t, (const char *)v->name);
  }
  return st;
}

static NgStatus write_bindings(Query *q, librdf_query_results *r) {
  NgResultTable *t = ng_result_table_new(NG_RESULT_BINDINGS);
  if (!t) return NG_ERR_NOMEM;
  bool streaming = q->format != NG_RESULTS_TABLE;
  NgStatus st = add_vars(q, r, t);
  if (!st && streaming) st = ng_results_write(t, q->format, NG_RESULTS_HEAD, q->out);
  for (; !st && !librdf_query_results_finished(r); librdf_query_results_next(r)) {
    if (ng_world_stop_requested(q->store->world)) st = NG_ERR_INTERRUPTED;
    if (!st) st = read_row(r, t);
    if (!st && streaming && t->nrows >= ROW_BATCH) {
      st = ng_results_write(t, q->format, NG_RESULTS_ROWS, q->out);
      ng_result_table_drop_rows(t);
    }
  }
  if (!st)
    st = ng_results_write(t, q->format,
                          streaming ? NG_RESULTS_ROWS | NG_RESULTS_TAIL : NG_RESULTS_ALL, q->out);
  ng_result_table_free(t);
  return st;
}

static NgStatus write_boolean_result(Query *q, librdf_query_results *r) {
  NgResultTable *t = ng_result_table_new(NG_RESULT_BOOLEAN);
  if (!t) return NG_ERR_NOMEM;
  int value = librdf_query_results_get_boolean(r);
  NgStatus st = value < 0 ? NG_ERR_QUERY : NG_SUCCESS;
  t->boolean = value > 0;
  if (!st) st = ng_results_write(t, q->format, NG_RESULTS_ALL, q->out);
  ng_result_table_free(t);
  return st;
}

/* CONSTRUCT and DESCRIBE: the triples, grouped by subject, as Turtle. */
static NgStatus write_graph_result(Query *q, librdf_query_results *r) {
  librdf_stream *stream = librdf_query_results_as_stream(r);
  NgGraph *g = ng_graph_new(NULL);
  NgStatus st = g ? NG_SUCCESS : NG_ERR_NOMEM;
  for (; stream && !st && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *s = librdf_stream_get_object(stream);
    NgTerm ts, tp, to;
    st = s ? ng_node_to_term(librdf_statement_get_subject(s), &ts) : NG_ERR_QUERY;
    if (!st) st = ng_node_to_term(librdf_statement_get_predicate(s), &tp);
    if (!st) st = ng_node_to_term(librdf_statement_get_object(s), &to);
    if (!st) st = ng_graph_add(g, &ts, &tp, &to);
  }
  if (stream) librdf_free_stream(stream);
  NgWriter *w = st ? NULL : ng_writer_new(q->out, NG_SYNTAX_TURTLE);
  if (!st && !w) st = NG_ERR_NOMEM;
  if (!st) st = ng_writer_write_graph(w, g);
  if (!st) st = ng_writer_finish(w);
  ng_writer_free(w);
  ng_graph_free(g);
  return st;
}

/* ---------------------------------------------------------- DESCRIBE */

/* Rasqal 0.9.33 parses DESCRIBE but answers nothing (or fails), so it is
 * done here: the resources named, or bound by the WHERE clause run as a
 * SELECT, are described by their outgoing triples.  The hashes store has no
 * subject index, so that is one pass over the store for all of them. */

/* The "DESCRIBE list" span of the user's text: the keyword and the
 * variables, names and IRIs after it. */
static bool describe_head(const char *text, size_t len, size_t *begin, size_t *end) {
  size_t pos = 0, b;
  TokKind kind;
  bool found = false;
  while ((kind = next_token(text, len, &pos, &b)) != TOK_END) {
    size_t n = pos - b;
    if (!found) {
      found = kind == TOK_WORD && n == 8 && !strncasecmp(text + b, "DESCRIBE", 8);
      *begin = b;
      *end = pos;
      continue;
    }
    bool keyword = kind == TOK_WORD && ((n == 5 && !strncasecmp(text + b, "WHERE", 5)) ||
                                        (n == 4 && !strncasecmp(text + b, "FROM", 4)));
    if (keyword || (kind != TOK_WORD && kind != TOK_IRI && !(kind == TOK_PUNCT && text[b] == '*')))
      break;
    *end = pos;
  }
  return found;
}

static NgStatus add_target(NgFpSet *targets, librdf_node *node) {
  if (!node || librdf_node_is_literal(node)) return NG_SUCCESS;
  return ng_fpset_add(targets, ng_node_fingerprint(node), NULL);
}

/* Runs the WHERE clause as a SELECT of the described variables (not
 * DISTINCT: the set removes repeats, and Rasqal leaks DISTINCT's rows). */
static NgStatus bound_targets(Query *q, librdf_model *model, const char *vars, NgFpSet *targets) {
  size_t begin, end, user_len = q->text.len - q->prelude;
  if (!describe_head(q->user, user_len, &begin, &end)) return NG_ERR_QUERY;
  NgBuf text = NG_BUF_INIT;
  NgStatus st = ng_buf_append(&text, q->text.data, q->prelude + begin);
  if (!st) st = ng_buf_printf(&text, "SELECT %s ", vars);
  if (!st) st = ng_buf_append(&text, q->user + end, user_len - end);
  librdf_world *world = ng_rdf_world(q->store->rdf);
  librdf_query *query =
      st ? NULL : librdf_new_query(world, "sparql", NULL, (const unsigned char *)text.data, NULL);
  librdf_query_results *r = query ? librdf_model_query_execute(model, query) : NULL;
  if (!st && !r) st = NG_ERR_QUERY;
  int n = r ? librdf_query_results_get_bindings_count(r) : 0;
  for (; !st && r && !librdf_query_results_finished(r); librdf_query_results_next(r)) {
    for (int i = 0; i < n && !st; ++i) {
      librdf_node *node = librdf_query_results_get_binding_value(r, i);
      st = add_target(targets, node);
      if (node) librdf_free_node(node);
    }
  }
  if (r) librdf_free_query_results(r);
  if (query) librdf_free_query(query);
  ng_buf_free(&text);
  return st;
}

static NgStatus describe_targets(Query *q, librdf_model *model, NgFpSet *targets) {
  raptor_sequence *seq = rasqal_query_get_describe_sequence(q->parsed);
  NgBuf vars = NG_BUF_INIT;
  NgStatus st = seq ? NG_SUCCESS : ng_buf_puts(&vars, "*"); /* DESCRIBE * */
  for (int i = 0; seq && !st && i < raptor_sequence_size(seq); ++i) {
    rasqal_literal *l = raptor_sequence_get_at(seq, i);
    if (l && l->type == RASQAL_LITERAL_URI) {
      const char *iri = (const char *)raptor_uri_as_string(l->value.uri);
      st = ng_fpset_add(targets, ng_term_fingerprint(NG_TERM_IRI, iri, strlen(iri), NULL, NULL),
                        NULL);
    } else if (l && l->type == RASQAL_LITERAL_VARIABLE) {
      st = ng_buf_printf(&vars, "?%s ", (const char *)l->value.variable->name);
    }
  }
  if (!st && vars.len) st = bound_targets(q, model, vars.data, targets);
  ng_buf_free(&vars);
  return st;
}

static NgStatus write_description(Query *q, librdf_model *model) {
  NgFpSet targets = {NULL, 0, 0};
  NgGraph *g = ng_graph_new(NULL);
  NgStatus st = g ? describe_targets(q, model, &targets) : NG_ERR_NOMEM;
  librdf_stream *stream = st || !targets.size ? NULL : librdf_model_as_stream(model);
  for (; stream && !st && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *s = librdf_stream_get_object(stream);
    if (!s || !ng_fpset_has(&targets, ng_node_fingerprint(librdf_statement_get_subject(s))))
      continue;
    NgTerm ts, tp, to;
    st = ng_node_to_term(librdf_statement_get_subject(s), &ts);
    if (!st) st = ng_node_to_term(librdf_statement_get_predicate(s), &tp);
    if (!st) st = ng_node_to_term(librdf_statement_get_object(s), &to);
    if (!st) st = ng_graph_add(g, &ts, &tp, &to);
  }
  if (stream) librdf_free_stream(stream);
  NgWriter *w = st ? NULL : ng_writer_new(q->out, NG_SYNTAX_TURTLE);
  if (!st && !w) st = NG_ERR_NOMEM;
  if (!st) st = ng_writer_write_graph(w, g);
  if (!st) st = ng_writer_finish(w);
  ng_writer_free(w);
  ng_graph_free(g);
  ng_fpset_free(&targets);
  return st;
}

static NgStatus write_results(Query *q, librdf_query_results *r) {
  if (librdf_query_results_is_bindings(r)) return write_bindings(q, r);
  if (librdf_query_results_is_boolean(r)) return write_boolean_result(q, r);
  if (librdf_query_results_is_graph(r)) return write_graph_result(q, r);
  return NG_ERR_QUERY;
}

static NgStatus run_librdf(Query *q, librdf_model *model) {
  librdf_world *world = ng_rdf_world(q->store->rdf);
  librdf_query *query =
      librdf_new_query(world, "sparql", NULL, (const unsigned char *)q->text.data, NULL);
  librdf_query_results *r = query ? librdf_model_query_execute(model, query) : NULL;
  NgStatus st = r ? write_results(q, r) : NG_ERR_QUERY;
  if (r) librdf_free_query_results(r);
  if (query) librdf_free_query(query);
  return st;
}

static NgStatus execute(Query *q, librdf_model *model) {
  NgRdfLog log = {.collect = true, .origin = q->origin, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(q->store->rdf, &log);
  bool describe = rasqal_query_get_verb(q->parsed) == RASQAL_QUERY_VERB_DESCRIBE;
  NgStatus st = describe ? write_description(q, model) : run_librdf(q, model);
  ng_rdf_set_log(q->store->rdf, old);
  if (!st && log.errors) st = NG_ERR_QUERY;
  if (st == NG_ERR_QUERY)
    ng_report(q->store->world, st, NG_LEVEL_ERROR, q->origin, 0, 0, "%s",
              log.errors ? log.message : "the query failed");
  return st;
}

NgStatus ng_store_query(NgStore *store, const char *query, const char *origin,
                        NgResultsFormat format, FILE *out) {
  librdf_model *model = ng_store_model(store);
  if (!model) return NG_ERR_STORE;
  Query q = {store, origin ? origin : "<query>", format, out, NG_BUF_INIT, 0, NULL, NULL};
  NgStatus st = build_text(&q, query);
  if (!st) st = check_syntax(&q);
  if (!st) st = execute(&q, model);
  if (!st && (fflush(out) == EOF || ferror(out))) st = NG_ERR_IO;
  if (q.parsed) rasqal_free_query(q.parsed);
  ng_buf_free(&q.text);
  return st;
}
