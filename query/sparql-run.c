/* sparql-run.c - the entry points of the SPARQL engine: checking a query's
 * syntax, running a query over the store and writing its answer, running
 * an update. */
#include "query.h"
#include "sparql-engine.h"

#include <string.h>

void ng_query_options_init(NgQueryOptions *options) {
  memset(options, 0, sizeof *options);
  options->engine = NG_ENGINE_NATIVE;
}

NgStatus ng_sparql_check(NgWorld *world, const char *text, const char *origin, const char *base,
                         bool update) {
  NgStatus st;
  NgSqQuery *q = ng_sq_parse(world, text, strlen(text), origin, base, update, &st);
  ng_sq_query_free(q);
  return st;
}
