/* rdfmap.c - (stub) */
#include "internal.h"
NgGraph *ng_document_to_graph(const NgDocument *doc, NgStatus *status) { *status = NG_FAILURE; return NULL; }
char *ng_article_iri_new(const char *key) { return NULL; }
