#!/bin/sh
# query-errors.sh - what goes wrong is said with its place, exits 1 and
# leaves the store as it was: malformed RDF, SPARQL syntax errors, stores
# that cannot be stores, missing files.
. "$top_srcdir/tests/e2e/common.sh"
Q="$DATA/query"

ng import "$Q/actors.ttl"
ng stats > "$TMP/before"

# ------------------------------------------------------- malformed Turtle
# bad.ttl line 6: 'ng:label "Ukraine" "Україна" .' - the second literal
expect_status 1 ng import "$Q/bad.ttl" 2> "$TMP/err"
grep -q "bad.ttl:6:24: syntax error" "$TMP/err" || fail "bad.ttl: $(cat "$TMP/err")"
ng stats > "$TMP/after"
cmp "$TMP/before" "$TMP/after" || fail "a malformed file changed the store"

# a good file after a bad one still goes in; the exit status says one failed
printf '<http://ex/a> <http://ex/b> "c" .\n' > "$TMP/good.nt"
expect_status 1 ng import "$Q/bad.ttl" "$TMP/good.nt" 2> /dev/null
ng query -r tsv 'ASK { <http://ex/a> <http://ex/b> "c" }' | tail -n 1 | grep -qx true || fail "good file lost"

# N-Triples and N-Quads errors come with Raptor's own column
printf '<http://ex/a> <http://ex/b> "c" .\n<http://ex/a> <http://ex/b> "unterminated .\n' > "$TMP/bad.nt"
expect_status 1 ng import "$TMP/bad.nt" 2> "$TMP/err"
grep -q "bad.nt:2:[0-9][0-9]*: " "$TMP/err" || fail "bad.nt: $(cat "$TMP/err")"
printf '<http://ex/a> <http://ex/b> <http://ex/c> <http://ex/g> <http://ex/h> .\n' > "$TMP/bad.nq"
expect_status 1 ng import "$TMP/bad.nq" 2> "$TMP/err"
grep -q "bad.nq:1:[0-9][0-9]*: " "$TMP/err" || fail "bad.nq: $(cat "$TMP/err")"
# an undeclared prefix has no position from Raptor: found by re-parsing
printf '@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\n   ex:a zz:b ex:c .\n' > "$TMP/prefix.ttl"
expect_status 1 ng import "$TMP/prefix.ttl" 2> "$TMP/err"
grep -q 'prefix.ttl:3:9: The namespace prefix in "zz:b" was not declared' "$TMP/err" || fail "prefix.ttl: $(cat "$TMP/err")"

# missing and unreadable files
expect_status 1 ng import "$TMP/none.ttl" 2> "$TMP/err"
grep -q "none.ttl: cannot read: No such file" "$TMP/err" || fail "missing file: $(cat "$TMP/err")"

# ------------------------------------------------------- SPARQL errors
expect_status 1 ng query "$(printf 'SELECT ?a\nWHERE { ?a ng:actorCode }')" > "$TMP/out" 2> "$TMP/err"
grep -q "<query>:2:25: syntax error, unexpected '}'" "$TMP/err" || fail "query error: $(cat "$TMP/err")"
[ ! -s "$TMP/out" ] || fail "a failed query printed results"
expect_status 1 ng query -f "$Q/bad.rq" 2> "$TMP/err"
grep -q "bad.rq:4:18: syntax error, unexpected ')'" "$TMP/err" || fail "bad.rq: $(cat "$TMP/err")"
expect_status 2 ng query -r yaml 'ASK {}' 2> /dev/null
# a \U escape in a name made Rasqal 0.9.33 read through NULL (fuzzing):
# refused before it gets there; in a string it is only a string
expect_status 1 ng query "$(printf 'SELECT *\nWHERE { ?s ?p ex\\UD:xxxxxx }')" 2> "$TMP/err"
grep -q "<query>:2:17: syntax error: a backslash outside a string or IRI may only escape" "$TMP/err" ||
  fail "stray backslash: $(cat "$TMP/err")"
# in a string \U needs eight hex digits (SPARQL's UCHAR): an error where it stands
expect_status 1 ng query 'SELECT * WHERE { ?s ?p "\UD:xxxxxx" }' 2> "$TMP/err"
grep -q "<query>:1:24: syntax error: bad escape sequence in a string" "$TMP/err" ||
  fail "bad escape in a string: $(cat "$TMP/err")"

# -------------------------------------------------------- odd stores
# a path under a regular file cannot be a directory, even for root
expect_status 1 ng import -s /etc/passwd/store "$TMP/good.nt" 2> "$TMP/err"
grep -q "/etc/passwd/store" "$TMP/err" || fail "unwritable: $(cat "$TMP/err")"
grep -q "Not a directory" "$TMP/err" || fail "unwritable: $(cat "$TMP/err")"
expect_status 1 ng stats -s /etc/passwd 2> "$TMP/err"
grep -q "not a directory" "$TMP/err" || fail "file as store: $(cat "$TMP/err")"
# someone else's directory is not touched
mkdir "$TMP/mine" && echo notes > "$TMP/mine/notes.txt"
expect_status 1 ng import -s "$TMP/mine" "$TMP/good.nt" 2> "$TMP/err"
grep -q "not a newsgraph store" "$TMP/err" || fail "foreign dir: $(cat "$TMP/err")"
[ "$(ls "$TMP/mine")" = notes.txt ] || fail "the foreign directory was changed"
# a read-only store directory (skipped as root, whom chmod does not stop)
if [ "$(id -u)" != 0 ]; then
  mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
  expect_status 1 ng import -s "$TMP/ro" "$TMP/good.nt" 2> "$TMP/err"
  grep -q "not writable" "$TMP/err" || fail "read-only: $(cat "$TMP/err")"
fi
ng stats > "$TMP/end"
grep -q '^quads	17$' "$TMP/end" || fail "the store changed: $(cat "$TMP/end")"

# a store that is not there is told, for every reader (issue 13 item 5)
for cmd in "query ASK{}" "stats" "export"; do
  set +e; ng $cmd --store "$TMP/no-such-store" > "$TMP/missing.out" 2> "$TMP/missing.err"; rc=$?; set -e
  [ $rc = 1 ] || fail "$cmd on a missing store: exit $rc"
  grep -q "^newsgraph: error: no store at $TMP/no-such-store\$" "$TMP/missing.err" ||
    fail "$cmd on a missing store: $(cat "$TMP/missing.err")"
  [ ! -s "$TMP/missing.out" ] || fail "$cmd on a missing store wrote $(head -c 100 "$TMP/missing.out")"
done
[ ! -e "$TMP/no-such-store" ] || fail "a reader made the missing store"
# `query -` reads the query from standard input
printf '<http://ex.org/s> <http://ex.org/p> "o" .\n' > "$TMP/one.nt"
ng import --store "$TMP/stdin-store" "$TMP/one.nt"
echo 'ASK { ?s ?p ?o }' | ng query --store "$TMP/stdin-store" -r csv - > "$TMP/stdin.out"
[ "$(tail -1 "$TMP/stdin.out" | tr -d '\r')" = true ] || fail "query - : $(cat "$TMP/stdin.out")"
exit 0
