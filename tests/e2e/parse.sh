#!/bin/sh
# parse: articles and given words in, CoNLL-U out; the parse fixtures; bad
# models and bad CoNLL-U.
. "${top_srcdir:-.}/tests/e2e/common.sh"

# --- help and usage
ng help parse | grep -q -- "--tokenized" || fail "help parse"
expect_status 2 ng parse 2>/dev/null
expect_status 2 ng parse --bogus - </dev/null 2>/dev/null
expect_status 2 ng parse --input-format nope - </dev/null 2>/dev/null
for w in 0 65 x 8x; do expect_status 2 ng parse --beam $w - </dev/null 2>/dev/null; done

# --- an article: sentences and tokens as extraction splits them
printf 'Troops left Kabul on Monday. The talks, which Norway hosted, failed.\n' > "$TMP/a.txt"
ng parse "$TMP/a.txt" > "$TMP/a.conllu"
grep -q "^# newdoc id = " "$TMP/a.conllu" || fail "no newdoc comment"
[ "$(grep -c '^# sent_id = ' "$TMP/a.conllu")" -eq 2 ] || { cat "$TMP/a.conllu" >&2; fail "two sentences"; }
grep -q "^# text = Troops left Kabul on Monday\.$" "$TMP/a.conllu" || fail "# text"
# ten fields a token line, one root a sentence, heads within the sentence
awk -F'\t' '/^[0-9]/ && NF != 10 {exit 1}' "$TMP/a.conllu" || fail "a token line without 10 fields"
awk -F'\t' '/^# sent_id/ {if (n && roots != 1) bad=1; roots=0; n=0} /^[0-9]/ {n++; if ($7 == 0) roots++; if ($7 > 40) bad=1}
  END {if (roots != 1) bad=1; exit bad}' "$TMP/a.conllu" || fail "not one root a sentence"
grep -q "^3	Kabul	Kabul	PROPN	NNP	_	2	obj	_	TokenRange=12:17$" "$TMP/a.conllu" \
  || { cat "$TMP/a.conllu" >&2; fail "Kabul as the object, with its offsets"; }
grep -q "^5	Monday	.*SpaceAfter=No|TokenRange=" "$TMP/a.conllu" || fail "SpaceAfter=No"
# standard input, JSON Lines
ng parse - < "$TMP/a.txt" | cmp -s - "$TMP/a.conllu" || fail "stdin differs"
printf '{"id": "j1", "title": "Rebels seize airport", "text": "Officials said five were hurt."}\n' > "$TMP/j.jsonl"
ng parse "$TMP/j.jsonl" > "$TMP/j.conllu"
grep -q "^# text = Rebels seize airport$" "$TMP/j.conllu" || fail "the title is a sentence"

# --- given words: the same sentences back, predicted columns filled in
ng parse --tokenized "$DATA/parse/fixtures.conllu" > "$TMP/f.conllu"
[ "$(grep -c '^# sent_id' "$TMP/f.conllu")" -eq "$(grep -c '^# sent_id' "$DATA/parse/fixtures.conllu")" ] \
  || fail "--tokenized lost sentences"
cut -f2 "$DATA/parse/fixtures.conllu" | cmp -s - "$(cut -f2 "$TMP/f.conllu" > "$TMP/forms"; echo "$TMP/forms")" \
  || fail "--tokenized changed the words"
ng parse --tokenized - < "$DATA/parse/fixtures.conllu" | cmp -s - "$TMP/f.conllu" || fail "--tokenized from stdin"
# multiword ranges and empty nodes are kept, not parsed
printf '1-2\tdon'"'"'t\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\t_\t_\t_\t_\t0\troot\t_\t_\n2\tn'"'"'t\t_\t_\t_\t_\t1\tadvmod\t_\t_\n2.1\tgo\t_\t_\t_\t_\t_\t_\t1:x\t_\n3\t.\t_\t_\t_\t_\t1\tpunct\t_\t_\n\n' > "$TMP/mw.conllu"
ng parse --tokenized "$TMP/mw.conllu" > "$TMP/mw.out"
grep -q "^1-2	don't	_" "$TMP/mw.out" || fail "range line"
grep -q "^2.1	go	_" "$TMP/mw.out" || fail "empty node line"
[ "$(grep -c '^[0-9]*	' "$TMP/mw.out")" -eq 3 ] || fail "three words parsed"

# greedy and with a beam: the same words, one root a sentence, heads within it
for w in 1 8; do
  ng parse --beam $w --tokenized "$DATA/parse/fixtures.conllu" > "$TMP/b$w.conllu"
  cut -f2 "$TMP/b$w.conllu" | cmp -s - "$TMP/forms" || fail "--beam $w changed the words"
  awk -F'\t' '/^# sent_id/ {if (n && roots != 1) bad=1; roots=0; n=0}
    /^[0-9]+\t/ {n++; if ($7 == 0) roots++; if ($7 < 0 || $7 > 80) bad=1}
    END {if (roots != 1) bad=1; exit bad}' "$TMP/b$w.conllu" || fail "--beam $w: not one root a sentence"
done
ng parse --beam 8 --tokenized "$DATA/parse/fixtures.conllu" | cmp -s - "$TMP/b8.conllu" \
  || fail "--beam 8 is not deterministic"

# --- the fixtures: the relations extraction relies on
"$PYTHON3" "$top_srcdir/tools/check-parse-fixtures.py" "$DATA/parse/fixtures.conllu" "$TMP/f.conllu" \
  || fail "parse fixtures"

# --- bad input: a clear error naming the file, exit 1
printf '1\tword\t_\n\n' > "$TMP/bad.conllu"
expect_status 1 ng parse --tokenized "$TMP/bad.conllu" > /dev/null 2> "$TMP/err"
grep -q "bad.conllu:1:.*10 tab-separated fields" "$TMP/err" || { cat "$TMP/err" >&2; fail "bad CoNLL-U message"; }
printf '1\tword\t_\t_\t_\t_\t0\troot\t_\t_\n3\tgap\t_\t_\t_\t_\t1\tdep\t_\t_\n\n' > "$TMP/gap.conllu"
expect_status 1 ng parse --tokenized "$TMP/gap.conllu" > /dev/null 2> "$TMP/err"
grep -q "gap.conllu:2:1: .*ID 3" "$TMP/err" || { cat "$TMP/err" >&2; fail "gap in the word IDs"; }
expect_status 1 ng parse --tokenized "$TMP/none.conllu" > /dev/null 2> "$TMP/err"
grep -q "none.conllu" "$TMP/err" || fail "missing CoNLL-U file"

# --- bad models: named in the error, exit 1, no output
head -c 1000 "$top_srcdir/model/en-ewt.ngp" > "$TMP/short.ngp"
expect_status 1 ng parse --model "$TMP/short.ngp" "$TMP/a.txt" > "$TMP/out" 2> "$TMP/err"
grep -q "short.ngp.*truncated" "$TMP/err" || { cat "$TMP/err" >&2; fail "truncated model message"; }
[ ! -s "$TMP/out" ] || fail "output with a bad model"
head -c 4096 /dev/zero | tr '\0' 'x' > "$TMP/junk.ngp"
expect_status 1 ng parse --model "$TMP/junk.ngp" "$TMP/a.txt" > /dev/null 2> "$TMP/err"
grep -q "junk.ngp.*signature" "$TMP/err" || { cat "$TMP/err" >&2; fail "junk model message"; }
expect_status 1 ng parse --model "$TMP/nope.ngp" "$TMP/a.txt" > /dev/null 2> "$TMP/err"
grep -q "nope.ngp" "$TMP/err" || fail "missing model message"
ng parse --model "$top_srcdir/model/en-ewt.ngp" "$TMP/a.txt" | cmp -s - "$TMP/a.conllu" \
  || fail "the model file and the built-in model differ"
echo "parse: ok"
