/* sparql-eval.c - evaluation of the algebra over the quad store's ids.
 *
 * Push-based: every operator calls a function for each solution it finds,
 * so results stream from the scans to the writer and only ORDER BY,
 * GROUP BY, DISTINCT and the right side of a MINUS hold solutions in memory.
 * A solution is an array of ids, one slot per variable of the query (0:
 * unbound); joins compare ids, never text.
 *
 * Joins pass the left solution into the right side (bound variables become
 * constants of its scans: an index lookup per left solution, as a planner
 * that "prefers joins on bound variables" wants).  That is the algebra's
 * Join only where the right side cannot tell; where it can (a FILTER or the
 * expression of a BIND that reads a variable the pattern may leave unbound,
 * the right side of an OPTIONAL or a MINUS, a subquery with modifiers),
 * the variables it must not see are withheld and the solutions merged
 * afterwards (see `accept` and eval()).
 *
 * Basic graph patterns are ordered by a greedy planner on the store's
 * estimates (most selective first, given what is bound), per set of bound
 * variables.  Property paths have their own evaluation: sequences and
 * alternatives as joins and unions, *, + and ? as breadth-first searches
 * with a visited set. */
#define _GNU_SOURCE /* qsort_r */
#include "query.h"
#include "sparql-engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* ================================================================ rows */

static NgSqId *row_get(NgSqExec *x) {
  if (x->nfree_rows) return x->free_rows[--x->nfree_rows];
  return malloc((x->nvars ? x->nvars : 1) * sizeof(NgSqId));
}

static void row_put(NgSqExec *x, NgSqId *r) {
  if (!r) return;
  if (x->nfree_rows == x->cap_free_rows) {
    size_t cap = x->cap_free_rows ? x->cap_free_rows * 2 : 16;
    NgSqId **f = realloc(x->free_rows, cap * sizeof *f);
    if (!f) {
      free(r);
      return;
    }
    x->free_rows = f;
    x->cap_free_rows = cap;
  }
  x->free_rows[x->nfree_rows++] = r;
}

static NgSqId *row_copy(NgSqExec *x, const NgSqId *in) {
  NgSqId *r = row_get(x);
  if (r) memcpy(r, in, x->nvars * sizeof *r);
  return r;
}

/* Interrupted or out of time: checked every few thousand steps. */
static NgStatus tick(NgSqExec *x) {
  if (x->stop) return x->stop;
  if (++x->ticks & 1023) return NG_SUCCESS;
  if (ng_world_stop_requested(x->world)) {
    x->stop = NG_ERR_INTERRUPTED;
  } else if (x->deadline && ng_sq_clock() > x->deadline) {
    x->stop = NG_ERR_INTERRUPTED;
    ng_report(x->world, NG_ERR_INTERRUPTED, NG_LEVEL_ERROR, x->origin, 0, 0,
              "the query ran past its time limit");
  }
  return x->stop;
}

/* ============================================================ var sets */

static size_t words(const NgSqExec *x) { return (x->nvars + 63) / 64 ? (x->nvars + 63) / 64 : 1; }

static NgStatus vs_new(NgSqExec *x, NgSqVarSet *s) {
  s->bits = ng_arena_calloc(&x->local_arena, words(x) * 8);
  return s->bits ? NG_SUCCESS : NG_ERR_NOMEM;
}

static void vs_or(NgSqExec *x, NgSqVarSet *d, const NgSqVarSet *a) {
  for (size_t i = 0; i < words(x); ++i)
    d->bits[i] |= a->bits[i];
}

static void vs_fill(NgSqExec *x, NgSqVarSet *d) { memset(d->bits, 0xFF, words(x) * 8); }

static void term_var(NgSqExec *x, const NgSqTerm *t, NgSqVarSet *s) {
  if (t->kind == NG_SQ_T_VAR && t->var < x->nvars) ng_sq_vs_add(s, t->var);
}

static void pattern_vars(NgSqExec *x, const NgSqNode *n, NgSqVarSet *s);

static void expr_vars(NgSqExec *x, const NgSqExpr *e, NgSqVarSet *s) {
  if (!e) return;
  if (e->op == NG_SQ_E_TERM) term_var(x, &e->term, s);
  if (e->op == NG_SQ_E_AGG && e->var < x->nvars) ng_sq_vs_add(s, e->var);
  if (e->pattern) pattern_vars(x, e->pattern, s);
  for (unsigned i = 0; i < e->nargs; ++i)
    expr_vars(x, e->args[i], s);
}

/* Every variable written anywhere in a pattern (for EXISTS). */
static void pattern_vars(NgSqExec *x, const NgSqNode *n, NgSqVarSet *s) {
  if (!n) return;
  for (size_t i = 0; i < n->ntriples; ++i) {
    term_var(x, &n->triples[i].s, s);
    term_var(x, &n->triples[i].p, s);
    term_var(x, &n->triples[i].o, s);
  }
  for (size_t i = 0; i < n->nexprs; ++i)
    expr_vars(x, n->exprs[i], s);
  for (size_t i = 0; i < n->nvals; ++i)
    ng_sq_vs_add(s, n->vals[i]);
  term_var(x, &n->graph, s);
  if (n->kind == NG_SQ_N_EXTEND) ng_sq_vs_add(s, n->var);
  if (n->kind == NG_SQ_N_SUBQUERY)
    for (size_t i = 0; i < n->sub->nproject; ++i)
      ng_sq_vs_add(s, n->sub->outer_vars[i]);
  pattern_vars(x, n->a, s);
  pattern_vars(x, n->b, s);
}

/* ============================================================ analysis */

static NgStatus analyse_select(NgSqExec *x, NgSqSelect *s);

static NgStatus analyse_exprs(NgSqExec *x, NgSqExpr **e, size_t n);

static NgStatus analyse_expr(NgSqExec *x, NgSqExpr *e);

static NgStatus analyse(NgSqExec *x, NgSqNode *n) {
  NgStatus st;
  if (!n) return NG_SUCCESS;
  if ((st = vs_new(x, &n->certain)) || (st = vs_new(x, &n->maybe)) || (st = vs_new(x, &n->accept)))
    return st;
  if ((st = analyse(x, n->a)) || (st = analyse(x, n->b))) return st;
  if ((st = analyse_exprs(x, n->exprs, n->nexprs))) return st;
  NgSqVarSet ev = {NULL};
  switch (n->kind) {
  case NG_SQ_N_UNIT: vs_fill(x, &n->accept); break;
  case NG_SQ_N_BGP:
    for (size_t i = 0; i < n->ntriples; ++i) {
      term_var(x, &n->triples[i].s, &n->certain);
      term_var(x, &n->triples[i].p, &n->certain);
      term_var(x, &n->triples[i].o, &n->certain);
    }
    vs_or(x, &n->maybe, &n->certain);
    vs_fill(x, &n->accept);
    break;
  case NG_SQ_N_JOIN:
    vs_or(x, &n->certain, &n->a->certain);
    vs_or(x, &n->certain, &n->b->certain);
    vs_or(x, &n->maybe, &n->a->maybe);
    vs_or(x, &n->maybe, &n->b->maybe);
    vs_fill(x, &n->accept);
    break;
  case NG_SQ_N_UNION:
    for (size_t i = 0; i < words(x); ++i)
      n->certain.bits[i] = n->a->certain.bits[i] & n->b->certain.bits[i];
    vs_or(x, &n->maybe, &n->a->maybe);
    vs_or(x, &n->maybe, &n->b->maybe);
    vs_fill(x, &n->accept);
    break;
  case NG_SQ_N_LEFTJOIN:
  case NG_SQ_N_MINUS:
    /* input variables the right side may see: those the left side binds
     * for sure, and those the right side and the condition never read */
    vs_or(x, &n->certain, &n->a->certain);
    vs_or(x, &n->maybe, &n->a->maybe);
    if (n->kind == NG_SQ_N_LEFTJOIN) vs_or(x, &n->maybe, &n->b->maybe);
    if ((st = vs_new(x, &ev))) return st;
    pattern_vars(x, n->b, &ev);
    for (size_t i = 0; i < n->nexprs; ++i)
      expr_vars(x, n->exprs[i], &ev);
    for (size_t i = 0; i < words(x); ++i)
      n->accept.bits[i] = n->a->certain.bits[i] | ~ev.bits[i];
    break;
  case NG_SQ_N_FILTER:
  case NG_SQ_N_EXTEND:
    vs_or(x, &n->certain, &n->a->certain);
    vs_or(x, &n->maybe, &n->a->maybe);
    if ((st = vs_new(x, &ev))) return st;
    for (size_t i = 0; i < n->nexprs; ++i)
      expr_vars(x, n->exprs[i], &ev);
    for (size_t i = 0; i < words(x); ++i)
      n->accept.bits[i] = ~(ev.bits[i] & ~n->a->certain.bits[i]);
    if (n->kind == NG_SQ_N_EXTEND) {
      ng_sq_vs_add(&n->maybe, n->var);
      n->accept.bits[n->var >> 6] &= ~(1ull << (n->var & 63));
    }
    break;
  case NG_SQ_N_GRAPH:
    vs_or(x, &n->certain, &n->a->certain);
    vs_or(x, &n->maybe, &n->a->maybe);
    term_var(x, &n->graph, &n->certain);
    term_var(x, &n->graph, &n->maybe);
    vs_fill(x, &n->accept);
    break;
  case NG_SQ_N_VALUES:
    for (size_t v = 0; v < n->nvals; ++v) {
      bool all = true;
      for (size_t r = 0; r < n->nrows; ++r)
        if (n->cells[r * n->nvals + v].kind == NG_SQ_T_NONE) all = false;
      ng_sq_vs_add(&n->maybe, n->vals[v]);
      if (all) ng_sq_vs_add(&n->certain, n->vals[v]);
    }
    vs_fill(x, &n->accept);
    break;
  case NG_SQ_N_SUBQUERY: {
    NgSqSelect *s = n->sub;
    if ((st = analyse_select(x, s))) return st;
    bool plain = !s->grouped && s->limit == UINT64_MAX && !s->offset;
    for (size_t i = 0; i < s->nproject; ++i) {
      ng_sq_vs_add(&n->maybe, s->outer_vars[i]);
      if (!s->project[i].expr && !s->grouped && ng_sq_vs_has(&s->where->certain, s->inner_vars[i]))
        ng_sq_vs_add(&n->certain, s->outer_vars[i]);
      if (plain && !s->project[i].expr) ng_sq_vs_add(&n->accept, s->outer_vars[i]);
    }
    break;
  }
  case NG_SQ_N_SERVICE: break;
  }
  return NG_SUCCESS;
}

static NgStatus analyse_expr(NgSqExec *x, NgSqExpr *e) {
  if (!e) return NG_SUCCESS;
  NgStatus st;
  if (e->pattern && (st = analyse(x, e->pattern))) return st;
  for (unsigned i = 0; i < e->nargs; ++i)
    if ((st = analyse_expr(x, e->args[i]))) return st;
  return NG_SUCCESS;
}

static NgStatus analyse_exprs(NgSqExec *x, NgSqExpr **e, size_t n) {
  NgStatus st;
  for (size_t i = 0; i < n; ++i)
    if ((st = analyse_expr(x, e[i]))) return st;
  return NG_SUCCESS;
}

static NgStatus analyse_select(NgSqExec *x, NgSqSelect *s) {
  NgStatus st;
  if ((st = analyse(x, s->where)) || (st = analyse(x, s->values))) return st;
  for (size_t i = 0; i < s->nproject; ++i)
    if ((st = analyse_expr(x, s->project[i].expr))) return st;
  for (size_t i = 0; i < s->ngroup; ++i)
    if ((st = analyse_expr(x, s->group[i].expr))) return st;
  for (size_t i = 0; i < s->naggs; ++i)
    if ((st = analyse_expr(x, s->aggs[i].arg))) return st;
  for (size_t i = 0; i < s->norder; ++i)
    if ((st = analyse_expr(x, s->order[i].expr))) return st;
  return analyse_exprs(x, s->having, s->nhaving);
}

/* ========================================================== evaluation */

static NgStatus eval(NgSqExec *x, NgSqNode *n, const NgSqId *in, const NgSqGraphCtx *g,
                     NgSqRowFn fn, void *ctx);

/* Does n take every binding of `in` as given? */
static bool takes_all(const NgSqExec *x, const NgSqNode *n, const NgSqId *in) {
  for (size_t v = 0; v < x->nvars; ++v)
    if (in[v] && !ng_sq_vs_has(&n->accept, (uint32_t)v)) return false;
  return true;
}

typedef struct {
  const NgSqId *in;
  NgSqRowFn fn;
  void *ctx;
} Merge;

/* A solution of a pattern evaluated without some input bindings, joined
 * with them now. */
static NgStatus merge_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  Merge *m = ctx;
  NgSqId *o = row_get(x);
  if (!o) return NG_ERR_NOMEM;
  for (size_t v = 0; v < x->nvars; ++v) {
    o[v] = row[v];
    if (!m->in[v]) continue;
    if (row[v] && row[v] != m->in[v]) {
      row_put(x, o);
      return NG_SUCCESS;
    }
    o[v] = m->in[v];
  }
  NgStatus st = m->fn(x, o, m->ctx);
  row_put(x, o);
  return st;
}

/* ------------------------------------------------------------ constants */

static NgStatus resolve(NgSqExec *x, NgSqTerm *t) {
  if (t->kind != NG_SQ_T_CONST || t->resolved) return NG_SUCCESS;
  NgStatus st = ng_sq_id_of_term(x, &t->term, &t->id);
  if (!st) t->resolved = true;
  return st;
}

/* ------------------------------------------------------------ graphs */

static bool in_sorted(const NgSqId *a, size_t n, NgSqId id) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (a[mid] == id) return true;
    if (a[mid] < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

static bool graph_exists(NgSqExec *x, NgSqId g) {
  if (NG_QS_IS_LOCAL_ID(g) || !x->txn) return false;
  NgId pat[4] = {0, 0, 0, g};
  uint64_t count = 0;
  bool exact;
  return !ng_qs_estimate(x->txn, pat, &count, &exact) && count > 0;
}

static bool is_named(NgSqExec *x, NgSqId g) {
  if (x->named_all) return graph_exists(x, g);
  return in_sorted(x->named, x->nnamed, g);
}

/* Calls fn(g) for each named graph in id order. */
typedef NgStatus (*GraphFn)(NgSqExec *x, NgSqId g, void *ctx);

static NgStatus each_named_graph(NgSqExec *x, GraphFn fn, void *ctx) {
  NgStatus st = NG_SUCCESS;
  if (!x->named_all) {
    for (size_t i = 0; i < x->nnamed && !st; ++i)
      st = fn(x, x->named[i], ctx);
    return st;
  }
  NgId g = 0;
  uint64_t quads;
  if (!x->txn) return NG_SUCCESS;
  while (!st && (st = ng_qs_next_graph(x->txn, g, &g, &quads)) == NG_SUCCESS)
    st = fn(x, g, ctx);
  return st == NG_END ? NG_SUCCESS : st;
}

/* ============================================================== BGPs */

typedef struct {
  uint64_t sig; /* which of the BGP's variables were bound when planned */
  bool valid;
  size_t *order;
  bool empty; /* a constant the store does not hold: no solution */
} Plan;

typedef struct {
  NgSqExec *x;
  NgSqNode *n;
  const size_t *order;
  const NgSqGraphCtx *g;
  NgSqRowFn fn;
  void *ctx;
  NgSqId *row;
} Match;

static NgStatus match(Match *m, size_t k);
static NgStatus path_triple(Match *m, size_t k, const NgSqTriple *t);

static bool term_bound(const NgSqTerm *t, const NgSqId *row) {
  return t->kind == NG_SQ_T_CONST || (t->kind == NG_SQ_T_VAR && row[t->var]);
}

static NgSqId term_id(const NgSqTerm *t, const NgSqId *row) {
  return t->kind == NG_SQ_T_CONST ? t->id : t->kind == NG_SQ_T_VAR ? row[t->var] : 0;
}

/* What a triple pattern costs, given the bound ones: estimated matches. */
static double triple_cost(NgSqExec *x, const NgSqTriple *t, const NgSqId *bound,
                          const NgSqGraphCtx *g) {
  bool sb = term_bound(&t->s, bound), ob = term_bound(&t->o, bound);
  if (t->path) return sb || ob ? 50.0 : 1e12;
  NgId pat[4] = {t->s.kind == NG_SQ_T_CONST ? t->s.id : 0, t->p.kind == NG_SQ_T_CONST ? t->p.id : 0,
                 t->o.kind == NG_SQ_T_CONST ? t->o.id : 0, g->kind == NG_SQ_G_ONE ? g->g : 0};
  uint64_t est = 0;
  bool exact;
  if (!x->txn || ng_qs_estimate(x->txn, pat, &est, &exact)) est = 1000000;
  double c = (double)est + 1;
  bool vs = t->s.kind == NG_SQ_T_VAR && bound[t->s.var];
  bool vo = t->o.kind == NG_SQ_T_VAR && bound[t->o.var];
  bool vp = t->p.kind == NG_SQ_T_VAR && bound[t->p.var];
  if ((vs || vo) && t->p.kind == NG_SQ_T_CONST) {
    NgQsPredicateStats ps;
    if (x->txn && !ng_qs_predicate_stats(x->txn, t->p.id, &ps) && ps.quads) {
      if (vs && t->s.kind == NG_SQ_T_VAR) c = c / (double)(ps.subjects ? ps.subjects : 1);
      if (vo && t->o.kind == NG_SQ_T_VAR) c = c / (double)(ps.objects ? ps.objects : 1);
    } else {
      c /= 1000;
    }
  } else {
    if (vs) c /= 1000;
    if (vo) c /= 1000;
  }
  if (vp) c /= 10;
  /* a pattern that shares nothing with what is bound is a cross product */
  bool shares = vs || vo || vp || t->s.kind == NG_SQ_T_CONST || t->o.kind == NG_SQ_T_CONST;
  if (!shares) c *= 1000;
  return c < 1 ? 1 : c;
}

static void bind_triple(const NgSqTriple *t, NgSqId *bound) {
  /* a stand-in id: only whether a variable is bound matters to the planner */
  if (t->s.kind == NG_SQ_T_VAR && !bound[t->s.var]) bound[t->s.var] = 1;
  if (t->p.kind == NG_SQ_T_VAR && !bound[t->p.var]) bound[t->p.var] = 1;
  if (t->o.kind == NG_SQ_T_VAR && !bound[t->o.var]) bound[t->o.var] = 1;
}

static uint64_t bound_sig(const NgSqNode *n, const NgSqId *row, const NgSqGraphCtx *g) {
  uint64_t sig = 0;
  unsigned bit = 0;
  for (size_t i = 0; i < n->ntriples; ++i) {
    const NgSqTerm *ts[3] = {&n->triples[i].s, &n->triples[i].p, &n->triples[i].o};
    for (int k = 0; k < 3; ++k, ++bit)
      if (ts[k]->kind == NG_SQ_T_VAR && row[ts[k]->var]) sig |= 1ull << (bit & 63);
  }
  if (g->kind == NG_SQ_G_VAR && row[g->var]) sig |= 1ull << 63;
  return sig;
}

static NgStatus plan(NgSqExec *x, NgSqNode *n, const NgSqId *row, const NgSqGraphCtx *g,
                     Plan **out) {
  Plan *p = n->plan;
  if (!p) {
    p = ng_arena_calloc(&x->local_arena, sizeof *p);
    if (!p) return NG_ERR_NOMEM;
    p->order = ng_arena_calloc(&x->local_arena, (n->ntriples + 1) * sizeof *p->order);
    if (!p->order) return NG_ERR_NOMEM;
    n->plan = p;
    NgStatus st;
    for (size_t i = 0; i < n->ntriples; ++i) {
      NgSqTriple *t = &n->triples[i];
      if ((st = resolve(x, &t->s)) || (st = resolve(x, &t->p)) || (st = resolve(x, &t->o)))
        return st;
      /* a constant the store does not hold matches nothing (paths may
       * still match it with itself, at length zero) */
      if (!t->path && ((t->s.kind == NG_SQ_T_CONST && NG_QS_IS_LOCAL_ID(t->s.id)) ||
                       (t->p.kind == NG_SQ_T_CONST && NG_QS_IS_LOCAL_ID(t->p.id)) ||
                       (t->o.kind == NG_SQ_T_CONST && NG_QS_IS_LOCAL_ID(t->o.id))))
        p->empty = true;
    }
  }
  *out = p;
  if (p->empty) return NG_SUCCESS;
  uint64_t sig = bound_sig(n, row, g);
  if (p->valid && p->sig == sig) return NG_SUCCESS;
  NgSqId *bound = row_copy(x, row);
  bool *used = calloc(n->ntriples, sizeof *used);
  if (!bound || !used) {
    row_put(x, bound);
    free(used);
    return NG_ERR_NOMEM;
  }
  for (size_t k = 0; k < n->ntriples; ++k) {
    size_t best = 0;
    double best_cost = INFINITY;
    for (size_t i = 0; i < n->ntriples; ++i) {
      if (used[i]) continue;
      double c = triple_cost(x, &n->triples[i], bound, g);
      if (c < best_cost) {
        best_cost = c;
        best = i;
      }
    }
    used[best] = true;
    p->order[k] = best;
    bind_triple(&n->triples[best], bound);
  }
  free(used);
  row_put(x, bound);
  p->sig = sig;
  p->valid = true;
  return NG_SUCCESS;
}

static NgStatus eval_bgp(NgSqExec *x, NgSqNode *n, const NgSqId *in, const NgSqGraphCtx *g,
                         NgSqRowFn fn, void *ctx) {
  Plan *p;
  NgStatus st = plan(x, n, in, g, &p);
  if (st || p->empty) return st;
  NgSqId *row = row_copy(x, in);
  if (!row) return NG_ERR_NOMEM;
  Match m = {x, n, p->order, g, fn, ctx, row};
  st = match(&m, 0);
  row_put(x, row);
  return st;
}

/* Binds var to id in row unless it holds another value: false then. */
static bool bind(NgSqId *row, const NgSqTerm *t, NgSqId id, bool *set) {
  *set = false;
  if (t->kind != NG_SQ_T_VAR) return true;
  if (row[t->var]) return row[t->var] == id;
  row[t->var] = id;
  *set = true;
  return true;
}

static NgStatus scan_triple(Match *m, size_t k, const NgSqTriple *t) {
  NgSqExec *x = m->x;
  NgSqId *row = m->row;
  NgId pat[4] = {term_id(&t->s, row), term_id(&t->p, row), term_id(&t->o, row), 0};
  const NgSqGraphCtx *g = m->g;
  bool dedup = false, check_list = false, bind_graph = false, check_named = false;
  switch (g->kind) {
  case NG_SQ_G_UNION: dedup = true; break;
  case NG_SQ_G_LIST: dedup = check_list = true; break;
  case NG_SQ_G_ONE: pat[NG_QS_G] = g->g; break;
  case NG_SQ_G_VAR:
    if (row[g->var]) {
      pat[NG_QS_G] = row[g->var];
    } else {
      bind_graph = true;
      check_named = !x->named_all;
    }
    break;
  case NG_SQ_G_NOTHING: return NG_SUCCESS;
  }
  for (int i = 0; i < 4; ++i) /* a term the store does not hold matches nothing */
    if (pat[i] && NG_QS_IS_LOCAL_ID(pat[i])) return NG_SUCCESS;
  if (!x->txn) return NG_SUCCESS;
  NgStatus st;
  NgQsScan *scan = ng_qs_scan_new(x->txn, pat, dedup ? NG_QS_GRAPH_LAST : 0, &st);
  if (!scan) return st;
  NgId q[4], prev[3] = {0, 0, 0};
  bool have_prev = false;
  for (;;) {
    if ((st = ng_qs_scan_next(scan, q))) {
      if (st == NG_END) st = NG_SUCCESS;
      break;
    }
    if ((st = tick(x))) break;
    if (check_list && !in_sorted(x->default_graphs, x->ndefault, q[NG_QS_G])) continue;
    if (dedup) {
      if (have_prev && prev[0] == q[0] && prev[1] == q[1] && prev[2] == q[2]) continue;
      memcpy(prev, q, sizeof prev);
      have_prev = true;
    }
    if (check_named && !in_sorted(x->named, x->nnamed, q[NG_QS_G])) continue;
    bool s1, s2, s3, s4 = false, ok;
    ok = bind(row, &t->s, q[0], &s1);
    ok = ok && bind(row, &t->p, q[1], &s2);
    if (!ok) s2 = false;
    ok = ok && bind(row, &t->o, q[2], &s3);
    if (!ok) s3 = false;
    if (ok && bind_graph) {
      if (row[g->var])
        ok = row[g->var] == q[NG_QS_G];
      else
        row[g->var] = q[NG_QS_G], s4 = true;
    }
    if (ok) st = match(m, k + 1);
    if (s1) row[t->s.var] = 0;
    if (s2) row[t->p.var] = 0;
    if (s3) row[t->o.var] = 0;
    if (s4) row[g->var] = 0;
    if (st) break;
  }
  ng_qs_scan_free(scan);
  return st;
}

static NgStatus match(Match *m, size_t k) {
  if (k == m->n->ntriples) return m->fn(m->x, m->row, m->ctx);
  const NgSqTriple *t = &m->n->triples[m->order[k]];
  if (t->path) return path_triple(m, k, t);
  NgStatus st = scan_triple(m, k, t);
  return st;
}

/* ============================================================== paths */

/* Solutions (s, o) of a path in one graph context: fn for each pair. */
typedef NgStatus (*PairFn)(NgSqExec *x, NgSqId s, NgSqId o, void *ctx);

static NgStatus path_eval(NgSqExec *x, const NgSqPath *p, NgSqId s, NgSqId o, const NgSqGraphCtx *g,
                          PairFn fn, void *ctx);

static NgStatus link_scan(NgSqExec *x, NgSqId s, NgSqId p, NgSqId o, const NgSqGraphCtx *g,
                          const NgSqPath *neg, bool inverse, PairFn fn, void *ctx) {
  if ((s && NG_QS_IS_LOCAL_ID(s)) || (o && NG_QS_IS_LOCAL_ID(o)) || (p && NG_QS_IS_LOCAL_ID(p)) ||
      !x->txn)
    return NG_SUCCESS;
  NgId pat[4] = {s, p, o, g->kind == NG_SQ_G_ONE ? g->g : 0};
  bool dedup = g->kind == NG_SQ_G_UNION || g->kind == NG_SQ_G_LIST;
  if (g->kind == NG_SQ_G_NOTHING) return NG_SUCCESS;
  NgStatus st;
  NgQsScan *scan = ng_qs_scan_new(x->txn, pat, dedup ? NG_QS_GRAPH_LAST : 0, &st);
  if (!scan) return st;
  NgId q[4], prev[3] = {0, 0, 0};
  bool have_prev = false;
  for (;;) {
    if ((st = ng_qs_scan_next(scan, q))) {
      if (st == NG_END) st = NG_SUCCESS;
      break;
    }
    if ((st = tick(x))) break;
    if (g->kind == NG_SQ_G_LIST && !in_sorted(x->default_graphs, x->ndefault, q[NG_QS_G])) continue;
    if (dedup) {
      if (have_prev && prev[0] == q[0] && prev[1] == q[1] && prev[2] == q[2]) continue;
      memcpy(prev, q, sizeof prev);
      have_prev = true;
    }
    if (neg) {
      bool excluded = false;
      for (size_t i = 0; i < neg->nneg && !excluded; ++i)
        if (neg->neg_inverse[i] == inverse && neg->neg[i].id == q[1]) excluded = true;
      if (excluded) continue;
    }
    st = inverse ? fn(x, q[2], q[0], ctx) : fn(x, q[0], q[2], ctx);
    if (st) break;
  }
  ng_qs_scan_free(scan);
  return st;
}

typedef struct {
  const NgSqPath *b;
  NgSqId o;
  const NgSqGraphCtx *g;
  PairFn fn;
  void *ctx;
  NgSqId s;
} SeqCtx;

static NgStatus seq_second(NgSqExec *x, NgSqId mid, NgSqId o, void *ctx) {
  SeqCtx *c = ctx;
  (void)mid;
  return c->fn(x, c->s, o, c->ctx);
}

static NgStatus seq_first(NgSqExec *x, NgSqId s, NgSqId mid, void *ctx) {
  SeqCtx *c = ctx;
  SeqCtx inner = *c;
  inner.s = s;
  return path_eval(x, c->b, mid, c->o, c->g, seq_second, &inner);
}

typedef struct {
  NgFpSet *seen;
  NgSqId *queue;
  size_t n, cap;
} Reach;

static NgStatus reach_add(Reach *r, NgSqId id) {
  bool added;
  NgStatus st = ng_fpset_add(r->seen, id, &added);
  if (st || !added) return st;
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 64;
    NgSqId *q = realloc(r->queue, cap * sizeof *q);
    if (!q) return NG_ERR_NOMEM;
    r->queue = q;
    r->cap = cap;
  }
  r->queue[r->n++] = id;
  return NG_SUCCESS;
}

static NgStatus reach_step(NgSqExec *x, NgSqId s, NgSqId o, void *ctx) {
  (void)x;
  (void)s;
  return reach_add(ctx, o);
}

static NgStatus reach_step_inv(NgSqExec *x, NgSqId s, NgSqId o, void *ctx) {
  (void)x;
  (void)o;
  return reach_add(ctx, s);
}

/* The nodes reachable from start by one or more steps of p (forward), or
 * reaching it (backward); start itself first when zero steps count. */
static NgStatus expand(NgSqExec *x, const NgSqPath *p, NgSqId cur, bool forward,
                       const NgSqGraphCtx *g, Reach *r) {
  NgStatus st = forward ? path_eval(x, p, cur, 0, g, reach_step, r)
                        : path_eval(x, p, 0, cur, g, reach_step_inv, r);
  return st ? st : tick(x);
}

static NgStatus reach(NgSqExec *x, const NgSqPath *p, NgSqId start, bool forward, bool zero,
                      const NgSqGraphCtx *g, Reach *r) {
  NgStatus st = zero ? reach_add(r, start) : NG_SUCCESS;
  if (!st) st = expand(x, p, start, forward, g, r);
  for (size_t head = zero ? 1 : 0; !st && head < r->n; ++head)
    st = expand(x, p, r->queue[head], forward, g, r);
  return st;
}

/* Every node of the active graph (subjects and objects): the start points
 * of a path with both ends free. */
static NgStatus graph_nodes(NgSqExec *x, const NgSqGraphCtx *g, Reach *r) {
  if (!x->txn || g->kind == NG_SQ_G_NOTHING) return NG_SUCCESS;
  NgId pat[4] = {0, 0, 0, g->kind == NG_SQ_G_ONE ? g->g : 0};
  NgStatus st;
  NgQsScan *scan = ng_qs_scan_new(x->txn, pat, 0, &st);
  if (!scan) return st;
  NgId q[4];
  for (;;) {
    if ((st = ng_qs_scan_next(scan, q))) {
      if (st == NG_END) st = NG_SUCCESS;
      break;
    }
    if ((st = tick(x))) break;
    if (g->kind == NG_SQ_G_LIST && !in_sorted(x->default_graphs, x->ndefault, q[NG_QS_G])) continue;
    if ((st = reach_add(r, q[0])) || (st = reach_add(r, q[2]))) break;
  }
  ng_qs_scan_free(scan);
  return st;
}

/* Is id a subject or object in the active graph? */
static bool node_in_graph(NgSqExec *x, NgSqId id, const NgSqGraphCtx *g) {
  if (NG_QS_IS_LOCAL_ID(id) || !x->txn || g->kind == NG_SQ_G_NOTHING) return false;
  for (int pos = 0; pos < 3; pos += 2) {
    NgId pat[4] = {0, 0, 0, g->kind == NG_SQ_G_ONE ? g->g : 0};
    pat[pos] = id;
    NgStatus st;
    NgQsScan *scan = ng_qs_scan_new(x->txn, pat, 0, &st);
    if (!scan) return false;
    NgId q[4];
    bool found = false;
    while (!found && ng_qs_scan_next(scan, q) == NG_SUCCESS)
      found = g->kind != NG_SQ_G_LIST || in_sorted(x->default_graphs, x->ndefault, q[NG_QS_G]);
    ng_qs_scan_free(scan);
    if (found) return true;
  }
  return false;
}

static NgStatus closure(NgSqExec *x, const NgSqPath *p, NgSqId s, NgSqId o, const NgSqGraphCtx *g,
                        PairFn fn, void *ctx) {
  bool zero = p->kind != NG_SQ_P_PLUS;
  /* the zero-length step pairs a variable's value with itself only when
   * it is a node of the graph (evaluated on its own, the path could not
   * have produced another); a constant of the query pairs with itself */
  bool from_var = x->path_from_var;
  x->path_from_var = false;
  if (zero && from_var && (s || o) && !node_in_graph(x, s ? s : o, g)) {
    if (p->kind == NG_SQ_P_OPT) return NG_SUCCESS; /* no step either, from outside the graph */
    zero = false;
  }
  NgStatus st = NG_SUCCESS;
  if (!s && !o) {
    NgFpSet seen = {NULL, 0, 0};
    Reach nodes = {&seen, NULL, 0, 0};
    st = graph_nodes(x, g, &nodes);
    for (size_t i = 0; i < nodes.n && !st; ++i)
      st = closure(x, p, nodes.queue[i], 0, g, fn, ctx);
    free(nodes.queue);
    ng_fpset_free(&seen);
    return st;
  }
  bool forward = s != 0;
  NgSqId start = forward ? s : o;
  NgFpSet seen = {NULL, 0, 0};
  Reach r = {&seen, NULL, 0, 0};
  if (p->kind == NG_SQ_P_OPT) {
    st = zero ? reach_add(&r, start) : NG_SUCCESS;
    if (!st)
      st = forward ? path_eval(x, p->a, start, 0, g, reach_step, &r)
                   : path_eval(x, p->a, 0, start, g, reach_step_inv, &r);
  } else {
    st = reach(x, p->a, start, forward, zero, g, &r);
  }
  for (size_t i = 0; i < r.n && !st; ++i) {
    NgSqId other = r.queue[i];
    if (s && o) {
      if (other == o) {
        st = fn(x, s, o, ctx);
        break;
      }
      continue;
    }
    st = forward ? fn(x, s, other, ctx) : fn(x, other, o, ctx);
  }
  free(r.queue);
  ng_fpset_free(&seen);
  return st;
}

typedef struct {
  NgSqId want_s, want_o;
  PairFn fn;
  void *ctx;
} Swap;

static NgStatus swap_pair(NgSqExec *x, NgSqId s, NgSqId o, void *ctx) {
  Swap *w = ctx;
  return w->fn(x, o, s, w->ctx);
}

static NgStatus path_eval(NgSqExec *x, const NgSqPath *p, NgSqId s, NgSqId o, const NgSqGraphCtx *g,
                          PairFn fn, void *ctx) {
  NgStatus st;
  switch (p->kind) {
  case NG_SQ_P_LINK:
    if ((st = resolve(x, (NgSqTerm *)&p->iri))) return st;
    return link_scan(x, s, p->iri.id, o, g, NULL, false, fn, ctx);
  case NG_SQ_P_INV: {
    Swap w = {0, 0, fn, ctx};
    return path_eval(x, p->a, o, s, g, swap_pair, &w);
  }
  case NG_SQ_P_SEQ: {
    SeqCtx c = {p->b, o, g, fn, ctx, 0};
    return path_eval(x, p->a, s, 0, g, seq_first, &c);
  }
  case NG_SQ_P_ALT:
    if ((st = path_eval(x, p->a, s, o, g, fn, ctx))) return st;
    return path_eval(x, p->b, s, o, g, fn, ctx);
  case NG_SQ_P_NEG: {
    bool fwd = false, inv = false;
    for (size_t i = 0; i < p->nneg; ++i) {
      if ((st = resolve(x, &p->neg[i]))) return st;
      if (p->neg_inverse[i])
        inv = true;
      else
        fwd = true;
    }
    if (!inv) fwd = true;
    if (fwd && (st = link_scan(x, s, 0, o, g, p, false, fn, ctx))) return st;
    if (inv && (st = link_scan(x, o, 0, s, g, p, true, fn, ctx))) return st;
    return NG_SUCCESS;
  }
  default: return closure(x, p, s, o, g, fn, ctx);
  }
}

typedef struct {
  Match *m;
  size_t k;
  const NgSqTriple *t;
} PathBind;

static NgStatus path_bind(NgSqExec *x, NgSqId s, NgSqId o, void *ctx) {
  PathBind *b = ctx;
  NgSqId *row = b->m->row;
  bool s1, s2, ok = bind(row, &b->t->s, s, &s1);
  ok = ok && bind(row, &b->t->o, o, &s2);
  if (!ok) s2 = false;
  NgStatus st = ok ? match(b->m, b->k + 1) : NG_SUCCESS;
  if (s1) row[b->t->s.var] = 0;
  if (s2) row[b->t->o.var] = 0;
  (void)x;
  return st;
}

typedef struct {
  Match *m;
  size_t k;
  const NgSqTriple *t;
} PathGraphs;

static NgStatus path_one_graph(NgSqExec *x, NgSqId g, void *ctx) {
  PathGraphs *pg = ctx;
  Match *m = pg->m;
  NgSqGraphCtx one = {NG_SQ_G_ONE, g, 0};
  const NgSqGraphCtx *saved = m->g;
  m->row[saved->var] = g;
  m->g = &one;
  PathBind b = {m, pg->k, pg->t};
  NgSqId *row = m->row;
  NgStatus st = path_eval(x, pg->t->path, term_id(&pg->t->s, row), term_id(&pg->t->o, row), &one,
                          path_bind, &b);
  m->g = saved;
  m->row[saved->var] = 0;
  return st;
}

static NgStatus path_triple(Match *m, size_t k, const NgSqTriple *t) {
  NgSqExec *x = m->x;
  if (m->g->kind == NG_SQ_G_VAR) {
    if (m->row[m->g->var]) {
      NgSqGraphCtx one = {NG_SQ_G_ONE, m->row[m->g->var], 0};
      const NgSqGraphCtx *saved = m->g;
      m->g = &one;
      PathBind b = {m, k, t};
      NgStatus st = path_eval(x, t->path, term_id(&t->s, m->row), term_id(&t->o, m->row), &one,
                              path_bind, &b);
      m->g = saved;
      return st;
    }
    PathGraphs pg = {m, k, t};
    return each_named_graph(x, path_one_graph, &pg);
  }
  PathBind b = {m, k, t};
  /* * and ? with both ends free or one end a constant are evaluated as
   * the spec says; a constant subject or object need not be in the store */
  x->path_from_var = (t->s.kind == NG_SQ_T_VAR && m->row[t->s.var]) ||
                     (t->o.kind == NG_SQ_T_VAR && m->row[t->o.var]);
  return path_eval(x, t->path, term_id(&t->s, m->row), term_id(&t->o, m->row), m->g, path_bind, &b);
}

/* ============================================================ operators */

typedef struct {
  NgSqNode *n;
  const NgSqGraphCtx *g;
  NgSqRowFn fn;
  void *ctx;
  bool found;
} Ctx;

static NgStatus join_right(NgSqExec *x, const NgSqId *row, void *ctx) {
  Ctx *c = ctx;
  return eval(x, c->n->b, row, c->g, c->fn, c->ctx);
}

static NgStatus filter_ok(NgSqExec *x, NgSqExpr **exprs, size_t n, const NgSqId *row,
                          const NgSqGraphCtx *g, bool *ok) {
  *ok = true;
  const NgSqGraphCtx *saved = x->gctx;
  x->gctx = g;
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < n && *ok && !st; ++i) {
    NgSqMark mark = ng_sq_tmp_mark(&x->tmp);
    NgSqValue v;
    bool err;
    st = ng_sq_eval(x, exprs[i], row, &v);
    if (!st) *ok = ng_sq_ebv(&v, &err) && !err;
    ng_sq_tmp_release(&x->tmp, mark);
  }
  x->gctx = saved;
  return st;
}

static NgStatus filter_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  Ctx *c = ctx;
  bool ok;
  NgStatus st = filter_ok(x, c->n->exprs, c->n->nexprs, row, c->g, &ok);
  if (st || !ok) return st;
  return c->fn(x, row, c->ctx);
}

static NgStatus optional_inner(NgSqExec *x, const NgSqId *row, void *ctx) {
  Ctx *c = ctx;
  if (c->n->nexprs) {
    bool ok;
    NgStatus st = filter_ok(x, c->n->exprs, c->n->nexprs, row, c->g, &ok);
    if (st || !ok) return st;
  }
  c->found = true;
  return c->fn(x, row, c->ctx);
}

static NgStatus optional_left(NgSqExec *x, const NgSqId *row, void *ctx) {
  Ctx *c = ctx;
  Ctx inner = *c;
  inner.found = false;
  NgStatus st = eval(x, c->n->b, row, c->g, optional_inner, &inner);
  if (st || inner.found) return st;
  return c->fn(x, row, c->ctx);
}

static NgStatus stop_at_first(NgSqExec *x, const NgSqId *row, void *ctx) {
  (void)x;
  (void)row;
  *(bool *)ctx = true;
  return NG_END;
}

/* Rows held in memory (MINUS's right side, ORDER BY, groups). */
typedef struct {
  NgSqId *rows;
  size_t n, cap, width;
} Rows;

static NgStatus rows_add(Rows *r, const NgSqId *row) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 64;
    NgSqId *m = realloc(r->rows, cap * r->width * sizeof *m);
    if (!m) return NG_ERR_NOMEM;
    r->rows = m;
    r->cap = cap;
  }
  memcpy(r->rows + r->n * r->width, row, r->width * sizeof *row);
  r->n++;
  return NG_SUCCESS;
}

static NgStatus collect_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  NgStatus st = tick(x);
  return st ? st : rows_add(ctx, row);
}

typedef struct {
  Ctx c;
  Rows right;
  bool shared; /* the two sides share a variable both bind for sure */
} MinusCtx;

static NgStatus minus_left(NgSqExec *x, const NgSqId *row, void *ctx) {
  MinusCtx *m = ctx;
  if (m->shared) {
    bool found = false;
    x->subst++;
    NgStatus st = eval(x, m->c.n->b, row, m->c.g, stop_at_first, &found);
    x->subst--;
    if (st && st != NG_END) return st;
    return found ? NG_SUCCESS : m->c.fn(x, row, m->c.ctx);
  }
  for (size_t i = 0; i < m->right.n; ++i) {
    const NgSqId *r = m->right.rows + i * x->nvars;
    bool compatible = true, overlap = false;
    for (size_t v = 0; v < x->nvars && compatible; ++v) {
      if (!row[v] || !r[v]) continue;
      overlap = true;
      compatible = row[v] == r[v];
    }
    if (compatible && overlap) return NG_SUCCESS;
  }
  return m->c.fn(x, row, m->c.ctx);
}

static NgStatus eval_minus(NgSqExec *x, NgSqNode *n, const NgSqId *in, const NgSqGraphCtx *g,
                           NgSqRowFn fn, void *ctx) {
  MinusCtx m = {{n, g, fn, ctx, false}, {NULL, 0, 0, x->nvars}, false};
  for (size_t w = 0; w < words(x) && !m.shared; ++w)
    m.shared = (n->a->certain.bits[w] & n->b->certain.bits[w]) != 0;
  NgStatus st = NG_SUCCESS;
  if (!m.shared) {
    NgSqId *empty = row_get(x);
    if (!empty) return NG_ERR_NOMEM;
    memset(empty, 0, x->nvars * sizeof *empty);
    st = eval(x, n->b, empty, g, collect_row, &m.right);
    row_put(x, empty);
  }
  if (!st) st = eval(x, n->a, in, g, minus_left, &m);
  free(m.right.rows);
  return st;
}

static NgStatus extend_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  Ctx *c = ctx;
  x->solution_seq++;
  const NgSqGraphCtx *saved = x->gctx;
  x->gctx = c->g;
  NgSqMark mark = ng_sq_tmp_mark(&x->tmp);
  NgSqValue v;
  NgSqId id = 0;
  NgStatus st = ng_sq_eval(x, c->n->exprs[0], row, &v);
  if (!st) st = ng_sq_id_of_value(x, &v, &id);
  ng_sq_tmp_release(&x->tmp, mark);
  x->gctx = saved;
  if (st) return st;
  if (row[c->n->var] && id && row[c->n->var] != id) return NG_SUCCESS;
  NgSqId *o = row_copy(x, row);
  if (!o) return NG_ERR_NOMEM;
  if (id) o[c->n->var] = id;
  st = c->fn(x, o, c->ctx);
  row_put(x, o);
  return st;
}

static NgStatus eval_values(NgSqExec *x, NgSqNode *n, const NgSqId *in, NgSqRowFn fn, void *ctx) {
  NgStatus st;
  for (size_t i = 0; i < n->nrows * n->nvals; ++i)
    if ((st = resolve(x, &n->cells[i]))) return st;
  NgSqId *o = row_get(x);
  if (!o) return NG_ERR_NOMEM;
  st = NG_SUCCESS;
  for (size_t r = 0; r < n->nrows && !st; ++r) {
    memcpy(o, in, x->nvars * sizeof *o);
    bool ok = true;
    for (size_t k = 0; k < n->nvals && ok; ++k) {
      const NgSqTerm *c = &n->cells[r * n->nvals + k];
      if (c->kind == NG_SQ_T_NONE) continue;
      uint32_t v = n->vals[k];
      if (o[v] && o[v] != c->id)
        ok = false;
      else
        o[v] = c->id;
    }
    if (ok) st = fn(x, o, ctx);
  }
  row_put(x, o);
  return st;
}

/* GRAPH: a constant, a bound variable, or every named graph in turn. */
typedef struct {
  NgSqNode *n;
  const NgSqId *in;
  NgSqRowFn fn;
  void *ctx;
} GraphLoop;

static NgStatus graph_one(NgSqExec *x, NgSqId g, void *ctx) {
  GraphLoop *l = ctx;
  NgSqGraphCtx one = {NG_SQ_G_ONE, g, 0};
  NgSqId *r = row_copy(x, l->in);
  if (!r) return NG_ERR_NOMEM;
  r[l->n->graph.var] = g;
  NgStatus st = eval(x, l->n->a, r, &one, l->fn, l->ctx);
  row_put(x, r);
  return st;
}

static NgStatus eval_graph(NgSqExec *x, NgSqNode *n, const NgSqId *in, NgSqRowFn fn, void *ctx) {
  NgStatus st;
  if (n->graph.kind == NG_SQ_T_CONST) {
    if ((st = resolve(x, &n->graph))) return st;
    if (!is_named(x, n->graph.id)) return NG_SUCCESS;
    NgSqGraphCtx one = {NG_SQ_G_ONE, n->graph.id, 0};
    return eval(x, n->a, in, &one, fn, ctx);
  }
  uint32_t v = n->graph.var;
  if (in[v]) {
    if (!is_named(x, in[v])) return NG_SUCCESS;
    NgSqGraphCtx one = {NG_SQ_G_ONE, in[v], 0};
    return eval(x, n->a, in, &one, fn, ctx);
  }
  if (n->a->kind == NG_SQ_N_BGP) { /* the scans bind the graph variable */
    NgSqGraphCtx var = {NG_SQ_G_VAR, 0, v};
    return eval(x, n->a, in, &var, fn, ctx);
  }
  GraphLoop l = {n, in, fn, ctx};
  return each_named_graph(x, graph_one, &l);
}

static bool row_is_empty(const NgSqExec *x, const NgSqId *row) {
  for (size_t v = 0; v < x->nvars; ++v)
    if (row[v]) return false;
  return true;
}

static NgStatus run_select_in(NgSqExec *x, NgSqSelect *s, const NgSqId *in, const NgSqGraphCtx *g,
                              NgSqRowFn fn, void *ctx);

typedef struct {
  NgSqSelect *s;
  const NgSqId *in;
  NgSqRowFn fn;
  void *ctx;
} SubCtx;

static NgStatus sub_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  SubCtx *c = ctx;
  NgSqId *o = row_copy(x, c->in);
  if (!o) return NG_ERR_NOMEM;
  for (size_t i = 0; i < c->s->nproject; ++i) {
    NgSqId v = row[c->s->inner_vars[i]];
    uint32_t ov = c->s->outer_vars[i];
    if (!v) continue;
    if (o[ov] && o[ov] != v) {
      row_put(x, o);
      return NG_SUCCESS;
    }
    o[ov] = v;
  }
  NgStatus st = c->fn(x, o, c->ctx);
  row_put(x, o);
  return st;
}

static NgStatus eval_subquery(NgSqExec *x, NgSqNode *n, const NgSqId *in, const NgSqGraphCtx *g,
                              NgSqRowFn fn, void *ctx) {
  NgSqSelect *s = n->sub;
  NgSqId *inner = row_get(x);
  if (!inner) return NG_ERR_NOMEM;
  memset(inner, 0, x->nvars * sizeof *inner);
  for (size_t i = 0; i < s->nproject; ++i)
    if (in[s->outer_vars[i]] && !s->project[i].expr) inner[s->inner_vars[i]] = in[s->outer_vars[i]];
  SubCtx c = {s, in, fn, ctx};
  NgStatus st = run_select_in(x, s, inner, g, sub_row, &c);
  row_put(x, inner);
  return st;
}

static NgStatus eval_node(NgSqExec *x, NgSqNode *n, const NgSqId *in, const NgSqGraphCtx *g,
                          NgSqRowFn fn, void *ctx) {
  Ctx c = {n, g, fn, ctx, false};
  switch (n->kind) {
  case NG_SQ_N_UNIT: return fn(x, in, ctx);
  case NG_SQ_N_BGP: return eval_bgp(x, n, in, g, fn, ctx);
  case NG_SQ_N_JOIN: return eval(x, n->a, in, g, join_right, &c);
  case NG_SQ_N_UNION: {
    NgStatus st = eval(x, n->a, in, g, fn, ctx);
    return st ? st : eval(x, n->b, in, g, fn, ctx);
  }
  case NG_SQ_N_LEFTJOIN: return eval(x, n->a, in, g, optional_left, &c);
  case NG_SQ_N_MINUS: return eval_minus(x, n, in, g, fn, ctx);
  case NG_SQ_N_FILTER: return eval(x, n->a, in, g, filter_row, &c);
  case NG_SQ_N_EXTEND: return eval(x, n->a, in, g, extend_row, &c);
  case NG_SQ_N_GRAPH: return eval_graph(x, n, in, fn, ctx);
  case NG_SQ_N_VALUES: return eval_values(x, n, in, fn, ctx);
  case NG_SQ_N_SUBQUERY: return eval_subquery(x, n, in, g, fn, ctx);
  case NG_SQ_N_SERVICE:
    ng_report(x->world, NG_ERR_QUERY, NG_LEVEL_ERROR, x->origin, n->line, n->col,
              "SERVICE is not supported: newsgraph does not send queries to other services");
    return NG_ERR_QUERY;
  }
  return NG_ERR_QUERY;
}

static NgStatus eval(NgSqExec *x, NgSqNode *n, const NgSqId *in, const NgSqGraphCtx *g,
                     NgSqRowFn fn, void *ctx) {
  NgStatus st = tick(x);
  if (st) return st;
  if (x->subst || takes_all(x, n, in)) return eval_node(x, n, in, g, fn, ctx);
  NgSqId *r = row_copy(x, in);
  if (!r) return NG_ERR_NOMEM;
  for (size_t v = 0; v < x->nvars; ++v)
    if (r[v] && !ng_sq_vs_has(&n->accept, (uint32_t)v)) r[v] = 0;
  Merge m = {in, fn, ctx};
  st = eval_node(x, n, r, g, merge_row, &m);
  row_put(x, r);
  return st;
}

NgStatus ng_sq_exists(NgSqExec *x, const NgSqNode *pattern, const NgSqId *row, bool *found) {
  *found = false;
  x->subst++;
  NgStatus st = eval(x, (NgSqNode *)pattern, row, x->gctx, stop_at_first, found);
  x->subst--;
  return st == NG_END ? NG_SUCCESS : st;
}

/* ============================================================ modifiers */

/* The pipeline after the pattern: groups and aggregates, HAVING, the
 * SELECT expressions, ORDER BY, projection, DISTINCT, OFFSET and LIMIT. */
typedef struct {
  NgSqSelect *s;
  const NgSqGraphCtx *g;
  NgSqRowFn fn;
  void *ctx;
  NgMap *distinct;
  uint64_t skipped, emitted;
  Rows sorted;
  NgSqId *keys; /* ORDER BY keys of the sorted rows */
  size_t nkeys, cap_keys;
  bool done; /* LIMIT reached */
} Pipe;

static NgStatus emit(NgSqExec *x, Pipe *p, const NgSqId *row) {
  NgSqSelect *s = p->s;
  if (s->distinct || s->reduced) {
    NgSqId key[64];
    key[0] = 0;
    NgSqId *k = s->nproject <= 64 ? key : malloc(s->nproject * sizeof *k);
    if (!k) return NG_ERR_NOMEM;
    for (size_t i = 0; i < s->nproject; ++i)
      k[i] = row[s->project[i].var];
    bool inserted;
    uintptr_t *slot = ng_map_slot(p->distinct, (const char *)k, s->nproject * sizeof *k, &inserted);
    if (k != key) free(k);
    if (!slot) return NG_ERR_NOMEM;
    if (!inserted) return NG_SUCCESS;
  }
  if (p->skipped < s->offset) {
    p->skipped++;
    return NG_SUCCESS;
  }
  if (p->emitted >= s->limit) {
    p->done = true;
    return NG_END;
  }
  p->emitted++;
  NgStatus st = p->fn(x, row, p->ctx);
  if (!st && p->emitted >= s->limit) {
    p->done = true;
    st = NG_END;
  }
  return st;
}

static NgStatus extend_select(NgSqExec *x, Pipe *p, NgSqId *row) {
  NgSqSelect *s = p->s;
  x->solution_seq++;
  const NgSqGraphCtx *saved = x->gctx;
  x->gctx = p->g;
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < s->nproject && !st; ++i) {
    if (!s->project[i].expr) continue;
    NgSqMark mark = ng_sq_tmp_mark(&x->tmp);
    NgSqValue v;
    NgSqId id = 0;
    st = ng_sq_eval(x, s->project[i].expr, row, &v);
    if (!st) st = ng_sq_id_of_value(x, &v, &id);
    ng_sq_tmp_release(&x->tmp, mark);
    row[s->project[i].var] = id;
  }
  x->gctx = saved;
  return st;
}

static NgStatus order_keys(NgSqExec *x, Pipe *p, const NgSqId *row) {
  NgSqSelect *s = p->s;
  const NgSqGraphCtx *saved = x->gctx;
  x->gctx = p->g;
  NgStatus st = NG_SUCCESS;
  if (p->nkeys + s->norder > p->cap_keys) {
    size_t cap = p->cap_keys ? p->cap_keys * 2 : 64 * s->norder;
    while (cap < p->nkeys + s->norder)
      cap *= 2;
    NgSqId *k = realloc(p->keys, cap * sizeof *k);
    if (!k) return NG_ERR_NOMEM;
    p->keys = k;
    p->cap_keys = cap;
  }
  for (size_t i = 0; i < s->norder && !st; ++i) {
    NgSqMark mark = ng_sq_tmp_mark(&x->tmp);
    NgSqValue v;
    NgSqId id = 0;
    st = ng_sq_eval(x, s->order[i].expr, row, &v);
    if (!st) st = ng_sq_id_of_value(x, &v, &id);
    ng_sq_tmp_release(&x->tmp, mark);
    p->keys[p->nkeys++] = id;
  }
  x->gctx = saved;
  return st;
}

/* A solution after grouping (or without): extend, then sort or go on. */
static NgStatus after_group(NgSqExec *x, Pipe *p, NgSqId *row) {
  NgStatus st = extend_select(x, p, row);
  if (st) return st;
  if (p->s->norder) {
    if ((st = order_keys(x, p, row))) return st;
    return rows_add(&p->sorted, row);
  }
  return emit(x, p, row);
}

static NgStatus plain_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  Pipe *p = ctx;
  NgSqId *r = row_copy(x, row);
  if (!r) return NG_ERR_NOMEM;
  NgStatus st = after_group(x, p, r);
  row_put(x, r);
  return st;
}

/* ---------------------------------------------------------- aggregates */

/* What SUM, AVG and GROUP_CONCAT need is made at their first value: a
 * two-hop GROUP BY holds 250,000 groups of COUNT only, 48 bytes each
 * (a value is 200 bytes, a buffer 24). */
typedef struct {
  uint64_t count;
  NgSqValue *sum; /* SUM, AVG */
  NgSqId best;    /* MIN, MAX, SAMPLE */
  NgBuf *concat;  /* GROUP_CONCAT */
  NgMap *seen;    /* DISTINCT */
  bool error;
  bool any;
} AggState;

/* Groups in flat arrays indexed by group number: a malloc of each group's
 * states cost more than the states themselves.  Their index is a table of
 * its own over those arrays, 8 bytes a slot (group number + 1, and the
 * key's hash, compared before the key): a byte-string map held every key
 * a second time in 32-byte slots, half of the two-hop question's memory. */
typedef struct {
  Pipe *p;
  uint64_t *index;  /* open addressing, half full at most (freed once every row is in) */
  size_t icap;      /* power of two, or 0 */
  NgSqId *keys;     /* ngroup ids a group */
  AggState *states; /* naggs states a group */
  size_t n, cap;
} Groups;

static NgStatus agg_add_numeric(AggState *a, NgSqValue *v) {
  if (a->error) return NG_SUCCESS;
  if (!a->sum) {
    if (!(a->sum = calloc(1, sizeof *a->sum))) return NG_ERR_NOMEM; /* (malloc aligns __int128) */
    a->sum->kind = NG_SQ_V_INT;
  }
  NgSqValue r;
  ng_sq_arith_add(a->sum, v, &r);
  if (r.kind == NG_SQ_V_ERR)
    a->error = true;
  else
    *a->sum = r;
  return NG_SUCCESS;
}

/* The sum so far: integer 0 before any value. */
static NgSqValue agg_sum(const AggState *a) {
  NgSqValue zero;
  memset(&zero, 0, sizeof zero);
  zero.kind = NG_SQ_V_INT;
  return a->sum ? *a->sum : zero;
}

static NgStatus agg_update(NgSqExec *x, const NgSqAgg *agg, AggState *a, const NgSqId *row) {
  /* COUNT(?v): whether ?v is bound, without making its value (decoding
   * the term and looking it up again cost two B-tree searches a row) */
  if (agg->fn == NG_SQ_A_COUNT && !agg->distinct && agg->arg && agg->arg->op == NG_SQ_E_TERM &&
      agg->arg->term.kind == NG_SQ_T_VAR && agg->arg->term.var < x->nvars && !x->subst) {
    a->count += row[agg->arg->term.var] != 0;
    return NG_SUCCESS;
  }
  NgSqMark mark = ng_sq_tmp_mark(&x->tmp);
  NgSqValue v;
  NgSqId id = 0;
  NgStatus st = NG_SUCCESS;
  if (agg->arg) {
    st = ng_sq_eval(x, agg->arg, row, &v);
    if (!st) st = ng_sq_id_of_value(x, &v, &id);
    if (st) goto done;
    if (!id) { /* an error or unbound: not counted; SUM and AVG fail */
      if (agg->fn == NG_SQ_A_SUM || agg->fn == NG_SQ_A_AVG || agg->fn == NG_SQ_A_GROUP_CONCAT)
        a->error = true;
      goto done;
    }
  }
  if (agg->distinct) {
    if (!a->seen && !(a->seen = ng_map_new())) {
      st = NG_ERR_NOMEM;
      goto done;
    }
    bool inserted;
    const void *key = agg->arg ? (const void *)&id : (const void *)row;
    size_t len = agg->arg ? sizeof id : x->nvars * sizeof *row;
    if (!ng_map_slot(a->seen, key, len, &inserted)) {
      st = NG_ERR_NOMEM;
      goto done;
    }
    if (!inserted) goto done;
  }
  a->count++;
  switch (agg->fn) {
  case NG_SQ_A_COUNT: break;
  case NG_SQ_A_SUM:
  case NG_SQ_A_AVG: st = agg_add_numeric(a, &v); break;
  case NG_SQ_A_MIN:
    if (!a->best || ng_sq_order_cmp(x, id, a->best) < 0) a->best = id;
    break;
  case NG_SQ_A_MAX:
    if (!a->best || ng_sq_order_cmp(x, id, a->best) > 0) a->best = id;
    break;
  case NG_SQ_A_SAMPLE:
    if (!a->best) a->best = id;
    break;
  case NG_SQ_A_GROUP_CONCAT:
    /* the lexical forms of literals and the text of IRIs */
    if (v.kind != NG_SQ_V_BLANK && (st = ng_sq_lexical(x, &v))) break;
    if (v.kind == NG_SQ_V_BLANK || !v.str) {
      a->error = true;
      break;
    }
    if (!a->concat && !(a->concat = calloc(1, sizeof *a->concat))) st = NG_ERR_NOMEM;
    if (!st && a->any && ng_buf_puts(a->concat, agg->separator)) st = NG_ERR_NOMEM;
    if (!st && ng_buf_append(a->concat, v.str, v.len)) st = NG_ERR_NOMEM;
    a->any = true;
    break;
  }
done:
  ng_sq_tmp_release(&x->tmp, mark);
  return st;
}

static NgStatus agg_result(NgSqExec *x, const NgSqAgg *agg, AggState *a, NgSqId *id) {
  NgSqValue v;
  memset(&v, 0, sizeof v);
  *id = 0;
  switch (agg->fn) {
  case NG_SQ_A_COUNT:
    v.kind = NG_SQ_V_INT;
    v.i = (int64_t)a->count;
    break;
  case NG_SQ_A_SUM:
    if (a->error) return NG_SUCCESS;
    v = agg_sum(a);
    v.id = 0;
    v.str = NULL;
    break;
  case NG_SQ_A_AVG: {
    if (a->error) return NG_SUCCESS;
    if (!a->count) {
      v.kind = NG_SQ_V_INT;
      break;
    }
    NgSqValue n;
    memset(&n, 0, sizeof n);
    n.kind = NG_SQ_V_INT;
    n.i = (int64_t)a->count;
    NgSqValue sum = agg_sum(a);
    ng_sq_arith_div(&sum, &n, &v);
    break;
  }
  case NG_SQ_A_MIN:
  case NG_SQ_A_MAX:
  case NG_SQ_A_SAMPLE: *id = a->best; return NG_SUCCESS;
  case NG_SQ_A_GROUP_CONCAT:
    if (a->error) return NG_SUCCESS;
    v.kind = NG_SQ_V_STR;
    v.str = a->concat ? ng_buf_str(a->concat) : "";
    v.len = a->concat ? a->concat->len : 0;
    break;
  }
  return ng_sq_id_of_value(x, &v, id);
}

static void agg_state_free(AggState *a) {
  free(a->sum);
  if (a->concat) ng_buf_free(a->concat);
  free(a->concat);
  ng_map_free(a->seen);
}

/* Room for one more group in the flat arrays (doubling). */
static NgStatus groups_grow(Groups *gs, size_t nkey, size_t naggs) {
  if (gs->n < gs->cap) return NG_SUCCESS;
  size_t cap = gs->cap ? gs->cap * 2 : 16;
  NgSqId *k = realloc(gs->keys, cap * (nkey ? nkey : 1) * sizeof *k);
  if (!k) return NG_ERR_NOMEM;
  gs->keys = k;
  AggState *a = realloc(gs->states, cap * (naggs ? naggs : 1) * sizeof *a);
  if (!a) return NG_ERR_NOMEM;
  gs->states = a;
  gs->cap = cap;
  return NG_SUCCESS;
}

static uint32_t key_hash(const NgSqId *key, size_t nkey) {
  return (uint32_t)(ng_hash_bytes(key, nkey * sizeof *key) >> 32);
}

/* The index twice as large, its entries placed again by their hashes. */
static NgStatus index_grow(Groups *gs) {
  size_t cap = gs->icap ? gs->icap * 2 : 64;
  uint64_t *t = calloc(cap, sizeof *t);
  if (!t) return NG_ERR_NOMEM;
  for (size_t i = 0; i < gs->icap; ++i) {
    uint64_t e = gs->index[i];
    if (!e) continue;
    size_t j = (e >> 32) & (cap - 1);
    while (t[j])
      j = (j + 1) & (cap - 1);
    t[j] = e;
  }
  free(gs->index);
  gs->index = t;
  gs->icap = cap;
  return NG_SUCCESS;
}

/* The number of key's group, made (its states zero) when new. */
static NgStatus group_of(Groups *gs, const NgSqId *key, size_t nkey, size_t *out) {
  size_t naggs = gs->p->s->naggs;
  if (gs->n >= UINT32_MAX - 1) return NG_ERR_NOMEM;
  /* room first: a key in the index always has its group */
  NgStatus st = groups_grow(gs, nkey, naggs);
  if (!st && (gs->n + 1) * 2 > gs->icap) st = index_grow(gs);
  if (st) return st;
  uint32_t h = key_hash(key, nkey);
  size_t mask = gs->icap - 1, j = h & mask;
  for (; gs->index[j]; j = (j + 1) & mask) {
    uint64_t e = gs->index[j];
    size_t g = (uint32_t)e - 1;
    if ((uint32_t)(e >> 32) != h) continue;
    if (!nkey || !memcmp(gs->keys + g * nkey, key, nkey * sizeof *key)) {
      *out = g;
      return NG_SUCCESS;
    }
  }
  if (nkey) memcpy(gs->keys + gs->n * nkey, key, nkey * sizeof *key);
  if (naggs) memset(gs->states + gs->n * naggs, 0, naggs * sizeof *gs->states);
  gs->index[j] = (uint64_t)h << 32 | (uint64_t)(gs->n + 1);
  *out = gs->n++;
  return NG_SUCCESS;
}

static AggState *group_states(const Groups *gs, size_t group) {
  return gs->states + group * gs->p->s->naggs;
}

static NgStatus group_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  Groups *gs = ctx;
  NgSqSelect *s = gs->p->s;
  NgSqId key[32];
  NgSqId *k = s->ngroup <= 32 ? key : malloc(s->ngroup * sizeof *k);
  if (!k) return NG_ERR_NOMEM;
  NgStatus st = NG_SUCCESS;
  const NgSqGraphCtx *saved = x->gctx;
  x->gctx = gs->p->g;
  for (size_t i = 0; i < s->ngroup && !st; ++i) {
    if (!s->group[i].expr) {
      k[i] = row[s->group[i].var];
      continue;
    }
    NgSqMark mark = ng_sq_tmp_mark(&x->tmp);
    NgSqValue v;
    k[i] = 0;
    st = ng_sq_eval(x, s->group[i].expr, row, &v);
    if (!st) st = ng_sq_id_of_value(x, &v, &k[i]);
    ng_sq_tmp_release(&x->tmp, mark);
  }
  size_t g = 0;
  if (!st) st = group_of(gs, k, s->ngroup, &g);
  for (size_t i = 0; i < s->naggs && !st; ++i)
    st = agg_update(x, &s->aggs[i], &group_states(gs, g)[i], row);
  x->gctx = saved;
  if (k != key) free(k);
  if (!st) st = tick(x);
  return st;
}

static void groups_free(NgSqSelect *s, Groups *gs) {
  for (size_t i = 0; i < gs->n; ++i)
    for (size_t k = 0; k < s->naggs; ++k)
      agg_state_free(&group_states(gs, i)[k]);
  free(gs->keys);
  free(gs->states);
  free(gs->index);
  gs->keys = NULL;
  gs->states = NULL;
  gs->index = NULL;
  gs->n = gs->cap = gs->icap = 0;
}

/* The ORDER BY buffers made for every group at once: grown by doubling
 * they would hold up to twice that, and both copies while they move. */
static NgStatus sorted_reserve(Pipe *p, size_t n) {
  NgSqSelect *s = p->s;
  if (!s->norder || p->sorted.cap >= p->sorted.n + n) return NG_SUCCESS;
  size_t cap = p->sorted.n + n;
  NgSqId *r = realloc(p->sorted.rows, cap * p->sorted.width * sizeof *r);
  if (!r) return NG_ERR_NOMEM;
  p->sorted.rows = r;
  p->sorted.cap = cap;
  NgSqId *k = realloc(p->keys, cap * s->norder * sizeof *k);
  if (!k) return NG_ERR_NOMEM;
  p->keys = k;
  p->cap_keys = cap * s->norder;
  return NG_SUCCESS;
}

/* Each group's solution into the rest of the pipeline; the groups are
 * freed on the way (the index first: no row looks a group up any more). */
static NgStatus finish_groups(NgSqExec *x, Groups *gs) {
  NgSqSelect *s = gs->p->s;
  NgStatus st = NG_SUCCESS;
  if (!gs->n && !s->ngroup) { /* aggregates over no solution: one group */
    size_t g;
    if ((st = group_of(gs, NULL, 0, &g))) return st;
  }
  free(gs->index);
  gs->index = NULL;
  gs->icap = 0;
  if ((st = sorted_reserve(gs->p, gs->n))) return st;
  NgSqId *row = row_get(x);
  if (!row) return NG_ERR_NOMEM;
  for (size_t i = 0; i < gs->n && !st; ++i) {
    AggState *a = group_states(gs, i);
    memset(row, 0, x->nvars * sizeof *row);
    for (size_t k = 0; k < s->ngroup; ++k)
      row[s->group[k].var] = gs->keys[i * s->ngroup + k];
    for (size_t k = 0; k < s->naggs && !st; ++k)
      st = agg_result(x, &s->aggs[k], &a[k], &row[s->aggs[k].var]);
    bool ok = true;
    if (!st && s->nhaving) st = filter_ok(x, s->having, s->nhaving, row, gs->p->g, &ok);
    if (!st && ok) st = after_group(x, gs->p, row);
  }
  row_put(x, row);
  return st;
}

/* ------------------------------------------------------ counted groups */

/* GROUP BY plain variables with only COUNT(*) over a BGP (and FILTERs)
 * whose triples fall into parts that share nothing but group keys: the
 * count of a group is a sum of products, so each part is evaluated once
 * per distinct binding of the keys bound before it, weighted by how many
 * solutions gave that binding, instead of once per solution.  The
 * two-hop question (one actor's events joined to the events of each actor
 * it acted on) makes 150M solutions at 1M events this way folded into a
 * few thousand weighted rows.  Anything else goes the ordinary way. */

#define PARTS_MAX 8

typedef struct {
  NgSqNode bgp;      /* this part's triples */
  NgSqExpr **exprs;  /* the FILTERs decided once this part is matched */
  size_t nexprs;
  uint32_t *keys;    /* the group keys bound once this part is matched */
  size_t nkeys;
} Part;

static bool expr_plain(const NgSqExpr *e) {
  if (!e) return true;
  if (e->op == NG_SQ_E_EXISTS || e->op == NG_SQ_E_NOT_EXISTS || e->op == NG_SQ_E_AGG) return false;
  if (e->op == NG_SQ_E_CALL && (e->fn == NG_SQ_F_RAND || e->fn == NG_SQ_F_BNODE ||
                                e->fn == NG_SQ_F_UUID || e->fn == NG_SQ_F_STRUUID))
    return false;
  for (unsigned i = 0; i < e->nargs; ++i)
    if (!expr_plain(e->args[i])) return false;
  return true;
}

static bool is_key(const NgSqSelect *s, uint32_t v) {
  for (size_t i = 0; i < s->ngroup; ++i)
    if (s->group[i].var == v) return true;
  return false;
}

/* The part of a triple: union-find over triples linked by non-key variables. */
static size_t part_root(size_t *up, size_t i) {
  while (up[i] != i)
    i = up[i] = up[up[i]];
  return i;
}

static void link_terms(const NgSqSelect *s, const NgSqTriple *t, size_t i, size_t *up,
                       uint32_t *owner, size_t nvars) {
  const NgSqTerm *ts[3] = {&t->s, &t->p, &t->o};
  for (int k = 0; k < 3; ++k) {
    if (ts[k]->kind != NG_SQ_T_VAR || ts[k]->var >= nvars || is_key(s, ts[k]->var)) continue;
    uint32_t v = ts[k]->var;
    if (owner[v] == UINT32_MAX)
      owner[v] = (uint32_t)i;
    else
      up[part_root(up, i)] = part_root(up, owner[v]);
  }
}

/* Splits s's WHERE into parts; false when the shape does not fit. */
static bool split_parts(NgSqExec *x, const NgSqSelect *s, Part *parts, size_t *nparts) {
  if (!s->ngroup || !s->naggs || s->values) return false;
  for (size_t i = 0; i < s->ngroup; ++i)
    if (s->group[i].expr) return false;
  for (size_t i = 0; i < s->naggs; ++i)
    if (s->aggs[i].fn != NG_SQ_A_COUNT || s->aggs[i].distinct || s->aggs[i].arg) return false;
  NgSqNode *n = s->where, *bgp = n;
  size_t nexprs = 0;
  NgSqExpr **exprs = NULL;
  if (n && n->kind == NG_SQ_N_FILTER) {
    bgp = n->a;
    exprs = n->exprs;
    nexprs = n->nexprs;
  }
  if (!bgp || bgp->kind != NG_SQ_N_BGP || bgp->ntriples < 2 || bgp->ntriples > 64) return false;
  for (size_t i = 0; i < bgp->ntriples; ++i)
    if (bgp->triples[i].path) return false;
  for (size_t i = 0; i < nexprs; ++i)
    if (!expr_plain(exprs[i])) return false;
  for (size_t i = 0; i < s->ngroup; ++i) /* every key bound by the triples */
    if (!ng_sq_vs_has(&bgp->certain, s->group[i].var)) return false;
  size_t up[64];
  uint32_t *owner = malloc(x->nvars * sizeof *owner + 1);
  if (!owner) return false;
  memset(owner, 0xFF, x->nvars * sizeof *owner);
  for (size_t i = 0; i < bgp->ntriples; ++i)
    up[i] = i;
  for (size_t i = 0; i < bgp->ntriples; ++i)
    link_terms(s, &bgp->triples[i], i, up, owner, x->nvars);
  /* parts in the order of their first triple */
  size_t root_part[64];
  *nparts = 0;
  bool ok = true;
  for (size_t i = 0; i < bgp->ntriples && ok; ++i) {
    size_t r = part_root(up, i);
    if (r == i) {
      if (*nparts == PARTS_MAX) ok = false;
      else root_part[i] = (*nparts)++;
    }
  }
  if (!ok || *nparts < 2) {
    free(owner);
    return false;
  }
  for (size_t k = 0; k < *nparts; ++k) {
    memset(&parts[k], 0, sizeof parts[k]);
    parts[k].bgp.kind = NG_SQ_N_BGP;
    parts[k].bgp.triples = ng_arena_calloc(&x->local_arena, bgp->ntriples * sizeof(NgSqTriple));
    parts[k].keys = ng_arena_calloc(&x->local_arena, (s->ngroup + 1) * sizeof(uint32_t));
    parts[k].exprs = ng_arena_calloc(&x->local_arena, (nexprs + 1) * sizeof(NgSqExpr *));
    if (!parts[k].bgp.triples || !parts[k].keys || !parts[k].exprs) ok = false;
  }
  NgSqVarSet bound = {NULL}, vars = {NULL};
  if (ok && (vs_new(x, &bound) || vs_new(x, &vars))) ok = false;
  for (size_t i = 0; i < bgp->ntriples && ok; ++i) {
    Part *p = &parts[root_part[part_root(up, i)]];
    p->bgp.triples[p->bgp.ntriples++] = bgp->triples[i];
  }
  /* keys and filters go to the first part after which they are bound */
  bool *placed = ok ? calloc(nexprs + 1, sizeof *placed) : NULL;
  if (ok && !placed) ok = false;
  for (size_t k = 0; k < *nparts && ok; ++k) {
    Part *p = &parts[k];
    for (size_t i = 0; i < p->bgp.ntriples; ++i) {
      term_var(x, &p->bgp.triples[i].s, &bound);
      term_var(x, &p->bgp.triples[i].p, &bound);
      term_var(x, &p->bgp.triples[i].o, &bound);
    }
    for (size_t i = 0; i < s->ngroup; ++i)
      if (ng_sq_vs_has(&bound, s->group[i].var)) p->keys[p->nkeys++] = s->group[i].var;
    for (size_t e = 0; e < nexprs; ++e) {
      if (placed[e]) continue;
      memset(vars.bits, 0, words(x) * 8);
      expr_vars(x, exprs[e], &vars);
      bool all = true, mine_or_key = true;
      for (uint32_t v = 0; v < x->nvars; ++v) {
        if (!ng_sq_vs_has(&vars, v)) continue;
        if (!ng_sq_vs_has(&bound, v)) all = false;
        /* a non-key variable of an earlier part is gone by now */
        if (!is_key(s, v) && owner[v] != UINT32_MAX && root_part[part_root(up, owner[v])] != k)
          mine_or_key = false;
      }
      if (!all && k + 1 < *nparts) continue;
      if (!mine_or_key) ok = false;
      p->exprs[p->nexprs++] = exprs[e];
      placed[e] = true;
    }
  }
  free(placed);
  free(owner);
  return ok;
}

/* The weighted key rows after a part: key ids (nkeys each) and weights. */
typedef struct {
  NgMap *index; /* key bytes -> entry */
  NgSqId *keys;
  uint64_t *weights;
  size_t n, cap, nkeys;
} Level;

static NgStatus level_add(Level *l, const NgSqId *key, uint64_t w) {
  bool inserted;
  uintptr_t *slot = ng_map_slot(l->index, l->nkeys ? (const char *)key : "",
                                l->nkeys * sizeof *key, &inserted);
  if (!slot) return NG_ERR_NOMEM;
  if (!inserted) {
    l->weights[*slot] += w;
    return NG_SUCCESS;
  }
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 64;
    NgSqId *k = realloc(l->keys, cap * (l->nkeys + 1) * sizeof *k);
    if (k) l->keys = k;
    uint64_t *wt = k ? realloc(l->weights, cap * sizeof *wt) : NULL;
    if (!wt) return NG_ERR_NOMEM;
    l->weights = wt;
    l->cap = cap;
  }
  if (l->nkeys) memcpy(l->keys + l->n * l->nkeys, key, l->nkeys * sizeof *key);
  l->weights[l->n] = w;
  *slot = l->n++;
  return NG_SUCCESS;
}

static void level_free(Level *l) {
  ng_map_free(l->index);
  free(l->keys);
  free(l->weights);
  memset(l, 0, sizeof *l);
}

typedef struct {
  const Part *part;
  const NgSqGraphCtx *g;
  uint64_t weight;
  Level *out;     /* the weighted keys for the next part ... */
  Groups *groups; /* ... or, after the last part, the counts themselves */
} PartCtx;

/* A solution of the last part adds its weight to its group's counts: a
 * level of every group's key and weight in between cost as much memory
 * again as the groups (its index and keys). */
static NgStatus part_count(Groups *gs, const Part *p, const NgSqId *row, uint64_t weight) {
  NgSqId key[32]; /* the last part binds every key, in GROUP BY's order */
  for (size_t i = 0; i < p->nkeys; ++i)
    key[i] = row[p->keys[i]];
  size_t g;
  NgStatus st = group_of(gs, key, p->nkeys, &g);
  for (size_t i = 0; i < gs->p->s->naggs && !st; ++i)
    group_states(gs, g)[i].count += weight;
  return st;
}

static NgStatus part_row(NgSqExec *x, const NgSqId *row, void *ctx) {
  PartCtx *c = ctx;
  const Part *p = c->part;
  if (p->nexprs) {
    bool ok;
    NgStatus st = filter_ok(x, p->exprs, p->nexprs, row, c->g, &ok);
    if (st || !ok) return st;
  }
  if (c->groups) return part_count(c->groups, p, row, c->weight);
  NgSqId key[32];
  for (size_t i = 0; i < p->nkeys; ++i)
    key[i] = row[p->keys[i]];
  return level_add(c->out, key, c->weight);
}

/* The split of a SELECT, made once per run (a subquery may run often). */
typedef struct {
  bool fits;
  size_t nparts;
  Part parts[PARTS_MAX];
} Split;

/* Part k once for each weighted key row of the part before: into next,
 * or for the last part (gs given) into the groups. */
static NgStatus part_pass(NgSqExec *x, Part *part, const Level *prev, const uint32_t *prev_keys,
                          const NgSqGraphCtx *g, NgSqId *in, Level *next, Groups *gs) {
  PartCtx c = {part, g, 0, next, gs};
  NgStatus st = NG_SUCCESS;
  for (size_t e = 0; e < prev->n && !st; ++e) {
    memset(in, 0, x->nvars * sizeof *in);
    for (size_t i = 0; i < prev->nkeys; ++i)
      in[prev_keys[i]] = prev->keys[e * prev->nkeys + i];
    c.weight = prev->weights[e];
    st = eval_bgp(x, &part->bgp, in, g, part_row, &c);
  }
  return st;
}

/* Groups of s (counts only) from its parts; *done false: not this shape. */
static NgStatus counted_groups(NgSqExec *x, NgSqSelect *s, const NgSqGraphCtx *g, Groups *gs,
                               bool *done) {
  *done = false;
  if (s->ngroup > 32 || (g->kind != NG_SQ_G_UNION && g->kind != NG_SQ_G_ONE &&
                         g->kind != NG_SQ_G_LIST && g->kind != NG_SQ_G_NOTHING))
    return NG_SUCCESS;
  Split *split = s->counted;
  if (!split) {
    if (!(split = ng_arena_calloc(&x->local_arena, sizeof *split))) return NG_ERR_NOMEM;
    split->fits = split_parts(x, s, split->parts, &split->nparts);
    s->counted = split;
  }
  if (!split->fits) return NG_SUCCESS;
  Part *parts = split->parts;
  size_t nparts = split->nparts;
  *done = true;
  Level prev = {ng_map_new(), NULL, NULL, 0, 0, 0};
  NgSqId *in = row_get(x);
  NgStatus st = prev.index && in ? level_add(&prev, NULL, 1) : NG_ERR_NOMEM;
  const uint32_t *prev_keys = NULL;
  for (size_t k = 0; k < nparts && !st; ++k) {
    bool last = k + 1 == nparts;
    Level next = {last ? NULL : ng_map_new(), NULL, NULL, 0, 0, parts[k].nkeys};
    if (!last && !next.index) st = NG_ERR_NOMEM;
    if (!st) st = part_pass(x, &parts[k], &prev, prev_keys, g, in, &next, last ? gs : NULL);
    level_free(&prev);
    prev = next;
    prev_keys = parts[k].keys;
  }
  level_free(&prev);
  row_put(x, in);
  return st;
}

/* -------------------------------------------------------------- ordering */

typedef struct {
  NgSqExec *x;
  Pipe *p;
} SortCtx;

static int sort_cmp(const void *a, const void *b, void *ctx) {
  SortCtx *c = ctx;
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  NgSqSelect *s = c->p->s;
  for (size_t k = 0; k < s->norder; ++k) {
    int r = ng_sq_order_cmp(c->x, c->p->keys[i * s->norder + k], c->p->keys[j * s->norder + k]);
    if (r) return s->order[k].desc ? -r : r;
  }
  return (i > j) - (i < j); /* stable */
}

static NgStatus flush_sorted(NgSqExec *x, Pipe *p) {
  size_t n = p->sorted.n;
  size_t *idx = malloc((n + 1) * sizeof *idx);
  if (!idx) return NG_ERR_NOMEM;
  for (size_t i = 0; i < n; ++i)
    idx[i] = i;
  SortCtx c = {x, p};
  qsort_r(idx, n, sizeof *idx, sort_cmp, &c);
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < n && !st; ++i)
    st = emit(x, p, p->sorted.rows + idx[i] * x->nvars);
  free(idx);
  return st;
}

/* ---------------------------------------------------------------- select */

typedef struct {
  NgSqSelect *s;
  const NgSqGraphCtx *g;
  NgSqRowFn fn;
  void *ctx;
} ValuesJoin;

static NgStatus values_join(NgSqExec *x, const NgSqId *row, void *ctx) {
  ValuesJoin *v = ctx;
  return eval(x, v->s->values, row, v->g, v->fn, v->ctx);
}

static NgStatus run_select_in(NgSqExec *x, NgSqSelect *s, const NgSqId *in, const NgSqGraphCtx *g,
                              NgSqRowFn fn, void *ctx) {
  Pipe p = {s, g, fn, ctx, NULL, 0, 0, {NULL, 0, 0, x->nvars}, NULL, 0, 0, false};
  Groups gs = {&p, NULL, 0, NULL, NULL, 0, 0};
  NgStatus st = NG_SUCCESS;
  if ((s->distinct || s->reduced) && !(p.distinct = ng_map_new())) return NG_ERR_NOMEM;
  NgSqRowFn each = s->grouped ? group_row : plain_row;
  void *each_ctx = s->grouped ? (void *)&gs : (void *)&p;
  bool counted = false;
  if (!st && s->grouped && !x->subst && row_is_empty(x, in))
    st = counted_groups(x, s, g, &gs, &counted);
  if (!st && !counted) {
    if (s->values) {
      ValuesJoin vj = {s, g, each, each_ctx};
      st = eval(x, s->where, in, g, values_join, &vj);
    } else {
      st = eval(x, s->where, in, g, each, each_ctx);
    }
  }
  if (!st && s->grouped) st = finish_groups(x, &gs);
  groups_free(s, &gs); /* before the sorted rows go out: they are copies */
  if (!st && s->norder) st = flush_sorted(x, &p);
  if (st == NG_END && p.done) st = NG_SUCCESS; /* its own LIMIT, not a stop from outside */
  ng_map_free(p.distinct);
  free(p.sorted.rows);
  free(p.keys);
  return st;
}

NgStatus ng_sq_run_select(NgSqExec *x, NgSqSelect *s, NgSqRowFn fn, void *ctx) {
  NgSqId *in = row_get(x);
  if (!in) return NG_ERR_NOMEM;
  memset(in, 0, x->nvars * sizeof *in);
  NgSqGraphCtx g;
  if (x->default_union)
    g = (NgSqGraphCtx){NG_SQ_G_UNION, 0, 0};
  else if (x->ndefault == 0)
    g = (NgSqGraphCtx){NG_SQ_G_NOTHING, 0, 0};
  else if (x->ndefault == 1)
    g = (NgSqGraphCtx){NG_SQ_G_ONE, x->default_graphs[0], 0};
  else
    g = (NgSqGraphCtx){NG_SQ_G_LIST, 0, 0};
  x->gctx = &g;
  NgStatus st = run_select_in(x, s, in, &g, fn, ctx);
  x->gctx = NULL;
  row_put(x, in);
  return st;
}

/* ============================================================= set-up */

static int id_cmp(const void *a, const void *b) {
  NgSqId x = *(const NgSqId *)a, y = *(const NgSqId *)b;
  return (x > y) - (x < y);
}

/* Ids of the graphs named (absent ones left out: an empty graph), sorted. */
static NgStatus graph_ids(NgSqExec *x, const char *const *iris, size_t n, NgSqId **out,
                          size_t *count) {
  *out = ng_arena_calloc(&x->local_arena, (n + 1) * sizeof **out);
  if (!*out) return NG_ERR_NOMEM;
  *count = 0;
  for (size_t i = 0; i < n; ++i) {
    NgTerm t = {NG_TERM_IRI, iris[i], NULL, NULL};
    NgId id;
    if (!x->txn) break;
    NgStatus st = ng_qs_lookup(x->txn, &t, &id);
    if (st == NG_END || st == NG_ERR_TOO_LARGE) continue;
    if (st) return st;
    (*out)[(*count)++] = id;
  }
  qsort(*out, *count, sizeof **out, id_cmp);
  size_t k = 0; /* FROM <g> FROM <g>: once */
  for (size_t i = 0; i < *count; ++i)
    if (!k || (*out)[k - 1] != (*out)[i]) (*out)[k++] = (*out)[i];
  *count = k;
  return NG_SUCCESS;
}

static size_t count_list(const char *const *l) {
  size_t n = 0;
  while (l && l[n])
    n++;
  return n;
}

static NgStatus set_dataset(NgSqExec *x, const NgQueryOptions *o) {
  bool explicit = o && (o->default_graphs || o->named_graphs);
  const char *const *def = explicit ? o->default_graphs : x->q->from;
  const char *const *named = explicit ? o->named_graphs : x->q->from_named;
  size_t ndef = explicit ? count_list(def) : x->q->nfrom;
  size_t nnamed = explicit ? count_list(named) : x->q->nfrom_named;
  bool any = explicit || x->q->nfrom || x->q->nfrom_named;
  NgStatus st;
  x->default_union = !any;
  /* every graph is named without a dataset, and with an explicit one
   * that lists no named graphs (NULL, as updates give it) */
  x->named_all = !any || (explicit && !o->named_graphs);
  if (!any) return NG_SUCCESS;
  if ((st = graph_ids(x, def, ndef, &x->default_graphs, &x->ndefault))) return st;
  return graph_ids(x, named, nnamed, &x->named, &x->nnamed);
}

NgStatus ng_sq_exec_init(NgSqExec *x, NgWorld *world, NgQsTxn *txn, NgSqQuery *q,
                         const NgQueryOptions *options, const char *origin) {
  memset(x, 0, sizeof *x);
  x->world = world;
  x->txn = txn;
  x->q = q;
  x->nvars = q->nvars;
  x->origin = origin;
  if (!(x->local_map = ng_map_new())) return NG_ERR_NOMEM;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  x->now_secs = ts.tv_sec;
  x->now_nanos = (int32_t)(ts.tv_nsec / 1000000 * 1000000); /* milliseconds */
  if (getrandom(&x->rand_state, sizeof x->rand_state, 0) != sizeof x->rand_state)
    x->rand_state = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull;
  x->rand_state |= 1;
  x->bnode_base = x->rand_state & 0xFFFFFFFF;
  if (options && options->timeout > 0) x->deadline = ng_sq_clock() + options->timeout;
  if (q->has_service) {
    ng_report(world, NG_ERR_QUERY, NG_LEVEL_ERROR, origin, q->service_line, q->service_col,
              "SERVICE is not supported: newsgraph does not send queries to other services");
    return NG_ERR_QUERY;
  }
  NgStatus st = set_dataset(x, options);
  if (!st && q->select) st = analyse_select(x, q->select);
  for (size_t i = 0; !st && i < q->nops; ++i)
    if (q->ops[i].where) st = analyse_select(x, q->ops[i].where);
  return st;
}

static void free_caches_node(NgSqNode *n);
static void free_caches_select(NgSqSelect *s);

static void free_caches_expr(NgSqExpr *e) {
  if (!e) return;
  ng_sq_expr_free_cache(e);
  free_caches_node(e->pattern);
  for (unsigned i = 0; i < e->nargs; ++i)
    free_caches_expr(e->args[i]);
}

static void free_caches_select(NgSqSelect *s) {
  if (!s) return;
  s->counted = NULL;
  free_caches_node(s->where);
  for (size_t i = 0; i < s->nproject; ++i)
    free_caches_expr(s->project[i].expr);
  for (size_t i = 0; i < s->ngroup; ++i)
    free_caches_expr(s->group[i].expr);
  for (size_t i = 0; i < s->naggs; ++i)
    free_caches_expr(s->aggs[i].arg);
  for (size_t i = 0; i < s->norder; ++i)
    free_caches_expr(s->order[i].expr);
  for (size_t i = 0; i < s->nhaving; ++i)
    free_caches_expr(s->having[i]);
}

static void free_caches_node(NgSqNode *n) {
  if (!n) return;
  for (size_t i = 0; i < n->nexprs; ++i)
    free_caches_expr(n->exprs[i]);
  free_caches_select(n->sub);
  free_caches_node(n->a);
  free_caches_node(n->b);
  n->plan = NULL;
}

void ng_sq_exec_done(NgSqExec *x) {
  if (x->q) {
    free_caches_select(x->q->select);
    for (size_t i = 0; i < x->q->nops; ++i)
      free_caches_select(x->q->ops[i].where);
  }
  for (size_t i = 0; i < x->nfree_rows; ++i)
    free(x->free_rows[i]);
  free(x->free_rows);
  free(x->local);
  ng_map_free(x->local_map);
  ng_arena_free(&x->local_arena);
  ng_sq_tmp_free(&x->tmp);
  memset(x, 0, sizeof *x);
}
