/* endpoint.c - a SPARQL server over HTTP(S), through libcurl.
 *
 * Queries go by the SPARQL 1.1 Protocol: GET when the encoded query is
 * short, a form POST otherwise, asking for SPARQL JSON results (XML
 * accepted too), which NgResultsReader turns into the same NgResultTable
 * the embedded store fills, so the output is the same.  CONSTRUCT and
 * DESCRIBE answers are parsed with Raptor and written as our Turtle.
 *
 * Graphs are pushed in batches, several articles a request: by SPARQL 1.1
 * Update ("DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {...} }", so a
 * re-sent article replaces itself), or by the Graph Store HTTP Protocol
 * (PUT ?graph=IRI per article).  The shared graph is only ever added to,
 * and each of its triples is sent once per run.  A request that fails in a
 * transient way (connection refused or reset, HTTP 5xx, 429) is retried
 * with exponential backoff; an article whose request finally fails is
 * reported to the push callback as not sent - never dropped silently.
 *
 * Credentials come from ng_endpoint_set_credentials (the CLI reads them
 * from the environment) or ~/.netrc; a URL holding a password is refused.
 * Everything here runs in one thread: the Raptor world is Redland's. */
#include "iri.h"
#include "query.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum {
  GET_MAX = 2048,         /* longest encoded query sent by GET */
  ERROR_BODY_MAX = 65536, /* bytes of an error answer kept */
  ERROR_TEXT_MAX = 480,   /* bytes of it shown */
  /* a successful answer kept whole in memory (a CONSTRUCT's, parsed at
   * its end); other answers stream, and an update's is not kept */
  GRAPH_ANSWER_MAX = 256 << 20,
  BATCH_ITEMS = 64, /* default items a batch */
  /* Virtuoso compiles an update request into one SQL procedure, in time
   * that grows with the square of its triples (0.08 s for 400, 17 s for
   * 3,900) and refuses one of 2,000 ("exceeded 10000 lines of code"):
   * requests stay small, and big graphs go in several */
  OP_TRIPLES = 400,      /* triples an update operation holds at most */
  REQUEST_TRIPLES = 400, /* an update request grows past this only by one operation */
  BATCH_TRIPLES = 8000,  /* an update batch is sent when it holds this many */
  DEFAULT_RETRIES = 4,
};
#define DEFAULT_TIMEOUT 300.0 /* seconds for a whole request */
#define CONNECT_TIMEOUT 10.0
#define BATCH_AGE 2.0     /* seconds an article may wait in a batch */
#define BACKOFF_FIRST 0.5 /* seconds before the first retry, doubled after */
#define BACKOFF_MAX 30.0

/* One queued item: an article (its graph and shared triples) or a graph. */
typedef struct {
  char *id;
  char *graph;       /* the graph it replaces; NULL when it only adds */
  size_t begin, end; /* Graph Store Protocol: its N-Triples in Batch.body */
  bool failed;
} Item;

/* SPARQL Update: the body of one request and the items it carries parts of
 * (items are queued in order, so they are a range). */
typedef struct {
  NgBuf body;
  size_t triples;
  size_t first_item, last_item;
} Chunk;

typedef struct {
  Chunk *v;
  size_t n, cap;
} ChunkList;

typedef struct {
  Item *items;
  size_t n, cap;
  NgBuf drops;      /* SPARQL Update: the DROPs of the batch, one request */
  ChunkList chunks; /* SPARQL Update: the INSERT requests */
  NgBuf body;       /* Graph Store Protocol: the items' N-Triples */
  size_t triples;   /* queued */
  NgGraph *shared;  /* shared triples not yet on the server */
  double started;   /* when the first item came */
} Batch;

struct NgEndpointImpl {
  NgWorld *world;
  char *url;
  char *user, *password;
  double timeout;
  unsigned retries;
  bool insecure;
  CURL *curl; /* one handle: its connection stays open between requests */
  char curl_error[CURL_ERROR_SIZE];
  NgPushProtocol protocol;
  size_t batch_max;
  Batch batch;
  NgFpSet shared_sent; /* fingerprints of shared triples the server has */
  unsigned long scope; /* makes blank node labels unique in a request */
  bool down;           /* the last push failed after all its retries */
  NgPushResult on_result;
  void *on_result_handle;
  unsigned seed; /* backoff jitter */
  char user_agent[32];
};

/* ============================================================ basics */

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleeps, waking early when a stop is requested. */
static void pause_for(NgEndpoint *ep, double seconds) {
  double until = now_seconds() + seconds;
  while (!ng_world_stop_requested(ep->world) && now_seconds() < until) {
    struct timespec slice = {0, 50 * 1000 * 1000};
    nanosleep(&slice, NULL);
  }
}

/* http(s) only, and no password in the URL: it would show in `ps`. */
static NgStatus check_url(NgWorld *world, const char *url) {
  CURLU *u = curl_url();
  if (!u) return NG_ERR_NOMEM;
  char *scheme = NULL, *password = NULL;
  NgStatus st = NG_SUCCESS;
  if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
    ng_report(world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, NULL, 0, 0, "not a URL: '%s'", url);
    st = NG_ERR_BAD_ARG;
  } else if (strcmp(scheme, "http") && strcmp(scheme, "https")) {
    ng_report(world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, NULL, 0, 0,
              "%s: only http:// and https:// endpoints are supported", url);
    st = NG_ERR_BAD_ARG;
  } else if (curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK) {
    ng_report(world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, NULL, 0, 0,
              "a password in the endpoint URL is refused: set NEWSGRAPH_ENDPOINT_USER and "
              "NEWSGRAPH_ENDPOINT_PASSWORD, or use ~/.netrc");
    st = NG_ERR_BAD_ARG;
  }
  curl_free(scheme);
  curl_free(password);
  curl_url_cleanup(u);
  return st;
}

NgEndpoint *ng_endpoint_new(NgWorld *world, const char *url, NgStatus *status) {
  NgStatus st = url ? NG_SUCCESS : NG_ERR_BAD_ARG;
  if (!st && ng_lazy_ready) st = ng_lazy_ready(world); /* libcurl, where loaded on first use */
  if (!st) st = check_url(world, url);
  NgEndpoint *ep = st ? NULL : calloc(1, sizeof *ep);
  if (!st && !ep) st = NG_ERR_NOMEM;
  if (ep) {
    ep->world = world;
    ep->timeout = DEFAULT_TIMEOUT;
    ep->retries = DEFAULT_RETRIES;
    ep->batch_max = BATCH_ITEMS;
    ep->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    snprintf(ep->user_agent, sizeof ep->user_agent, "newsgraph/%s", ng_version());
    /* curl_global_init is reference-counted and thread-safe in libcurl
     * >= 7.84; the cleanup in ng_endpoint_free balances it */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      free(ep);
      ep = NULL;
      st = NG_FAILURE;
    }
  }
  if (ep && (!(ep->url = strdup(url)) || !(ep->curl = curl_easy_init()))) {
    ng_endpoint_free(ep);
    ep = NULL;
    st = NG_ERR_NOMEM;
  }
  if (status) *status = st;
  return ep;
}

static void chunks_free(ChunkList *l) {
  for (size_t i = 0; i < l->n; ++i)
    ng_buf_free(&l->v[i].body);
  free(l->v);
  memset(l, 0, sizeof *l);
}

static void batch_clear(Batch *b) {
  for (size_t i = 0; i < b->n; ++i) {
    free(b->items[i].id);
    free(b->items[i].graph);
  }
  b->n = 0;
  b->triples = 0;
  chunks_free(&b->chunks);
  ng_buf_clear(&b->drops);
  ng_buf_clear(&b->body);
  ng_graph_free(b->shared);
  b->shared = NULL;
}

static void free_secret(char *s) {
  if (!s) return;
  /* volatile: a plain memset before free may be optimised away */
  for (volatile char *p = s; *p; ++p)
    *p = '\0';
  free(s);
}

void ng_endpoint_free(NgEndpoint *ep) {
  if (!ep) return;
  batch_clear(&ep->batch);
  free(ep->batch.items);
  ng_buf_free(&ep->batch.drops);
  ng_buf_free(&ep->batch.body);
  ng_fpset_free(&ep->shared_sent);
  if (ep->curl) curl_easy_cleanup(ep->curl);
  free(ep->url);
  free_secret(ep->user);
  free_secret(ep->password);
  curl_global_cleanup();
  free(ep);
}

NgStatus ng_endpoint_set_credentials(NgEndpoint *ep, const char *user, const char *password) {
  free_secret(ep->user);
  free_secret(ep->password);
  ep->user = user ? strdup(user) : NULL;
  ep->password = password ? strdup(password) : NULL;
  if ((user && !ep->user) || (password && !ep->password)) return NG_ERR_NOMEM;
  return NG_SUCCESS;
}

void ng_endpoint_set_timeout(NgEndpoint *ep, double seconds) {
  ep->timeout = seconds > 0 ? seconds : 0;
}

void ng_endpoint_set_retries(NgEndpoint *ep, unsigned retries) { ep->retries = retries; }

void ng_endpoint_set_insecure(NgEndpoint *ep, bool insecure) { ep->insecure = insecure; }

void ng_endpoint_set_push_protocol(NgEndpoint *ep, NgPushProtocol protocol) {
  ep->protocol = protocol;
}

void ng_endpoint_set_batch(NgEndpoint *ep, size_t articles) {
  ep->batch_max = articles ? articles : 1;
}

void ng_endpoint_set_push_result(NgEndpoint *ep, NgPushResult callback, void *handle) {
  ep->on_result = callback;
  ep->on_result_handle = handle;
}

/* ========================================================== requests */

/* Where a successful answer's body goes; NULL: kept in Response.body. */
typedef size_t (*BodySink)(void *ctx, const char *data, size_t len, const char *content_type);

typedef struct {
  const char *method; /* GET, POST, PUT */
  const char *url;
  const char *content_type; /* of the body sent */
  const char *body;
  size_t body_len;
  const char *accept;
  BodySink sink;
  void *sink_ctx;
} Request;

typedef struct {
  NgEndpoint *ep;
  const Request *req;
  CURLcode code;
  long http;
  NgBuf body;          /* an error answer, or the answer when there is no sink */
  size_t body_max;     /* bytes of a successful answer kept (0: ERROR_BODY_MAX) */
  bool body_too_large; /* the answer was longer: the transfer stopped */
  double retry_after;  /* seconds the server asked to wait, 0 if none */
  bool sink_failed;    /* the sink refused the data (it reported why) */
  bool output_started; /* the sink wrote something: no retry possible */
} Response;

static bool http_ok(long code) { return code >= 200 && code < 300; }

static size_t on_body(char *data, size_t size, size_t n, void *userdata) {
  Response *r = userdata;
  size_t len = size * n;
  long code = 0;
  curl_easy_getinfo(r->ep->curl, CURLINFO_RESPONSE_CODE, &code);
  if (http_ok(code) && r->req->sink) {
    char *type = NULL;
    curl_easy_getinfo(r->ep->curl, CURLINFO_CONTENT_TYPE, &type);
    r->output_started = true;
    if (r->req->sink(r->req->sink_ctx, data, len, type ? type : "") == len) return len;
    r->sink_failed = true;
    return 0; /* aborts the transfer */
  }
  size_t max = http_ok(code) && r->body_max ? r->body_max : ERROR_BODY_MAX;
  if (http_ok(code) && r->body_max && r->body.len + len > max) {
    r->body_too_large = true;
    return 0; /* aborts the transfer: never more than max in memory */
  }
  if (r->body.len < max) {
    size_t keep = max - r->body.len;
    if (ng_buf_append(&r->body, data, keep < len ? keep : len)) return 0;
  }
  return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *userdata) {
  Response *r = userdata;
  size_t len = size * n;
  static const char name[] = "retry-after:";
  if (len > sizeof name && !strncasecmp(data, name, sizeof name - 1)) {
    double v = strtod(data + sizeof name - 1, NULL); /* an HTTP date reads as 0: ignored */
    r->retry_after = v > 0 && v < 3600 ? v : 0;
  }
  return len;
}

static int on_progress(void *userdata, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un) {
  (void)dt, (void)dn, (void)ut, (void)un;
  Response *r = userdata;
  return ng_world_stop_requested(r->ep->world) ? 1 : 0;
}

static void set_auth(NgEndpoint *ep) {
  if (ep->user) {
    curl_easy_setopt(ep->curl, CURLOPT_USERNAME, ep->user);
    curl_easy_setopt(ep->curl, CURLOPT_PASSWORD, ep->password ? ep->password : "");
  } else {
    curl_easy_setopt(ep->curl, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
  }
  /* Basic or Digest, whichever the server asks for (Virtuoso: Digest) */
  curl_easy_setopt(ep->curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_ANY);
}

static void set_request(NgEndpoint *ep, const Request *req, Response *r,
                        struct curl_slist *headers) {
  CURL *c = ep->curl;
  /* no curl_easy_reset: it would forget the Digest nonce, and every
   * request would cost an extra round trip; every option is set instead */
  curl_easy_setopt(c, CURLOPT_URL, req->url);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ep->curl_error);
  curl_easy_setopt(c, CURLOPT_USERAGENT, ep->user_agent);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, r);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* whatever libcurl can decode */
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  /* a redirected update stays a POST: turned into a GET (curl's default
   * for 301-303) it would "succeed" without storing anything */
  curl_easy_setopt(c, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  double connect = ep->timeout > 0 && ep->timeout < CONNECT_TIMEOUT ? ep->timeout : CONNECT_TIMEOUT;
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(connect * 1000));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(ep->timeout * 1000));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, ep->insecure ? 0L : 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, ep->insecure ? 0L : 2L);
  set_auth(ep);
  bool get = !strcmp(req->method, "GET");
  if (get) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
  }
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST,
                   get || !strcmp(req->method, "POST") ? NULL : req->method);
}

static struct curl_slist *request_headers(const Request *req) {
  char line[256];
  struct curl_slist *h = NULL, *next;
  if (req->accept) {
    snprintf(line, sizeof line, "Accept: %s", req->accept);
    if (!(next = curl_slist_append(h, line))) goto fail;
    h = next;
  }
  if (req->content_type) {
    snprintf(line, sizeof line, "Content-Type: %s", req->content_type);
    if (!(next = curl_slist_append(h, line))) goto fail;
    h = next;
  }
  /* no "100 Continue" round trip before each body */
  if (!(next = curl_slist_append(h, "Expect:"))) goto fail;
  return next;
fail:
  curl_slist_free_all(h);
  return NULL;
}

/* One try.  r->code and r->http say how it went. */
static NgStatus perform_once(NgEndpoint *ep, const Request *req, Response *r) {
  struct curl_slist *headers = request_headers(req);
  if (!headers) return NG_ERR_NOMEM;
  ng_buf_clear(&r->body);
  r->http = 0;
  r->retry_after = 0;
  ep->curl_error[0] = '\0';
  set_request(ep, req, r, headers);
  r->code = curl_easy_perform(ep->curl);
  curl_easy_getinfo(ep->curl, CURLINFO_RESPONSE_CODE, &r->http);
  curl_slist_free_all(headers);
  return NG_SUCCESS;
}

/* Worth trying again: the server may be back, or less busy, soon.  A 500
 * answer to a query is the query's fault (Virtuoso: an estimated cost over
 * its limit), so only pushes retry it. */
static bool transient(const Response *r, bool push) {
  switch (r->code) {
  case CURLE_OK:
    return r->http == 429 || r->http == 502 || r->http == 503 || r->http == 504 ||
           (push && r->http >= 500 && r->http < 600);
  case CURLE_COULDNT_CONNECT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM: return true;
  default: return false;
  }
}

static double backoff(NgEndpoint *ep, unsigned attempt, const Response *r) {
  double wait = BACKOFF_FIRST;
  for (unsigned i = 0; i < attempt && wait < BACKOFF_MAX; ++i)
    wait *= 2;
  /* up to a quarter more, so that many clients do not retry in step */
  wait *= 1.0 + (rand_r(&ep->seed) % 1000) / 4000.0;
  if (r->retry_after > wait) wait = r->retry_after;
  return wait < BACKOFF_MAX ? wait : BACKOFF_MAX;
}

/* Tries until success, a lasting failure, or the retries are spent.
 * All tries and the pauses between them together stay within the timeout
 * of one request (when there is one): a server that keeps failing costs
 * that long, not that long for every try.  *attempts: how many were made. */
static NgStatus perform(NgEndpoint *ep, const Request *req, Response *r, unsigned retries,
                        bool push, unsigned *attempts) {
  NgStatus st = NG_SUCCESS;
  double start = now_seconds();
  for (*attempts = 1;; ++*attempts) {
    NG_TRY(st, perform_once(ep, req, r));
    if ((r->code == CURLE_OK && http_ok(r->http)) || r->sink_failed || r->output_started ||
        r->body_too_large)
      break;
    if (*attempts > retries || !transient(r, push) || ng_world_stop_requested(ep->world)) break;
    double wait = backoff(ep, *attempts - 1, r);
    if (ep->timeout > 0 && now_seconds() - start + wait >= ep->timeout) break;
    pause_for(ep, wait);
    if (ng_world_stop_requested(ep->world)) break;
  }
  return st;
}

/* ========================================================= messages */

/* Drops an incomplete UTF-8 sequence at the end of b after `start`. */
static void trim_partial_utf8(NgBuf *b, size_t start) {
  size_t lead = b->len;
  while (lead > start && ((unsigned char)b->data[lead - 1] & 0xC0) == 0x80)
    lead--;
  if (lead > start &&
      !ng_utf8_seq_len((const unsigned char *)b->data + lead - 1, b->len - lead + 1))
    b->len = lead - 1;
  if (b->data) b->data[b->len] = '\0';
}

void ng_http_error_text(const char *body, size_t len, bool html, size_t max, NgBuf *out) {
  bool in_tag = false, space = false;
  size_t start = out->len;
  for (size_t i = 0; i < len && out->len - start < max; ++i) {
    unsigned char c = (unsigned char)body[i];
    if (c == '<' && html) {
      in_tag = true;
    } else if (c == '>' && in_tag) {
      in_tag = false;
      space = true; /* "</h1><p>" separates words */
    } else if (in_tag) {
      continue;
    } else if (c <= ' ' || c == 0x7F) {
      space = true;
    } else {
      if (space && out->len > start && ng_buf_putc(out, ' ')) return;
      space = false;
      if (ng_buf_putc(out, (char)c)) return;
    }
  }
  trim_partial_utf8(out, start);
}

/* What went wrong with a request, in words, into msg. */
static void describe_failure(NgEndpoint *ep, const Response *r, unsigned attempts, NgBuf *msg) {
  if (r->code == CURLE_OK) {
    ng_buf_printf(msg, "HTTP %ld", r->http);
    char *type = NULL;
    curl_easy_getinfo(ep->curl, CURLINFO_CONTENT_TYPE, &type);
    NgBuf text = NG_BUF_INIT;
    ng_http_error_text(ng_buf_str(&r->body), r->body.len, type && strstr(type, "html"),
                       ERROR_TEXT_MAX, &text);
    if (text.len) ng_buf_printf(msg, ": %s", text.data);
    ng_buf_free(&text);
    if (r->http == 401 && !ep->user)
      ng_buf_puts(msg, " (no credentials: set NEWSGRAPH_ENDPOINT_USER and "
                       "NEWSGRAPH_ENDPOINT_PASSWORD, or use ~/.netrc)");
  } else if (r->body_too_large) {
    ng_buf_printf(msg, "the answer is longer than %zu MiB", r->body_max >> 20);
  } else if (r->code == CURLE_OPERATION_TIMEDOUT) {
    ng_buf_printf(msg, "no complete answer within %g s (--timeout)", ep->timeout);
  } else if (r->code == CURLE_ABORTED_BY_CALLBACK) {
    ng_buf_puts(msg, "interrupted");
  } else {
    ng_buf_printf(msg, "%s", ep->curl_error[0] ? ep->curl_error : curl_easy_strerror(r->code));
  }
  if (attempts > 1) ng_buf_printf(msg, " (%u attempts)", attempts);
}

static NgStatus failure_status(const Response *r, bool push) {
  if (r->code == CURLE_ABORTED_BY_CALLBACK) return NG_ERR_INTERRUPTED;
  if (r->code == CURLE_OK && r->http >= 400 && r->http < 500 && r->http != 429 && !push)
    return NG_ERR_QUERY; /* the server refused the query itself */
  return NG_ERR_NETWORK;
}

static void report_failure(NgEndpoint *ep, const char *origin, const char *url, const Response *r,
                           unsigned attempts) {
  NgBuf msg = NG_BUF_INIT;
  describe_failure(ep, r, attempts, &msg);
  ng_report(ep->world, failure_status(r, !origin), NG_LEVEL_ERROR, origin, 0, 0, "%s: %s", url,
            msg.data ? msg.data : "request failed");
  ng_buf_free(&msg);
}

/* ============================================================ queries */

typedef struct {
  NgEndpoint *ep;
  NgResultsFormat format;
  FILE *out;
  NgResultsReader *reader;
  bool head_written;
  NgStatus st;
  char content_type[128];
  /* ng_endpoint_select: the whole table goes to `use`, which holds at
   * most max_rows rows (a server's answer is not all kept otherwise) */
  NgSelectUse use;
  void *use_ctx;
  size_t max_rows;
} Select;

static bool type_is(const char *content_type, const char *word) {
  return strstr(content_type, word) != NULL;
}

/* Rows are written in batches as they arrive (the table format waits for
 * all of them: it needs every width). */
static NgStatus select_write_ready(Select *s) {
  NgResultTable *t = ng_results_reader_table(s->reader);
  if (s->use) {
    if (t->nrows <= s->max_rows) return NG_SUCCESS;
    ng_report(s->ep->world, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, NULL, 0, 0,
              "%s: more than %zu rows in the answer", s->ep->url, s->max_rows);
    return NG_ERR_TOO_LARGE;
  }
  if (s->format == NG_RESULTS_TABLE || t->kind != NG_RESULT_BINDINGS || t->nrows < NG_RESULTS_BATCH)
    return NG_SUCCESS;
  int parts = NG_RESULTS_ROWS | (s->head_written ? 0 : NG_RESULTS_HEAD);
  s->head_written = true;
  return ng_results_reader_write_rows(s->reader, s->format, parts, s->out);
}

static size_t select_sink(void *ctx, const char *data, size_t len, const char *content_type) {
  Select *s = ctx;
  if (!s->reader) {
    snprintf(s->content_type, sizeof s->content_type, "%s", content_type);
    bool xml = type_is(content_type, "xml");
    if (!xml && !type_is(content_type, "json")) {
      ng_report(s->ep->world, NG_ERR_QUERY, NG_LEVEL_ERROR, NULL, 0, 0,
                "%s: the answer is '%s', not SPARQL JSON or XML results", s->ep->url,
                content_type[0] ? content_type : "of no type");
      s->st = NG_ERR_QUERY;
      return 0;
    }
    if (!(s->reader = ng_results_reader_new(xml))) {
      s->st = NG_ERR_NOMEM;
      return 0;
    }
  }
  s->st = ng_results_reader_feed(s->reader, data, len);
  if (!s->st) s->st = select_write_ready(s);
  return s->st ? 0 : len;
}

static NgStatus select_finish(Select *s) {
  if (!s->reader) { /* an empty answer */
    if (!(s->reader = ng_results_reader_new(false))) return NG_ERR_NOMEM;
  }
  NgStatus st = ng_results_reader_finish(s->reader);
  if (st) return st;
  NgResultTable *t = ng_results_reader_table(s->reader);
  if (s->use) return s->use(s->use_ctx, t);
  t->width = s->ep->world->table_width;
  int parts = NG_RESULTS_ALL;
  if (t->kind == NG_RESULT_BINDINGS && s->head_written) parts &= ~NG_RESULTS_HEAD;
  return ng_results_write(t, s->format, parts, s->out);
}

/* CONSTRUCT and DESCRIBE: the whole graph, then our Turtle. */
typedef struct {
  NgGraph *graph;
  NgStatus st;
} GraphParse;

static void on_statement(void *user_data, raptor_statement *s) {
  GraphParse *p = user_data;
  if (p->st) return;
  /* librdf nodes are raptor terms */
  p->st = ng_graph_add_nodes(p->graph, (librdf_node *)s->subject, (librdf_node *)s->predicate,
                             (librdf_node *)s->object);
}

static const char *parser_for(const char *content_type) {
  if (type_is(content_type, "n-triples") || type_is(content_type, "text/plain")) return "ntriples";
  if (type_is(content_type, "n-quads")) return "nquads";
  if (type_is(content_type, "rdf+xml")) return "rdfxml";
  if (type_is(content_type, "json")) return "json";
  return "turtle";
}

static NgStatus write_graph_answer(NgEndpoint *ep, const NgBuf *body, const char *content_type,
                                   const char *origin, FILE *out) {
  NgRdf *rdf = ng_rdf_get(ep->world);
  if (!rdf) return NG_ERR_STORE;
  NgRdfLog log = {.collect = true, .origin = ep->url, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(rdf, &log);
  raptor_world *rw = ng_rdf_raptor(rdf);
  raptor_parser *parser = raptor_new_parser(rw, parser_for(content_type));
  raptor_uri *base = raptor_new_uri(rw, (const unsigned char *)ep->url);
  GraphParse p = {ng_graph_new(NULL), NG_SUCCESS};
  if (!parser || !base || !p.graph) p.st = NG_ERR_NOMEM;
  if (!p.st) {
    raptor_parser_set_statement_handler(parser, &p, on_statement);
    if (raptor_parser_parse_start(parser, base) ||
        raptor_parser_parse_chunk(parser, (const unsigned char *)ng_buf_str(body), body->len, 1))
      p.st = NG_ERR_SYNTAX;
  }
  ng_rdf_set_log(rdf, old);
  if (p.st || log.errors) {
    ng_report(ep->world, NG_ERR_QUERY, NG_LEVEL_ERROR, origin, 0, 0, "%s: unreadable %s answer: %s",
              ep->url, content_type, log.errors ? log.message : ng_strerror(p.st));
    p.st = NG_ERR_QUERY;
  }
  NgWriter *w = p.st ? NULL : ng_writer_new(out, NG_SYNTAX_TURTLE);
  if (!p.st && !w) p.st = NG_ERR_NOMEM;
  if (!p.st) p.st = ng_writer_write_graph(w, p.graph);
  if (!p.st) p.st = ng_writer_finish(w);
  ng_writer_free(w);
  ng_graph_free(p.graph);
  if (base) raptor_free_uri(base);
  if (parser) raptor_free_parser(parser);
  return p.st;
}

/* The request of a query: GET ?query= when short, else a form POST. */
static NgStatus query_request(NgEndpoint *ep, const char *text, Request *req, NgBuf *url,
                              NgBuf *form) {
  char *encoded = curl_easy_escape(ep->curl, text, 0);
  if (!encoded) return NG_ERR_NOMEM;
  NgStatus st;
  if (strlen(encoded) <= GET_MAX) {
    st = ng_buf_printf(url, "%s%squery=%s", ep->url, strchr(ep->url, '?') ? "&" : "?", encoded);
    req->method = "GET";
  } else {
    st = ng_buf_puts(url, ep->url);
    if (!st) st = ng_buf_printf(form, "query=%s", encoded);
    req->method = "POST";
    req->content_type = "application/x-www-form-urlencoded";
    req->body = form->data;
    req->body_len = form->len;
  }
  curl_free(encoded);
  req->url = url->data;
  return st;
}

static NgStatus run_query(NgEndpoint *ep, const char *text, NgQueryForm form, const char *origin,
                          Select *select) {
  bool graph = form == NG_FORM_CONSTRUCT || form == NG_FORM_DESCRIBE;
  Request req = {.accept = graph ? "application/n-triples, text/turtle;q=0.9, "
                                   "application/rdf+xml;q=0.5"
                                 : "application/sparql-results+json, "
                                   "application/sparql-results+xml;q=0.9"};
  NgBuf url = NG_BUF_INIT, form_body = NG_BUF_INIT;
  if (!graph) {
    req.sink = select_sink;
    req.sink_ctx = select;
  }
  /* a graph answer is parsed whole: it may not grow without bound */
  Response r = {.ep = ep, .req = &req, .body_max = graph ? GRAPH_ANSWER_MAX : 0};
  unsigned attempts = 0;
  NgStatus st = query_request(ep, text, &req, &url, &form_body);
  if (!st) st = perform(ep, &req, &r, ep->retries, false, &attempts);
  if (!st && select->st) {
    st = select->st; /* reported below when it is about the answer */
  } else if (!st && (r.code != CURLE_OK || !http_ok(r.http))) {
    report_failure(ep, origin, ep->url, &r, attempts);
    st = failure_status(&r, false);
  } else if (!st) {
    char *type = NULL;
    curl_easy_getinfo(ep->curl, CURLINFO_CONTENT_TYPE, &type);
    st = graph ? write_graph_answer(ep, &r.body, type ? type : "", origin, select->out)
               : select_finish(select);
  }
  if (st == NG_ERR_SYNTAX && select->reader) {
    ng_report(ep->world, NG_ERR_QUERY, NG_LEVEL_ERROR, origin, 0, 0, "%s: unreadable answer: %s",
              ep->url, ng_results_reader_error(select->reader));
    st = NG_ERR_QUERY;
  } else if (st == NG_ERR_NOMEM || st == NG_ERR_BAD_ARG) {
    /* nothing below said it (an output that cannot be written is the
     * caller's to tell: a closed pipe is no error) */
    ng_report(ep->world, st, NG_LEVEL_ERROR, origin, 0, 0, "%s: answer not printed: %s", ep->url,
              ng_strerror(st));
  }
  ng_results_reader_free(select->reader);
  ng_buf_free(&r.body);
  ng_buf_free(&url);
  ng_buf_free(&form_body);
  return st;
}

NgStatus ng_endpoint_query(NgEndpoint *ep, const char *query, const char *origin,
                           NgResultsFormat format, FILE *out) {
  origin = origin ? origin : "<query>";
  NgQueryForm form = ng_sparql_query_form(query);
  if (form == NG_FORM_UPDATE) {
    ng_report(ep->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, origin, 0, 0,
              "an update, not a query: newsgraph only reads from an endpoint");
    return NG_ERR_BAD_ARG;
  }
  NgBuf text = NG_BUF_INIT;
  size_t prelude;
  /* only the prefixes it uses: shorter requests, GET more often */
  NgStatus st = ng_sparql_prelude(&text, query, true, &prelude);
  Select select = {.ep = ep, .format = format, .out = out};
  if (!st) st = run_query(ep, text.data, form, origin, &select);
  if (!st && (fflush(out) == EOF || ferror(out))) st = NG_ERR_IO;
  ng_buf_free(&text);
  return st;
}

NgStatus ng_endpoint_select(NgEndpoint *ep, const char *query, const char *origin, size_t max_rows,
                            NgSelectUse use, void *ctx) {
  NgBuf text = NG_BUF_INIT;
  size_t prelude;
  NgStatus st = ng_sparql_prelude(&text, query, true, &prelude);
  Select select = {
      .ep = ep, .format = NG_RESULTS_TABLE, .use = use, .use_ctx = ctx, .max_rows = max_rows};
  if (!st) st = run_query(ep, text.data, NG_FORM_SELECT, origin, &select);
  ng_buf_free(&text);
  return st;
}

/* ============================================================ pushing */

/* A blank node label unique to one operation: SPARQL Update scopes labels
 * to the request and forbids one label in two operations. */
static NgStatus append_term(NgBuf *b, const NgTerm *t, unsigned long scope) {
  if (t->kind != NG_TERM_BLANK) return ng_term_append_nt(b, t);
  NgBuf label = NG_BUF_INIT;
  NgStatus st = ng_buf_printf(&label, "s%lux%s", scope, t->value);
  NgTerm renamed = {NG_TERM_BLANK, ng_buf_str(&label), NULL, NULL};
  if (!st) st = ng_term_append_nt(b, &renamed);
  ng_buf_free(&label);
  return st;
}

static NgStatus append_triple_nt(NgBuf *b, const NgTriple *t, unsigned long scope) {
  NgStatus st;
  NG_TRY(st, append_term(b, &t->s, scope));
  NG_TRY(st, ng_buf_putc(b, ' '));
  NG_TRY(st, append_term(b, &t->p, scope));
  NG_TRY(st, ng_buf_putc(b, ' '));
  NG_TRY(st, append_term(b, &t->o, scope));
  return ng_buf_puts(b, " .\n");
}

static uint64_t triple_fingerprint(const NgTriple *t) {
  const NgTerm *terms[3] = {&t->s, &t->p, &t->o};
  uint64_t fp[3];
  for (int i = 0; i < 3; ++i)
    fp[i] = ng_term_fingerprint(terms[i]->kind, terms[i]->value, strlen(terms[i]->value),
                                terms[i]->datatype, terms[i]->lang);
  return ng_triple_fingerprint(fp[0], fp[1], fp[2]);
}

/* ------------------------------------------------- blank node groups */

/* The triples of a graph in the order they are sent: those without blank
 * nodes first, then those with, grouped so that all triples sharing a
 * blank node are neighbours (connected components).  An operation never
 * cuts through a group: a blank node is one node only within one. */
typedef struct {
  size_t group; /* SIZE_MAX: no blank node */
  size_t triple;
} Ordered;

static size_t uf_find(size_t *parent, size_t i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/* The union-find index of a blank label, added if new. */
static NgStatus blank_index(NgMap *labels, size_t **parent, size_t *n, size_t *cap,
                            const char *label, size_t *index) {
  bool inserted = false;
  uintptr_t *slot = ng_map_slot(labels, label, strlen(label), &inserted);
  if (!slot) return NG_ERR_NOMEM;
  if (inserted) {
    if (*n == *cap) {
      size_t c = *cap ? *cap * 2 : 16;
      size_t *p = realloc(*parent, c * sizeof *p);
      if (!p) return NG_ERR_NOMEM;
      *parent = p;
      *cap = c;
    }
    (*parent)[*n] = *n;
    *slot = ++*n; /* 0 stays "absent" */
  }
  *index = *slot - 1;
  return NG_SUCCESS;
}

static NgStatus group_blanks(const NgGraph *g, Ordered *order) {
  NgMap *labels = ng_map_new();
  size_t *parent = NULL, n = 0, cap = 0, size = ng_graph_size(g);
  NgStatus st = labels ? NG_SUCCESS : NG_ERR_NOMEM;
  for (size_t i = 0; i < size && !st; ++i) {
    const NgTriple *t = ng_graph_get(g, i);
    size_t a = SIZE_MAX, b = SIZE_MAX;
    if (t->s.kind == NG_TERM_BLANK) st = blank_index(labels, &parent, &n, &cap, t->s.value, &a);
    if (!st && t->o.kind == NG_TERM_BLANK)
      st = blank_index(labels, &parent, &n, &cap, t->o.value, &b);
    if (!st && a != SIZE_MAX && b != SIZE_MAX) parent[uf_find(parent, a)] = uf_find(parent, b);
    order[i] = (Ordered){a != SIZE_MAX ? a : b, i};
  }
  for (size_t i = 0; i < size && !st; ++i)
    if (order[i].group != SIZE_MAX) order[i].group = uf_find(parent, order[i].group);
  free(parent);
  ng_map_free(labels);
  return st;
}

/* Plain triples first, then group by group; the graph's order within. */
static int by_group(const void *a, const void *b) {
  const Ordered *x = a, *y = b;
  size_t gx = x->group + 1, gy = y->group + 1; /* SIZE_MAX wraps to 0: first */
  if (gx != gy) return gx < gy ? -1 : 1;
  return x->triple < y->triple ? -1 : x->triple > y->triple;
}

/* ------------------------------------------------------- operations */

/* Receives each update operation: its text, the triples it inserts (0
 * for a DROP). */
typedef NgStatus (*OpSink)(void *ctx, const NgBuf *op, size_t triples);

typedef struct {
  const NgGraph *graph;
  NgTerm name;
  bool drop; /* DROP SILENT GRAPH comes first */
  unsigned long *scope;
  OpSink sink;
  void *ctx;
  NgBuf op;
} OpWriter;

/* One operation with order[0..n): INSERT DATA for plain triples.  INSERT
 * DATA may hold blank nodes by the standard, but Virtuoso refuses them
 * there ("not allowed in a constant clause"): a template with an empty
 * WHERE makes the same fresh blank nodes everywhere. */
static NgStatus write_op(OpWriter *w, const Ordered *order, size_t n, bool blanks) {
  NgBuf *b = &w->op;
  NgStatus st;
  unsigned long scope = (*w->scope)++;
  ng_buf_clear(b);
  NG_TRY(st, ng_buf_puts(b, blanks ? "INSERT { GRAPH " : "INSERT DATA { GRAPH "));
  NG_TRY(st, ng_term_append_nt(b, &w->name));
  NG_TRY(st, ng_buf_puts(b, " {\n"));
  for (size_t i = 0; i < n; ++i)
    NG_TRY(st, append_triple_nt(b, ng_graph_get(w->graph, order[i].triple), scope));
  NG_TRY(st, ng_buf_puts(b, blanks ? "} } WHERE {} ;\n" : "} } ;\n"));
  return w->sink(w->ctx, b, n);
}

/* DROP is an operation of its own: Virtuoso takes ten times longer over a
 * request that drops and inserts the same graph than over two requests. */
static NgStatus write_drop(OpWriter *w) {
  NgBuf *b = &w->op;
  NgStatus st;
  ng_buf_clear(b);
  NG_TRY(st, ng_buf_puts(b, "DROP SILENT GRAPH "));
  NG_TRY(st, ng_term_append_nt(b, &w->name));
  NG_TRY(st, ng_buf_puts(b, " ;\n"));
  return w->sink(w->ctx, b, 0);
}

/* Plain triples in operations of OP_TRIPLES; groups of blank triples
 * packed whole (a group larger than that is one operation of its own). */
static NgStatus write_ops(OpWriter *w, const Ordered *order, size_t n) {
  NgStatus st = w->drop ? write_drop(w) : NG_SUCCESS;
  size_t plain = 0;
  while (plain < n && order[plain].group == SIZE_MAX)
    plain++;
  for (size_t i = 0; i < plain && !st; i += OP_TRIPLES)
    st = write_op(w, order + i, plain - i < OP_TRIPLES ? plain - i : OP_TRIPLES, false);
  size_t start = plain;
  for (size_t i = plain; i < n && !st;) {
    size_t end = i + 1;
    while (end < n && order[end].group == order[i].group)
      end++;
    if (end - start > OP_TRIPLES && i > start) { /* the group does not fit: send what is held */
      st = write_op(w, order + start, i - start, true);
      start = i;
    }
    i = end;
  }
  if (!st && start < n) st = write_op(w, order + start, n - start, true);
  return st;
}

/* The update operations that put graph on a server (replace: dropping
 * what the graph held first), skipping triples in skip. */
static NgStatus graph_ops(const NgGraph *graph, bool replace, const NgFpSet *skip,
                          unsigned long *scope, OpSink sink, void *ctx) {
  const char *name = ng_graph_get_name(graph);
  if (!name) return NG_ERR_BAD_ARG;
  size_t size = ng_graph_size(graph), n = 0;
  Ordered *order = malloc((size ? size : 1) * sizeof *order);
  if (!order) return NG_ERR_NOMEM;
  NgStatus st = group_blanks(graph, order);
  for (size_t i = 0; i < size && !st; ++i)
    if (!skip || !ng_fpset_has(skip, triple_fingerprint(ng_graph_get(graph, order[i].triple))))
      order[n++] = order[i];
  if (!st) qsort(order, n, sizeof *order, by_group);
  OpWriter w = {graph, {NG_TERM_IRI, name, NULL, NULL}, replace, scope, sink, ctx, NG_BUF_INIT};
  if (!st) st = write_ops(&w, order, n);
  ng_buf_free(&w.op);
  free(order);
  return st;
}

static NgStatus append_op(void *ctx, const NgBuf *op, size_t triples) {
  (void)triples;
  return ng_buf_append(ctx, ng_buf_str(op), op->len);
}

NgStatus ng_update_append_graph(NgBuf *body, const NgGraph *graph, bool replace,
                                const NgFpSet *skip) {
  unsigned long scope = 0;
  return graph_ops(graph, replace, skip, &scope, append_op, body);
}

/* ---------------------------------------------------------- batches */

typedef struct {
  ChunkList *list;
  NgBuf *drops;
  size_t item; /* the item the operations belong to */
} ChunkSink;

/* A DROP into the batch's DROP request; an insert into the last request,
 * or a new one when that is full. */
static NgStatus chunk_op(void *ctx, const NgBuf *op, size_t triples) {
  ChunkSink *cs = ctx;
  if (!triples) return ng_buf_append(cs->drops, ng_buf_str(op), op->len);
  ChunkList *l = cs->list;
  Chunk *c = l->n ? &l->v[l->n - 1] : NULL;
  if (!c || (c->triples && c->triples + triples > REQUEST_TRIPLES)) {
    if (l->n == l->cap) {
      size_t cap = l->cap ? l->cap * 2 : 8;
      Chunk *v = realloc(l->v, cap * sizeof *v);
      if (!v) return NG_ERR_NOMEM;
      l->v = v;
      l->cap = cap;
    }
    c = &l->v[l->n++];
    *c = (Chunk){NG_BUF_INIT, 0, cs->item, cs->item};
  }
  c->triples += triples;
  c->last_item = cs->item;
  return ng_buf_append(&c->body, ng_buf_str(op), op->len);
}

static NgStatus batch_add_item(Batch *b, const char *id, const char *graph) {
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    Item *items = realloc(b->items, cap * sizeof *items);
    if (!items) return NG_ERR_NOMEM;
    b->items = items;
    b->cap = cap;
  }
  Item *it = &b->items[b->n];
  *it = (Item){strdup(id), graph ? strdup(graph) : NULL, b->body.len, b->body.len, false};
  if (!it->id || (graph && !it->graph)) {
    free(it->id);
    free(it->graph);
    return NG_ERR_NOMEM;
  }
  b->n++;
  return NG_SUCCESS;
}

/* What replaces graph on the server, queued for the last item. */
static NgStatus batch_add_graph(NgEndpoint *ep, const NgGraph *graph) {
  Batch *b = &ep->batch;
  NgStatus st = NG_SUCCESS;
  b->triples += ng_graph_size(graph);
  if (ep->protocol == NG_PUSH_UPDATE) {
    ChunkSink cs = {&b->chunks, &b->drops, b->n - 1};
    return graph_ops(graph, true, NULL, &ep->scope, chunk_op, &cs);
  }
  for (size_t i = 0; i < ng_graph_size(graph) && !st; ++i)
    st = append_triple_nt(&b->body, ng_graph_get(graph, i), 0);
  b->items[b->n - 1].end = b->body.len;
  return st;
}

/* The shared triples the server does not have yet, into the batch. */
static NgStatus batch_add_shared(NgEndpoint *ep, const NgGraph *shared) {
  Batch *b = &ep->batch;
  if (!b->shared && !(b->shared = ng_graph_new(ng_graph_get_name(shared)))) return NG_ERR_NOMEM;
  if (strcmp(ng_graph_get_name(b->shared), ng_graph_get_name(shared))) return NG_ERR_BAD_ARG;
  NgStatus st = NG_SUCCESS;
  size_t before = ng_graph_size(b->shared);
  for (size_t i = 0; i < ng_graph_size(shared) && !st; ++i) {
    const NgTriple *t = ng_graph_get(shared, i);
    if (!ng_fpset_has(&ep->shared_sent, triple_fingerprint(t)))
      st = ng_graph_add(b->shared, &t->s, &t->p, &t->o);
  }
  b->triples += ng_graph_size(b->shared) - before;
  return st;
}

static void tell(NgEndpoint *ep, const char *id, NgStatus st) {
  if (ep->on_result) ep->on_result(ep->on_result_handle, id, st);
}

/* The shared triples are on the server now: never sent again. */
static NgStatus remember_shared(NgEndpoint *ep) {
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; ep->batch.shared && i < ng_graph_size(ep->batch.shared) && !st; ++i)
    st =
        ng_fpset_add(&ep->shared_sent, triple_fingerprint(ng_graph_get(ep->batch.shared, i)), NULL);
  return st;
}

/* ---------------------------------------------------------- sending */

/* One request; reports a final failure.  *ok tells how it went. */
static NgStatus send_request(NgEndpoint *ep, Request *req, bool *ok) {
  Response r = {.ep = ep, .req = req};
  unsigned attempts = 0;
  /* while the server is down, one try a request: the run is not held up
   * by backoff for every article, and a server that comes back is used */
  NgStatus st = perform(ep, req, &r, ep->down ? 0 : ep->retries, true, &attempts);
  *ok = !st && r.code == CURLE_OK && http_ok(r.http);
  if (!st && !*ok) report_failure(ep, NULL, req->url, &r, attempts);
  if (!st) ep->down = !*ok;
  if (!st && !*ok && r.code == CURLE_ABORTED_BY_CALLBACK) st = NG_ERR_INTERRUPTED;
  ng_buf_free(&r.body);
  return st;
}

static NgStatus send_update(NgEndpoint *ep, const NgBuf *body, bool *ok) {
  Request req = {.method = "POST",
                 .url = ep->url,
                 .content_type = "application/sparql-update",
                 .body = ng_buf_str(body),
                 .body_len = body->len};
  return send_request(ep, &req, ok);
}

static void fail_items(Batch *b, size_t first, size_t last) {
  for (size_t i = first; i <= last && i < b->n; ++i)
    b->items[i].failed = true;
}

static bool all_failed(const Batch *b, size_t first, size_t last) {
  for (size_t i = first; i <= last && i < b->n; ++i)
    if (!b->items[i].failed) return false;
  return true;
}

/* The shared part first, so that an article never refers to actors the
 * server lacks; then the DROPs of all the batch's graphs in one request;
 * then the inserts in order, each failure failing the items it carried
 * (their other requests are still sent when they carry other items too: a
 * re-send replaces the incomplete copy). */
static NgStatus flush_update(NgEndpoint *ep, bool *shared_ok) {
  Batch *b = &ep->batch;
  ChunkList shared = {NULL, 0, 0};
  ChunkSink cs = {&shared, NULL, 0}; /* adds only: no DROP */
  NgStatus st =
      b->shared ? graph_ops(b->shared, false, NULL, &ep->scope, chunk_op, &cs) : NG_SUCCESS;
  *shared_ok = true;
  for (size_t i = 0; i < shared.n && !st && *shared_ok; ++i)
    st = send_update(ep, &shared.v[i].body, shared_ok);
  chunks_free(&shared);
  if (!st && !*shared_ok) fail_items(b, 0, b->n);
  bool dropped = true;
  if (!st && *shared_ok && b->drops.len) st = send_update(ep, &b->drops, &dropped);
  if (!st && !dropped) fail_items(b, 0, b->n);
  for (size_t i = 0; i < b->chunks.n && !st && *shared_ok; ++i) {
    Chunk *c = &b->chunks.v[i];
    if (all_failed(b, c->first_item, c->last_item)) continue;
    bool ok = true;
    st = send_update(ep, &c->body, &ok);
    if (!st && !ok) fail_items(b, c->first_item, c->last_item);
  }
  return st;
}

static NgStatus graph_store_url(const NgEndpoint *ep, const char *graph, NgBuf *url) {
  char *encoded = curl_easy_escape(ep->curl, graph, 0);
  if (!encoded) return NG_ERR_NOMEM;
  ng_buf_clear(url);
  NgStatus st =
      ng_buf_printf(url, "%s%sgraph=%s", ep->url, strchr(ep->url, '?') ? "&" : "?", encoded);
  curl_free(encoded);
  return st;
}

/* POST adds to a graph, PUT replaces it (Graph Store HTTP Protocol). */
static NgStatus store_send(NgEndpoint *ep, const char *method, const char *graph, const char *nt,
                           size_t len, bool *ok) {
  NgBuf url = NG_BUF_INIT;
  NgStatus st = graph_store_url(ep, graph, &url);
  Request req = {.method = method,
                 .url = url.data,
                 .content_type = "application/n-triples",
                 .body = nt ? nt : "",
                 .body_len = len};
  if (!st) st = send_request(ep, &req, ok);
  ng_buf_free(&url);
  return st;
}

/* The shared triples in one POST, then each article in its own PUT: one
 * failing does not take the others. */
static NgStatus flush_graph_store(NgEndpoint *ep, bool *shared_ok) {
  Batch *b = &ep->batch;
  NgStatus st = NG_SUCCESS;
  *shared_ok = true;
  if (b->shared && ng_graph_size(b->shared)) {
    NgBuf nt = NG_BUF_INIT;
    for (size_t i = 0; i < ng_graph_size(b->shared) && !st; ++i)
      st = append_triple_nt(&nt, ng_graph_get(b->shared, i), 0);
    if (!st) st = store_send(ep, "POST", ng_graph_get_name(b->shared), nt.data, nt.len, shared_ok);
    ng_buf_free(&nt);
  }
  if (!st && !*shared_ok) fail_items(b, 0, b->n);
  for (size_t i = 0; i < b->n && !st && *shared_ok; ++i) {
    Item *it = &b->items[i];
    bool ok = true;
    if (it->graph)
      st = store_send(ep, "PUT", it->graph, b->body.data + it->begin, it->end - it->begin, &ok);
    if (!ok) it->failed = true;
  }
  return st;
}

NgStatus ng_endpoint_flush(NgEndpoint *ep) {
  Batch *b = &ep->batch;
  if (!b->n) return NG_SUCCESS;
  bool shared_ok = false, any_failed = false;
  NgStatus st = ep->protocol == NG_PUSH_GRAPH_STORE ? flush_graph_store(ep, &shared_ok)
                                                    : flush_update(ep, &shared_ok);
  if (!st && shared_ok) st = remember_shared(ep);
  for (size_t i = 0; i < b->n; ++i) {
    bool failed = st || b->items[i].failed;
    any_failed |= failed;
    tell(ep, b->items[i].id, failed ? (st ? st : NG_ERR_NETWORK) : NG_SUCCESS);
  }
  batch_clear(b);
  if (st) return st;
  return any_failed ? NG_ERR_NETWORK : NG_SUCCESS;
}

NgStatus ng_endpoint_push(NgEndpoint *ep, const char *id, const NgGraph *graph,
                          const NgGraph *shared) {
  Batch *b = &ep->batch;
  if (!id || (graph && !ng_graph_get_name(graph)) || (shared && !ng_graph_get_name(shared)))
    return NG_ERR_BAD_ARG;
  if (!b->n) b->started = now_seconds();
  NgStatus st = batch_add_item(b, id, graph ? ng_graph_get_name(graph) : NULL);
  if (!st && graph) st = batch_add_graph(ep, graph);
  if (!st && shared) st = batch_add_shared(ep, shared);
  if (st) {
    /* a half-queued item would go out incomplete: the whole batch is told
     * as not sent instead */
    for (size_t i = 0; i < b->n; ++i)
      tell(ep, b->items[i].id, st);
    batch_clear(b);
    return st;
  }
  bool full = b->n >= ep->batch_max || now_seconds() - b->started > BATCH_AGE ||
              (ep->protocol == NG_PUSH_UPDATE && b->triples >= BATCH_TRIPLES);
  return full ? ng_endpoint_flush(ep) : NG_SUCCESS;
}

/* ====================================================== store -> server */

/* One graph of the store to the server: the shared graph adds, the others
 * replace their namesakes. */
static NgStatus push_graph(NgQsTxn *txn, NgId g, NgEndpoint *ep, bool *failed) {
  NgGraph *graph = NULL;
  NgStatus st = ng_store_graph_new(txn, g, &graph);
  if (st) return st;
  const char *name = ng_graph_get_name(graph);
  bool shared = !strcmp(name, NG_SHARED_GRAPH);
  st = ng_endpoint_push(ep, name, shared ? NULL : graph, shared ? graph : NULL);
  ng_graph_free(graph);
  if (st == NG_ERR_NETWORK) {
    *failed = true; /* told to the callback; the other graphs still go */
    st = NG_SUCCESS;
  }
  return st;
}

static NgStatus push_named(NgStore *store, NgQsTxn *txn, const char *graph_iri, NgEndpoint *ep,
                           bool *failed) {
  NgTerm name = {NG_TERM_IRI, graph_iri, NULL, NULL};
  NgId g = 0, pattern[4] = {0, 0, 0, 0};
  uint64_t quads = 0;
  bool exact;
  NgStatus st = txn ? ng_qs_lookup(txn, &name, &g) : NG_END;
  pattern[NG_QS_G] = g;
  if (!st) st = ng_qs_estimate(txn, pattern, &quads, &exact);
  if (!st && quads) return push_graph(txn, g, ep, failed);
  if (st && st != NG_END) return st;
  ng_report(store->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, store->dir, 0, 0,
            "no graph <%s> in the store", graph_iri);
  return NG_ERR_BAD_ARG;
}

NgStatus ng_store_push(NgStore *store, const char *graph_iri, NgEndpoint *ep) {
  NgStatus st;
  NgQsTxn *txn = ng_store_read(store, &st);
  if (st == NG_END) st = NG_SUCCESS; /* no store: nothing to send */
  bool failed = false;
  if (!st && graph_iri) {
    st = push_named(store, txn, graph_iri, ep, &failed);
  } else if (!st && txn) {
    uint64_t quads;
    for (NgId g = 0; !st && (st = ng_qs_next_graph(txn, g, &g, &quads)) == NG_SUCCESS;) {
      if (ng_world_stop_requested(store->world)) st = NG_ERR_INTERRUPTED;
      if (!st) st = push_graph(txn, g, ep, &failed);
    }
    if (st == NG_END) st = NG_SUCCESS;
  }
  ng_qs_txn_abort(txn);
  NgStatus fst = ng_endpoint_flush(ep);
  if (fst == NG_ERR_NETWORK)
    failed = true;
  else if (!st)
    st = fst;
  return st ? st : failed ? NG_ERR_NETWORK : NG_SUCCESS;
}
