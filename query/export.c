/* export.c - (stub) */
#include "query.h"
NgStatus ng_store_export(NgStore *store, NgSyntax syntax, const char *graph_iri, FILE *out) { return NG_FAILURE; }
