/* sanitizer-hooks.c - linked into newsgraph and the tests when configured
 * with --enable-asan: default options and leak suppressions for defects of
 * Debian's RDF libraries that show under AddressSanitizer (and are harmless
 * otherwise).  They are silenced narrowly, by the library function that
 * allocates, so that our own errors still fail:
 *  - Raptor 2.0.15's N-Triples/N-Quads parser leaks the datatype URI of
 *    typed literals (raptor_ntriples_parse_term), and with it keeps world
 *    concept URIs alive (raptor_concepts_init); matching those frames needs
 *    the slow unwinder, as Raptor is built without frame pointers;
 *  - Rasqal 0.9.33 leaks the DISTINCT row source of every SELECT DISTINCT
 *    (roqet too), the graph pattern of a query it fails to parse, and
 *    Redland's bridge leaks a term per triple pattern it matches;
 *  - Redland 1.0.17's Berkeley DB cursor compares the previous key with the
 *    next one over the next one's length (rdf_hash_bdb.c, NEXT_VALUE): a
 *    memcmp past a shorter buffer, accepted by non-strict memcmp checking
 *    because encoded keys differ in their length bytes first.
 * The environment (ASAN_OPTIONS, LSAN_OPTIONS) still adds to these. */

#define NG_SANITIZER_HOOK __attribute__((visibility("default"), used))

NG_SANITIZER_HOOK const char *__asan_default_options(void);
NG_SANITIZER_HOOK const char *__lsan_default_suppressions(void);

const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0:strict_memcmp=0"; }

const char *__lsan_default_suppressions(void) {
  return "leak:raptor_concepts_init\n"
         "leak:raptor_ntriples_parse_term\n"
         "leak:rasqal_new_triples_match\n"
         "leak:rasqal_new_basic_graph_pattern\n"
         "leak:rasqal_new_distinct_rowsource\n";
}
