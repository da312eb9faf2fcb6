#!/bin/sh
# tools/eval.sh [NEWSGRAPH]: score the extractor on the development sets in
# ../shared/eval (a developer tool: the sets are never copied into the
# project).  Prints one line per set, the scorer's figures.  Exits 77 when
# ../shared is absent, as the test suite's skips do.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/newsgraph}
ev=${NG_SHARED:-$top/../shared}/eval
if [ ! -f "$ev/score.py" ]; then
  echo "eval.sh: $ev not found (the development sets live beside the project)" >&2
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for set in meantime-dev petr-dev plover-dev; do
  "$bin" extract --no-store --format tsv "$ev/data/$set.jsonl" > "$tmp/$set.tsv"
  printf '%-13s ' "$set"
  python3 "$ev/score.py" "$ev/data/$set.gold.tsv" "$tmp/$set.tsv" | tr '\n' ' ' | sed 's/  */ /g'
  echo
done
# The judged precision audit (eval/audit): how many of its JUNK events are
# still produced (goal: at most 10%) and how many of its GOOD ones (at least 90%).
if [ -f "$ev/audit/regress.py" ]; then
  "$bin" extract --no-store --format tsv "$ev/audit/articles.jsonl" > "$tmp/audit.tsv"
  printf '%-13s ' audit
  python3 "$ev/audit/regress.py" "$ev/audit/judgements.tsv" "$tmp/audit.tsv" | tr '\n' ' ' | sed 's/  */ /g'
  echo
fi
