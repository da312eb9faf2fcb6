#!/bin/sh
# tools/eval.sh [NEWSGRAPH]: score the extractor on the development sets in
# ../shared/eval (a developer tool: the sets are never copied into the
# project).  Prints one line per set, the scorer's figures.  Exits 77 when
# ../shared is absent, as the test suite's skips do.  NG_EXTRACT_ARGS adds
# options to every extraction (NG_EXTRACT_ARGS="--dictionaries DIR").
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
# MEANTIME annotates event mentions (each sentence that tells an event), so
# it is scored on --format mentions; the coded sets count events.
for set in meantime-dev petr-dev plover-dev; do
  format=tsv
  [ "$set" = meantime-dev ] && format=mentions
  "$bin" extract ${NG_EXTRACT_ARGS:-} --no-store --format $format "$ev/data/$set.jsonl" > "$tmp/$set.tsv"
  printf '%-13s ' "$set"
  python3 "$ev/score.py" "$ev/data/$set.gold.tsv" "$tmp/$set.tsv" | tr '\n' ' ' | sed 's/  */ /g'
  echo
done
# The judged precision audit (eval/audit): how many of its JUNK events are
# still produced (goal: at most 10%) and how many of its GOOD ones (at least 90%).
if [ -f "$ev/audit/regress.py" ]; then
  "$bin" extract ${NG_EXTRACT_ARGS:-} --no-store --format tsv "$ev/audit/articles.jsonl" > "$tmp/audit.tsv"
  printf '%-13s ' audit
  python3 "$ev/audit/regress.py" "$ev/audit/judgements.tsv" "$tmp/audit.tsv" | tr '\n' ' ' | sed 's/  */ /g'
  echo
fi
# The blind audits of this project (doc/audits/, judgements kept without the
# news text): the same replay over their articles, read from the corpus.
for judged in "$top"/doc/audits/*.judgements.tsv; do
  [ -f "$judged" ] || continue
  name=$(basename "$judged" .judgements.tsv)
  ids="$top/doc/audits/$name.articles.txt"
  [ -f "$ids" ] && [ -f "$ev/../corpus/bbc-2004.jsonl" ] || continue
  python3 - "$ids" "$ev/../corpus/bbc-2004.jsonl" > "$tmp/$name.jsonl" <<'PY'
import json, sys
want = [l.strip() for l in open(sys.argv[1]) if l.strip()]
arts = {}
for line in open(sys.argv[2], encoding="utf-8"):
    a = json.loads(line)
    if a["id"] in want:
        arts[a["id"]] = line
sys.stdout.write("".join(arts[i] for i in want if i in arts))
PY
  "$bin" extract ${NG_EXTRACT_ARGS:-} --no-store --format tsv "$tmp/$name.jsonl" > "$tmp/$name.tsv"
  printf '%-13s ' "$name"
  python3 "$ev/audit/regress.py" "$judged" "$tmp/$name.tsv" | tr '\n' ' ' | sed 's/  */ /g'
  echo
done
