/* stats.c - what the store holds, from counters the store keeps in the
 * same transactions as the quads (quadstore.c): O(1) whatever its size. */
#include "query.h"
#include "iri.h"

#include <string.h>

/* Distinct instances of a class (0 when the store never saw the class). */
static NgStatus instances(NgQsTxn *txn, const char *class_iri, unsigned long *count) {
  NgTerm t = {NG_TERM_IRI, class_iri, NULL, NULL};
  NgId id;
  uint64_t n = 0;
  NgStatus st = ng_qs_lookup(txn, &t, &id);
  if (st == NG_END) st = NG_SUCCESS, id = 0;
  if (!st && id) st = ng_qs_class_size(txn, id, &n);
  *count = (unsigned long)n;
  return st;
}

NgStatus ng_store_stats(NgStore *store, NgStoreStats *stats) {
  memset(stats, 0, sizeof *stats);
  NgStatus st;
  NgQsTxn *txn = ng_store_read(store, &st);
  if (!txn) return st == NG_END ? NG_SUCCESS : st; /* no store: all zero */
  NgQsStats s;
  st = ng_qs_stats(txn, &s);
  if (!st) {
    stats->quads = (unsigned long)s.quads;
    stats->triples = (unsigned long)s.triples;
    stats->graphs = (unsigned long)s.graphs;
    stats->bytes = s.bytes;
    st = instances(txn, NG_NS_ONTO "Article", &stats->articles);
  }
  if (!st) st = instances(txn, NG_NS_ONTO "Event", &stats->events);
  if (!st) st = instances(txn, NG_NS_ONTO "Actor", &stats->actors);
  ng_qs_txn_abort(txn);
  return st;
}
