#!/bin/sh
# reliability-kill.sh - crash safety of the store under SIGKILL.
#  - `extract --verbose` killed at NG_KILLS (default 50, fewer where runs
#    are slow: see BUDGET) random points spread over its whole run, the
#    last commit included: each time the store opens, every article the
#    run reported "committed ID" is there complete, and no article is there
#    in part;
#  - the same just before and just after a commit (NG_TEST_CRASH);
#  - `import` of several files killed at NG_IMPORT_KILLS (default 20, or
#    fewer) random points: each file's graph is there complete or not at
#    all, and the files there are the first ones of the command;
#  - `export` and `query` killed at random points: the store is unchanged
#    and still takes writes;
#  - two `extract` runs into one store at once: both complete, nothing is
#    lost or doubled.
# NG_KILL_SEED repeats a run's random points (the seed is printed).
. "${top_srcdir:-.}/tests/e2e/common.sh"

SEED=${NG_KILL_SEED:-$$}
# a time budget in seconds for each series of kills: where a run is slow
# (sanitizers, valgrind, a loaded machine) there are fewer kills, never
# fewer than 10 (valgrind: 3); NG_KILLS and NG_IMPORT_KILLS set the numbers
BUDGET=${NG_KILL_BUDGET:-25}
MIN_KILLS=10
[ -z "${NG_SLOW:-}" ] || MIN_KILLS=3
# kill_count WANTED SPAN CHECK BUDGET: how many kills of runs SPAN long,
# each followed by a check CHECK long, fit in BUDGET (at least MIN_KILLS)
kill_count() {
  awk -v want="$1" -v span="$2" -v check="$3" -v budget="$4" -v min="$MIN_KILLS" \
    'BEGIN { n = int(budget / (span / 2 + check + 0.05)); n = n > want ? want : n;
             print n < min ? min : n }'
}
ARTICLES=40

# run newsgraph in this process (exec), so that $! of "(start ...) &" is it
start() {
  if [ -n "${NG_VALGRIND:-}" ] && [ -x "${top_builddir:-.}/libtool" ]; then
    exec "${top_builddir:-.}/libtool" --mode=execute $NG_VALGRIND "$NEWSGRAPH" "$@"
  fi
  exec "$NEWSGRAPH" "$@"
}
now() { date +%s.%N; }
# delays N SPAN: N delays spread evenly over [0, SPAN] seconds, each at a
# random place in its own slice
delays() {
  awk -v n="$1" -v span="$2" -v seed="$3" \
    'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%.3f\n", span * (i + rand()) / n }'
}
# graph_counts STORE OUT: quads per named graph, "IRI<TAB>count" lines;
# fails when the store does not open.  (Rasqal 0.9.33 answers a GROUP BY
# over no match with one row of an unbound key: rows without an IRI go.)
graph_counts() {
  # killed before it made its store (or right after it made the directory,
  # before any file in it, or between LMDB's lock file and its data file -
  # seen once in a hundred runs under ASan): nothing there, nothing committed
  if [ ! -e "$1" ] || [ -z "$(ls -A "$1" | grep -v -x -e lock.mdb -e LOCK)" ]; then : > "$2"; return 0; fi
  ng query --store "$1" -r tsv \
    'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g' > "$TMP/raw.tsv" ||
    fail "the store $1 does not open"
  sed -n 's/^<\([^>]*\)>	"\([0-9]*\)".*/\1	\2/p' "$TMP/raw.tsv" > "$2"
}

# ------------------------------------------------------------- articles
# Articles of 64 KiB (the reader takes standard input in chunks of that
# size) fed through a pipe at a steady pace: the run lasts as long on a
# loaded machine as on an idle one, and the writer commits in several
# groups (one every 0.2 s) before its final checkpoint.
"$PYTHON3" - "$TMP" "$ARTICLES" <<'PY'
import json, sys
tmp, n = sys.argv[1], int(sys.argv[2])
filler = " ".join(["the committee of regional observers and the prices in the northern "
                   "markets of the old town with the rest."] * 620)
# k: the killed runs; a and b (without the filler, as they are not fed):
# the two writers at once
for prefix in "kab":
    with open("%s/%s.jsonl" % (tmp, prefix), "w") as f:
        for i in range(n):
            text = ("Country%d officials said on Monday that Russia attacked Ukraine near Kharkiv. "
                    "%s The EU imposed sanctions on Belarus." % (i, filler if prefix == "k" else ""))
            f.write(json.dumps({"id": "%s-%d" % (prefix, i), "date": "2022-03-0%d" % (1 + i % 9),
                                "text": text}) + "\n")
PY
cat > "$TMP/feed.py" <<'PY'
import sys, time
pause = float(sys.argv[2])
try:
    for line in open(sys.argv[1], "rb"):
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
        time.sleep(pause)
except BrokenPipeError: # the reader was killed
    sys.stderr.close()
PY
# extract_fed STORE ERRFILE [OPTIONS]: extract k.jsonl fed slowly (in the background: $!)
extract_fed() {
  store=$1 errfile=$2
  shift 2
  "$PYTHON3" "$TMP/feed.py" "$TMP/k.jsonl" "$PACE" |
    (start extract --store "$store" --verbose --input-format jsonl "$@" - 2> "$errfile") &
}
PACE=0.012
# the reference run: how long a whole run takes, and what one article holds
REF="$TMP/ref"
t0=$(now)
extract_fed "$REF" "$TMP/ref.err"
wait
t1=$(now)
SPAN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1.1 }')
[ "$(grep -c '^committed ' "$TMP/ref.err")" -eq "$ARTICLES" ] || fail "reference run: not all committed"
graph_counts "$REF" "$TMP/ref.tsv"
PER_ARTICLE=$(awk -F'\t' '$1 ~ /\/id\/article\// {print $2}' "$TMP/ref.tsv" | sort -u)
[ "$(echo "$PER_ARTICLE" | wc -l)" -eq 1 ] && [ "$PER_ARTICLE" -gt 0 ] ||
  fail "the generated articles differ in size: $PER_ARTICLE"
[ "$(grep -c '/id/article/' "$TMP/ref.tsv")" -eq "$ARTICLES" ] || fail "reference run: articles missing"
t0=$(now)
graph_counts "$REF" "$TMP/ref.tsv"
t1=$(now)
CHECK=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
KILLS=${NG_KILLS:-$(kill_count 50 "$SPAN" "$CHECK" "$BUDGET")}
echo "reliability-kill: seed $SEED; a run takes ${SPAN}s (with 10% more), a check ${CHECK}s;" \
  "$KILLS kills; $PER_ARTICLE quads per article" >&2

# check_articles STORE ERRFILE WHAT: the store opens; every article in it
# is complete; every article ERRFILE says was committed is in it.
check_articles() {
  graph_counts "$1" "$TMP/counts.tsv"
  awk -F'\t' -v want="$PER_ARTICLE" '$1 ~ /\/id\/article\// && $2 != want {bad = 1} END {exit bad}' \
    "$TMP/counts.tsv" || { cat "$TMP/counts.tsv" >&2; fail "$3: an article is in the store in part"; }
  sed -n 's/^committed //p' "$2" | sort > "$TMP/committed"
  sed -n 's|^.*/id/article/\([^	]*\)	.*|\1|p' "$TMP/counts.tsv" | sort > "$TMP/present"
  missing=$(comm -23 "$TMP/committed" "$TMP/present" | head -3)
  [ -z "$missing" ] || fail "$3: committed but missing: $missing"
  COMMITTED=$(wc -l < "$TMP/committed")
  PRESENT=$(wc -l < "$TMP/present")
}

# ------------------------------------------------ extract, killed at random
K="$TMP/killed"
early=0 middle=0 closing=0 finished=0
for delay in $(delays "$KILLS" "$SPAN" "$SEED"); do
  rm -rf "$K"
  extract_fed "$K" "$TMP/kill.err"
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null || true
  set +e
  { wait "$pid"; } 2>/dev/null
  rc=$?
  wait # the feeder
  set -e
  check_articles "$K" "$TMP/kill.err" "killed after ${delay}s"
  if [ "$rc" -eq 0 ]; then finished=$((finished + 1))
  elif [ "$COMMITTED" -eq 0 ]; then early=$((early + 1))
  elif [ "$COMMITTED" -lt "$ARTICLES" ]; then middle=$((middle + 1))
  else closing=$((closing + 1)) # all committed: killed while closing
  fi
done
echo "extract kills: $early before the first commit, $middle during the run," \
  "$closing after the last commit, $finished after the end" >&2
[ $((early + middle + closing + finished)) -eq "$KILLS" ] || fail "kills not all counted"
# On a loaded machine a run can be slower than the reference, and every
# random point may fall before its first commit: then one more run, killed
# right after it reports its first commit, makes sure a kill lands mid-run.
if [ "$KILLS" -ge 10 ] && [ "$middle" -eq 0 ]; then
  rm -rf "$K"
  extract_fed "$K" "$TMP/kill.err"
  pid=$!
  waited=0
  while ! grep -q '^committed ' "$TMP/kill.err" 2>/dev/null && [ "$waited" -lt 600 ]; do
    sleep 0.05
    waited=$((waited + 1))
  done
  kill -KILL "$pid" 2>/dev/null || true
  set +e
  { wait "$pid"; } 2>/dev/null
  wait
  set -e
  check_articles "$K" "$TMP/kill.err" "killed after its first commit"
  [ "$COMMITTED" -gt 0 ] && [ "$COMMITTED" -lt "$ARTICLES" ] && middle=1
  echo "extract killed after its first commit: $COMMITTED of $ARTICLES articles committed" >&2
fi
[ "$KILLS" -lt 10 ] || [ "$middle" -gt 0 ] || fail "no kill landed while articles were committed"

# the first commit, just before and just after it (deterministic crash
# points): before it nothing is there; after it the articles of that
# commit are, whole, though the run died before it reported them
head -10 "$TMP/k.jsonl" > "$TMP/k10.jsonl"
for step in before-commit after-commit; do
  rm -rf "$K"
  set +e
  # not fed (only the end matters), and not under valgrind, whose exit
  # status for what a process dying half-way leaves would hide the 70
  (NG_TEST_CRASH=$step; export NG_TEST_CRASH; exec "$NEWSGRAPH" extract --store "$K" --verbose \
    "$TMP/k10.jsonl") 2> "$TMP/kill.err"
  rc=$?
  set -e
  [ "$rc" -eq 70 ] || fail "crash $step: exit $rc, not 70"
  check_articles "$K" "$TMP/kill.err" "crash $step"
  [ "$COMMITTED" -eq 0 ] || fail "crash $step: $COMMITTED articles reported committed"
  if [ "$step" = before-commit ]; then
    [ "$PRESENT" -eq 0 ] || fail "crash $step: $PRESENT articles there"
  else
    [ "$PRESENT" -gt 0 ] || fail "crash $step: the committed articles are not there"
  fi
done

# ------------------------------------------------- import, killed at random
FILES=""
for i in 1 2 3 4 5; do
  "$PYTHON3" - "$TMP/part$i.nt" "$i" <<'PY'
import sys
path, part = sys.argv[1], sys.argv[2]
with open(path, "w") as f:
    for j in range(3000):
        f.write('<http://e.org/%s/s%d> <http://e.org/p%d> "value %s %d" .\n' % (part, j // 5, j % 5, part, j))
PY
  FILES="$FILES $TMP/part$i.nt"
done
t0=$(now)
ng import --store "$TMP/import-ref" $FILES
t1=$(now)
ISPAN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1.1 }')
graph_counts "$TMP/import-ref" "$TMP/iref.tsv"
[ "$(grep -c '	3000$' "$TMP/iref.tsv")" -eq 5 ] || fail "reference import"
IMPORT_KILLS=${NG_IMPORT_KILLS:-$(kill_count 20 "$ISPAN" "$CHECK" $((BUDGET / 2)))}
echo "import: a run takes ${ISPAN}s; $IMPORT_KILLS kills" >&2
parts_seen=""
for delay in $(delays "$IMPORT_KILLS" "$ISPAN" "$((SEED + 1))"); do
  rm -rf "$K"
  (start import --store "$K" $FILES 2> /dev/null) &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null || true
  { wait "$pid"; } 2>/dev/null || true
  graph_counts "$K" "$TMP/counts.tsv"
  # whole files only, and the first ones
  awk -F'\t' '$1 ~ /\/graph\/part[0-9]$/ && $2 != 3000 {bad = 1} END {exit bad}' "$TMP/counts.tsv" ||
    { cat "$TMP/counts.tsv" >&2; fail "import killed after ${delay}s: a file in part"; }
  parts=$(sed -n 's|^.*/graph/part\([0-9]\)	.*|\1|p' "$TMP/counts.tsv" | sort | tr -d '\n')
  case 12345 in "$parts"*) ;; *) fail "import killed after ${delay}s: files $parts, not the first ones" ;; esac
  parts_seen="$parts_seen ${parts:-none}"
done
echo "import kills: files present each time:$parts_seen" >&2

# ------------------------------------------ export and query, killed at random
# Readers killed in the middle leave the store as it was (LMDB readers
# write nothing; a killed reader's slot is cleared by the next writer), and
# writers go on.
R="$TMP/import-ref"
ng stats --store "$R" > "$TMP/r.before"
t0=$(now)
ng export --store "$R" --format turtle > /dev/null
t1=$(now)
ESPAN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1.1 }')
Q='SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o . ?s2 ?p ?o } GROUP BY ?p'
READER_KILLS=${NG_READER_KILLS:-$(kill_count 10 "$ESPAN" "$CHECK" $((BUDGET / 3)))}
for delay in $(delays "$READER_KILLS" "$ESPAN" "$((SEED + 2))"); do
  (start export --store "$R" --format turtle > /dev/null 2>&1) &
  e=$!
  (start query --store "$R" -r tsv "$Q" > /dev/null 2>&1) &
  q=$!
  sleep "$delay"
  kill -KILL "$e" "$q" 2>/dev/null || true
  { wait "$e"; wait "$q"; } 2>/dev/null || true
done
ng stats --store "$R" > "$TMP/r.after"
cmp -s "$TMP/r.before" "$TMP/r.after" ||
  fail "export and query killed: the store changed: $(tr '\n' ' ' < "$TMP/r.after")"
ng import --store "$R" --graph http://e.org/after-kills "$TMP/part1.nt"
graph_counts "$R" "$TMP/counts.tsv"
grep -q "^http://e.org/after-kills	3000$" "$TMP/counts.tsv" ||
  fail "a write after readers were killed: $(cat "$TMP/counts.tsv")"
echo "export and query: $READER_KILLS kills each, the store unchanged, writers go on" >&2

# ----------------------------------------------- two writers at the same time
C="$TMP/concurrent"
(start extract --store "$C" --verbose "$TMP/a.jsonl" 2> "$TMP/a.err") &
A=$!
(start extract --store "$C" --verbose "$TMP/b.jsonl" 2> "$TMP/b.err") &
B=$!
set +e
wait "$A"
ra=$?
wait "$B"
rb=$?
set -e
[ "$ra" -eq 0 ] && [ "$rb" -eq 0 ] || fail "two writers: exit $ra and $rb: $(cat "$TMP/a.err" "$TMP/b.err" | grep -v committed)"
cat "$TMP/a.err" "$TMP/b.err" > "$TMP/ab.err"
check_articles "$C" "$TMP/ab.err" "two writers"
[ "$COMMITTED" -eq $((2 * ARTICLES)) ] && [ "$PRESENT" -eq $((2 * ARTICLES)) ] ||
  fail "two writers: $COMMITTED committed, $PRESENT in the store, $((2 * ARTICLES)) written"
# nothing doubled: the articles of both files, the actors they share once
# (all three files name the same ones: the reference store holds them)
stat_of() { ng stats --store "$1" | awk -F'\t' -v k="$2" '$1 == k {print $2}'; }
[ "$(stat_of "$C" articles)" -eq $((2 * ARTICLES)) ] &&
  [ "$(stat_of "$C" events)" -eq $((2 * $(stat_of "$REF" events))) ] &&
  [ "$(stat_of "$C" quads)" -eq $(($(stat_of "$REF" quads) + ARTICLES * PER_ARTICLE)) ] ||
  fail "two writers: $(ng stats --store "$C" | tr '\n' ' ')"
exit 0
