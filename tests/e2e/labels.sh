#!/bin/sh
# labels.sh - one preferred label per actor (issue 13): extract writes one
# skos:prefLabel per actor and its other labels as skos:altLabel, and the
# store keeps the first prefLabel an actor was given, whatever later
# articles call it; so a join on skos:prefLabel gives one row per actor.
. "${top_srcdir:-.}/tests/e2e/common.sh"

q() { ng query -r tsv "$@" | tail -n +2; }
# actors with more than one prefLabel (none expected), and the ones with none
check_one_each() {
  [ -z "$(q 'SELECT ?a WHERE { ?a skos:prefLabel ?l } GROUP BY ?a HAVING (COUNT(?l) > 1)')" ] \
    || fail "$1: actors with two prefLabels: $(q 'SELECT ?a ?l WHERE { ?a skos:prefLabel ?l }')"
  [ -z "$(q 'SELECT ?a WHERE { ?a a ng:Actor . FILTER NOT EXISTS { ?a skos:prefLabel ?l } }')" ] \
    || fail "$1: actors without a prefLabel"
  actors=$(q 'SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e ng:actor|ng:target ?a }')
  rows=$(q 'SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?a WHERE { ?e ng:actor|ng:target ?a } } ?a skos:prefLabel ?l }')
  [ "$actors" = "$rows" ] || fail "$1: $actors actors, $rows rows joined on prefLabel"
}

# the examples: every actor one prefLabel
ng extract -q "$EXAMPLES"/articles/*
check_one_each examples
# and the lexicon's canonical name is the prefLabel
[ "$(q 'SELECT ?l WHERE { actor:european-union skos:prefLabel ?l }')" = '"European Union"' ] \
  || fail "EU prefLabel: $(q 'SELECT ?l WHERE { actor:european-union skos:prefLabel ?l }')"

# an actor outside the lexicon, spelled two ways in two articles
rm -rf "$NEWSGRAPH_STORE"
printf 'Zorblax Corp sued Microsoft on Monday, the company said.\n' > "$TMP/a.txt"
printf 'ZORBLAX Corp criticized Microsoft on Tuesday.\n' > "$TMP/b.txt"
ng extract -q -d 2024-03-06 "$TMP/a.txt"
first=$(q 'SELECT ?l WHERE { actor:zorblax-corp skos:prefLabel ?l }')
[ -n "$first" ] || fail "no actor:zorblax-corp: $(ng extract --no-store --format tsv -d 2024-03-06 "$TMP/a.txt")"
ng extract -q -d 2024-03-06 "$TMP/b.txt"
[ "$(q 'SELECT ?l WHERE { actor:zorblax-corp skos:prefLabel ?l }')" = "$first" ] \
  || fail "the second article changed the prefLabel: $(q 'SELECT ?l WHERE { actor:zorblax-corp skos:prefLabel ?l }')"
q 'SELECT ?l WHERE { actor:zorblax-corp skos:altLabel ?l }' | grep -qi '"zorblax corp"' \
  || fail "the second spelling is no altLabel: $(q 'SELECT ?p ?l WHERE { actor:zorblax-corp ?p ?l }')"
[ "$(q 'SELECT (COUNT(*) AS ?n) WHERE { actor:zorblax-corp rdfs:label ?l }')" = '"2"^^<http://www.w3.org/2001/XMLSchema#integer>' ] \
  || fail "rdfs:label no longer carries every label"
check_one_each "two spellings"
# the same two in one article: one prefLabel (the first), one altLabel
rm -rf "$NEWSGRAPH_STORE"
cat "$TMP/a.txt" "$TMP/b.txt" > "$TMP/ab.txt"
ng extract -q -d 2024-03-06 "$TMP/ab.txt"
[ "$(q 'SELECT ?l WHERE { actor:zorblax-corp skos:prefLabel ?l }')" = "$first" ] || fail "one article"
check_one_each "one article"
# both articles again, in the other order: still the first label stored
ng extract -q -d 2024-03-06 "$TMP/b.txt" "$TMP/a.txt"
[ "$(q 'SELECT ?l WHERE { actor:zorblax-corp skos:prefLabel ?l }')" = "$first" ] || fail "re-extracted"
check_one_each "re-extracted"
exit 0
