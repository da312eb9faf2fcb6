/* export.c - writing the store out, straight from its indexes in one read
 * transaction (a snapshot: a writer committing meanwhile changes nothing
 * of what comes out), in constant memory.
 *
 * N-Quads write every quad once, graph by graph.  Turtle, N-Triples and
 * RDF/XML write the merged default graph, each distinct triple once: the
 * scan runs in (s, p, o, g) order, where the copies of a triple in several
 * graphs are adjacent and the repeats are skipped; it also groups Turtle
 * by subject.  So the N-Quads count is the stats' quads, the others' count
 * the stats' triples. */
#include "query.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  NgStore *store;
  NgQsTxn *txn;
  NgSyntax syntax;
  NgWriter *writer;     /* N-Triples, N-Quads, Turtle */
  raptor_world *raptor; /* RDF/XML */
  raptor_serializer *rdfxml;
} Export;

static raptor_term *raptor_term_of(raptor_world *rw, const NgTerm *t) {
  const unsigned char *v = (const unsigned char *)t->value;
  if (t->kind == NG_TERM_IRI) return raptor_new_term_from_uri_string(rw, v);
  if (t->kind == NG_TERM_BLANK) return raptor_new_term_from_blank(rw, v);
  raptor_uri *dt = t->datatype ? raptor_new_uri(rw, (const unsigned char *)t->datatype) : NULL;
  if (t->datatype && !dt) return NULL;
  raptor_term *term = raptor_new_term_from_literal(rw, v, dt, (const unsigned char *)t->lang);
  if (dt) raptor_free_uri(dt);
  return term;
}

static NgStatus write_rdfxml(Export *e, const NgTriple *t) {
  raptor_statement *s = raptor_new_statement(e->raptor);
  if (!s) return NG_ERR_NOMEM;
  s->subject = raptor_term_of(e->raptor, &t->s);
  s->predicate = raptor_term_of(e->raptor, &t->p);
  s->object = raptor_term_of(e->raptor, &t->o);
  NgStatus st = !s->subject || !s->predicate || !s->object            ? NG_ERR_NOMEM
                : raptor_serializer_serialize_statement(e->rdfxml, s) ? NG_ERR_IO
                                                                      : NG_SUCCESS;
  raptor_free_statement(s);
  return st;
}

/* One quad out; graph_iri for N-Quads. */
static NgStatus export_quad(Export *e, const NgId q[4], const char *graph_iri) {
  NgTriple t;
  NgTermScratch scratch[3];
  NgStatus st;
  NG_TRY(st, ng_qs_term(e->txn, q[NG_QS_S], &t.s, &scratch[0]));
  NG_TRY(st, ng_qs_term(e->txn, q[NG_QS_P], &t.p, &scratch[1]));
  NG_TRY(st, ng_qs_term(e->txn, q[NG_QS_O], &t.o, &scratch[2]));
  if (e->syntax == NG_SYNTAX_RDFXML) return write_rdfxml(e, &t);
  return ng_writer_write_triple(e->writer, &t, e->syntax == NG_SYNTAX_NQUADS ? graph_iri : NULL);
}

/* The quads of pattern; with skip_repeats, each triple once. */
static NgStatus export_scan(Export *e, const NgId pattern[4], bool skip_repeats,
                            const char *graph_iri, uint64_t *count) {
  NgStatus st;
  NgQsScan *scan = ng_qs_scan_new(e->txn, pattern, NG_QS_GRAPH_LAST, &st);
  NgId q[4], last[3] = {0, 0, 0};
  *count = 0;
  while (!st && (st = ng_qs_scan_next(scan, q)) == NG_SUCCESS) {
    if (skip_repeats && !memcmp(q, last, sizeof last)) continue;
    memcpy(last, q, sizeof last);
    st = export_quad(e, q, graph_iri);
    if (!st && ++*count % 4096 == 0 && ng_world_stop_requested(e->store->world))
      st = NG_ERR_INTERRUPTED;
  }
  ng_qs_scan_free(scan);
  return st == NG_END ? NG_SUCCESS : st;
}

static NgStatus export_graph(Export *e, NgId g, uint64_t *count) {
  NgTerm name;
  NgTermScratch scratch;
  NgStatus st;
  NG_TRY(st, ng_qs_term(e->txn, g, &name, &scratch));
  NgId pattern[4] = {0, 0, 0, g};
  return export_scan(e, pattern, false, name.value, count);
}

static NgStatus export_all(Export *e) {
  uint64_t count, quads;
  if (e->syntax != NG_SYNTAX_NQUADS) {
    NgId any[4] = {0, 0, 0, 0};
    return export_scan(e, any, true, NULL, &count);
  }
  NgStatus st = NG_SUCCESS;
  for (NgId g = 0; !st && (st = ng_qs_next_graph(e->txn, g, &g, &quads)) == NG_SUCCESS;)
    st = export_graph(e, g, &count);
  return st == NG_END ? NG_SUCCESS : st;
}

static NgStatus export_one(Export *e, const char *graph_iri) {
  NgTerm name = {NG_TERM_IRI, graph_iri, NULL, NULL};
  NgId g = 0;
  uint64_t count = 0;
  NgStatus st = e->txn ? ng_qs_lookup(e->txn, &name, &g) : NG_END;
  if (!st) st = export_graph(e, g, &count);
  if ((!st || st == NG_END) && !count) {
    ng_report(e->store->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, e->store->dir, 0, 0,
              "no graph <%s> in the store", graph_iri);
    st = NG_ERR_BAD_ARG;
  }
  return st;
}

/* An RDF/XML serializer writing to out, with the project's prefixes. */
static raptor_serializer *rdfxml_new(raptor_world *rw, FILE *out) {
  raptor_serializer *ser = raptor_new_serializer(rw, "rdfxml");
  if (!ser || raptor_serializer_start_to_file_handle(ser, NULL, out)) {
    if (ser) raptor_free_serializer(ser);
    return NULL;
  }
  for (const NgPrefix *p = ng_prefixes(); p->prefix; ++p) {
    /* rdf: is the serializer's own; the others only make the XML shorter */
    if (!strcmp(p->prefix, "rdf")) continue;
    raptor_uri *ns = raptor_new_uri(rw, (const unsigned char *)p->ns);
    if (!ns) {
      raptor_free_serializer(ser);
      return NULL;
    }
    raptor_serializer_set_namespace(ser, ns, (const unsigned char *)p->prefix);
    raptor_free_uri(ns);
  }
  return ser;
}

static NgStatus start_rdfxml(Export *e, FILE *out) {
  NgRdf *rdf = ng_store_rdf(e->store);
  if (!rdf) return NG_ERR_STORE;
  e->raptor = librdf_world_get_raptor(ng_rdf_world(rdf));
  e->rdfxml = rdfxml_new(e->raptor, out);
  return e->rdfxml ? NG_SUCCESS : NG_ERR_STORE;
}

NgStatus ng_graph_write_rdfxml(NgWorld *world, const NgGraph *graph, FILE *out) {
  NgRdf *rdf = ng_rdf_get(world);
  if (!rdf) return NG_ERR_STORE;
  Export e;
  memset(&e, 0, sizeof e);
  e.raptor = librdf_world_get_raptor(ng_rdf_world(rdf));
  if (!(e.rdfxml = rdfxml_new(e.raptor, out))) return NG_ERR_STORE;
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < ng_graph_size(graph) && !st; ++i)
    st = write_rdfxml(&e, ng_graph_get(graph, i));
  if (!st && raptor_serializer_serialize_end(e.rdfxml)) st = NG_ERR_IO;
  raptor_free_serializer(e.rdfxml);
  return st;
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
  NgStatus st;
  e.txn = ng_store_read(store, &st);
  if (st == NG_END) st = NG_SUCCESS; /* no store: an empty one */
  NgRdfLog log = {.collect = true, .origin = store->dir, .line = -1, .col = -1};
  NgRdfLog *old = NULL;
  if (!st && syntax == NG_SYNTAX_RDFXML) {
    st = start_rdfxml(&e, out);
    /* collected: RDF/XML cannot hold control characters, and Raptor says
     * so for every one of them */
    if (!st) old = ng_rdf_set_log(store->rdf, &log);
  } else if (!st && !(e.writer = ng_writer_new(out, syntax))) {
    st = NG_ERR_NOMEM;
  }
  if (!st && graph_iri)
    st = export_one(&e, graph_iri);
  else if (!st && e.txn)
    st = export_all(&e);
  if (!st) st = finish(&e);
  if (store->rdf && syntax == NG_SYNTAX_RDFXML) ng_rdf_set_log(store->rdf, old);
  if (log.errors) {
    ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, store->dir, 0, 0, "%s (%u error%s)",
              log.message, log.errors, log.errors > 1 ? "s" : "");
    if (!st) st = NG_ERR_STORE;
  }
  ng_writer_free(e.writer);
  if (e.rdfxml) raptor_free_serializer(e.rdfxml);
  ng_qs_txn_abort(e.txn);
  if (!st && (fflush(out) == EOF || ferror(out))) st = NG_ERR_IO;
  return st;
}
