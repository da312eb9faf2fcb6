/* redland-module.c - the store as a Redland storage module: installed as
 * LIBDIR/redland/librdf_storage_newsgraph.so, where Redland (built
 * modular, as Debian's is) looks for storages when a world opens, so that
 * any Redland program opens a newsgraph store by name:
 *
 *   rdfproc -s newsgraph -t "write='no'" DIR size
 *
 * (REDLAND_MODULE_PATH names another directory to look in.)  The storage
 * itself is query/rdfstorage.c, in libnewsgraph. */
#include "newsgraph.h"

#include <redland.h>

/* Redland's name for a module's entry point. */
__attribute__((visibility("default"))) void librdf_storage_module_register_factory(librdf_world *world);

void librdf_storage_module_register_factory(librdf_world *world) { ng_redland_register(world); }
