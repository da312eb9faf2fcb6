/* server.c - `newsgraph serve`: the SPARQL 1.1 Protocol over a store, on
 * libmicrohttpd (Debian's libmicrohttpd-dev: HTTP/1.1 parsing, keep-alive,
 * connection limits and idle timeouts are its job, not ours).
 *
 * Threads.  libmicrohttpd runs one polling thread that reads requests and
 * writes answers and never waits for a query: a request that needs the
 * store is suspended and queued for one of a fixed number of workers, which
 * runs it into a memory buffer and resumes the connection with the answer.
 * A full queue answers 503 at once, so a flood costs memory for the queue
 * only.  Each worker owns an NgWorld (its diagnostics become the answer's
 * error text, its stop flag ends its query at shutdown) and a read handle
 * on the store; every request is a read transaction of its own, a snapshot
 * of the last commit, never waiting for a writer.
 *
 * Requests are decoded here, strictly: the URL is taken raw (the URI log
 * callback) and percent-decoded by us, so that a malformed escape or text
 * that is not UTF-8 is refused with 400 instead of being passed on as
 * libmicrohttpd's lenient decoder would.  A request line or headers past
 * libmicrohttpd's memory pool (32 KiB) get its 414 or 431; bodies past
 * max_request get 413.
 *
 * Safety: SERVICE is refused by the engine (the world never allows it);
 * updates need allow_update and the bearer token, and LOAD is refused
 * whatever the token (it would read the server's files). */
#define _GNU_SOURCE /* fopencookie */
#include "query.h"
#include "sparql-engine.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;
#else
typedef enum MHD_Result MHD_Result_t;
#endif

enum { MAX_GRAPH_PARAMS = 64, MAX_ERROR_TEXT = 4096 };

/* ============================================================= requests */

typedef enum { REQ_NEW, REQ_READING, REQ_QUEUED, REQ_ANSWERED } ReqState;

typedef enum { JOB_QUERY, JOB_UPDATE, JOB_GRAPH } JobKind;

typedef struct Request {
  struct NgServerImpl *server;
  struct MHD_Connection *conn;
  ReqState state;
  char *uri;        /* raw, as sent */
  NgBuf body;       /* POST body */
  bool body_too_large;
  struct Request *next; /* in the queue */
  /* the job */
  JobKind kind;
  char *text;       /* the query or update (owned) */
  char *graph;      /* /store ?graph= (NULL: the default graph) */
  char *defaults[MAX_GRAPH_PARAMS + 1], *named[MAX_GRAPH_PARAMS + 1];
  size_t ndefaults, nnamed;
  NgResultsFormat results;
  NgSyntax syntax;
  const char *mime;
  /* the answer a worker made */
  struct MHD_Response *response;
  unsigned code;
} Request;

typedef struct {
  struct NgServerImpl *server;
  pthread_t thread;
  bool started;
  NgWorld *world;
  NgStore *store;
  NgBuf errors; /* diagnostics of the request being run */
} Worker;

struct NgServerImpl {
  NgWorld *world; /* the caller's: startup errors */
  NgServerOptions opt;
  char *store_dir, *web_dir, *examples_dir, *token;
  struct MHD_Daemon *daemon;
  unsigned port;
  Worker *workers;
  unsigned nworkers;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  Request *head, *tail; /* the queue */
  unsigned queued;
  unsigned suspended; /* connections waiting for a worker's answer */
  bool stopping;
  int stop_pipe[2];
  volatile sig_atomic_t stop_asked;
};

void ng_server_options_init(NgServerOptions *o) {
  memset(o, 0, sizeof *o);
  o->threads = 4;
  o->queue = 64;
  o->max_connections = 256;
  o->timeout = 30;
  o->max_rows = 100000;
  o->max_answer = (size_t)64 << 20;
  o->max_request = (size_t)1 << 20;
  o->idle_timeout = 10;
}

static void request_clear_job(Request *r) {
  free(r->text);
  free(r->graph);
  for (size_t i = 0; i < r->ndefaults; ++i)
    free(r->defaults[i]);
  for (size_t i = 0; i < r->nnamed; ++i)
    free(r->named[i]);
  r->text = r->graph = NULL;
  r->ndefaults = r->nnamed = 0;
}

static void request_free(Request *r) {
  if (!r) return;
  request_clear_job(r);
  if (r->response) MHD_destroy_response(r->response);
  ng_buf_free(&r->body);
  free(r->uri);
  free(r);
}

/* ============================================================ answers */

static void add_common_headers(struct MHD_Response *resp) {
  MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Server", "newsgraph");
}

/* A response owning a copy of data. */
static struct MHD_Response *response_new(const char *data, size_t len, const char *mime) {
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
  if (!resp) return NULL;
  if (mime) MHD_add_response_header(resp, "Content-Type", mime);
  add_common_headers(resp);
  return resp;
}

/* A response taking buf's memory. */
static struct MHD_Response *response_take(NgBuf *buf, const char *mime) {
  size_t len = buf->len;
  char *data = ng_buf_take(buf);
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(len, data ? data : (void *)"",
                                      data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  if (!resp) {
    free(data);
    return NULL;
  }
  if (mime) MHD_add_response_header(resp, "Content-Type", mime);
  add_common_headers(resp);
  return resp;
}

static MHD_Result_t send_response(struct MHD_Connection *conn, unsigned code,
                                  struct MHD_Response *resp) {
  if (!resp) return MHD_NO;
  MHD_Result_t rc = MHD_queue_response(conn, code, resp);
  MHD_destroy_response(resp);
  return rc;
}

/* An error answer: one line of text (the SPARQL Protocol leaves the body's
 * form open; every server sends text). */
static MHD_Result_t send_error(struct MHD_Connection *conn, unsigned code, const char *fmt, ...)
    NG_PRINTF(3, 4);
static MHD_Result_t send_error(struct MHD_Connection *conn, unsigned code, const char *fmt, ...) {
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(text, sizeof text - 1, fmt, ap);
  va_end(ap);
  size_t len = n < 0 ? 0 : (size_t)n < sizeof text - 1 ? (size_t)n : sizeof text - 2;
  text[len++] = '\n';
  struct MHD_Response *resp = response_new(text, len, "text/plain; charset=utf-8");
  if (resp && code == 401) MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
  if (resp && code == 503) MHD_add_response_header(resp, "Retry-After", "1");
  if (resp && code == 405) MHD_add_response_header(resp, "Allow", "GET, HEAD, POST, OPTIONS");
  return send_response(conn, code, resp);
}

/* ======================================================== URL decoding */

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Percent-decodes s[0..len) (and '+' as a space when form is true) into a
 * new string: NULL when an escape is malformed, the result holds a NUL or
 * is not UTF-8 (*bad tells which), or memory ran out. */
static char *url_decode(const char *s, size_t len, bool form, const char **bad) {
  char *out = malloc(len + 1);
  size_t n = 0;
  *bad = NULL;
  if (!out) return NULL;
  for (size_t i = 0; i < len; ++i) {
    char c = s[i];
    if (c == '%') {
      int hi = i + 2 < len ? hex_value(s[i + 1]) : -1;
      int lo = i + 2 < len ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        *bad = "a malformed percent-escape";
        break;
      }
      c = (char)(hi * 16 + lo);
      i += 2;
      if (!c) {
        *bad = "an encoded NUL byte";
        break;
      }
    } else if (c == '+' && form) {
      c = ' ';
    }
    out[n++] = c;
  }
  out[n] = '\0';
  if (!*bad && !ng_utf8_check(out, n, NULL)) *bad = "text that is not UTF-8";
  if (*bad) {
    free(out);
    return NULL;
  }
  return out;
}

/* The parameters of a query string or a URL-encoded body that the
 * protocols name; others are ignored, as the protocol allows. */
typedef struct {
  char *query, *update, *graph, *format;
  bool has_default;
  char *defaults[MAX_GRAPH_PARAMS + 1], *named[MAX_GRAPH_PARAMS + 1];
  size_t ndefaults, nnamed;
} Params;

static void params_free(Params *p) {
  free(p->query);
  free(p->update);
  free(p->graph);
  free(p->format);
  for (size_t i = 0; i < p->ndefaults; ++i)
    free(p->defaults[i]);
  for (size_t i = 0; i < p->nnamed; ++i)
    free(p->named[i]);
  memset(p, 0, sizeof *p);
}

/* Stores one name=value pair; an error message or NULL. */
static const char *param_set(Params *p, const char *name, char *value) {
  char **slot = !strcmp(name, "query")    ? &p->query
                : !strcmp(name, "update") ? &p->update
                : !strcmp(name, "graph")  ? &p->graph
                : !strcmp(name, "format") ? &p->format
                                          : NULL;
  if (slot) {
    if (*slot) {
      free(value);
      return "a parameter given twice";
    }
    *slot = value;
    return NULL;
  }
  bool dflt = !strcmp(name, "default-graph-uri"), nmd = !strcmp(name, "named-graph-uri");
  if (dflt || nmd) {
    size_t *n = dflt ? &p->ndefaults : &p->nnamed;
    if (*n == MAX_GRAPH_PARAMS) {
      free(value);
      return "more than 64 graphs";
    }
    (dflt ? p->defaults : p->named)[(*n)++] = value;
    return NULL;
  }
  if (!strcmp(name, "default")) p->has_default = true;
  free(value);
  return NULL;
}

/* Parses "a=1&b=2" into p; an error message or NULL. */
static const char *params_parse(Params *p, const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    size_t end = i;
    while (end < len && s[end] != '&')
      end++;
    size_t eq = i;
    while (eq < end && s[eq] != '=')
      eq++;
    const char *bad = NULL;
    char *name = url_decode(s + i, eq - i, true, &bad);
    char *value = name ? url_decode(s + eq + (eq < end), end - eq - (eq < end), true, &bad) : NULL;
    if (!name || !value) {
      free(name);
      return bad ? bad : "out of memory";
    }
    const char *err = param_set(p, name, value);
    free(name);
    if (err) return err;
    i = end + 1;
  }
  return NULL;
}

/* ===================================================== negotiation */

typedef struct {
  const char *type;
  int format; /* NgResultsFormat or NgSyntax */
  const char *mime;
} MediaType;

static const MediaType results_types[] = {
    {"application/sparql-results+json", NG_RESULTS_JSON, "application/sparql-results+json"},
    {"application/json", NG_RESULTS_JSON, "application/sparql-results+json"},
    {"application/sparql-results+xml", NG_RESULTS_XML, "application/sparql-results+xml"},
    {"application/xml", NG_RESULTS_XML, "application/sparql-results+xml"},
    {"text/xml", NG_RESULTS_XML, "application/sparql-results+xml"},
    {"text/csv", NG_RESULTS_CSV, "text/csv; charset=utf-8"},
    {"text/tab-separated-values", NG_RESULTS_TSV, "text/tab-separated-values; charset=utf-8"},
    {"text/*", NG_RESULTS_CSV, "text/csv; charset=utf-8"},
    {"application/*", NG_RESULTS_JSON, "application/sparql-results+json"},
    {"*/*", NG_RESULTS_JSON, "application/sparql-results+json"},
    {NULL, 0, NULL}};

static const MediaType graph_types[] = {
    {"text/turtle", NG_SYNTAX_TURTLE, "text/turtle; charset=utf-8"},
    {"application/x-turtle", NG_SYNTAX_TURTLE, "text/turtle; charset=utf-8"},
    {"application/n-triples", NG_SYNTAX_NTRIPLES, "application/n-triples"},
    {"text/plain", NG_SYNTAX_NTRIPLES, "application/n-triples"},
    {"application/n-quads", NG_SYNTAX_NQUADS, "application/n-quads"},
    {"application/rdf+xml", NG_SYNTAX_RDFXML, "application/rdf+xml"},
    {"application/xml", NG_SYNTAX_RDFXML, "application/rdf+xml"},
    {"text/*", NG_SYNTAX_TURTLE, "text/turtle; charset=utf-8"},
    {"application/*", NG_SYNTAX_TURTLE, "text/turtle; charset=utf-8"},
    {"*/*", NG_SYNTAX_TURTLE, "text/turtle; charset=utf-8"},
    {NULL, 0, NULL}};

/* format= names, for links (a CSV download) that cannot set Accept. */
static const struct {
  const char *name;
  const char *type;
} format_names[] = {{"json", "application/sparql-results+json"},
                    {"xml", "application/sparql-results+xml"},
                    {"csv", "text/csv"},
                    {"tsv", "text/tab-separated-values"},
                    {"turtle", "text/turtle"},
                    {"ttl", "text/turtle"},
                    {"ntriples", "application/n-triples"},
                    {"nt", "application/n-triples"},
                    {"nquads", "application/n-quads"},
                    {"nq", "application/n-quads"},
                    {"rdfxml", "application/rdf+xml"}};

static const MediaType *media_lookup(const MediaType *table, const char *type, size_t len) {
  for (const MediaType *m = table; m->type; ++m)
    if (strlen(m->type) == len && !strncasecmp(m->type, type, len)) return m;
  return NULL;
}

/* The best entry of table for an Accept header (NULL header: anything):
 * highest q first, then the order of the header. */
static const MediaType *negotiate(const MediaType *table, const char *accept) {
  if (!accept || !*accept) accept = "*/*";
  const MediaType *best = NULL;
  double best_q = 0;
  const char *p = accept;
  while (*p) {
    while (*p == ' ' || *p == ',')
      p++;
    const char *type = p;
    while (*p && *p != ';' && *p != ',' && *p != ' ')
      p++;
    size_t tlen = (size_t)(p - type);
    double q = 1;
    while (*p && *p != ',') {
      if (*p == ';') {
        p++;
        while (*p == ' ')
          p++;
        if (p[0] == 'q' && p[1] == '=') q = strtod(p + 2, NULL);
      } else {
        p++;
      }
    }
    const MediaType *m = tlen ? media_lookup(table, type, tlen) : NULL;
    if (m && q > best_q) {
      best = m;
      best_q = q;
    }
  }
  return best;
}

/* =========================================================== workers */

/* A FILE that writes into an NgBuf and fails past a limit. */
typedef struct {
  NgBuf *buf;
  size_t max;
  bool overflow;
} CapOut;

static ssize_t cap_write(void *cookie, const char *data, size_t len) {
  CapOut *c = cookie;
  if (c->buf->len + len > c->max) {
    c->overflow = true;
    errno = EFBIG;
    return -1;
  }
  return ng_buf_append(c->buf, data, len) ? -1 : (ssize_t)len;
}

static void collect_error(void *handle, const NgError *e) {
  Worker *w = handle;
  if (e->level != NG_LEVEL_ERROR || w->errors.len > MAX_ERROR_TEXT) return;
  ng_buf_printf(&w->errors, "error: ");
  if (e->file && e->line)
    ng_buf_printf(&w->errors, "%s:%lu:%lu: ", e->file, e->line, e->col);
  ng_buf_printf(&w->errors, "%s\n", e->message);
}

/* The HTTP status for a failed request. */
static unsigned status_code(NgStatus st, bool stopping) {
  switch (st) {
  case NG_ERR_SYNTAX:
  case NG_ERR_BAD_ARG:
  case NG_ERR_ENCODING: return 400;
  case NG_ERR_INTERRUPTED: return 503;
  case NG_ERR_LOCKED: return 503;
  default: return stopping ? 503 : 500;
  }
}

/* Answer an error with the worker's diagnostics (or what happened). */
static void answer_error(Worker *w, Request *r, unsigned code, const char *fallback) {
  if (!w->errors.len) ng_buf_printf(&w->errors, "error: %s\n", fallback);
  r->code = code;
  r->response = response_take(&w->errors, "text/plain; charset=utf-8");
  if (r->response && code == 503) MHD_add_response_header(r->response, "Retry-After", "1");
}

static NgStatus run_query(Worker *w, Request *r, FILE *out) {
  NgServerOptions *o = &w->server->opt;
  NgQueryOptions qo;
  ng_query_options_init(&qo);
  qo.timeout = o->timeout;
  qo.max_rows = o->max_rows;
  if (r->ndefaults || r->nnamed) {
    qo.default_graphs = (const char *const *)r->defaults;
    qo.named_graphs = (const char *const *)r->named;
  }
  return ng_store_query_as(w->store, r->text, "query", &qo, r->results, r->syntax, out);
}

static NgStatus run_update(Worker *w, Request *r) {
  NgStatus st;
  NgStore *store = ng_store_open(w->world, w->server->store_dir, NG_STORE_WRITE, &st);
  if (!store) return st;
  NgQueryOptions qo;
  ng_query_options_init(&qo);
  qo.timeout = w->server->opt.timeout;
  if (r->ndefaults) qo.default_graphs = (const char *const *)r->defaults;
  st = ng_store_update(store, r->text, "update", &qo);
  NgStatus closed = ng_store_close(store);
  return st ? st : closed;
}

static void run_job(Worker *w, Request *r) {
  NgServerOptions *o = &w->server->opt;
  NgBuf answer = NG_BUF_INIT;
  CapOut cap = {&answer, o->max_answer ? o->max_answer : SIZE_MAX, false};
  cookie_io_functions_t io = {NULL, cap_write, NULL, NULL};
  FILE *out = fopencookie(&cap, "w", io);
  ng_buf_clear(&w->errors);
  w->world->errors = 0;
  NgStatus st = out ? NG_SUCCESS : NG_ERR_NOMEM;
  if (!st) {
    if (r->kind == JOB_QUERY) st = run_query(w, r, out);
    else if (r->kind == JOB_GRAPH) st = ng_store_export(w->store, r->syntax, r->graph, out);
    else st = run_update(w, r);
    if (fclose(out) && !st) st = NG_ERR_IO;
  }
  bool stopping = ng_world_stop_requested(w->world);
  if (cap.overflow) {
    ng_buf_clear(&w->errors);
    ng_buf_printf(&w->errors, "error: the answer is larger than the server's limit of %zu bytes "
                              "(use LIMIT)\n", o->max_answer);
    answer_error(w, r, 500, "");
  } else if (st == NG_ERR_INTERRUPTED) {
    ng_buf_clear(&w->errors);
    if (stopping)
      ng_buf_printf(&w->errors, "error: the server is shutting down\n");
    else
      ng_buf_printf(&w->errors, "error: the query ran longer than the server's limit of %g s\n",
                    o->timeout);
    answer_error(w, r, 503, "");
  } else if (st == NG_ERR_TOO_LARGE && r->kind == JOB_QUERY) {
    answer_error(w, r, 500, "the answer is too large");
  } else if (st == NG_ERR_BAD_ARG && r->kind == JOB_GRAPH) {
    answer_error(w, r, 404, "no such graph");
  } else if (st) {
    answer_error(w, r, status_code(st, stopping), ng_strerror(st));
  } else if (r->kind == JOB_UPDATE) {
    r->code = 204;
    r->response = response_new("", 0, NULL);
  } else {
    r->code = 200;
    r->response = response_take(&answer, r->mime);
  }
  ng_buf_free(&answer);
}

/* Gives r its answer and wakes its connection (worker or shutdown). */
static void resume(struct NgServerImpl *s, Request *r) {
  r->state = REQ_ANSWERED;
  MHD_resume_connection(r->conn);
  (void)s;
}

static void *worker_main(void *arg) {
  Worker *w = arg;
  struct NgServerImpl *s = w->server;
  for (;;) {
    pthread_mutex_lock(&s->lock);
    while (!s->head && !s->stopping)
      pthread_cond_wait(&s->wake, &s->lock);
    Request *r = s->head;
    if (!r) {
      pthread_mutex_unlock(&s->lock);
      return NULL;
    }
    s->head = r->next;
    if (!s->head) s->tail = NULL;
    s->queued--;
    pthread_mutex_unlock(&s->lock);
    run_job(w, r);
    pthread_mutex_lock(&s->lock);
    resume(s, r);
    pthread_mutex_unlock(&s->lock);
  }
}

/* Queues r for a worker and suspends its connection; 503 when full. */
static MHD_Result_t enqueue(struct NgServerImpl *s, Request *r) {
  pthread_mutex_lock(&s->lock);
  if (s->stopping || s->queued >= s->opt.queue) {
    bool stopping = s->stopping;
    pthread_mutex_unlock(&s->lock);
    return send_error(r->conn, 503, "error: %s", stopping ? "the server is shutting down"
                                                          : "the server is busy: try again");
  }
  r->state = REQ_QUEUED;
  r->next = NULL;
  if (s->tail) s->tail->next = r;
  else s->head = r;
  s->tail = r;
  s->queued++;
  s->suspended++;
  MHD_suspend_connection(r->conn);
  pthread_cond_signal(&s->wake);
  pthread_mutex_unlock(&s->lock);
  return MHD_YES;
}

/* ================================================ service description */

static bool host_is_plain(const char *host) {
  if (!host || !*host || strlen(host) > 255) return false;
  for (const char *p = host; *p; ++p)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]", *p))
      return false;
  return true;
}

static MHD_Result_t send_description(struct NgServerImpl *s, Request *r) {
  NgBuf b = NG_BUF_INIT;
  const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
  ng_buf_puts(&b, "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
                  "@prefix fmt: <http://www.w3.org/ns/formats/> .\n\n"
                  "[] a sd:Service ;\n");
  if (host_is_plain(host)) ng_buf_printf(&b, "  sd:endpoint <http://%s/sparql> ;\n", host);
  ng_buf_printf(&b, "  sd:supportedLanguage sd:SPARQL11Query%s ;\n",
                s->opt.allow_update ? ", sd:SPARQL11Update" : "");
  ng_buf_puts(&b, "  sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML,\n"
                  "    fmt:SPARQL_Results_CSV, fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples,\n"
                  "    fmt:N-Quads, fmt:RDF_XML ;\n"
                  "  sd:feature sd:UnionDefaultGraph ;\n"
                  "  sd:defaultDataset [ a sd:Dataset ] .\n");
  if (!b.data) return send_error(r->conn, 500, "error: out of memory");
  return send_response(r->conn, 200, response_take(&b, "text/turtle; charset=utf-8"));
}

/* ========================================================= static files */

static bool plain_name(const char *name) {
  if (!*name || *name == '.' || strlen(name) > 128) return false;
  for (const char *p = name; *p; ++p)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p))
      return false;
  return true;
}

static const char *mime_of(const char *name) {
  static const struct {
    const char *ext, *mime;
  } types[] = {{".html", "text/html; charset=utf-8"},
               {".js", "text/javascript; charset=utf-8"},
               {".css", "text/css; charset=utf-8"},
               {".svg", "image/svg+xml"},
               {".png", "image/png"},
               {".json", "application/json"},
               {".rq", "application/sparql-query; charset=utf-8"},
               {".txt", "text/plain; charset=utf-8"}};
  const char *dot = strrchr(name, '.');
  for (size_t i = 0; dot && i < NG_COUNTOF(types); ++i)
    if (!strcmp(dot, types[i].ext)) return types[i].mime;
  return "application/octet-stream";
}

static MHD_Result_t send_file(Request *r, const char *dir, const char *name) {
  if (!dir || !plain_name(name)) return send_error(r->conn, 404, "error: not found");
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
    if (fd >= 0) close(fd);
    return send_error(r->conn, 404, "error: not found");
  }
  struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
  if (!resp) {
    close(fd);
    return MHD_NO;
  }
  MHD_add_response_header(resp, "Content-Type", mime_of(name));
  MHD_add_response_header(resp, "Cache-Control", "no-cache");
  /* the page talks to this server only, and runs no code it did not ship */
  MHD_add_response_header(resp, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
                          "frame-ancestors 'none'");
  add_common_headers(resp);
  return send_response(r->conn, 200, resp);
}

static void json_string(NgBuf *b, const char *s) {
  ng_buf_putc(b, '"');
  for (; *s; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') ng_buf_printf(b, "\\%c", c);
    else if (c < 0x20) ng_buf_printf(b, "\\u%04x", c);
    else ng_buf_putc(b, (char)c);
  }
  ng_buf_putc(b, '"');
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The example queries' file names, sorted, as JSON strings. */
static void list_examples(NgBuf *b, const char *dir) {
  DIR *d = dir ? opendir(dir) : NULL;
  char *names[256];
  size_t n = 0;
  struct dirent *e;
  while (d && n < NG_COUNTOF(names) && (e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len > 3 && !strcmp(e->d_name + len - 3, ".rq") && plain_name(e->d_name))
      if ((names[n] = strdup(e->d_name))) n++;
  }
  if (d) closedir(d);
  qsort(names, n, sizeof *names, compare_names);
  for (size_t i = 0; i < n; ++i) {
    if (i) ng_buf_putc(b, ',');
    json_string(b, names[i]);
    free(names[i]);
  }
}

/* What the page needs to know: the prefixes, the examples, the limits. */
static MHD_Result_t send_meta(struct NgServerImpl *s, Request *r) {
  NgBuf b = NG_BUF_INIT;
  ng_buf_printf(&b, "{\"version\":\"%s\",\"update\":%s,\"timeout\":%g,\"maxRows\":%llu,"
                    "\"prefixes\":{",
                ng_version(), s->opt.allow_update ? "true" : "false", s->opt.timeout,
                (unsigned long long)s->opt.max_rows);
  for (const NgPrefix *p = ng_prefixes(); p->prefix; ++p) {
    if (p != ng_prefixes()) ng_buf_putc(&b, ',');
    json_string(&b, p->prefix);
    ng_buf_putc(&b, ':');
    json_string(&b, p->ns);
  }
  ng_buf_puts(&b, "},\"examples\":[");
  list_examples(&b, s->examples_dir);
  ng_buf_puts(&b, "]}\n");
  if (!b.data) return send_error(r->conn, 500, "error: out of memory");
  return send_response(r->conn, 200, response_take(&b, "application/json"));
}

/* ============================================================ dispatch */

/* Constant-time comparison of the bearer token. */
static bool token_ok(struct NgServerImpl *s, struct MHD_Connection *conn) {
  const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
  if (!auth || strncasecmp(auth, "Bearer ", 7) || !s->token) return false;
  const char *given = auth + 7;
  size_t n = strlen(s->token), m = strlen(given);
  unsigned char diff = (unsigned char)(n != m);
  for (size_t i = 0; i < n; ++i)
    diff |= (unsigned char)(s->token[i] ^ (i < m ? given[i] : 0));
  return diff == 0;
}

/* LOAD would read the server's files: refused through the server. */
static bool has_load(const char *text) {
  size_t len = strlen(text), pos = 0, begin;
  NgTokKind kind;
  while ((kind = ng_sparql_token(text, len, &pos, &begin)) != NG_TOK_END)
    if (kind == NG_TOK_WORD && pos - begin == 4 && !strncasecmp(text + begin, "LOAD", 4))
      return true;
  return false;
}

static void take_graphs(Request *r, Params *p) {
  memcpy(r->defaults, p->defaults, sizeof p->defaults);
  memcpy(r->named, p->named, sizeof p->named);
  r->ndefaults = p->ndefaults;
  r->nnamed = p->nnamed;
  p->ndefaults = p->nnamed = 0;
  r->defaults[r->ndefaults] = NULL;
  r->named[r->nnamed] = NULL;
}

/* Picks the answer's format from format= or Accept: false (406 sent) when
 * none fits. */
static bool choose_format(Request *r, const MediaType *table, const char *format,
                          const MediaType **chosen) {
  const char *accept = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept");
  if (format) {
    accept = NULL;
    for (size_t i = 0; i < NG_COUNTOF(format_names); ++i)
      if (!strcmp(format, format_names[i].name)) accept = format_names[i].type;
    if (!accept) accept = format; /* a media type given as format= */
  }
  *chosen = negotiate(table, accept);
  return *chosen != NULL;
}

static MHD_Result_t start_query(struct NgServerImpl *s, Request *r, Params *p, char *text) {
  NgQueryForm form = ng_sparql_query_form(text);
  bool graph_form = form == NG_FORM_CONSTRUCT || form == NG_FORM_DESCRIBE;
  const MediaType *m;
  if (!choose_format(r, graph_form ? graph_types : results_types, p->format, &m)) {
    free(text);
    return send_error(r->conn, 406, "error: no answer format the client accepts; this server "
                                    "writes %s", graph_form ? "Turtle, N-Triples, N-Quads, RDF/XML"
                                                            : "SPARQL results JSON, XML, CSV, TSV");
  }
  r->kind = JOB_QUERY;
  r->text = text;
  r->results = graph_form ? NG_RESULTS_JSON : (NgResultsFormat)m->format;
  r->syntax = graph_form ? (NgSyntax)m->format : NG_SYNTAX_TURTLE;
  r->mime = m->mime;
  take_graphs(r, p);
  return enqueue(s, r);
}

static MHD_Result_t start_update(struct NgServerImpl *s, Request *r, Params *p, char *text) {
  if (!s->opt.allow_update) {
    free(text);
    return send_error(r->conn, 403, "error: this server is read-only (serve --allow-update)");
  }
  if (!token_ok(s, r->conn)) {
    free(text);
    return send_error(r->conn, 401, "error: an update needs the server's token "
                                    "(Authorization: Bearer TOKEN)");
  }
  if (has_load(text)) {
    free(text);
    return send_error(r->conn, 403, "error: LOAD is refused by the server (it would read the "
                                    "server's files or the network)");
  }
  r->kind = JOB_UPDATE;
  r->text = text;
  take_graphs(r, p);
  return enqueue(s, r);
}

static char *steal(char **p) {
  char *v = *p;
  *p = NULL;
  return v;
}

static const char *content_type(Request *r) {
  const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
  return ct ? ct : "";
}

static bool type_is(const char *ct, const char *type) {
  size_t n = strlen(type);
  return !strncasecmp(ct, type, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* /sparql, /query and /update. */
static MHD_Result_t protocol(struct NgServerImpl *s, Request *r, bool post, bool update_path,
                             Params *p) {
  if (post) {
    const char *ct = content_type(r);
    char *body = NULL;
    if (type_is(ct, "application/x-www-form-urlencoded")) {
      const char *err = params_parse(p, r->body.data ? r->body.data : "", r->body.len);
      if (err) return send_error(r->conn, 400, "error: the request body holds %s", err);
    } else if (type_is(ct, "application/sparql-query") || type_is(ct, "application/sparql-update")) {
      if (!ng_utf8_check(r->body.data ? r->body.data : "", r->body.len, NULL) ||
          memchr(r->body.data ? r->body.data : "", 0, r->body.len))
        return send_error(r->conn, 400, "error: the request body is not UTF-8 text");
      body = r->body.data ? ng_buf_take(&r->body) : strdup("");
      if (!body) return MHD_NO;
      if (type_is(ct, "application/sparql-query")) {
        if (update_path) {
          free(body);
          return send_error(r->conn, 415, "error: /update takes application/sparql-update");
        }
        return start_query(s, r, p, body);
      }
      return start_update(s, r, p, body);
    } else {
      return send_error(r->conn, 415, "error: a SPARQL request body is "
                                      "application/x-www-form-urlencoded, "
                                      "application/sparql-query or application/sparql-update");
    }
    if (p->query && p->update)
      return send_error(r->conn, 400, "error: both query and update given");
    if (p->update) return start_update(s, r, p, steal(&p->update));
    if (p->query && !update_path) return start_query(s, r, p, steal(&p->query));
    return send_error(r->conn, 400, "error: no %s parameter", update_path ? "update" : "query");
  }
  if (p->update)
    return send_error(r->conn, 400, "error: an update is sent by POST, never by GET");
  if (update_path) return send_error(r->conn, 405, "error: /update takes POST");
  if (!p->query) return send_description(s, r);
  return start_query(s, r, p, steal(&p->query));
}

/* /store: the Graph Store Protocol's read side. */
static MHD_Result_t graph_store(struct NgServerImpl *s, Request *r, bool post, Params *p) {
  if (post) return send_error(r->conn, 405, "error: this graph store is read-only");
  if (!p->graph && !p->has_default)
    return send_error(r->conn, 400, "error: give ?graph=IRI or ?default");
  if (p->graph && p->has_default)
    return send_error(r->conn, 400, "error: give either ?graph=IRI or ?default");
  const MediaType *m;
  if (!choose_format(r, graph_types, p->format, &m))
    return send_error(r->conn, 406, "error: no RDF syntax the client accepts; this server writes "
                                    "Turtle, N-Triples, N-Quads, RDF/XML");
  r->kind = JOB_GRAPH;
  r->graph = steal(&p->graph);
  r->syntax = (NgSyntax)m->format;
  r->mime = m->mime;
  return enqueue(s, r);
}

static MHD_Result_t dispatch(struct NgServerImpl *s, Request *r, const char *method) {
  bool post = !strcmp(method, "POST");
  if (!strcmp(method, "OPTIONS")) {
    struct MHD_Response *resp = response_new("", 0, NULL);
    if (resp) {
      MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
      MHD_add_response_header(resp, "Access-Control-Allow-Headers",
                              "Accept, Content-Type, Authorization");
      MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
    }
    return send_response(r->conn, 204, resp);
  }
  if (!post && strcmp(method, "GET") && strcmp(method, "HEAD"))
    return send_error(r->conn, 405, "error: %s is not served here", method);
  if (r->body_too_large)
    return send_error(r->conn, 413, "error: the request body is larger than %zu bytes",
                      s->opt.max_request);
  const char *uri = r->uri ? r->uri : "/";
  const char *qmark = strchr(uri, '?');
  size_t plen = qmark ? (size_t)(qmark - uri) : strlen(uri);
  const char *bad = NULL;
  char *path = url_decode(uri, plen, false, &bad);
  if (!path) return send_error(r->conn, 400, "error: the URL holds %s", bad ? bad : "nothing");
  Params p;
  memset(&p, 0, sizeof p);
  const char *err = qmark ? params_parse(&p, qmark + 1, strlen(qmark + 1)) : NULL;
  MHD_Result_t rc;
  if (err) {
    rc = send_error(r->conn, 400, "error: the query string holds %s", err);
  } else if (!strcmp(path, "/sparql") || !strcmp(path, "/query")) {
    rc = protocol(s, r, post, false, &p);
  } else if (!strcmp(path, "/update")) {
    rc = protocol(s, r, post, true, &p);
  } else if (!strcmp(path, "/store")) {
    rc = graph_store(s, r, post, &p);
  } else if (post) {
    rc = send_error(r->conn, 405, "error: POST goes to /sparql or /update");
  } else if (!strcmp(path, "/meta.json")) {
    rc = send_meta(s, r);
  } else if (!strncmp(path, "/examples/", 10)) {
    rc = send_file(r, s->examples_dir, path + 10);
  } else {
    rc = send_file(r, s->web_dir, !strcmp(path, "/") ? "index.html" : path + 1);
  }
  params_free(&p);
  free(path);
  return rc;
}

/* ======================================================= libmicrohttpd */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
  Request *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->server = cls;
  r->conn = conn;
  r->uri = strdup(uri ? uri : "/");
  return r;
}

static MHD_Result_t on_request(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls) {
  struct NgServerImpl *s = cls;
  Request *r = *con_cls;
  (void)url, (void)version;
  if (!r || !r->uri) return MHD_NO; /* out of memory: drop the connection */
  if (r->state == REQ_ANSWERED) {
    pthread_mutex_lock(&s->lock);
    s->suspended--;
    pthread_mutex_unlock(&s->lock);
    struct MHD_Response *resp = r->response;
    r->response = NULL;
    if (!resp) return send_error(conn, 500, "error: out of memory");
    return send_response(conn, r->code, resp);
  }
  if (r->state == REQ_NEW) {
    r->state = REQ_READING;
    const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (length && strtoull(length, NULL, 10) > s->opt.max_request)
      return send_error(conn, 413, "error: the request body is larger than %zu bytes",
                        s->opt.max_request);
    return MHD_YES;
  }
  if (*upload_size) {
    if (r->body.len + *upload_size > s->opt.max_request) {
      r->body_too_large = true;
      ng_buf_free(&r->body);
      *upload_size = 0;
      return send_error(conn, 413, "error: the request body is larger than %zu bytes",
                        s->opt.max_request);
    }
    if (ng_buf_append(&r->body, upload, *upload_size)) return MHD_NO;
    *upload_size = 0;
    return MHD_YES;
  }
  return dispatch(s, r, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)conn, (void)toe;
  request_free(*con_cls);
  *con_cls = NULL;
}

/* ============================================================ binding */

/* "ADDR:PORT", "[ADDR6]:PORT" or "PORT" (loopback) into a socket address. */
static NgStatus parse_bind(NgWorld *world, const char *bind, struct sockaddr_storage *sa,
                           socklen_t *salen) {
  char host[256] = "127.0.0.1";
  const char *port = bind;
  const char *colon = strrchr(bind, ':');
  if (bind[0] == '[') {
    const char *close = strchr(bind, ']');
    if (!close || close[1] != ':' || (size_t)(close - bind - 1) >= sizeof host) goto bad;
    memcpy(host, bind + 1, (size_t)(close - bind - 1));
    host[close - bind - 1] = '\0';
    port = close + 2;
  } else if (colon) {
    if ((size_t)(colon - bind) >= sizeof host) goto bad;
    memcpy(host, bind, (size_t)(colon - bind));
    host[colon - bind] = '\0';
    port = colon + 1;
  }
  char *end;
  errno = 0;
  unsigned long n = strtoul(port, &end, 10);
  if (!*port || *end || errno || n > 65535) goto bad;
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &res) || !res) goto bad;
  memcpy(sa, res->ai_addr, res->ai_addrlen);
  *salen = res->ai_addrlen;
  freeaddrinfo(res);
  return NG_SUCCESS;
bad:
  ng_report(world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, NULL, 0, 0,
            "cannot listen on '%s': give ADDRESS:PORT with a numeric address "
            "(127.0.0.1:7878, [::1]:7878) or a port", bind);
  return NG_ERR_BAD_ARG;
}

/* ========================================================== lifecycle */

static char *dup_or_null(const char *s, bool *failed) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) *failed = true;
  return d;
}

static NgStatus workers_start(struct NgServerImpl *s) {
  s->workers = calloc(s->nworkers, sizeof *s->workers);
  if (!s->workers) return NG_ERR_NOMEM;
  for (unsigned i = 0; i < s->nworkers; ++i) {
    Worker *w = &s->workers[i];
    NgStatus st;
    w->server = s;
    if (!(w->world = ng_world_new())) return NG_ERR_NOMEM;
    ng_world_set_error_sink(w->world, collect_error, w);
    if (!(w->store = ng_store_open(w->world, s->store_dir, NG_STORE_READ, &st))) {
      ng_report(s->world, st, NG_LEVEL_ERROR, s->store_dir, 0, 0, "cannot open the store: %s",
                ng_buf_str(&w->errors));
      return st;
    }
    if (!w->store->qs) {
      ng_report(s->world, NG_ERR_IO, NG_LEVEL_ERROR, NULL, 0, 0, "no store at %s", s->store_dir);
      return NG_ERR_IO;
    }
    if (pthread_create(&w->thread, NULL, worker_main, w)) return NG_ERR_NOMEM;
    w->started = true;
  }
  return NG_SUCCESS;
}

static NgStatus daemon_start(struct NgServerImpl *s) {
  struct sockaddr_storage sa;
  socklen_t salen = 0;
  NgStatus st = parse_bind(s->world, s->opt.bind ? s->opt.bind : "127.0.0.1:7878", &sa, &salen);
  if (!st && ng_lazy_ready) st = ng_lazy_ready(s->world); /* libmicrohttpd (base/lazy.c) */
  if (st) return st;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_AUTO;
  if (sa.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  unsigned idle = s->opt.idle_timeout > 0 ? (unsigned)(s->opt.idle_timeout + 0.999) : 0;
  s->daemon = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->opt.max_connections,
      MHD_OPTION_CONNECTION_TIMEOUT, idle, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)128,
      MHD_OPTION_END);
  if (!s->daemon) {
    ng_report(s->world, NG_ERR_IO, NG_LEVEL_ERROR, NULL, 0, 0,
              "cannot listen on %s: %s", s->opt.bind ? s->opt.bind : "127.0.0.1:7878",
              strerror(errno ? errno : EADDRINUSE));
    return NG_ERR_IO;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : 0;
  return NG_SUCCESS;
}

NgServer *ng_server_new(NgWorld *world, const NgServerOptions *options, NgStatus *status) {
  struct NgServerImpl *s = calloc(1, sizeof *s);
  NgStatus st = NG_ERR_NOMEM;
  bool failed = false;
  if (!s) goto done;
  s->world = world;
  s->stop_pipe[0] = s->stop_pipe[1] = -1;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->wake, NULL);
  if (options) s->opt = *options;
  else ng_server_options_init(&s->opt);
  if (!s->opt.threads) s->opt.threads = 4;
  if (!s->opt.max_connections) s->opt.max_connections = 256;
  if (!s->opt.max_request) s->opt.max_request = (size_t)1 << 20;
  s->store_dir = dup_or_null(ng_store_default_dir(s->opt.store_dir), &failed);
  s->web_dir = dup_or_null(s->opt.web_dir, &failed);
  s->examples_dir = dup_or_null(s->opt.examples_dir, &failed);
  s->token = dup_or_null(s->opt.token, &failed);
  if (failed) goto done;
  s->opt.store_dir = s->opt.web_dir = s->opt.examples_dir = s->opt.token = NULL;
  if (s->opt.allow_update && (!s->token || strlen(s->token) < 8)) {
    ng_report(world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, NULL, 0, 0,
              "updates need a token of 8 characters or more");
    st = NG_ERR_BAD_ARG;
    goto done;
  }
  if (pipe2(s->stop_pipe, O_CLOEXEC | O_NONBLOCK)) {
    st = NG_ERR_IO;
    goto done;
  }
  s->nworkers = s->opt.threads;
  if ((st = workers_start(s))) goto done;
  st = daemon_start(s);
done:
  if (status) *status = st;
  if (st) {
    ng_server_free(s);
    return NULL;
  }
  return s;
}

unsigned ng_server_port(const NgServer *server) { return server->port; }

void ng_server_stop(NgServer *server) {
  if (!server) return;
  server->stop_asked = 1;
  ssize_t n = write(server->stop_pipe[1], "x", 1);
  (void)n;
}

/* Ends the workers: queued requests get 503, running ones are stopped. */
static void workers_stop(struct NgServerImpl *s) {
  pthread_mutex_lock(&s->lock);
  s->stopping = true;
  for (unsigned i = 0; i < s->nworkers; ++i)
    if (s->workers && s->workers[i].world) ng_world_request_stop(s->workers[i].world);
  while (s->head) {
    Request *r = s->head;
    s->head = r->next;
    s->queued--;
    r->code = 503;
    r->response = response_new("error: the server is shutting down\n", 35,
                               "text/plain; charset=utf-8");
    resume(s, r);
  }
  s->tail = NULL;
  pthread_cond_broadcast(&s->wake);
  pthread_mutex_unlock(&s->lock);
  for (unsigned i = 0; s->workers && i < s->nworkers; ++i) {
    if (s->workers[i].started) pthread_join(s->workers[i].thread, NULL);
    s->workers[i].started = false;
  }
}

/* Waits (up to 2 s) until the polling thread has answered every resumed
 * connection: libmicrohttpd must not stop with connections suspended. */
static void wait_resumed(struct NgServerImpl *s) {
  for (int i = 0; i < 200; ++i) {
    pthread_mutex_lock(&s->lock);
    unsigned left = s->suspended;
    pthread_mutex_unlock(&s->lock);
    if (!left) return;
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

NgStatus ng_server_run(NgServer *s) {
  struct pollfd pfd = {s->stop_pipe[0], POLLIN, 0};
  while (!s->stop_asked) {
    int rc = poll(&pfd, 1, 1000);
    if (rc < 0 && errno != EINTR) break;
  }
  workers_stop(s);
  wait_resumed(s);
  return NG_SUCCESS;
}

void ng_server_free(NgServer *s) {
  if (!s) return;
  workers_stop(s);
  wait_resumed(s);
  if (s->daemon) MHD_stop_daemon(s->daemon);
  for (unsigned i = 0; s->workers && i < s->nworkers; ++i) {
    ng_store_free(s->workers[i].store);
    ng_world_free(s->workers[i].world);
    ng_buf_free(&s->workers[i].errors);
  }
  free(s->workers);
  if (s->stop_pipe[0] >= 0) close(s->stop_pipe[0]);
  if (s->stop_pipe[1] >= 0) close(s->stop_pipe[1]);
  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->wake);
  free(s->store_dir);
  free(s->web_dir);
  free(s->examples_dir);
  free(s->token);
  free(s);
}
