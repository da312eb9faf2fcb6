# query-env.sh - sourced by the query-*.sh tests after common.sh.
#
# Defects of Debian's libraries show under AddressSanitizer (and are
# harmless otherwise); they are silenced narrowly, by the library function
# that allocates, so that our own errors still fail the tests:
#  - Raptor 2.0.15's N-Triples/N-Quads parser leaks the datatype URI of
#    typed literals (raptor_ntriples_parse_term), and with it keeps world
#    concept URIs alive (raptor_concepts_init); matching those frames needs
#    the slow unwinder, as Raptor has no frame pointers;
#  - Rasqal 0.9.33 leaks the DISTINCT row source of every SELECT DISTINCT
#    (roqet too), the graph pattern of a query it fails to parse, and
#    Redland's bridge leaks a term per triple pattern it matches;
#  - Redland 1.0.17's Berkeley DB cursor compares the previous key with the
#    next one over the next one's length (rdf_hash_bdb.c, NEXT_VALUE): a
#    memcmp past a shorter buffer, which non-strict memcmp checking accepts
#    because encoded keys differ in their length bytes first.
printf '%s\n' leak:raptor_concepts_init leak:raptor_ntriples_parse_term \
  leak:rasqal_new_triples_match leak:rasqal_new_basic_graph_pattern \
  leak:rasqal_new_distinct_rowsource > "$TMP/lsan.supp"
LSAN_OPTIONS="suppressions=$TMP/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
ASAN_OPTIONS="fast_unwind_on_malloc=0:strict_memcmp=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS ASAN_OPTIONS
