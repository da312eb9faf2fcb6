/* export.c - writing the store out, one graph at a time (memory holds at
 * most one graph, for Turtle's grouping).
 *
 * N-Quads write every quad once.  Turtle, N-Triples and RDF/XML write the
 * merged default graph, each distinct triple once: triples whose subject
 * belongs to one article cannot repeat across graphs; the others are
 * checked against a set of 64-bit fingerprints.  So the N-Quads count is
 * the stats' quads, the others' count the stats' triples. */
#include "query.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  NgStore *store;
  librdf_model *model;
  NgSyntax syntax;
  NgWriter *writer;          /* N-Triples, N-Quads, Turtle */
  raptor_serializer *rdfxml; /* RDF/XML */
  NgFpSet seen;              /* shared triples written so far */
} Export;

static NgStatus statement_triple(librdf_statement *s, NgTriple *t) {
  NgStatus st;
  NG_TRY(st, ng_node_to_term(librdf_statement_get_subject(s), &t->s));
  NG_TRY(st, ng_node_to_term(librdf_statement_get_predicate(s), &t->p));
  return ng_node_to_term(librdf_statement_get_object(s), &t->o);
}

/* First time this triple is written in the merged graph? */
static NgStatus first_time(Export *e, librdf_statement *s, const NgTriple *t, bool *first) {
  *first = true;
  if (t->s.kind == NG_TERM_IRI && ng_iri_is_article_unique(t->s.value, strlen(t->s.value)))
    return NG_SUCCESS;
  return ng_fpset_add(&e->seen, ng_statement_fingerprint(s), first);
}

static NgStatus export_statement(Export *e, librdf_statement *s, const char *graph_iri,
                                 NgGraph *turtle) {
  NgTriple t;
  bool first = true;
  NgStatus st = statement_triple(s, &t);
  if (!st && e->syntax != NG_SYNTAX_NQUADS) st = first_time(e, s, &t, &first);
  if (st || !first) return st;
  switch (e->syntax) {
  case NG_SYNTAX_TURTLE: return ng_graph_add(turtle, &t.s, &t.p, &t.o);
  case NG_SYNTAX_RDFXML:
    /* librdf statements are raptor statements */
    return raptor_serializer_serialize_statement(e->rdfxml, s) ? NG_ERR_IO : NG_SUCCESS;
  case NG_SYNTAX_NQUADS: return ng_writer_write_triple(e->writer, &t, graph_iri);
  case NG_SYNTAX_NTRIPLES: return ng_writer_write_triple(e->writer, &t, NULL);
  }
  return NG_ERR_BAD_ARG;
}

/* One graph; *count the statements it holds. */
static NgStatus export_graph(Export *e, librdf_node *context, size_t *count) {
  *count = 0;
  NgTerm name;
  NgStatus st = ng_node_to_term(context, &name);
  if (st) return st;
  NgGraph *turtle = NULL;
  if (e->syntax == NG_SYNTAX_TURTLE && !(turtle = ng_graph_new(name.value))) return NG_ERR_NOMEM;
  librdf_stream *stream = librdf_model_context_as_stream(e->model, context);
  for (; stream && !st && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *s = librdf_stream_get_object(stream);
    st = s ? export_statement(e, s, name.value, turtle) : NG_ERR_STORE;
    ++*count;
  }
  if (stream) librdf_free_stream(stream);
  /* the storage ends its streams early on a stop (guard.c): a graph cut
   * short is not written */
  if (!st && ng_world_stop_requested(e->store->world)) st = NG_ERR_INTERRUPTED;
  if (!st && turtle && ng_graph_size(turtle)) st = ng_writer_write_graph(e->writer, turtle);
  ng_graph_free(turtle);
  return st;
}

static NgStatus export_all(Export *e) {
  librdf_iterator *it = librdf_model_get_contexts(e->model);
  NgStatus st = NG_SUCCESS;
  for (; it && !st && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    if (ng_world_stop_requested(e->store->world)) {
      st = NG_ERR_INTERRUPTED;
      break;
    }
    /* a reference of our own: the iterator's node changes as it moves */
    librdf_node *context = librdf_new_node_from_node(librdf_iterator_get_object(it));
    size_t count;
    st = context ? export_graph(e, context, &count) : NG_ERR_STORE;
    if (context) librdf_free_node(context);
  }
  if (it) librdf_free_iterator(it);
  return st;
}

static NgStatus export_one(Export *e, const char *graph_iri) {
  librdf_node *context = librdf_new_node_from_uri_string(ng_rdf_world(e->store->rdf),
                                                         (const unsigned char *)graph_iri);
  if (!context) return NG_ERR_NOMEM;
  size_t count = 0;
  NgStatus st = export_graph(e, context, &count);
  librdf_free_node(context);
  if (!st && !count) {
    ng_report(e->store->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, e->store->dir, 0, 0,
              "no graph <%s> in the store", graph_iri);
    st = NG_ERR_BAD_ARG;
  }
  return st;
}

static NgStatus start_rdfxml(Export *e, FILE *out) {
  raptor_world *rw = librdf_world_get_raptor(ng_rdf_world(e->store->rdf));
  e->rdfxml = raptor_new_serializer(rw, "rdfxml");
  if (!e->rdfxml || raptor_serializer_start_to_file_handle(e->rdfxml, NULL, out))
    return NG_ERR_STORE;
  for (const NgPrefix *p = ng_prefixes(); p->prefix; ++p) {
    /* rdf: is the serializer's own; the others only make the XML shorter */
    if (!strcmp(p->prefix, "rdf")) continue;
    raptor_uri *ns = raptor_new_uri(rw, (const unsigned char *)p->ns);
    if (!ns) return NG_ERR_NOMEM;
    raptor_serializer_set_namespace(e->rdfxml, ns, (const unsigned char *)p->prefix);
    raptor_free_uri(ns);
  }
  return NG_SUCCESS;
}

static NgStatus finish(Export *e) {
  if (e->writer) return ng_writer_finish(e->writer);
  if (e->rdfxml && raptor_serializer_serialize_end(e->rdfxml)) return NG_ERR_IO;
  return NG_SUCCESS;
}

NgStatus ng_store_export(NgStore *store, NgSyntax syntax, const char *graph_iri, FILE *out) {
  Export e;
  memset(&e, 0, sizeof e);
  e.store = store;
  e.syntax = syntax;
  e.model = ng_store_model(store);
  NgStatus st = e.model ? NG_SUCCESS : NG_ERR_STORE;
  /* collected: RDF/XML cannot hold control characters, and Raptor says so
   * for every one of them */
  NgRdfLog log = {.collect = true, .origin = store->dir, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(store->rdf, &log);
  if (!st && syntax == NG_SYNTAX_RDFXML)
    st = start_rdfxml(&e, out);
  else if (!st && !(e.writer = ng_writer_new(out, syntax)))
    st = NG_ERR_NOMEM;
  if (!st) st = graph_iri ? export_one(&e, graph_iri) : export_all(&e);
  if (!st) st = finish(&e);
  ng_rdf_set_log(store->rdf, old);
  if (log.errors) {
    ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, store->dir, 0, 0, "%s (%u error%s)",
              log.message, log.errors, log.errors > 1 ? "s" : "");
    if (!st) st = NG_ERR_STORE;
  }
  ng_writer_free(e.writer);
  if (e.rdfxml) raptor_free_serializer(e.rdfxml);
  ng_fpset_free(&e.seen);
  if (!st && (fflush(out) == EOF || ferror(out))) st = NG_ERR_IO;
  return st;
}
