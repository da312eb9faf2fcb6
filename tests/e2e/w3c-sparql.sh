#!/bin/sh
# The W3C SPARQL 1.0 and 1.1 test suites (query, update, syntax) through
# `newsgraph query`, `update` and `import` (tests/w3c/w3c.py): every test not
# in tests/w3c/known-failures.txt must pass, and Rasqal runs on every test the
# engine fails (a test Rasqal passes and we do not is our bug).  Skipped
# without ../shared (or without rdflib).
. "${top_srcdir:-.}/tests/e2e/common.sh"
SUITES="$top_srcdir/../shared/w3c-rdf-tests"
[ -d "$SUITES" ] || skip "no ../shared/w3c-rdf-tests"
PY=python3
$PY -c 'import rdflib' 2>/dev/null || PY=/usr/bin/python3
$PY -c 'import rdflib' 2>/dev/null || skip "no rdflib (python3-rdflib)"
exec $PY "$top_srcdir/tests/w3c/w3c.py" --newsgraph "$NEWSGRAPH" --suites "$SUITES" \
  --known "$top_srcdir/tests/w3c/known-failures.txt" --second-opinion \
  --suite sparql10-syntax --suite sparql10-query --suite sparql11-query --suite sparql11-update
