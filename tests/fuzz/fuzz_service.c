/* fuzz_service.c - queries that try to reach files and the network
 * (SERVICE, FROM, LOAD, in every spelling the fuzzer finds) never make the
 * process read a file outside the store or open a connection.
 *
 * The harness owns connect(), open(), openat() and fopen() (the
 * executable's definitions come before libc's for every library: Rasqal,
 * Raptor, libcurl and libxml2 call these): a connection is refused without
 * a packet, and aborts the run unless services are allowed; a file that is
 * not the store's, a system file or this process's own is an abort, and so
 * is the canary /tmp/newsgraph-fuzz-canary.srj, which the dictionary names
 * in file: IRIs (caught by its name: the file is never made, and the
 * harness leaves nothing behind but removes its scratch folder).
 *
 * Input: byte 0: bit 0 allows SERVICE (then only http and https may try to
 * connect, and are refused here); bits 1-3 pick the result format; bit 4
 * the engine (native, or librdf and Rasqal: --engine redland); the rest is
 * the query. */
#define NG_FUZZ_NO_LEAK_CHECK /* Redland: see fuzz.h */
#define _GNU_SOURCE
#include "fuzz.h"
#include "query.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
  NgFuzzSink sink;
  NgWorld *world;
  NgStore *store;
  FILE *devnull;
  char store_dir[4096];
  char tmp[4096];        /* the scratch folder */
  bool allow;            /* this input allows SERVICE */
  bool watching;         /* a query runs: the hooks check (libFuzzer reads its corpus) */
  unsigned long refused; /* connections refused (allowed inputs only) */
} State;

static State *state; /* see fuzz.h: no context pointer in libFuzzer */

/* --------------------------------------------------------- the hooks */

static bool system_path(const char *path) {
  static const char *const prefixes[] = {"/proc/", "/sys/", "/dev/", "/usr/", "/lib", "/etc/"};
  for (size_t i = 0; i < NG_COUNTOF(prefixes); ++i)
    if (!strncmp(path, prefixes[i], strlen(prefixes[i]))) return true;
  return false;
}

/* Opens by path: the store's files, system files (locale, certificates,
 * DNS configuration), the scratch folder of the harness.  Anything else
 * is a query reaching the file system. */
static void check_path(const char *path) {
  if (!path || !state || !state->watching) return;
  NG_FUZZ_CHECK(!strstr(path, "newsgraph-fuzz-canary"), "the canary file was opened: %s", path);
  bool ok = system_path(path) || !strncmp(path, state->store_dir, strlen(state->store_dir)) ||
            !strncmp(path, state->tmp, strlen(state->tmp)) || strstr(path, ".netrc");
  NG_FUZZ_CHECK(ok, "a file outside the store was opened: %s", path);
}

__attribute__((visibility("default"))) int connect(int fd, const struct sockaddr *addr,
                                                   socklen_t len) {
  (void)fd, (void)addr, (void)len;
  NG_FUZZ_CHECK(state && state->watching && state->allow,
                "a connection was tried with SERVICE refused");
  state->refused++;
  errno = ECONNREFUSED; /* no packet leaves */
  return -1;
}

typedef int (*OpenFn)(const char *, int, ...);
typedef int (*OpenAtFn)(int, const char *, int, ...);
typedef FILE *(*FopenFn)(const char *, const char *);

__attribute__((visibility("default"))) int open(const char *path, int flags, ...) {
  check_path(path);
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
  va_end(ap);
  static OpenFn real;
  if (!real) real = (OpenFn)dlsym(RTLD_NEXT, "open");
  return real(path, flags, mode);
}

__attribute__((visibility("default"))) int openat(int dir, const char *path, int flags, ...) {
  if (path[0] == '/') check_path(path);
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
  va_end(ap);
  static OpenAtFn real;
  if (!real) real = (OpenAtFn)dlsym(RTLD_NEXT, "openat");
  return real(dir, path, flags, mode);
}

__attribute__((visibility("default"))) FILE *fopen(const char *path, const char *mode) {
  check_path(path);
  static FopenFn real;
  if (!real) real = (FopenFn)dlsym(RTLD_NEXT, "fopen");
  return real(path, mode);
}

/* the large-file names, which libraries built with _FILE_OFFSET_BITS=64 call */
__attribute__((visibility("default"))) int open64(const char *path, int flags, ...) {
  check_path(path);
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
  va_end(ap);
  static OpenFn real;
  if (!real) real = (OpenFn)dlsym(RTLD_NEXT, "open64");
  return real(path, flags, mode);
}

__attribute__((visibility("default"))) int openat64(int dir, const char *path, int flags, ...) {
  if (path[0] == '/') check_path(path);
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
  va_end(ap);
  static OpenAtFn real;
  if (!real) real = (OpenAtFn)dlsym(RTLD_NEXT, "openat64");
  return real(dir, path, flags, mode);
}

__attribute__((visibility("default"))) FILE *fopen64(const char *path, const char *mode) {
  check_path(path);
  static FopenFn real;
  if (!real) real = (FopenFn)dlsym(RTLD_NEXT, "fopen64");
  return real(path, mode);
}

/* ----------------------------------------------------------- the store */

static void free_state(void) {
  ng_store_free(state->store);
  ng_world_free(state->world);
  fclose(state->devnull);
  free(state);
  state = NULL;
}

/* A store with one article: the query has a graph to read. */
static State *get_state(void) {
  if (state) return state;
  State *s = calloc(1, sizeof *s);
  NG_FUZZ_CHECK(s != NULL, "out of memory");
  snprintf(s->tmp, sizeof s->tmp, "%s", ng_fuzz_scratch()); /* fresh: removed at exit */
  snprintf(s->store_dir, sizeof s->store_dir, "%.4000s/store", s->tmp);
  s->world = ng_fuzz_world_new(&s->sink);
  NgStatus st = NG_SUCCESS;
  NgStore *w = ng_store_open(s->world, s->store_dir, NG_STORE_WRITE, &st);
  NG_FUZZ_CHECK(w != NULL, "cannot make the store: %d", st);
  NgGraph *g = ng_graph_new("http://example.org/g");
  NgTerm subject = {NG_TERM_IRI, "http://example.org/s", NULL, NULL};
  NgTerm predicate = {NG_TERM_IRI, "http://example.org/p", NULL, NULL};
  NgTerm object = {NG_TERM_LITERAL, "o", NULL, NULL};
  NG_FUZZ_CHECK(g && !ng_graph_add(g, &subject, &predicate, &object), "graph");
  NG_FUZZ_CHECK(!ng_store_replace_graph(w, g) && !ng_store_close(w), "cannot write the store");
  ng_graph_free(g);
  s->store = ng_store_open(s->world, s->store_dir, NG_STORE_READ, &st);
  NG_FUZZ_CHECK(s->store != NULL, "cannot open the store: %d", st);
  s->devnull = fopen("/dev/null", "w");
  NG_FUZZ_CHECK(s->devnull != NULL, "no /dev/null");
  ng_world_set_network_timeout(s->world, 1);
  state = s;
  atexit(free_state);
  return s;
}

/* Does the text name an http(s) service the harness may see connect? */
static bool names_http(const char *text) {
  return strcasestr(text, "http://") || strcasestr(text, "https://");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  State *s = get_state();
  NgFuzzInput in = {data, size};
  unsigned flags = ng_fuzz_byte(&in);
  s->allow = flags & 1;
  ng_world_set_allow_service(s->world, s->allow);
  NgResultsFormat format = (NgResultsFormat)((flags >> 1 & 7) % 5);
  NgQueryOptions options;
  ng_query_options_init(&options);
  options.engine = flags & 16 ? NG_ENGINE_REDLAND : NG_ENGINE_NATIVE;
  char *text = malloc(in.size + 1);
  NG_FUZZ_CHECK(text != NULL, "out of memory");
  memcpy(text, in.data, in.size);
  text[in.size] = '\0';
  unsigned long errors = s->sink.errors, refused = s->refused;
  s->watching = true;
  NgStatus st = ng_store_query_with(s->store, text, "fuzz.rq", &options, format, s->devnull);
  s->watching = false;
  if (st != NG_SUCCESS && st != NG_ERR_INTERRUPTED)
    NG_FUZZ_CHECK(s->sink.errors > errors || st == NG_ERR_IO, "status %d without an error", st);
  /* a connection is tried only for a service named http:// or https:// */
  if (s->refused > refused)
    NG_FUZZ_CHECK(strcasestr(text, "SERVICE") && names_http(text), "a connection for '%.80s'",
                  text);
  free(text);
  return 0;
}
