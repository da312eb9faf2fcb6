/* sparql-run.c - the entry points of the SPARQL engine: checking a query's
 * syntax, running a query in a read transaction of the quad store and
 * writing its answer (SELECT and ASK through results.c's writers, row
 * batches as they come; CONSTRUCT and DESCRIBE as Turtle), and the store's
 * query entry point. */
#define _GNU_SOURCE /* strcasestr */
#include "query.h"
#include "sparql-engine.h"

#include <stdlib.h>
#include <string.h>

void ng_query_options_init(NgQueryOptions *options) {
  memset(options, 0, sizeof *options);
  options->engine = NG_ENGINE_NATIVE;
}

NgStatus ng_sparql_check(NgWorld *world, const char *text, const char *origin, const char *base,
                         bool update) {
  NgStatus st;
  NgSqQuery *q = ng_sq_parse(world, text, strlen(text), origin, base, update, &st);
  ng_sq_query_free(q);
  return st;
}

/* ============================================================== SELECT */

typedef struct {
  NgSqSelect *s;
  NgResultTable *table;
  NgResultsFormat format;
  FILE *out;
  bool streaming;
  uint64_t max_rows, rows;
  bool too_many;
  size_t skipped; /* rows past what a table holds: counted, not kept */
} SelectOut;

static NgStatus select_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  SelectOut *o = ctx;
  if (o->max_rows && o->rows >= o->max_rows) {
    o->too_many = true;
    return NG_END;
  }
  o->rows++;
  if (!o->streaming && o->table->nrows >= NG_RESULTS_TABLE_MAX) {
    o->skipped++;
    return NG_SUCCESS;
  }
  size_t r;
  NgStatus st = ng_result_table_add_row(o->table, &r);
  for (size_t c = 0; c < o->s->nproject && !st; ++c) {
    NgSqId id = row[o->s->project[c].var];
    if (!id) continue;
    NgTerm t;
    NgTermScratch scratch;
    st = ng_sq_term_of(x, id, &t, &scratch);
    if (!st) st = ng_result_table_set(o->table, r, c, &t);
  }
  if (!st && o->streaming && o->table->nrows >= NG_RESULTS_BATCH) {
    st = ng_results_write(o->table, o->format, NG_RESULTS_ROWS, o->out);
    ng_result_table_drop_rows(o->table);
  }
  return st;
}

static NgStatus run_select(NgSqExec *x, NgResultsFormat format, uint64_t max_rows, FILE *out) {
  NgSqSelect *s = x->q->select;
  NgResultTable *t = ng_result_table_new(NG_RESULT_BINDINGS);
  if (!t) return NG_ERR_NOMEM;
  t->width = x->world->table_width;
  SelectOut o = {s, t, format, out, format != NG_RESULTS_TABLE, max_rows, 0, false, 0};
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < s->nproject && !st; ++i)
    st = ng_result_table_add_var(t, x->q->var_names[s->project[i].var]);
  if (!st && o.streaming) st = ng_results_write(t, format, NG_RESULTS_HEAD, out);
  if (!st) st = ng_sq_run_select(x, s, select_row, &o);
  if (st == NG_END) st = NG_SUCCESS;
  if (!st)
    st = ng_results_write(t, format,
                          o.streaming ? NG_RESULTS_ROWS | NG_RESULTS_TAIL : NG_RESULTS_ALL, out);
  if (!st && o.skipped) ng_results_report_cut(x->world, x->origin, t->nrows, o.skipped);
  ng_result_table_free(t);
  if (!st && o.too_many) {
    ng_report(x->world, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, x->origin, 0, 0,
              "the answer has more than %llu rows (the limit): the first ones were written",
              (unsigned long long)max_rows);
    st = NG_ERR_TOO_LARGE;
  }
  return st;
}

static NgStatus found_one(NgSqExec *x, const NgSqId *row, void *ctx) {
  (void)x;
  (void)row;
  *(bool *)ctx = true;
  return NG_END;
}

static NgStatus run_ask(NgSqExec *x, NgResultsFormat format, FILE *out) {
  bool found = false;
  NgStatus st = ng_sq_run_select(x, x->q->select, found_one, &found);
  if (st && st != NG_END) return st;
  NgResultTable *t = ng_result_table_new(NG_RESULT_BOOLEAN);
  if (!t) return NG_ERR_NOMEM;
  t->boolean = found;
  st = ng_results_write(t, format, NG_RESULTS_ALL, out);
  ng_result_table_free(t);
  return st;
}

/* =========================================================== CONSTRUCT */

typedef struct {
  NgGraph *graph;
  uint64_t max, count;
  bool too_many;
} GraphOut;

/* The term a template position takes in one solution (NULL: none). */
static NgStatus template_term(NgSqExec *x, const NgSqTerm *t, const NgSqId *row, NgMap *bnodes,
                              NgTerm *out, NgTermScratch *scratch, bool *ok) {
  NgSqId id = 0;
  NgStatus st;
  *ok = true;
  switch (t->kind) {
  case NG_SQ_T_CONST: *out = t->term; return NG_SUCCESS;
  case NG_SQ_T_VAR: id = row[t->var]; break;
  case NG_SQ_T_BNODE: {
    /* a fresh blank node per template label and solution */
    bool inserted;
    uintptr_t *slot = ng_map_slot(bnodes, t->term.value, strlen(t->term.value), &inserted);
    if (!slot) return NG_ERR_NOMEM;
    if (inserted) {
      if ((st = ng_sq_new_bnode(x, &id))) return st;
      *slot = (uintptr_t)id;
    }
    id = (NgSqId)*slot;
    break;
  }
  default: break;
  }
  if (!id) {
    *ok = false;
    return NG_SUCCESS;
  }
  return ng_sq_term_of(x, id, out, scratch);
}

static NgStatus instantiate(NgSqExec *x, const NgSqTriple *templ, size_t n, const NgSqId *row,
                            NgGraph *g) {
  NgMap *bnodes = ng_map_new();
  if (!bnodes) return NG_ERR_NOMEM;
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < n && !st; ++i) {
    NgTerm s, p, o;
    NgTermScratch ss, sp, so;
    bool ok1, ok2, ok3;
    if ((st = template_term(x, &templ[i].s, row, bnodes, &s, &ss, &ok1)) ||
        (st = template_term(x, &templ[i].p, row, bnodes, &p, &sp, &ok2)) ||
        (st = template_term(x, &templ[i].o, row, bnodes, &o, &so, &ok3)))
      break;
    /* unbound positions and ill-formed triples are left out */
    if (!ok1 || !ok2 || !ok3 || s.kind == NG_TERM_LITERAL || p.kind != NG_TERM_IRI) continue;
    st = ng_graph_add(g, &s, &p, &o);
  }
  ng_map_free(bnodes);
  return st;
}

static NgStatus construct_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  GraphOut *o = ctx;
  NgStatus st = instantiate(x, x->q->templ, x->q->ntemplate, row, o->graph);
  if (!st && o->max && ng_graph_size(o->graph) > o->max) {
    o->too_many = true;
    return NG_END;
  }
  return st;
}

/* ============================================================ DESCRIBE */

/* The resources described: the IRIs named and the values of the variables
 * named (or of every variable, DESCRIBE *) in the solutions. */
typedef struct {
  NgFpSet *seen;
  NgSqId *ids;
  size_t n, cap;
} Targets;

static NgStatus target_add(Targets *t, NgSqId id) {
  bool added;
  NgStatus st = ng_fpset_add(t->seen, id, &added);
  if (st || !added) return st;
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 32;
    NgSqId *m = realloc(t->ids, cap * sizeof *m);
    if (!m) return NG_ERR_NOMEM;
    t->ids = m;
    t->cap = cap;
  }
  t->ids[t->n++] = id;
  return NG_SUCCESS;
}

static NgStatus describe_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  Targets *t = ctx;
  NgStatus st = NG_SUCCESS;
  NgSqQuery *q = x->q;
  if (!q->ndescribe) {
    for (size_t i = 0; i < q->select->nproject && !st; ++i)
      if (row[q->select->project[i].var]) st = target_add(t, row[q->select->project[i].var]);
  }
  for (size_t i = 0; i < q->ndescribe && !st; ++i)
    if (q->describe[i].kind == NG_SQ_T_VAR && row[q->describe[i].var])
      st = target_add(t, row[q->describe[i].var]);
  return st;
}

/* The triples of each target as subject, and of the blank nodes they lead
 * to (a concise bounded description), over all graphs, each once. */
static NgStatus describe_targets(NgSqExec *x, Targets *t, NgGraph *g) {
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < t->n && !st; ++i) {
    if (NG_QS_IS_LOCAL_ID(t->ids[i]) || !x->txn) continue;
    NgId pat[4] = {t->ids[i], 0, 0, 0};
    NgQsScan *scan = ng_qs_scan_new(x->txn, pat, NG_QS_GRAPH_LAST, &st);
    if (!scan) break;
    NgId quad[4];
    while (!st && (st = ng_qs_scan_next(scan, quad)) == NG_SUCCESS) {
      NgTerm s, p, o;
      NgTermScratch ss, sp, so;
      if ((st = ng_sq_term_of(x, quad[0], &s, &ss)) || (st = ng_sq_term_of(x, quad[1], &p, &sp)) ||
          (st = ng_sq_term_of(x, quad[2], &o, &so)))
        break;
      st = ng_graph_add(g, &s, &p, &o);
      if (!st && o.kind == NG_TERM_BLANK) st = target_add(t, quad[2]);
    }
    if (st == NG_END) st = NG_SUCCESS;
    ng_qs_scan_free(scan);
  }
  return st;
}

/* The answer of CONSTRUCT and DESCRIBE in syntax (Turtle unless a server's
 * client asked for another). */
static NgStatus write_graph(NgSqExec *x, NgGraph *g, NgSyntax syntax, FILE *out) {
  if (syntax == NG_SYNTAX_RDFXML) return ng_graph_write_rdfxml(x->world, g, out);
  NgWriter *w = ng_writer_new(out, syntax);
  if (!w) return NG_ERR_NOMEM;
  NgStatus st = ng_writer_write_graph(w, g);
  if (!st) st = ng_writer_finish(w);
  ng_writer_free(w);
  return st;
}

static NgStatus run_graph_query(NgSqExec *x, uint64_t max, NgSyntax syntax, FILE *out) {
  NgGraph *g = ng_graph_new(NULL);
  if (!g) return NG_ERR_NOMEM;
  NgStatus st;
  GraphOut o = {g, max, 0, false};
  if (x->q->form == NG_SQ_CONSTRUCT) {
    st = ng_sq_run_select(x, x->q->select, construct_row, &o);
  } else {
    NgFpSet seen = {NULL, 0, 0};
    Targets t = {&seen, NULL, 0, 0};
    st = NG_SUCCESS;
    for (size_t i = 0; i < x->q->ndescribe && !st; ++i) {
      NgSqTerm *d = &x->q->describe[i];
      if (d->kind != NG_SQ_T_CONST) continue;
      if (!(st = ng_sq_id_of_term(x, &d->term, &d->id))) st = target_add(&t, d->id);
    }
    if (!st) st = ng_sq_run_select(x, x->q->select, describe_row, &t);
    if (!st) st = describe_targets(x, &t, g);
    free(t.ids);
    ng_fpset_free(&seen);
  }
  if (st == NG_END) st = NG_SUCCESS;
  if (!st) st = write_graph(x, g, syntax, out);
  ng_graph_free(g);
  if (!st && o.too_many) {
    ng_report(x->world, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, x->origin, 0, 0,
              "the answer has more than %llu triples (the limit): nothing was written",
              (unsigned long long)max);
    st = NG_ERR_TOO_LARGE;
  }
  return st;
}

/* ================================================================ entry */

NgStatus ng_sq_query_txn(NgWorld *world, NgQsTxn *txn, const char *text, const char *origin,
                         const NgQueryOptions *options, NgResultsFormat format, FILE *out) {
  return ng_sq_query_txn_as(world, txn, text, origin, options, format, NG_SYNTAX_TURTLE, out);
}

NgStatus ng_sq_query_txn_as(NgWorld *world, NgQsTxn *txn, const char *text, const char *origin,
                            const NgQueryOptions *options, NgResultsFormat format, NgSyntax syntax,
                            FILE *out) {
  NgStatus st;
  const char *base = options ? options->base : NULL;
  NgSqQuery *q = ng_sq_parse(world, text, strlen(text), origin, base, false, &st);
  if (!q) return st;
  NgSqExec x;
  st = ng_sq_exec_init(&x, world, txn, q, options, origin ? origin : "<query>");
  uint64_t max = options ? options->max_rows : 0;
  if (!st) {
    switch (q->form) {
    case NG_SQ_SELECT: st = run_select(&x, format, max, out); break;
    case NG_SQ_ASK: st = run_ask(&x, format, out); break;
    default: st = run_graph_query(&x, max, syntax, out); break;
    }
  }
  ng_sq_exec_done(&x);
  ng_sq_query_free(q);
  return st;
}

/* ================================================================ store */

/* SERVICE is never sent from the engine: a query that holds it is checked
 * whole first (a syntax error is told before anything is sent), then
 * service.c refuses it where the keyword stands unless the world allows
 * services, or runs each clause over http(s) and puts a VALUES block of
 * its answer in its place (*text: the query to run, owned by rewritten). */
static NgStatus resolve_services(NgWorld *world, const char **text, const char *origin,
                                 const NgQueryOptions *options, NgBuf *rewritten) {
  if (!strcasestr(*text, "SERVICE")) return NG_SUCCESS; /* (the usual case: one parse) */
  NgStatus st;
  size_t len = strlen(*text);
  NgSqQuery *q = ng_sq_parse(world, *text, len, origin, options ? options->base : NULL, false, &st);
  bool has_service = q && q->has_service;
  ng_sq_query_free(q);
  if (!has_service) return NG_SUCCESS; /* a syntax error, or the word in a string */
  if ((st = ng_sparql_services(world, *text, len, origin, rewritten))) return st;
  if (rewritten->len) *text = rewritten->data;
  return NG_SUCCESS;
}

NgStatus ng_store_query_with(NgStore *store, const char *query, const char *origin,
                             const NgQueryOptions *options, NgResultsFormat format, FILE *out) {
  return ng_store_query_as(store, query, origin, options, format, NG_SYNTAX_TURTLE, out);
}

NgStatus ng_store_query_as(NgStore *store, const char *query, const char *origin,
                           const NgQueryOptions *options, NgResultsFormat format, NgSyntax syntax,
                           FILE *out) {
  NgStatus st;
  if (options && options->engine == NG_ENGINE_REDLAND) {
    st = ng_store_query_redland(store, query, origin, format, out);
  } else {
    NgBuf rewritten = NG_BUF_INIT;
    st = resolve_services(store->world, &query, origin, options, &rewritten);
    /* a store that is not there reads as an empty one (txn NULL) */
    NgQsTxn *txn = st ? NULL : ng_store_read(store, &st);
    if (st == NG_END) st = NG_SUCCESS;
    if (!st) st = ng_sq_query_txn_as(store->world, txn, query, origin, options, format, syntax, out);
    ng_qs_txn_abort(txn);
    ng_buf_free(&rewritten);
    if (st) return st;
  }
  if (!st && (fflush(out) == EOF || ferror(out))) st = NG_ERR_IO;
  return st;
}

NgStatus ng_store_query(NgStore *store, const char *query, const char *origin,
                        NgResultsFormat format, FILE *out) {
  return ng_store_query_with(store, query, origin, NULL, format, out);
}
