/* fuzz_sparql.c - query text handling: newsgraph's own SPARQL parser and
 * engine (ng_store_query on an empty store; the text also parsed as an
 * update request), the prelude of project prefixes
 * (ng_sparql_prelude: the BASE and PREFIX scan, kept for --endpoint), the error
 * locator (ng_probe_error_offset) and the result writers, on an empty store.
 *
 * Input: byte 0 picks the result format; the rest is the query text (cut
 * at the first NUL, as a C string is).  A second pass runs the error
 * locator alone with a stand-in parser that fails at a byte chosen by the
 * input, so that its search is checked against a known answer. */
#define NG_FUZZ_NO_LEAK_CHECK /* Redland: see fuzz.h */
#include "fuzz.h"
#include "query.h"

#include <unistd.h>

typedef struct {
  NgFuzzSink sink;
  NgWorld *world;
  NgStore *store;
  FILE *devnull;
} State;

static State *state; /* see fuzz.h: no context pointer in libFuzzer */

static void free_state(void) {
  ng_store_free(state->store);
  ng_world_free(state->world);
  fclose(state->devnull);
  free(state);
  state = NULL;
}

/* A read-only store in a folder that does not exist: an empty graph. */
static State *get_state(void) {
  if (state) return state;
  state = calloc(1, sizeof *state);
  NG_FUZZ_CHECK(state != NULL, "out of memory");
  state->world = ng_fuzz_world_new(&state->sink);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/ng-fuzz-sparql-none-%ld", ng_fuzz_tmpdir(), (long)getpid());
  NgStatus st = NG_SUCCESS;
  state->store = ng_store_open(state->world, dir, NG_STORE_READ, &st);
  NG_FUZZ_CHECK(state->store != NULL, "cannot open an empty store: %d", st);
  state->devnull = fopen("/dev/null", "w");
  NG_FUZZ_CHECK(state->devnull != NULL, "no /dev/null");
  atexit(free_state);
  return state;
}

/* The stand-in parser fails when the prefix reaches byte `bad`. */
typedef struct {
  size_t bad;
  unsigned long calls;
} Fake;

static bool fake_fails(void *ctx, const char *text, size_t len) {
  Fake *f = ctx;
  (void)text;
  f->calls++;
  return len > f->bad;
}

/* The offset found is inside the text and the search is a binary one
 * (the token holding byte `bad` may start after it when `bad` is space). */
static void check_locator(const char *text, size_t len, size_t bad) {
  Fake fake = {bad, 0};
  size_t offset = (size_t)-1;
  bool found = ng_probe_error_offset(text, len, 0, fake_fails, &fake, &offset);
  if (!found) return;
  NG_FUZZ_CHECK(offset < len, "offset %zu for a failure at %zu of %zu", offset, bad, len);
  NG_FUZZ_CHECK(fake.calls <= 2 + 64, "%lu parses", fake.calls);
  if (offset > bad) /* only space, comments or punctuation lie between */
    NG_FUZZ_CHECK(!(text[bad] >= 'a' && text[bad] <= 'z') || memchr(text, '#', bad),
                  "offset %zu after a word at %zu", offset, bad);
}

/* The prelude keeps the user's text where it was: after the prelude line
 * comes the user's text byte for byte (a byte order mark dropped, a
 * leading BASE blanked with spaces), so line:col of errors stay right. */
static void check_prelude(const char *user, bool used_only) {
  NgBuf text = NG_BUF_INIT;
  size_t prelude = 0;
  if (ng_sparql_prelude(&text, user, used_only, &prelude) != NG_SUCCESS) {
    ng_buf_free(&text);
    return;
  }
  if (!strncmp(user, "\xef\xbb\xbf", 3)) user += 3;
  size_t len = strlen(user);
  NG_FUZZ_CHECK(prelude <= text.len && text.len - prelude == len, "prelude %zu, text %zu, user %zu",
                prelude, text.len, len);
  NG_FUZZ_CHECK(prelude > 0 && text.data[prelude - 1] == '\n', "prelude not on a line of its own");
  for (size_t i = 0; i < len; ++i) {
    char c = text.data[prelude + i];
    NG_FUZZ_CHECK(c == user[i] || (c == ' ' && user[i] != '\n'), "byte %zu changed", i);
  }
  ng_buf_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  State *s = get_state();
  NgFuzzInput in = {data, size};
  NgResultsFormat format = (NgResultsFormat)(ng_fuzz_byte(&in) % 5);
  char *text = malloc(in.size + 1);
  NG_FUZZ_CHECK(text != NULL, "out of memory");
  memcpy(text, in.data, in.size);
  text[in.size] = '\0';
  unsigned long errors = s->sink.errors;
  NgStatus st = ng_store_query(s->store, text, "fuzz.rq", format, s->devnull);
  if (st == NG_ERR_SYNTAX || st == NG_ERR_QUERY)
    NG_FUZZ_CHECK(s->sink.errors > errors, "status %d without an error reported", st);
  /* the same text as an update request: parsed only (the store is read-only) */
  errors = s->sink.errors;
  st = ng_sparql_check(s->world, text, "fuzz.ru", "http://example.org/base/", true);
  if (st == NG_ERR_SYNTAX)
    NG_FUZZ_CHECK(s->sink.errors > errors, "update: status %d without an error reported", st);
  NG_FUZZ_CHECK(st == NG_SUCCESS || st == NG_ERR_SYNTAX, "update parse: status %d", st);
  check_prelude(text, size & 1);
  size_t len = strlen(text);
  if (len) check_locator(text, len, (size_t)data[0] * 7 % len);
  free(text);
  return 0;
}
