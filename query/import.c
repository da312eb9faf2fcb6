/* import.c - (stub) */
#include "query.h"
NgStatus ng_store_import(NgStore *store, const char *path, NgSyntax syntax, const char *graph_iri) { return NG_FAILURE; }
