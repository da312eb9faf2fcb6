/* fuzz_rdf.c - Raptor's parsers as `newsgraph import` drives them, in
 * process, to find the inputs that crash them.  (Import itself parses in a
 * child process since such inputs exist: see query/import.c and the import
 * harness, which cannot see the child's coverage.)  Raptor is not ours: what
 * this finds goes to tests/fuzz/hostile-rdf/ as proof that import contains
 * it, not into regressions/ (which replays in process).
 *
 * Input: byte 0 picks the syntax, byte 1 the chunk size in which the text
 * is handed to the parser (import hands 64 KiB at a time, so a large file
 * meets chunk boundaries anywhere); the rest is the file. */
#define NG_FUZZ_NO_LEAK_CHECK /* Redland: see fuzz.h */
#include "fuzz.h"

#include <raptor2.h>

static const char *const syntaxes[] = {"turtle", "nquads", "ntriples", "rdfxml"};

static raptor_world *world; /* see fuzz.h: no context pointer in libFuzzer */

static void free_world(void) {
  raptor_free_world(world);
  world = NULL;
}

static void quiet(void *data, raptor_log_message *m) {
  (void)data;
  (void)m;
}

static raptor_world *get_world(void) {
  if (world) return world;
  world = raptor_new_world();
  NG_FUZZ_CHECK(world && !raptor_world_open(world), "no Raptor world");
  raptor_world_set_log_handler(world, NULL, quiet);
  atexit(free_world);
  return world;
}

/* Read every byte of a term, as import's conversion does. */
static size_t touch_term(const raptor_term *t) {
  if (!t) return 0;
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI: return strlen((const char *)raptor_uri_as_string(t->value.uri));
  case RAPTOR_TERM_TYPE_BLANK: return strlen((const char *)t->value.blank.string);
  case RAPTOR_TERM_TYPE_LITERAL: {
    size_t n = strlen((const char *)t->value.literal.string);
    if (t->value.literal.datatype)
      n += strlen((const char *)raptor_uri_as_string(t->value.literal.datatype));
    if (t->value.literal.language) n += strlen((const char *)t->value.literal.language);
    return n;
  }
  default: return 0;
  }
}

static void on_statement(void *data, raptor_statement *s) {
  size_t *total = data;
  *total += touch_term(s->subject) + touch_term(s->predicate) + touch_term(s->object) +
            touch_term(s->graph);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  raptor_world *rw = get_world();
  NgFuzzInput in = {data, size};
  const char *syntax = syntaxes[ng_fuzz_byte(&in) % NG_COUNTOF(syntaxes)];
  size_t chunk = 1 + ng_fuzz_byte(&in);
  raptor_parser *parser = raptor_new_parser(rw, syntax);
  raptor_uri *base = raptor_new_uri(rw, (const unsigned char *)"file:///fuzz/input");
  NG_FUZZ_CHECK(parser && base, "no %s parser", syntax);
  raptor_parser_set_option(parser, RAPTOR_OPTION_NO_NET, NULL, 1);
  size_t total = 0;
  raptor_parser_set_statement_handler(parser, &total, on_statement);
  /* as import: every chunk is handed over whatever the parser said of
   * the one before (errors are collected by the log handler) */
  if (!raptor_parser_parse_start(parser, base)) {
    for (size_t at = 0; at < in.size; at += chunk) {
      size_t n = in.size - at < chunk ? in.size - at : chunk;
      raptor_parser_parse_chunk(parser, in.data + at, n, 0);
    }
    raptor_parser_parse_chunk(parser, NULL, 0, 1);
  }
  raptor_free_uri(base);
  raptor_free_parser(parser);
  return 0;
}
