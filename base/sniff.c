/* sniff.c - what an input is, from its first bytes and its name.
 *
 * Two guesses, for readers that are given no format: an article file
 * (JSON Lines, HTML or plain text) and an RDF file (N-Triples, N-Quads,
 * Turtle, TriG, RDF/XML).  Written here rather than taken from a library:
 * libmagic knows neither JSON Lines from JSON nor N-Triples from Turtle,
 * and Raptor's own guesser (raptor_world_guess_parser_name) is tried in the
 * child process only, after the file was read, and scores Turtle and TriG
 * alike.
 *
 * Articles: a file name with a known extension decides (.jsonl, .html,
 * .txt, ...), as it always has; without one (standard input, "notes",
 * "feed.out") the first non-blank bytes do: "{" is JSON Lines, a tag or
 * "<!" is HTML, anything else text.
 *
 * RDF: as rapper --guess and riot do, the first non-blank, non-comment
 * bytes say which grammar the head of the file can be, and the name breaks
 * the ties among the grammars it fits: N-Triples is also Turtle (and
 * N-Quads and TriG), N-Quads also TriG, so triples in a "x.ttl" are read as
 * Turtle and in a "x.nt" or a nameless stream as N-Triples.  Where the
 * content contradicts the name (a "x.nt" that declares @prefix), the
 * content wins. */
#include "internal.h"

#include <ctype.h>
#include <string.h>

/* "name" ends with ext (case-insensitive), ext with its dot. */
static bool has_extension(const char *name, const char *ext) {
  size_t len = name ? strlen(name) : 0, n = strlen(ext);
  return len > n && ng_streq_nocase(name + len - n, ext);
}

static const char *skip_bom(const char *p, const char *end) {
  if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) return p + 3;
  return p;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

/* ------------------------------------------------------------- articles */

static bool article_extension(const char *name, NgInputFormat *format) {
  static const struct {
    const char *ext;
    NgInputFormat format;
  } exts[] = {{".jsonl", NG_INPUT_JSONL}, {".json", NG_INPUT_JSONL}, {".ndjson", NG_INPUT_JSONL},
              {".html", NG_INPUT_HTML},   {".htm", NG_INPUT_HTML},   {".xhtml", NG_INPUT_HTML},
              {".txt", NG_INPUT_TEXT},    {".text", NG_INPUT_TEXT}};
  for (size_t i = 0; i < NG_COUNTOF(exts); ++i) {
    if (has_extension(name, exts[i].ext)) {
      *format = exts[i].format;
      return true;
    }
  }
  return false;
}

NgInputFormat ng_input_format_sniff(const char *data, size_t len, const char *name) {
  NgInputFormat format;
  if (article_extension(name, &format)) return format;
  const char *p = data ? skip_bom(data, data + len) : NULL, *end = data ? data + len : NULL;
  while (p < end && is_blank(*p))
    p++;
  if (p == end) return NG_INPUT_TEXT;
  if (*p == '{') return NG_INPUT_JSONL;
  /* "<p>", "<!DOCTYPE html>", "<?xml ...?>", "</div>": markup; "< 3" or
   * "<<quote>>" are text */
  if (*p == '<' && end - p > 1 &&
      (isalpha((unsigned char)p[1]) || p[1] == '!' || p[1] == '?' || p[1] == '/'))
    return NG_INPUT_HTML;
  return NG_INPUT_TEXT;
}

/* ------------------------------------------------------------------ RDF */

typedef struct {
  const char *p, *end;
  bool xml;       /* markup: RDF/XML */
  bool turtle;    /* something only Turtle and TriG have */
  bool trig;      /* something only TriG has: { } or GRAPH */
  bool odd;       /* a statement of neither 3 nor 4 terms, or a token none has */
  unsigned terms; /* terms of the statement at hand */
  unsigned triples, quads;
} RdfScan;

static void skip_blanks_and_comments(RdfScan *s) {
  while (s->p < s->end) {
    if (is_blank(*s->p)) {
      s->p++;
    } else if (*s->p == '#') {
      while (s->p < s->end && *s->p != '\n')
        s->p++;
    } else {
      break;
    }
  }
}

/* "<...>": an IRI (true) when it closes before a blank, a quote, "=" or
 * another "<" - which only markup has. */
static bool scan_iri(RdfScan *s, bool *complete) {
  const char *q = s->p + 1;
  while (q < s->end && *q != '>') {
    if (is_blank(*q) || *q == '"' || *q == '=' || *q == '<') return false;
    q++;
  }
  *complete = q < s->end;
  s->p = *complete ? q + 1 : s->end;
  return true;
}

/* A quoted literal from s->p, with its language or datatype; false when
 * the head ends inside it. */
static bool scan_literal(RdfScan *s) {
  char quote = *s->p;
  if (quote == '\'') s->turtle = true;
  if (s->end - s->p >= 3 && s->p[1] == quote && s->p[2] == quote) { /* """long""" */
    s->turtle = true;
    const char *q = s->p + 3;
    while (q + 2 < s->end && !(q[0] == quote && q[1] == quote && q[2] == quote))
      q += *q == '\\' ? 2 : 1;
    if (q + 2 >= s->end) return false;
    s->p = q + 3;
  } else {
    const char *q = s->p + 1;
    while (q < s->end && *q != quote && *q != '\n')
      q += *q == '\\' ? 2 : 1;
    if (q >= s->end) return false;
    if (*q == '\n') s->odd = true;
    s->p = q + 1;
  }
  if (s->p < s->end && *s->p == '@') { /* a language tag */
    s->p++;
    while (s->p < s->end && (isalnum((unsigned char)*s->p) || *s->p == '-'))
      s->p++;
  } else if (s->end - s->p >= 2 && s->p[0] == '^' && s->p[1] == '^') {
    s->p += 2;
    if (s->p < s->end && *s->p == '<') {
      bool complete = false;
      if (!scan_iri(s, &complete)) s->odd = true;
      return complete;
    }
    s->turtle = true; /* a prefixed datatype: read as the word it is */
  }
  return true;
}

/* A bare word: a prefixed name, "a", a number, true/false, or one of the
 * keywords PREFIX, BASE, GRAPH.  A "." that ends it ends the statement. */
static void scan_word(RdfScan *s, bool *ends_statement) {
  const char *start = s->p;
  while (s->p < s->end && !is_blank(*s->p) && !strchr("<>\"'(){}[];,#", *s->p))
    s->p++;
  if (s->p == start) { /* a stray ">": no grammar of ours starts a token so */
    s->p++;
    s->odd = true;
    return;
  }
  size_t len = (size_t)(s->p - start);
  *ends_statement = len > 1 && start[len - 1] == '.';
  if (*ends_statement) len--;
  char word[8];
  if (len < sizeof word) {
    memcpy(word, start, len);
    word[len] = '\0';
    if (ng_streq_nocase(word, "graph")) {
      s->trig = true;
      return;
    }
  }
  s->turtle = true; /* PREFIX, BASE and every other word */
}

static void end_statement(RdfScan *s) {
  if (s->terms == 3) s->triples++;
  else if (s->terms == 4) s->quads++;
  else s->odd = true;
  s->terms = 0;
}

/* One token; false at the end of the head (or of a token it cuts). */
static bool scan_token(RdfScan *s, bool first) {
  skip_blanks_and_comments(s);
  if (s->p >= s->end) return false;
  char c = *s->p;
  bool complete = true, ends = false;
  switch (c) {
  case '<':
    if (!scan_iri(s, &complete)) {
      /* markup where an IRI should be: RDF/XML, if nothing before said RDF */
      if (first || !(s->triples + s->quads)) s->xml = true;
      else s->odd = true;
      return false;
    }
    s->terms++;
    return complete;
  case '"': case '\'':
    s->terms++;
    return scan_literal(s);
  case '_':
    if (s->end - s->p > 1 && s->p[1] == ':') {
      s->p += 2;
      while (s->p < s->end && !is_blank(*s->p) && !strchr("<>\"'(){}[];,#", *s->p))
        s->p++;
      ends = s->p[-1] == '.';
      s->terms++;
      if (ends) end_statement(s);
      return s->p < s->end;
    }
    break;
  case '.':
    s->p++;
    end_statement(s);
    return true;
  case '{': case '}':
    s->trig = true;
    s->p++;
    s->terms = 0;
    return true;
  case ';': case ',': case '[': case ']': case '(': case ')':
    s->turtle = true;
    s->p++;
    return true;
  case '@':
    s->turtle = true; /* @prefix, @base */
    break;
  default: break;
  }
  scan_word(s, &ends);
  s->terms++;
  if (ends) end_statement(s);
  return s->p < s->end;
}

static bool rdf_extension(const char *name, NgSyntax *syntax) {
  static const struct {
    const char *ext;
    NgSyntax syntax;
  } exts[] = {{".nt", NG_SYNTAX_NTRIPLES},   {".nq", NG_SYNTAX_NQUADS},   {".ttl", NG_SYNTAX_TURTLE},
              {".turtle", NG_SYNTAX_TURTLE}, {".n3", NG_SYNTAX_TURTLE},   {".trig", NG_SYNTAX_TRIG},
              {".rdf", NG_SYNTAX_RDFXML},    {".owl", NG_SYNTAX_RDFXML},  {".xml", NG_SYNTAX_RDFXML}};
  for (size_t i = 0; i < NG_COUNTOF(exts); ++i) {
    if (has_extension(name, exts[i].ext)) {
      *syntax = exts[i].syntax;
      return true;
    }
  }
  return false;
}

/* The grammars that hold the content, narrowest first; the name picks one
 * of them when it names one. */
NgSyntax ng_syntax_sniff(const char *data, size_t len, const char *name, bool *sure) {
  NgSyntax by_name = NG_SYNTAX_TURTLE;
  bool named = rdf_extension(name, &by_name);
  RdfScan s = {.p = data ? skip_bom(data, data + len) : NULL, .end = data ? data + len : NULL};
  for (bool first = true; scan_token(&s, first) && !s.xml; first = false) {
  }
  bool decided = s.xml || s.turtle || s.trig || s.triples || s.quads;
  if (sure) *sure = decided || named;
  if (s.odd && !(s.xml || s.turtle || s.trig)) { /* no grammar of ours: let the name choose */
    if (sure) *sure = named;
    return by_name;
  }
  if (s.xml) return NG_SYNTAX_RDFXML;
  if (s.trig) return NG_SYNTAX_TRIG;
  if (s.turtle) return by_name == NG_SYNTAX_TRIG ? NG_SYNTAX_TRIG : NG_SYNTAX_TURTLE;
  if (s.quads) return named && by_name == NG_SYNTAX_TRIG ? NG_SYNTAX_TRIG : NG_SYNTAX_NQUADS;
  if (s.triples) return named && by_name != NG_SYNTAX_RDFXML ? by_name : NG_SYNTAX_NTRIPLES;
  return by_name; /* nothing to read (empty, comments, a cut token): the name, or Turtle */
}
