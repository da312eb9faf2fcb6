/* rdf-module.c - newsgraph-rdf.so, the module base/lazy.c opens on the first
 * call of a function of Redland, Raptor, Rasqal, libcurl, libxml2 or
 * libmicrohttpd: it has no code of its own, only the six libraries as its
 * dependencies.  The table below names one function of each, so that no
 * linker drops one as unneeded. */
#include <curl/curl.h>
#include <libxml/parser.h>
#include <microhttpd.h>
#include <raptor2.h>
#include <rasqal.h>
#include <redland.h>

__attribute__((visibility("default"))) void (*const ng_rdf_module_needs[])(void) = {
    (void (*)(void))librdf_new_world, (void (*)(void))raptor_free_world,
    (void (*)(void))rasqal_new_world, (void (*)(void))curl_easy_init,
    (void (*)(void))xmlInitParser,    (void (*)(void))MHD_start_daemon};
