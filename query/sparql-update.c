/* sparql-update.c - SPARQL 1.1 Update on the store: every request in one
 * write transaction of the quad store (all of it or nothing), through the
 * store's own insert, remove and clear, which keep its counters.
 *
 * The store holds named graphs only.  The default graph of an update is
 * the graph given as the request's default graph (NgQueryOptions, as the
 * Protocol's using-graph-uri), else NG_DEFAULT_GRAPH: INSERT without GRAPH
 * writes there, CLEAR DEFAULT empties it.  DELETE without GRAPH and without
 * an explicit default graph removes the triple from every graph that holds
 * it (the default graph a query sees being their union), and WHERE
 * matches in that union.  LOAD reads local files only (file: IRIs). */
#include "query.h"
#include "sparql-engine.h"

#include <raptor2.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  NgSqExec *x;
  NgQsTxn *txn;
  NgStore *store;
  const NgQueryOptions *options;
  NgId default_graph;  /* explicit default graph, or NG_DEFAULT_GRAPH's id */
  bool union_delete;   /* DELETE without GRAPH: from every graph */
  uint64_t bnode_run;  /* distinguishes this request's blank nodes */
  uint64_t *bnode_seq; /* numbers them within the request */
  const char *origin;
} Update;

static NgStatus intern_iri(NgQsTxn *txn, const char *iri, NgId *id) {
  NgTerm t = {NG_TERM_IRI, iri, NULL, NULL};
  return ng_qs_intern(txn, &t, id);
}

/* ------------------------------------------------------------- quads */

/* The id of a template term for one solution (0: none), interned. */
static NgStatus quad_term(Update *u, const NgSqTerm *t, const NgSqId *row, NgMap *bnodes,
                          bool intern, NgId *id) {
  NgTerm term;
  NgTermScratch scratch;
  NgStatus st;
  *id = 0;
  switch (t->kind) {
  case NG_SQ_T_CONST: term = t->term; break;
  case NG_SQ_T_VAR:
    if (!row || !row[t->var]) return NG_SUCCESS;
    if (!NG_QS_IS_LOCAL_ID(row[t->var])) {
      *id = row[t->var];
      return NG_SUCCESS;
    }
    if ((st = ng_sq_term_of(u->x, row[t->var], &term, &scratch))) return st;
    break;
  case NG_SQ_T_BNODE: {
    bool inserted;
    uintptr_t *slot = ng_map_slot(bnodes, t->term.value, strlen(t->term.value), &inserted);
    if (!slot) return NG_ERR_NOMEM;
    if (inserted) {
      char label[64];
      snprintf(label, sizeof label, "u%llx_%llu", (unsigned long long)u->bnode_run,
               (unsigned long long)++*u->bnode_seq);
      NgTerm b = {NG_TERM_BLANK, label, NULL, NULL};
      NgId bid;
      if ((st = ng_qs_intern(u->txn, &b, &bid))) return st;
      *slot = (uintptr_t)bid;
    }
    *id = (NgId)*slot;
    return NG_SUCCESS;
  }
  default: return NG_SUCCESS;
  }
  if (intern) return ng_qs_intern(u->txn, &term, id);
  st = ng_qs_lookup(u->txn, &term, id);
  if (st == NG_END) *id = 0, st = NG_SUCCESS;
  return st;
}

/* Inserts or removes the quads of a template for one solution (row NULL:
 * data).  Quads with an unbound or ill-placed term are left out. */
static NgStatus apply_quads(Update *u, const NgSqQuad *q, size_t n, const NgSqId *row,
                            NgMap *bnodes, bool insert) {
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < n && !st; ++i) {
    NgId quad[4];
    if ((st = quad_term(u, &q[i].s, row, bnodes, insert, &quad[0])) ||
        (st = quad_term(u, &q[i].p, row, bnodes, insert, &quad[1])) ||
        (st = quad_term(u, &q[i].o, row, bnodes, insert, &quad[2])))
      break;
    if (!quad[0] || !quad[1] || !quad[2]) continue;
    NgQsKind ks = ng_qs_id_kind(quad[0]), kp = ng_qs_id_kind(quad[1]);
    if ((ks != NG_QS_KIND_IRI && ks != NG_QS_KIND_BLANK) || kp != NG_QS_KIND_IRI) continue;
    if (q[i].g.kind == NG_SQ_T_NONE) {
      if (!insert && u->union_delete) {
        /* from every graph holding the triple */
        NgId pat[4] = {quad[0], quad[1], quad[2], 0}, found[4];
        NgId graphs[64];
        size_t ng;
        do {
          ng = 0;
          NgQsScan *scan = ng_qs_scan_new(u->txn, pat, 0, &st);
          if (!scan) break;
          while (ng < NG_COUNTOF(graphs) && ng_qs_scan_next(scan, found) == NG_SUCCESS)
            graphs[ng++] = found[NG_QS_G];
          ng_qs_scan_free(scan);
          for (size_t k = 0; k < ng && !st; ++k) {
            quad[3] = graphs[k];
            st = ng_qs_remove(u->txn, quad, NULL);
          }
        } while (!st && ng == NG_COUNTOF(graphs));
        continue;
      }
      quad[3] = u->default_graph;
    } else if ((st = quad_term(u, &q[i].g, row, bnodes, insert, &quad[3])) || !quad[3]) {
      continue;
    }
    if (ng_qs_id_kind(quad[3]) != NG_QS_KIND_IRI) continue;
    st = insert ? ng_qs_insert(u->txn, quad, NULL) : ng_qs_remove(u->txn, quad, NULL);
  }
  return st;
}

/* ------------------------------------------------------ DELETE/INSERT */

static NgStatus collect(NgSqExec *x, const NgSqId *row, void *ctx) {
  NgBuf *rows = ctx;
  return ng_buf_append(rows, (const char *)row, x->nvars * sizeof *row);
}

static NgStatus modify(Update *u, NgSqQuery *q, NgSqUpdateOp *op) {
  /* the dataset of WHERE: USING, else WITH, else the request's */
  NgQueryOptions o = *u->options;
  const char *with_list[2] = {op->with, NULL};
  if (op->nusing || op->nusing_named) {
    const char **d = calloc(op->nusing + 1, sizeof *d),
               **n = calloc(op->nusing_named + 1, sizeof *n);
    if (!d || !n) {
      free(d);
      free(n);
      return NG_ERR_NOMEM;
    }
    if (op->nusing) memcpy(d, op->using, op->nusing * sizeof *d);
    if (op->nusing_named) memcpy(n, op->using_named, op->nusing_named * sizeof *n);
    o.default_graphs = d;
    o.named_graphs = n;
  } else if (op->with) {
    o.default_graphs = with_list;
  }
  NgSqExec x;
  NgStatus st = ng_sq_exec_init(&x, u->x->world, u->txn, q, &o, u->origin);
  NgBuf rows = NG_BUF_INIT;
  if (!st) st = ng_sq_run_select(&x, op->where, collect, &rows);
  if (st == NG_END) st = NG_SUCCESS;
  if (op->nusing || op->nusing_named) {
    free((void *)o.default_graphs);
    free((void *)o.named_graphs);
  }
  /* templates without GRAPH go to WITH's graph when there is one */
  Update v = *u;
  v.x = &x;
  if (!st && op->with) {
    st = intern_iri(u->txn, op->with, &v.default_graph);
    v.union_delete = false;
  }
  size_t nrows = x.nvars ? rows.len / (x.nvars * sizeof(NgSqId)) : (rows.len ? 1 : 0);
  const NgSqId *r = (const NgSqId *)rows.data;
  for (size_t i = 0; i < nrows && !st; ++i) {
    NgMap *bnodes = ng_map_new();
    if (!bnodes) st = NG_ERR_NOMEM;
    if (!st) st = apply_quads(&v, op->del, op->ndelete, r + i * x.nvars, bnodes, false);
    ng_map_free(bnodes);
  }
  for (size_t i = 0; i < nrows && !st; ++i) {
    NgMap *bnodes = ng_map_new(); /* fresh blank nodes per solution */
    if (!bnodes) st = NG_ERR_NOMEM;
    if (!st) st = apply_quads(&v, op->ins, op->ninsert, r + i * x.nvars, bnodes, true);
    ng_map_free(bnodes);
  }
  ng_buf_free(&rows);
  ng_sq_exec_done(&x);
  return st;
}

/* -------------------------------------------------------- graph ops */

static NgStatus graph_id(Update *u, NgSqGraphRef ref, const char *iri, NgId *g) {
  if (ref == NG_SQ_G_DEFAULT) {
    *g = u->default_graph;
    return NG_SUCCESS;
  }
  NgTerm t = {NG_TERM_IRI, iri, NULL, NULL};
  NgStatus st = ng_qs_lookup(u->txn, &t, g);
  if (st == NG_END) *g = 0, st = NG_SUCCESS;
  return st;
}

static bool graph_has_quads(Update *u, NgId g) {
  if (!g) return false;
  NgId pat[4] = {0, 0, 0, g};
  uint64_t n = 0;
  bool exact;
  return !ng_qs_estimate(u->txn, pat, &n, &exact) && n > 0;
}

/* Every graph of the store (their ids, in a new array). */
static NgStatus all_graphs(Update *u, NgId **out, size_t *n) {
  size_t cap = 16;
  *n = 0;
  *out = malloc(cap * sizeof **out);
  if (!*out) return NG_ERR_NOMEM;
  NgId g = 0;
  uint64_t quads;
  NgStatus st;
  while ((st = ng_qs_next_graph(u->txn, g, &g, &quads)) == NG_SUCCESS) {
    if (*n == cap) {
      NgId *m = realloc(*out, (cap *= 2) * sizeof *m);
      if (!m) return NG_ERR_NOMEM;
      *out = m;
    }
    (*out)[(*n)++] = g;
  }
  return st == NG_END ? NG_SUCCESS : st;
}

static NgStatus clear(Update *u, NgSqUpdateOp *op) {
  NgStatus st = NG_SUCCESS;
  if (op->ref == NG_SQ_G_IRI || op->ref == NG_SQ_G_DEFAULT) {
    NgId g;
    if ((st = graph_id(u, op->ref, op->iri, &g))) return st;
    /* a graph exists while it holds quads: dropping an empty one is no error */
    return g ? ng_qs_clear_graph(u->txn, g, NULL) : NG_SUCCESS;
  }
  NgId *graphs;
  size_t n;
  if ((st = all_graphs(u, &graphs, &n))) {
    free(graphs);
    return st;
  }
  for (size_t i = 0; i < n && !st; ++i)
    if (op->ref == NG_SQ_G_ALL || graphs[i] != u->default_graph)
      st = ng_qs_clear_graph(u->txn, graphs[i], NULL);
  free(graphs);
  return st;
}

/* ADD, MOVE, COPY: the quads of one graph into another. */
static NgStatus transfer(Update *u, NgSqUpdateOp *op) {
  NgId from, to;
  NgStatus st;
  if ((st = graph_id(u, op->ref, op->iri, &from))) return st;
  if (op->ref2 == NG_SQ_G_DEFAULT)
    to = u->default_graph;
  else if ((st = intern_iri(u->txn, op->iri2, &to)))
    return st;
  if (op->ref == NG_SQ_G_IRI && !graph_has_quads(u, from)) {
    if (op->silent) return NG_SUCCESS;
    ng_report(u->x->world, NG_ERR_QUERY, NG_LEVEL_ERROR, u->origin, op->line, op->col,
              "no graph <%s>", op->iri);
    return NG_ERR_QUERY;
  }
  if (from == to) return NG_SUCCESS;
  if (op->kind != NG_SQ_U_ADD && (st = ng_qs_clear_graph(u->txn, to, NULL))) return st;
  /* read first, then write: no cursor lives across the changes */
  NgBuf quads = NG_BUF_INIT;
  NgId pat[4] = {0, 0, 0, from}, q[4];
  NgQsScan *scan = from ? ng_qs_scan_new(u->txn, pat, 0, &st) : NULL;
  while (scan && !st && (st = ng_qs_scan_next(scan, q)) == NG_SUCCESS)
    st = ng_buf_append(&quads, (const char *)q, sizeof q);
  if (st == NG_END) st = NG_SUCCESS;
  ng_qs_scan_free(scan);
  size_t n = quads.len / sizeof q;
  for (size_t i = 0; i < n && !st; ++i) {
    memcpy(q, quads.data + i * sizeof q, sizeof q);
    q[3] = to;
    st = ng_qs_insert(u->txn, q, NULL);
  }
  ng_buf_free(&quads);
  if (!st && op->kind == NG_SQ_U_MOVE && from) st = ng_qs_clear_graph(u->txn, from, NULL);
  return st;
}

/* ------------------------------------------------------------- LOAD */

static const char *syntax_of(const char *path) {
  const char *dot = strrchr(path, '.');
  if (!dot) return "turtle";
  if (!strcmp(dot, ".nt")) return "ntriples";
  if (!strcmp(dot, ".nq")) return "nquads";
  if (!strcmp(dot, ".rdf") || !strcmp(dot, ".xml") || !strcmp(dot, ".owl")) return "rdfxml";
  if (!strcmp(dot, ".trig")) return "trig";
  return "turtle";
}

/* The file is read as import reads one (ng_store_load_file: a parser that
 * crashes or grows without bound takes down its own process, not this one
 * with its write transaction); a file's blank nodes are its own. */
static NgStatus load(Update *u, NgSqUpdateOp *op) {
  if (strncmp(op->iri, "file:", 5)) {
    if (op->silent) return NG_SUCCESS;
    ng_report(u->x->world, NG_ERR_QUERY, NG_LEVEL_ERROR, u->origin, op->line, op->col,
              "LOAD reads local files only (file: IRIs), not <%s>", op->iri);
    return NG_ERR_QUERY;
  }
  NgId graph = u->default_graph;
  NgStatus st;
  if (op->iri2 && (st = intern_iri(u->txn, op->iri2, &graph))) return st;
  char *path = (char *)raptor_uri_uri_string_to_filename((const unsigned char *)op->iri);
  if (!path) return NG_ERR_NOMEM;
  char blanks[24];
  snprintf(blanks, sizeof blanks, "l%llx_", (unsigned long long)(u->bnode_run + 1));
  st = ng_store_load_file(u->store, u->txn, path, syntax_of(path), graph, blanks, op->silent);
  if (st && !op->silent)
    ng_report(u->x->world, st, NG_LEVEL_ERROR, u->origin, op->line, op->col, "LOAD <%s> failed",
              op->iri);
  raptor_free_memory(path);
  return op->silent && st != NG_ERR_NOMEM && st != NG_ERR_INTERRUPTED ? NG_SUCCESS : st;
}

/* ------------------------------------------------------------ request */

static NgStatus run_op(Update *u, NgSqQuery *q, NgSqUpdateOp *op) {
  NgMap *bnodes;
  NgStatus st;
  switch (op->kind) {
  case NG_SQ_U_INSERT_DATA:
  case NG_SQ_U_DELETE_DATA:
    if (!(bnodes = ng_map_new())) return NG_ERR_NOMEM;
    st = op->kind == NG_SQ_U_INSERT_DATA
             ? apply_quads(u, op->ins, op->ninsert, NULL, bnodes, true)
             : apply_quads(u, op->del, op->ndelete, NULL, bnodes, false);
    ng_map_free(bnodes);
    return st;
  case NG_SQ_U_MODIFY: return modify(u, q, op);
  case NG_SQ_U_LOAD: return load(u, op);
  case NG_SQ_U_CLEAR:
  case NG_SQ_U_DROP: return clear(u, op);
  case NG_SQ_U_CREATE: {
    NgId g;
    if ((st = graph_id(u, NG_SQ_G_IRI, op->iri, &g))) return st;
    if (graph_has_quads(u, g) && !op->silent) {
      ng_report(u->x->world, NG_ERR_QUERY, NG_LEVEL_ERROR, u->origin, op->line, op->col,
                "graph <%s> exists already", op->iri);
      return NG_ERR_QUERY;
    }
    return NG_SUCCESS; /* a graph exists once it holds a quad */
  }
  default: return transfer(u, op);
  }
}

NgStatus ng_store_update(NgStore *store, const char *text, const char *origin,
                         const NgQueryOptions *options) {
  NgQueryOptions defaults;
  ng_query_options_init(&defaults);
  if (!options) options = &defaults;
  origin = origin ? origin : "<update>";
  NgStatus st;
  NgSqQuery *q = ng_sq_parse(store->world, text, strlen(text), origin, options->base, true, &st);
  if (!q) return st;
  if (store->mode != NG_STORE_WRITE || !store->qs) {
    ng_report(store->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, origin, 0, 0,
              "an update needs the store open for writing");
    ng_sq_query_free(q);
    return NG_ERR_BAD_ARG;
  }
  NgQsTxn *txn = ng_qs_txn_begin(store->qs, true, &st);
  if (!txn) {
    ng_sq_query_free(q);
    return st;
  }
  NgSqExec x; /* for terms of solutions and the world */
  st = ng_sq_exec_init(&x, store->world, txn, q, options, origin);
  uint64_t seq = 0;
  Update u = {&x, txn, store, options, 0, false, 0, &seq, origin};
  u.bnode_run = x.rand_state;
  const char *dg = options->default_graphs && options->default_graphs[0]
                       ? options->default_graphs[0]
                       : NG_DEFAULT_GRAPH;
  u.union_delete = !(options->default_graphs && options->default_graphs[0]);
  if (!st) st = intern_iri(txn, dg, &u.default_graph);
  for (size_t i = 0; i < q->nops && !st; ++i) {
    st = run_op(&u, q, &q->ops[i]);
    if (!st && ng_world_stop_requested(store->world)) st = NG_ERR_INTERRUPTED;
  }
  ng_sq_exec_done(&x);
  if (st)
    ng_qs_txn_abort(txn);
  else
    st = ng_qs_txn_commit(txn);
  ng_sq_query_free(q);
  return st;
}

NgStatus ng_store_remove_article(NgStore *store, const char *id, bool *found) {
  *found = false;
  if (store->mode != NG_STORE_WRITE || !store->qs) return NG_ERR_BAD_ARG;
  /* an article's graph is named by its IRI, made from its id */
  char *iri = strchr(id, ':') ? strdup(id) : ng_article_iri_new(id);
  if (!iri) return NG_ERR_NOMEM;
  NgStatus st;
  NgQsTxn *txn = ng_qs_txn_begin(store->qs, true, &st);
  if (txn) {
    NgTerm t = {NG_TERM_IRI, iri, NULL, NULL};
    NgId g;
    uint64_t n = 0;
    st = ng_qs_lookup(txn, &t, &g);
    if (!st) st = ng_qs_clear_graph(txn, g, &n);
    if (st == NG_END) st = NG_SUCCESS;
    *found = n > 0;
    if (st)
      ng_qs_txn_abort(txn);
    else
      st = ng_qs_txn_commit(txn);
  }
  free(iri);
  return st;
}
