#!/bin/sh
# eval-parser.sh NEWSGRAPH - `make eval-parser`: tag and parse UD English EWT
# dev and test with their own tokens (newsgraph parse --tokenized), score them
# (tools/score-conllu.py) and print the scores beside those recorded with the
# model (model/scores.txt), and its "note SPLIT:" lines.  Exit 77 when ../shared is not there.
set -eu
NG=$1
SRC=$(cd "$(dirname "$0")/.." && pwd)
EWT=$SRC/../shared/ud-english-ewt
if [ ! -f "$EWT/en_ewt-ud-dev.conllu" ]; then
  echo "eval-parser: $EWT not found: skipped"
  exit 77
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for split in dev test; do
  "$NG" parse --tokenized "$EWT/en_ewt-ud-$split.conllu" > "$TMP/$split.conllu"
  python3 "$SRC/tools/score-conllu.py" "$EWT/en_ewt-ud-$split.conllu" "$TMP/$split.conllu" \
    --name "$split" --last "$SRC/model/scores.txt"
  # what the recorded scores say of this split (dev in the training data)
  sed -n "s/^note $split: /      ($split: /p" "$SRC/model/scores.txt" | sed 's/$/)/'
done
