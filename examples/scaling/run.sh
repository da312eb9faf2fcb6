#!/bin/sh
# run.sh - the scaled-out path, end to end, on one machine:
#   1. shard the input with split (whole lines: JSON Lines records stay whole);
#   2. extract every shard on its own (here as parallel processes; on other
#      machines it is the same command) into N-Quads;
#   3. check that the shards merge without duplicates: the IRIs are
#      deterministic, so the merged shards hold exactly the quads of one
#      extraction of the whole input;
#   4. bulk load the N-Quads (and the vocabulary) into a throw-away
#      Virtuoso with its bulk loader (ld_dir / rdf_loader_run, through isql);
#   5. question it with newsgraph query --endpoint.
# Usage: examples/scaling/run.sh [CORPUS.jsonl [SHARDS]]
# (default: ../shared/corpus/bbc-2004.jsonl when present, else the example
# wire; 4 shards).  NEWSGRAPH names the binary (default: ./newsgraph of the
# build, else newsgraph on PATH).  Needs root to install Virtuoso when it
# is missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${NEWSGRAPH:-}" ]; then
  if [ -x ./newsgraph ]; then NEWSGRAPH=$(pwd)/newsgraph; else NEWSGRAPH=newsgraph; fi
fi
corpus=${1:-$top/../shared/corpus/bbc-2004.jsonl}
[ -r "$corpus" ] || corpus=$top/examples/articles/wire.jsonl
shards=${2:-4}
work=$(mktemp -d "${TMPDIR:-/tmp}/ng-scaling.XXXXXX")
. "$here/virtuoso.sh"
trap 'vt_stop; rm -rf "$work"' EXIT
now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{printf "%.2f", $1 - $2}'; }

echo "== 1. $shards shards of $(wc -l < "$corpus") articles ($corpus)"
mkdir "$work/shards" "$work/nq"
split -n "l/$shards" -d --additional-suffix=.jsonl "$corpus" "$work/shards/shard-"
ls "$work/shards"

echo "== 2. extract every shard (one process each, in parallel)"
t=$(now)
for s in "$work"/shards/shard-*; do
  "$NEWSGRAPH" extract -q -i jsonl --no-store --format nquads "$s" > "$work/nq/$(basename "$s" .jsonl).nq" &
done
wait
echo "   $(cat "$work"/nq/*.nq | wc -l) quads written in $(since "$t") s"

echo "== 3. the shards merge without duplicates"
# The actors' triples repeat in every article that names them: RDF merges
# them; everything else belongs to one article and its graph.  Only the
# file each article was read from (ng:sourceFile) tells the runs apart.
sort -u "$work"/nq/*.nq > "$work/merged.nq"
"$NEWSGRAPH" extract -q -j 2 --no-store --format nquads "$corpus" | sort -u > "$work/whole.nq"
grep -v '/ns#sourceFile> ' "$work/merged.nq" > "$work/merged.cmp"
grep -v '/ns#sourceFile> ' "$work/whole.nq" > "$work/whole.cmp"
if cmp -s "$work/merged.cmp" "$work/whole.cmp" && [ "$(wc -l < "$work/merged.nq")" -eq "$(wc -l < "$work/whole.nq")" ]; then
  echo "   the merged shards hold the quads of one extraction of the whole: $(wc -l < "$work/whole.nq")"
else
  echo "   the merged shards differ from one extraction of the whole" >&2
  exit 1
fi

echo "== 4. bulk load into Virtuoso"
vt_install
mkdir "$work/vocabulary"
cp "$top/ontology/newsgraph.ttl" "$top/ontology/cameo.ttl" "$work/vocabulary/"
VT_DIRS="$work/nq, $work/vocabulary" vt_start "$work/vt"
t=$(now)
# for N-Quads the graph given to ld_dir is not used: each quad names its
# own; the vocabulary goes to its graph, as `make example` imports it
vt_isql "ld_dir('$work/nq', '*.nq', 'https://w3id.org/newsgraph/id/graph/unused');" > /dev/null
vt_isql "ld_dir('$work/vocabulary', '*.ttl', 'https://w3id.org/newsgraph/id/graph/vocabulary');" > /dev/null
vt_isql "rdf_loader_run();" > /dev/null
vt_isql "checkpoint;" > /dev/null
secs=$(since "$t")
vt_isql "select ll_file, ll_error from DB.DBA.LOAD_LIST where ll_error is not null;" |
  grep -q '^0 Rows' || { echo "   the loader reported errors" >&2; exit 1; }
loaded=$("$NEWSGRAPH" query --endpoint "$VT_HTTP/sparql" -r tsv \
  'SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o }
   FILTER (STRSTARTS(STR(?g), "https://w3id.org/newsgraph/") && ?g != graph:vocabulary) }' |
  tail -n 1 | sed 's/^"\([0-9]*\)".*/\1/')
echo "   $loaded quads loaded in $secs s"
[ "$loaded" -eq "$(wc -l < "$work/whole.nq")" ] || { echo "   expected $(wc -l < "$work/whole.nq")" >&2; exit 1; }

echo "== 5. newsgraph query --endpoint $VT_HTTP/sparql"
t=$(now)
"$NEWSGRAPH" query --endpoint "$VT_HTTP/sparql" -r table '
SELECT ?root ?name (COUNT(?event) AS ?events)
WHERE { ?event ng:cameoRoot ?root . OPTIONAL { ?c skos:notation ?root ; skos:prefLabel ?name } }
GROUP BY ?root ?name ORDER BY DESC(?events) LIMIT 10'
echo "   answered in $(since "$t") s"
"$NEWSGRAPH" query --endpoint "$VT_HTTP/sparql" -r table '
SELECT ?actor (COUNT(DISTINCT ?event) AS ?events)
WHERE { ?event ng:actor ?a . ?a rdfs:label ?actor }
GROUP BY ?actor ORDER BY DESC(?events) LIMIT 5'
