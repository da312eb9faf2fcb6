/* sparql-engine.h - newsgraph's own SPARQL 1.1 engine: the parsed query as
 * the algebra of the specification (section 18), its parser, and its
 * evaluation over the quad store's term ids (quadstore.h).
 *
 * Written here rather than taken from a library: Rasqal (the only SPARQL
 * engine Debian ships as a C library) evaluates row at a time over librdf
 * nodes, lacks property paths, EXISTS and working MINUS, and cannot join on
 * the store's integer ids; that evaluation is what the store was built for.
 *
 * Layout: sparql-parse.c (lexer and recursive-descent parser for the whole
 * Query and Update grammar, producing the algebra), sparql-expr.c (values,
 * operators, builtin functions), sparql-eval.c (planner and evaluation),
 * sparql-update.c (SPARQL Update), sparql-run.c (the store's query entry
 * point and result output).
 *
 * Everything of one parsed request lives in its NgSqQuery's arena. */
#ifndef NG_SPARQL_ENGINE_H
#define NG_SPARQL_ENGINE_H

#include "internal.h"

typedef uint64_t NgSqId; /* a term id: the store's NgId, or a query-local one */

/* ----------------------------------------------------------------- terms */

typedef enum {
  NG_SQ_T_NONE = 0, /* unbound / absent */
  NG_SQ_T_VAR,      /* a variable (also a blank node of a query pattern) */
  NG_SQ_T_CONST,    /* an RDF term */
  NG_SQ_T_BNODE     /* a blank node of a CONSTRUCT or INSERT template */
} NgSqTermKind;

typedef struct {
  NgSqTermKind kind;
  uint32_t var;  /* NG_SQ_T_VAR: the variable's index */
  NgTerm term;   /* NG_SQ_T_CONST (strings in the query arena); BNODE: value is the label */
  NgSqId id;     /* NG_SQ_T_CONST: the id, once resolved against the store */
  bool resolved; /* id is meaningful (0 then: not in the store) */
} NgSqTerm;

/* ------------------------------------------------------------ expressions */

typedef enum {
  NG_SQ_E_TERM, /* a constant or a variable */
  NG_SQ_E_OR,
  NG_SQ_E_AND,
  NG_SQ_E_NOT,
  NG_SQ_E_EQ,
  NG_SQ_E_NE,
  NG_SQ_E_LT,
  NG_SQ_E_GT,
  NG_SQ_E_LE,
  NG_SQ_E_GE,
  NG_SQ_E_IN,
  NG_SQ_E_NOT_IN,
  NG_SQ_E_ADD,
  NG_SQ_E_SUB,
  NG_SQ_E_MUL,
  NG_SQ_E_DIV,
  NG_SQ_E_NEG,
  NG_SQ_E_PLUS,
  NG_SQ_E_CALL, /* a builtin (fn) */
  NG_SQ_E_IRI,  /* a function named by IRI: a cast, or unknown (an error when called) */
  NG_SQ_E_EXISTS,
  NG_SQ_E_NOT_EXISTS,
  NG_SQ_E_AGG /* an aggregate: the value of its hidden variable (var) */
} NgSqExprOp;

/* Builtin functions (keyword calls). */
typedef enum {
  NG_SQ_F_STR,
  NG_SQ_F_LANG,
  NG_SQ_F_LANGMATCHES,
  NG_SQ_F_DATATYPE,
  NG_SQ_F_BOUND,
  NG_SQ_F_IRI,
  NG_SQ_F_BNODE,
  NG_SQ_F_RAND,
  NG_SQ_F_ABS,
  NG_SQ_F_CEIL,
  NG_SQ_F_FLOOR,
  NG_SQ_F_ROUND,
  NG_SQ_F_CONCAT,
  NG_SQ_F_STRLEN,
  NG_SQ_F_UCASE,
  NG_SQ_F_LCASE,
  NG_SQ_F_ENCODE_FOR_URI,
  NG_SQ_F_CONTAINS,
  NG_SQ_F_STRSTARTS,
  NG_SQ_F_STRENDS,
  NG_SQ_F_STRBEFORE,
  NG_SQ_F_STRAFTER,
  NG_SQ_F_YEAR,
  NG_SQ_F_MONTH,
  NG_SQ_F_DAY,
  NG_SQ_F_HOURS,
  NG_SQ_F_MINUTES,
  NG_SQ_F_SECONDS,
  NG_SQ_F_TIMEZONE,
  NG_SQ_F_TZ,
  NG_SQ_F_NOW,
  NG_SQ_F_UUID,
  NG_SQ_F_STRUUID,
  NG_SQ_F_MD5,
  NG_SQ_F_SHA1,
  NG_SQ_F_SHA256,
  NG_SQ_F_SHA384,
  NG_SQ_F_SHA512,
  NG_SQ_F_COALESCE,
  NG_SQ_F_IF,
  NG_SQ_F_STRLANG,
  NG_SQ_F_STRDT,
  NG_SQ_F_SAMETERM,
  NG_SQ_F_ISIRI,
  NG_SQ_F_ISBLANK,
  NG_SQ_F_ISLITERAL,
  NG_SQ_F_ISNUMERIC,
  NG_SQ_F_REGEX,
  NG_SQ_F_SUBSTR,
  NG_SQ_F_REPLACE,
  NG_SQ_F_COUNT_ /* number of builtins */
} NgSqFunc;

typedef struct NgSqNode NgSqNode;
typedef struct NgSqExpr NgSqExpr;

struct NgSqExpr {
  NgSqExprOp op;
  int fn; /* NG_SQ_E_CALL: NgSqFunc */
  unsigned nargs;
  NgSqExpr **args;
  NgSqTerm term;     /* NG_SQ_E_TERM; NG_SQ_E_IRI: the function's IRI */
  NgSqNode *pattern; /* EXISTS, NOT EXISTS */
  uint32_t var;      /* NG_SQ_E_AGG: the hidden variable holding the value */
  unsigned long line, col;
  void *cache; /* a compiled constant regular expression (REGEX, REPLACE) */
};

/* ------------------------------------------------------------ aggregates */

typedef enum {
  NG_SQ_A_COUNT,
  NG_SQ_A_SUM,
  NG_SQ_A_MIN,
  NG_SQ_A_MAX,
  NG_SQ_A_AVG,
  NG_SQ_A_SAMPLE,
  NG_SQ_A_GROUP_CONCAT
} NgSqAggFunc;

typedef struct {
  NgSqAggFunc fn;
  bool distinct;
  NgSqExpr *arg;         /* NULL: COUNT(*) */
  const char *separator; /* GROUP_CONCAT (default " ") */
  uint32_t var;          /* the hidden variable the value goes to */
} NgSqAgg;

/* ---------------------------------------------------------- property paths */

typedef enum {
  NG_SQ_P_LINK,
  NG_SQ_P_INV,
  NG_SQ_P_SEQ,
  NG_SQ_P_ALT,
  NG_SQ_P_STAR,
  NG_SQ_P_PLUS,
  NG_SQ_P_OPT,
  NG_SQ_P_NEG
} NgSqPathKind;

typedef struct NgSqPath NgSqPath;
struct NgSqPath {
  NgSqPathKind kind;
  NgSqTerm iri;    /* LINK */
  NgSqPath *a, *b; /* INV, STAR, PLUS, OPT: a; SEQ, ALT: a, b */
  size_t nneg;     /* NEG: the IRIs excluded, each forward or inverse */
  NgSqTerm *neg;
  bool *neg_inverse;
};

/* ----------------------------------------------------------------- algebra */

typedef struct {
  NgSqTerm s, p, o;
  NgSqPath *path; /* non-NULL: a path pattern (p unused) */
} NgSqTriple;

/* A quad of an update template or data block: g kind NONE is the default graph. */
typedef struct {
  NgSqTerm s, p, o, g;
} NgSqQuad;

typedef enum {
  NG_SQ_N_UNIT, /* the empty pattern: one solution binding nothing */
  NG_SQ_N_BGP,  /* triples (and path patterns), evaluated in the planner's order */
  NG_SQ_N_JOIN,
  NG_SQ_N_LEFTJOIN,
  NG_SQ_N_UNION,
  NG_SQ_N_MINUS,
  NG_SQ_N_FILTER,  /* exprs over a */
  NG_SQ_N_GRAPH,   /* graph term over a */
  NG_SQ_N_EXTEND,  /* var := expr over a */
  NG_SQ_N_VALUES,  /* inline data */
  NG_SQ_N_SERVICE, /* refused when run */
  NG_SQ_N_SUBQUERY /* a SELECT of its own */
} NgSqNodeKind;

typedef struct NgSqSelect NgSqSelect;

/* A set of variables, one bit each. */
typedef struct {
  uint64_t *bits;
} NgSqVarSet;

struct NgSqNode {
  NgSqNodeKind kind;
  NgSqNode *a, *b;
  size_t nexprs; /* FILTER: the conjunction; LEFTJOIN: 0 or 1 */
  NgSqExpr **exprs;
  NgSqTerm graph;  /* GRAPH */
  uint32_t var;    /* EXTEND */
  size_t ntriples; /* BGP */
  NgSqTriple *triples;
  size_t nvals, nrows; /* VALUES: nrows * nvals cells, kind NONE for UNDEF */
  uint32_t *vals;
  NgSqTerm *cells;
  NgSqSelect *sub; /* SUBQUERY */
  bool silent;     /* SERVICE */
  unsigned long line, col;
  /* analysis (sparql-eval.c) */
  NgSqVarSet certain; /* bound in every solution */
  NgSqVarSet maybe;   /* bound in some solution */
  NgSqVarSet accept;  /* variables of an input row the evaluation may take as given */
  void *plan;         /* BGP: the planner's order, per run */
};

typedef struct {
  uint32_t var;   /* the variable (projection, GROUP BY AS) */
  NgSqExpr *expr; /* NULL: the variable itself */
} NgSqBinding;

typedef struct {
  NgSqExpr *expr;
  bool desc;
} NgSqOrder;

struct NgSqSelect {
  NgSqNode *where;
  bool star;       /* SELECT * */
  size_t nproject; /* SELECT's variables or expressions, in order */
  NgSqBinding *project;
  bool distinct, reduced;
  bool grouped; /* GROUP BY or an aggregate: solutions form groups */
  size_t ngroup;
  NgSqBinding *group; /* GROUP BY keys (var: where the key's value goes) */
  size_t nhaving;
  NgSqExpr **having;
  size_t naggs;
  NgSqAgg *aggs;
  size_t norder;
  NgSqOrder *order;
  uint64_t limit; /* UINT64_MAX: none */
  uint64_t offset;
  NgSqNode *values;     /* trailing VALUES (joined after everything) */
  uint32_t *inner_vars; /* a subquery: its projected variables' inner indexes ... */
  uint32_t *outer_vars; /* ... and the outer variables they bind */
  NgSqVarSet scope;     /* variables of this SELECT's own scope */
  void *counted;        /* sparql-eval.c: its counted-groups split, per run (NULL: not made) */
};

typedef enum { NG_SQ_SELECT, NG_SQ_ASK, NG_SQ_CONSTRUCT, NG_SQ_DESCRIBE, NG_SQ_UPDATE } NgSqForm;

/* ------------------------------------------------------------------ update */

typedef enum {
  NG_SQ_U_INSERT_DATA,
  NG_SQ_U_DELETE_DATA,
  NG_SQ_U_MODIFY,
  NG_SQ_U_LOAD,
  NG_SQ_U_CLEAR,
  NG_SQ_U_DROP,
  NG_SQ_U_CREATE,
  NG_SQ_U_ADD,
  NG_SQ_U_MOVE,
  NG_SQ_U_COPY
} NgSqUpdateKind;

/* Which graphs an operation names: GRAPH <iri>, DEFAULT, NAMED, ALL. */
typedef enum { NG_SQ_G_IRI, NG_SQ_G_DEFAULT, NG_SQ_G_NAMED, NG_SQ_G_ALL } NgSqGraphRef;

typedef struct {
  NgSqUpdateKind kind;
  bool silent;
  size_t ndelete, ninsert; /* DATA blocks and MODIFY templates */
  NgSqQuad *del, *ins;
  const char *with; /* WITH <iri> (NULL: none) */
  size_t nusing, nusing_named;
  const char **using, **using_named;
  NgSqSelect *where;      /* MODIFY */
  NgSqGraphRef ref, ref2; /* CLEAR/DROP/CREATE: ref; ADD/MOVE/COPY: from ref to ref2 */
  const char *iri, *iri2; /* their IRIs when NG_SQ_G_IRI; LOAD: source and INTO graph */
  unsigned long line, col;
} NgSqUpdateOp;

/* ------------------------------------------------------------------ query */

typedef struct {
  NgArena arena;
  NgSqForm form;
  NgSqSelect *select; /* SELECT, ASK, CONSTRUCT, DESCRIBE: the pattern and modifiers */
  size_t nfrom, nfrom_named;
  const char **from, **from_named;
  size_t ntemplate; /* CONSTRUCT */
  NgSqTriple *templ;
  size_t ndescribe; /* DESCRIBE (0 with star) */
  NgSqTerm *describe;
  size_t nops; /* UPDATE */
  NgSqUpdateOp *ops;
  size_t nvars;           /* every variable of every scope, hidden ones too */
  const char **var_names; /* "" for hidden ones; "_:x" for a pattern's blank nodes */
  size_t nexists;         /* EXISTS patterns (for the evaluator's caches) */
  const char *base;       /* the base IRI in force at the end of the prologue */
  bool has_service;
  unsigned long service_line, service_col;
} NgSqQuery;

/* Parses a query (update false) or an update request.  The project's
 * prefixes are predeclared (a PREFIX of the text overrides them); base is
 * the base IRI (NULL: none).  Errors are reported through world as
 * origin:LINE:COL at the offending token; NULL and *status then. */
NgSqQuery *ng_sq_parse(NgWorld *world, const char *text, size_t len, const char *origin,
                       const char *base, bool update, NgStatus *status);
void ng_sq_query_free(NgSqQuery *query);

/* ============================================================ execution */

#include "quadstore.h"

/* A value as expressions see it (sparql-expr.c). */
typedef enum {
  NG_SQ_V_ERR, /* a type error: not a value */
  NG_SQ_V_IRI,
  NG_SQ_V_BLANK,
  NG_SQ_V_STR,  /* simple literal (xsd:string) */
  NG_SQ_V_LANG, /* language-tagged string */
  NG_SQ_V_BOOL,
  NG_SQ_V_INT,
  NG_SQ_V_DEC,
  NG_SQ_V_FLT,
  NG_SQ_V_DBL,
  NG_SQ_V_DATETIME,
  NG_SQ_V_DATE,
  NG_SQ_V_OTHER /* a literal of another datatype, or ill-formed for its own */
} NgSqVKind;

typedef struct {
  NgSqVKind kind;
  NgSqId id;       /* its id when known (0: a computed value) */
  const char *str; /* IRI, blank node label or lexical form, NUL-terminated */
  size_t len;
  const char *lang; /* NG_SQ_V_LANG */
  const char *dt;   /* datatype IRI of a literal (NULL: simple or language-tagged) */
  int64_t i;        /* INT */
  __int128 dec;     /* DEC, scaled by 10^18 */
  double d;         /* FLT, DBL */
  bool b;           /* BOOL */
  int64_t secs;     /* DATETIME, DATE: seconds since 1970 in UTC (local time when no zone) */
  int32_t nanos;
  int16_t tz; /* zone offset in minutes */
  bool has_tz;
  NgTermScratch scratch;
} NgSqValue;

/* Memory for values computed while one expression is evaluated: marked
 * before, released after, so that a long query does not grow. */
typedef struct {
  char **chunks;
  size_t n, cap, used;
} NgSqTmp;

typedef struct {
  size_t n, used;
} NgSqMark;

void *ng_sq_tmp_alloc(NgSqTmp *tmp, size_t size);
NgSqMark ng_sq_tmp_mark(const NgSqTmp *tmp);
void ng_sq_tmp_release(NgSqTmp *tmp, NgSqMark mark);
void ng_sq_tmp_free(NgSqTmp *tmp);

/* Where triple patterns are matched: the default graph, or one named graph. */
typedef struct {
  enum { NG_SQ_G_UNION, NG_SQ_G_LIST, NG_SQ_G_ONE, NG_SQ_G_VAR, NG_SQ_G_NOTHING } kind;
  NgSqId g;     /* ONE */
  uint32_t var; /* VAR: the GRAPH variable, bound by the scans */
} NgSqGraphCtx;

typedef struct NgSqExec NgSqExec;
struct NgSqExec {
  NgWorld *world;
  NgQsTxn *txn;
  NgSqQuery *q;
  size_t nvars;
  const char *origin;
  /* the terms the query made that the store does not hold */
  NgArena local_arena;
  NgTerm *local;
  size_t nlocal, cap_local;
  NgMap *local_map;
  NgSqTmp tmp;
  /* the dataset */
  bool default_union;     /* the default graph is the union of all graphs */
  NgSqId *default_graphs; /* else these (ids of graphs the store holds) */
  size_t ndefault;
  bool named_all; /* every graph is named */
  NgSqId *named;  /* else these, sorted */
  size_t nnamed;
  /* limits */
  double deadline; /* monotonic seconds, 0: none */
  unsigned ticks;
  NgStatus stop; /* sticky: interrupted or timed out */
  /* per query constants */
  int64_t now_secs;
  int32_t now_nanos;
  uint64_t rand_state;
  uint64_t bnode_counter;
  uint64_t bnode_base;      /* distinguishes the blank nodes of this run */
  int subst;                /* > 0 inside EXISTS: substitution semantics */
  uint64_t solution_seq;    /* counts solutions extended: BNODE(str) is one per solution */
  bool path_from_var;       /* the start of a zero-length path is a variable's value */
  const NgSqGraphCtx *gctx; /* the active graph of the expression being evaluated */
  /* rows */
  NgSqId **free_rows;
  size_t nfree_rows, cap_free_rows;
  uint64_t rows_out;
};

/* Values of ids and ids of values (sparql-expr.c). */
NgStatus ng_sq_term_of(NgSqExec *x, NgSqId id, NgTerm *term, NgTermScratch *scratch);
NgStatus ng_sq_value_of(NgSqExec *x, NgSqId id, NgSqValue *v);
NgStatus ng_sq_id_of_term(NgSqExec *x, const NgTerm *term, NgSqId *id);
NgStatus ng_sq_id_of_value(NgSqExec *x, NgSqValue *v, NgSqId *id);
/* Evaluates e over row: *v is NG_SQ_V_ERR for an expression error; the
 * status is for what stops the query (memory, interruption). */
NgStatus ng_sq_eval(NgSqExec *x, const NgSqExpr *e, const NgSqId *row, NgSqValue *v);
/* Effective boolean value: false with *error for a type error. */
bool ng_sq_ebv(const NgSqValue *v, bool *error);
/* The order of ORDER BY between two ids (unbound first). */
int ng_sq_order_cmp(NgSqExec *x, NgSqId a, NgSqId b);
/* A fresh blank node id. */
NgStatus ng_sq_new_bnode(NgSqExec *x, NgSqId *id);
/* The seconds of the monotonic clock. */
double ng_sq_clock(void);
/* Frees the compiled regular expression an expression keeps (not its arguments'). */
void ng_sq_expr_free_cache(NgSqExpr *e);
/* Makes v->str the lexical form of a literal (computed numbers have none yet). */
NgStatus ng_sq_lexical(NgSqExec *x, NgSqValue *v);
void ng_sq_arith_add(const NgSqValue *a, const NgSqValue *b, NgSqValue *out);
void ng_sq_arith_div(const NgSqValue *a, const NgSqValue *b, NgSqValue *out);

/* EXISTS: does pattern have a solution compatible with row (sparql-eval.c)? */
NgStatus ng_sq_exists(NgSqExec *x, const NgSqNode *pattern, const NgSqId *row, bool *found);

/* Called for each solution; NG_END stops the evaluation early (not an error). */
typedef NgStatus (*NgSqRowFn)(NgSqExec *x, const NgSqId *row, void *ctx);

/* Runs q's pattern and modifiers (projection, DISTINCT, ORDER BY, slices,
 * aggregates) and calls fn with each solution (sparql-eval.c). */
NgStatus ng_sq_exec_init(NgSqExec *x, NgWorld *world, NgQsTxn *txn, NgSqQuery *q,
                         const NgQueryOptions *options, const char *origin);
void ng_sq_exec_done(NgSqExec *x);
NgStatus ng_sq_run_select(NgSqExec *x, NgSqSelect *s, NgSqRowFn fn, void *ctx);
/* The variables a SELECT's solutions carry (projection order). */
size_t ng_sq_select_vars(const NgSqSelect *s, const uint32_t **vars);

/* Parses and runs a query in a transaction of the store, writing the
 * answer to out (sparql-run.c). */
NgStatus ng_sq_query_txn(NgWorld *world, NgQsTxn *txn, const char *text, const char *origin,
                         const NgQueryOptions *options, NgResultsFormat format, FILE *out);
/* The same with CONSTRUCT and DESCRIBE answers in syntax. */
NgStatus ng_sq_query_txn_as(NgWorld *world, NgQsTxn *txn, const char *text, const char *origin,
                            const NgQueryOptions *options, NgResultsFormat format, NgSyntax syntax,
                            FILE *out);

/* ----------------------------------------------------------- var sets */

static inline bool ng_sq_vs_has(const NgSqVarSet *s, uint32_t v) {
  return s->bits && (s->bits[v >> 6] >> (v & 63)) & 1u;
}
static inline void ng_sq_vs_add(NgSqVarSet *s, uint32_t v) { s->bits[v >> 6] |= 1ull << (v & 63); }

#endif /* NG_SPARQL_ENGINE_H */
