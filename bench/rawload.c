/* rawload.c - the floor under newsgraph's load: the same N-Quads straight
 * into a Redland "hashes" store on Berkeley DB with contexts and the same
 * options the store uses (index-predicates), one statement at a time,
 * without journal, checkpoint or counters.  What newsgraph import costs on
 * top of this is what our layer costs.
 *
 *   rawload DIR FILE.nq     prints "quads N" and exits 0 on success
 *
 * Built by `make bench` only (bench/run compiles it with pkg-config). */
#include <redland.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static librdf_storage *open_storage(librdf_world *world, const char *dir) {
  librdf_hash *options = librdf_new_hash(world, NULL);
  librdf_storage *storage = NULL;
  if (options && !librdf_hash_put_strings(options, "hash-type", "bdb") &&
      !librdf_hash_put_strings(options, "dir", dir) &&
      !librdf_hash_put_strings(options, "contexts", "yes") &&
      !librdf_hash_put_strings(options, "index-predicates", "yes") &&
      !librdf_hash_put_strings(options, "write", "yes") &&
      !librdf_hash_put_strings(options, "new", "yes"))
    storage = librdf_new_storage_with_options(world, "hashes", "raw", options);
  if (options) librdf_free_hash(options);
  return storage;
}

/* The quads go in one at a time, each into its own graph, as they are
 * parsed.  Raptor is used directly (librdf's parser stream drops the graph
 * names), in a world of its own as newsgraph does: Raptor 2.0.15's N-Quads
 * parser leaks datatype URIs, which in librdf's world would pin Rasqal's
 * interned ones. */
typedef struct {
  librdf_world *world;
  librdf_model *model;
  long count;
} Load;

static librdf_node *to_node(librdf_world *world, const raptor_term *t) {
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI:
    return librdf_new_node_from_uri_string(world, raptor_uri_as_string(t->value.uri));
  case RAPTOR_TERM_TYPE_BLANK:
    return librdf_new_node_from_blank_identifier(world, t->value.blank.string);
  case RAPTOR_TERM_TYPE_LITERAL: {
    librdf_uri *dt = t->value.literal.datatype
                         ? librdf_new_uri(world, raptor_uri_as_string(t->value.literal.datatype))
                         : NULL;
    librdf_node *node = librdf_new_node_from_typed_literal(
        world, t->value.literal.string, (const char *)t->value.literal.language, dt);
    if (dt) librdf_free_uri(dt);
    return node;
  }
  default: return NULL;
  }
}

static void on_statement(void *data, raptor_statement *rs) {
  Load *load = data;
  if (load->count < 0) return;
  librdf_node *s = to_node(load->world, rs->subject);
  librdf_node *p = to_node(load->world, rs->predicate);
  librdf_node *o = to_node(load->world, rs->object);
  librdf_node *g = rs->graph ? to_node(load->world, rs->graph) : NULL;
  /* the statement takes s, p and o */
  librdf_statement *st = s && p && o ? librdf_new_statement_from_nodes(load->world, s, p, o) : NULL;
  int rc = !st ? 1
           : g ? librdf_model_context_add_statement(load->model, g, st)
               : librdf_model_add_statement(load->model, st);
  if (st) {
    librdf_free_statement(st);
  } else {
    if (s) librdf_free_node(s);
    if (p) librdf_free_node(p);
    if (o) librdf_free_node(o);
  }
  if (g) librdf_free_node(g);
  load->count = rc ? -1 : load->count + 1;
}

static long load_file(librdf_world *world, librdf_model *model, const char *path) {
  Load load = {world, model, 0};
  raptor_world *rw = raptor_new_world();
  raptor_parser *parser = rw && !raptor_world_open(rw) ? raptor_new_parser(rw, "nquads") : NULL;
  unsigned char *uri_string = raptor_uri_filename_to_uri_string(path);
  raptor_uri *base = parser && uri_string ? raptor_new_uri(rw, uri_string) : NULL;
  FILE *f = fopen(path, "rb");
  if (!parser || !base || !f) load.count = -1;
  if (load.count == 0) {
    raptor_parser_set_statement_handler(parser, &load, on_statement);
    if (raptor_parser_parse_file_stream(parser, f, path, base)) load.count = -1;
  }
  if (f) fclose(f);
  if (base) raptor_free_uri(base);
  if (uri_string) raptor_free_memory(uri_string);
  if (parser) raptor_free_parser(parser);
  if (rw) raptor_free_world(rw);
  return load.count;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: rawload DIR FILE.nq\n");
    return 2;
  }
  mkdir(argv[1], 0755);
  librdf_world *world = librdf_new_world();
  if (!world) return 1;
  librdf_world_open(world);
  librdf_storage *storage = open_storage(world, argv[1]);
  librdf_model *model = storage ? librdf_new_model(world, storage, NULL) : NULL;
  long count = model ? load_file(world, model, argv[2]) : -1;
  /* as durable as a checkpoint: flushed to the files before exit */
  if (model && librdf_model_sync(model)) count = -1;
  if (model) librdf_free_model(model);
  if (storage) librdf_free_storage(storage);
  librdf_free_world(world);
  if (count < 0) {
    fprintf(stderr, "rawload: loading %s into %s failed\n", argv[2], argv[1]);
    return 1;
  }
  printf("quads %ld\n", count);
  return 0;
}
