#!/bin/sh
# extract: inputs of every kind, bad input, exit codes, help.
. "${top_srcdir:-.}/tests/e2e/common.sh"

# --- help and usage
ng --help | grep -q "^usage: newsgraph" || fail "--help"
ng help extract | grep -q -- "--no-store" || fail "help extract"
ng extract --help | grep -q -- "--input-format" || fail "extract --help"
ng --version | grep -q "^newsgraph [0-9]" || fail "--version"
expect_status 2 ng extract --bogus "$EXAMPLES/articles/protest-minsk.txt" 2>/dev/null
expect_status 2 ng extract 2>/dev/null
expect_status 2 ng nosuchcommand 2>/dev/null
expect_status 2 ng extract --no-store --format nope "$EXAMPLES/articles/protest-minsk.txt" 2>/dev/null
expect_status 2 ng extract --no-store --date 2020-13-45 "$EXAMPLES/articles/protest-minsk.txt" 2>/dev/null

# --- the acceptance sentence: EU - sanctions - Lukashenko - 2020-11-06
printf '%s\n' '{"id": "eu-1", "date": "2020-11-25", "title": "", "text": "The EU on November 6 expanded its list of sanctioned individuals to include Lukashenko."}' > "$TMP/eu.jsonl"
ng extract --no-store --format tsv "$TMP/eu.jsonl" > "$TMP/eu.tsv"
head -1 "$TMP/eu.tsv" | grep -q "^article	sentence	actor	actor_code	actor_text	action	action_text	cameo	target	target_code	target_text	date	article_date	confidence	negated	text	factuality$" \
  || fail "TSV header"
awk -F'\t' '$1=="eu-1" && $3=="European Union" && $6=="sanctions" && $8=="163" && $10=="BLRGOV" && $12=="2020-11-06" && $13=="2020-11-25" {ok=1} END {exit !ok}' "$TMP/eu.tsv" \
  || { cat "$TMP/eu.tsv" >&2; fail "EU sanctions Lukashenko 2020-11-06 not extracted"; }
# every line has exactly 17 fields
awk -F'\t' 'NF != 17 {exit 1}' "$TMP/eu.tsv" || fail "a TSV line without 17 fields"

# --- all three input formats, and stdin
ng extract --no-store --format tsv "$EXAMPLES/articles/diplomacy-summit.html" > "$TMP/html.tsv"
grep -q "2021-06-1[67]" "$TMP/html.tsv" || fail "HTML article date not used"
ng extract --no-store --format tsv - < "$EXAMPLES/articles/protest-minsk.txt" > "$TMP/stdin.tsv"
[ "$(wc -l < "$TMP/stdin.tsv")" -gt 1 ] || fail "no events from stdin"
ng extract --no-store --input-format text --format tsv - < "$EXAMPLES/articles/wire.jsonl" > /dev/null \
  || fail "--input-format text"
ng extract --no-store --format timex "$EXAMPLES/articles/protest-minsk.txt" > "$TMP/timex.tsv"
grep -q "	Sunday	2020-11-15$" "$TMP/timex.tsv" || { cat "$TMP/timex.tsv" >&2; fail "--format timex"; }
ng extract --no-store --format ntriples "$TMP/eu.jsonl" > "$TMP/eu.nt"
grep -q "<https://w3id.org/newsgraph/rel/sanctions>" "$TMP/eu.nt" || fail "direct edge in N-Triples"

# --- bad input: a clear message (file:line:col), exit 1, the rest still done
expect_status 1 ng extract --no-store --format tsv "$TMP/missing.txt" 2> "$TMP/err"
grep -q "missing.txt.*No such file" "$TMP/err" || fail "missing file message"
: > "$TMP/empty.txt"
expect_status 1 ng extract --no-store "$TMP/empty.txt" 2> "$TMP/err"
grep -q "empty" "$TMP/err" || fail "empty file message"
printf 'abc\000def' > "$TMP/binary.txt"
expect_status 1 ng extract --no-store "$TMP/binary.txt" 2> "$TMP/err"
grep -q "binary" "$TMP/err" || fail "binary file message"
printf 'The EU met\nRussia \377 in Minsk.\n' > "$TMP/latin1.txt"
expect_status 1 ng extract --no-store "$TMP/latin1.txt" 2> "$TMP/err"
grep -q "latin1.txt:2:8:.*UTF-8" "$TMP/err" || { cat "$TMP/err" >&2; fail "invalid UTF-8 position"; }
{
  echo '{"id": "good-1", "date": "2020-01-01", "title": "", "text": "Russia attacked Ukraine."}'
  echo '{"id": "bad", "text": "unterminated}'
  echo '{"id": "good-2", "date": "2020-01-01", "title": "", "text": "Iran attacked Israel."}'
} > "$TMP/mixed.jsonl"
expect_status 1 ng extract --no-store --format tsv "$TMP/mixed.jsonl" > "$TMP/mixed.tsv" 2> "$TMP/err"
grep -q "mixed.jsonl:2:" "$TMP/err" || fail "malformed JSON line not located"
grep -q "^good-1	" "$TMP/mixed.tsv" && grep -q "^good-2	" "$TMP/mixed.tsv" || fail "good lines not extracted"
python3 -c "import json; print(json.dumps({'id': 'big', 'text': 'x' * 5000}))" > "$TMP/big.jsonl"
cat "$TMP/eu.jsonl" >> "$TMP/big.jsonl"
expect_status 1 ng extract --no-store --max-article-size 1k --format tsv "$TMP/big.jsonl" > "$TMP/big.tsv" 2> "$TMP/err"
grep -q "big.jsonl:1.*max-article-size" "$TMP/err" || fail "over-long line message"
grep -q "^eu-1	" "$TMP/big.tsv" || fail "line after the over-long one not extracted"

# --- output that pipes cleanly: a closed pipe is not an error
ng extract --no-store --format tsv "$EXAMPLES/articles/wire.jsonl" "$EXAMPLES/articles/belarus-sanctions.txt" | head -1 > /dev/null
exit 0
