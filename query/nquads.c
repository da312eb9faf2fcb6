/* nquads.c - N-Triples and N-Quads (RDF 1.1) read in this process.
 *
 * Why our own and not Raptor's: Raptor 2.0.15's N-Triples/N-Quads term
 * parser overflows its heap on hostile input (tests/fuzz/hostile-rdf/), so
 * import ran it in a child process and copied every statement through a
 * pipe; for the line formats that the store's own export writes and that
 * bulk loads use, that cost more than the writing: a 10-event article
 * spent its time forking, starting Redland and parsing in Raptor, and a
 * load of 8.2M quads paid a quarter of its CPU in Raptor and the pipe.
 * The grammar is small and line-based, so it is read here, strictly
 * (the W3C RDF 1.1 N-Triples and N-Quads suites' positive and negative
 * tests), with line:column errors, bounded memory (one line at a time) and
 * no allocation per statement.  Turtle, TriG and RDF/XML stay Raptor's, in
 * the child (import.c).
 *
 * The text is fed in pieces; each complete line is parsed into terms that
 * point into one scratch buffer (escapes only shorten the text, so the
 * line's length bounds it) and handed to the sink. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct NgNquads {
  bool quads; /* N-Quads: a fourth term may name the graph */
  NgNquadsSink sink;
  void *ctx;
  NgBuf partial;     /* the start of a line the last piece cut */
  NgBuf scratch;     /* the decoded terms of the current line */
  unsigned long line; /* of the next line to parse (1-based) */
  bool after_cr;      /* the last piece ended with CR: a LF next ends no line */
  bool failed;
  unsigned long err_line, err_col;
  char message[160];
};

/* One line being parsed. */
typedef struct {
  NgNquads *nq;
  const char *start, *p, *end;
  char *out; /* next free byte of nq->scratch */
} Cursor;

NgNquads *ng_nquads_new(bool quads, NgNquadsSink sink, void *ctx) {
  NgNquads *nq = calloc(1, sizeof *nq);
  if (!nq) return NULL;
  nq->quads = quads;
  nq->sink = sink;
  nq->ctx = ctx;
  nq->line = 1;
  return nq;
}

void ng_nquads_free(NgNquads *nq) {
  if (!nq) return;
  ng_buf_free(&nq->partial);
  ng_buf_free(&nq->scratch);
  free(nq);
}

const char *ng_nquads_error(const NgNquads *nq, unsigned long *line, unsigned long *col) {
  if (!nq->failed) return NULL;
  *line = nq->err_line;
  *col = nq->err_col;
  return nq->message;
}

/* A syntax error at the cursor (column in characters). */
static NgStatus bad(Cursor *c, const char *at, const char *what) {
  NgNquads *nq = c->nq;
  nq->failed = true;
  nq->err_line = nq->line;
  nq->err_col = ng_utf8_count(c->start, (size_t)(at - c->start)) + 1;
  snprintf(nq->message, sizeof nq->message, "%s", what);
  return NG_ERR_SYNTAX;
}

static void skip_space(Cursor *c) {
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
    c->p++;
}

static int hex_value(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* \uXXXX or \UXXXXXXXX at c->p (the backslash), written as UTF-8. */
static NgStatus uchar(Cursor *c) {
  const char *at = c->p;
  size_t digits = c->p + 1 < c->end && c->p[1] == 'u' ? 4 : 8;
  if ((size_t)(c->end - c->p) < 2 + digits) return bad(c, at, "a \\u or \\U escape cut short");
  uint32_t cp = 0;
  for (size_t i = 0; i < digits; ++i) {
    int v = hex_value(c->p[2 + i]);
    if (v < 0) return bad(c, at, "a \\u or \\U escape with a character that is not hexadecimal");
    cp = cp << 4 | (uint32_t)v;
  }
  if (cp == 0) return bad(c, at, "an escaped NUL (U+0000): the store's terms cannot hold it");
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return bad(c, at, "an escape of a surrogate or of a code point past U+10FFFF");
  c->out += ng_utf8_encode(cp, c->out);
  c->p += 2 + digits;
  return NG_SUCCESS;
}

/* A scheme and a colon: N-Triples and N-Quads take absolute IRIs only. */
static bool absolute(const char *iri) {
  const char *s = iri;
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) return false;
  for (s++; *s && *s != ':'; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '+' || *s == '-' || *s == '.'))
      return false;
  return *s == ':';
}

/* Characters IRIREF refuses unescaped (a strchr per character cost 8% of
 * a load): most IRI characters are letters, '/', '.' and digits. */
static inline bool iri_refused(unsigned char ch) {
  if (ch > 0x20 && ch < 0x7B && ch != '<' && ch != '"' && ch != '^' && ch != '`') return false;
  return ch <= 0x20 || ch == '<' || ch == '"' || ch == '^' || ch == '`' || ch == '{' ||
         ch == '|' || ch == '}';
}

/* IRIREF at c->p ('<'). */
static NgStatus iri(Cursor *c, const char **value) {
  const char *at = c->p;
  char *v = c->out;
  NgStatus st;
  for (c->p++; c->p < c->end && *c->p != '>'; ) {
    unsigned char ch = (unsigned char)*c->p;
    if (ch == '\\') {
      if (c->p + 1 >= c->end || (c->p[1] != 'u' && c->p[1] != 'U'))
        return bad(c, c->p, "a backslash in an IRI that is not a \\u or \\U escape");
      NG_TRY(st, uchar(c));
      continue;
    }
    if (iri_refused(ch))
      return bad(c, c->p, "a character that an IRI cannot hold (space, <, \", {, }, |, ^ or `)");
    *c->out++ = (char)ch;
    c->p++;
  }
  if (c->p >= c->end) return bad(c, at, "an IRI without its closing '>'");
  c->p++;
  *c->out++ = '\0';
  if (!absolute(v)) return bad(c, at, "a relative IRI (N-Triples and N-Quads need absolute ones)");
  *value = v;
  return NG_SUCCESS;
}

/* PN_CHARS_BASE of RDF 1.1 beyond ASCII. */
static bool name_base(uint32_t cp) {
  return (cp >= 0xC0 && cp <= 0xD6) || (cp >= 0xD8 && cp <= 0xF6) || (cp >= 0xF8 && cp <= 0x2FF) ||
         (cp >= 0x370 && cp <= 0x37D) || (cp >= 0x37F && cp <= 0x1FFF) ||
         (cp >= 0x200C && cp <= 0x200D) || (cp >= 0x2070 && cp <= 0x218F) ||
         (cp >= 0x2C00 && cp <= 0x2FEF) || (cp >= 0x3001 && cp <= 0xD7FF) ||
         (cp >= 0xF900 && cp <= 0xFDCF) || (cp >= 0xFDF0 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0xEFFFF);
}

/* The code point at c->p as a character of a blank node label: 2 first
 * or later, 1 later only (PN_CHARS), 0 none; *len its bytes.  No ':' (the
 * W3C suite's nt-syntax-bad-bnode-02 follows the RDF 1.1 erratum). */
static int label_char(const Cursor *c, size_t *len) {
  unsigned char ch = (unsigned char)*c->p;
  *len = 1;
  if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
      ch == '_')
    return 2;
  if (ch == '-' || ch == '.') return 1;
  if (ch < 0x80) return 0;
  uint32_t cp;
  *len = ng_utf8_decode((const unsigned char *)c->p, (size_t)(c->end - c->p), &cp);
  if (!*len) return 0;
  if (name_base(cp)) return 2;
  return cp == 0xB7 || (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x203F && cp <= 0x2040);
}

/* BLANK_NODE_LABEL at c->p ("_:"); a label never ends with '.'. */
static NgStatus blank(Cursor *c, const char **value) {
  const char *at = c->p;
  size_t len;
  c->p += 2;
  if (c->p >= c->end || label_char(c, &len) != 2)
    return bad(c, at, "a blank node without a label, or one that starts with a character a label "
                      "cannot start with");
  const char *from = c->p, *last = c->p + len; /* after the last non-'.' character */
  for (c->p += len; c->p < c->end && label_char(c, &len); c->p += len)
    if (*c->p != '.') last = c->p + len;
  c->p = last;
  memcpy(c->out, from, (size_t)(last - from));
  *value = c->out;
  c->out += last - from;
  *c->out++ = '\0';
  return NG_SUCCESS;
}

/* LANGTAG after '@': [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*. */
static NgStatus lang_tag(Cursor *c, const char **value) {
  const char *at = c->p++, *from = c->p;
  bool first = true;
  for (;;) {
    const char *part = c->p;
    while (c->p < c->end && ((*c->p >= 'a' && *c->p <= 'z') || (*c->p >= 'A' && *c->p <= 'Z') ||
                             (!first && *c->p >= '0' && *c->p <= '9')))
      c->p++;
    if (c->p == part) return bad(c, at, "a language tag that is not letters, digits and '-'");
    if (c->p >= c->end || *c->p != '-') break;
    c->p++;
    first = false;
  }
  memcpy(c->out, from, (size_t)(c->p - from));
  *value = c->out;
  c->out += c->p - from;
  *c->out++ = '\0';
  return NG_SUCCESS;
}

/* The escapes of ECHAR. */
static char echar(char ch) {
  switch (ch) {
  case 't': return '\t';
  case 'b': return '\b';
  case 'n': return '\n';
  case 'r': return '\r';
  case 'f': return '\f';
  case '"': return '"';
  case '\'': return '\'';
  case '\\': return '\\';
  default: return 0;
  }
}

/* STRING_LITERAL_QUOTE at c->p, then its datatype or language tag. */
static NgStatus literal(Cursor *c, NgTerm *t) {
  const char *at = c->p;
  NgStatus st;
  *t = (NgTerm){NG_TERM_LITERAL, c->out, NULL, NULL};
  for (c->p++; c->p < c->end && *c->p != '"';) {
    if (*c->p != '\\') {
      *c->out++ = *c->p++;
      continue;
    }
    char e = c->p + 1 < c->end ? echar(c->p[1]) : 0;
    if (e) {
      *c->out++ = e;
      c->p += 2;
    } else if (c->p + 1 < c->end && (c->p[1] == 'u' || c->p[1] == 'U')) {
      NG_TRY(st, uchar(c));
    } else {
      return bad(c, c->p, "an unknown escape in a literal");
    }
  }
  if (c->p >= c->end) return bad(c, at, "a literal without its closing '\"'");
  c->p++;
  *c->out++ = '\0';
  if (c->p < c->end && *c->p == '@') return lang_tag(c, &t->lang);
  if (c->p + 1 < c->end && c->p[0] == '^' && c->p[1] == '^') {
    c->p += 2;
    if (c->p >= c->end || *c->p != '<') return bad(c, c->p, "a datatype that is not an IRI");
    return iri(c, &t->datatype);
  }
  return NG_SUCCESS;
}

/* A term of the kinds allowed (letters of "IBL": IRI, blank, literal). */
static NgStatus term(Cursor *c, NgTerm *t, const char *kinds, const char *what) {
  skip_space(c);
  *t = (NgTerm){NG_TERM_IRI, NULL, NULL, NULL};
  if (c->p < c->end && *c->p == '<' && strchr(kinds, 'I')) return iri(c, &t->value);
  if (c->end - c->p >= 2 && c->p[0] == '_' && c->p[1] == ':' && strchr(kinds, 'B')) {
    t->kind = NG_TERM_BLANK;
    return blank(c, &t->value);
  }
  if (c->p < c->end && *c->p == '"' && strchr(kinds, 'L')) return literal(c, t);
  return bad(c, c->p, what);
}

/* One line (no CR or LF in it): nothing, a comment, or a statement. */
static NgStatus parse_line(NgNquads *nq, const char *s, size_t len) {
  size_t where;
  Cursor c = {nq, s, s, s + len, NULL};
  skip_space(&c);
  if (c.p == c.end || *c.p == '#') return NG_SUCCESS;
  if (!ng_utf8_check(s, len, &where))
    return bad(&c, s + where, s[where] ? "not UTF-8" : "a NUL byte: the store's terms cannot hold it");
  NgStatus st = ng_buf_reserve(&nq->scratch, len + 8);
  if (st) return st;
  c.out = nq->scratch.data;
  NgTerm sub, pred, obj, graph;
  bool has_graph = false;
  NG_TRY(st, term(&c, &sub, "IB", "expected a subject: an IRI or a blank node"));
  NG_TRY(st, term(&c, &pred, "I", "expected a predicate: an IRI"));
  NG_TRY(st, term(&c, &obj, "IBL", "expected an object: an IRI, a blank node or a literal"));
  skip_space(&c);
  if (c.p < c.end && *c.p != '.') {
    if (!nq->quads) return bad(&c, c.p, "expected '.' after the object (N-Triples has no graph)");
    NG_TRY(st, term(&c, &graph, "IB", "expected a graph name (an IRI or a blank node) or '.'"));
    has_graph = true;
    skip_space(&c);
  }
  if (c.p >= c.end || *c.p != '.') return bad(&c, c.p, "expected '.' at the end of the statement");
  c.p++;
  skip_space(&c);
  if (c.p < c.end && *c.p != '#') return bad(&c, c.p, "more after the '.' ending the statement");
  unsigned long col = 1;
  return nq->sink(nq->ctx, nq->line, col, has_graph ? &graph : NULL, &sub, &pred, &obj);
}

/* Parses every line that ends in text[0..len); returns the bytes used
 * (the start of an unfinished last line is left). */
static NgStatus parse_lines(NgNquads *nq, const char *text, size_t len, size_t *used) {
  const char *p = text, *end = text + len;
  *used = 0;
  while (p < end) {
    if (nq->after_cr && *p == '\n') { /* the LF of a CR LF cut between pieces */
      nq->after_cr = false;
      p++;
      continue;
    }
    nq->after_cr = false;
    const char *eol = p;
    while (eol < end && *eol != '\n' && *eol != '\r')
      eol++;
    if (eol == end) break;
    NgStatus st = parse_line(nq, p, (size_t)(eol - p));
    if (st) return st;
    nq->line++;
    if (*eol == '\r' && eol + 1 < end && eol[1] == '\n') eol++;
    else if (*eol == '\r') nq->after_cr = eol + 1 == end;
    p = eol + 1;
  }
  *used = (size_t)(p - text);
  return NG_SUCCESS;
}

NgStatus ng_nquads_feed(NgNquads *nq, const char *data, size_t len) {
  NgStatus st;
  size_t used;
  if (nq->failed) return NG_ERR_SYNTAX;
  if (nq->partial.len) { /* finish the cut line first */
    const char *eol = data;
    while (eol < data + len && *eol != '\n' && *eol != '\r')
      eol++;
    size_t take = eol < data + len ? (size_t)(eol - data) + 1 : len;
    NG_TRY(st, ng_buf_append(&nq->partial, data, take));
    if (eol == data + len) return NG_SUCCESS;
    NG_TRY(st, parse_lines(nq, nq->partial.data, nq->partial.len, &used));
    ng_buf_clear(&nq->partial);
    data += take;
    len -= take;
  }
  NG_TRY(st, parse_lines(nq, data, len, &used));
  return ng_buf_append(&nq->partial, data + used, len - used);
}

NgStatus ng_nquads_end(NgNquads *nq) {
  if (nq->failed) return NG_ERR_SYNTAX;
  NgStatus st = parse_line(nq, nq->partial.data ? nq->partial.data : "", nq->partial.len);
  ng_buf_clear(&nq->partial);
  return st;
}
