#!/bin/bash
# bench/extra-server.sh - the SPARQL server in `make bench`: the embedded
# store against Virtuoso (Debian's virtuoso-opensource 7, a throw-away
# database on loopback) on the same N-Quads of N events:
#   load       `newsgraph import` against Virtuoso's bulk loader
#              (ld_dir + rdf_loader_run + checkpoint, through isql)
#   push       `newsgraph export --graph-store` of the loaded store into
#              the server over HTTP, against the bulk loader's rate
#   queries    the three typical questions of bench/queries/*.rq, each the
#              best of BENCH_REPEAT runs of a whole `newsgraph query`
#              process: --store against --endpoint (same answers checked)
# Rows on stdout, tab-separated: section size measure newsgraph-value peer
# peer-value unit ("-" when missing); progress on stderr.  Exit 77 when
# Virtuoso cannot be had.
#
# Data: BENCH_DATA_DIR (or bench/run's BENCH_WORK) holding events-N.nq and
# events-N.nq.meta; what is missing is generated there with bench/gen.py
# (BENCH_GEN), the same shape as the rest of the benchmark.
# Knobs: BENCH_SERVER_SIZES (default: the BENCH_SIZES of 100000 and more,
# else "100000 1000000"; BENCH_QUICK=1: 10000; BENCH_SIZES set and empty:
# skipped), BENCH_REPEAT (3),
# BENCH_SERVER_PUSH_MAX (largest size pushed over HTTP, 100000: one
# request an article, 100k articles take about 20 minutes),
# VT_BUFFERS (Virtuoso's 8 KiB pages; 400000 = 3.2 GB).
set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
. "$src/examples/scaling/virtuoso.sh"

NG=${BENCH_NEWSGRAPH:-}
if [ -z "$NG" ]; then
  for c in ./.libs/newsgraph ./newsgraph; do [ -x "$c" ] && NG=$(pwd)/${c#./} && break; done
fi
[ -n "$NG" ] || { echo "extra-server: no newsgraph binary (BENCH_NEWSGRAPH)" >&2; exit 1; }
DATA=${BENCH_DATA_DIR:-${BENCH_WORK:-$(pwd)/bench-work}}
GEN=${BENCH_GEN:-${PYTHON3:-python3} $src/bench/gen.py}
LEXICON=${BENCH_LEXICON:-$src/lexicon}
REPEAT=${BENCH_REPEAT:-3}
PUSH_MAX=${BENCH_SERVER_PUSH_MAX:-100000}
export VT_BUFFERS=${VT_BUFFERS:-400000}
if [ -n "${BENCH_SERVER_SIZES:-}" ]; then
  SIZES=$BENCH_SERVER_SIZES
elif [ "${BENCH_QUICK:-0}" = 1 ]; then
  SIZES=10000
elif [ -n "${BENCH_SIZES+set}" ] && [ -z "$BENCH_SIZES" ]; then
  echo "extra-server: BENCH_SIZES is empty (extraction only): skipped" >&2
  exit 77
else
  SIZES=
  for n in ${BENCH_SIZES-}; do [ "$n" -ge 100000 ] && SIZES="$SIZES $n"; done
  SIZES=${SIZES:-100000 1000000}
fi
mkdir -p "$DATA"
WORK=$(mktemp -d "$DATA/server.XXXXXX")
trap 'vt_stop; rm -rf "$WORK"' EXIT

say() { echo "extra-server: $*" >&2; }
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@"; }
now() { date +%s.%N; }
# WALL: seconds the command took; its stdout to $1
timed() {
  local out=$1 t
  shift
  t=$(now)
  "$@" >"$out" || return 1
  WALL=$(echo "$(now) $t" | awk '{printf "%.3f", $1 - $2}')
}
best_of() { # RUNS OUT CMD...: BEST the least WALL
  local runs=$1 out=$2 i
  shift 2
  BEST=-
  for ((i = 0; i < runs; i++)); do
    timed "$out" "$@" || return 1
    if [ "$BEST" = - ] || awk -v a="$WALL" -v b="$BEST" 'BEGIN { exit !(a < b) }'; then BEST=$WALL; fi
  done
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
human() { awk -v n="$1" 'BEGIN { if (n >= 1e6) printf "%gM", n / 1e6; else if (n >= 1e3) printf "%gk", n / 1e3; else print n }'; }

vt_install || { echo "virtuoso-opensource is not installed and cannot be" >&2; exit 77; }

events_file() { # N: the N-Quads of N events, generated when missing
  local f=$DATA/events-$1.nq
  if [ ! -s "$f" ] || [ ! -s "$f.meta" ]; then
    say "generating $1 events"
    $GEN events --lexicon "$LEXICON" --events "$1" --meta "$f.meta" >"$f.tmp" && mv "$f.tmp" "$f" ||
      return 1
  fi
  printf '%s' "$f"
}
meta() { awk -v k="$2" '$1 == k {print $2}' "$1.meta"; }

# The questions, as bench/run asks them.
QUERIES="actor-events events-per-root events-in-month"
query_file() { sed "s|@ACTOR@|$2|g" "$src/bench/queries/$1.rq" >"$WORK/$1.rq" && printf '%s' "$WORK/$1.rq"; }
count_quads() { # on the server, ours only
  "$NG" query --endpoint "$VT_HTTP/sparql" -r tsv \
    'SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), "https://w3id.org/newsgraph/")) }' |
    tail -n 1 | sed 's/^"\([0-9]*\)".*/\1/'
}

bench_size() {
  local n=$1 size file quads actor store=$WORK/store
  size=$(human "$n")
  file=$(events_file "$n") || { say "no data for $n events"; return 1; }
  quads=$(meta "$file" quads)
  actor=$(meta "$file" actor)
  say "$n events, $quads quads: Virtuoso bulk load"
  rm -rf "$WORK/vt" "$WORK/load"
  mkdir "$WORK/load"
  ln -s "$file" "$WORK/load/events.nq"
  VT_DIRS="$WORK/load" vt_start "$WORK/vt" || return 1
  timed /dev/null vt_isql "ld_dir('$WORK/load', '*.nq', 'https://w3id.org/newsgraph/id/graph/unused'); rdf_loader_run(); checkpoint;" ||
    return 1
  local vt_load=$WALL loaded
  loaded=$(count_quads)
  [ "$loaded" = "$quads" ] || say "Virtuoso holds $loaded quads, the file has $quads"
  say "$n events: newsgraph import"
  rm -rf "$store"
  timed /dev/null "$NG" import -q --store "$store" -i nquads "$file" || return 1
  local ng_load=$WALL
  row server "$size" "load N-Quads (s)" "$ng_load" "Virtuoso bulk loader" "$vt_load" s
  row server "$size" "load rate" "$(rate "$quads" "$ng_load")" "Virtuoso bulk loader" "$(rate "$quads" "$vt_load")" quads/s

  local q qf ng_t vt_t
  for q in $QUERIES; do
    say "$n events: $q"
    qf=$(query_file "$q" "$actor")
    ng_t=- vt_t=-
    best_of "$REPEAT" "$WORK/local.tsv" "$NG" query --store "$store" -r tsv -f "$qf" && ng_t=$BEST
    best_of "$REPEAT" "$WORK/remote.tsv" "$NG" query --endpoint "$VT_HTTP/sparql" -r tsv -f "$qf" && vt_t=$BEST
    row server "$size" "$q latency" "$ng_t" "Virtuoso (query --endpoint)" "$vt_t" s
    sort "$WORK/local.tsv" >"$WORK/local.sorted"
    sort "$WORK/remote.tsv" >"$WORK/remote.sorted"
    cmp -s "$WORK/local.sorted" "$WORK/remote.sorted" ||
      say "NOTE $n $q: the answers differ ($(wc -l <"$WORK/local.tsv") and $(wc -l <"$WORK/remote.tsv") lines)"
  done

  if [ "$n" -le "$PUSH_MAX" ]; then
    # over HTTP into the loaded server: every graph replaced by itself
    say "$n events: export --graph-store"
    export NEWSGRAPH_ENDPOINT_USER=dba NEWSGRAPH_ENDPOINT_PASSWORD=$VT_PASSWORD
    if timed /dev/null "$NG" export --store "$store" --graph-store "$VT_HTTP/sparql-graph-crud-auth"; then
      row server "$size" "push over HTTP (export --graph-store)" "$(rate "$quads" "$WALL")" \
        "Virtuoso bulk loader" "$(rate "$quads" "$vt_load")" quads/s
      loaded=$(count_quads)
      [ "$loaded" = "$quads" ] || say "after the push Virtuoso holds $loaded quads, the file has $quads"
    else
      row server "$size" "push over HTTP (export --graph-store)" - "Virtuoso bulk loader" "$(rate "$quads" "$vt_load")" quads/s
    fi
    unset NEWSGRAPH_ENDPOINT_USER NEWSGRAPH_ENDPOINT_PASSWORD
  fi
  vt_stop
  rm -rf "$store" "$WORK/vt"
}

for n in $SIZES; do
  bench_size "$n" || say "the $n events run failed"
done
exit 0
