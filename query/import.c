/* import.c - merging RDF files into the store.
 *
 * The whole file is parsed (Raptor) into NgGraphs first, one per target
 * graph; only a file that parsed without error is journaled (ADD records)
 * and synced.  Blank nodes are renamed b<hash of the file>x<label>: two
 * files' _:b1 stay apart, and importing the same file again adds nothing.
 *
 * Raptor's Turtle parser, like Rasqal, reports a line but no column; the
 * column is found by re-parsing prefixes of the file cut inside that line
 * (ng_probe_error_offset). */
#include "query.h"
#include "iri.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

typedef struct {
  NgStore *store;
  const char *path;
  NgSyntax syntax;
  raptor_parser *parser;
  char blank_prefix[24]; /* "b" + 16 hex digits + "x" */
  const char *default_graph;
  NgMap *graph_index; /* graph IRI -> index + 1 in graphs */
  NgGraph **graphs;
  size_t ngraphs, cap;
  NgBuf labels[3]; /* renamed blank labels of s, p, o */
  NgStatus error;  /* a failure inside the statement handler */
  unsigned long error_line, error_col;
  bool warned_blank_graph;
} Import;

static const char *parser_name(NgSyntax syntax) {
  switch (syntax) {
  case NG_SYNTAX_NTRIPLES: return "ntriples";
  case NG_SYNTAX_NQUADS: return "nquads";
  case NG_SYNTAX_TURTLE: return "turtle";
  case NG_SYNTAX_RDFXML: return "rdfxml";
  }
  return "turtle";
}

/* ------------------------------------------------------------- graphs */

/* NG_NS_GRAPH + slug of the file name without its directory and extension. */
static char *graph_for_file(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  char *slug = ng_slug_new(base, len);
  NgBuf b = NG_BUF_INIT;
  if (!slug || ng_buf_printf(&b, "%s%s", NG_NS_GRAPH, slug)) {
    free(slug);
    ng_buf_free(&b);
    return NULL;
  }
  free(slug);
  return ng_buf_take(&b);
}

static NgGraph *graph_named(Import *im, const char *iri) {
  bool inserted;
  uintptr_t *slot = ng_map_slot(im->graph_index, iri, strlen(iri), &inserted);
  if (!slot) return NULL;
  if (!inserted) return im->graphs[*slot - 1];
  if (im->ngraphs == im->cap) {
    size_t cap = im->cap ? im->cap * 2 : 8;
    NgGraph **g = realloc(im->graphs, cap * sizeof *g);
    if (!g) return NULL;
    im->graphs = g;
    im->cap = cap;
  }
  NgGraph *g = ng_graph_new(iri);
  if (!g) return NULL;
  im->graphs[im->ngraphs++] = g;
  *slot = im->ngraphs;
  return g;
}

/* Quads name their graph; triples (and blank graph names) go to the target. */
static NgGraph *target_graph(Import *im, const raptor_term *graph) {
  if (graph && graph->type == RAPTOR_TERM_TYPE_URI)
    return graph_named(im, (const char *)raptor_uri_as_string(graph->value.uri));
  if (graph && !im->warned_blank_graph) {
    im->warned_blank_graph = true;
    ng_report(im->store->world, NG_SUCCESS, NG_LEVEL_WARNING, im->path, 0, 0,
              "blank node graph names are not kept: those quads go to <%s>", im->default_graph);
  }
  return graph_named(im, im->default_graph);
}

/* ---------------------------------------------------------- statements */

static NgStatus convert_term(Import *im, const raptor_term *rt, NgBuf *label, NgTerm *t) {
  *t = (NgTerm){NG_TERM_IRI, NULL, NULL, NULL};
  switch (rt->type) {
  case RAPTOR_TERM_TYPE_URI:
    t->value = (const char *)raptor_uri_as_string(rt->value.uri);
    return NG_SUCCESS;
  case RAPTOR_TERM_TYPE_BLANK:
    ng_buf_clear(label);
    t->kind = NG_TERM_BLANK;
    if (ng_buf_printf(label, "%s%s", im->blank_prefix, (const char *)rt->value.blank.string))
      return NG_ERR_NOMEM;
    t->value = label->data;
    return NG_SUCCESS;
  case RAPTOR_TERM_TYPE_LITERAL:
    t->kind = NG_TERM_LITERAL;
    t->value = (const char *)rt->value.literal.string;
    if (rt->value.literal.datatype)
      t->datatype = (const char *)raptor_uri_as_string(rt->value.literal.datatype);
    t->lang = (const char *)rt->value.literal.language;
    return NG_SUCCESS;
  default: return NG_ERR_SYNTAX;
  }
}

static void on_statement(void *data, raptor_statement *s) {
  Import *im = data;
  if (im->error) return;
  NgTerm ts, tp, to;
  NgGraph *g = target_graph(im, s->graph);
  NgStatus st = g ? NG_SUCCESS : NG_ERR_NOMEM;
  if (!st) st = convert_term(im, s->subject, &im->labels[0], &ts);
  if (!st) st = convert_term(im, s->predicate, &im->labels[1], &tp);
  if (!st) st = convert_term(im, s->object, &im->labels[2], &to);
  if (!st) st = ng_graph_add(g, &ts, &tp, &to);
  if (!st) return;
  im->error = st;
  raptor_locator *loc = raptor_parser_get_locator(im->parser);
  im->error_line = loc && loc->line > 0 ? (unsigned long)loc->line : 0;
  im->error_col = loc && loc->column > 0 ? (unsigned long)loc->column : 0;
  raptor_parser_parse_abort(im->parser);
}

/* ---------------------------------------------------------------- files */

static NgStatus open_file(Import *im, FILE **f) {
  *f = fopen(im->path, "rb");
  if (*f) return NG_SUCCESS;
  ng_report(im->store->world, NG_ERR_IO, NG_LEVEL_ERROR, im->path, 0, 0, "cannot read: %s",
            strerror(errno));
  return NG_ERR_IO;
}

/* The blank node prefix: a hash of the file's bytes. */
static NgStatus hash_file(Import *im) {
  FILE *f;
  NgStatus st;
  NG_TRY(st, open_file(im, &f));
  char buf[CHUNK];
  uint64_t h = 0x6e6577736772ull;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    h = ng_hash_combine(h, ng_hash_bytes(buf, n));
  if (ferror(f)) st = NG_ERR_IO;
  fclose(f);
  if (st)
    ng_report(im->store->world, st, NG_LEVEL_ERROR, im->path, 0, 0, "cannot read: %s",
              strerror(errno));
  snprintf(im->blank_prefix, sizeof im->blank_prefix, "b%016llxx", (unsigned long long)h);
  return st;
}

static raptor_parser *new_parser(NgStore *store, NgSyntax syntax) {
  raptor_world *rw = ng_rdf_raptor(store->rdf);
  raptor_parser *p = rw ? raptor_new_parser(rw, parser_name(syntax)) : NULL;
  /* Nothing is fetched at run time: no DTDs or entities from the network. */
  if (p) raptor_parser_set_option(p, RAPTOR_OPTION_NO_NET, NULL, 1);
  return p;
}

static NgStatus parse_file(Import *im) {
  FILE *f;
  NgStatus st;
  NG_TRY(st, open_file(im, &f));
  unsigned char *base = raptor_uri_filename_to_uri_string(im->path);
  raptor_world *rw = ng_rdf_raptor(im->store->rdf);
  raptor_uri *base_uri = base && rw ? raptor_new_uri(rw, base) : NULL;
  im->parser = new_parser(im->store, im->syntax);
  if (!base_uri || !im->parser) st = NG_ERR_NOMEM;
  if (!st) {
    raptor_parser_set_statement_handler(im->parser, im, on_statement);
    st = raptor_parser_parse_start(im->parser, base_uri) ? NG_ERR_SYNTAX : NG_SUCCESS;
  }
  unsigned char buf[CHUNK];
  size_t n;
  while (!st && !im->error && (n = fread(buf, 1, sizeof buf, f)) > 0)
    raptor_parser_parse_chunk(im->parser, buf, n, 0);
  if (!st && !im->error) raptor_parser_parse_chunk(im->parser, NULL, 0, 1);
  if (!st && ferror(f)) st = NG_ERR_IO;
  fclose(f);
  if (base_uri) raptor_free_uri(base_uri);
  raptor_free_memory(base);
  return st;
}

/* ------------------------------------------------------------- errors */

typedef struct {
  NgStore *store;
  NgSyntax syntax;
} Probe;

static bool prefix_fails(void *ctx, const char *text, size_t len) {
  Probe *p = ctx;
  NgRdfLog log = {.quiet = true, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(p->store->rdf, &log);
  raptor_parser *parser = new_parser(p->store, p->syntax);
  raptor_world *rw = ng_rdf_raptor(p->store->rdf);
  raptor_uri *base = rw ? raptor_new_uri(rw, (const unsigned char *)"file:///probe") : NULL;
  if (parser && base && !raptor_parser_parse_start(parser, base)) {
    raptor_parser_parse_chunk(parser, (const unsigned char *)text, len, 0);
    raptor_parser_parse_chunk(parser, NULL, 0, 1);
  }
  if (base) raptor_free_uri(base);
  if (parser) raptor_free_parser(parser);
  ng_rdf_set_log(p->store->rdf, old);
  return log.errors && !strstr(log.message, "unexpected $end") &&
         !strstr(log.message, "end of input");
}

/* Reading the file a second time for a probe: only on the error path, and
 * only when the file is small or the line is known. */
#define PROBE_ANY_LINE_LIMIT ((size_t)4 << 20)

static NgStatus read_whole(const char *path, NgBuf *text) {
  FILE *f = fopen(path, "rb");
  if (!f) return NG_ERR_IO;
  char buf[CHUNK];
  size_t n;
  NgStatus st = NG_SUCCESS;
  while (!st && (n = fread(buf, 1, sizeof buf, f)) > 0)
    st = ng_buf_append(text, buf, n);
  fclose(f);
  return st;
}

/* Turtle errors come with a line only (or nothing): find the culprit
 * token, or for an unexpected end the end of the text. */
static void locate(Import *im, const NgRdfLog *log, unsigned long *line, unsigned long *col) {
  NgBuf text = NG_BUF_INIT;
  if (read_whole(im->path, &text) || !text.len) {
    ng_buf_free(&text);
    return;
  }
  size_t offset = text.len;
  bool found = true;
  if (strstr(log->message, "unexpected $end")) {
    while (offset > 0 && strchr(" \t\r\n", text.data[offset - 1]))
      offset--;
  } else if (*line || text.len <= PROBE_ANY_LINE_LIMIT) {
    Probe probe = {im->store, im->syntax};
    found = ng_probe_error_offset(text.data, text.len, *line, prefix_fails, &probe, &offset);
  } else {
    found = false;
  }
  if (found) ng_utf8_line_col(text.data, text.len, offset, line, col);
  ng_buf_free(&text);
}

static void report_parse_error(Import *im, const NgRdfLog *log) {
  unsigned long line = log->line > 0 ? (unsigned long)log->line : 0;
  unsigned long col = log->col > 0 ? (unsigned long)log->col : 0;
  if (!col && im->syntax == NG_SYNTAX_TURTLE) locate(im, log, &line, &col);
  ng_report(im->store->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, im->path, line, col, "%s",
            log->message);
}

static void report_bad_triple(Import *im) {
  ng_report(im->store->world, im->error, NG_LEVEL_ERROR, im->path, im->error_line, im->error_col,
            "%s",
            im->error == NG_ERR_NOMEM
                ? "out of memory"
                : "a triple that RDF does not allow (bad language tag or empty IRI)");
}

/* -------------------------------------------------------------- import */

static void import_free(Import *im) {
  for (size_t i = 0; i < im->ngraphs; ++i)
    ng_graph_free(im->graphs[i]);
  free(im->graphs);
  ng_map_free(im->graph_index);
  for (int i = 0; i < 3; ++i)
    ng_buf_free(&im->labels[i]);
  if (im->parser) raptor_free_parser(im->parser);
}

/* Parse everything; only then journal it. */
static NgStatus run_import(Import *im) {
  NgStatus st;
  NG_TRY(st, hash_file(im));
  if (!(im->graph_index = ng_map_new())) return NG_ERR_NOMEM;
  NgRdfLog log = {
      .collect = true, .origin = im->path, .trust_locator = true, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(im->store->rdf, &log);
  st = parse_file(im);
  ng_rdf_set_log(im->store->rdf, old);
  if (st) return st;
  if (log.errors) {
    report_parse_error(im, &log);
    return NG_ERR_SYNTAX;
  }
  if (im->error) {
    report_bad_triple(im);
    return im->error;
  }
  if (ng_world_stop_requested(im->store->world)) return NG_ERR_INTERRUPTED;
  for (size_t i = 0; i < im->ngraphs && !st; ++i)
    st = ng_store_add_graph(im->store, im->graphs[i]);
  return st ? st : ng_store_sync(im->store);
}

NgStatus ng_store_import(NgStore *store, const char *path, NgSyntax syntax, const char *graph_iri) {
  if (store->mode != NG_STORE_WRITE || !store->journal) {
    ng_report(store->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, store->dir, 0, 0,
              "the store is open for reading only");
    return NG_ERR_BAD_ARG;
  }
  Import im;
  memset(&im, 0, sizeof im);
  im.store = store;
  im.path = path;
  im.syntax = syntax;
  char *named = graph_iri ? NULL : graph_for_file(path);
  im.default_graph = graph_iri ? graph_iri : named;
  NgStatus st = im.default_graph ? run_import(&im) : NG_ERR_NOMEM;
  import_free(&im);
  free(named);
  return st;
}
