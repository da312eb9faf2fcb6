#!/bin/sh
# hostile-rdf.sh - import of files that break Raptor 2.0.15 (found by
# tests/fuzz/fuzz_rdf.c, kept in tests/fuzz/hostile-rdf/).  Raptor parses in
# a child process (query/import.c): whether it crashes, corrupts its heap
# quietly or reports an error, the import fails with a diagnostic, adds
# nothing, and the store and the other files of the command are unharmed.
# N-Triples and N-Quads are read by our own parser in the importing process
# (query/nquads.c): their hostile files must give an error, never a crash.
# The containment itself is also made to happen on purpose on a Turtle file
# (NG_TEST_CRASH=import-parser: the child dies after sending its statements).
. "${top_srcdir:-.}/tests/e2e/common.sh"
S="$TMP/store"
HOSTILE="$top_srcdir/tests/fuzz/hostile-rdf"

stat_of() { ng stats --store "$S" | awk -F'\t' -v k="$1" '$1 == k {print $2}'; }
# import FILE..., expecting exit status 1 (a failure, not a crash of ours)
import_fails() {
  set +e
  ng import --store "$S" "$@" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || { cat "$TMP/err" >&2; fail "import $*: exit $rc, not 1"; }
  grep -q "error: " "$TMP/err" || fail "import $*: no error reported"
}
crash_import() { # HOW FILE...
  (NG_TEST_CRASH=$1; export NG_TEST_CRASH; shift; ng import --store "$S" "$@")
}

printf '<http://e.org/a> <http://e.org/p> "one" .\n<http://e.org/a> <http://e.org/p> "two" .\n' > "$TMP/base.nt"
printf '<http://e.org/b> <http://e.org/p> "three" .\n' > "$TMP/good.nt"
cp "$TMP/good.nt" "$TMP/good.ttl" # Turtle: parsed by Raptor in the child
ng import --store "$S" "$TMP/base.nt"
[ "$(stat_of quads)" = 2 ] || fail "the base import"

# --- the child dies on purpose after sending what it parsed, or sends
# damaged records and ends normally: nothing of it stays
for how in import-parser import-garbage; do
  set +e
  crash_import "$how" "$TMP/good.ttl" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "$how: exit $rc, not 1"
  grep -q "error: $TMP/good.ttl: the RDF parser crashed on this file" "$TMP/err" ||
    { cat "$TMP/err" >&2; fail "$how: no crash report"; }
  [ "$(stat_of quads)" = 2 ] && [ "$(stat_of graphs)" = 1 ] || fail "$how: the store changed"
done
grep -q "its output is damaged" "$TMP/err" || fail "import-garbage: not reported as damaged output"

# --- every hostile file: refused, reported, the store as it was
crashed=0
for f in "$HOSTILE"/*; do
  import_fails "$f"
  if grep -q "the RDF parser crashed on this file" "$TMP/err"; then
    crashed=$((crashed + 1))
    case $f in *.nt | *.nq) fail "$f: a line format went to Raptor" ;; esac
  fi
  [ "$(stat_of quads)" = 2 ] && [ "$(stat_of graphs)" = 1 ] || fail "$f changed the store"
  echo "$(basename "$f"): $(head -c 160 "$TMP/err")" >&2
done
# a 4000-character language tag overflows Raptor's heap by kilobytes:
# glibc, AddressSanitizer and valgrind each see it die
[ "$crashed" -ge 1 ] || fail "no hostile file crashed the parser: are they still hostile?"

# --- the same through LOAD of an update: the request fails, nothing of it stays
: > "$TMP/load-errs"
for f in "$(cd "$HOSTILE" && pwd)"/*; do
  set +e
  ng update --store "$S" "INSERT DATA { <http://e.org/c> <http://e.org/p> 4 } ;
    LOAD <file://$f>" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || { cat "$TMP/err" >&2; fail "LOAD $f: exit $rc, not 1"; }
  grep -q "<update>:2:5: LOAD <file://$f> failed" "$TMP/err" || { cat "$TMP/err" >&2; fail "LOAD $f: not told"; }
  cat "$TMP/err" >> "$TMP/load-errs"
  [ "$(stat_of quads)" = 2 ] && [ "$(stat_of graphs)" = 1 ] || fail "LOAD $f changed the store"
done
grep -q "the RDF parser crashed on this file" "$TMP/load-errs" || fail "LOAD: no crash report (Turtle, RDF/XML)"

# --- a hostile file among good ones: the good ones go in
import_fails "$HOSTILE/language-tag-4000.nt" "$TMP/good.nt"
[ "$(stat_of quads)" = 3 ] && [ "$(stat_of graphs)" = 2 ] || fail "the good file after a hostile one"
ng export --store "$S" --format nquads > "$TMP/all.nq"
[ "$(wc -l < "$TMP/all.nq")" -eq 3 ] || fail "export after hostile imports"

# --- the store is usable for writing afterwards: no lock left behind by a child
ng import --store "$S" "$DATA/query/actors.ttl"
exit 0
