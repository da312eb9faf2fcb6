/* fuzz_import.c - ng_store_import() on arbitrary files, into a scratch
 * store: the parse (in its child process), the transfer of what it parsed,
 * the journal, and every 32 inputs a checkpoint and an export of the store
 * the files went into.
 *
 * Input: byte 0 picks the syntax, byte 1 bit 0 whether a target graph is
 * given; the rest is the file.  Raptor's own crashes happen in the child
 * and come back as errors here, so this harness never stops on them (and
 * gets no coverage from inside Raptor: fuzz_rdf.c is for that). */
#define NG_FUZZ_NO_LEAK_CHECK /* Redland: see fuzz.h */
#include "fuzz.h"

#include <unistd.h>

#define INPUTS_PER_STORE 32

static const NgSyntax syntaxes[] = {NG_SYNTAX_TURTLE, NG_SYNTAX_NQUADS, NG_SYNTAX_NTRIPLES,
                                    NG_SYNTAX_RDFXML};

typedef struct {
  NgFuzzSink sink;
  NgWorld *world;
  char dir[4096];   /* the scratch folder: the store and the input file */
  char store_dir[4200];
  char input[4200];
  NgStore *store;
  unsigned inputs; /* imported into the current store */
  FILE *devnull;
} State;

static State *state; /* see fuzz.h: no context pointer in libFuzzer */

static void open_store(State *s) {
  ng_fuzz_remove_tree(s->store_dir);
  NgStatus st = NG_SUCCESS;
  s->store = ng_store_open(s->world, s->store_dir, NG_STORE_WRITE, &st);
  NG_FUZZ_CHECK(s->store != NULL, "cannot create a store in %s: %d", s->store_dir, st);
  s->inputs = 0;
}

/* Close (checkpoint: the journal goes into the graph files), then read
 * everything back: what was accepted must be storable and exportable. */
static void close_and_export(State *s) {
  unsigned long errors = s->sink.errors;
  NgStatus st = ng_store_close(s->store);
  s->store = NULL;
  NG_FUZZ_CHECK(st == NG_SUCCESS && s->sink.errors == errors, "checkpoint failed: %d", st);
  NgStore *reader = ng_store_open(s->world, s->store_dir, NG_STORE_READ, &st);
  NG_FUZZ_CHECK(reader != NULL, "the store does not open after a checkpoint: %d", st);
  NG_FUZZ_CHECK(ng_store_export(reader, NG_SYNTAX_NQUADS, NULL, s->devnull) == NG_SUCCESS,
                "export failed");
  ng_store_free(reader);
}

static void free_state(void) {
  if (state->store) close_and_export(state);
  ng_world_free(state->world);
  fclose(state->devnull);
  free(state);
  state = NULL;
}

static State *get_state(void) {
  if (state) return state;
  ng_fuzz_scratch(); /* removed at exit, after free_state */
  state = calloc(1, sizeof *state);
  NG_FUZZ_CHECK(state != NULL, "out of memory");
  state->world = ng_fuzz_world_new(&state->sink);
  snprintf(state->dir, sizeof state->dir, "%s", ng_fuzz_scratch());
  snprintf(state->store_dir, sizeof state->store_dir, "%s/store", state->dir);
  snprintf(state->input, sizeof state->input, "%s/input.rdf", state->dir);
  state->devnull = fopen("/dev/null", "w");
  NG_FUZZ_CHECK(state->devnull != NULL, "no /dev/null");
  atexit(free_state);
  return state;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  State *s = get_state();
  if (!s->store) open_store(s);
  NgFuzzInput in = {data, size};
  NgSyntax syntax = syntaxes[ng_fuzz_byte(&in) % NG_COUNTOF(syntaxes)];
  bool named = ng_fuzz_byte(&in) & 1;
  ng_fuzz_write_file(s->input, in.data, in.size);
  unsigned long errors = s->sink.errors;
  NgStatus st = ng_store_import(s->store, s->input, syntax, named ? "http://example.org/g" : NULL);
  NG_FUZZ_CHECK(st == NG_SUCCESS || s->sink.errors > errors, "status %d without an error", st);
  if (++s->inputs == INPUTS_PER_STORE) close_and_export(s);
  return 0;
}
