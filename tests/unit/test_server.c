/* test_server.c - the SPARQL server (query/server.c) in-process: what it
 * refuses to start on, answers equal to the store's own, negotiation,
 * strict decoding of requests, a full queue, updates and their token, our
 * own endpoint client against it, and a stop that ends a running query. */
#include "internal.h"
#include "query.h"
#include "unit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------- helpers */

typedef struct {
  char text[8192];
  size_t len;
} Captured;

static void capture(void *handle, const NgError *e) {
  Captured *c = handle;
  int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s\n", e->message);
  if (n > 0 && (size_t)n < sizeof c->text - c->len) c->len += (size_t)n;
}

static char *temp_dir(void) {
  char *dir = strdup("/tmp/ng-server-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  return dir;
}

static void remove_dir(char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
  free(dir);
}

/* A store in DIR/db holding n people with names, in one graph. */
static char *make_store(const char *dir, int n) {
  char *path = malloc(strlen(dir) + 4);
  sprintf(path, "%s/db", dir);
  NgWorld *w = ng_world_new();
  NgStatus st;
  NgStore *store = ng_store_open(w, path, NG_STORE_WRITE, &st);
  ck_assert_ptr_nonnull(store);
  NgGraph *g = ng_graph_new("http://ex.org/g");
  for (int i = 0; i < n; ++i) {
    char s[64], name[64];
    snprintf(s, sizeof s, "http://ex.org/person/%03d", i);
    snprintf(name, sizeof name, "Person %03d", i);
    NgTerm ts = {NG_TERM_IRI, s, NULL, NULL}, tp = {NG_TERM_IRI, "http://ex.org/name", NULL, NULL},
           to = {NG_TERM_LITERAL, name, NULL, NULL};
    ck_assert_int_eq(ng_graph_add(g, &ts, &tp, &to), NG_SUCCESS);
  }
  ck_assert_int_eq(ng_store_replace_graph_take(store, g), NG_SUCCESS);
  ck_assert_int_eq(ng_store_close(store), NG_SUCCESS);
  ng_world_free(w);
  return path;
}

typedef struct {
  NgServer *server;
  NgStatus st;
} Running;

static void *run_server(void *arg) {
  Running *r = arg;
  r->st = ng_server_run(r->server);
  return NULL;
}

/* One HTTP exchange on a fresh connection: the status code, the headers
 * and the body (caller frees *head and *body). */
static int http(unsigned port, const char *request, size_t len, char **head, char **body) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ck_assert_int_ge(fd, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
  size_t sent = 0;
  while (sent < len) {
    ssize_t n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += (size_t)n;
  }
  NgBuf in = NG_BUF_INIT;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
    ck_assert_int_eq(ng_buf_append(&in, buf, (size_t)n), NG_SUCCESS);
  close(fd);
  const char *all = ng_buf_str(&in);
  int code = 0;
  sscanf(all, "HTTP/1.%*d %d", &code);
  const char *split = strstr(all, "\r\n\r\n");
  size_t hlen = split ? (size_t)(split - all) : strlen(all);
  if (head) *head = strndup(all, hlen);
  if (body) *body = strdup(split ? split + 4 : "");
  ng_buf_free(&in);
  return code;
}

static int get(unsigned port, const char *target, const char *accept, char **head, char **body) {
  char req[4096];
  int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%sConnection: close\r\n\r\n",
                   target, accept ? "Accept: " : "", accept ? accept : "", accept ? "\r\n" : "");
  return http(port, req, (size_t)n, head, body);
}

static int post(unsigned port, const char *target, const char *type, const char *extra,
                const char *data, char **body) {
  char req[8192];
  int n = snprintf(req, sizeof req,
                   "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\n%s"
                   "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                   target, type, extra ? extra : "", strlen(data), data);
  return http(port, req, (size_t)n, NULL, body);
}

static NgServer *start(NgWorld *w, NgServerOptions *o, pthread_t *thread, Running *r) {
  NgStatus st;
  o->bind = "127.0.0.1:0";
  NgServer *server = ng_server_new(w, o, &st);
  ck_assert_msg(server != NULL, "ng_server_new: %s", ng_strerror(st));
  ck_assert_uint_gt(ng_server_port(server), 0);
  r->server = server;
  ck_assert_int_eq(pthread_create(thread, NULL, run_server, r), 0);
  return server;
}

static void finish(NgServer *server, pthread_t thread, Running *r) {
  ng_server_stop(server);
  ck_assert_int_eq(pthread_join(thread, NULL), 0);
  ck_assert_int_eq(r->st, NG_SUCCESS);
  ng_server_free(server);
}

static char *store_answer(const char *path, const char *query, NgResultsFormat format) {
  NgWorld *w = ng_world_new();
  NgStatus st;
  NgStore *store = ng_store_open(w, path, NG_STORE_READ, &st);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  ck_assert_int_eq(ng_store_query(store, query, "q", format, out), NG_SUCCESS);
  fclose(out);
  ng_store_free(store);
  ng_world_free(w);
  return text;
}

/* --------------------------------------------------------------- tests */

START_TEST(refuses_to_start_wrongly) {
  Captured c = {"", 0};
  NgWorld *w = ng_world_new();
  ng_world_set_error_sink(w, capture, &c);
  char *dir = temp_dir();
  char missing[600];
  snprintf(missing, sizeof missing, "%s/none", dir);
  NgServerOptions o;
  ng_server_options_init(&o);
  o.store_dir = missing;
  o.bind = "127.0.0.1:0";
  NgStatus st = NG_SUCCESS;
  ck_assert_ptr_null(ng_server_new(w, &o, &st));
  ck_assert_int_eq(st, NG_ERR_IO);
  ck_assert_ptr_nonnull(strstr(c.text, "no store at"));
  char *path = make_store(dir, 3);
  o.store_dir = path;
  static const char *const bad[] = {"localhost:80", "127.0.0.1:70000", "127.0.0.1:", "[::1]80",
                                    "1.2.3.4.5:8"};
  for (size_t i = 0; i < NG_COUNTOF(bad); ++i) {
    o.bind = bad[i];
    ck_assert_ptr_null(ng_server_new(w, &o, &st));
    ck_assert_int_eq(st, NG_ERR_BAD_ARG);
  }
  o.bind = "127.0.0.1:0";
  o.allow_update = true;
  o.token = "short";
  ck_assert_ptr_null(ng_server_new(w, &o, &st));
  ck_assert_int_eq(st, NG_ERR_BAD_ARG);
  free(path);
  remove_dir(dir);
  ng_world_free(w);
}
END_TEST

START_TEST(answers_as_the_store_does) {
  NgWorld *w = ng_world_new();
  char *dir = temp_dir(), *path = make_store(dir, 30);
  NgServerOptions o;
  ng_server_options_init(&o);
  o.store_dir = path;
  pthread_t t;
  Running r;
  NgServer *s = start(w, &o, &t, &r);
  unsigned port = ng_server_port(s);
  const char *q = "SELECT ?s ?n WHERE { ?s <http://ex.org/name> ?n } ORDER BY ?n";
  const char *enc = "SELECT%20%3Fs%20%3Fn%20WHERE%20%7B%20%3Fs%20%3Chttp%3A%2F%2Fex.org%2Fname%3E"
                    "%20%3Fn%20%7D%20ORDER%20BY%20%3Fn";
  char target[1024], *head, *body;
  snprintf(target, sizeof target, "/sparql?query=%s", enc);
  static const struct {
    const char *accept, *type;
    NgResultsFormat format;
  } cases[] = {{NULL, "application/sparql-results+json", NG_RESULTS_JSON},
               {"text/csv", "text/csv", NG_RESULTS_CSV},
               {"text/tab-separated-values", "text/tab-separated-values", NG_RESULTS_TSV},
               {"application/sparql-results+xml", "application/sparql-results+xml", NG_RESULTS_XML},
               {"text/csv;q=0.2, application/sparql-results+json;q=0.9", "application/sparql-results+json",
                NG_RESULTS_JSON}};
  for (size_t i = 0; i < NG_COUNTOF(cases); ++i) {
    ck_assert_int_eq(get(port, target, cases[i].accept, &head, &body), 200);
    char want[128];
    snprintf(want, sizeof want, "Content-Type: %s", cases[i].type);
    ck_assert_msg(strstr(head, want) != NULL, "%s: %s", cases[i].type, head);
    ck_assert_ptr_nonnull(strstr(head, "Access-Control-Allow-Origin: *"));
    char *expected = store_answer(path, q, cases[i].format);
    ck_assert_str_eq(body, expected);
    free(expected);
    free(head);
    free(body);
  }
  /* the same by POST, URL-encoded ('+' is a space) and direct */
  char *csv = store_answer(path, q, NG_RESULTS_CSV);
  char form[1024];
  snprintf(form, sizeof form, "query=%s&format=csv", enc);
  ck_assert_int_eq(post(port, "/sparql", "application/x-www-form-urlencoded", NULL, form, &body), 200);
  ck_assert_str_eq(body, csv);
  free(body);
  ck_assert_int_eq(post(port, "/sparql?format=csv", "application/sparql-query", NULL, q, &body), 200);
  ck_assert_str_eq(body, csv);
  free(body);
  ck_assert_int_eq(get(port, "/sparql?query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D", "text/csv", NULL, &body), 200);
  ck_assert_str_eq(body, "_askResult\r\ntrue\r\n");
  free(body);
  /* our own endpoint client reads what it serves */
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/sparql", port);
  NgStatus st;
  NgEndpoint *ep = ng_endpoint_new(w, url, &st);
  ck_assert_ptr_nonnull(ep);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  ck_assert_int_eq(ng_endpoint_query(ep, q, "q", NG_RESULTS_CSV, out), NG_SUCCESS);
  fclose(out);
  ck_assert_str_eq(text, csv);
  free(text);
  ng_endpoint_free(ep);
  free(csv);
  /* graph answers */
  const char *construct = "/sparql?query=CONSTRUCT+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D";
  ck_assert_int_eq(get(port, construct, "application/n-triples", &head, &body), 200);
  ck_assert_ptr_nonnull(strstr(head, "Content-Type: application/n-triples"));
  ck_assert_ptr_nonnull(strstr(body, "<http://ex.org/person/007> <http://ex.org/name> \"Person 007\" .\n"));
  free(head);
  free(body);
  ck_assert_int_eq(get(port, construct, "image/png", NULL, &body), 406);
  free(body);
  ck_assert_int_eq(get(port, "/store?graph=http%3A%2F%2Fex.org%2Fg", "application/n-quads", &head, &body), 200);
  ck_assert_ptr_nonnull(strstr(body, "\"Person 029\" <http://ex.org/g> .\n"));
  free(head);
  free(body);
  ck_assert_int_eq(get(port, "/store?graph=http%3A%2F%2Fex.org%2Fnone", NULL, NULL, &body), 404);
  free(body);
  ck_assert_int_eq(get(port, "/sparql", NULL, &head, &body), 200);
  ck_assert_ptr_nonnull(strstr(body, "sd:Service"));
  free(head);
  free(body);
  finish(s, t, &r);
  remove_dir(dir);
  free(path);
  ng_world_free(w);
}
END_TEST

START_TEST(malformed_requests_are_refused) {
  NgWorld *w = ng_world_new();
  char *dir = temp_dir(), *path = make_store(dir, 3);
  NgServerOptions o;
  ng_server_options_init(&o);
  o.store_dir = path;
  o.max_request = 1000;
  pthread_t t;
  Running r;
  NgServer *s = start(w, &o, &t, &r);
  unsigned port = ng_server_port(s);
  static const char *const bad[] = {"/sparql?query=%ZZ", "/sparql?query=%4", "/sparql?query=%C3%28",
                                    "/sparql?query=a%00b", "/sparql?query=1&query=2",
                                    "/sparql?query=SELECT", "/spa%ZZrql"};
  char *body;
  for (size_t i = 0; i < NG_COUNTOF(bad); ++i) {
    ck_assert_msg(get(port, bad[i], NULL, NULL, &body) == 400, "%s", bad[i]);
    free(body);
  }
  char big[1200];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  ck_assert_int_eq(post(port, "/sparql", "application/sparql-query", NULL, big, &body), 413);
  free(body);
  ck_assert_int_eq(post(port, "/sparql", "text/plain", NULL, "x", &body), 415);
  free(body);
  ck_assert_int_eq(post(port, "/update", "application/sparql-update", NULL, "CLEAR ALL", &body), 403);
  free(body);
  ck_assert_int_eq(get(port, "/sparql?update=CLEAR+ALL", NULL, NULL, &body), 400);
  free(body);
  /* a request line past the connection's memory: 414 */
  size_t n = 64 * 1024;
  char *line = malloc(n + 64);
  int k = sprintf(line, "GET /sparql?query=");
  memset(line + k, 'a', n);
  strcpy(line + k + n, " HTTP/1.1\r\nHost: x\r\n\r\n");
  int code = http(port, line, strlen(line), NULL, &body);
  ck_assert_msg(code == 414 || code == 431, "a 64 KiB request line: %d", code);
  free(body);
  free(line);
  /* the server still answers */
  ck_assert_int_eq(get(port, "/sparql?query=ASK%7B%7D", NULL, NULL, &body), 200);
  free(body);
  finish(s, t, &r);
  remove_dir(dir);
  free(path);
  ng_world_free(w);
}
END_TEST

START_TEST(a_full_queue_answers_503) {
  NgWorld *w = ng_world_new();
  char *dir = temp_dir(), *path = make_store(dir, 3);
  NgServerOptions o;
  ng_server_options_init(&o);
  o.store_dir = path;
  o.threads = 1;
  o.queue = 0; /* nothing may wait: every query is refused */
  pthread_t t;
  Running r;
  NgServer *s = start(w, &o, &t, &r);
  char *head, *body;
  ck_assert_int_eq(get(ng_server_port(s), "/sparql?query=ASK%7B%7D", NULL, &head, &body), 503);
  ck_assert_ptr_nonnull(strstr(head, "Retry-After: 1"));
  free(head);
  free(body);
  /* what needs no worker is still served */
  ck_assert_int_eq(get(ng_server_port(s), "/meta.json", NULL, NULL, &body), 200);
  ck_assert_ptr_nonnull(strstr(body, "\"ng\":\"https://w3id.org/newsgraph/ns#\""));
  free(body);
  finish(s, t, &r);
  remove_dir(dir);
  free(path);
  ng_world_free(w);
}
END_TEST

START_TEST(updates_need_the_token) {
  NgWorld *w = ng_world_new();
  char *dir = temp_dir(), *path = make_store(dir, 3);
  NgServerOptions o;
  ng_server_options_init(&o);
  o.store_dir = path;
  o.allow_update = true;
  o.token = "0123456789abcdef";
  pthread_t t;
  Running r;
  NgServer *s = start(w, &o, &t, &r);
  unsigned port = ng_server_port(s);
  const char *ins = "INSERT DATA { GRAPH <http://ex.org/h> { <http://ex.org/x> <http://ex.org/name> \"X\" } }";
  char *body;
  ck_assert_int_eq(post(port, "/update", "application/sparql-update", NULL, ins, &body), 401);
  free(body);
  ck_assert_int_eq(post(port, "/update", "application/sparql-update",
                        "Authorization: Bearer 0123456789abcdeF\r\n", ins, &body), 401);
  free(body);
  ck_assert_int_eq(post(port, "/update", "application/sparql-update",
                        "Authorization: Bearer 0123456789abcdef\r\n",
                        "LOAD <file:///etc/passwd> INTO GRAPH <http://ex.org/p>", &body), 403);
  free(body);
  ck_assert_int_eq(post(port, "/update", "application/sparql-update",
                        "Authorization: Bearer 0123456789abcdef\r\n", ins, &body), 204);
  free(body);
  ck_assert_int_eq(get(port, "/sparql?query=SELECT+%3Fn+%7B+%3Chttp%3A%2F%2Fex.org%2Fx%3E+%3Fp+%3Fn+%7D",
                       "text/csv", NULL, &body), 200);
  ck_assert_str_eq(body, "n\r\nX\r\n");
  free(body);
  finish(s, t, &r);
  remove_dir(dir);
  free(path);
  ng_world_free(w);
}
END_TEST

typedef struct {
  unsigned port;
  int code;
  char *body;
} LongQuery;

static void *long_query(void *arg) {
  LongQuery *q = arg;
  /* 300^4 = 8.1e9 solutions: hours */
  q->code = get(q->port, "/sparql?query=SELECT+(COUNT(*)+AS+%3Fn)+%7B+%3Fa+%3Fb+%3Fc+.+%3Fd+%3Fe+%3Ff+"
                         ".+%3Fg+%3Fh+%3Fi+.+%3Fj+%3Fk+%3Fl+%7D",
                NULL, NULL, &q->body);
  return NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(timeouts_and_stop_end_running_queries) {
  NgWorld *w = ng_world_new();
  char *dir = temp_dir(), *path = make_store(dir, 300);
  NgServerOptions o;
  ng_server_options_init(&o);
  o.store_dir = path;
  o.timeout = 0.5;
  pthread_t t, c;
  Running r;
  NgServer *s = start(w, &o, &t, &r);
  LongQuery q = {ng_server_port(s), 0, NULL};
  double t0 = now();
  long_query(&q);
  ck_assert_int_eq(q.code, 503);
  ck_assert_ptr_nonnull(strstr(q.body, "longer than the server's limit of 0.5 s"));
  ck_assert_double_lt(now() - t0, 5);
  free(q.body);
  finish(s, t, &r);
  /* no timeout: the stop ends it */
  o.timeout = 0;
  s = start(w, &o, &t, &r);
  q.port = ng_server_port(s);
  ck_assert_int_eq(pthread_create(&c, NULL, long_query, &q), 0);
  struct timespec pause = {0, 300 * 1000 * 1000};
  nanosleep(&pause, NULL);
  t0 = now();
  ng_server_stop(s);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_double_lt(now() - t0, 5);
  ck_assert_int_eq(pthread_join(c, NULL), 0);
  ck_assert_int_eq(q.code, 503);
  free(q.body);
  ng_server_free(s);
  remove_dir(dir);
  free(path);
  ng_world_free(w);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("server");
  TCase *tc = tcase_create("server");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, refuses_to_start_wrongly);
  tcase_add_test(tc, answers_as_the_store_does);
  tcase_add_test(tc, malformed_requests_are_refused);
  tcase_add_test(tc, a_full_queue_answers_503);
  tcase_add_test(tc, updates_need_the_token);
  tcase_add_test(tc, timeouts_and_stop_end_running_queries);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
