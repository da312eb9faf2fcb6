#!/bin/sh
# redland-module.sh - a Redland program opens a newsgraph store by the
# storage name "newsgraph" (the module librdf_storage_newsgraph, found in
# REDLAND_MODULE_PATH): rdfproc counts, finds, lists the contexts and runs
# a SPARQL query over a store that newsgraph wrote, and what it adds is
# seen by newsgraph.
. "${top_srcdir:-.}/tests/e2e/common.sh"
command -v rdfproc > /dev/null || skip "rdfproc (redland-utils) is not installed"
MODULES="${top_builddir:-.}/.libs"
[ -e "$MODULES/librdf_storage_newsgraph.so" ] || skip "the module is not built"
S="$TMP/store"
ng extract --store "$S" --quiet "$EXAMPLES"/articles/*
QUADS=$(ng stats --store "$S" | sed -n 's/^quads	//p')
GRAPHS=$(ng stats --store "$S" | sed -n 's/^graphs	//p')
set +e
REDLAND_MODULE_PATH="$MODULES" rdfproc -q -s newsgraph -t "write='no'" "$S" size > "$TMP/size" 2> "$TMP/err"
rc=$?
set -e
# a sanitizer build's module cannot load into a program built without it
grep -q "AddressSanitizer\|ASan runtime" "$TMP/err" && skip "a sanitizer build: the module needs rdfproc built with it"
[ "$rc" -eq 0 ] || { cat "$TMP/err" >&2; fail "rdfproc does not open the store"; }
grep -q "graph has $QUADS triples" "$TMP/size" || fail "size: $(cat "$TMP/size"), not $QUADS"
rdfproc_q() { REDLAND_MODULE_PATH="$MODULES" rdfproc -q -s newsgraph -t "$1" "$S" $2; }
rdfproc_q "write='no'" contexts > "$TMP/contexts"
[ "$(grep -c 'https://w3id.org/newsgraph/id/' "$TMP/contexts")" = "$GRAPHS" ] ||
  fail "contexts: $(cat "$TMP/contexts")"
REDLAND_MODULE_PATH="$MODULES" rdfproc -q -s newsgraph -t "write='no'" "$S" find - \
  http://www.w3.org/1999/02/22-rdf-syntax-ns#type https://w3id.org/newsgraph/ns#Article > "$TMP/find"
ARTICLES=$(ng stats --store "$S" | sed -n 's/^articles	//p')
[ "$(grep -c 'ns#Article' "$TMP/find")" = "$ARTICLES" ] || fail "find: $(cat "$TMP/find")"
REDLAND_MODULE_PATH="$MODULES" rdfproc -q -s newsgraph -t "write='no'" "$S" query sparql - \
  'SELECT ?e WHERE { ?e a <https://w3id.org/newsgraph/ns#Event> }' > "$TMP/events"
EVENTS=$(ng stats --store "$S" | sed -n 's/^events	//p')
[ "$(grep -c 'id/event/' "$TMP/events")" = "$EVENTS" ] || fail "query: $(head "$TMP/events")"
# a change made through Redland is newsgraph's too
REDLAND_MODULE_PATH="$MODULES" rdfproc -q -s newsgraph -t "write='yes'" "$S" add \
  http://example.org/s http://example.org/p http://example.org/o http://example.org/g
[ "$(ng stats --store "$S" | sed -n 's/^quads	//p')" = $((QUADS + 1)) ] || fail "add not seen"
ng export --store "$S" --graph http://example.org/g --format nquads | grep -q '<http://example.org/o>' ||
  fail "the added quad is not exported"
exit 0
