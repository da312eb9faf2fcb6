#!/bin/sh
# server-parallel.sh - extract -j N gives the same bytes as -j 1: on
# standard output in every format, in the store, on standard error for bad
# records, and with the same exit status; on the BBC corpus too when
# ../shared is there.
. "$top_srcdir/tests/e2e/common.sh"
A="$EXAMPLES/articles"

for format in tsv nquads ntriples turtle timex; do
  ng extract -j 1 --no-store --format "$format" "$A"/* > "$TMP/one.$format"
  [ -s "$TMP/one.$format" ] || fail "-j 1 --format $format printed nothing"
  for j in 2 3 8; do
    ng extract -j "$j" --no-store --format "$format" "$A"/* > "$TMP/many"
    cmp -s "$TMP/one.$format" "$TMP/many" || fail "-j $j --format $format differs from -j 1"
  done
done
# -j 0: one thread per processor
ng extract -j 0 --no-store --format tsv "$A"/* | cmp -s - "$TMP/one.tsv" || fail "-j 0 differs"
# standard input
cat "$A/wire.jsonl" | ng extract -j 2 -i jsonl --no-store --format tsv - > "$TMP/stdin"
ng extract --no-store --format tsv "$A/wire.jsonl" | cmp -s - "$TMP/stdin" || fail "-j 2 from stdin differs"

# the store: the same graphs whatever -j
ng extract -q -j 1 --store "$TMP/s1" "$A"/*
ng extract -q -j 3 --store "$TMP/s3" "$A"/*
ng stats -s "$TMP/s1" | grep -v '^bytes' > "$TMP/stats1"
ng stats -s "$TMP/s3" | grep -v '^bytes' > "$TMP/stats3"
cmp -s "$TMP/stats1" "$TMP/stats3" || fail "stats differ: $(diff "$TMP/stats1" "$TMP/stats3")"
ng export -s "$TMP/s1" --format nquads | sort > "$TMP/q1"
ng export -s "$TMP/s3" --format nquads | sort > "$TMP/q3"
[ -s "$TMP/q1" ] || fail "nothing stored"
cmp -s "$TMP/q1" "$TMP/q3" || fail "-j 3 stored other quads"
# --verbose tells the commits in input order
ng extract -v -j 2 --store "$TMP/s2" "$A"/* 2> "$TMP/v2" > /dev/null
ng extract -v -j 1 --store "$TMP/s1b" "$A"/* 2> "$TMP/v1" > /dev/null
cmp -s "$TMP/v1" "$TMP/v2" || fail "--verbose differs: $(diff "$TMP/v1" "$TMP/v2")"

# malformed records among good ones: the same messages, output and status
{
  head -n 1 "$A/wire.jsonl"
  echo '{"id": "broken", "text": '
  sed -n 2p "$A/wire.jsonl"
  printf '{"id": "bad-utf8", "text": "\377"}\n'
  tail -n +3 "$A/wire.jsonl"
} > "$TMP/mixed.jsonl"
expect_status 1 ng extract -j 1 --no-store --format tsv "$TMP/mixed.jsonl" > "$TMP/m1" 2> "$TMP/e1"
expect_status 1 ng extract -j 4 --no-store --format tsv "$TMP/mixed.jsonl" > "$TMP/m4" 2> "$TMP/e4"
cmp -s "$TMP/m1" "$TMP/m4" || fail "output with bad records differs"
cmp -s "$TMP/e1" "$TMP/e4" || fail "messages differ: $(diff "$TMP/e1" "$TMP/e4")"
grep -q "mixed.jsonl:2:" "$TMP/e1" || fail "the broken record is not reported: $(cat "$TMP/e1")"
[ "$(tail -n +2 "$TMP/m1" | cut -f1 | sort -u | wc -l)" -ge 2 ] || fail "good records lost"

# a reader that goes away early is not an error, and nothing hangs
ng extract -j 2 --no-store --format nquads "$A"/* "$A"/* "$A"/* | head -n 3 > /dev/null

# usage errors
expect_status 2 ng extract -j -1 --no-store "$A/wire.jsonl" 2> /dev/null
expect_status 2 ng extract -j many --no-store "$A/wire.jsonl" 2> /dev/null
expect_status 2 ng extract --jobs 257 --no-store "$A/wire.jsonl" 2> /dev/null

# the BBC corpus (2,095 articles), when the shared data is there
BBC="$top_srcdir/../shared/corpus/bbc-2004.jsonl"
if [ -r "$BBC" ]; then
  for format in tsv nquads; do
    ng extract -j 1 --no-store --format "$format" "$BBC" > "$TMP/bbc1"
    ng extract -j 2 --no-store --format "$format" "$BBC" > "$TMP/bbc2"
    [ "$(wc -l < "$TMP/bbc1")" -gt 10000 ] || fail "BBC: too little output"
    cmp -s "$TMP/bbc1" "$TMP/bbc2" || fail "BBC --format $format: -j 2 differs from -j 1"
  done
else
  echo "note: $BBC not found: the BBC comparison was not run" >&2
fi
exit 0
