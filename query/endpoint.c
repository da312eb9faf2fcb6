/* endpoint.c - (to be written) */
#include "query.h"
