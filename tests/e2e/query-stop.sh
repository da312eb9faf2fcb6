#!/bin/sh
# query-stop.sh - a long local query stops within a second of SIGINT or
# SIGTERM (exit 130) and of its --timeout (exit 124), even when one row
# takes minutes (issue 9, case 2: only SIGKILL stopped it).  What it
# printed before ends with a whole line: no row is cut in half.  Both
# engines: the native one's operators and the librdf storage's streams
# (under Rasqal) check for the stop.
. "${top_srcdir:-.}/tests/e2e/common.sh"

ng extract --quiet "$EXAMPLES/articles/belarus-sanctions.txt"
# one row: a count over the fourth power of the store (10^10 combinations)
Q='SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }'
now() { date +%s.%N; }
within() { awk -v a="$1" -v b="$2" -v s="$3" 'BEGIN { exit !(b - a < s) }'; }
# what a whole trivial query costs here (start, open the store, exit): a
# loaded machine or a sanitizer build adds it to every measure below
t0=$(now)
ng query -r tsv 'ASK {}' > /dev/null
BASE=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')

# started PID: wait until the query is at work, its handlers in place
started() { wait_for_handlers "$1" || fail "the query did not start, or ended at once"; }
# ended PID: wait for it, at most 10 s (then kill it and fail); sets rc
ended() {
  for i in $(seq 100); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$1" 2>/dev/null; then
    kill -KILL "$1"
    fail "the query did not stop"
  fi
  set +e
  wait "$1"
  rc=$?
  set -e
}

# stopped_by SIGNAL: the query stopped by SIGNAL after a second of work
stopped_by() {
  : > "$TMP/out"
  (exec "$NEWSGRAPH" query --engine "$ENGINE" -r tsv "$Q" > "$TMP/out" 2> "$TMP/err") &
  pid=$!
  started $pid
  sleep 0.5
  kill -"$1" $pid 2>/dev/null || fail "$ENGINE $1: the query ended before the signal"
  t0=$(now)
  ended $pid
  t1=$(now)
  [ "$rc" -eq 130 ] || fail "$ENGINE $1: exit $rc, not 130"
  within "$t0" "$t1" "$(awk -v b="$BASE" 'BEGIN { print 1 + b }')" ||
    fail "$ENGINE $1: stopped after $t0 .. $t1 (a trivial query takes $BASE s)"
  [ -z "$(tail -c 1 "$TMP/out")" ] || fail "$ENGINE $1: the output ends inside a line"
  ! grep -q '"' "$TMP/out" || fail "$ENGINE $1: a count of the cut data was printed"
}
for ENGINE in native redland; do
stopped_by INT
stopped_by TERM

# --timeout 1: exit 124 within a second of the deadline
t0=$(now)
expect_status 124 ng query --engine $ENGINE -r tsv --timeout 1 "$Q" > "$TMP/out" 2> "$TMP/err"
t1=$(now)
within "$t0" "$t1" "$(awk -v b="$BASE" 'BEGIN { print 2 + b }')" ||
  fail "$ENGINE: --timeout 1 took $t0 .. $t1 (a trivial query takes $BASE s)"
grep -q "ran longer than --timeout 1 s" "$TMP/err" || fail "$ENGINE: no word about the timeout"
! grep -q '"' "$TMP/out" || fail "$ENGINE: --timeout: a count of the cut data was printed"
done

# the same store still answers, whole
ng query -r tsv 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' > "$TMP/out"
grep -q '^"[1-9][0-9]*"' "$TMP/out" || fail "the store does not answer after the stops"
echo "query-stop: ok"
