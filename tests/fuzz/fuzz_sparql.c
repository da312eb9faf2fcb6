/* fuzz_sparql.c - query text handling: newsgraph's own SPARQL parser and
 * engine (ng_store_query_with over a small store of several graphs, and the
 * text as an update request run on it), the prelude of project prefixes
 * (ng_sparql_prelude: the BASE and PREFIX scan, kept for --endpoint), the
 * error locator (ng_probe_error_offset) and the result writers.
 *
 * Input: byte 0 picks the result format; the rest is the query text (cut
 * at the first NUL, as a C string is).  A second pass runs the error
 * locator alone with a stand-in parser that fails at a byte chosen by the
 * input, so that its search is checked against a known answer.
 *
 * The store holds numbers, dates, strings with and without language tags,
 * blank nodes and IRIs in three graphs, so that joins, filters, paths,
 * aggregates and ordering meet real values; every 64 inputs (updates
 * change it) it is made again.  A query may take 2 s and 10,000 rows: a
 * cross product is slow, not wrong.  Update requests that LOAD are only
 * parsed (LOAD reads any local file; tests/e2e/input-limits.sh and
 * hostile-rdf.sh test it). */
#define _GNU_SOURCE /* strcasestr */
#define NG_FUZZ_NO_LEAK_CHECK /* Redland: see fuzz.h */
#include "fuzz.h"
#include "query.h"

#define INPUTS_PER_STORE 64

typedef struct {
  NgFuzzSink sink;
  NgWorld *world;
  NgStore *store;
  char dir[4200];
  unsigned inputs; /* run on the current store */
  FILE *devnull;
} State;

static State *state; /* see fuzz.h: no context pointer in libFuzzer */

/* subject, predicate, object (a literal when it starts with a quote:
 * "text" then @lang or ^^datatype; _: a blank node), graph */
static const char *const quads[][4] = {
    {"http://e.org/a", "http://e.org/knows", "http://e.org/b", "http://e.org/g1"},
    {"http://e.org/b", "http://e.org/knows", "http://e.org/c", "http://e.org/g1"},
    {"http://e.org/c", "http://e.org/knows", "http://e.org/a", "http://e.org/g2"},
    {"http://e.org/a", "http://e.org/knows", "_:n1", "http://e.org/g2"},
    {"_:n1", "http://e.org/name", "\"Nemo", "http://e.org/g2"},
    {"http://e.org/a", "http://e.org/name", "\"Alice@en", "http://e.org/g1"},
    {"http://e.org/a", "http://e.org/name", "\"Alicia@es", "http://e.org/g3"},
    {"http://e.org/b", "http://e.org/name", "\"Bob", "http://e.org/g1"},
    {"http://e.org/c", "http://e.org/name", "\"Carol^^http://www.w3.org/2001/XMLSchema#string",
     "http://e.org/g3"},
    {"http://e.org/a", "http://e.org/age", "\"30^^http://www.w3.org/2001/XMLSchema#integer",
     "http://e.org/g1"},
    {"http://e.org/b", "http://e.org/age", "\"25.5^^http://www.w3.org/2001/XMLSchema#decimal",
     "http://e.org/g1"},
    {"http://e.org/c", "http://e.org/age", "\"1e2^^http://www.w3.org/2001/XMLSchema#double",
     "http://e.org/g2"},
    {"http://e.org/c", "http://e.org/age", "\"old", "http://e.org/g3"},
    {"http://e.org/a", "http://e.org/born",
     "\"1990-05-01^^http://www.w3.org/2001/XMLSchema#date", "http://e.org/g1"},
    {"http://e.org/b", "http://e.org/born",
     "\"1985-01-01T10:00:00Z^^http://www.w3.org/2001/XMLSchema#dateTime", "http://e.org/g2"},
    {"http://e.org/b", "http://e.org/ok", "\"true^^http://www.w3.org/2001/XMLSchema#boolean",
     "http://e.org/g2"},
    {"http://e.org/a", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://e.org/P",
     "http://e.org/g1"},
    {"http://e.org/b", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://e.org/P",
     "http://e.org/g1"},
    {"http://e.org/P", "http://www.w3.org/2000/01/rdf-schema#subClassOf", "http://e.org/Q",
     "http://e.org/g3"},
    {"http://e.org/a", "http://e.org/knows", "http://e.org/b", "http://e.org/g3"},
};

static void to_term(const char *text, NgTerm *t, char *buf, size_t cap) {
  *t = (NgTerm){NG_TERM_IRI, text, NULL, NULL};
  if (!strncmp(text, "_:", 2)) {
    t->kind = NG_TERM_BLANK;
    t->value = text + 2;
  } else if (text[0] == '"') {
    snprintf(buf, cap, "%s", text + 1);
    t->kind = NG_TERM_LITERAL;
    t->value = buf;
    char *at = strchr(buf, '@'), *dt = strstr(buf, "^^");
    if (at) *at = '\0', t->lang = at + 1;
    if (dt) *dt = '\0', t->datatype = dt + 2;
  }
}

static NgStore *make_store(State *s) {
  ng_fuzz_remove_tree(s->dir);
  NgStatus st = NG_SUCCESS;
  NgStore *w = ng_store_open(s->world, s->dir, NG_STORE_WRITE, &st);
  NG_FUZZ_CHECK(w != NULL, "cannot make the store: %d", st);
  for (size_t i = 0; i < NG_COUNTOF(quads); ++i) {
    NgGraph *g = ng_graph_new(quads[i][3]);
    NgTerm t[3];
    char buf[3][128];
    for (int k = 0; k < 3; ++k)
      to_term(quads[i][k], &t[k], buf[k], sizeof buf[k]);
    NG_FUZZ_CHECK(g && !ng_graph_add(g, &t[0], &t[1], &t[2]), "graph %zu", i);
    NG_FUZZ_CHECK(!ng_store_add_graph(w, g), "cannot write the store");
    ng_graph_free(g);
  }
  NG_FUZZ_CHECK(!ng_store_sync(w), "cannot write the store");
  return w;
}

static void free_state(void) {
  ng_store_free(state->store);
  ng_world_free(state->world);
  fclose(state->devnull);
  free(state);
  state = NULL;
}

static State *get_state(void) {
  if (state) {
    if (++state->inputs % INPUTS_PER_STORE == 0) {
      ng_store_free(state->store);
      state->store = make_store(state);
    }
    return state;
  }
  const char *scratch = ng_fuzz_scratch(); /* removed at exit, after free_state */
  state = calloc(1, sizeof *state);
  NG_FUZZ_CHECK(state != NULL, "out of memory");
  state->world = ng_fuzz_world_new(&state->sink);
  snprintf(state->dir, sizeof state->dir, "%s/store", scratch);
  state->store = make_store(state);
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
  NgQueryOptions options;
  ng_query_options_init(&options);
  options.timeout = 2;
  options.max_rows = 10000;
  unsigned long errors = s->sink.errors;
  NgStatus st = ng_store_query_with(s->store, text, "fuzz.rq", &options, format, s->devnull);
  if (st != NG_SUCCESS)
    NG_FUZZ_CHECK(s->sink.errors > errors, "status %d without an error reported", st);
  /* the same text as an update request: parsed, and run unless it loads */
  errors = s->sink.errors;
  st = ng_sparql_check(s->world, text, "fuzz.ru", "http://example.org/base/", true);
  if (st == NG_ERR_SYNTAX)
    NG_FUZZ_CHECK(s->sink.errors > errors, "update: status %d without an error reported", st);
  NG_FUZZ_CHECK(st == NG_SUCCESS || st == NG_ERR_SYNTAX, "update parse: status %d", st);
  if (st == NG_SUCCESS && !strcasestr(text, "load")) {
    errors = s->sink.errors;
    st = ng_store_update(s->store, text, "fuzz.ru", &options);
    if (st != NG_SUCCESS)
      NG_FUZZ_CHECK(s->sink.errors > errors, "update: status %d without an error reported", st);
  }
  check_prelude(text, size & 1);
  size_t len = strlen(text);
  if (len) check_locator(text, len, (size_t)data[0] * 7 % len);
  free(text);
  return 0;
}
