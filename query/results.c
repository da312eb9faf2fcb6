/* results.c - SPARQL results: the table that holds them, the writers that
 * print it (table, CSV, TSV, JSON, XML) and the readers that fill it from
 * a server's answer (SPARQL 1.1 Query Results JSON and XML), so that a
 * remote query prints exactly what a local one does. */
#include "iri.h"
#include "query.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

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

/* The character at s[i]: its length in bytes and its columns on a
 * terminal (wide characters take two, combining marks none, a byte that is
 * not UTF-8 one). */
static size_t char_at(const char *s, size_t len, size_t i, size_t *columns) {
  utf8proc_int32_t cp;
  utf8proc_ssize_t n =
      utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
  if (n <= 0) {
    *columns = 1;
    return 1;
  }
  int w = utf8proc_charwidth(cp);
  *columns = w > 0 ? (size_t)w : 0;
  return (size_t)n;
}

static size_t display_width(const char *s) {
  size_t width = 0, len = strlen(s), columns;
  for (size_t i = 0; i < len; width += columns)
    i += char_at(s, len, i, &columns);
  return width;
}

/* The longest start of s (whole characters, with the combining marks that
 * follow them) that fits in width - 1 columns, then "…": at most width
 * columns, *shown of them. */
static char *cut_text(NgArena *arena, const char *s, size_t width, size_t *shown) {
  size_t len = strlen(s), i = 0, used = 0, columns, n;
  while (i < len && (n = char_at(s, len, i, &columns)) && used + columns + 1 <= width) {
    used += columns;
    i += n;
  }
  char *cut = ng_arena_alloc(arena, i + 4);
  if (!cut) return NULL;
  memcpy(cut, s, i);
  memcpy(cut + i, "\xe2\x80\xa6", 4); /* U+2026 and the NUL */
  *shown = used + 1;
  return cut;
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

/* A column is never cut below this (a narrower one is never cut): "abc…"
 * still says something. */
#define MIN_COLUMN 4

/* sum of min(column[c], cap) */
static size_t capped_sum(const size_t *column, size_t ncols, size_t cap) {
  size_t sum = 0;
  for (size_t c = 0; c < ncols; ++c)
    sum += column[c] < cap ? column[c] : cap;
  return sum;
}

/* Narrows the widest columns, and only as far as needed, until a row
 * ("│ a │ b │": each column its width plus three, and one) fits in width:
 * every column wider than a cap is cut to it, the largest cap that fits
 * (found by bisection: a column may be a 100 KB literal), and the columns
 * left whole keep their width.  Columns cut to MIN_COLUMN that still do not
 * fit overflow: too many columns for the terminal. */
static void fit_columns(size_t *column, size_t ncols, size_t width) {
  size_t frame = 1 + 3 * ncols, widest = 0;
  for (size_t c = 0; c < ncols; ++c)
    if (column[c] > widest) widest = column[c];
  size_t budget = width > frame ? width - frame : 0;
  if (capped_sum(column, ncols, widest) <= budget) return;
  size_t lo = MIN_COLUMN, hi = widest; /* the cap: lo fits (or is the floor), hi does not */
  if (capped_sum(column, ncols, lo) > budget) hi = lo + 1;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (capped_sum(column, ncols, mid) <= budget) lo = mid;
    else hi = mid;
  }
  size_t used = capped_sum(column, ncols, lo);
  size_t spare = budget > used ? budget - used : 0; /* fewer than the columns cut */
  for (size_t c = 0; c < ncols; ++c) {
    if (column[c] <= lo) continue;
    column[c] = lo + (spare ? 1 : 0);
    if (spare) spare--;
  }
}

/* Cells wider than their (fitted) column end in an ellipsis. */
static NgStatus cut_cells(const NgResultTable *t, Grid *g, NgArena *arena) {
  size_t ncols = t->nvars, cells = (t->nrows + 1) * ncols;
  for (size_t i = 0; i < cells; ++i) {
    if (g->width[i] <= g->column[i % ncols]) continue;
    if (!(g->text[i] = cut_text(arena, g->text[i], g->column[i % ncols], &g->width[i])))
      return NG_ERR_NOMEM;
  }
  return NG_SUCCESS;
}

/* Box-drawing table; needs every row for the column widths. */
static NgStatus write_table(const NgResultTable *t, FILE *out) {
  if (!t->nvars) return NG_SUCCESS;
  NgArena arena = NG_ARENA_INIT;
  NgBuf b = NG_BUF_INIT;
  Grid g;
  NgStatus st = fill_grid(t, &g, &arena);
  if (!st && t->width) {
    fit_columns(g.column, t->nvars, t->width);
    st = cut_cells(t, &g, &arena);
  }
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


/* ========================================================== readers */

/* What the reader knows of the cell being read: a term in pieces. */
typedef struct {
  int kind; /* -1 unknown, else NgTermKind */
  bool has_value, has_datatype, has_lang;
  NgBuf value, datatype, lang;
} TermParts;

struct NgResultsReader {
  bool xml;
  NgResultTable *table;
  bool head_done;
  bool row_open;     /* a row is being read: it is the table's last */
  size_t row;        /* the row being read */
  size_t col;        /* the binding being read; SIZE_MAX: one to ignore */
  TermParts term;
  char error[256];   /* first error, "" if none */
  /* JSON */
  struct JsonLexer *json;
  /* XML */
  xmlParserCtxtPtr xml_ctxt;
  int xml_text;      /* element whose text is collected: 0 none, else a tag */
  NgBuf text;
};

static void reader_error(NgResultsReader *r, const char *fmt, const char *arg) {
  if (!r->error[0]) snprintf(r->error, sizeof r->error, fmt, arg ? arg : "");
}

static void term_reset(TermParts *t) {
  t->kind = -1;
  t->has_value = t->has_datatype = t->has_lang = false;
  ng_buf_clear(&t->value);
  ng_buf_clear(&t->datatype);
  ng_buf_clear(&t->lang);
}

static void term_free(TermParts *t) {
  ng_buf_free(&t->value);
  ng_buf_free(&t->datatype);
  ng_buf_free(&t->lang);
}

/* The term kind named by JSON's "type" or XML's element name. */
static int term_kind_from_name(const char *name) {
  if (!strcmp(name, "uri")) return NG_TERM_IRI;
  if (!strcmp(name, "bnode")) return NG_TERM_BLANK;
  /* "typed-literal" is the JSON format of the 2007 note, still sent by
   * Virtuoso; the Recommendation says "literal" with "datatype" */
  if (!strcmp(name, "literal") || !strcmp(name, "typed-literal")) return NG_TERM_LITERAL;
  return -1;
}

/* The term read into its cell of the current row. */
static NgStatus term_store(NgResultsReader *r) {
  TermParts *t = &r->term;
  if (r->col == SIZE_MAX) return NG_SUCCESS; /* a variable the head did not name */
  if (t->kind < 0 || !t->has_value) {
    reader_error(r, "a binding without %s", t->kind < 0 ? "a known type" : "a value");
    return NG_ERR_SYNTAX;
  }
  NgTerm term = {(NgTermKind)t->kind, ng_buf_str(&t->value), NULL, NULL};
  if (t->kind == NG_TERM_LITERAL && t->has_lang && t->lang.len) {
    term.lang = ng_buf_str(&t->lang); /* its datatype can only be rdf:langString */
  } else if (t->kind == NG_TERM_LITERAL && t->has_datatype &&
             strcmp(ng_buf_str(&t->datatype), NG_NS_XSD "string")) {
    /* RDF 1.1: a simple literal is an xsd:string; written the short way,
     * as the embedded store writes it */
    term.datatype = ng_buf_str(&t->datatype);
  }
  return ng_result_table_set(r->table, r->row, r->col, &term);
}

static size_t var_index(const NgResultTable *t, const char *name) {
  for (size_t i = 0; i < t->nvars; ++i)
    if (!strcmp(t->vars[i], name)) return i;
  return SIZE_MAX;
}

static NgStatus row_begin(NgResultsReader *r) {
  if (!r->head_done) {
    /* rows are written as they come: their columns must be known first */
    reader_error(r, "%sresults before the head naming the variables", NULL);
    return NG_ERR_SYNTAX;
  }
  r->row_open = true;
  return ng_result_table_add_row(r->table, &r->row);
}

/* ------------------------------------------------------------- JSON */

/* An incremental JSON lexer and parser: bytes come in pieces of any size;
 * tokens cut between pieces are carried over.  Strict RFC 8259 grammar, a
 * bounded depth, strings checked for UTF-8.  The SPARQL meaning is given
 * to each value by the role of the container it is in. */

enum { JSON_MAX_DEPTH = 64 };

typedef enum {
  ROLE_TOP, ROLE_HEAD, ROLE_VARS, ROLE_RESULTS, ROLE_BINDINGS, ROLE_ROW, ROLE_TERM, ROLE_IGNORE
} Role;

/* What a container expects next. */
typedef enum {
  EXPECT_VALUE,         /* after ':' or ',' in an array, or at the top */
  EXPECT_VALUE_OR_END,  /* after '[' */
  EXPECT_KEY,           /* after ',' in an object */
  EXPECT_KEY_OR_END,    /* after '{' */
  EXPECT_COLON,
  EXPECT_COMMA_OR_END,
  EXPECT_NOTHING        /* the top-level value is complete */
} Expect;

typedef struct {
  char type; /* '{' or '[' or 0 for the top level */
  Expect expect;
  Role role;
  char key[16]; /* the member key, when it matters to the role ("" else) */
  size_t col;   /* ROLE_ROW: the variable the member binds */
} Frame;

typedef enum { LEX_BETWEEN, LEX_STRING, LEX_ESCAPE, LEX_UNICODE, LEX_BARE } LexState;

typedef struct JsonLexer {
  Frame stack[JSON_MAX_DEPTH + 1];
  int depth; /* stack[depth] is the innermost container; stack[0] the top */
  LexState state;
  NgBuf token;       /* string being decoded, or a bare word (number, true...) */
  uint32_t unit;     /* \uXXXX being read */
  int unit_digits;
  uint32_t high;     /* a high surrogate waiting for its low half */
  bool is_key;       /* the string being read is a member key */
  unsigned long offset; /* bytes consumed, for messages */
} JsonLexer;

static NgStatus json_fail(NgResultsReader *r, const char *what) {
  char msg[96];
  snprintf(msg, sizeof msg, "%s at byte %lu", what, r->json->offset);
  reader_error(r, "malformed JSON: %s", msg);
  return NG_ERR_SYNTAX;
}

/* The role of a container opened as the value of key in parent. */
static Role child_role(const Frame *parent, char type) {
  const char *k = parent->key;
  switch (parent->role) {
  case ROLE_TOP:
    if (parent->type == 0) return type == '{' ? ROLE_TOP : ROLE_IGNORE;
    if (!strcmp(k, "head") && type == '{') return ROLE_HEAD;
    if (!strcmp(k, "results") && type == '{') return ROLE_RESULTS;
    return ROLE_IGNORE;
  case ROLE_HEAD: return !strcmp(k, "vars") && type == '[' ? ROLE_VARS : ROLE_IGNORE;
  case ROLE_RESULTS: return !strcmp(k, "bindings") && type == '[' ? ROLE_BINDINGS : ROLE_IGNORE;
  case ROLE_BINDINGS: return type == '{' ? ROLE_ROW : ROLE_IGNORE;
  case ROLE_ROW: return type == '{' ? ROLE_TERM : ROLE_IGNORE;
  default: return ROLE_IGNORE;
  }
}

/* The top-level value "{" is the one object whose members are the head,
 * results and boolean; stack[0] stands for the document itself. */
static NgStatus json_open(NgResultsReader *r, char type) {
  JsonLexer *j = r->json;
  if (j->depth == JSON_MAX_DEPTH) return json_fail(r, "nesting too deep");
  Frame *parent = &j->stack[j->depth];
  Frame *f = &j->stack[++j->depth];
  f->type = type;
  f->expect = type == '{' ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END;
  f->role = child_role(parent, type);
  f->key[0] = '\0';
  f->col = SIZE_MAX;
  if (f->role == ROLE_ROW) return row_begin(r);
  if (f->role == ROLE_TERM) term_reset(&r->term);
  return NG_SUCCESS;
}

static NgStatus json_close(NgResultsReader *r, char type) {
  JsonLexer *j = r->json;
  Frame *f = &j->stack[j->depth];
  bool can_end = f->expect == EXPECT_COMMA_OR_END || f->expect == EXPECT_KEY_OR_END ||
                 f->expect == EXPECT_VALUE_OR_END;
  if (f->type != type || !can_end) return json_fail(r, "unexpected bracket");
  NgStatus st = NG_SUCCESS;
  if (f->role == ROLE_TERM) {
    r->col = j->stack[j->depth - 1].col;
    st = term_store(r);
  } else if (f->role == ROLE_HEAD || f->role == ROLE_VARS) {
    r->head_done = true; /* an ASK answer's head has no "vars" */
  } else if (f->role == ROLE_ROW) {
    r->row_open = false;
  }
  j->depth--;
  return st;
}

/* A member key read: remembered as far as the container's role needs. */
static NgStatus json_key(NgResultsReader *r, const char *key) {
  Frame *f = &r->json->stack[r->json->depth];
  f->expect = EXPECT_COLON;
  if (f->role == ROLE_ROW) {
    f->col = var_index(r->table, key);
  } else {
    size_t n = strlen(key);
    if (n >= sizeof f->key) n = 0; /* no key that matters is this long */
    memcpy(f->key, key, n);
    f->key[n] = '\0';
  }
  return NG_SUCCESS;
}

/* A scalar value: a string, or a bare word (number, true, false, null). */
static NgStatus json_scalar(NgResultsReader *r, bool is_string, const char *text) {
  Frame *f = &r->json->stack[r->json->depth];
  if (f->role == ROLE_VARS && is_string) return ng_result_table_add_var(r->table, text);
  if (f->role == ROLE_TOP && !strcmp(f->key, "boolean") && !is_string) {
    r->table->kind = NG_RESULT_BOOLEAN;
    r->table->boolean = !strcmp(text, "true");
    r->head_done = true;
    return NG_SUCCESS;
  }
  if (f->role != ROLE_TERM || !is_string) return NG_SUCCESS;
  TermParts *t = &r->term;
  NgStatus st = NG_SUCCESS;
  if (!strcmp(f->key, "type")) {
    if ((t->kind = term_kind_from_name(text)) < 0) {
      reader_error(r, "unsupported term type \"%s\"", text);
      return NG_ERR_SYNTAX;
    }
  } else if (!strcmp(f->key, "value")) {
    t->has_value = true;
    st = ng_buf_puts(&t->value, text);
  } else if (!strcmp(f->key, "datatype")) {
    t->has_datatype = true;
    st = ng_buf_puts(&t->datatype, text);
  } else if (!strcmp(f->key, "xml:lang")) {
    t->has_lang = true;
    st = ng_buf_puts(&t->lang, text);
  }
  return st;
}

/* A value is about to start in the innermost container: is one allowed? */
static NgStatus json_value_slot(NgResultsReader *r) {
  Frame *f = &r->json->stack[r->json->depth];
  if (f->expect != EXPECT_VALUE && f->expect != EXPECT_VALUE_OR_END)
    return json_fail(r, "unexpected value");
  return NG_SUCCESS;
}

/* After a complete value: what its container expects next. */
static void json_value_done(JsonLexer *j) {
  Frame *f = &j->stack[j->depth];
  f->expect = f->type == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
}

static bool bare_word_ok(const char *s) {
  if (!strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null")) return true;
  /* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  const char *p = s + (*s == '-');
  if (*p == '0') {
    p++;
  } else if (*p >= '1' && *p <= '9') {
    while (*p >= '0' && *p <= '9') p++;
  } else {
    return false;
  }
  if (*p == '.') {
    if (!(*++p >= '0' && *p <= '9')) return false;
    while (*p >= '0' && *p <= '9') p++;
  }
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!(*p >= '0' && *p <= '9')) return false;
    while (*p >= '0' && *p <= '9') p++;
  }
  return *p == '\0';
}

static NgStatus json_end_bare(NgResultsReader *r) {
  JsonLexer *j = r->json;
  j->state = LEX_BETWEEN;
  if (!bare_word_ok(ng_buf_str(&j->token))) return json_fail(r, "not a JSON value");
  NgStatus st = json_scalar(r, false, ng_buf_str(&j->token));
  json_value_done(j);
  return st;
}

static NgStatus json_end_string(NgResultsReader *r) {
  JsonLexer *j = r->json;
  size_t bad;
  j->state = LEX_BETWEEN;
  if (j->high) return json_fail(r, "unpaired surrogate");
  if (!ng_utf8_check(j->token.data ? j->token.data : "", j->token.len, &bad))
    return json_fail(r, "invalid UTF-8 or \\u0000 in a string");
  if (j->is_key) return json_key(r, ng_buf_str(&j->token));
  NgStatus st = json_scalar(r, true, ng_buf_str(&j->token));
  json_value_done(j);
  return st;
}

/* A structural character or the start of a token, between tokens. */
static NgStatus json_between(NgResultsReader *r, unsigned char c) {
  JsonLexer *j = r->json;
  Frame *f = &j->stack[j->depth];
  NgStatus st;
  switch (c) {
  case ' ': case '\t': case '\r': case '\n': return NG_SUCCESS;
  case '{': case '[':
    NG_TRY(st, json_value_slot(r));
    return json_open(r, (char)c);
  case '}': case ']':
    NG_TRY(st, json_close(r, c == '}' ? '{' : '['));
    json_value_done(j);
    return NG_SUCCESS;
  case ':':
    if (f->expect != EXPECT_COLON) return json_fail(r, "unexpected ':'");
    f->expect = EXPECT_VALUE;
    return NG_SUCCESS;
  case ',':
    if (f->expect != EXPECT_COMMA_OR_END) return json_fail(r, "unexpected ','");
    f->expect = f->type == '{' ? EXPECT_KEY : EXPECT_VALUE;
    return NG_SUCCESS;
  case '"':
    j->is_key = f->expect == EXPECT_KEY || f->expect == EXPECT_KEY_OR_END;
    if (!j->is_key) NG_TRY(st, json_value_slot(r));
    j->state = LEX_STRING;
    ng_buf_clear(&j->token);
    return NG_SUCCESS;
  default:
    if (!strchr("-0123456789tfn", c)) return json_fail(r, "unexpected character");
    NG_TRY(st, json_value_slot(r));
    j->state = LEX_BARE;
    ng_buf_clear(&j->token);
    return ng_buf_putc(&j->token, (char)c);
  }
}

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* A complete \uXXXX: a character, or half of a surrogate pair. */
static NgStatus json_unit(NgResultsReader *r) {
  JsonLexer *j = r->json;
  uint32_t u = j->unit;
  j->state = LEX_STRING;
  if (u >= 0xD800 && u <= 0xDBFF) {
    if (j->high) return json_fail(r, "unpaired surrogate");
    j->high = u;
    return NG_SUCCESS;
  }
  if (u >= 0xDC00 && u <= 0xDFFF) {
    if (!j->high) return json_fail(r, "unpaired surrogate");
    u = 0x10000 + ((j->high - 0xD800) << 10) + (u - 0xDC00);
    j->high = 0;
  } else if (j->high) {
    return json_fail(r, "unpaired surrogate");
  }
  if (u == 0) return json_fail(r, "\\u0000 in a string");
  char out[4];
  return ng_buf_append(&j->token, out, ng_utf8_encode(u, out));
}

static NgStatus json_escape(NgResultsReader *r, unsigned char c) {
  JsonLexer *j = r->json;
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  if (c == 'u') {
    j->state = LEX_UNICODE;
    j->unit = 0;
    j->unit_digits = 0;
    return NG_SUCCESS;
  }
  const char *at = c ? strchr(from, c) : NULL;
  if (!at) return json_fail(r, "bad escape");
  if (j->high) return json_fail(r, "unpaired surrogate");
  j->state = LEX_STRING;
  return ng_buf_putc(&j->token, to[at - from]);
}

static NgStatus json_byte(NgResultsReader *r, unsigned char c) {
  JsonLexer *j = r->json;
  int h;
  switch (j->state) {
  case LEX_BETWEEN:
    if (j->stack[j->depth].expect == EXPECT_NOTHING && !strchr(" \t\r\n", c))
      return json_fail(r, "text after the document");
    return json_between(r, c);
  case LEX_STRING:
    if (c == '"') return json_end_string(r);
    if (c == '\\') {
      j->state = LEX_ESCAPE;
      return NG_SUCCESS;
    }
    if (c < 0x20) return json_fail(r, "control character in a string");
    if (j->high) return json_fail(r, "unpaired surrogate");
    return ng_buf_putc(&j->token, (char)c);
  case LEX_ESCAPE: return json_escape(r, c);
  case LEX_UNICODE:
    if ((h = hex_value(c)) < 0) return json_fail(r, "bad \\u escape");
    j->unit = j->unit << 4 | (uint32_t)h;
    return ++j->unit_digits == 4 ? json_unit(r) : NG_SUCCESS;
  case LEX_BARE:
    if (strchr("0123456789+-.eEtruefalsn", c) && c) return ng_buf_putc(&j->token, (char)c);
    NgStatus st = json_end_bare(r);
    return st ? st : json_byte(r, c); /* the delimiter itself */
  }
  return NG_FAILURE;
}

static NgStatus json_feed(NgResultsReader *r, const char *data, size_t len) {
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < len && !st; ++i, r->json->offset++)
    st = json_byte(r, (unsigned char)data[i]);
  return st;
}

static NgStatus json_finish(NgResultsReader *r) {
  JsonLexer *j = r->json;
  NgStatus st = j->state == LEX_BARE ? json_end_bare(r) : NG_SUCCESS;
  if (!st && (j->state != LEX_BETWEEN || j->stack[0].expect != EXPECT_NOTHING))
    st = json_fail(r, "unexpected end of the document");
  if (!st && r->table->kind == NG_RESULT_BINDINGS && !r->head_done) {
    reader_error(r, "%sno head: not a SPARQL results document", NULL);
    st = NG_ERR_SYNTAX;
  }
  return st;
}

/* -------------------------------------------------------------- XML */

/* Through libxml2's SAX2 push parser: elements of the SPARQL results
 * namespace only, text collected inside the elements that hold some. */

#define SPARQL_RESULTS_NS "http://www.w3.org/2005/sparql-results#"
enum { XML_NONE, XML_URI = NG_TERM_IRI + 1, XML_BNODE, XML_LITERAL, XML_BOOLEAN };

/* The value of attribute name (in namespace ns, NULL: none) into out. */
static bool xml_attr(const xmlChar **attrs, int n, const char *name, const char *ns, NgBuf *out,
                     NgStatus *st) {
  /* attrs: n groups of localname, prefix, URI, value begin, value end */
  for (int i = 0; i < n; ++i) {
    const xmlChar **a = attrs + 5 * i;
    bool ns_ok = ns ? a[2] && !strcmp((const char *)a[2], ns) : !a[2];
    if (strcmp((const char *)a[0], name) || !ns_ok) continue;
    ng_buf_clear(out);
    *st = ng_buf_append(out, (const char *)a[3], (size_t)(a[4] - a[3]));
    return true;
  }
  return false;
}

static void xml_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                      const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                      int nb_attributes, int nb_defaulted, const xmlChar **attrs) {
  (void)prefix, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
  NgResultsReader *r = ctx;
  const char *name = (const char *)localname;
  NgStatus st = NG_SUCCESS;
  if (r->error[0] || !uri || strcmp((const char *)uri, SPARQL_RESULTS_NS)) return;
  r->xml_text = XML_NONE;
  ng_buf_clear(&r->text);
  if (!strcmp(name, "variable") && !r->head_done) {
    if (xml_attr(attrs, nb_attributes, "name", NULL, &r->text, &st) && !st)
      st = ng_result_table_add_var(r->table, ng_buf_str(&r->text));
    ng_buf_clear(&r->text);
  } else if (!strcmp(name, "results") || !strcmp(name, "boolean")) {
    r->head_done = true; /* a head without variables */
    if (!strcmp(name, "boolean")) r->xml_text = XML_BOOLEAN;
  } else if (!strcmp(name, "result")) {
    st = row_begin(r);
  } else if (!strcmp(name, "binding")) {
    r->col = xml_attr(attrs, nb_attributes, "name", NULL, &r->text, &st) && !st
                 ? var_index(r->table, ng_buf_str(&r->text))
                 : SIZE_MAX;
    ng_buf_clear(&r->text);
  } else if (term_kind_from_name(name) >= 0) {
    TermParts *t = &r->term;
    term_reset(t);
    t->kind = term_kind_from_name(name);
    r->xml_text = t->kind + 1;
    t->has_lang =
        xml_attr(attrs, nb_attributes, "lang", (const char *)XML_XML_NAMESPACE, &t->lang, &st);
    if (!st) t->has_datatype = xml_attr(attrs, nb_attributes, "datatype", NULL, &t->datatype, &st);
  }
  if (st) reader_error(r, "%sout of memory", NULL);
}

static void xml_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                    const xmlChar *uri) {
  (void)prefix;
  NgResultsReader *r = ctx;
  if (r->error[0] || !uri || strcmp((const char *)uri, SPARQL_RESULTS_NS)) return;
  const char *name = (const char *)localname;
  if (!strcmp(name, "head")) {
    r->head_done = true;
  } else if (!strcmp(name, "result")) {
    r->row_open = false;
  } else if (r->xml_text == XML_BOOLEAN) {
    r->table->kind = NG_RESULT_BOOLEAN;
    const char *v = ng_buf_str(&r->text);
    r->table->boolean = !strcmp(v, "true") || !strcmp(v, "1");
  } else if (r->xml_text != XML_NONE) {
    r->term.has_value = true;
    NgStatus st = ng_buf_append(&r->term.value, r->text.data ? r->text.data : "", r->text.len);
    if (!st) st = term_store(r);
    if (st && !r->error[0]) reader_error(r, "%sout of memory", NULL);
  }
  r->xml_text = XML_NONE;
  ng_buf_clear(&r->text);
}

static void xml_characters(void *ctx, const xmlChar *ch, int len) {
  NgResultsReader *r = ctx;
  if (r->xml_text == XML_NONE || r->error[0]) return;
  if (ng_buf_append(&r->text, (const char *)ch, (size_t)len))
    reader_error(r, "%sout of memory", NULL);
}

static void xml_structured_error(void *ctx, xmlErrorPtr e) {
  NgResultsReader *r = ctx;
  if (!e || e->level < XML_ERR_ERROR) return;
  char msg[200];
  snprintf(msg, sizeof msg, "line %d: %s", e->line, e->message ? e->message : "error");
  msg[strcspn(msg, "\n")] = '\0';
  reader_error(r, "malformed XML: %s", msg);
}

static NgStatus xml_open(NgResultsReader *r) {
  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = xml_start;
  sax.endElementNs = xml_end;
  sax.characters = xml_characters;
  sax.cdataBlock = xml_characters;
  sax.serror = xml_structured_error;
  r->xml_ctxt = xmlCreatePushParserCtxt(&sax, r, NULL, 0, NULL);
  if (!r->xml_ctxt) return NG_ERR_NOMEM;
  /* a results document has no business loading anything */
  xmlCtxtUseOptions(r->xml_ctxt, XML_PARSE_NONET);
  return NG_SUCCESS;
}

static NgStatus xml_feed(NgResultsReader *r, const char *data, size_t len, bool end) {
  int rc = xmlParseChunk(r->xml_ctxt, data, (int)len, end);
  if (rc && !r->error[0]) reader_error(r, "%smalformed XML", NULL);
  if (r->error[0]) return NG_ERR_SYNTAX;
  if (end && r->table->kind == NG_RESULT_BINDINGS && !r->head_done) {
    reader_error(r, "%sno head: not a SPARQL results document", NULL);
    return NG_ERR_SYNTAX;
  }
  return NG_SUCCESS;
}

/* ------------------------------------------------------------ reader */

NgResultsReader *ng_results_reader_new(bool xml) {
  NgResultsReader *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->xml = xml;
  r->col = SIZE_MAX;
  r->term.kind = -1;
  r->table = ng_result_table_new(NG_RESULT_BINDINGS);
  if (xml) {
    if (r->table && xml_open(r) == NG_SUCCESS) return r;
  } else if (r->table && (r->json = calloc(1, sizeof *r->json))) {
    r->json->stack[0].expect = EXPECT_VALUE; /* the document: one value */
    return r;
  }
  ng_results_reader_free(r);
  return NULL;
}

void ng_results_reader_free(NgResultsReader *r) {
  if (!r) return;
  if (r->xml_ctxt) {
    xmlFreeDoc(r->xml_ctxt->myDoc);
    xmlFreeParserCtxt(r->xml_ctxt);
  }
  if (r->json) ng_buf_free(&r->json->token);
  free(r->json);
  term_free(&r->term);
  ng_buf_free(&r->text);
  ng_result_table_free(r->table);
  free(r);
}

NgStatus ng_results_reader_feed(NgResultsReader *r, const char *data, size_t len) {
  if (r->error[0]) return NG_ERR_SYNTAX;
  if (r->xml) {
    /* libxml2 takes int lengths */
    for (size_t done = 0; done < len;) {
      size_t n = len - done > (1u << 30) ? 1u << 30 : len - done;
      NgStatus st = xml_feed(r, data + done, n, false);
      if (st) return st;
      done += n;
    }
    return NG_SUCCESS;
  }
  return json_feed(r, data, len);
}

NgStatus ng_results_reader_finish(NgResultsReader *r) {
  if (r->error[0]) return NG_ERR_SYNTAX;
  return r->xml ? xml_feed(r, NULL, 0, true) : json_finish(r);
}

const char *ng_results_reader_error(const NgResultsReader *r) {
  return r->error[0] ? r->error : "malformed results";
}

NgResultTable *ng_results_reader_table(NgResultsReader *r) { return r->table; }

/* Copies of the open row's cells, to outlive the table's arena. */
static NgStatus save_row(const NgResultTable *t, size_t row, NgArena *arena, NgTerm *cells) {
  bool failed = false;
  for (size_t c = 0; c < t->nvars; ++c) {
    const NgTerm *cell = &t->cells[row * t->nvars + c];
    cells[c] = (NgTerm){cell->kind, arena_copy(arena, cell->value, &failed),
                        arena_copy(arena, cell->datatype, &failed),
                        arena_copy(arena, cell->lang, &failed)};
  }
  return failed ? NG_ERR_NOMEM : NG_SUCCESS;
}

NgStatus ng_results_reader_write_rows(NgResultsReader *r, NgResultsFormat format, int parts,
                                      FILE *out) {
  NgResultTable *t = r->table;
  if (!r->row_open || !t->nrows) {
    NgStatus st = ng_results_write(t, format, parts, out);
    ng_result_table_drop_rows(t);
    return st;
  }
  /* the row being read is the last: out of the way while the others go */
  NgArena arena = NG_ARENA_INIT;
  NgTerm *cells = calloc(t->nvars ? t->nvars : 1, sizeof *cells);
  NgStatus st = cells ? save_row(t, t->nrows - 1, &arena, cells) : NG_ERR_NOMEM;
  if (!st) {
    t->nrows--;
    st = ng_results_write(t, format, parts, out);
    ng_result_table_drop_rows(t);
  }
  if (!st) st = ng_result_table_add_row(t, &r->row);
  for (size_t c = 0; c < t->nvars && !st; ++c)
    if (cells[c].value) st = ng_result_table_set(t, r->row, c, &cells[c]);
  free(cells);
  ng_arena_free(&arena);
  return st;
}

bool ng_results_reader_has_head(const NgResultsReader *r) { return r->head_done; }

void ng_results_report_cut(NgWorld *world, const char *origin, size_t shown, size_t skipped) {
  ng_report(world, NG_SUCCESS, NG_LEVEL_WARNING, origin, 0, 0,
            "the table shows the first %zu rows of %zu (a table is held whole to size its "
            "columns): -r tsv, csv, json or xml stream every row",
            shown, shown + skipped);
}
