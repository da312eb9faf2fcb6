#!/bin/sh
# query-concurrent.sh - two imports into one store at the same time: the
# second waits for the first (the writer lock), both complete, nothing is
# lost; a reader meanwhile is never blocked.
. "$top_srcdir/tests/e2e/common.sh"

for name in a b; do
  "$PYTHON3" - "$name" > "$TMP/$name.nt" <<'PY'
import sys
name = sys.argv[1]
for i in range(30000):
    print('<http://ex.org/%s/s%d> <http://ex.org/p%d> "value %s %d" .' % (name, i // 7, i % 7, name, i))
PY
done

ng import "$TMP/a.nt" 2> "$TMP/a.err" &
A=$!
ng import "$TMP/b.nt" 2> "$TMP/b.err" &
B=$!
# a reader while they run: answers from the last checkpoint, at once
ng stats > "$TMP/during" || fail "stats while importing"
set +e
wait $A; RA=$?
wait $B; RB=$?
set -e
[ $RA = 0 ] || fail "first import: exit $RA: $(cat "$TMP/a.err")"
[ $RB = 0 ] || fail "second import: exit $RB: $(cat "$TMP/b.err")"

ng stats > "$TMP/after"
grep -q '^quads	60000$' "$TMP/after" || fail "quads: $(cat "$TMP/after")"
grep -q '^triples	60000$' "$TMP/after" || fail "triples: $(cat "$TMP/after")"
grep -q '^graphs	2$' "$TMP/after" || fail "graphs: $(cat "$TMP/after")"
ng export --format nquads > "$TMP/all.nq"
[ "$(wc -l < "$TMP/all.nq")" = 60000 ] || fail "export: $(wc -l < "$TMP/all.nq") quads"
for name in a b; do
  [ "$(grep -c "<https://w3id.org/newsgraph/id/graph/$name> \.\$" "$TMP/all.nq")" = 30000 ] ||
    fail "graph $name is incomplete"
done
exit 0
