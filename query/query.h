/* query.h - private interface of the graph module (store, journal, SPARQL,
 * import/export).  Only query/ includes Redland headers. */
#ifndef NG_QUERY_H
#define NG_QUERY_H

#include "internal.h"

#endif /* NG_QUERY_H */
