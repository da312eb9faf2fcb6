/* prefixes.c - (stub) */
#include "internal.h"
const NgPrefix *ng_prefixes(void) { static const NgPrefix none[] = {{NULL, NULL}}; return none; }
