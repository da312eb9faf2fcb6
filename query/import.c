/* import.c - merging RDF files into the store.
 *
 * The whole file is parsed (Raptor) into NgGraphs first, one per target
 * graph; only a file that parsed without error is written, in one
 * transaction (all of the file or nothing).  Blank nodes are renamed b<hash of the file>x<label>:
 * two files' _:b1 stay apart, and importing the same file again adds nothing.
 *
 * N-Triples and N-Quads are read in this process by our own parser
 * (nquads.c), straight into the transaction.  For the other syntaxes:
 * Raptor 2.0.15 has memory-safety bugs on hostile files (fuzzing finds heap
 * overflows in its parsers within seconds), and a parser that corrupts
 * memory must not do so next to an open store.  So Raptor runs in a child
 * process: it parses the file and sends statements
 * and diagnostics back through a pipe (the encoding is below); this process
 * checks every record it decodes, and unless the child ends with an end
 * record and exit status 0 it reports "FILE: the RDF parser crashed on this
 * file" and adds nothing.  The cost is the fork and the copying through the
 * pipe: a few percent of an import (see tests/e2e/hostile-rdf.sh).
 *
 * Raptor's Turtle parser, like Rasqal, reports a line but no column; the
 * column is found by re-parsing prefixes of the file cut inside that line
 * (ng_probe_error_offset) - in the child too, as that runs Raptor again.
 *
 * LOAD of `newsgraph update` reads its file through the same child and the
 * same memory watch (ng_store_load_file): into the update's transaction,
 * every triple into one graph, its blank nodes named by the request. */
#include "query.h"
#include "iri.h"

#include <nettle/sha2.h>

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define CHUNK 65536

/* Records from the child: a tag byte, then
 *   'S' varint line, varint column, 4 terms (graph, subject, predicate, object)
 *   'D' u8 level, varint status, varint line, varint column, file, message
 *   'E' varint status: the last record
 * where a term is a kind byte (TERM_*) followed, unless TERM_NONE, by its
 * value and, for a literal, its datatype and language; and a string is
 * varint (length + 1), the bytes and a NUL (length + 1 = 0: no string). */
enum { TERM_NONE, TERM_IRI, TERM_BLANK, TERM_LITERAL };
enum { REC_STATEMENT = 'S', REC_DIAGNOSTIC = 'D', REC_END = 'E' };

typedef struct {
  int fd;
  NgBuf buf;   /* records not yet written */
  bool failed; /* the parent stopped reading */
} Channel;

typedef struct {
  NgStore *store;
  const char *path;   /* the file read */
  const char *name;   /* the file in diagnostics ("<stdin>" for a spooled standard input) */
  const char *base;   /* the file whose IRI is the base of relative IRIs */
  const char *syntax; /* Raptor's name of the parser */
  raptor_parser *parser;
  char blank_prefix[24]; /* "b" + 16 hex digits + "x" */
  const char *default_graph;
  NgId graph;      /* LOAD: every statement into this graph (0: import's rule) */
  bool quiet;      /* LOAD SILENT: nothing is reported */
  NgQsTxn *txn;    /* the parent's write transaction: all of the file or nothing */
  NgBuf labels[3]; /* renamed blank labels of s, p, o */
  NgStatus error;  /* a failure with a statement (child or parent) */
  unsigned long error_line, error_col;
  bool warned_blank_graph;
  uint64_t file_size;
  Channel channel; /* child: to the parent */
  /* what the file says of each graph (see GRAPH FINGERPRINTS) */
  bool fingerprints; /* kept and compared (import; not LOAD) */
  bool rereadable;   /* read here (line formats): held statements are read again, not kept */
  bool rereading;    /* that second reading: only the graphs to write */
  NgMap *runs;       /* graph IRI -> GraphRun * */
  struct GraphRun **run_list;
  size_t nruns;
  size_t pending_bytes;
  NgBuf scratch;
} Import;

static const char *parser_name(NgSyntax syntax) {
  switch (syntax) {
  case NG_SYNTAX_NTRIPLES: return "ntriples";
  case NG_SYNTAX_NQUADS: return "nquads";
  case NG_SYNTAX_TURTLE: return "turtle";
  case NG_SYNTAX_RDFXML: return "rdfxml";
  case NG_SYNTAX_TRIG: return "trig";
  case NG_SYNTAX_GUESS: break; /* (sniffed before) */
  }
  return "turtle";
}

/* A report about the file, unless the caller asked for silence. */
static void tell(Import *im, NgStatus st, unsigned long line, unsigned long col, const char *fmt,
                 ...) {
  if (im->quiet) return;
  va_list ap;
  va_start(ap, fmt);
  ng_vreport(im->store->world, st, NG_LEVEL_ERROR, im->name, line, col, fmt, ap);
  va_end(ap);
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

/* Quads name their graph; triples (and blank graph names) go to the target. */
static const char *target_graph(Import *im, const NgTerm *graph) {
  if (graph && graph->kind == NG_TERM_IRI) return graph->value;
  if (graph && !im->warned_blank_graph) {
    im->warned_blank_graph = true;
    ng_report(im->store->world, NG_SUCCESS, NG_LEVEL_WARNING, im->name, 0, 0,
              "blank node graph names are not kept: those quads go to <%s>", im->default_graph);
  }
  return im->default_graph;
}

/* --------------------------------------------------------------- errors */

static void report_bad_triple(Import *im) {
  const char *why = "a triple that RDF does not allow (bad language tag or empty IRI)";
  if (im->error == NG_ERR_NOMEM) why = "out of memory";
  if (im->error == NG_ERR_ENCODING) why = "a term that is not UTF-8";
  if (im->error == NG_ERR_TOO_LARGE) why = "a term longer than the store takes (64 MiB)";
  if (im->error == NG_ERR_IO || im->error == NG_ERR_STORE) return; /* the store said why */
  tell(im, im->error, im->error_line, im->error_col, "%s; nothing of the file was imported", why);
}

/* ============================================ the child: Raptor's side */

static void channel_flush(Channel *ch) {
  size_t done = 0;
  while (!ch->failed && done < ch->buf.len) {
    ssize_t n = write(ch->fd, ch->buf.data + done, ch->buf.len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ch->failed = true;
    else
      done += (size_t)n;
  }
  ng_buf_clear(&ch->buf);
}

/* Drop a record that could not be finished. */
static void channel_cut(Channel *ch, size_t len) {
  ch->buf.len = len;
  if (ch->buf.data) ch->buf.data[len] = '\0';
}

static NgStatus put_varint(NgBuf *b, uint64_t v) {
  char bytes[10];
  size_t n = 0;
  do {
    bytes[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v >>= 7;
  } while (v);
  return ng_buf_append(b, bytes, n);
}

static NgStatus put_str(NgBuf *b, const unsigned char *s) {
  if (!s) return put_varint(b, 0);
  size_t len = strlen((const char *)s);
  NgStatus st = put_varint(b, (uint64_t)len + 1);
  return st ? st : ng_buf_append(b, (const char *)s, len + 1);
}

static NgStatus put_term(NgBuf *b, const raptor_term *t) {
  NgStatus st;
  if (!t) return ng_buf_putc(b, TERM_NONE);
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI:
    NG_TRY(st, ng_buf_putc(b, TERM_IRI));
    return put_str(b, raptor_uri_as_string(t->value.uri));
  case RAPTOR_TERM_TYPE_BLANK:
    NG_TRY(st, ng_buf_putc(b, TERM_BLANK));
    return put_str(b, t->value.blank.string);
  case RAPTOR_TERM_TYPE_LITERAL:
    NG_TRY(st, ng_buf_putc(b, TERM_LITERAL));
    NG_TRY(st, put_str(b, t->value.literal.string));
    NG_TRY(st,
           put_str(b, t->value.literal.datatype ? raptor_uri_as_string(t->value.literal.datatype)
                                                : NULL));
    return put_str(b, t->value.literal.language);
  default: return NG_ERR_SYNTAX;
  }
}

static void send_statement(void *data, raptor_statement *s) {
  Import *im = data;
  if (im->error) return;
  raptor_locator *loc = raptor_parser_get_locator(im->parser);
  unsigned long line = loc && loc->line > 0 ? (unsigned long)loc->line : 0;
  unsigned long col = loc && loc->column > 0 ? (unsigned long)loc->column : 0;
  NgBuf *b = &im->channel.buf;
  size_t start = b->len;
  NgStatus st = ng_buf_putc(b, REC_STATEMENT);
  if (!st) st = put_varint(b, line);
  if (!st) st = put_varint(b, col);
  if (!st) st = put_term(b, s->graph);
  if (!st) st = put_term(b, s->subject);
  if (!st) st = put_term(b, s->predicate);
  if (!st) st = put_term(b, s->object);
  if (!st && b->len >= CHUNK) channel_flush(&im->channel);
  if (!st && im->channel.failed) st = NG_ERR_IO;
  if (!st) return;
  channel_cut(&im->channel, start);
  im->error = st;
  im->error_line = line;
  im->error_col = col;
  raptor_parser_parse_abort(im->parser);
}

/* The child's diagnostics go to the parent, which reports them as its own
 * (to the error sink its caller chose). */
static void send_diagnostic(void *handle, const NgError *e) {
  Channel *ch = handle;
  NgBuf *b = &ch->buf;
  size_t start = b->len;
  NgStatus st = ng_buf_putc(b, REC_DIAGNOSTIC);
  if (!st) st = ng_buf_putc(b, (char)e->level);
  if (!st) st = put_varint(b, (uint64_t)e->status);
  if (!st) st = put_varint(b, e->line);
  if (!st) st = put_varint(b, e->col);
  if (!st) st = put_str(b, (const unsigned char *)e->file);
  if (!st) st = put_str(b, (const unsigned char *)(e->message ? e->message : ""));
  if (st) channel_cut(ch, start); /* the end record still tells the status */
}

static NgStatus open_file(Import *im, FILE **f) {
  *f = fopen(im->path, "rb");
  if (*f) return NG_SUCCESS;
  tell(im, NG_ERR_IO, 0, 0, "cannot read: %s", strerror(errno));
  return NG_ERR_IO;
}

static raptor_parser *new_parser(NgStore *store, const char *syntax) {
  raptor_world *rw = ng_rdf_raptor(store->rdf);
  raptor_parser *p = rw ? raptor_new_parser(rw, syntax) : NULL;
  /* Nothing is fetched: no DTD, entity or XInclude from the network or
   * from a file, whatever the document asks for (base IRIs are only
   * strings, never read) */
  if (p) {
    raptor_parser_set_option(p, RAPTOR_OPTION_NO_NET, NULL, 1);
    raptor_parser_set_option(p, RAPTOR_OPTION_NO_FILE, NULL, 1);
    raptor_parser_set_option(p, RAPTOR_OPTION_LOAD_EXTERNAL_ENTITIES, NULL, 0);
  }
  return p;
}

static NgStatus parse_file(Import *im) {
  FILE *f;
  NgStatus st;
  NG_TRY(st, open_file(im, &f));
  unsigned char *base = raptor_uri_filename_to_uri_string(im->base);
  raptor_world *rw = ng_rdf_raptor(ng_store_rdf(im->store));
  raptor_uri *base_uri = base && rw ? raptor_new_uri(rw, base) : NULL;
  im->parser = new_parser(im->store, im->syntax);
  if (!base_uri || !im->parser) st = NG_ERR_NOMEM;
  if (!st) {
    raptor_parser_set_statement_handler(im->parser, im, send_statement);
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

typedef struct {
  NgStore *store;
  const char *syntax;
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
  if (!col && (!strcmp(im->syntax, "turtle") || !strcmp(im->syntax, "trig")))
    locate(im, log, &line, &col);
  ng_report(im->store->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, im->name, line, col, "%s",
            log->message);
}

/* Parse the file, sending what it holds; report what is wrong with it. */
static NgStatus parse_and_check(Import *im) {
  NgRdfLog log = {
      .collect = true, .origin = im->name, .trust_locator = true, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(im->store->rdf, &log);
  NgStatus st = parse_file(im);
  ng_rdf_set_log(im->store->rdf, old);
  if (st) return st;
  if (log.errors) {
    report_parse_error(im, &log);
    return NG_ERR_SYNTAX;
  }
  if (im->error) report_bad_triple(im);
  return im->error;
}

/* The child dies with its parent.  It touches nothing of the store (the
 * parent holds no transaction while it runs; LMDB's files and locks are
 * the parent's and are never used or closed here). */
static bool detach_child(Import *im, pid_t parent) {
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
  return getppid() == parent; /* else the parent died before prctl */
}

/* Crash tests (NG_TEST_CRASH, as in store.c): the child dies with its
 * statements sent, or ends normally after bytes no record starts with. */
static void crash_point(Channel *ch) {
  const char *crash = getenv("NG_TEST_CRASH");
  if (crash && !strcmp(crash, "import-parser")) {
    channel_flush(ch);
    abort();
  }
  if (crash && !strcmp(crash, "import-garbage")) ng_buf_puts(&ch->buf, "S\377garbage");
}

/* The child: parse, send, end.  _exit: nothing of the parent's (stdio
 * buffers, atexit handlers, the store) is flushed or closed twice. */
static _Noreturn void run_child(Import *im, int fd, pid_t parent) {
  if (!detach_child(im, parent)) _exit(1);
  im->channel.fd = fd;
  ng_world_set_error_sink(im->store->world, send_diagnostic, &im->channel);
  NgStatus st = parse_and_check(im);
  crash_point(&im->channel);
  NgBuf *b = &im->channel.buf;
  if (ng_buf_putc(b, REC_END) || put_varint(b, (uint64_t)st)) _exit(1);
  channel_flush(&im->channel);
  _exit(im->channel.failed ? 1 : 0);
}

/* ========================================= the parent: checking records */

/* A reading position in the bytes received so far.  Running past their
 * end (`more`) means the record is not all there yet; `bad` that it is
 * not a record the child can have written. */
typedef struct {
  const char *p, *end;
  bool more, bad;
} Cursor;

static uint64_t get_varint(Cursor *c) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (c->p >= c->end) {
      c->more = true;
      return 0;
    }
    unsigned char byte = (unsigned char)*c->p++;
    v |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  c->bad = true;
  return 0;
}

/* A string as put_str wrote it: points into the received bytes.  Only
 * its terminating NUL is checked (a NUL inside would just end it early):
 * a record that arrives in many reads is decoded again after each, and
 * that must not cost a pass over its bytes. */
static const char *get_str(Cursor *c) {
  uint64_t n = get_varint(c);
  if (c->more || c->bad || n == 0) return NULL;
  if ((uint64_t)(c->end - c->p) < n) {
    c->more = true;
    return NULL;
  }
  const char *s = c->p;
  if (s[n - 1] != '\0') c->bad = true;
  c->p += n;
  return s;
}

static bool get_term(Cursor *c, NgTerm *t) {
  *t = (NgTerm){NG_TERM_IRI, NULL, NULL, NULL};
  if (c->p >= c->end) {
    c->more = true;
    return false;
  }
  switch (*c->p++) {
  case TERM_NONE: return false;
  case TERM_IRI: break;
  case TERM_BLANK: t->kind = NG_TERM_BLANK; break;
  case TERM_LITERAL:
    t->kind = NG_TERM_LITERAL;
    t->value = get_str(c);
    t->datatype = get_str(c);
    t->lang = get_str(c);
    if (!t->value && !c->more) c->bad = true;
    return true;
  default: c->bad = true; return false;
  }
  t->value = get_str(c);
  if (!t->value && !c->more) c->bad = true;
  return true;
}

static NgStatus rename_blank(Import *im, NgTerm *t, NgBuf *label) {
  if (t->kind != NG_TERM_BLANK) return NG_SUCCESS;
  ng_buf_clear(label);
  if (ng_buf_printf(label, "%s%s", im->blank_prefix, t->value)) return NG_ERR_NOMEM;
  t->value = label->data;
  return NG_SUCCESS;
}

/* The first failure (by its place in the file: statements held back are
 * written after later ones) stops the import. */
static void fail_at(Import *im, NgStatus st, unsigned long line, unsigned long col) {
  if (im->error && (line > im->error_line || (line == im->error_line && col >= im->error_col)))
    return;
  im->error = st;
  im->error_line = line;
  im->error_col = col;
}

/* One statement into the write transaction; *g is the graph's id, found
 * once (0 until then). */
static NgStatus write_statement(Import *im, const char *graph, NgId *g, const NgTerm *s,
                                const NgTerm *p, const NgTerm *o) {
  NgTerm gt = {NG_TERM_IRI, graph, NULL, NULL};
  NgId q[4];
  NgStatus st = NG_SUCCESS;
  if (!*g) st = ng_qs_intern(im->txn, &gt, g);
  q[NG_QS_G] = *g;
  if (!st) st = ng_qs_intern(im->txn, s, &q[NG_QS_S]);
  if (!st) st = ng_qs_intern(im->txn, p, &q[NG_QS_P]);
  if (!st) st = ng_qs_intern(im->txn, o, &q[NG_QS_O]);
  if (!st) st = ng_qs_insert(im->txn, q, NULL);
  return st;
}

/* ================================================== graph fingerprints
 *
 * Importing a file again, or one that repeats a graph the store holds (the
 * actors graph, which every export of an article carries: 5,500 of its
 * 5,600 statements), would look up every term of it again - 4,000
 * dictionary lookups, most of the time of `import` of one article into a
 * big store.  So import hashes (SHA-256) the statements it writes into
 * each graph, in the file's order, and the store keeps the hash with the
 * graph (ng_qs_set_graph_fingerprint) until anything changes that graph.
 * When a file's statements for a graph that has a fingerprint arrive, they
 * are held back (serialised, at most PENDING_MAX bytes in all); at the end
 * of the file, if their hash is the graph's fingerprint, they were all
 * written before and are dropped, else they are written then.  A file
 * that differs in anything, even in order, is written as before. */

#define PENDING_MAX ((size_t)64 << 20)

typedef struct GraphRun {
  char *iri;
  NgId id;                  /* 0: not known yet */
  struct sha256_ctx hash;   /* of the file's statements for the graph */
  bool holding;             /* the store has a fingerprint: statements wait */
  bool reread;              /* held, and to be written from a second reading */
  unsigned char expected[NG_QS_FINGERPRINT_SIZE];
  unsigned char fp[NG_QS_FINGERPRINT_SIZE]; /* the hash, at the end */
  NgBuf pending;            /* per statement: line, column (8 bytes each), then the terms */
} GraphRun;

/* A term as bytes: kind, value, NUL, then 'd' datatype NUL and/or 'l'
 * language NUL, then '.' (terms hold no NUL: the parsers refuse U+0000). */
static NgStatus put_term_bytes(NgBuf *b, const NgTerm *t) {
  NgStatus st = ng_buf_putc(b, (char)('0' + t->kind));
  if (!st) st = ng_buf_append(b, t->value, strlen(t->value) + 1);
  if (!st && t->datatype) st = ng_buf_putc(b, 'd');
  if (!st && t->datatype) st = ng_buf_append(b, t->datatype, strlen(t->datatype) + 1);
  if (!st && t->lang) st = ng_buf_putc(b, 'l');
  if (!st && t->lang) st = ng_buf_append(b, t->lang, strlen(t->lang) + 1);
  if (!st) st = ng_buf_putc(b, '.');
  return st;
}

static const char *get_term_bytes(const char *p, NgTerm *t) {
  *t = (NgTerm){(NgTermKind)(*p++ - '0'), p, NULL, NULL};
  p += strlen(p) + 1;
  if (*p == 'd') {
    t->datatype = ++p;
    p += strlen(p) + 1;
  }
  if (*p == 'l') {
    t->lang = ++p;
    p += strlen(p) + 1;
  }
  return p + 1; /* the '.' */
}

static void run_free(GraphRun *run) {
  if (!run) return;
  free(run->iri);
  ng_buf_free(&run->pending);
  free(run);
}

/* The graph's run, made at its first statement: its id and fingerprint
 * read from the store (no term is added). */
static NgStatus graph_run(Import *im, const char *iri, GraphRun **out) {
  uintptr_t v;
  if (im->runs && ng_map_get(im->runs, iri, strlen(iri), &v)) {
    *out = (GraphRun *)v;
    return NG_SUCCESS;
  }
  GraphRun **list = realloc(im->run_list, (im->nruns + 1) * sizeof *list);
  if (!list) return NG_ERR_NOMEM;
  im->run_list = list;
  GraphRun *run = calloc(1, sizeof *run);
  if (!run || !(run->iri = strdup(iri))) {
    run_free(run);
    return NG_ERR_NOMEM;
  }
  list[im->nruns++] = run;
  sha256_init(&run->hash);
  if (!im->runs && !(im->runs = ng_map_new())) return NG_ERR_NOMEM;
  NgStatus st = ng_map_put(im->runs, iri, strlen(iri), (uintptr_t)run);
  NgTerm g = {NG_TERM_IRI, iri, NULL, NULL};
  NgId id = 0;
  if (!st) st = ng_qs_lookup(im->txn, &g, &id);
  if (st == NG_END) st = NG_SUCCESS; /* a new graph */
  run->id = id;
  if (!st && id) st = ng_qs_graph_fingerprint(im->txn, id, run->expected, &run->holding);
  *out = run;
  return st;
}

/* The held statements of a run into the transaction; it holds no more. */
static NgStatus write_pending(Import *im, GraphRun *run) {
  const char *p = run->pending.data, *end = p + run->pending.len;
  while (p && p < end && !im->error) {
    uint64_t line, col;
    memcpy(&line, p, 8);
    memcpy(&col, p + 8, 8);
    NgTerm t[3];
    p += 16;
    for (int i = 0; i < 3; ++i)
      p = get_term_bytes(p, &t[i]);
    NgStatus st = write_statement(im, run->iri, &run->id, &t[0], &t[1], &t[2]);
    if (st) fail_at(im, st, (unsigned long)line, (unsigned long)col);
  }
  im->pending_bytes -= run->pending.len;
  ng_buf_free(&run->pending);
  run->holding = false;
  return im->error;
}

static NgStatus hold(Import *im, GraphRun *run, unsigned long line, unsigned long col) {
  uint64_t at[2] = {line, col};
  NgStatus st = ng_buf_append(&run->pending, (const char *)at, sizeof at);
  if (!st) st = ng_buf_append(&run->pending, im->scratch.data, im->scratch.len);
  im->pending_bytes += sizeof at + im->scratch.len;
  for (size_t i = 0; !st && im->pending_bytes > PENDING_MAX && i < im->nruns; ++i)
    if (im->run_list[i]->holding) st = write_pending(im, im->run_list[i]);
  return st;
}

static NgStatus parse_here(Import *im);

/* The second reading wrote the held graphs: what it read of them must be
 * what the first reading hashed (a file changed meanwhile is refused:
 * the fingerprints would name statements that were not written). */
static NgStatus reread_held(Import *im) {
  im->rereading = true;
  for (size_t i = 0; i < im->nruns; ++i)
    if (im->run_list[i]->reread) sha256_init(&im->run_list[i]->hash);
  NgStatus st = parse_here(im);
  im->rereading = false;
  for (size_t i = 0; i < im->nruns && !st; ++i) {
    GraphRun *run = im->run_list[i];
    unsigned char again[NG_QS_FINGERPRINT_SIZE];
    if (!run->reread) continue;
    sha256_digest(&run->hash, sizeof again, again);
    if (memcmp(again, run->fp, sizeof again)) {
      tell(im, NG_ERR_IO, 0, 0, "the file changed while it was read; nothing of it was imported");
      st = NG_ERR_IO;
    }
  }
  return st;
}

/* At the end of a file read without error: what is held is dropped when
 * the store has it, else written (from memory, or from the file read
 * again); every graph written gets its new fingerprint. */
static NgStatus finish_graphs(Import *im) {
  NgStatus st = NG_SUCCESS;
  bool reread = false;
  for (size_t i = 0; i < im->nruns && !st; ++i) {
    GraphRun *run = im->run_list[i];
    sha256_digest(&run->hash, sizeof run->fp, run->fp);
    if (run->holding && !memcmp(run->fp, run->expected, sizeof run->fp)) continue; /* all there */
    if (run->holding && im->rereadable) reread = run->reread = true;
    else if (run->holding) st = write_pending(im, run);
    run->holding = false;
  }
  if (!st && reread) st = reread_held(im);
  for (size_t i = 0; i < im->nruns && !st; ++i) {
    GraphRun *run = im->run_list[i];
    if (run->id && !run->holding) st = ng_qs_set_graph_fingerprint(im->txn, run->id, run->fp);
  }
  return st;
}

/* A statement as it arrives: into the write transaction (the transaction
 * is dropped if the file turns out bad), or held back (above); after the
 * first bad one the rest is only received (the file is refused). */
static void add_statement(Import *im, unsigned long line, unsigned long col, const NgTerm *graph,
                          NgTerm *s, NgTerm *p, NgTerm *o) {
  if (im->error) return;
  const char *g = target_graph(im, graph);
  NgStatus st = rename_blank(im, s, &im->labels[0]);
  if (!st) st = rename_blank(im, p, &im->labels[1]);
  if (!st) st = rename_blank(im, o, &im->labels[2]);
  if (!st && (s->kind == NG_TERM_LITERAL || p->kind != NG_TERM_IRI)) st = NG_ERR_SYNTAX;
  if (!st && !im->fingerprints) {
    NgId gid = im->graph;
    st = write_statement(im, g, &gid, s, p, o);
  } else if (!st) {
    GraphRun *run;
    ng_buf_clear(&im->scratch);
    st = graph_run(im, g, &run);
    if (!st && im->rereading && !run->reread) return; /* written or skipped before */
    if (!st) st = put_term_bytes(&im->scratch, s);
    if (!st) st = put_term_bytes(&im->scratch, p);
    if (!st) st = put_term_bytes(&im->scratch, o);
    if (!st) sha256_update(&run->hash, im->scratch.len, (const uint8_t *)im->scratch.data);
    if (!st && run->holding && !im->rereadable) st = hold(im, run, line, col);
    else if (!st && !run->holding) st = write_statement(im, g, &run->id, s, p, o);
  }
  if (st) fail_at(im, st, line, col);
}

static void take_statement(Import *im, Cursor *c) {
  unsigned long line = (unsigned long)get_varint(c), col = (unsigned long)get_varint(c);
  NgTerm g, s, p, o;
  bool has_graph = get_term(c, &g);
  bool complete = get_term(c, &s) && get_term(c, &p) && get_term(c, &o);
  if (c->more || c->bad) return;
  if (!complete) { /* a triple without its subject, predicate or object */
    c->bad = true;
    return;
  }
  add_statement(im, line, col, has_graph ? &g : NULL, &s, &p, &o);
}

static void take_diagnostic(Import *im, Cursor *c) {
  if (c->p >= c->end) {
    c->more = true;
    return;
  }
  unsigned level = (unsigned char)*c->p++;
  uint64_t status = get_varint(c), line = get_varint(c), col = get_varint(c);
  const char *file = get_str(c), *message = get_str(c);
  if (c->more || c->bad) return;
  if (level > NG_LEVEL_NOTE || status > NG_ERR_INTERRUPTED || !message) {
    c->bad = true;
    return;
  }
  if (!im->quiet)
    ng_report(im->store->world, (NgStatus)status, (NgLevel)level, file, (unsigned long)line,
            (unsigned long)col, "%s", message);
}

/* How the child's stream ended: with its end record (and its status). */
typedef struct {
  bool ended, bad;
  NgStatus status;
} Received;

/* Decode the complete records of data[0..len); returns the bytes used. */
static size_t take_records(Import *im, const char *data, size_t len, Received *r) {
  Cursor c = {data, data + len, false, false};
  const char *done = data;
  while (c.p < c.end && !r->bad) {
    if (r->ended) { /* nothing may follow the end */
      r->bad = true;
      break;
    }
    char tag = *c.p++;
    if (tag == REC_STATEMENT) {
      take_statement(im, &c);
    } else if (tag == REC_DIAGNOSTIC) {
      take_diagnostic(im, &c);
    } else if (tag == REC_END) {
      uint64_t status = get_varint(&c);
      if (!c.more && status > NG_ERR_INTERRUPTED) c.bad = true;
      if (!c.more && !c.bad) {
        r->ended = true;
        r->status = (NgStatus)status;
      }
    } else {
      c.bad = true;
    }
    if (c.more) break; /* the rest of this record is still in the pipe */
    r->bad = c.bad;
    done = c.p;
  }
  return (size_t)(done - data);
}

/* Read the child's records to the end of the pipe. */
/* The parser's memory: RDF/XML entities can make a small file expand to
 * gigabytes inside libxml2 (a 100 KB entity used 50,000 times in 250 KB of
 * file grew past 15.9 GB), and a parser that outgrows any sensible bound
 * is stopped.  Raptor's Turtle parser holds the whole file, so the bound
 * grows with it. */
#define PARSER_MEMORY_BASE ((uint64_t)1 << 30)
#define PARSER_MEMORY_PER_BYTE 4

static uint64_t child_resident(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
  FILE *f = fopen(path, "r");
  unsigned long long size = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%llu %llu", &size, &resident) != 2) resident = 0;
    fclose(f);
  }
  return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* Waits until fd has data or the end, checking the child's memory every
 * tenth of a second meanwhile: NG_ERR_TOO_LARGE when it is over its bound
 * (then killed), NG_ERR_INTERRUPTED when a stop is asked (a signal that
 * lands in poll() must not leave the wait to a read() that blocks while
 * the child grows on). */
static NgStatus wait_for_data(Import *im, int fd, pid_t pid, uint64_t bound) {
  for (;;) {
    if (ng_world_stop_requested(im->store->world)) return NG_ERR_INTERRUPTED;
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, 100);
    if (n > 0) return NG_SUCCESS; /* data or the end: read() tells which */
    if (n < 0 && errno != EINTR) return NG_ERR_IO;
    if (child_resident(pid) <= bound) continue;
    kill(pid, SIGKILL);
    tell(im, NG_ERR_TOO_LARGE, 0, 0,
         "the RDF parser grew past %llu MB on this file (entities that expand too far?); "
         "it was stopped and nothing was imported",
         (unsigned long long)(bound >> 20));
    return NG_ERR_TOO_LARGE;
  }
}

static NgStatus receive(Import *im, int fd, pid_t pid, Received *r) {
  NgBuf in = NG_BUF_INIT;
  NgStatus st = NG_SUCCESS;
  uint64_t bound = PARSER_MEMORY_BASE + PARSER_MEMORY_PER_BYTE * im->file_size;
  for (;;) {
    if ((st = ng_buf_reserve(&in, CHUNK))) break;
    if ((st = wait_for_data(im, fd, pid, bound))) break;
    ssize_t n = read(fd, in.data + in.len, CHUNK);
    if (n < 0 && errno == EINTR) {
      if (ng_world_stop_requested(im->store->world)) {
        st = NG_ERR_INTERRUPTED;
        break;
      }
      continue;
    }
    if (n < 0) {
      st = NG_ERR_IO;
      break;
    }
    if (n == 0) break;
    in.len += (size_t)n;
    size_t used = take_records(im, in.data, in.len, r);
    if (used) { /* (not while one long record comes in: that would be quadratic) */
      memmove(in.data, in.data + used, in.len - used);
      in.len -= used;
    }
  }
  if (!st && in.len) r->bad = true; /* a record cut short */
  ng_buf_free(&in);
  return st;
}

static void report_crash(Import *im, int wstatus) {
  char how[64];
  if (WIFSIGNALED(wstatus))
    snprintf(how, sizeof how, "killed by signal %d", WTERMSIG(wstatus));
  else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus))
    snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(wstatus));
  else
    snprintf(how, sizeof how, "its output is damaged");
  tell(im, NG_ERR_SYNTAX, 0, 0, "the RDF parser crashed on this file (%s); nothing was imported",
       how);
}

/* Parse in a child process; its statements go into im->txn. */
static NgStatus parse_in_child(Import *im) {
  /* made here once, not in every child */
  if (!ng_rdf_raptor(ng_store_rdf(im->store))) return NG_ERR_NOMEM;
  int fds[2];
  pid_t parent = getpid(), pid = -1;
  if (pipe(fds) == 0 && (pid = fork()) < 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    errno = err;
  }
  if (pid < 0) {
    tell(im, NG_ERR_IO, 0, 0, "cannot start the RDF parser: %s", strerror(errno));
    return NG_ERR_IO;
  }
  if (pid == 0) {
    close(fds[0]);
    run_child(im, fds[1], parent);
  }
  close(fds[1]);
  Received r = {false, false, NG_SUCCESS};
  NgStatus st = receive(im, fds[0], pid, &r);
  close(fds[0]);
  if (st) kill(pid, SIGKILL); /* stopped, too large, or the pipe failed */
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (st) return st;
  if (!r.ended || r.bad || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus)) {
    report_crash(im, wstatus);
    return NG_ERR_SYNTAX;
  }
  if (!r.status && im->error) report_bad_triple(im);
  return r.status ? r.status : im->error;
}

/* ======================================= N-Triples and N-Quads, here */

/* The line formats are read in this process (nquads.c says why): no
 * child, no Redland, the statements straight into the transaction. */
static bool line_format(const char *syntax) {
  return !strcmp(syntax, "nquads") || !strcmp(syntax, "ntriples");
}

static NgStatus take_parsed(void *ctx, unsigned long line, unsigned long col, const NgTerm *graph,
                            NgTerm *s, NgTerm *p, NgTerm *o) {
  Import *im = ctx;
  add_statement(im, line, col, graph, s, p, o);
  return im->error;
}

static NgStatus parse_here(Import *im) {
  FILE *f;
  NgStatus st;
  NG_TRY(st, open_file(im, &f));
  NgNquads *nq = ng_nquads_new(!strcmp(im->syntax, "nquads"), take_parsed, im);
  /* One chunk, reused: a buffer of 1 MB cost a small file (one article:
   * 900 KB) 230 page faults of fresh memory, the kernel zeroing each page
   * before read() filled it (12% of the CPU of one more article) */
  char *buf = nq ? malloc(CHUNK) : NULL;
  size_t n;
  st = buf ? NG_SUCCESS : NG_ERR_NOMEM;
  while (!st && (n = fread(buf, 1, CHUNK, f)) > 0) {
    st = ng_nquads_feed(nq, buf, n);
    if (!st && ng_world_stop_requested(im->store->world)) st = NG_ERR_INTERRUPTED;
  }
  if (!st && ferror(f)) {
    tell(im, NG_ERR_IO, 0, 0, "cannot read: %s", strerror(errno));
    st = NG_ERR_IO;
  }
  if (!st) st = ng_nquads_end(nq);
  unsigned long line = 0, col = 0;
  const char *why = nq ? ng_nquads_error(nq, &line, &col) : NULL;
  if (why) tell(im, NG_ERR_SYNTAX, line, col, "%s", why);
  else if (st && im->error) report_bad_triple(im);
  free(buf);
  ng_nquads_free(nq);
  fclose(f);
  return st;
}

static NgStatus parse_file_into_txn(Import *im) {
  return line_format(im->syntax) ? parse_here(im) : parse_in_child(im);
}

/* -------------------------------------------------------------- import */

/* The blank node prefix: a hash of the file's bytes. */
static NgStatus hash_file(Import *im) {
  FILE *f;
  NgStatus st;
  NG_TRY(st, open_file(im, &f));
  char buf[CHUNK];
  uint64_t h = 0x6e6577736772ull;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    h = ng_hash_combine(h, ng_hash_bytes(buf, n));
    im->file_size += n;
  }
  if (ferror(f)) st = NG_ERR_IO;
  fclose(f);
  if (st) tell(im, st, 0, 0, "cannot read: %s", strerror(errno));
  snprintf(im->blank_prefix, sizeof im->blank_prefix, "b%016llxx", (unsigned long long)h);
  return st;
}

static void import_free(Import *im) {
  ng_qs_txn_abort(im->txn); /* (NULL after a commit) */
  for (size_t i = 0; i < im->nruns; ++i)
    run_free(im->run_list[i]);
  free(im->run_list);
  ng_map_free(im->runs);
  ng_buf_free(&im->scratch);
  for (int i = 0; i < 3; ++i)
    ng_buf_free(&im->labels[i]);
  if (im->parser) raptor_free_parser(im->parser);
  ng_buf_free(&im->channel.buf);
}

/* Parse and write in one transaction, committed only when the whole file
 * was read without error. */
static NgStatus run_import(Import *im) {
  NgStatus st;
  NG_TRY(st, hash_file(im));
  if (!(im->txn = ng_qs_txn_begin(im->store->qs, true, &st))) return st;
  NG_TRY(st, parse_file_into_txn(im));
  if (ng_world_stop_requested(im->store->world)) return NG_ERR_INTERRUPTED;
  if ((st = finish_graphs(im))) {
    if (im->error && !im->rereadable) report_bad_triple(im); /* (a second reading told it) */
    return st;
  }
  st = ng_qs_txn_commit(im->txn);
  im->txn = NULL;
  return st;
}

/* Standard input is read more than once (hashed, parsed, re-read to place
 * an error): it goes into a temporary file first, unlinked at once so that
 * nothing is left behind whatever ends the process, and read back through
 * its /proc/self/fd name (which the parser's child inherits). */
static NgStatus spool_stdin(NgStore *store, int *fd, char *path, size_t size) {
  const char *dir = getenv("TMPDIR");
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s/newsgraph-stdin-XXXXXX", dir && dir[0] ? dir : "/tmp");
  if ((*fd = mkstemp(tmp)) < 0) {
    ng_report(store->world, NG_ERR_IO, NG_LEVEL_ERROR, "<stdin>", 0, 0,
              "cannot make a temporary file in %s: %s", dir && dir[0] ? dir : "/tmp", strerror(errno));
    return NG_ERR_IO;
  }
  unlink(tmp);
  snprintf(path, size, "/proc/self/fd/%d", *fd);
  char buf[CHUNK];
  for (;;) {
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (ng_world_stop_requested(store->world)) return NG_ERR_INTERRUPTED;
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return NG_SUCCESS;
    bool failed = n < 0;
    for (ssize_t done = 0; !failed && done < n;) {
      ssize_t w = write(*fd, buf + done, (size_t)(n - done));
      if (w > 0) done += w;
      else if (errno != EINTR) failed = true;
    }
    if (failed) {
      ng_report(store->world, NG_ERR_IO, NG_LEVEL_ERROR, "<stdin>", 0, 0, "cannot spool: %s",
                strerror(errno));
      return NG_ERR_IO;
    }
  }
}

/* NG_SYNTAX_GUESS: what the first 8 KiB say, the name as the hint. */
static NgSyntax sniff_file(const char *path, const char *name) {
  char head[8192];
  size_t n = 0;
  FILE *f = fopen(path, "rb");
  if (f) {
    n = fread(head, 1, sizeof head, f);
    fclose(f);
  }
  return ng_syntax_sniff(head, n, name, NULL);
}

NgStatus ng_store_import(NgStore *store, const char *path, NgSyntax syntax, const char *graph_iri) {
  if (store->mode != NG_STORE_WRITE || !store->qs) {
    ng_report(store->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, store->dir, 0, 0,
              "the store is open for reading only");
    return NG_ERR_BAD_ARG;
  }
  /* what the caller gave before goes first, and no transaction is open
   * while the parser's process runs */
  NgStatus st = ng_store_sync(store);
  if (st) return st;
  Import im;
  memset(&im, 0, sizeof im);
  im.store = store;
  im.path = im.name = im.base = path;
  im.fingerprints = true;
  char spooled[64];
  int spool_fd = -1;
  if (!strcmp(path, "-")) {
    im.path = spooled;
    im.name = "<stdin>";
    im.base = "stdin";
    if ((st = spool_stdin(store, &spool_fd, spooled, sizeof spooled))) {
      if (spool_fd >= 0) close(spool_fd);
      return st;
    }
  }
  if (syntax == NG_SYNTAX_GUESS) syntax = sniff_file(im.path, spool_fd >= 0 ? NULL : path);
  im.syntax = parser_name(syntax);
  im.rereadable = line_format(im.syntax);
  char *named = graph_iri ? NULL : graph_for_file(im.base);
  im.default_graph = graph_iri ? graph_iri : named;
  st = im.default_graph ? run_import(&im) : NG_ERR_NOMEM;
  import_free(&im);
  free(named);
  if (spool_fd >= 0) close(spool_fd);
  return st;
}

NgStatus ng_store_load_file(NgStore *store, NgQsTxn *txn, const char *path, const char *syntax,
                            NgId graph, const char *blank_prefix, bool quiet) {
  Import im;
  memset(&im, 0, sizeof im);
  im.store = store;
  im.path = im.name = im.base = path;
  im.syntax = syntax;
  im.graph = graph;
  im.quiet = quiet;
  im.txn = txn; /* the caller's: neither committed nor aborted here */
  /* a query names any path: /dev/zero or a pipe would be read for ever */
  struct stat sb;
  if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
    tell(&im, NG_ERR_IO, 0, 0, "not a regular file");
    return NG_ERR_IO;
  }
  NgStatus st = hash_file(&im);
  snprintf(im.blank_prefix, sizeof im.blank_prefix, "%s", blank_prefix);
  if (!st) st = parse_file_into_txn(&im);
  if (!st && ng_world_stop_requested(store->world)) st = NG_ERR_INTERRUPTED;
  im.txn = NULL;
  import_free(&im);
  return st;
}
