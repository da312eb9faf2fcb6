/* sparql.c - (stub) */
#include "query.h"
NgResultsFormat ng_results_format_from_name(const char *name, bool *ok) { *ok = false; return NG_RESULTS_TSV; }
NgStatus ng_store_query(NgStore *store, const char *query, const char *origin, NgResultsFormat format, FILE *out) { return NG_FAILURE; }
