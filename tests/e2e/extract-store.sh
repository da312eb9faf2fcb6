#!/bin/sh
# extract into the store: the acceptance case through query and export,
# re-extraction, exports that other parsers count alike, a SIGKILL in the
# middle of a run, and bad input that leaves the store as it was.
. "${top_srcdir:-.}/tests/e2e/common.sh"
S="$TMP/store"

stat_of() { ng stats --store "$S" | awk -F'\t' -v k="$1" '$1 == k {print $2}'; }

# --- EU - sanctions - Lukashenko - 2020-11-06, through extract, query, export
printf '%s\n' '{"id": "eu-1", "date": "2020-11-25", "title": "EU widens sanctions", "text": "The EU on November 6 expanded its list of sanctioned individuals to include Lukashenko."}' > "$TMP/eu.jsonl"
ng extract --store "$S" "$TMP/eu.jsonl"
ng query --store "$S" -r tsv 'SELECT ?a ?t ?d WHERE { ?e ng:cameoCode "163" ; ng:actor ?x ; ng:target ?y ; ng:date ?d . ?x rdfs:label ?a . ?y rdfs:label ?t }' > "$TMP/q.tsv"
grep -q '^"European Union"	"Alexander Lukashenko"	"2020-11-06"^^<http://www.w3.org/2001/XMLSchema#date>$' "$TMP/q.tsv" \
  || { cat "$TMP/q.tsv" >&2; fail "the EU-Lukashenko event through query"; }
ng export --store "$S" --format turtle -o "$TMP/eu.ttl"
rapper -q -i turtle -o ntriples "$TMP/eu.ttl" > "$TMP/eu.nt"
grep -q "^<https://w3id.org/newsgraph/id/actor/european-union> <https://w3id.org/newsgraph/rel/sanctions> <https://w3id.org/newsgraph/id/actor/alexander-lukashenko> .$" "$TMP/eu.nt" \
  || fail "the direct edge in the exported Turtle"
grep -q '<https://w3id.org/newsgraph/ns#date> "2020-11-06"^^<http://www.w3.org/2001/XMLSchema#date> .$' "$TMP/eu.nt" \
  || fail "the event date in the exported Turtle"

# --- the examples; re-extraction changes nothing
ng extract --store "$S" "$EXAMPLES"/articles/*
q1=$(stat_of quads); t1=$(stat_of triples); a1=$(stat_of articles)
[ "$a1" -eq 7 ] || fail "7 articles expected, stats says $a1"
ng extract --store "$S" "$EXAMPLES"/articles/* "$TMP/eu.jsonl"
[ "$(stat_of quads)" -eq "$q1" ] && [ "$(stat_of triples)" -eq "$t1" ] || fail "re-extraction changed the counts"

# --- exports parse with rapper and rdflib to the counts of the store
ng export --store "$S" --format nquads -o "$TMP/all.nq"
ng export --store "$S" --format turtle -o "$TMP/all.ttl"
ng export --store "$S" --format ntriples -o "$TMP/all.nt"
rq=$(rapper -i nquads -c "$TMP/all.nq" 2>&1 | sed -n "s/.*returned \([0-9]*\) triple.*/\1/p")
rt=$(rapper -i turtle -c "$TMP/all.ttl" 2>&1 | sed -n "s/.*returned \([0-9]*\) triple.*/\1/p")
[ "$rq" = "$q1" ] || fail "rapper counts $rq quads, the store $q1"
[ "$rt" = "$t1" ] || fail "rapper counts $rt triples, the store $t1"
if have_rdflib; then
  "$RDFLIB_PYTHON" - "$TMP" "$q1" "$t1" <<'PY' || fail "rdflib disagrees with the store"
import sys, rdflib
tmp, quads, triples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ds = rdflib.ConjunctiveGraph(); ds.parse(tmp + "/all.nq", format="nquads")
g = rdflib.Graph(); g.parse(tmp + "/all.ttl", format="turtle")
nt = rdflib.Graph(); nt.parse(tmp + "/all.nt", format="nt")
nq = sum(len(c) for c in ds.contexts())
print("rdflib: %d quads, %d triples (turtle), %d (n-triples)" % (nq, len(g), len(nt)))
sys.exit(0 if nq == quads and len(g) == triples and len(nt) == triples and g.isomorphic(nt) else 1)
PY
else
  echo "rdflib not available: rdflib comparison skipped" >&2
fi

# --- bad input leaves the store as it was
before=$(stat_of quads)
printf 'x\377y\n' > "$TMP/bad.txt"
expect_status 1 ng extract --store "$S" "$TMP/bad.txt" 2>/dev/null
: > "$TMP/empty.txt"
expect_status 1 ng extract --store "$S" "$TMP/empty.txt" 2>/dev/null
[ "$(stat_of quads)" -eq "$before" ] || fail "bad input changed the store"
if [ "$(id -u)" != 0 ]; then
  mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
  expect_status 1 ng extract --store "$TMP/ro/store" "$TMP/eu.jsonl" 2>/dev/null
fi
expect_status 1 ng extract --store /proc/version/store "$TMP/eu.jsonl" 2> "$TMP/err"
grep -q "cannot open store" "$TMP/err" || fail "unwritable store message"

# --- SIGKILL in the middle of a multi-article run
"$PYTHON3" - "$TMP/many.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1200):
        text = ("Country%d officials said on Monday that Russia attacked Ukraine near Kharkiv. " % i) * 2
        f.write(json.dumps({"id": "k-%d" % i, "date": "2022-03-0%d" % (1 + i % 9), "title": "", "text": text}) + "\n")
PY
# every article has the same shape: how many nodes one gives, extracted alone
head -1 "$TMP/many.jsonl" > "$TMP/one.jsonl"
ng extract --store "$TMP/one" "$TMP/one.jsonl"
per_article=$(ng query --store "$TMP/one" -r tsv 'SELECT (COUNT(?e) AS ?n) WHERE { ?e ng:article ?a }' |
  sed -n '2s/^"\([0-9]*\)".*/\1/p')
[ "${per_article:-0}" -gt 0 ] || fail "no events from the generated article"
K="$TMP/killed"
for delay in 0.1 0.25 0.6; do
  rm -rf "$K"
  # exec: $! must be newsgraph itself, not a subshell around it
  (exec "$NEWSGRAPH" extract --store "$K" --verbose "$TMP/many.jsonl" 2> "$TMP/committed") &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  committed=$(grep -c '^committed ' "$TMP/committed" || true)
  # killed before it made the store (no directory, or one without LMDB's
  # data file yet): nothing to read ("no store at"), nothing lost - and the
  # directory still takes a store
  if [ "$committed" = 0 ] && [ ! -f "$K/data.mdb" ]; then
    if [ -d "$K" ]; then
      ng extract --store "$K" "$TMP/one.jsonl" 2> /dev/null ||
        fail "killed after ${delay}s before the store was made: the directory takes no store"
    fi
    continue
  fi
  # the store opens, holds every committed article, and nothing in part
  arts=$(ng stats --store "$K" | awk -F'\t' '$1 == "articles" {print $2}')
  [ "$arts" -ge "$committed" ] || fail "killed after ${delay}s: $committed committed, $arts in the store"
  ng query --store "$K" -r tsv 'SELECT ?a (COUNT(?e) AS ?n) WHERE { ?e ng:article ?a } GROUP BY ?a' > "$TMP/per-article.tsv"
  # (Rasqal 0.9.33 answers a GROUP BY over no match with one row of an unbound
  # key and a count of 1: rows without an article are that artefact)
  awk -F'\t' -v want="\"$per_article\"" 'NR > 1 && $1 != "" && index($2, want) != 1 {bad = 1} END {exit bad}' "$TMP/per-article.tsv" \
    || { head "$TMP/per-article.tsv" >&2; fail "an article is in the store in part"; }
  # each committed article by name (the IRI ends with its id)
  grep '^committed ' "$TMP/committed" | while read -r _ id; do
    grep -q "/$id>" "$TMP/per-article.tsv" || { echo "committed $id missing" >&2; exit 1; }
  done || fail "a committed article is missing"
  echo "killed after ${delay}s: $committed committed, $arts articles in the store" >&2
done
exit 0
