/* rdfstorage.c - the quad store as a librdf storage named "newsgraph", so
 * that the librdf model API, and Rasqal through it, run over the same
 * store as everything else:
 *
 *   librdf_new_storage(world, "newsgraph", "DIR", "write='yes',new='yes'")
 *
 * opens DIR (the name, or the option dir='DIR'); write='yes' allows
 * changes, new='yes' creates the store.  Other programs find the storage
 * by itself when the module librdf_storage_newsgraph is in Redland's module
 * path (installed in $(libdir)/redland), or after ng_redland_register().
 *
 * Statements are the store's quads: find_statements answers from every
 * graph with the graph as the statement's context (so Rasqal binds GRAPH
 * ?g), as Redland's own storages with contexts do; a triple held by two
 * graphs is found twice.  The store holds named graphs only: a statement
 * added without a context is refused.
 *
 * Reads share one read transaction while any stream is open (Rasqal opens
 * the streams of one query inside each other, so a query sees one
 * snapshot); it ends with the last stream, and the next query sees the
 * commits made meanwhile.  A change without transaction_start is a write
 * transaction of its own.  Errors go to librdf's log (in newsgraph, to the
 * world's diagnostics through it), naming the store's data file; a stream
 * that meets one ends there, and the error makes the query fail. */
#include "query.h"
#include "quadstore.h"

#include <rdf_storage_module.h>
#include <stdlib.h>
#include <string.h>

#define STORAGE_NAME "newsgraph"
#define FEATURE_CONTEXTS "http://feature.librdf.org/model-contexts"

typedef struct {
  librdf_world *rdf;
  NgWorld *world; /* its diagnostics go to librdf's log */
  NgQuadStore *qs;
  NgQsTxn *read;    /* shared by the open streams */
  unsigned readers; /* streams and calls using it */
  NgQsTxn *write;   /* between transaction_start and commit/rollback */
  bool writable;
  /* newsgraph's own world when it runs Rasqal over the storage: once its
   * stop is asked, every stream and iterator ends at its next step, so a
   * query of any size winds down within the statement it reads */
  const NgWorld *watch;
} Instance;

static bool stop_asked(const Instance *in) {
  return in->watch && ng_world_stop_requested(in->watch);
}

static Instance *instance_of(librdf_storage *storage) {
  return librdf_storage_get_instance(storage);
}

/* Diagnostics of the store into librdf's log. */
static void to_librdf_log(void *handle, const NgError *e) {
  Instance *in = handle;
  librdf_log(in->rdf, 0, e->level == NG_LEVEL_ERROR ? LIBRDF_LOG_ERROR : LIBRDF_LOG_WARN,
             LIBRDF_FROM_STORAGE, NULL, "%s%s%s", e->file ? e->file : "", e->file ? ": " : "",
             e->message);
}

static bool option_yes(librdf_hash *options, const char *key) {
  char *v = options ? librdf_hash_get(options, key) : NULL;
  bool yes = v && (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"));
  free(v); /* librdf_hash_get returns a malloc'd copy */
  return yes;
}

static void instance_free(Instance *in) {
  if (!in) return;
  ng_qs_txn_abort(in->write);
  ng_qs_txn_abort(in->read);
  ng_qs_free(in->qs);
  ng_world_free(in->world);
  free(in);
}

static int storage_init(librdf_storage *storage, const char *name, librdf_hash *options) {
  Instance *in = calloc(1, sizeof *in);
  char *dir = options ? librdf_hash_get(options, "dir") : NULL;
  const char *where = dir ? dir : name;
  int rc = 1;
  if (in && where && (in->world = ng_world_new())) {
    in->rdf = librdf_storage_get_world(storage);
    ng_world_set_error_sink(in->world, to_librdf_log, in);
    in->writable = option_yes(options, "write") || option_yes(options, "new");
    NgStatus st;
    in->qs = ng_qs_open(in->world, where, option_yes(options, "new"), &st);
    rc = in->qs ? 0 : 1;
  } else if (in && !where) {
    librdf_log(librdf_storage_get_world(storage), 0, LIBRDF_LOG_ERROR, LIBRDF_FROM_STORAGE, NULL,
               "the newsgraph storage needs a directory (its name, or dir='DIR')");
  }
  free(dir);
  if (options) librdf_free_hash(options); /* the storage owns its options */
  if (rc) {
    instance_free(in);
    return 1;
  }
  librdf_storage_set_instance(storage, in);
  return 0;
}

static void storage_terminate(librdf_storage *storage) { instance_free(instance_of(storage)); }
static int storage_open(librdf_storage *storage, librdf_model *model) { return 0; }
static int storage_close(librdf_storage *storage) { return 0; }

/* ------------------------------------------------------ transactions */

/* The transaction to read in: the write one if there is one. */
static NgQsTxn *reader_take(Instance *in) {
  if (in->write) return in->write;
  if (!in->read && !(in->read = ng_qs_txn_begin(in->qs, false, NULL))) return NULL;
  in->readers++;
  return in->read;
}

static void reader_drop(Instance *in, NgQsTxn *txn) {
  if (!txn || txn != in->read) return;
  if (--in->readers == 0) {
    ng_qs_txn_abort(in->read);
    in->read = NULL;
  }
}

static int refuse_write(Instance *in) {
  librdf_log(in->rdf, 0, LIBRDF_LOG_ERROR, LIBRDF_FROM_STORAGE, NULL,
             "%s: the storage was opened without write='yes'", ng_qs_dir(in->qs));
  return 1;
}

/* The write transaction of a change: the open one, or one of its own. */
static NgQsTxn *writer_take(Instance *in, bool *own) {
  *own = false;
  if (!in->writable) {
    refuse_write(in);
    return NULL;
  }
  if (in->write) return in->write;
  *own = true;
  return ng_qs_txn_begin(in->qs, true, NULL);
}

static int writer_done(NgQsTxn *txn, bool own, NgStatus st) {
  if (!own) return st ? 1 : 0;
  if (st) {
    ng_qs_txn_abort(txn);
    return 1;
  }
  return ng_qs_txn_commit(txn) ? 1 : 0;
}

static int transaction_start(librdf_storage *storage) {
  Instance *in = instance_of(storage);
  if (!in->writable) return refuse_write(in);
  if (in->write) return 1;
  in->write = ng_qs_txn_begin(in->qs, true, NULL);
  return in->write ? 0 : 1;
}

static int transaction_commit(librdf_storage *storage) {
  Instance *in = instance_of(storage);
  if (!in->write) return 1;
  NgStatus st = ng_qs_txn_commit(in->write);
  in->write = NULL;
  return st ? 1 : 0;
}

static int transaction_rollback(librdf_storage *storage) {
  Instance *in = instance_of(storage);
  if (!in->write) return 1;
  ng_qs_txn_abort(in->write);
  in->write = NULL;
  return 0;
}

static void *transaction_get_handle(librdf_storage *storage) { return instance_of(storage)->write; }

/* ------------------------------------------------------------ terms */

/* A node's id; NG_END when the store does not hold the term (nothing
 * matches it then). */
static NgStatus node_id(NgQsTxn *txn, librdf_node *node, bool add, NgId *id) {
  *id = 0;
  if (!node) return NG_SUCCESS;
  NgTerm t;
  NgStatus st = ng_node_to_term(node, &t);
  if (st) return st;
  return add ? ng_qs_intern(txn, &t, id) : ng_qs_lookup(txn, &t, id);
}

static NgStatus statement_ids(NgQsTxn *txn, librdf_statement *s, librdf_node *context, bool add,
                              NgId q[4]) {
  NgStatus st;
  if (!s) return NG_ERR_BAD_ARG;
  NG_TRY(st, node_id(txn, librdf_statement_get_subject(s), add, &q[NG_QS_S]));
  NG_TRY(st, node_id(txn, librdf_statement_get_predicate(s), add, &q[NG_QS_P]));
  NG_TRY(st, node_id(txn, librdf_statement_get_object(s), add, &q[NG_QS_O]));
  return node_id(txn, context, add, &q[NG_QS_G]);
}

static librdf_node *id_node(Instance *in, NgQsTxn *txn, NgId id) {
  NgTerm t;
  NgTermScratch scratch;
  if (ng_qs_term(txn, id, &t, &scratch)) return NULL;
  return ng_term_to_node(in->rdf, &t);
}

/* ---------------------------------------------------------- streams */

typedef struct {
  Instance *in;
  librdf_storage *storage;
  NgQsTxn *txn;
  NgQsScan *scan;
  bool end;
  librdf_statement *statement;
  librdf_node *context;
} Stream;

static void stream_clear_current(Stream *s) {
  if (s->statement) librdf_free_statement(s->statement);
  if (s->context) librdf_free_node(s->context);
  s->statement = NULL;
  s->context = NULL;
}

/* Moves to the next quad and makes its statement and context. */
static void stream_advance(Stream *s) {
  stream_clear_current(s);
  NgId q[4];
  if (s->end || stop_asked(s->in) || ng_qs_scan_next(s->scan, q) != NG_SUCCESS) {
    s->end = true;
    return;
  }
  librdf_node *subject = id_node(s->in, s->txn, q[NG_QS_S]);
  librdf_node *predicate = id_node(s->in, s->txn, q[NG_QS_P]);
  librdf_node *object = id_node(s->in, s->txn, q[NG_QS_O]);
  s->context = id_node(s->in, s->txn, q[NG_QS_G]);
  if (subject && predicate && object && s->context) {
    s->statement = librdf_new_statement_from_nodes(s->in->rdf, subject, predicate, object);
  } else {
    if (subject) librdf_free_node(subject);
    if (predicate) librdf_free_node(predicate);
    if (object) librdf_free_node(object);
  }
  if (!s->statement) {
    librdf_log(s->in->rdf, 0, LIBRDF_LOG_ERROR, LIBRDF_FROM_STORAGE, NULL,
               "%s: a quad whose terms cannot be read", ng_qs_data_path(s->in->qs));
    stream_clear_current(s);
    s->end = true;
  }
}

static int stream_is_end(void *context) { return ((Stream *)context)->end; }

static int stream_next(void *context) {
  stream_advance(context);
  return ((Stream *)context)->end;
}

static void *stream_get(void *context, int flags) {
  Stream *s = context;
  if (flags == LIBRDF_STREAM_GET_METHOD_GET_OBJECT) return s->statement;
  if (flags == LIBRDF_STREAM_GET_METHOD_GET_CONTEXT) return s->context;
  return NULL;
}

static void stream_finished(void *context) {
  Stream *s = context;
  stream_clear_current(s);
  ng_qs_scan_free(s->scan);
  reader_drop(s->in, s->txn);
  librdf_storage_remove_reference(s->storage);
  free(s);
}

/* The quads matching statement (NULL: any) in context (NULL: any graph). */
static librdf_stream *find(librdf_storage *storage, librdf_statement *statement,
                           librdf_node *context) {
  Instance *in = instance_of(storage);
  Stream *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->in = in;
  s->storage = storage;
  librdf_storage_add_reference(storage);
  s->txn = reader_take(in);
  NgId pattern[4] = {0, 0, 0, 0};
  NgStatus st = s->txn ? NG_SUCCESS : NG_ERR_STORE;
  if (!st && statement) st = statement_ids(s->txn, statement, context, false, pattern);
  if (!st && !statement) st = node_id(s->txn, context, false, &pattern[NG_QS_G]);
  if (!st) s->scan = ng_qs_scan_new(s->txn, pattern, NG_QS_GRAPH_LAST, &st);
  if (st == NG_END) { /* a term the store does not hold: no match */
    s->end = true;
  } else if (st) {
    stream_finished(s);
    return NULL;
  } else {
    stream_advance(s);
  }
  librdf_stream *stream =
      librdf_new_stream(in->rdf, s, stream_is_end, stream_next, stream_get, stream_finished);
  return stream; /* (librdf_new_stream calls finished itself on failure) */
}

static librdf_stream *serialise(librdf_storage *storage) { return find(storage, NULL, NULL); }

static librdf_stream *find_statements(librdf_storage *storage, librdf_statement *statement) {
  return find(storage, statement, NULL);
}

static librdf_stream *find_in_context(librdf_storage *storage, librdf_statement *statement,
                                      librdf_node *context) {
  return find(storage, statement, context);
}

static librdf_stream *find_with_options(librdf_storage *storage, librdf_statement *statement,
                                        librdf_node *context, librdf_hash *options) {
  return find(storage, statement, context);
}

static librdf_stream *context_serialise(librdf_storage *storage, librdf_node *context) {
  return find(storage, NULL, context);
}

static int storage_size(librdf_storage *storage) {
  Instance *in = instance_of(storage);
  NgQsTxn *txn = reader_take(in);
  NgQsStats stats;
  NgStatus st = txn ? ng_qs_stats(txn, &stats) : NG_ERR_STORE;
  reader_drop(in, txn);
  if (st) return -1;
  return stats.quads > INT32_MAX ? INT32_MAX : (int)stats.quads;
}

static int contains_statement(librdf_storage *storage, librdf_statement *statement) {
  Instance *in = instance_of(storage);
  NgQsTxn *txn = reader_take(in);
  NgId pattern[4] = {0, 0, 0, 0}, q[4];
  NgStatus st = txn ? statement_ids(txn, statement, NULL, false, pattern) : NG_ERR_STORE;
  NgQsScan *scan = st ? NULL : ng_qs_scan_new(txn, pattern, 0, &st);
  bool found = scan && ng_qs_scan_next(scan, q) == NG_SUCCESS;
  ng_qs_scan_free(scan);
  reader_drop(in, txn);
  return found;
}

/* ---------------------------------------------------------- contexts */

typedef struct {
  Instance *in;
  librdf_storage *storage;
  NgQsTxn *txn;
  NgId graph;
  librdf_node *node;
  bool end;
} Contexts;

static void contexts_advance(Contexts *c) {
  if (c->node) librdf_free_node(c->node);
  c->node = NULL;
  uint64_t quads;
  if (c->end || stop_asked(c->in) ||
      ng_qs_next_graph(c->txn, c->graph, &c->graph, &quads) != NG_SUCCESS) {
    c->end = true;
    return;
  }
  if (!(c->node = id_node(c->in, c->txn, c->graph))) c->end = true;
}

static int contexts_is_end(void *context) { return ((Contexts *)context)->end; }

static int contexts_next(void *context) {
  contexts_advance(context);
  return ((Contexts *)context)->end;
}

static void *contexts_get(void *context, int flags) {
  return flags == LIBRDF_ITERATOR_GET_METHOD_GET_OBJECT ? ((Contexts *)context)->node : NULL;
}

static void contexts_finished(void *context) {
  Contexts *c = context;
  if (c->node) librdf_free_node(c->node);
  reader_drop(c->in, c->txn);
  librdf_storage_remove_reference(c->storage);
  free(c);
}

static librdf_iterator *get_contexts(librdf_storage *storage) {
  Instance *in = instance_of(storage);
  Contexts *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->in = in;
  c->storage = storage;
  librdf_storage_add_reference(storage);
  if (!(c->txn = reader_take(in))) {
    contexts_finished(c);
    return NULL;
  }
  contexts_advance(c);
  return librdf_new_iterator(in->rdf, c, contexts_is_end, contexts_next, contexts_get,
                             contexts_finished);
}

/* ----------------------------------------------------------- changes */

static int add_statement(librdf_storage *storage, librdf_statement *statement) {
  Instance *in = instance_of(storage);
  librdf_log(in->rdf, 0, LIBRDF_LOG_ERROR, LIBRDF_FROM_STORAGE, NULL,
             "%s: the store holds named graphs only: add statements with a context",
             ng_qs_dir(in->qs));
  return 1;
}

static int context_add_statement(librdf_storage *storage, librdf_node *context,
                                 librdf_statement *statement) {
  Instance *in = instance_of(storage);
  if (!context) return add_statement(storage, statement);
  bool own;
  NgQsTxn *txn = writer_take(in, &own);
  if (!txn) return 1;
  NgId q[4];
  NgStatus st = statement_ids(txn, statement, context, true, q);
  if (!st) st = ng_qs_insert(txn, q, NULL);
  return writer_done(txn, own, st);
}

static int context_add_statements(librdf_storage *storage, librdf_node *context,
                                  librdf_stream *stream) {
  Instance *in = instance_of(storage);
  if (!context) return add_statement(storage, NULL);
  bool own;
  NgQsTxn *txn = writer_take(in, &own);
  if (!txn) return 1;
  NgStatus st = NG_SUCCESS;
  NgId g;
  st = node_id(txn, context, true, &g);
  for (; !st && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    NgId q[4];
    st = statement_ids(txn, librdf_stream_get_object(stream), NULL, true, q);
    q[NG_QS_G] = g;
    if (!st) st = ng_qs_insert(txn, q, NULL);
  }
  return writer_done(txn, own, st);
}

/* Removes the quads of the triple, in context or in every graph. */
static int remove_matching(librdf_storage *storage, librdf_statement *statement,
                           librdf_node *context) {
  Instance *in = instance_of(storage);
  bool own;
  NgQsTxn *txn = writer_take(in, &own);
  if (!txn) return 1;
  NgId pattern[4], q[4];
  NgStatus st = statement_ids(txn, statement, context, false, pattern);
  if (st == NG_END) return writer_done(txn, own, NG_SUCCESS); /* not there */
  if (!st && (!pattern[0] || !pattern[1] || !pattern[2])) st = NG_ERR_BAD_ARG;
  if (!st && pattern[NG_QS_G]) return writer_done(txn, own, ng_qs_remove(txn, pattern, NULL));
  /* every graph: collect, then remove (a scan does not survive changes) */
  NgId graphs[64];
  size_t n = 0;
  while (!st) {
    NgQsScan *scan = ng_qs_scan_new(txn, pattern, 0, &st);
    n = 0;
    while (!st && n < NG_COUNTOF(graphs) && ng_qs_scan_next(scan, q) == NG_SUCCESS)
      graphs[n++] = q[NG_QS_G];
    ng_qs_scan_free(scan);
    for (size_t i = 0; i < n && !st; ++i) {
      memcpy(q, pattern, sizeof q);
      q[NG_QS_G] = graphs[i];
      st = ng_qs_remove(txn, q, NULL);
    }
    if (n < NG_COUNTOF(graphs)) break;
  }
  return writer_done(txn, own, st);
}

static int remove_statement(librdf_storage *storage, librdf_statement *statement) {
  return remove_matching(storage, statement, NULL);
}

static int context_remove_statement(librdf_storage *storage, librdf_node *context,
                                    librdf_statement *statement) {
  return remove_matching(storage, statement, context);
}

static int context_remove_statements(librdf_storage *storage, librdf_node *context) {
  Instance *in = instance_of(storage);
  bool own;
  NgQsTxn *txn = writer_take(in, &own);
  if (!txn) return 1;
  NgId g;
  NgStatus st = node_id(txn, context, false, &g);
  if (st == NG_END) return writer_done(txn, own, NG_SUCCESS);
  if (!st && !g) st = NG_ERR_BAD_ARG;
  if (!st) st = ng_qs_clear_graph(txn, g, NULL);
  return writer_done(txn, own, st);
}

static librdf_node *get_feature(librdf_storage *storage, librdf_uri *feature) {
  Instance *in = instance_of(storage);
  if (!feature || strcmp((const char *)librdf_uri_as_string(feature), FEATURE_CONTEXTS))
    return NULL;
  return librdf_new_node_from_typed_literal(in->rdf, (const unsigned char *)"1", NULL, NULL);
}

static void register_factory(librdf_storage_factory *f) {
  f->version = LIBRDF_STORAGE_INTERFACE_VERSION;
  f->init = storage_init;
  f->terminate = storage_terminate;
  f->open = storage_open;
  f->close = storage_close;
  f->size = storage_size;
  f->add_statement = add_statement;
  f->remove_statement = remove_statement;
  f->contains_statement = contains_statement;
  f->serialise = serialise;
  f->find_statements = find_statements;
  f->find_statements_with_options = find_with_options;
  f->context_add_statement = context_add_statement;
  f->context_add_statements = context_add_statements;
  f->context_remove_statement = context_remove_statement;
  f->context_remove_statements = context_remove_statements;
  f->context_serialise = context_serialise;
  f->find_statements_in_context = find_in_context;
  f->get_contexts = get_contexts;
  f->get_feature = get_feature;
  f->transaction_start = transaction_start;
  f->transaction_commit = transaction_commit;
  f->transaction_rollback = transaction_rollback;
  f->transaction_get_handle = transaction_get_handle;
}

void ng_rdfstorage_watch(librdf_storage *storage, const NgWorld *world) {
  Instance *in = instance_of(storage);
  if (in) in->watch = world;
}

int ng_redland_register(void *librdf_world_ptr) {
  librdf_world *world = librdf_world_ptr;
  if (!world) return 1;
  librdf_world_open(world);
  const char *name;
  for (unsigned i = 0; !librdf_storage_enumerate(world, i, &name, NULL); ++i)
    if (!strcmp(name, STORAGE_NAME)) return 0; /* already (as a module) */
  return librdf_storage_register_factory(world, STORAGE_NAME, "newsgraph quad store (LMDB)",
                                         register_factory);
}
