/* store.c - NgStore over the quad store (quadstore.c): opening and
 * closing, the graphs written since the last sync applied in one write
 * transaction by the next, the read side the other files of query/ use;
 * and the Redland helpers they share (world and log, fingerprints,
 * node <-> term).
 *
 * A writer keeps the graphs it is given (copies) until ng_store_sync,
 * which applies them all in one transaction: LMDB's writer lock is held
 * for the writes only, never while the caller extracts or waits for
 * input, so writers take turns commit by commit. */
#include "query.h"
#include "iri.h"

#include <dirent.h>
#include <errno.h>
#include <libxml/parserInternals.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ============================================================ Redland */

struct NgRdf {
  librdf_world *world;
  raptor_world *raptor; /* for parsing files: see ng_rdf_raptor() */
  NgWorld *ng;
  NgRdfLog *log;
  /* a library may repeat itself thousands of times (Berkeley DB, under an
   * old store being upgraded, on a damaged file or a full disk): a message
   * like the one before is counted, not printed */
  char last[48];
  unsigned long repeats;
};

/* Rasqal warns about its own rewrites ("$$agg$$0 ... not bound") and about
 * every variable of COUNT(*) ("bound but is unused"), with a locator that
 * is not the query's: noise that says nothing about the user's query. */
static bool is_noise(const char *msg) {
  return strstr(msg, "$$") || strstr(msg, "was bound but is unused");
}

static void keep_first_error(NgRdfLog *log, const char *msg, raptor_locator *loc) {
  if (log->errors++) return;
  snprintf(log->message, sizeof log->message, "%s", msg);
  log->line = loc && loc->line > 0 ? loc->line : -1;
  log->col = loc && loc->column > 0 ? loc->column : -1;
}

static void report_repeats(NgRdf *rdf) {
  if (rdf->repeats)
    ng_report(rdf->ng, NG_SUCCESS, NG_LEVEL_NOTE, NULL, 0, 0,
              "(%lu more messages like the one before)", rdf->repeats);
  rdf->repeats = 0;
}

/* Every message of Redland, Raptor and Rasqal ends here. */
static void on_message(NgRdf *rdf, bool error, const char *msg, raptor_locator *loc) {
  if (!msg) msg = "unknown Redland error";
  NgRdfLog *log = rdf->log;
  if (log && error) keep_first_error(log, msg, loc);
  if (log && (log->quiet || (error && log->collect))) return;
  if (!error && is_noise(msg)) return;
  if (error && rdf->last[0] && !strncmp(msg, rdf->last, sizeof rdf->last - 1)) {
    rdf->repeats++;
    rdf->ng->errors++; /* counted as the errors they are, printed once */
    return;
  }
  report_repeats(rdf);
  if (error) snprintf(rdf->last, sizeof rdf->last, "%s", msg);
  unsigned long line = 0, col = 0;
  if (log && log->trust_locator && loc) {
    line = loc->line > 0 ? (unsigned long)loc->line : 0;
    col = loc->column > 0 ? (unsigned long)loc->column : 0;
  }
  ng_report(rdf->ng, error ? NG_ERR_STORE : NG_SUCCESS, error ? NG_LEVEL_ERROR : NG_LEVEL_WARNING,
            log ? log->origin : NULL, line, col, "%s", msg);
}

static int on_librdf_log(void *data, librdf_log_message *m) {
  int level = librdf_log_message_level(m);
  if (level >= LIBRDF_LOG_WARN)
    on_message(data, level >= LIBRDF_LOG_ERROR, librdf_log_message_message(m),
               librdf_log_message_locator(m));
  return 1;
}

static void on_raptor_log(void *data, raptor_log_message *m) {
  if (m->level >= RAPTOR_LOG_LEVEL_WARN)
    on_message(data, m->level >= RAPTOR_LOG_LEVEL_ERROR, m->text, m->locator);
}

static void rdf_free(void *data) {
  NgRdf *rdf = data;
  if (!rdf) return;
  report_repeats(rdf);
  if (rdf->raptor) raptor_free_world(rdf->raptor);
  librdf_free_world(rdf->world);
  free(rdf);
}

/* libxml2 loads external entities and DTDs (a parameter entity
 * "%p; SYSTEM 'file:///...'" in an RDF/XML file or a server's answer reads
 * the file, whatever Raptor's NO_FILE and LOAD_EXTERNAL_ENTITIES say).
 * Nothing here ever needs one: every load is refused.  (libxml2 has one
 * loader per process; newsgraph wants this one everywhere.) */
static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
  (void)url, (void)id, (void)ctxt;
  return NULL;
}

/* Debian's Redland has no thread support: one world per NgWorld, made on
 * first use, kept in the world's rdf_world slot. */
NgRdf *ng_rdf_get(NgWorld *world) {
  if (world->rdf_world) return world->rdf_world;
  if (ng_lazy_ready && ng_lazy_ready(world)) return NULL; /* (base/lazy.c) */
  NgRdf *rdf = calloc(1, sizeof *rdf);
  if (!rdf || !(rdf->world = librdf_new_world())) {
    free(rdf);
    ng_report(world, NG_ERR_NOMEM, NG_LEVEL_ERROR, NULL, 0, 0, "cannot start Redland");
    return NULL;
  }
  rdf->ng = world;
  xmlSetExternalEntityLoader(refuse_entity);
  librdf_world_set_logger(rdf->world, rdf, on_librdf_log);
  librdf_world_open(rdf->world);
  /* Rasqal used directly (syntax checks) would print to stderr itself. */
  rasqal_world_set_log_handler(librdf_world_get_rasqal(rdf->world), rdf, on_raptor_log);
  world->rdf_world = rdf;
  world->rdf_world_free = rdf_free;
  return rdf;
}

librdf_world *ng_rdf_world(NgRdf *rdf) { return rdf->world; }

/* Redland's Raptor world renames every blank node of a parsed file to an
 * id made of the time and the process id; imports need the file's own
 * labels (to keep re-imports idempotent), so files are parsed in a plain
 * Raptor world of their own. */
raptor_world *ng_rdf_raptor(NgRdf *rdf) {
  if (rdf->raptor) return rdf->raptor;
  raptor_world *rw = raptor_new_world();
  if (!rw) return NULL;
  raptor_world_set_log_handler(rw, rdf, on_raptor_log);
  if (raptor_world_open(rw)) {
    raptor_free_world(rw);
    return NULL;
  }
  return rdf->raptor = rw;
}

NgRdfLog *ng_rdf_set_log(NgRdf *rdf, NgRdfLog *log) {
  NgRdfLog *old = rdf->log;
  rdf->log = log;
  return old;
}

/* ======================================================= fingerprints */

NgStatus ng_fpset_add(NgFpSet *set, uint64_t fp, bool *added) {
  if (!fp) fp = 1;
  if ((set->size + 1) * 2 > set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 1024;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return NG_ERR_NOMEM;
    for (size_t i = 0; i < set->cap; ++i) {
      if (!set->slots[i]) continue;
      size_t j = set->slots[i] & (cap - 1);
      while (slots[j])
        j = (j + 1) & (cap - 1);
      slots[j] = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
  }
  size_t mask = set->cap - 1, i = fp & mask;
  for (; set->slots[i]; i = (i + 1) & mask) {
    if (set->slots[i] == fp) {
      if (added) *added = false;
      return NG_SUCCESS;
    }
  }
  set->slots[i] = fp;
  set->size++;
  if (added) *added = true;
  return NG_SUCCESS;
}

bool ng_fpset_has(const NgFpSet *set, uint64_t fp) {
  if (!set->cap) return false;
  if (!fp) fp = 1;
  size_t mask = set->cap - 1;
  for (size_t i = fp & mask; set->slots[i]; i = (i + 1) & mask)
    if (set->slots[i] == fp) return true;
  return false;
}

void ng_fpset_free(NgFpSet *set) {
  free(set->slots);
  *set = (NgFpSet){NULL, 0, 0};
}

uint64_t ng_term_fingerprint(NgTermKind kind, const char *value, size_t len, const char *datatype,
                             const char *lang) {
  uint64_t h = ng_hash_combine(ng_hash_bytes(value, len), (uint64_t)kind + 1);
  if (datatype) h = ng_hash_combine(h, ng_hash_bytes(datatype, strlen(datatype)) ^ 0x5bd1e995);
  if (lang) h = ng_hash_combine(h, ng_hash_bytes(lang, strlen(lang)) ^ 0x27d4eb2f);
  return h;
}

uint64_t ng_triple_fingerprint(uint64_t s, uint64_t p, uint64_t o) {
  return ng_hash_combine(ng_hash_combine(ng_hash_combine(0x9e3779b97f4a7c15ull, s), p), o);
}

NgStatus ng_node_to_term(librdf_node *node, NgTerm *term) {
  *term = (NgTerm){NG_TERM_IRI, NULL, NULL, NULL};
  if (!node) return NG_ERR_BAD_ARG;
  if (librdf_node_is_resource(node)) {
    term->value = (const char *)librdf_uri_as_string(librdf_node_get_uri(node));
  } else if (librdf_node_is_blank(node)) {
    term->kind = NG_TERM_BLANK;
    term->value = (const char *)librdf_node_get_blank_identifier(node);
  } else if (librdf_node_is_literal(node)) {
    term->kind = NG_TERM_LITERAL;
    term->value = (const char *)librdf_node_get_literal_value(node);
    librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(node);
    if (dt) term->datatype = (const char *)librdf_uri_as_string(dt);
    const char *lang = librdf_node_get_literal_value_language(node);
    if (lang && lang[0]) term->lang = lang;
  }
  return term->value ? NG_SUCCESS : NG_ERR_STORE;
}

NgStatus ng_graph_add_nodes(NgGraph *graph, librdf_node *subject, librdf_node *predicate,
                            librdf_node *object) {
  NgTerm s, p, o;
  NgStatus st = ng_node_to_term(subject, &s);
  if (!st) st = ng_node_to_term(predicate, &p);
  if (!st) st = ng_node_to_term(object, &o);
  if (!st) st = ng_graph_add(graph, &s, &p, &o);
  return st;
}

NgStatus ng_graph_add_statement(NgGraph *graph, librdf_statement *statement) {
  return ng_graph_add_nodes(graph, librdf_statement_get_subject(statement),
                            librdf_statement_get_predicate(statement),
                            librdf_statement_get_object(statement));
}

uint64_t ng_node_fingerprint(librdf_node *node) {
  NgTerm t;
  if (ng_node_to_term(node, &t)) return 0;
  return ng_term_fingerprint(t.kind, t.value, strlen(t.value), t.datatype, t.lang);
}

uint64_t ng_statement_fingerprint(librdf_statement *statement) {
  return ng_triple_fingerprint(ng_node_fingerprint(librdf_statement_get_subject(statement)),
                               ng_node_fingerprint(librdf_statement_get_predicate(statement)),
                               ng_node_fingerprint(librdf_statement_get_object(statement)));
}

librdf_node *ng_term_to_node(librdf_world *world, const NgTerm *t) {
  const unsigned char *value = (const unsigned char *)t->value;
  switch (t->kind) {
  case NG_TERM_IRI: return librdf_new_node_from_uri_string(world, value);
  case NG_TERM_BLANK: return librdf_new_node_from_blank_identifier(world, value);
  case NG_TERM_LITERAL: break;
  }
  librdf_uri *dt = NULL;
  if (t->datatype && !(dt = librdf_new_uri(world, (const unsigned char *)t->datatype))) return NULL;
  librdf_node *node = librdf_new_node_from_typed_literal(world, value, t->lang, dt);
  if (dt) librdf_free_uri(dt);
  return node;
}

bool ng_iri_is_article_unique(const char *iri, size_t len) {
  static const char *const spaces[] = {NG_NS_EVENT, NG_NS_MENTION, NG_NS_ARTICLE};
  for (size_t i = 0; i < NG_COUNTOF(spaces); ++i) {
    size_t n = strlen(spaces[i]);
    if (len > n && !memcmp(iri, spaces[i], n)) return true;
  }
  return false;
}

/* ============================================================== paths */

const char *ng_store_default_dir(const char *dir) {
  if (dir && dir[0]) return dir;
  const char *env = getenv("NEWSGRAPH_STORE");
  return env && env[0] ? env : "./newsgraph.db";
}

/* ============================================================ opening */

/* A reader of a store that is not there sees an empty one: a missing
 * directory, or an empty one. */
static bool nothing_there(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return errno == ENOENT;
  struct dirent *e;
  bool empty = true;
  while (empty && (e = readdir(d)))
    empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
  closedir(d);
  return empty;
}

static void release(NgStore *store) {
  for (size_t i = 0; i < store->npending; ++i)
    ng_graph_free(store->pending[i]);
  free(store->pending);
  free(store->pending_replace);
  if (store->model) librdf_free_model(store->model);
  if (store->storage) librdf_free_storage(store->storage);
  ng_qs_free(store->qs);
  free(store->dir);
  free(store);
}

NgStore *ng_store_open(NgWorld *world, const char *dir, NgStoreMode mode, NgStatus *status) {
  NgStatus st = NG_ERR_NOMEM;
  NgStore *store = calloc(1, sizeof *store);
  if (store && (store->dir = strdup(ng_store_default_dir(dir)))) {
    store->world = world;
    store->mode = mode;
    st = NG_SUCCESS;
    if (mode == NG_STORE_WRITE || !nothing_there(store->dir))
      store->qs = ng_qs_open(world, store->dir, mode == NG_STORE_WRITE, &st);
    if (st == NG_END) st = NG_SUCCESS; /* being created: empty until its first commit */
  }
  if (status) *status = st;
  if (st == NG_SUCCESS) return store;
  if (store) release(store);
  return NULL;
}

NgStatus ng_store_close(NgStore *store) {
  if (!store) return NG_SUCCESS;
  NgStatus st = store->mode == NG_STORE_WRITE ? ng_store_sync(store) : NG_SUCCESS;
  release(store);
  return st;
}

void ng_store_free(NgStore *store) { ng_store_close(store); }

/* ============================================================ reading */

NgQsTxn *ng_store_read(NgStore *store, NgStatus *status) {
  if (!store->qs) {
    *status = NG_END; /* nothing there: an empty store */
    return NULL;
  }
  return ng_qs_txn_begin(store->qs, false, status);
}

NgStatus ng_store_graph_new(NgQsTxn *txn, NgId g, NgGraph **out) {
  NgTerm name, t[3];
  NgTermScratch scratch[4];
  NgStatus st = ng_qs_term(txn, g, &name, &scratch[3]);
  *out = NULL;
  if (st) return st;
  NgGraph *graph = ng_graph_new(name.value);
  if (!graph) return NG_ERR_NOMEM;
  NgId pattern[4] = {0, 0, 0, g}, q[4];
  NgQsScan *scan = ng_qs_scan_new(txn, pattern, 0, &st);
  while (!st && (st = ng_qs_scan_next(scan, q)) == NG_SUCCESS) {
    for (int i = 0; i < 3 && !st; ++i)
      st = ng_qs_term(txn, q[i], &t[i], &scratch[i]);
    if (!st) st = ng_graph_add(graph, &t[0], &t[1], &t[2]);
  }
  ng_qs_scan_free(scan);
  if (st == NG_END) st = NG_SUCCESS;
  if (st)
    ng_graph_free(graph);
  else
    *out = graph;
  return st;
}

NgRdf *ng_store_rdf(NgStore *store) {
  if (!store->rdf && (store->rdf = ng_rdf_get(store->world)))
    ng_redland_register(ng_rdf_world(store->rdf));
  return store->rdf;
}

/* The librdf model over the store's "newsgraph" storage (rdfstorage.c),
 * for Rasqal; an empty in-memory model when there is no store. */
librdf_model *ng_store_model(NgStore *store) {
  if (store->model) return store->model;
  NgRdf *rdf = ng_store_rdf(store);
  if (!rdf) return NULL;
  librdf_world *world = ng_rdf_world(rdf);
  librdf_hash *options = librdf_new_hash(world, NULL);
  if (!options) return NULL;
  /* an options hash, not a string: a directory name may hold quotes */
  if (!store->qs)
    store->storage = librdf_new_storage(world, "memory", NULL, "contexts='yes'");
  else if (!librdf_hash_put_strings(options, "dir", store->dir) &&
           (store->storage =
                librdf_new_storage_with_options(world, "newsgraph", store->dir, options)))
    ng_rdfstorage_watch(store->storage, store->world);
  librdf_free_hash(options);
  if (store->storage) store->model = librdf_new_model(world, store->storage, NULL);
  return store->model;
}

/* ============================================================ writing */

/* The ids of one graph's terms.  An NgGraph keeps each distinct string
 * once, so within a graph a term is known by its pointers: its text is
 * not hashed again for every triple that repeats it (an article's graph
 * names its event, its actors and its predicates a dozen times each). */
typedef struct {
  const char *value, *datatype, *lang;
  NgId id;
  unsigned round; /* the graph it belongs to: others are empty */
  NgTermKind kind;
} TermSlot;

typedef struct {
  TermSlot *slots;
  size_t cap;
  unsigned round;
} TermIds;

static NgStatus term_ids_start(TermIds *c, size_t terms) {
  size_t cap = 64;
  while (cap < 2 * terms)
    cap *= 2;
  if (cap > c->cap) {
    TermSlot *s = calloc(cap, sizeof *s);
    if (!s) return NG_ERR_NOMEM;
    free(c->slots);
    c->slots = s;
    c->cap = cap;
    c->round = 0;
  }
  if (++c->round == 0) { /* (after 4 billion graphs) */
    memset(c->slots, 0, c->cap * sizeof *c->slots);
    c->round = 1;
  }
  return NG_SUCCESS;
}

/* The graph's terms are checked UTF-8 (ng_qs_intern_checked). */
static NgStatus graph_term_id(NgQsTxn *txn, TermIds *c, const NgTerm *t, NgId *id) {
  uint64_t word = (uintptr_t)t->value ^ ((uint64_t)(uintptr_t)t->datatype << 1) ^
                  ((uint64_t)(uintptr_t)t->lang << 2) ^ (uint64_t)t->kind;
  size_t mask = c->cap - 1, i = ng_hash_combine(0, word) & mask;
  for (; c->slots[i].round == c->round; i = (i + 1) & mask) {
    const TermSlot *s = &c->slots[i];
    if (s->value == t->value && s->datatype == t->datatype && s->lang == t->lang &&
        s->kind == t->kind) {
      *id = s->id;
      return NG_SUCCESS;
    }
  }
  NgStatus st = ng_qs_intern_checked(txn, t, id);
  if (!st) c->slots[i] = (TermSlot){t->value, t->datatype, t->lang, *id, c->round, t->kind};
  return st;
}

static bool same_term(const NgTerm *a, const NgTerm *b) {
  return a->value == b->value && a->datatype == b->datatype && a->lang == b->lang &&
         a->kind == b->kind;
}

#define SKOS_PREF_LABEL "http://www.w3.org/2004/02/skos/core#prefLabel"
#define SKOS_ALT_LABEL "http://www.w3.org/2004/02/skos/core#altLabel"

/* What one ng_store_apply knows as it writes: the ids of the graph at
 * hand, and the prefLabel each actor of the shared graph has (below). */
typedef struct {
  TermIds ids;
  NgMap *pref;         /* actor id -> its prefLabel's id, or SEVERAL */
  bool shared_cleared; /* the shared graph was replaced: pref can't tell */
} Applying;

#define SEVERAL UINTPTR_MAX /* no term's id (its kind bits are not a kind) */

/* The prefLabels the indexes hold for s in the shared graph g: none (0),
 * one (its id) or SEVERAL (a store written before the rule below). */
static NgStatus stored_pref(NgQsTxn *txn, const NgId q[4], unsigned flags, uintptr_t *pref) {
  NgId pattern[4] = {q[NG_QS_S], q[NG_QS_P], 0, q[NG_QS_G]}, found[4];
  NgStatus st;
  NgQsScan *scan = ng_qs_scan_new(txn, pattern, flags, &st);
  if (!scan) return st;
  *pref = 0;
  while (*pref != SEVERAL && (st = ng_qs_scan_next(scan, found)) == NG_SUCCESS)
    *pref = *pref ? SEVERAL : (uintptr_t)found[NG_QS_O];
  ng_qs_scan_free(scan);
  return st == NG_END ? NG_SUCCESS : st;
}

/* In the shared graph an actor (or an open action) keeps the first
 * skos:prefLabel it was given:
 * a later article's other one (an unknown actor's spelling: "EBay" after
 * "eBay") is kept as skos:altLabel instead, so that the store holds one
 * prefLabel an actor (extract/rdfmap.c gives one an article).
 * The store is asked once an actor and transaction, without writing the
 * transaction's waiting changes into the indexes first (a group commit of
 * 300 articles did that at every prefLabel: 56% of extract's time); the
 * prefLabels this transaction adds are in a->pref.  When the shared graph
 * was replaced in this transaction, the indexes are asked each time. */
static NgStatus demote_second_pref_label(NgQsTxn *txn, Applying *a, NgId q[4]) {
  NgStatus st;
  uintptr_t pref = 0, *slot = NULL;
  if (a->shared_cleared) {
    NG_TRY(st, stored_pref(txn, q, 0, &pref));
  } else {
    unsigned char key[sizeof(NgId)];
    memcpy(key, &q[NG_QS_S], sizeof key);
    bool fresh = false;
    if (!a->pref && !(a->pref = ng_map_new())) return NG_ERR_NOMEM;
    if (!(slot = ng_map_slot(a->pref, (const char *)key, sizeof key, &fresh))) return NG_ERR_NOMEM;
    if (fresh && (st = stored_pref(txn, q, NG_QS_NO_FLUSH, slot))) return st;
    pref = *slot;
  }
  if (!pref) {
    if (slot) *slot = (uintptr_t)q[NG_QS_O];
    return NG_SUCCESS;
  }
  if (pref != SEVERAL && pref == (uintptr_t)q[NG_QS_O]) return NG_SUCCESS;
  NgTerm alt = {NG_TERM_IRI, SKOS_ALT_LABEL, NULL, NULL};
  return ng_qs_intern(txn, &alt, &q[NG_QS_P]);
}

static NgStatus apply_graph(NgQsTxn *txn, Applying *a, const NgGraph *graph, bool replace) {
  NgStatus st;
  NgTerm name = {NG_TERM_IRI, ng_graph_get_name(graph), NULL, NULL};
  NgId q[4];
  size_t n = ng_graph_size(graph);
  bool is_shared = !strcmp(name.value, NG_SHARED_GRAPH), shared = !replace && is_shared;
  NG_TRY(st, ng_qs_intern(txn, &name, &q[NG_QS_G]));
  if (replace) NG_TRY(st, ng_qs_clear_graph(txn, q[NG_QS_G], NULL));
  if (replace && is_shared) a->shared_cleared = true;
  NG_TRY(st, term_ids_start(&a->ids, 3 * n));
  for (size_t i = 0; i < n; ++i) {
    const NgTriple *t = ng_graph_get(graph, i);
    /* (a subject's triples come together: the id found for the one before) */
    if (!i || !same_term(&t->s, &ng_graph_get(graph, i - 1)->s))
      NG_TRY(st, graph_term_id(txn, &a->ids, &t->s, &q[NG_QS_S]));
    NG_TRY(st, graph_term_id(txn, &a->ids, &t->p, &q[NG_QS_P]));
    NG_TRY(st, graph_term_id(txn, &a->ids, &t->o, &q[NG_QS_O]));
    if (shared && !strcmp(t->p.value, SKOS_PREF_LABEL))
      NG_TRY(st, demote_second_pref_label(txn, a, q));
    NG_TRY(st, ng_qs_insert(txn, q, NULL));
  }
  return NG_SUCCESS;
}

/* Crash tests (tests/e2e/reliability-kill.sh): NG_TEST_CRASH=STEP dies at
 * that step of a commit as abruptly as a kill would. */
static void crash_point(const char *step) {
  const char *crash = getenv("NG_TEST_CRASH");
  if (crash && !strcmp(crash, step)) _exit(70);
}

static NgStatus need_writer(NgStore *store) {
  if (store->mode == NG_STORE_WRITE && store->qs) return NG_SUCCESS;
  ng_report(store->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, store->dir, 0, 0,
            "the store is open for reading only");
  return NG_ERR_BAD_ARG;
}

NgStatus ng_store_apply(NgStore *store, NgGraph *const *graphs, const bool *replace, size_t n,
                        bool interruptible) {
  NgStatus st;
  NG_TRY(st, need_writer(store));
  if (!n) return NG_SUCCESS;
  NgQsTxn *txn = ng_qs_txn_begin(store->qs, true, &st);
  Applying a = {{NULL, 0, 0}, NULL, false};
  for (size_t i = 0; i < n && !st; ++i) {
    if (interruptible && ng_world_stop_requested(store->world)) st = NG_ERR_INTERRUPTED;
    if (!st) st = apply_graph(txn, &a, graphs[i], replace[i]);
  }
  free(a.ids.slots);
  ng_map_free(a.pref);
  if (st) {
    ng_qs_txn_abort(txn);
    return st;
  }
  crash_point("before-commit");
  st = ng_qs_txn_commit(txn);
  if (!st) crash_point("after-commit");
  return st;
}

static size_t term_bytes(const NgTerm *t) {
  return strlen(t->value) + (t->datatype ? strlen(t->datatype) : 0) +
         (t->lang ? strlen(t->lang) : 0);
}

/* A graph with a term past the store's limit is refused whole, before
 * anything of it is kept (the graphs given with it are not concerned). */
static NgStatus check_terms(NgStore *store, const NgGraph *graph) {
  if (3 * ng_graph_longest(graph) <= NG_QS_TERM_MAX) return NG_SUCCESS; /* (no term is longer) */
  for (size_t i = 0, n = ng_graph_size(graph); i < n; ++i) {
    const NgTriple *t = ng_graph_get(graph, i);
    const NgTerm *parts[3] = {&t->s, &t->p, &t->o};
    for (int k = 0; k < 3; ++k) {
      size_t bytes = term_bytes(parts[k]);
      if (bytes <= NG_QS_TERM_MAX) continue;
      ng_report(store->world, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, store->dir, 0, 0,
                "graph <%.200s> not stored: a term of %zu bytes (the store takes up to %d MiB)",
                ng_graph_get_name(graph), bytes, NG_QS_TERM_MAX >> 20);
      return NG_ERR_TOO_LARGE;
    }
  }
  return NG_SUCCESS;
}

/* The graph, owned now, to apply at the next sync (freed on error). */
static NgStatus keep_taken(NgStore *store, NgGraph *graph, bool replace) {
  NgStatus st = need_writer(store);
  if (!st && (!graph || !ng_graph_get_name(graph))) st = NG_ERR_BAD_ARG;
  if (!st) st = check_terms(store, graph);
  if (!st && !replace && !ng_graph_size(graph)) { /* nothing to add */
    ng_graph_free(graph);
    return NG_SUCCESS;
  }
  if (!st && store->npending == store->cap_pending) {
    size_t cap = store->cap_pending ? 2 * store->cap_pending : 64;
    NgGraph **g = realloc(store->pending, cap * sizeof *g);
    if (g) store->pending = g;
    bool *r = g ? realloc(store->pending_replace, cap * sizeof *r) : NULL;
    if (r) store->pending_replace = r;
    if (r) store->cap_pending = cap;
    if (!r) st = NG_ERR_NOMEM;
  }
  if (st) {
    ng_graph_free(graph);
    return st;
  }
  store->pending_replace[store->npending] = replace;
  store->pending[store->npending++] = graph;
  return NG_SUCCESS;
}

/* A copy of the caller's graph, kept. */
static NgStatus keep_copy(NgStore *store, const NgGraph *graph, bool replace) {
  const char *name = graph ? ng_graph_get_name(graph) : NULL;
  NgStatus st = name ? need_writer(store) : NG_ERR_BAD_ARG;
  if (!st) st = check_terms(store, graph);
  NgGraph *copy = st ? NULL : ng_graph_new(name);
  if (!st && !copy) st = NG_ERR_NOMEM;
  for (size_t i = 0, n = st ? 0 : ng_graph_size(graph); i < n && !st; ++i) {
    const NgTriple *t = ng_graph_get(graph, i);
    st = ng_graph_add(copy, &t->s, &t->p, &t->o);
  }
  if (st) {
    ng_graph_free(copy);
    return st;
  }
  return keep_taken(store, copy, replace);
}

NgStatus ng_store_replace_graph(NgStore *store, const NgGraph *graph) {
  return keep_copy(store, graph, true);
}

NgStatus ng_store_add_graph(NgStore *store, const NgGraph *graph) {
  return keep_copy(store, graph, false);
}

NgStatus ng_store_replace_graph_take(NgStore *store, NgGraph *graph) {
  return keep_taken(store, graph, true);
}

NgStatus ng_store_add_graph_take(NgStore *store, NgGraph *graph) {
  return keep_taken(store, graph, false);
}

NgStatus ng_store_sync(NgStore *store) {
  if (store->mode != NG_STORE_WRITE || !store->qs) return NG_ERR_BAD_ARG;
  NgStatus st =
      ng_store_apply(store, store->pending, store->pending_replace, store->npending, false);
  for (size_t i = 0; i < store->npending; ++i)
    ng_graph_free(store->pending[i]);
  store->npending = 0;
  return st;
}

/* Every sync is a durable commit: there is nothing left to apply. */
NgStatus ng_store_checkpoint(NgStore *store) {
  return store->mode == NG_STORE_WRITE && store->qs ? NG_SUCCESS : NG_ERR_BAD_ARG;
}
