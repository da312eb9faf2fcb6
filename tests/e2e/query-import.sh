#!/bin/sh
# query-import.sh - import RDF files into a store, query it in every result
# format, re-import (idempotent), stats of an empty store.
. "$top_srcdir/tests/e2e/common.sh"
Q="$DATA/query"

stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# ------------------------------------------------------------ empty store
# a store that is not there is told and not made; an empty directory reads
# as an empty store
expect_status 1 ng stats 2> "$TMP/missing.err"
grep -q "no store at $NEWSGRAPH_STORE" "$TMP/missing.err" || fail "missing store: $(cat "$TMP/missing.err")"
[ ! -e "$NEWSGRAPH_STORE" ] || fail "reading a missing store created it"
mkdir -p "$NEWSGRAPH_STORE"
ng stats > "$TMP/empty"
for k in articles events actors graphs quads triples bytes; do
  [ "$(stat_of "$TMP/empty" $k)" = 0 ] || fail "empty store: $k is not 0"
done
ng query 'SELECT ?s WHERE { ?s ?p ?o }' > "$TMP/none"
[ "$(cat "$TMP/none")" = "?s" ] || fail "query of an empty store: $(cat "$TMP/none")"

# ----------------------------------------------------------------- import
ng import "$Q/actors.ttl" "$Q/articles.nq" "$Q/edge.nt"
ng stats > "$TMP/s1"
count() { rapper -i "$1" -c "$2" 2>&1 | awk '/returned/ { print $4 }'; }
if command -v rapper > /dev/null; then
  want=$(( $(count turtle "$Q/actors.ttl") + $(count nquads "$Q/articles.nq") + $(count ntriples "$Q/edge.nt") ))
  [ "$(stat_of "$TMP/s1" quads)" = "$want" ] || fail "quads $(stat_of "$TMP/s1" quads), files hold $want"
fi
# two article graphs (from the N-Quads), one graph per other file
[ "$(stat_of "$TMP/s1" articles)" = 2 ] || fail "articles: $(stat_of "$TMP/s1" articles)"
[ "$(stat_of "$TMP/s1" graphs)" = 4 ] || fail "graphs: $(stat_of "$TMP/s1" graphs)"
[ "$(stat_of "$TMP/s1" events)" = 3 ] || fail "events: $(stat_of "$TMP/s1" events)"
[ "$(stat_of "$TMP/s1" actors)" = 3 ] || fail "actors: $(stat_of "$TMP/s1" actors)"
# actor triples repeat in the article graphs: fewer distinct triples than quads
[ "$(stat_of "$TMP/s1" triples)" -lt "$(stat_of "$TMP/s1" quads)" ] || fail "triples not below quads"
[ "$(stat_of "$TMP/s1" bytes)" -gt 0 ] || fail "bytes"

# the graph named after the file
ng query -r tsv 'ASK { GRAPH graph:actors { actor:belarus rdfs:label "Belarus"@en } }' > "$TMP/ask"
[ "$(tail -n 1 "$TMP/ask")" = true ] || fail "graph:actors does not hold the actors"

# ------------------------------------------------------- every format
QUERY='SELECT DISTINCT ?actor ?label WHERE {
  ?e a ng:Event ; ng:actor ?actor .
  ?actor rdfs:label ?label FILTER(lang(?label) = "en")
} ORDER BY ?label'
EU=https://w3id.org/newsgraph/id/actor/european-union
RU=https://w3id.org/newsgraph/id/actor/russia

ng query -r tsv "$QUERY" > "$TMP/out.tsv"
printf '?actor\t?label\n<%s>\t"European Union"@en\n<%s>\t"Russia"@en\n' "$EU" "$RU" > "$TMP/want.tsv"
cmp "$TMP/out.tsv" "$TMP/want.tsv" || fail "tsv: $(cat "$TMP/out.tsv")"

ng query --results csv "$QUERY" > "$TMP/out.csv"
printf 'actor,label\r\n%s,European Union\r\n%s,Russia\r\n' "$EU" "$RU" > "$TMP/want.csv"
cmp "$TMP/out.csv" "$TMP/want.csv" || fail "csv: $(cat "$TMP/out.csv")"

ng query -r table "$QUERY" > "$TMP/out.table"
cat > "$TMP/want.table" <<'TABLE'
┌──────────────────────┬────────────────┐
│ actor                │ label          │
├──────────────────────┼────────────────┤
│ actor:european-union │ European Union │
│ actor:russia         │ Russia         │
└──────────────────────┴────────────────┘
TABLE
cmp "$TMP/out.table" "$TMP/want.table" || fail "table: $(cat "$TMP/out.table")"

ng query -r json "$QUERY" > "$TMP/out.json"
ng query -r xml "$QUERY" > "$TMP/out.xml"
"$PYTHON3" - "$TMP/out.json" "$TMP/out.xml" "$EU" "$RU" <<'PY' || fail "json/xml results"
import json, sys
import xml.etree.ElementTree as ET
j = json.load(open(sys.argv[1]))
assert j["head"]["vars"] == ["actor", "label"], j
rows = j["results"]["bindings"]
assert [r["actor"]["value"] for r in rows] == [sys.argv[3], sys.argv[4]], rows
assert all(r["actor"]["type"] == "uri" for r in rows)
assert [(r["label"]["value"], r["label"]["xml:lang"]) for r in rows] == [("European Union", "en"), ("Russia", "en")]
ns = {"s": "http://www.w3.org/2005/sparql-results#"}
x = ET.parse(sys.argv[2]).getroot()
assert [v.get("name") for v in x.findall("s:head/s:variable", ns)] == ["actor", "label"]
uris = [u.text for u in x.findall("s:results/s:result/s:binding/s:uri", ns)]
assert uris == [sys.argv[3], sys.argv[4]], uris
lits = x.findall("s:results/s:result/s:binding/s:literal", ns)
assert [(l.text, l.get("{http://www.w3.org/XML/1998/namespace}lang")) for l in lits] == [("European Union", "en"), ("Russia", "en")]
PY

# a query from a file, and CONSTRUCT as Turtle
printf 'CONSTRUCT { ?a ng:opposes ?t }\nWHERE { ?e ng:actor ?a ; ng:target ?t ; ng:action cameo:111 }\n' > "$TMP/c.rq"
ng query -f "$TMP/c.rq" > "$TMP/c.ttl"
grep -qx 'actor:russia ng:opposes actor:european-union .' "$TMP/c.ttl" || fail "construct: $(cat "$TMP/c.ttl")"
if command -v rapper > /dev/null; then
  [ "$(count turtle "$TMP/c.ttl")" = 1 ] || fail "construct output is not one triple of Turtle"
fi

# --------------------------------------------------- import again: no change
ng import "$Q/actors.ttl" "$Q/articles.nq" "$Q/edge.nt"
ng stats > "$TMP/s2"
grep -v '^bytes' "$TMP/s1" > "$TMP/s1c"
grep -v '^bytes' "$TMP/s2" > "$TMP/s2c"
cmp "$TMP/s1c" "$TMP/s2c" || fail "a second import changed the counts: $(cat "$TMP/s2")"

# the same file into another graph: its quads again, but no new distinct
# triple (its blank node keeps its name: it is named after the file)
ng import --graph https://example.org/copy "$Q/actors.ttl"
ng stats > "$TMP/s3"
[ "$(stat_of "$TMP/s3" graphs)" = 5 ] || fail "--graph: graphs $(stat_of "$TMP/s3" graphs)"
if command -v rapper > /dev/null; then
  want=$(( $(stat_of "$TMP/s1" quads) + $(count turtle "$Q/actors.ttl") ))
  [ "$(stat_of "$TMP/s3" quads)" = "$want" ] || fail "--graph: quads $(stat_of "$TMP/s3" quads), want $want"
fi
[ "$(stat_of "$TMP/s3" triples)" = "$(stat_of "$TMP/s1" triples)" ] || fail "--graph: new distinct triples"

# -------------------------------------- a graph the store holds already
# import keeps a fingerprint of what it wrote into each graph (import.c):
# the same statements again are skipped, but only while the graph is as an
# import left it; a graph changed since, or other statements, are written.
F="$TMP/fp-store"
in_graph() {
  ng query --store "$F" -r tsv "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <$1> { ?s ?p ?o } }" |
    tail -n 1 | sed 's/^"\([0-9]*\)".*/\1/'
}
cat > "$TMP/fp1.nq" <<'EOF'
<http://e.org/a> <http://e.org/p> "1" <http://e.org/shared> .
<http://e.org/b> <http://e.org/p> _:x <http://e.org/shared> .
<http://e.org/e1> <http://e.org/p> "x" <http://e.org/article1> .
EOF
sed 's/article1/article2/; s/e1>/e2>/' "$TMP/fp1.nq" > "$TMP/fp2.nq"
ng import --store "$F" "$TMP/fp1.nq"
ng import --store "$F" "$TMP/fp2.nq"
[ "$(in_graph http://e.org/article2)" = 1 ] || fail "fingerprints: article2 holds $(in_graph http://e.org/article2)"
# fp2's blank node is another one (blank nodes are the file's own): written
[ "$(in_graph http://e.org/shared)" = 3 ] || fail "fingerprints: shared holds $(in_graph http://e.org/shared)"
ng import --store "$F" "$TMP/fp2.nq"
[ "$(in_graph http://e.org/shared)" = 3 ] || fail "fingerprints: fp2 again: $(in_graph http://e.org/shared)"
# a statement of the graph deleted: the same file brings it back
ng update --store "$F" 'DELETE DATA { GRAPH <http://e.org/shared> { <http://e.org/a> <http://e.org/p> "1" } }'
[ "$(in_graph http://e.org/shared)" = 2 ] || fail "fingerprints: delete: $(in_graph http://e.org/shared)"
ng import --store "$F" "$TMP/fp2.nq"
[ "$(in_graph http://e.org/shared)" = 3 ] || fail "fingerprints: a deleted statement did not come back"
# one statement more than the fingerprinted ones: written
{ cat "$TMP/fp2.nq"; echo '<http://e.org/c> <http://e.org/p> "3" <http://e.org/shared> .'; } > "$TMP/fp3.nq"
ng import --store "$F" "$TMP/fp3.nq"
[ "$(in_graph http://e.org/shared)" = 5 ] || fail "fingerprints: fp3: $(in_graph http://e.org/shared)"

# --------------------------- the RDF libraries are loaded on first use
# (base/lazy.c, where configure chose it: the module is then built)
if [ -e "$(dirname "$NEWSGRAPH")/.libs/newsgraph-rdf.so" ] &&
   LD_DEBUG=libs ng stats --store "$F" 2>&1 >/dev/null | grep -q 'calling init'; then
  LD_DEBUG=libs ng import --store "$F" "$TMP/fp1.nq" 2> "$TMP/ld-import.log"
  ! grep -q 'librdf\.so' "$TMP/ld-import.log" || fail "import of N-Quads loaded Redland"
  LD_DEBUG=libs ng query --store "$F" 'ASK { ?s ?p ?o }' > /dev/null 2> "$TMP/ld-query.log"
  ! grep -q 'librdf\.so' "$TMP/ld-query.log" || fail "the own SPARQL engine loaded Redland"
  LD_DEBUG=libs ng query --store "$F" --engine redland 'ASK { ?s ?p ?o }' > "$TMP/ask" \
    2> "$TMP/ld-redland.log"
  grep -q 'librdf\.so' "$TMP/ld-redland.log" || fail "--engine redland without Redland?"
  grep -q true "$TMP/ask" || fail "--engine redland: $(cat "$TMP/ask")"
fi
exit 0
