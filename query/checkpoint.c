/* checkpoint.c - applying the journal: copy the live generation, apply the
 * records to the copy, make it durable, switch CURRENT to it.
 *
 * The live generation is never written, so a crash at any point leaves
 * either the old generation (CURRENT not switched yet: the journal still
 * holds the records, recovery applies them again) or the new one (records
 * with sequence numbers up to meta's "seq" are skipped when replayed).
 *
 * Counters (query.h NgMeta) are kept up to date as records are applied:
 * quads per graph; distinct triples, where triples whose subject belongs to
 * one article (ng_iri_is_article_unique) are distinct by construction and
 * the others are looked up in the whole store before adding and after
 * removing; events; graphs; graphs holding an article. */
#define _GNU_SOURCE /* copy_file_range */
#include "query.h"
#include "iri.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RDF_TYPE NG_NS_RDF "type"
#define NG_EVENT NG_NS_ONTO "Event"
#define NG_ARTICLE NG_NS_ONTO "Article"

enum { F_TYPE = 1, F_EVENT = 2, F_ARTICLE = 4, F_UNIQUE = 8 };

typedef struct {
  NgStore *store;
  librdf_world *world;
  librdf_model *model;
  NgMeta meta;
  const char *crash; /* NG_TEST_CRASH: the step at which to die */
  librdf_node *rdf_type, *ng_event, *ng_article;
  /* per record: one node, fingerprint and flag set per term */
  librdf_node **nodes;
  uint64_t *fps;
  unsigned char *flags;
  size_t term_cap;
} Apply;

/* What a graph held before a record changes it. */
typedef struct {
  uint64_t quads, events, shared; /* shared: statements not article-unique */
  bool article;
  librdf_statement **removed; /* REPLACE: copies of the shared ones */
  size_t nremoved, cap;
  NgFpSet existing; /* ADD: fingerprints of what is there */
} OldGraph;

/* Crash tests: die at a named step as abruptly as a kill would. */
static void crash_point(const Apply *a, const char *step) {
  if (a->crash && !strcmp(a->crash, step)) _exit(70);
}

/* ------------------------------------------------------------ files */

static NgStatus copy_fd(int in, int out, off_t size) {
  off_t left = size;
  while (left > 0) {
    ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
    if (n > 0) {
      left -= n;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP))
      return NG_ERR_IO;
    /* file systems without copy_file_range: plain copy of the rest */
    char buf[1 << 16];
    ssize_t r;
    while ((r = read(in, buf, sizeof buf)) > 0)
      if (write(out, buf, (size_t)r) != r) return NG_ERR_IO;
    return r < 0 ? NG_ERR_IO : NG_SUCCESS;
  }
  return NG_SUCCESS;
}

static NgStatus copy_file(const char *from, const char *to) {
  int in = open(from, O_RDONLY | O_CLOEXEC);
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  struct stat sb;
  NgStatus st = in < 0 || out < 0 || fstat(in, &sb) ? NG_ERR_IO : copy_fd(in, out, sb.st_size);
  if (in >= 0) close(in);
  if (out >= 0 && close(out)) st = NG_ERR_IO;
  return st;
}

static bool is_db_file(const char *name) {
  size_t n = strlen(name);
  return n > 3 && !strcmp(name + n - 3, ".db");
}

/* Applies fn to from_dir/NAME (and to_dir/NAME) for every *.db file. */
static NgStatus each_db_file(const char *from_dir, const char *to_dir,
                             NgStatus (*fn)(const char *from, const char *to)) {
  DIR *d = opendir(from_dir);
  if (!d) return NG_ERR_IO;
  NgStatus st = NG_SUCCESS;
  NgBuf from = NG_BUF_INIT, to = NG_BUF_INIT;
  struct dirent *e;
  while (!st && (e = readdir(d))) {
    if (!is_db_file(e->d_name)) continue;
    ng_buf_clear(&from);
    ng_buf_clear(&to);
    st = ng_buf_printf(&from, "%s/%s", from_dir, e->d_name);
    if (!st && to_dir) st = ng_buf_printf(&to, "%s/%s", to_dir, e->d_name);
    if (!st) st = fn(from.data, to.data);
  }
  closedir(d);
  ng_buf_free(&from);
  ng_buf_free(&to);
  return st;
}

static NgStatus sync_file(const char *path, const char *unused) {
  (void)unused;
  return ng_fsync_path(path);
}

/* -------------------------------------------------------- the records */

static NgStatus grow_terms(Apply *a, size_t n) {
  if (n <= a->term_cap) return NG_SUCCESS;
  size_t cap = a->term_cap ? a->term_cap : 256;
  while (cap < n)
    cap *= 2;
  librdf_node **nodes = realloc(a->nodes, cap * sizeof *nodes);
  if (nodes) a->nodes = nodes;
  uint64_t *fps = realloc(a->fps, cap * sizeof *fps);
  if (fps) a->fps = fps;
  unsigned char *flags = realloc(a->flags, cap);
  if (flags) a->flags = flags;
  if (!nodes || !fps || !flags) return NG_ERR_NOMEM;
  a->term_cap = cap;
  return NG_SUCCESS;
}

static unsigned char term_flags(const NgTerm *t) {
  if (t->kind != NG_TERM_IRI) return 0;
  size_t len = strlen(t->value);
  unsigned char f = ng_iri_is_article_unique(t->value, len) ? F_UNIQUE : 0;
  if (!strcmp(t->value, RDF_TYPE))
    f |= F_TYPE;
  else if (!strcmp(t->value, NG_EVENT))
    f |= F_EVENT;
  else if (!strcmp(t->value, NG_ARTICLE))
    f |= F_ARTICLE;
  return f;
}

/* One librdf node per distinct term of the record: statements then only
 * take references to them. */
static NgStatus make_nodes(Apply *a, const NgJournalRecord *rec) {
  NgStatus st;
  NG_TRY(st, grow_terms(a, rec->nterms));
  for (size_t i = 0; i < rec->nterms; ++i) {
    const NgTerm *t = &rec->terms[i];
    a->nodes[i] = ng_term_to_node(a->world, t);
    if (!a->nodes[i]) {
      while (i--)
        librdf_free_node(a->nodes[i]);
      return NG_ERR_STORE;
    }
    a->fps[i] = ng_term_fingerprint(t->kind, t->value, strlen(t->value), t->datatype, t->lang);
    a->flags[i] = term_flags(t);
  }
  return NG_SUCCESS;
}

static void free_nodes(Apply *a, size_t n) {
  for (size_t i = 0; i < n; ++i)
    librdf_free_node(a->nodes[i]);
}

/* Is the triple in any graph?  librdf_model_contains_statement scans the
 * whole store when contexts are on; the (subject, object) index finds the
 * few arcs between the two nodes instead. */
static NgStatus exists_anywhere(Apply *a, librdf_node *s, librdf_node *p, librdf_node *o,
                                bool *found) {
  *found = false;
  librdf_iterator *it = librdf_model_get_arcs(a->model, s, o);
  if (!it) return NG_ERR_STORE;
  for (; !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *arc = librdf_iterator_get_object(it);
    if (arc && librdf_node_equals(arc, p)) {
      *found = true;
      break;
    }
  }
  librdf_free_iterator(it);
  return NG_SUCCESS;
}

static bool node_is_unique(librdf_node *node) {
  if (!librdf_node_is_resource(node)) return false;
  size_t len = 0;
  const unsigned char *iri = librdf_uri_as_counted_string(librdf_node_get_uri(node), &len);
  return ng_iri_is_article_unique((const char *)iri, len);
}

static NgStatus remember_removed(OldGraph *old, librdf_statement *statement) {
  if (old->nremoved == old->cap) {
    size_t cap = old->cap ? old->cap * 2 : 32;
    librdf_statement **p = realloc(old->removed, cap * sizeof *p);
    if (!p) return NG_ERR_NOMEM;
    old->removed = p;
    old->cap = cap;
  }
  librdf_statement *copy = librdf_new_statement_from_statement(statement);
  if (!copy) return NG_ERR_NOMEM;
  old->removed[old->nremoved++] = copy;
  return NG_SUCCESS;
}

static void old_graph_free(OldGraph *old) {
  for (size_t i = 0; i < old->nremoved; ++i)
    librdf_free_statement(old->removed[i]);
  free(old->removed);
  ng_fpset_free(&old->existing);
}

/* One pass over the graph as it is: counts, and what REPLACE/ADD need. */
static NgStatus scan_old(Apply *a, librdf_node *graph, bool replace, OldGraph *old) {
  librdf_stream *stream = librdf_model_context_as_stream(a->model, graph);
  NgStatus st = NG_SUCCESS;
  for (; stream && !st && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *s = librdf_stream_get_object(stream);
    if (!s) {
      st = NG_ERR_STORE;
      break;
    }
    old->quads++;
    if (librdf_node_equals(librdf_statement_get_predicate(s), a->rdf_type)) {
      librdf_node *o = librdf_statement_get_object(s);
      if (librdf_node_equals(o, a->ng_event)) old->events++;
      if (librdf_node_equals(o, a->ng_article)) old->article = true;
    }
    bool shared = !node_is_unique(librdf_statement_get_subject(s));
    old->shared += shared;
    if (replace && shared) st = remember_removed(old, s);
    if (!replace) st = ng_fpset_add(&old->existing, ng_statement_fingerprint(s), NULL);
  }
  if (stream) librdf_free_stream(stream);
  return st;
}

static NgStatus remove_old(Apply *a, librdf_node *graph, const OldGraph *old) {
  if (!old->quads) return NG_SUCCESS;
  if (librdf_model_context_remove_statements(a->model, graph)) return NG_ERR_STORE;
  a->meta.quads -= old->quads;
  a->meta.events -= old->events;
  a->meta.triples -= old->quads - old->shared; /* article-unique: gone for good */
  for (size_t i = 0; i < old->nremoved; ++i) {
    librdf_statement *s = old->removed[i];
    bool found;
    NgStatus st =
        exists_anywhere(a, librdf_statement_get_subject(s), librdf_statement_get_predicate(s),
                        librdf_statement_get_object(s), &found);
    if (st) return st;
    if (!found) a->meta.triples--;
  }
  return NG_SUCCESS;
}

/* Adds one triple of the record; *added false when ADD found it there. */
static NgStatus add_triple(Apply *a, librdf_node *graph, const uint32_t *t, OldGraph *old,
                           bool replace, bool *added) {
  *added = false;
  if (!replace &&
      ng_fpset_has(&old->existing, ng_triple_fingerprint(a->fps[t[0]], a->fps[t[1]], a->fps[t[2]])))
    return NG_SUCCESS;
  bool existed = false;
  NgStatus st = NG_SUCCESS;
  if (!(a->flags[t[0]] & F_UNIQUE))
    st = exists_anywhere(a, a->nodes[t[0]], a->nodes[t[1]], a->nodes[t[2]], &existed);
  if (st) return st;
  librdf_statement statement;
  librdf_statement_init(a->world, &statement);
  librdf_statement_set_subject(&statement, librdf_new_node_from_node(a->nodes[t[0]]));
  librdf_statement_set_predicate(&statement, librdf_new_node_from_node(a->nodes[t[1]]));
  librdf_statement_set_object(&statement, librdf_new_node_from_node(a->nodes[t[2]]));
  int rc = librdf_model_context_add_statement(a->model, graph, &statement);
  librdf_statement_clear(&statement);
  if (rc) return NG_ERR_STORE;
  *added = true;
  a->meta.quads++;
  if (!existed) a->meta.triples++;
  if ((a->flags[t[1]] & F_TYPE) && (a->flags[t[2]] & F_EVENT)) a->meta.events++;
  return NG_SUCCESS;
}

static NgStatus add_new(Apply *a, librdf_node *graph, const NgJournalRecord *rec, OldGraph *old,
                        uint64_t *added, bool *article) {
  bool replace = rec->kind == NG_JOURNAL_REPLACE;
  for (size_t i = 0; i < rec->ntriples; ++i) {
    const uint32_t *t = &rec->triples[3 * i];
    bool was_added;
    NgStatus st = add_triple(a, graph, t, old, replace, &was_added);
    if (st) return st;
    *added += was_added;
    if (was_added && (a->flags[t[1]] & F_TYPE) && (a->flags[t[2]] & F_ARTICLE)) *article = true;
  }
  return NG_SUCCESS;
}

static void count_graph(Apply *a, const OldGraph *old, bool replace, uint64_t added, bool article) {
  bool had = old->quads > 0, has = replace ? added > 0 : had || added > 0;
  bool had_article = old->article, has_article = replace ? article : had_article || article;
  a->meta.graphs = a->meta.graphs + has - had;
  a->meta.articles = a->meta.articles + has_article - had_article;
}

static NgStatus apply_record(Apply *a, const NgJournalRecord *rec) {
  bool replace = rec->kind == NG_JOURNAL_REPLACE;
  librdf_node *graph = librdf_new_node_from_uri_string(a->world, (const unsigned char *)rec->graph);
  if (!graph) return NG_ERR_STORE;
  OldGraph old;
  memset(&old, 0, sizeof old);
  NgStatus st = scan_old(a, graph, replace, &old);
  if (!st && replace) st = remove_old(a, graph, &old);
  if (!st) st = make_nodes(a, rec);
  if (!st) {
    uint64_t added = 0;
    bool article = false;
    st = add_new(a, graph, rec, &old, &added, &article);
    if (!st) count_graph(a, &old, replace, added, article);
    free_nodes(a, rec->nterms);
  }
  old_graph_free(&old);
  librdf_free_node(graph);
  return st;
}

static NgStatus apply_journal(Apply *a) {
  NgJournal *j = a->store->journal;
  NgJournalRecord rec;
  NgStatus st = ng_journal_rewind(j);
  uint64_t applied = a->meta.seq;
  while (!st && (st = ng_journal_next(j, &rec)) == NG_SUCCESS) {
    /* a stop leaves the records in the journal for the next writer (or
     * reader) to apply: nothing is lost, and nobody waits minutes */
    if (ng_world_stop_requested(a->store->world)) return NG_ERR_INTERRUPTED;
    if (rec.seq <= applied) continue; /* already in the live generation */
    st = apply_record(a, &rec);
    if (rec.seq > a->meta.seq) a->meta.seq = rec.seq;
    crash_point(a, "mid-apply");
  }
  return st == NG_END ? NG_SUCCESS : st;
}

/* ---------------------------------------------------------- the switch */

static NgStatus find_new_records(NgStore *store, bool *found) {
  NgJournalRecord rec;
  NgStatus st = ng_journal_rewind(store->journal);
  *found = false;
  while (!st && !*found && (st = ng_journal_next(store->journal, &rec)) == NG_SUCCESS)
    *found = rec.seq > store->meta.seq;
  return st == NG_END ? NG_SUCCESS : st;
}

static NgStatus prepare_generation(Apply *a, const char *new_dir) {
  NgStore *store = a->store;
  ng_remove_gen_dir(new_dir); /* left by a checkpoint that crashed */
  if (mkdir(new_dir, 0755)) return NG_ERR_IO;
  if (store->generation) {
    /* damage in the live generation must not travel into the next one */
    NgStatus st;
    NG_TRY(st, ng_store_check_generation(store, store->generation, &store->meta, true));
    char *old_dir = ng_store_gen_path(store, store->generation, NULL);
    st = old_dir ? each_db_file(old_dir, new_dir, copy_file) : NG_ERR_NOMEM;
    free(old_dir);
    if (st) return st;
  }
  crash_point(a, "after-copy");
  return NG_SUCCESS;
}

static NgStatus fill_generation(Apply *a, const char *new_dir) {
  librdf_storage *storage = ng_store_open_storage(a->store, new_dir, true, !a->store->generation);
  a->model = storage ? librdf_new_model(a->world, storage, NULL) : NULL;
  NgStatus st = a->model ? apply_journal(a) : NG_ERR_STORE;
  if (!st && librdf_model_sync(a->model)) st = NG_ERR_STORE;
  if (a->model) librdf_free_model(a->model);
  if (storage) librdf_free_storage(storage); /* closes (and flushes) the files */
  a->model = NULL;
  if (!st) st = each_db_file(new_dir, NULL, sync_file);
  if (!st) st = ng_store_write_checksums(a->store, new_dir, &a->meta.files);
  return st;
}

static NgStatus switch_to(Apply *a, unsigned long gen, const char *new_dir) {
  NgStore *store = a->store;
  NgStatus st;
  NG_TRY(st, ng_store_write_meta(store, new_dir, &a->meta));
  crash_point(a, "before-switch");
  char current[64];
  int n = snprintf(current, sizeof current, "gen-%06lu\n", gen);
  NG_TRY(st, ng_write_atomic(store->world, store->dir, "CURRENT", current, (size_t)n));
  crash_point(a, "after-switch");
  store->generation = gen;
  store->meta = a->meta;
  NG_TRY(st, ng_journal_truncate(store->journal));
  ng_store_remove_stale(store);
  return NG_SUCCESS;
}

static NgStatus make_concepts(Apply *a) {
  a->rdf_type = librdf_new_node_from_uri_string(a->world, (const unsigned char *)RDF_TYPE);
  a->ng_event = librdf_new_node_from_uri_string(a->world, (const unsigned char *)NG_EVENT);
  a->ng_article = librdf_new_node_from_uri_string(a->world, (const unsigned char *)NG_ARTICLE);
  return a->rdf_type && a->ng_event && a->ng_article ? NG_SUCCESS : NG_ERR_NOMEM;
}

static void apply_free(Apply *a) {
  if (a->rdf_type) librdf_free_node(a->rdf_type);
  if (a->ng_event) librdf_free_node(a->ng_event);
  if (a->ng_article) librdf_free_node(a->ng_article);
  free(a->nodes);
  free(a->fps);
  free(a->flags);
}

/* Berkeley DB prints its own errors straight to stderr (librdf sets no
 * error callback on the handles it opens, and offers none): on a full disk
 * that is thousands of lines, three per page it cannot write.  So while a
 * checkpoint writes, stderr goes into a memory file; afterwards the lines
 * of Berkeley DB become one message (the first, and how many more), any
 * other line is passed on as it was. */
typedef struct {
  int saved; /* the real stderr, -1 when not capturing */
  int fd;    /* the memory file */
} Capture;

static void capture_begin(Capture *c) {
  fflush(stderr);
  c->fd = memfd_create("newsgraph-stderr", MFD_CLOEXEC);
  c->saved = c->fd >= 0 ? dup(STDERR_FILENO) : -1;
  if (c->saved >= 0 && dup2(c->fd, STDERR_FILENO) < 0) {
    close(c->saved);
    c->saved = -1;
  }
}

static void capture_end(NgWorld *world, const char *dir, Capture *c) {
  if (c->saved < 0) {
    if (c->fd >= 0) close(c->fd);
    return;
  }
  fflush(stderr);
  dup2(c->saved, STDERR_FILENO);
  close(c->saved);
  FILE *f = lseek(c->fd, 0, SEEK_SET) == 0 ? fdopen(c->fd, "r") : NULL;
  char line[512], first[512] = "";
  unsigned long bdb = 0;
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, "BDB", 3)) {
      fputs(line, stderr);
      continue;
    }
    if (!bdb++) snprintf(first, sizeof first, "%s", line);
  }
  if (f)
    fclose(f); /* closes c->fd */
  else
    close(c->fd);
  first[strcspn(first, "\n")] = '\0';
  if (bdb)
    ng_report(world, NG_ERR_STORE, NG_LEVEL_ERROR, dir, 0, 0, "Berkeley DB: %s (%lu lines like it)",
              first, bdb);
}

static NgStatus run(NgStore *store) {
  Apply a;
  memset(&a, 0, sizeof a);
  a.store = store;
  a.world = ng_rdf_world(store->rdf);
  a.meta = store->meta;
  a.crash = getenv("NG_TEST_CRASH");
  unsigned long gen = store->generation + 1;
  char *new_dir = ng_store_gen_path(store, gen, NULL);
  NgStatus st = new_dir ? make_concepts(&a) : NG_ERR_NOMEM;
  ng_store_drop_model(store); /* our own view of the live generation */
  Capture capture;
  capture_begin(&capture);
  if (!st) st = prepare_generation(&a, new_dir);
  if (!st) st = fill_generation(&a, new_dir);
  capture_end(store->world, store->dir, &capture);
  if (!st) st = switch_to(&a, gen, new_dir);
  if (st && store->generation != gen && new_dir) ng_remove_gen_dir(new_dir);
  if (st == NG_ERR_INTERRUPTED)
    ng_report(store->world, NG_SUCCESS, NG_LEVEL_NOTE, store->dir, 0, 0,
              "interrupted: the committed articles wait in the journal; the next command "
              "that opens the store applies them");
  else if (st)
    ng_report(store->world, st, NG_LEVEL_ERROR, store->dir, 0, 0,
              "checkpoint failed (the journal keeps the records): %s", ng_strerror(st));
  apply_free(&a);
  free(new_dir);
  return st;
}

NgStatus ng_checkpoint_run(NgStore *store) {
  NgStatus st;
  NG_TRY(st, ng_journal_sync(store->journal));
  if (!ng_journal_has_records(store->journal)) return NG_SUCCESS;
  bool found;
  NG_TRY(st, find_new_records(store, &found));
  if (found && ng_world_stop_requested(store->world)) { /* before copying the store */
    ng_report(store->world, NG_SUCCESS, NG_LEVEL_NOTE, store->dir, 0, 0,
              "interrupted: the committed articles wait in the journal; the next command "
              "that opens the store applies them");
    return NG_ERR_INTERRUPTED;
  }
  /* Records all applied already (a crash after the switch): just empty it. */
  return found ? run(store) : ng_journal_truncate(store->journal);
}
