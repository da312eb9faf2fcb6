/* writer.c - (stub, to be written by the query helper) */
#include "internal.h"
NgSyntax ng_syntax_from_name(const char *name, bool *ok) { *ok = false; return NG_SYNTAX_NTRIPLES; }
NgWriter *ng_writer_new(FILE *out, NgSyntax syntax) { return NULL; }
void ng_writer_free(NgWriter *writer) {}
NgStatus ng_writer_write_graph(NgWriter *writer, const NgGraph *graph) { return NG_FAILURE; }
NgStatus ng_writer_write_triple(NgWriter *writer, const NgTriple *t, const char *graph_iri) { return NG_FAILURE; }
NgStatus ng_writer_finish(NgWriter *writer) { return NG_FAILURE; }
