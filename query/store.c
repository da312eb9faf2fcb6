/* store.c - (stub, to be written by the query helper) */
#include "query.h"
const char *ng_store_default_dir(const char *dir) { return dir ? dir : "newsgraph.db"; }
NgStore *ng_store_open(NgWorld *world, const char *dir, NgStoreMode mode, NgStatus *status) { *status = NG_FAILURE; return NULL; }
NgStatus ng_store_close(NgStore *store) { return NG_FAILURE; }
void ng_store_free(NgStore *store) {}
NgStatus ng_store_replace_graph(NgStore *store, const NgGraph *graph) { return NG_FAILURE; }
NgStatus ng_store_add_graph(NgStore *store, const NgGraph *graph) { return NG_FAILURE; }
NgStatus ng_store_sync(NgStore *store) { return NG_FAILURE; }
NgStatus ng_store_checkpoint(NgStore *store) { return NG_FAILURE; }
