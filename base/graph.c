/* graph.c - (stub, to be written by the query helper) */
#include "internal.h"
NgGraph *ng_graph_new(const char *name_iri) { (void)name_iri; return NULL; }
void ng_graph_free(NgGraph *graph) { (void)graph; }
const char *ng_graph_get_name(const NgGraph *graph) { (void)graph; return NULL; }
NgStatus ng_graph_add(NgGraph *graph, const NgTerm *s, const NgTerm *p, const NgTerm *o) { return NG_FAILURE; }
size_t ng_graph_size(const NgGraph *graph) { return 0; }
const NgTriple *ng_graph_get(const NgGraph *graph, size_t i) { return NULL; }
