/* guard.c - a librdf storage that stops scanning when the world asks.
 *
 * Rasqal evaluates a query row by row, and one row may cost minutes (a
 * join over a big store): a check of the stop flag between rows, in
 * sparql.c, does not stop that.  What every evaluation does, all the time,
 * is read statements from the storage.  So readers open the Redland
 * "hashes" storage (Berkeley DB) through this one, "newsgraph-guard",
 * which hands every call on to it and wraps every stream and iterator it
 * returns: once a stop is requested (SIGINT, SIGTERM, --timeout) they all
 * say they are at their end, evaluation winds down within the statement
 * being read, and the store records the interruption (ng_guard_stopped), so
 * that no row computed from the cut data is printed.
 *
 * Only what readers use is passed on: writes go to the hashes storage
 * directly (checkpoint.c), never through here. */
#include "query.h"

#include <stdlib.h>

#define GUARD_NAME "newsgraph-guard"

typedef struct {
  librdf_storage *inner; /* the hashes storage */
  NgWorld *world;        /* set by ng_guard_new once the storage exists */
  bool stopped;          /* a stream or iterator was cut short */
} Guard;

static Guard *guard_of(librdf_storage *storage) { return librdf_storage_get_instance(storage); }

static bool guard_stop(Guard *g) {
  if (!g->world || !ng_world_stop_requested(g->world)) return false;
  g->stopped = true;
  return true;
}

/* ------------------------------------------------- streams, iterators */

typedef struct {
  Guard *guard;
  librdf_stream *stream;
  librdf_iterator *iterator;
} Wrap;

static int wrap_is_end(void *ctx) {
  Wrap *w = ctx;
  if (guard_stop(w->guard)) return 1;
  return w->stream ? librdf_stream_end(w->stream) : librdf_iterator_end(w->iterator);
}

static int wrap_next(void *ctx) {
  Wrap *w = ctx;
  if (guard_stop(w->guard)) return 1;
  return w->stream ? librdf_stream_next(w->stream) : librdf_iterator_next(w->iterator);
}

static void *wrap_get(void *ctx, int flags) {
  Wrap *w = ctx;
  if (w->stream)
    return flags == LIBRDF_STREAM_GET_METHOD_GET_CONTEXT
               ? librdf_stream_get_context2(w->stream)
               : (void *)librdf_stream_get_object(w->stream);
  switch (flags) {
  case LIBRDF_ITERATOR_GET_METHOD_GET_CONTEXT: return librdf_iterator_get_context(w->iterator);
  case LIBRDF_ITERATOR_GET_METHOD_GET_KEY: return librdf_iterator_get_key(w->iterator);
  case LIBRDF_ITERATOR_GET_METHOD_GET_VALUE: return librdf_iterator_get_value(w->iterator);
  default: return librdf_iterator_get_object(w->iterator);
  }
}

static void wrap_finished(void *ctx) {
  Wrap *w = ctx;
  if (w->stream) librdf_free_stream(w->stream);
  if (w->iterator) librdf_free_iterator(w->iterator);
  free(w);
}

static librdf_stream *wrap_stream(librdf_storage *storage, librdf_stream *inner) {
  Wrap *w = inner ? calloc(1, sizeof *w) : NULL;
  if (!w) {
    if (inner) librdf_free_stream(inner);
    return NULL;
  }
  *w = (Wrap){guard_of(storage), inner, NULL};
  return librdf_new_stream(librdf_storage_get_world(storage), w, wrap_is_end, wrap_next, wrap_get,
                           wrap_finished);
}

static librdf_iterator *wrap_iterator(librdf_storage *storage, librdf_iterator *inner) {
  Wrap *w = inner ? calloc(1, sizeof *w) : NULL;
  if (!w) {
    if (inner) librdf_free_iterator(inner);
    return NULL;
  }
  *w = (Wrap){guard_of(storage), NULL, inner};
  return librdf_new_iterator(librdf_storage_get_world(storage), w, wrap_is_end, wrap_next, wrap_get,
                             wrap_finished);
}

/* ------------------------------------------------------------ methods */

static int guard_init(librdf_storage *storage, const char *name, librdf_hash *options) {
  Guard *g = calloc(1, sizeof *g);
  if (!g) {
    if (options) librdf_free_hash(options);
    return 1;
  }
  /* init owns the options it is given; the inner storage gets a copy */
  g->inner =
      librdf_new_storage_with_options(librdf_storage_get_world(storage), "hashes", name, options);
  if (options) librdf_free_hash(options);
  librdf_storage_set_instance(storage, g);
  return g->inner ? 0 : 1;
}

static void guard_terminate(librdf_storage *storage) {
  Guard *g = guard_of(storage);
  if (!g) return;
  if (g->inner) librdf_free_storage(g->inner);
  free(g);
}

static int guard_open(librdf_storage *storage, librdf_model *model) {
  return librdf_storage_open(guard_of(storage)->inner, model);
}

static int guard_close(librdf_storage *storage) {
  return librdf_storage_close(guard_of(storage)->inner);
}

static int guard_size(librdf_storage *storage) {
  return librdf_storage_size(guard_of(storage)->inner);
}

static int guard_refuse_add(librdf_storage *storage, librdf_statement *statement) {
  (void)storage, (void)statement;
  return 1; /* read-only: writers use the hashes storage itself */
}

static int guard_contains(librdf_storage *storage, librdf_statement *statement) {
  return librdf_storage_contains_statement(guard_of(storage)->inner, statement);
}

static int guard_has_arc_in(librdf_storage *storage, librdf_node *node, librdf_node *property) {
  return librdf_storage_has_arc_in(guard_of(storage)->inner, node, property);
}

static int guard_has_arc_out(librdf_storage *storage, librdf_node *node, librdf_node *property) {
  return librdf_storage_has_arc_out(guard_of(storage)->inner, node, property);
}

static librdf_stream *guard_serialise(librdf_storage *storage) {
  return wrap_stream(storage, librdf_storage_serialise(guard_of(storage)->inner));
}

static librdf_stream *guard_find(librdf_storage *storage, librdf_statement *statement) {
  return wrap_stream(storage, librdf_storage_find_statements(guard_of(storage)->inner, statement));
}

static librdf_iterator *guard_sources(librdf_storage *storage, librdf_node *arc,
                                      librdf_node *target) {
  return wrap_iterator(storage, librdf_storage_get_sources(guard_of(storage)->inner, arc, target));
}

static librdf_iterator *guard_arcs(librdf_storage *storage, librdf_node *source,
                                   librdf_node *target) {
  return wrap_iterator(storage, librdf_storage_get_arcs(guard_of(storage)->inner, source, target));
}

static librdf_iterator *guard_targets(librdf_storage *storage, librdf_node *source,
                                      librdf_node *arc) {
  return wrap_iterator(storage, librdf_storage_get_targets(guard_of(storage)->inner, source, arc));
}

static librdf_iterator *guard_arcs_in(librdf_storage *storage, librdf_node *node) {
  return wrap_iterator(storage, librdf_storage_get_arcs_in(guard_of(storage)->inner, node));
}

static librdf_iterator *guard_arcs_out(librdf_storage *storage, librdf_node *node) {
  return wrap_iterator(storage, librdf_storage_get_arcs_out(guard_of(storage)->inner, node));
}

static librdf_stream *guard_context_serialise(librdf_storage *storage, librdf_node *context) {
  return wrap_stream(storage, librdf_storage_context_as_stream(guard_of(storage)->inner, context));
}

static librdf_stream *guard_find_in_context(librdf_storage *storage, librdf_statement *statement,
                                            librdf_node *context) {
  return wrap_stream(storage, librdf_storage_find_statements_in_context(guard_of(storage)->inner,
                                                                        statement, context));
}

static librdf_iterator *guard_contexts(librdf_storage *storage) {
  return wrap_iterator(storage, librdf_storage_get_contexts(guard_of(storage)->inner));
}

static librdf_node *guard_get_feature(librdf_storage *storage, librdf_uri *feature) {
  return librdf_storage_get_feature(guard_of(storage)->inner, feature);
}

static void guard_factory(librdf_storage_factory *f) {
  f->version = LIBRDF_STORAGE_INTERFACE_VERSION;
  f->init = guard_init;
  f->terminate = guard_terminate;
  f->open = guard_open;
  f->close = guard_close;
  f->size = guard_size;
  f->add_statement = guard_refuse_add;
  f->contains_statement = guard_contains;
  f->has_arc_in = guard_has_arc_in;
  f->has_arc_out = guard_has_arc_out;
  f->serialise = guard_serialise;
  f->find_statements = guard_find;
  f->find_sources = guard_sources;
  f->find_arcs = guard_arcs;
  f->find_targets = guard_targets;
  f->get_arcs_in = guard_arcs_in;
  f->get_arcs_out = guard_arcs_out;
  f->context_serialise = guard_context_serialise;
  f->find_statements_in_context = guard_find_in_context;
  f->get_contexts = guard_contexts;
  f->get_feature = guard_get_feature;
}

/* ------------------------------------------------------------- public */

int ng_guard_register(librdf_world *world) {
  return librdf_storage_register_factory(world, GUARD_NAME, "newsgraph: stops when asked",
                                         guard_factory);
}

librdf_storage *ng_guard_new(librdf_world *world, NgWorld *ng, const char *name,
                             librdf_hash *options) {
  librdf_storage *storage = librdf_new_storage_with_options(world, GUARD_NAME, name, options);
  if (storage) guard_of(storage)->world = ng;
  return storage;
}

bool ng_guard_stopped(librdf_storage *storage) {
  Guard *g = storage ? guard_of(storage) : NULL;
  return g && g->world && g->stopped;
}
