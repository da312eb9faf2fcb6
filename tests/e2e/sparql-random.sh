#!/bin/sh
# sparql-random.sh - newsgraph's SPARQL engine against Rasqal (query
# --engine redland) on 300 random queries over the examples graph (issue 12,
# item 4): tests/diff/randquery.py writes them from a fixed seed (NG_SEED
# and NG_QUERIES choose others), tests/diff/sparql-diff runs each through
# both engines over the same store and compares the answers as multisets of
# rows, or row by row where ORDER BY makes the order total.  Any
# disagreement fails the test; Rasqal's known mistakes are left out of the
# queries or counted apart, each with its reason (tests/diff/README.md).
. "${top_srcdir:-.}/tests/e2e/common.sh"
DIFF="${top_builddir:-.}/tests/diff/sparql-diff"
[ -x "$DIFF" ] || fail "no $DIFF (make check builds it)"
ng extract "$EXAMPLES"/articles/* 2> "$TMP/err" || { cat "$TMP/err" >&2; fail "extract"; }
ng import --graph https://w3id.org/newsgraph/id/graph/vocabulary "$top_srcdir"/ontology/*.ttl
"$PYTHON3" "$top_srcdir/tests/diff/randquery.py" --seed "${NG_SEED:-12}" \
  --count "${NG_QUERIES:-300}" > "$TMP/queries.txt"
[ "$(wc -l < "$TMP/queries.txt")" -eq "${NG_QUERIES:-300}" ] || fail "the generator"
set +e
"$DIFF" "$NEWSGRAPH_STORE" "$TMP/queries.txt" > "$TMP/out" 2> "$TMP/err"
rc=$?
set -e
grep -v '^SLOW' "$TMP/out" | grep -A12 '^DIFFERENT\|^REFUSED' >&2 || :
cat "$TMP/err" >&2
tail -n 2 "$TMP/out" >&2
[ "$rc" -eq 0 ] || fail "the engines disagree (exit $rc)"
# the queries are not trivial: most of them have rows
rows=$(tail -n 1 "$TMP/out" | sed -n 's/.*answered alike (\([0-9]*\) with rows).*/\1/p')
[ "${rows:-0}" -ge $((${NG_QUERIES:-300} / 2)) ] || fail "only ${rows:-0} queries have rows"
# VALUES crashed Rasqal (a SIGSEGV of the command): refused at its place
set +e
ng query --engine redland "SELECT ?c WHERE { ?a ng:actorCode ?c }
  VALUES ?a { actor:russia actor:belarus }" > "$TMP/out" 2> "$TMP/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { cat "$TMP/err" >&2; fail "VALUES with --engine redland: exit $rc"; }
grep -q "<command line>:2:3: VALUES is not supported by --engine redland" "$TMP/err" ||
  grep -q ":2:3: VALUES is not supported by --engine redland" "$TMP/err" ||
  { cat "$TMP/err" >&2; fail "VALUES with --engine redland: not told where"; }
exit 0
