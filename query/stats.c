/* stats.c - (stub) */
#include "query.h"
NgStatus ng_store_stats(NgStore *store, NgStoreStats *stats) { return NG_FAILURE; }
