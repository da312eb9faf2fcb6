/* store.c - opening and closing the store, locks, generations, the
 * journal front end (replace/add/sync), and the Redland helpers the other
 * files of query/ share (world and log, fingerprints, node <-> term).
 *
 * See query.h for the layout of a store directory. */
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

#define STORAGE_NAME "ng" /* files are gen-NNNNNN/ng-sp2o.db etc. */

/* ============================================================ Redland */

struct NgRdf {
  librdf_world *world;
  raptor_world *raptor; /* for parsing files: see ng_rdf_raptor() */
  NgWorld *ng;
  NgRdfLog *log;
  /* Berkeley DB repeats itself thousands of times on a damaged file or a
   * full disk: a message like the one before is counted, not printed */
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
  ng_guard_register(rdf->world);
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

char *ng_store_path(const NgStore *store, const char *name) {
  NgBuf b = NG_BUF_INIT;
  if (ng_buf_printf(&b, "%s/%s", store->dir, name)) return NULL;
  return ng_buf_take(&b);
}

char *ng_store_gen_path(const NgStore *store, unsigned long gen, const char *name) {
  NgBuf b = NG_BUF_INIT;
  NgStatus st = ng_buf_printf(&b, "%s/gen-%06lu", store->dir, gen);
  if (!st && name) st = ng_buf_printf(&b, "/%s", name);
  if (st) {
    ng_buf_free(&b);
    return NULL;
  }
  return ng_buf_take(&b);
}

NgStatus ng_fsync_path(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NG_ERR_IO;
  int rc = fsync(fd);
  close(fd);
  return rc ? NG_ERR_IO : NG_SUCCESS;
}

static NgStatus write_all(int fd, const char *data, size_t len) {
  while (len) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return NG_ERR_IO;
    data += n;
    len -= (size_t)n;
  }
  return NG_SUCCESS;
}

NgStatus ng_write_atomic(NgWorld *world, const char *dir, const char *name, const char *data,
                         size_t len) {
  NgBuf tmp = NG_BUF_INIT, final = NG_BUF_INIT;
  NgStatus st = ng_buf_printf(&tmp, "%s/%s.tmp", dir, name);
  if (!st) st = ng_buf_printf(&final, "%s/%s", dir, name);
  int fd = st ? -1 : open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (!st && fd < 0) st = NG_ERR_IO;
  if (!st) st = write_all(fd, data, len);
  if (!st && fsync(fd)) st = NG_ERR_IO;
  if (fd >= 0 && close(fd) && !st) st = NG_ERR_IO;
  if (!st && rename(tmp.data, final.data)) st = NG_ERR_IO;
  if (!st) st = ng_fsync_path(dir);
  if (st == NG_ERR_IO)
    ng_report(world, st, NG_LEVEL_ERROR, NULL, 0, 0, "cannot write %s/%s: %s", dir, name,
              strerror(errno));
  ng_buf_free(&tmp);
  ng_buf_free(&final);
  return st;
}

void ng_remove_gen_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) return;
  int fd = dirfd(d);
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) unlinkat(fd, e->d_name, 0);
  closedir(d);
  rmdir(path);
}

/* ======================================================== generations */

static NgStatus read_small_file(const char *path, char *out, size_t size, bool *missing) {
  *missing = false;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *missing = errno == ENOENT;
    return NG_ERR_IO;
  }
  ssize_t n = read(fd, out, size - 1);
  close(fd);
  if (n < 0) return NG_ERR_IO;
  out[n] = '\0';
  return NG_SUCCESS;
}

static NgStatus parse_meta(const char *text, NgMeta *meta) {
  *meta = (NgMeta){0, 0, 0, 0, 0, 0, 0};
  if (strncmp(text, "newsgraph-meta 1\n", 17)) return NG_ERR_STORE;
  const char *files = strstr(text, "\nfiles "); /* absent in older stores */
  if (files) meta->files = strtoull(files + 7, NULL, 10);
  struct {
    const char *key;
    uint64_t *value;
  } fields[] = {{"seq", &meta->seq},           {"quads", &meta->quads},
                {"triples", &meta->triples},   {"events", &meta->events},
                {"articles", &meta->articles}, {"graphs", &meta->graphs}};
  for (size_t i = 0; i < NG_COUNTOF(fields); ++i) {
    char pattern[32];
    snprintf(pattern, sizeof pattern, "\n%s ", fields[i].key);
    const char *at = strstr(text, pattern);
    if (!at) return NG_ERR_STORE;
    *fields[i].value = strtoull(at + strlen(pattern), NULL, 10);
  }
  return NG_SUCCESS;
}

/* A store made before CURRENT was written at creation has none until its
 * first checkpoint; one that holds a generation without CURRENT lost the
 * file, and guessing which generation is live could show an empty store or
 * throw every article away (the next writer would start a new one). */
static NgStatus check_no_generation(NgStore *store) {
  DIR *d = opendir(store->dir);
  if (!d) return NG_ERR_IO;
  struct dirent *e;
  char found[256] = "";
  while ((e = readdir(d)) && !found[0])
    if (!strncmp(e->d_name, "gen-", 4)) snprintf(found, sizeof found, "%s", e->d_name);
  closedir(d);
  if (!found[0]) return NG_SUCCESS;
  ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, store->dir, 0, 0,
            "the file CURRENT is missing, but the store holds generations (%s): refused, "
            "nothing was changed (CURRENT names the live one: 'gen-NNNNNN')",
            found);
  return NG_ERR_STORE;
}

NgStatus ng_store_read_current(NgStore *store, unsigned long *gen, NgMeta *meta) {
  *gen = 0;
  *meta = (NgMeta){0, 0, 0, 0, 0, 0, 0};
  char text[512];
  bool missing;
  char *path = ng_store_path(store, "CURRENT");
  if (!path) return NG_ERR_NOMEM;
  NgStatus st = read_small_file(path, text, sizeof text, &missing);
  free(path);
  if (st && missing) return check_no_generation(store);
  if (st) return st;
  if (sscanf(text, "gen-%lu", gen) != 1) {
    ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, store->dir, 0, 0,
              "CURRENT does not name a generation");
    return NG_ERR_STORE;
  }
  if (!*gen) return NG_SUCCESS; /* a new store: nothing checkpointed yet */
  if (!(path = ng_store_gen_path(store, *gen, "meta"))) return NG_ERR_NOMEM;
  st = read_small_file(path, text, sizeof text, &missing);
  if (!st) st = parse_meta(text, meta);
  if (st)
    ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, path, 0, 0,
              "missing or damaged generation counters");
  free(path);
  return st ? NG_ERR_STORE : NG_SUCCESS;
}

NgStatus ng_store_write_meta(NgStore *store, const char *gen_dir, const NgMeta *meta) {
  char text[512];
  int n = snprintf(text, sizeof text,
                   "newsgraph-meta 1\nseq %llu\nquads %llu\ntriples %llu\nevents %llu\n"
                   "articles %llu\ngraphs %llu\nfiles %llu\n",
                   (unsigned long long)meta->seq, (unsigned long long)meta->quads,
                   (unsigned long long)meta->triples, (unsigned long long)meta->events,
                   (unsigned long long)meta->articles, (unsigned long long)meta->graphs,
                   (unsigned long long)meta->files);
  return ng_write_atomic(store->world, gen_dir, "meta", text, (size_t)n);
}

librdf_storage *ng_store_open_storage(NgStore *store, const char *gen_dir, bool write,
                                      bool is_new) {
  librdf_world *world = ng_rdf_world(store->rdf);
  /* An options hash, not an options string: a directory name with a quote
   * would break librdf's string syntax. */
  librdf_hash *options = librdf_new_hash(world, NULL);
  if (!options) return NULL;
  librdf_storage *storage = NULL;
  if (!librdf_hash_put_strings(options, "hash-type", "bdb") &&
      !librdf_hash_put_strings(options, "dir", gen_dir) &&
      !librdf_hash_put_strings(options, "contexts", "yes") &&
      /* (?s p ?o), the commonest SPARQL pattern, is otherwise a full scan */
      !librdf_hash_put_strings(options, "index-predicates", "yes") &&
      !librdf_hash_put_strings(options, "write", write ? "yes" : "no") &&
      !librdf_hash_put_strings(options, "new", is_new ? "yes" : "no"))
    storage = write ? librdf_new_storage_with_options(world, "hashes", STORAGE_NAME, options)
                    : ng_guard_new(world, store->world, STORAGE_NAME, options);
  librdf_free_hash(options);
  return storage;
}

NgStatus ng_store_lock_dir(NgStore *store, int how) {
  while (flock(store->dir_fd, how)) {
    if (errno == EINTR) continue;
    ng_report(store->world, NG_ERR_IO, NG_LEVEL_ERROR, store->dir, 0, 0, "cannot lock: %s",
              strerror(errno));
    return NG_ERR_IO;
  }
  return NG_SUCCESS;
}

/* An empty graph for a store without a generation yet. */
static NgStatus open_empty_model(NgStore *store) {
  librdf_world *world = ng_rdf_world(store->rdf);
  store->storage = librdf_new_storage(world, "memory", NULL, "contexts='yes'");
  if (store->storage) store->model = librdf_new_model(world, store->storage, NULL);
  return store->model ? NG_SUCCESS : NG_ERR_STORE;
}

/* Opens generation gen read-only; quietly, as the caller may retry. */
static NgStatus open_generation(NgStore *store, unsigned long gen, const NgMeta *meta) {
  NgStatus st;
  NG_TRY(st, ng_store_check_generation(store, gen, meta, false));
  char *gen_dir = ng_store_gen_path(store, gen, NULL);
  if (!gen_dir) return NG_ERR_NOMEM;
  NgRdfLog quiet = {.quiet = true, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(store->rdf, &quiet);
  store->storage = ng_store_open_storage(store, gen_dir, false, false);
  if (store->storage)
    store->model = librdf_new_model(ng_rdf_world(store->rdf), store->storage, NULL);
  ng_rdf_set_log(store->rdf, old);
  if (!store->model) {
    ng_store_drop_model(store);
    ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, gen_dir, 0, 0,
              "cannot open the graph files%s%s", quiet.errors ? ": " : "",
              quiet.errors ? quiet.message : "");
  }
  free(gen_dir);
  return store->model ? NG_SUCCESS : NG_ERR_STORE;
}

/* Reads CURRENT and opens that generation read-only, holding the directory
 * lock shared meanwhile so that no checkpoint deletes it half-way.  Should
 * it vanish all the same (a cleanup that skipped the lock), CURRENT has
 * moved on by then: read it again. */
static NgStatus open_live_generation(NgStore *store) {
  unsigned long gen = 0, tried = 0;
  NgMeta meta;
  NgStatus st = NG_SUCCESS;
  for (int attempt = 0; attempt < 3; ++attempt) {
    NG_TRY(st, ng_store_lock_dir(store, LOCK_SH));
    st = ng_store_read_current(store, &gen, &meta);
    bool fresh = !st && gen && gen != tried;
    if (fresh)
      st = open_generation(store, tried = gen, &meta);
    else if (!st && gen)
      st = NG_ERR_STORE; /* the same one failed already */
    ng_store_lock_dir(store, LOCK_UN);
    if (st != NG_ERR_STORE || !fresh) break;
  }
  if (st) return st;
  store->generation = gen;
  store->meta = meta;
  return gen ? NG_SUCCESS : open_empty_model(store);
}

librdf_model *ng_store_model(NgStore *store) {
  if (store->model) return store->model;
  NgStatus st = store->exists ? open_live_generation(store) : open_empty_model(store);
  if (st) ng_store_drop_model(store);
  return store->model;
}

void ng_store_drop_model(NgStore *store) {
  if (store->model) librdf_free_model(store->model);
  if (store->storage) librdf_free_storage(store->storage);
  store->model = NULL;
  store->storage = NULL;
}

/* ========================================================= open/close */

static bool is_store_entry(const char *name) {
  return !strcmp(name, "LOCK") || !strcmp(name, "CURRENT") || !strcmp(name, "journal") ||
         !strncmp(name, "gen-", 4) || !strcmp(name, "CURRENT.tmp");
}

/* A directory is a store if it has a LOCK file; an empty one may become one.
 * Anything else is someone's directory, which the store must not touch. */
static NgStatus check_store_dir(NgStore *store, bool *empty) {
  DIR *d = opendir(store->dir);
  if (!d) {
    ng_report(store->world, NG_ERR_IO, NG_LEVEL_ERROR, store->dir, 0, 0, "cannot read: %s",
              strerror(errno));
    return NG_ERR_IO;
  }
  bool has_lock = false, foreign = false;
  *empty = true;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    *empty = false;
    if (!strcmp(e->d_name, "LOCK"))
      has_lock = true;
    else if (!is_store_entry(e->d_name))
      foreign = true;
  }
  closedir(d);
  if (*empty || has_lock) return NG_SUCCESS;
  ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, store->dir, 0, 0,
            "not a newsgraph store (no LOCK file%s)", foreign ? ", and other files" : "");
  return NG_ERR_STORE;
}

static NgStatus make_dirs(NgStore *store) {
  NgBuf b = NG_BUF_INIT;
  NgStatus st = ng_buf_puts(&b, store->dir);
  for (size_t i = 1; !st && i <= b.len; ++i) {
    if (b.data[i] != '/' && b.data[i] != '\0') continue;
    char saved = b.data[i];
    b.data[i] = '\0';
    if (mkdir(b.data, 0755) && errno != EEXIST) {
      ng_report(store->world, NG_ERR_IO, NG_LEVEL_ERROR, store->dir, 0, 0,
                "cannot create the store directory: %s", strerror(errno));
      st = NG_ERR_IO;
    }
    b.data[i] = saved;
  }
  ng_buf_free(&b);
  return st;
}

/* Creates the directory for a writer; *exists false for a missing one. */
static NgStatus find_dir(NgStore *store, bool create) {
  struct stat sb;
  if (stat(store->dir, &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) return NG_SUCCESS;
    ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, store->dir, 0, 0,
              "exists and is not a directory");
    return NG_ERR_STORE;
  }
  if (errno != ENOENT || !create) {
    if (errno == ENOENT) {
      store->exists = false;
      return NG_SUCCESS;
    }
    ng_report(store->world, NG_ERR_IO, NG_LEVEL_ERROR, store->dir, 0, 0,
              "cannot use the store directory: %s", strerror(errno));
    return NG_ERR_IO;
  }
  return make_dirs(store);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The writer lock.  Another writer may hold it for a long run: say so after
 * a second instead of hanging silently. */
static NgStatus lock_writer(NgStore *store) {
  double start = now_seconds();
  bool noted = false;
  while (flock(store->lock_fd, LOCK_EX | LOCK_NB)) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      ng_report(store->world, NG_ERR_IO, NG_LEVEL_ERROR, store->dir, 0, 0, "cannot lock: %s",
                strerror(errno));
      return NG_ERR_IO;
    }
    if (ng_world_stop_requested(store->world)) return NG_ERR_INTERRUPTED;
    if (!noted && now_seconds() - start > 1.0) {
      ng_report(store->world, NG_SUCCESS, NG_LEVEL_NOTE, store->dir, 0, 0,
                "waiting for another writer to finish with the store");
      noted = true;
    }
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
  return NG_SUCCESS;
}

static NgStatus open_lock_file(NgStore *store) {
  char *path = ng_store_path(store, "LOCK");
  if (!path) return NG_ERR_NOMEM;
  store->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  int err = errno;
  free(path);
  if (store->lock_fd >= 0 && access(store->dir, W_OK) == 0) return NG_SUCCESS;
  if (store->lock_fd >= 0) err = errno;
  ng_report(store->world, NG_ERR_IO, NG_LEVEL_ERROR, store->dir, 0, 0,
            "the store is not writable: %s", strerror(err));
  return NG_ERR_IO;
}

/* Deletes generations that are neither live nor the one before (kept for
 * readers that read CURRENT just before the last switch): those left by
 * crashed checkpoints and those superseded twice. */
void ng_store_remove_stale(NgStore *store) {
  DIR *d = opendir(store->dir);
  if (!d) return;
  if (ng_store_lock_dir(store, LOCK_EX)) {
    closedir(d);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    unsigned long gen;
    char tail;
    if (sscanf(e->d_name, "gen-%lu%c", &gen, &tail) != 1) continue;
    if (gen == store->generation || gen + 1 == store->generation) continue;
    char *path = ng_store_gen_path(store, gen, NULL);
    if (path) ng_remove_gen_dir(path);
    free(path);
  }
  ng_store_lock_dir(store, LOCK_UN);
  closedir(d);
}

static NgStatus open_journal(NgStore *store, bool write) {
  NgStatus st = ng_store_read_current(store, &store->generation, &store->meta);
  uint64_t last_seq = 0;
  if (!st) store->journal = ng_journal_open(store->world, store->dir, write, &last_seq, &st);
  if (st) return st;
  store->next_seq = (last_seq > store->meta.seq ? last_seq : store->meta.seq) + 1;
  return NG_SUCCESS;
}

static NgStatus open_dir_fd(NgStore *store) {
  store->dir_fd = open(store->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (store->dir_fd >= 0) return NG_SUCCESS;
  ng_report(store->world, NG_ERR_IO, NG_LEVEL_ERROR, store->dir, 0, 0, "%s", strerror(errno));
  return NG_ERR_IO;
}

/* A new store names its (empty) generation at once, under the writer
 * lock (another writer may have made the store meanwhile): from then on a
 * missing CURRENT is a lost file, never a store without checkpoints. */
static NgStatus name_new_store(NgStore *store) {
  char *path = ng_store_path(store, "CURRENT");
  if (!path) return NG_ERR_NOMEM;
  struct stat sb;
  bool missing = stat(path, &sb) && errno == ENOENT;
  free(path);
  if (!missing) return NG_SUCCESS;
  NgStatus st;
  NG_TRY(st, check_no_generation(store));
  return ng_write_atomic(store->world, store->dir, "CURRENT", "gen-000000\n", 11);
}

static NgStatus open_writer(NgStore *store) {
  NgStatus st;
  bool empty;
  NG_TRY(st, find_dir(store, true));
  NG_TRY(st, check_store_dir(store, &empty));
  NG_TRY(st, open_dir_fd(store));
  NG_TRY(st, open_lock_file(store));
  NG_TRY(st, lock_writer(store));
  NG_TRY(st, name_new_store(store));
  NG_TRY(st, open_journal(store, true));
  NG_TRY(st, ng_store_check_generation(store, store->generation, &store->meta, false));
  /* Recovery: a crashed writer's committed records go in now. */
  if (ng_journal_has_records(store->journal)) NG_TRY(st, ng_checkpoint_run(store));
  ng_store_remove_stale(store);
  return NG_SUCCESS;
}

static bool journal_has_data(const NgStore *store) {
  char *path = ng_store_path(store, "journal");
  struct stat sb;
  bool has = path && stat(path, &sb) == 0 && sb.st_size > 0;
  free(path);
  return has;
}

/* A reader that finds committed records nobody is applying (their writer
 * crashed) applies them, if it can take the writer lock without waiting,
 * as that writer would have: the one change a reader makes.  The journal
 * is checked without writing first: a damaged one is refused here as by a
 * writer, and left as it is. */
static NgStatus recover_as_reader(NgStore *store) {
  if (!journal_has_data(store)) return NG_SUCCESS;
  char *path = ng_store_path(store, "LOCK");
  store->lock_fd = path ? open(path, O_RDWR | O_CLOEXEC) : -1;
  free(path);
  if (store->lock_fd < 0) { /* a read-only store: what is there lacks the journal's records */
    ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, store->dir, 0, 0,
              "the journal holds committed records that a read-only store cannot apply: "
              "an answer would leave them out (%s)",
              strerror(errno));
    return NG_ERR_STORE;
  }
  NgStatus st = NG_SUCCESS;
  if (flock(store->lock_fd, LOCK_EX | LOCK_NB) == 0) {
    st = open_journal(store, false);
    if (!st && ng_journal_has_records(store->journal)) {
      ng_journal_free(store->journal);
      store->journal = NULL;
      st = open_journal(store, true);
      if (!st) st = ng_checkpoint_run(store);
    }
    ng_journal_free(store->journal);
    store->journal = NULL;
    if (!st) ng_store_remove_stale(store);
  }
  close(store->lock_fd);
  store->lock_fd = -1;
  return st;
}

static NgStatus open_reader(NgStore *store) {
  NgStatus st;
  bool empty = false;
  NG_TRY(st, find_dir(store, false));
  if (!store->exists) return NG_SUCCESS;
  NG_TRY(st, check_store_dir(store, &empty));
  if (empty) {
    store->exists = false;
    return NG_SUCCESS;
  }
  NG_TRY(st, open_dir_fd(store));
  NG_TRY(st, recover_as_reader(store));
  /* Hold the generation from now on: later checkpoints cannot take it away. */
  return ng_store_model(store) ? NG_SUCCESS : NG_ERR_STORE;
}

static void release(NgStore *store) {
  ng_store_drop_model(store);
  ng_journal_free(store->journal);
  if (store->lock_fd >= 0) close(store->lock_fd); /* releases the flock */
  if (store->dir_fd >= 0) close(store->dir_fd);
  free(store->dir);
  free(store);
}

NgStore *ng_store_open(NgWorld *world, const char *dir, NgStoreMode mode, NgStatus *status) {
  NgStatus st = NG_ERR_NOMEM;
  NgStore *store = calloc(1, sizeof *store);
  if (store) {
    store->world = world;
    store->mode = mode;
    store->exists = true;
    store->dir_fd = store->lock_fd = -1;
    store->dir = strdup(ng_store_default_dir(dir));
    store->rdf = ng_rdf_get(world);
    if (store->dir && store->rdf)
      st = mode == NG_STORE_WRITE ? open_writer(store) : open_reader(store);
  }
  if (status) *status = st;
  if (st == NG_SUCCESS) return store;
  if (store) release(store); /* no checkpoint: the open did not get that far */
  return NULL;
}

NgStatus ng_store_close(NgStore *store) {
  if (!store) return NG_SUCCESS;
  NgStatus st = NG_SUCCESS;
  if (store->mode == NG_STORE_WRITE && store->journal) st = ng_checkpoint_run(store);
  release(store);
  return st;
}

void ng_store_free(NgStore *store) { ng_store_close(store); }

/* ============================================================ writing */

/* Redland's hashes storage encodes a term's string with a 16-bit length:
 * a longer one is taken into the journal but fails the checkpoint, which
 * then fails for good.  So it is refused here, before anything is written.
 * (A language tag is refused past 255 bytes where terms are made.) */
static bool term_fits(const NgTerm *t, const char **what, size_t *len) {
  const char *parts[2] = {t->value, t->datatype};
  for (int i = 0; i < 2; ++i) {
    size_t n = parts[i] ? strlen(parts[i]) : 0;
    if (n > NG_STORE_MAX_TERM) {
      *what = i ? "datatype IRI" : t->kind == NG_TERM_LITERAL ? "literal" : "IRI";
      *len = n;
      return false;
    }
  }
  return true;
}

static NgStatus check_terms(NgStore *store, const NgGraph *graph) {
  const char *name = ng_graph_get_name(graph), *what = "graph name";
  size_t len = strlen(name);
  bool fits = len <= NG_STORE_MAX_TERM;
  for (size_t i = 0; fits && i < ng_graph_size(graph); ++i) {
    const NgTriple *t = ng_graph_get(graph, i);
    fits = term_fits(&t->s, &what, &len) && term_fits(&t->p, &what, &len) &&
           term_fits(&t->o, &what, &len);
  }
  if (fits) return NG_SUCCESS;
  ng_report(store->world, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, NULL, 0, 0,
            "graph <%.60s%s>: a %s of %zu bytes; the store holds terms of %d bytes at most: "
            "the graph is not stored",
            name, strlen(name) > 60 ? "..." : "", what, len, NG_STORE_MAX_TERM);
  return NG_ERR_TOO_LARGE;
}

static NgStatus append_record(NgStore *store, NgJournalKind kind, const NgGraph *graph) {
  if (store->mode != NG_STORE_WRITE || !store->journal) {
    ng_report(store->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, store->dir, 0, 0,
              "the store is open for reading only");
    return NG_ERR_BAD_ARG;
  }
  if (!graph || !ng_graph_get_name(graph)) return NG_ERR_BAD_ARG;
  if (kind == NG_JOURNAL_ADD && ng_graph_size(graph) == 0) return NG_SUCCESS; /* nothing to add */
  NgStatus st;
  NG_TRY(st, check_terms(store, graph));
  st = ng_journal_append(store->journal, kind, store->next_seq, graph);
  if (!st) store->next_seq++;
  return st;
}

NgStatus ng_store_replace_graph(NgStore *store, const NgGraph *graph) {
  return append_record(store, NG_JOURNAL_REPLACE, graph);
}

NgStatus ng_store_add_graph(NgStore *store, const NgGraph *graph) {
  return append_record(store, NG_JOURNAL_ADD, graph);
}

NgStatus ng_store_sync(NgStore *store) {
  if (store->mode != NG_STORE_WRITE || !store->journal) return NG_ERR_BAD_ARG;
  return ng_journal_sync(store->journal);
}

NgStatus ng_store_checkpoint(NgStore *store) {
  if (store->mode != NG_STORE_WRITE || !store->journal) return NG_ERR_BAD_ARG;
  return ng_checkpoint_run(store);
}
