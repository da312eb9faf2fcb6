/* world.c - the library context, status strings and diagnostics. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.0.0"
#endif

#define DEFAULT_MAX_ARTICLE_SIZE ((size_t)16 << 20)

const char *ng_version(void) { return PACKAGE_VERSION; }

const char *ng_strerror(NgStatus status) {
  switch (status) {
  case NG_SUCCESS: return "success";
  case NG_END: return "end of input";
  case NG_FAILURE: return "failure";
  case NG_ERR_NOMEM: return "out of memory";
  case NG_ERR_IO: return "input/output error";
  case NG_ERR_SYNTAX: return "malformed input";
  case NG_ERR_ENCODING: return "invalid encoding";
  case NG_ERR_TOO_LARGE: return "input too large";
  case NG_ERR_BAD_ARG: return "invalid argument";
  case NG_ERR_STORE: return "graph store error";
  case NG_ERR_LOCKED: return "store is locked";
  case NG_ERR_QUERY: return "query failed";
  case NG_ERR_NETWORK: return "network error";
  case NG_ERR_INTERRUPTED: return "interrupted";
  }
  return "unknown status";
}

/* The default sink: "newsgraph: error: FILE:LINE:COL: message". */
static void print_error(void *handle, const NgError *e) {
  FILE *out = handle ? (FILE *)handle : stderr;
  const char *level = e->level == NG_LEVEL_ERROR     ? "error"
                      : e->level == NG_LEVEL_WARNING ? "warning"
                                                     : "note";
  fprintf(out, "newsgraph: %s: ", level);
  if (e->file) {
    fputs(e->file, out);
    if (e->line) fprintf(out, ":%lu", e->line);
    if (e->line && e->col) fprintf(out, ":%lu", e->col);
    fputs(": ", out);
  }
  fprintf(out, "%s\n", e->message);
}

NgWorld *ng_world_new(void) {
  NgWorld *world = calloc(1, sizeof *world);
  if (!world) return NULL;
  world->sink = print_error;
  world->max_article_size = DEFAULT_MAX_ARTICLE_SIZE;
  return world;
}

void ng_world_free(NgWorld *world) {
  if (!world) return;
  if (world->rdf_world && world->rdf_world_free) world->rdf_world_free(world->rdf_world);
  free(world);
}

void ng_world_set_error_sink(NgWorld *world, NgErrorSink sink, void *handle) {
  world->sink = sink ? sink : print_error;
  world->sink_handle = sink ? handle : NULL;
}

unsigned long ng_world_error_count(const NgWorld *world) { return world->errors; }

void ng_world_set_max_article_size(NgWorld *world, size_t bytes) {
  world->max_article_size = bytes ? bytes : DEFAULT_MAX_ARTICLE_SIZE;
}

size_t ng_world_get_max_article_size(const NgWorld *world) {
  return world->max_article_size;
}

void ng_world_set_allow_service(NgWorld *world, bool allow) { world->allow_service = allow; }

void ng_world_set_network_timeout(NgWorld *world, double seconds) {
  world->net_timeout = seconds > 0 ? seconds : 0;
}

void ng_world_set_table_width(NgWorld *world, size_t columns) { world->table_width = columns; }

void ng_world_request_stop(NgWorld *world) { world->stop = 1; }
bool ng_world_stop_requested(const NgWorld *world) { return world->stop != 0; }

void ng_vreport(NgWorld *world, NgStatus status, NgLevel level, const char *file,
                unsigned long line, unsigned long col, const char *fmt, va_list ap) {
  char message[1024];
  vsnprintf(message, sizeof message, fmt, ap);
  /* Diagnostics are one line: a newline from quoted input would break that. */
  for (char *p = message; *p; ++p)
    if (*p == '\n' || *p == '\r') *p = ' ';
  NgError e = {status, level, file, line, col, message};
  if (level == NG_LEVEL_ERROR) world->errors++;
  else if (level == NG_LEVEL_WARNING) world->warnings++;
  world->sink(world->sink_handle, &e);
}

void ng_report(NgWorld *world, NgStatus status, NgLevel level, const char *file,
               unsigned long line, unsigned long col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ng_vreport(world, status, level, file, line, col, fmt, ap);
  va_end(ap);
}
