#!/bin/sh
# server-virtuoso.sh - `make check-server`: newsgraph against a real
# Virtuoso (Debian's virtuoso-opensource 7), started here on loopback with a
# throw-away database and a password of its own, and stopped by its pid.
#   - the example articles go in through `extract --endpoint` (SPARQL
#     Update) and the vocabulary through `export --to`, as `make example`
#     imports it locally;
#   - every example query gives the same rows from the server as from the
#     embedded store (sorted TSV);
#   - sending again (Update or Graph Store Protocol, -j 2) changes nothing;
#   - a server that is down: a clear error, exit 1, every article told
#     "not sent", and the local store asked for keeps them all.
# Skipped (77, with the reason) when the package cannot be installed.
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/examples/scaling/virtuoso.sh"

vt_install || skip "virtuoso-opensource is not installed and cannot be (apt-get failed or not root)"
trap 'vt_stop; rm -rf "$TMP"' EXIT
vt_start "$TMP/vt" || fail "Virtuoso did not start"
echo "Virtuoso pid $VT_PID at $VT_HTTP (SQL port $VT_SQL_PORT)"
# the dba password goes to newsgraph through its environment only
export NEWSGRAPH_ENDPOINT_USER=dba NEWSGRAPH_ENDPOINT_PASSWORD="$VT_PASSWORD"
UPDATE="$VT_HTTP/sparql-auth"
GSP="$VT_HTTP/sparql-graph-crud-auth"
QUERY="$VT_HTTP/sparql"
VOCABULARY=https://w3id.org/newsgraph/id/graph/vocabulary

# ----------------------------------------------------- the same contents
ng extract -q --store "$TMP/local" "$EXAMPLES"/articles/*
ng import -q --store "$TMP/local" --graph "$VOCABULARY" \
  "$top_srcdir/ontology/newsgraph.ttl" "$top_srcdir/ontology/cameo.ttl"
ng extract -v --endpoint "$UPDATE" "$EXAMPLES"/articles/* 2> "$TMP/err" ||
  fail "extract --endpoint: $(cat "$TMP/err")"
articles=$(grep -c '^sent ' "$TMP/err")
echo "extract --endpoint: $articles articles sent"
ng stats -s "$TMP/local" | grep -qx "articles	$articles" || fail "sent $articles articles, the store has $(ng stats -s "$TMP/local")"
ng export --store "$TMP/local" -g "$VOCABULARY" --to "$UPDATE" || fail "export --to the vocabulary"

# Our quads on the server (Virtuoso keeps its own system graphs besides).
OURS='FILTER (STRSTARTS(STR(?g), "https://w3id.org/newsgraph/"))'
count_quads() {
  ng query --endpoint "$QUERY" -r tsv "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } $OURS }" |
    tail -n 1 | sed 's/^"\([0-9]*\)".*/\1/'
}
count_graphs() {
  ng query --endpoint "$QUERY" -r tsv "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } $OURS }" |
    tail -n 1 | sed 's/^"\([0-9]*\)".*/\1/'
}
quads=$(count_quads)
graphs=$(count_graphs)
ng stats -s "$TMP/local" > "$TMP/stats"
want_quads=$(sed -n 's/^quads	//p' "$TMP/stats")
want_graphs=$(sed -n 's/^graphs	//p' "$TMP/stats")
echo "server: $quads quads in $graphs graphs; embedded store: $want_quads quads in $want_graphs graphs"
[ "$quads" = "$want_quads" ] || fail "the server holds $quads quads, the store $want_quads"
[ "$graphs" = "$want_graphs" ] || fail "the server holds $graphs graphs, the store $want_graphs"

compare_queries() { # $1: when
  for q in "$EXAMPLES"/queries/*.rq; do
    name=$(basename "$q")
    ng query --store "$TMP/local" -r tsv -f "$q" > "$TMP/local.tsv"
    ng query --endpoint "$QUERY" -r tsv -f "$q" > "$TMP/remote.tsv" 2> "$TMP/err" ||
      fail "$name on the server: $(cat "$TMP/err")"
    head -n 1 "$TMP/local.tsv" > "$TMP/local.head"
    head -n 1 "$TMP/remote.tsv" > "$TMP/remote.head"
    cmp -s "$TMP/local.head" "$TMP/remote.head" || fail "$name: other variables: $(cat "$TMP/remote.head")"
    tail -n +2 "$TMP/local.tsv" | sort > "$TMP/local.rows"
    tail -n +2 "$TMP/remote.tsv" | sort > "$TMP/remote.rows"
    [ -s "$TMP/local.rows" ] || fail "$name has no rows in the embedded store"
    cmp -s "$TMP/local.rows" "$TMP/remote.rows" ||
      fail "$name ($1): the server answers otherwise: $(diff "$TMP/local.rows" "$TMP/remote.rows" | head -n 6)"
    echo "$name ($1): $(wc -l < "$TMP/local.rows") rows, the same from both"
  done
}
compare_queries "first load"
# every result format prints the same text either way (a query whose
# ORDER BY leaves no ties: the order of tied rows is the server's own)
for format in table csv json xml; do
  q="$EXAMPLES/queries/direct-edges.rq"
  ng query --store "$TMP/local" -r "$format" -f "$q" > "$TMP/local.out"
  ng query --endpoint "$QUERY" -r "$format" -f "$q" > "$TMP/remote.out"
  cmp -s "$TMP/local.out" "$TMP/remote.out" || fail "-r $format: $(diff "$TMP/local.out" "$TMP/remote.out" | head -n 4)"
done
ng query --endpoint "$QUERY" -r tsv 'ASK { ?e ng:cameoRoot "16" }' | tail -n 1 | grep -qx true || fail "ASK"

# ------------------------------------------------------ sending again
ng extract -q --endpoint "$UPDATE" "$EXAMPLES"/articles/* || fail "re-send (Update)"
[ "$(count_quads)" = "$quads" ] || fail "re-sending by Update changed the count: $(count_quads)"
ng extract -q -j 2 --graph-store "$GSP" "$EXAMPLES"/articles/* || fail "re-send (Graph Store Protocol)"
[ "$(count_quads)" = "$quads" ] || fail "re-sending by the Graph Store Protocol changed the count: $(count_quads)"
ng export --store "$TMP/local" --graph-store "$GSP" || fail "export --graph-store"
[ "$(count_quads)" = "$quads" ] || fail "export --graph-store changed the count: $(count_quads)"
[ "$(count_graphs)" = "$graphs" ] || fail "re-sending changed the graphs: $(count_graphs)"
compare_queries "after re-sending"

# --------------------------------------------------------- the server down
vt_stop
expect_status 1 ng query --retries 1 --endpoint "$QUERY" 'ASK {}' > "$TMP/out" 2> "$TMP/err"
grep -q "$QUERY: .*[Cc]onnect.*(2 attempts)" "$TMP/err" || fail "query to a stopped server: $(cat "$TMP/err")"
[ ! -s "$TMP/out" ] || fail "a failed query printed something"
expect_status 1 ng extract --retries 1 --endpoint "$UPDATE" --store "$TMP/kept" "$EXAMPLES"/articles/* 2> "$TMP/err"
[ "$(grep -c '^not sent: ' "$TMP/err")" -eq "$articles" ] || fail "not told per article: $(cat "$TMP/err")"
grep -q "$articles articles not sent to $UPDATE" "$TMP/err" || fail "no summary: $(cat "$TMP/err")"
ng stats -s "$TMP/kept" | grep -qx "articles	$articles" || fail "the local store lost articles"
echo "server down: exit 1, $articles 'not sent' lines, the local store has all $articles articles"
exit 0
