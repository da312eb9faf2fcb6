/* quadstore.h - the quad store under the graph: RDF terms dictionary-encoded
 * to 64-bit ids, quads in sorted indexes, on LMDB (query/quadstore.c).
 *
 * This is the contract between the storage (quadstore.c) and its users:
 * the SPARQL engine (query/sparql-*.c), import, export, stats, the librdf
 * storage factory.  Nothing outside query/ includes it.
 *
 * Transactions.  Everything happens in a transaction.  A read transaction is
 * a snapshot of the last commit: it never waits for a writer and never sees
 * half of one.  There is one write transaction at a time across all
 * processes (LMDB's writer lock); ng_qs_txn_commit makes all of it durable
 * at once, or none of it.  A transaction belongs to the thread that began it.
 *
 * Ids.  Every RDF term has one NgId, and two terms have the same id exactly
 * when they are the same RDF term (SPARQL sameTerm): "01"^^xsd:integer and
 * "1"^^xsd:integer are different terms and have different ids.  Id 0 is no
 * term: in a pattern it matches anything.  Some terms are inlined in their id
 * (no dictionary lookup to encode or decode them): the low-level encoding is
 * private to quadstore.c, but ng_qs_id_kind() and the ng_qs_id_* accessors
 * let the engine read inline values (numbers, dates, booleans) without
 * decoding to text.  Ids of dictionary terms are never reused while the
 * store lives; an id met in one transaction means the same term in every
 * later one.
 *
 * Graphs.  Every quad has a graph (g != 0): the store holds only named
 * graphs.  "The default graph" is a notion of the query engine (by default
 * the union of all named graphs, distinct triples), not of the store.
 */
#ifndef NG_QUADSTORE_H
#define NG_QUADSTORE_H

#include "internal.h"

typedef uint64_t NgId;

typedef struct NgQuadStore NgQuadStore;
typedef struct NgQsTxn NgQsTxn;
typedef struct NgQsScan NgQsScan;

/* Positions in a quad, and in every NgId[4] of this API. */
enum { NG_QS_S = 0, NG_QS_P = 1, NG_QS_O = 2, NG_QS_G = 3 };

/* ------------------------------------------------------------------ store */

/* Opens the store in directory dir (creating it when create is true).
 * Errors are reported through world, naming the file.  A store that is not
 * there gives NULL and NG_ERR_IO ("no store at DIR") unless create; one
 * whose writer is creating it right now (no commit yet) gives NULL and
 * NG_END, unreported.  A process may open a store several times: the
 * handles share one LMDB environment. */
NgQuadStore *ng_qs_open(NgWorld *world, const char *dir, bool create, NgStatus *status);
void ng_qs_free(NgQuadStore *qs); /* NULL ok; aborts nothing: end transactions first */

/* ----------------------------------------------------------- transactions */

NgQsTxn *ng_qs_txn_begin(NgQuadStore *qs, bool write, NgStatus *status);
/* Makes a write transaction's changes durable and visible; ends (and frees)
 * the transaction whatever the outcome.  On a read transaction: ends it. */
NgStatus ng_qs_txn_commit(NgQsTxn *txn);
/* Ends the transaction, dropping its changes.  NULL ok. */
void ng_qs_txn_abort(NgQsTxn *txn);
bool ng_qs_txn_is_write(const NgQsTxn *txn);

/* ------------------------------------------------------------------ terms */

/* The id of a term already in the store (or inlinable): NG_SUCCESS, or
 * NG_END when the store has never seen the term (then no quad holds it).
 * Checked as ng_qs_intern checks. */
NgStatus ng_qs_lookup(NgQsTxn *txn, const NgTerm *term, NgId *id);
/* The id of a term, adding it to the dictionary if new (write only).
 * Terms of any length are taken; NG_ERR_TOO_LARGE only past the store's
 * documented limit (NG_QS_TERM_MAX bytes of text), before anything is
 * written, and not reported (the caller knows where the term came from).
 * Terms are checked: NG_ERR_BAD_ARG for an empty IRI or blank node label
 * or a malformed language tag, NG_ERR_ENCODING for text that is not
 * UTF-8 (both unreported too); language tags are kept in lower case. */
#define NG_QS_TERM_MAX NG_STORE_MAX_TERM
NgStatus ng_qs_intern(NgQsTxn *txn, const NgTerm *term, NgId *id);
/* The same for a term of an NgGraph, whose text ng_graph_add checked as
 * UTF-8 when it went in: it is not checked again (the rest is). */
NgStatus ng_qs_intern_checked(NgQsTxn *txn, const NgTerm *term, NgId *id);

/* Room for the text of decoded terms: inline terms are rendered into it,
 * dictionary terms point into the store's memory map.  Either way the
 * strings of *term stay valid until the transaction ends or the scratch is
 * reused or freed, whichever comes first. */
typedef struct {
  char buf[96];
} NgTermScratch;

/* The term of an id (NG_ERR_BAD_ARG for an id the store does not know). */
NgStatus ng_qs_term(NgQsTxn *txn, NgId id, NgTerm *term, NgTermScratch *scratch);

typedef enum {
  NG_QS_KIND_NONE = 0, /* id 0 */
  NG_QS_KIND_IRI,
  NG_QS_KIND_BLANK,
  NG_QS_KIND_LITERAL, /* any literal that is none of the inline kinds below */
  NG_QS_KIND_INTEGER, /* inline xsd:integer in canonical form */
  NG_QS_KIND_BOOLEAN, /* inline xsd:boolean in canonical form */
  NG_QS_KIND_DATE,    /* inline xsd:date in canonical form, no time zone */
  NG_QS_KIND_STRING   /* inline short plain literal (xsd:string) */
} NgQsKind;

/* The kind of term an id stands for, from the id alone. */
NgQsKind ng_qs_id_kind(NgId id);
/* Ids the store never gives out: the query engine numbers with them the
 * terms a query makes that the store does not hold (computed values,
 * constants of the query text), so that one term still has one id during a
 * query.  ng_qs_id_kind gives NG_QS_KIND_NONE for them; n < 2^60. */
#define NG_QS_LOCAL_ID(n) ((((NgId)(n)) << 4) | (NgId)15)
#define NG_QS_IS_LOCAL_ID(id) (((id) & (NgId)15) == (NgId)15)
#define NG_QS_LOCAL_INDEX(id) ((id) >> 4)

/* Inline values, from the id alone (false when the id is not that kind). */
bool ng_qs_id_integer(NgId id, int64_t *value);
bool ng_qs_id_boolean(NgId id, bool *value);
bool ng_qs_id_date(NgId id, long *days_since_1970);

/* ------------------------------------------------------------------ quads */

/* Adds a quad (write only; g != 0 and s, p, o != 0).  *added (may be NULL)
 * tells whether it was new. */
NgStatus ng_qs_insert(NgQsTxn *txn, const NgId quad[4], bool *added);
/* Removes a quad (write only).  *removed (may be NULL): whether it was there. */
NgStatus ng_qs_remove(NgQsTxn *txn, const NgId quad[4], bool *removed);
/* Removes every quad of graph g (write only); *count (may be NULL): how many. */
NgStatus ng_qs_clear_graph(NgQsTxn *txn, NgId g, uint64_t *count);

/* Flags of a scan. */
enum {
  /* Order the matches so that quads with the same s, p, o are adjacent (an
   * index with the graph last): the engine skips the repeats to read the
   * union of graphs as a set of triples. */
  NG_QS_GRAPH_LAST = 1 << 0,
  /* In a write transaction: do not write the transaction's waiting changes
   * into the indexes first.  The scan then sees some, all or none of the
   * changes made since the transaction began (those written out before it
   * for other reasons): for a writer that knows its own changes, and would
   * otherwise write them out at every look (a flush per look). */
  NG_QS_NO_FLUSH = 1 << 1
};

/* The quads matching pattern (0 = any, in each of the four positions), from
 * the index whose prefix covers the most bound positions.  NULL and *status
 * on failure.  The scan lives within its transaction.  In a write
 * transaction it sees the changes made before it was made.  Changes made
 * while scans are open may disturb them: collect, then change (as a SPARQL
 * update does). */
NgQsScan *ng_qs_scan_new(NgQsTxn *txn, const NgId pattern[4], unsigned flags, NgStatus *status);
/* The next match into quad[4] (s, p, o, g): NG_SUCCESS, or NG_END. */
NgStatus ng_qs_scan_next(NgQsScan *scan, NgId quad[4]);
/* The order in which the scan returns its matches: positions (NG_QS_*) from
 * the most significant; the bound positions come first. */
void ng_qs_scan_order(const NgQsScan *scan, int order[4]);
/* Moves the scan to the first match >= key in the scan's order (a merge
 * join's leapfrog); key holds values for the unbound positions. */
NgStatus ng_qs_scan_seek(NgQsScan *scan, const NgId key[4]);
void ng_qs_scan_free(NgQsScan *scan); /* NULL ok */

/* How many quads match pattern: exact where the store keeps the count (the
 * whole store, one predicate, one graph, one predicate in one graph),
 * otherwise an estimate from the index pages.  For the planner. */
NgStatus ng_qs_estimate(NgQsTxn *txn, const NgId pattern[4], uint64_t *count, bool *exact);

/* ----------------------------------------------------- graph fingerprints */

/* A writer's fingerprint of what it wrote into graph g (import: a hash of
 * the file's statements for g, made as it wrote them), kept while g stays
 * as it was: a later change of g's quads, by anyone, in this transaction
 * after the fingerprint was set or in any later one, drops it.  So a
 * fingerprint found means "these statements are all in g"; a writer that
 * would write the same statements again may skip them.  Set: write only,
 * kept at commit. */
#define NG_QS_FINGERPRINT_SIZE 32
NgStatus ng_qs_graph_fingerprint(NgQsTxn *txn, NgId g, unsigned char fp[NG_QS_FINGERPRINT_SIZE],
                                 bool *found);
NgStatus ng_qs_set_graph_fingerprint(NgQsTxn *txn, NgId g,
                                     const unsigned char fp[NG_QS_FINGERPRINT_SIZE]);

/* ------------------------------------------------------------------ stats */

/* Counters kept in the same transactions as the quads they count. */
typedef struct {
  uint64_t quads;    /* quads in all graphs */
  uint64_t triples;  /* distinct (s, p, o) over all graphs */
  uint64_t graphs;   /* graphs holding at least one quad */
  uint64_t terms;    /* terms in the dictionary */
  uint64_t bytes;    /* size of the store's files on disk */
} NgQsStats;

NgStatus ng_qs_stats(NgQsTxn *txn, NgQsStats *stats);

/* Per predicate, exact: its quads, and the distinct subjects and objects
 * it has over all graphs (quads / subjects: matches of (s p ?o) for a
 * bound s, on average). */
typedef struct {
  uint64_t quads, subjects, objects;
} NgQsPredicateStats;

NgStatus ng_qs_predicate_stats(NgQsTxn *txn, NgId p, NgQsPredicateStats *stats);

/* Instances of a class: distinct subjects s with (s rdf:type class) in
 * some graph.  Exact, O(1). */
NgStatus ng_qs_class_size(NgQsTxn *txn, NgId class_id, uint64_t *instances);

/* The graphs holding quads, in id order: the first graph whose id is
 * greater than after (0: the first of all), and its quad count; NG_END
 * after the last. */
NgStatus ng_qs_next_graph(NgQsTxn *txn, NgId after, NgId *g, uint64_t *quads);

/* The store's directory and data file, for messages. */
const char *ng_qs_dir(const NgQuadStore *qs);
const char *ng_qs_data_path(const NgQuadStore *qs);

#endif /* NG_QUADSTORE_H */
