/* stats.c - what the store holds: the counters of the live generation
 * (kept by the checkpoints, so O(1)), the actors counted now, and the size
 * on disk. */
#include "query.h"
#include "iri.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long long dir_bytes(const char *path) {
  DIR *d = opendir(path);
  if (!d) return 0;
  unsigned long long total = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    struct stat sb;
    if (fstatat(dirfd(d), e->d_name, &sb, 0) == 0 && S_ISREG(sb.st_mode))
      total += (unsigned long long)sb.st_size;
  }
  closedir(d);
  return total;
}

static unsigned long long store_bytes(const NgStore *store) {
  if (!store->exists) return 0;
  unsigned long long total = 0;
  if (store->generation) {
    char *gen = ng_store_gen_path(store, store->generation, NULL);
    if (gen) total += dir_bytes(gen);
    free(gen);
  }
  char *journal = ng_store_path(store, "journal");
  struct stat sb;
  if (journal && stat(journal, &sb) == 0) total += (unsigned long long)sb.st_size;
  free(journal);
  return total;
}

/* Distinct subjects of "?x rdf:type ng:Actor": the index yields one per
 * graph that says so, hence the set. */
static NgStatus count_actors(NgStore *store, librdf_model *model, unsigned long *actors) {
  librdf_world *world = ng_rdf_world(store->rdf);
  librdf_node *type =
      librdf_new_node_from_uri_string(world, (const unsigned char *)NG_NS_RDF "type");
  librdf_node *actor =
      librdf_new_node_from_uri_string(world, (const unsigned char *)NG_NS_ONTO "Actor");
  librdf_iterator *it = type && actor ? librdf_model_get_sources(model, type, actor) : NULL;
  NgStatus st = it ? NG_SUCCESS : NG_ERR_STORE;
  NgFpSet seen = {NULL, 0, 0};
  for (; it && !st && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *node = librdf_iterator_get_object(it);
    if (node) st = ng_fpset_add(&seen, ng_node_fingerprint(node), NULL);
  }
  *actors = (unsigned long)seen.size;
  ng_fpset_free(&seen);
  if (it) librdf_free_iterator(it);
  if (type) librdf_free_node(type);
  if (actor) librdf_free_node(actor);
  return st;
}

NgStatus ng_store_stats(NgStore *store, NgStoreStats *stats) {
  memset(stats, 0, sizeof *stats);
  librdf_model *model = ng_store_model(store);
  if (!model) return NG_ERR_STORE;
  const NgMeta *m = &store->meta;
  stats->articles = (unsigned long)m->articles;
  stats->graphs = (unsigned long)m->graphs;
  stats->events = (unsigned long)m->events;
  stats->quads = (unsigned long)m->quads;
  stats->triples = (unsigned long)m->triples;
  stats->bytes = store_bytes(store);
  return count_actors(store, model, &stats->actors);
}
