#!/bin/sh
# examples: each example article gives exactly the events in
# tests/data/expected/ARTICLE.tsv (every TSV column but the sentence text).
# A change to the lexicon or the pipeline that changes them shows here as a
# diff; when the new events are the better ones, regenerate the files with
#   NEWSGRAPH=./newsgraph tests/e2e/examples.sh --update
. "${top_srcdir:-.}/tests/e2e/common.sh"

update=no
[ "${1:-}" = "--update" ] && update=yes
for article in "$EXAMPLES"/articles/*; do
  name=$(basename "$article")
  expected="$DATA/expected/$name.tsv"
  ng extract --no-store --format tsv "$article" | cut -f1-15 > "$TMP/$name.tsv"
  if [ "$update" = yes ]; then
    cp "$TMP/$name.tsv" "$expected"
    continue
  fi
  [ -f "$expected" ] || fail "no $expected (run with --update to write it)"
  diff -u "$expected" "$TMP/$name.tsv" >&2 || fail "$name: events differ from $expected"
done
