/* fuzz_extract.c - the whole extraction pipeline on arbitrary article text
 * with the built-in lexicon: ng_extract(), then every output the CLI can
 * make of a document (TSV, time expressions, its RDF graphs written as
 * N-Quads and Turtle).
 *
 * Input: byte 0 holds flags (bit 0: the article has a date, bit 1: the
 * first line is its title, bit 2: the date is given as an option instead);
 * the rest is the text, made valid UTF-8 without NULs as the readers
 * guarantee, in a buffer of exactly its length. */
#include "fuzz.h"

typedef struct {
  NgFuzzSink sink;
  NgWorld *world;
  NgExtractor *ex;
  FILE *devnull;
} State;

static State *state; /* see fuzz.h: no context pointer in libFuzzer */

static void free_state(void) {
  ng_extractor_free(state->ex);
  ng_world_free(state->world);
  fclose(state->devnull);
  free(state);
  state = NULL;
}

static State *get_state(void) {
  if (state) return state;
  state = calloc(1, sizeof *state);
  NG_FUZZ_CHECK(state != NULL, "out of memory");
  state->world = ng_fuzz_world_new(&state->sink);
  NgStatus st = NG_SUCCESS;
  state->ex = ng_extractor_new(state->world, NULL, &st);
  NG_FUZZ_CHECK(state->ex != NULL, "the built-in lexicon does not load: %d", st);
  state->devnull = fopen("/dev/null", "w");
  NG_FUZZ_CHECK(state->devnull != NULL, "no /dev/null");
  atexit(free_state);
  return state;
}

static void check_ref(const NgActorRef *r, size_t chars) {
  NG_FUZZ_CHECK(r->label && r->code && r->text && r->key, "actor with a NULL string");
  NG_FUZZ_CHECK(r->begin <= r->end && r->end <= chars, "actor at [%zu,%zu) of %zu chars",
                r->begin, r->end, chars);
}

/* What newsgraph.h promises of a document's events and time expressions.
 * chars bounds every offset: the text, a title and the blank line between. */
static void check_document(const NgDocument *doc, size_t chars) {
  size_t nsents = ng_document_sentence_count(doc);
  for (size_t i = 0; i < ng_document_event_count(doc); ++i) {
    const NgEvent *e = ng_document_get_event(doc, i);
    NG_FUZZ_CHECK(e->sentence < nsents, "event %zu in sentence %zu of %zu", i, e->sentence, nsents);
    NG_FUZZ_CHECK(e->sentence_begin <= e->sentence_end && e->sentence_end <= chars,
                  "sentence [%zu,%zu)", e->sentence_begin, e->sentence_end);
    NG_FUZZ_CHECK(e->action_begin <= e->action_end && e->action_end <= chars, "action [%zu,%zu)",
                  e->action_begin, e->action_end);
    NG_FUZZ_CHECK(e->sentence_text && e->action && e->action_text && e->cameo && e->date &&
                      e->date_source && e->modality && e->rule,
                  "event %zu with a NULL string", i);
    NG_FUZZ_CHECK(e->confidence >= 0 && e->confidence <= 1, "confidence %g", e->confidence);
    check_ref(&e->actor, chars);
    if (e->target.label[0]) check_ref(&e->target, chars);
  }
  for (size_t i = 0; i < ng_document_timex_count(doc); ++i) {
    const NgTimex *t = ng_document_get_timex(doc, i);
    NG_FUZZ_CHECK(t->sentence < nsents && t->begin < t->end && t->end <= chars,
                  "timex %zu at [%zu,%zu) in sentence %zu", i, t->begin, t->end, t->sentence);
    NG_FUZZ_CHECK(t->text && t->value, "timex %zu with a NULL string", i);
  }
}

/* Every output of `newsgraph extract`, written to /dev/null. */
static void write_outputs(State *s, const NgDocument *doc) {
  NG_FUZZ_CHECK(ng_document_write_tsv(doc, s->devnull) == NG_SUCCESS, "TSV");
  NG_FUZZ_CHECK(ng_document_write_timex(doc, s->devnull) == NG_SUCCESS, "timex output");
  NgStatus st = NG_SUCCESS;
  NgGraph *graph = ng_document_to_graph(doc, &st);
  NG_FUZZ_CHECK(graph != NULL && ng_graph_get_name(graph), "article graph: %d", st);
  NgGraph *shared = ng_document_to_shared_graph(doc, &st);
  NG_FUZZ_CHECK(shared != NULL, "shared graph: %d", st);
  NgSyntax syntaxes[] = {NG_SYNTAX_NQUADS, NG_SYNTAX_TURTLE};
  for (size_t i = 0; i < NG_COUNTOF(syntaxes); ++i) {
    NgWriter *w = ng_writer_new(s->devnull, syntaxes[i]);
    NG_FUZZ_CHECK(w != NULL, "writer");
    NG_FUZZ_CHECK(ng_writer_write_graph(w, graph) == NG_SUCCESS &&
                      ng_writer_write_graph(w, shared) == NG_SUCCESS &&
                      ng_writer_finish(w) == NG_SUCCESS,
                  "writing syntax %d", (int)syntaxes[i]);
    ng_writer_free(w);
  }
  ng_graph_free(graph);
  ng_graph_free(shared);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  State *s = get_state();
  NgFuzzInput in = {data, size};
  unsigned flags = ng_fuzz_byte(&in);
  char *text = ng_fuzz_utf8_copy(in.data, in.size, false);
  NgArticle a;
  memset(&a, 0, sizeof a);
  a.id = "fuzz";
  a.origin = "fuzz";
  a.line = 1;
  a.has_own_id = true;
  a.date = flags & 1 ? "2020-11-25" : "";
  a.text = text;
  a.text_len = in.size;
  char *title = NULL;
  const char *nl = memchr(text, '\n', in.size);
  if ((flags & 2) && nl) { /* the title is a C string: its own copy */
    title = strndup(text, (size_t)(nl - text));
    NG_FUZZ_CHECK(title != NULL, "out of memory");
    a.title = title;
    a.text = nl + 1;
    a.text_len = in.size - (size_t)(nl + 1 - text);
  }
  size_t chars = ng_utf8_count(a.text, a.text_len) + (title ? ng_utf8_count(title, strlen(title)) + 2 : 0);
  NgStatus st = NG_SUCCESS;
  NgDocument *doc = ng_extract(s->ex, &a, flags & 4 ? "2019-02-28" : NULL, &st);
  NG_FUZZ_CHECK(doc != NULL, "extraction failed: %d", st);
  check_document(doc, chars);
  write_outputs(s, doc);
  ng_document_free(doc);
  free(title);
  free(text);
  return 0;
}
