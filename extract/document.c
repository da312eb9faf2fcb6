/* document.c - (stub) */
#include "internal.h"
NgExtractor *ng_extractor_new(NgWorld *world, const char *extra_dir, NgStatus *status) { *status = NG_FAILURE; return NULL; }
void ng_extractor_free(NgExtractor *extractor) {}
NgDocument *ng_extract(const NgExtractor *extractor, const NgArticle *article, const char *default_date, NgStatus *status) { *status = NG_FAILURE; return NULL; }
void ng_document_free(NgDocument *doc) {}
const char *ng_document_get_id(const NgDocument *doc) { return ""; }
const char *ng_document_get_title(const NgDocument *doc) { return ""; }
const char *ng_document_get_url(const NgDocument *doc) { return ""; }
const char *ng_document_get_date(const NgDocument *doc) { return ""; }
const char *ng_document_get_date_source(const NgDocument *doc) { return ""; }
const char *ng_document_get_key(const NgDocument *doc) { return ""; }
size_t ng_document_sentence_count(const NgDocument *doc) { return 0; }
size_t ng_document_event_count(const NgDocument *doc) { return 0; }
const NgEvent *ng_document_get_event(const NgDocument *doc, size_t i) { return NULL; }
size_t ng_document_timex_count(const NgDocument *doc) { return 0; }
const NgTimex *ng_document_get_timex(const NgDocument *doc, size_t i) { return NULL; }
