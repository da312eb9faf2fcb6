/* tsv.c - (stub) */
#include "internal.h"
void ng_tsv_write_header(FILE *out) {}
NgStatus ng_document_write_tsv(const NgDocument *doc, FILE *out) { return NG_FAILURE; }
void ng_timex_write_header(FILE *out) {}
NgStatus ng_document_write_timex(const NgDocument *doc, FILE *out) { return NG_FAILURE; }
