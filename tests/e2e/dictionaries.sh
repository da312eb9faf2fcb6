#!/bin/sh
# dictionaries: extract --dictionaries DIR reads PETRARCH-2's dictionary
# formats - first the invented fixtures of tests/data/dictionaries (actors,
# agents, verbs, discards over the built-in lexicon), their errors and
# notes; then, when ../shared is there, PETRARCH-2's own dictionaries on
# a date-restricted role (skipped without it).
. "${top_srcdir:-.}/tests/e2e/common.sh"

T=$(printf '\t')
FIX="$DATA/dictionaries"
events() { cut -f3,4,6,8,9,10 "$1"; } # actor, code, action, cameo, target, code

printf 'The Northern River Front attacked Belarus.\nRussian harbour masters attacked Belarus.\n' > "$TMP/a.txt"
ng extract --no-store --format tsv --date 2012-01-01 --dictionaries "$FIX" "$TMP/a.txt" \
  > "$TMP/a.tsv" 2> "$TMP/a.err"
events "$TMP/a.tsv" > "$TMP/a.ev"
grep -qF "Northern River Front${T}BLRREB${T}attacks${T}190${T}Belarus${T}BLR" "$TMP/a.ev" ||
  { cat "$TMP/a.ev" >&2; fail "fixture actor not coded"; }
grep -qF "Russia government${T}RUSGOV${T}attacks${T}190${T}Belarus${T}BLR" "$TMP/a.ev" ||
  { cat "$TMP/a.ev" >&2; fail "fixture agent not coded"; }
grep -q "^newsgraph: note: .*PETRARCH-2 dictionaries: .* 3 not mapped (--verbose lists them)" "$TMP/a.err" ||
  { cat "$TMP/a.err" >&2; fail "no summary note"; }
# --verbose lists each pattern not mapped at its line, --quiet drops the note
ng extract --no-store --verbose --dictionaries "$FIX" "$TMP/a.txt" 2> "$TMP/v.err" > /dev/null
grep -q "Test.verbs.txt:18:1: pattern not mapped: words before the verb" "$TMP/v.err" ||
  { cat "$TMP/v.err" >&2; fail "--verbose does not list the patterns not mapped"; }
ng extract --no-store --quiet --dictionaries "$FIX" "$TMP/a.txt" 2> "$TMP/q.err" > /dev/null
[ ! -s "$TMP/q.err" ] || { cat "$TMP/q.err" >&2; fail "--quiet still writes"; }
# without the option nothing of the fixtures is known
ng extract --no-store --format tsv --date 2012-01-01 "$TMP/a.txt" > "$TMP/plain.tsv"
grep -q "BLRREB" "$TMP/plain.tsv" && fail "the fixture actor is known without --dictionaries"

# errors: a missing folder, a folder with no dictionary, a malformed line
expect_status 1 ng extract --no-store --dictionaries "$TMP/none" "$TMP/a.txt" 2> "$TMP/e1"
grep -q "^newsgraph: error: $TMP/none: cannot read the dictionaries folder" "$TMP/e1" || fail "missing folder: $(cat "$TMP/e1")"
mkdir "$TMP/empty"
echo "nothing" > "$TMP/empty/notes.txt"
expect_status 1 ng extract --no-store --dictionaries "$TMP/empty" "$TMP/a.txt" 2> "$TMP/e2"
grep -q "no PETRARCH-2 dictionary here" "$TMP/e2" || fail "empty folder: $(cat "$TMP/e2")"
mkdir "$TMP/bad"
printf 'ZORYA_PARTY_ [BLRPTY]\n+ZORYA_\n\t[BLROPP 990101-\n' > "$TMP/bad/Bad.actors.txt"
expect_status 1 ng extract --no-store --dictionaries "$TMP/bad" "$TMP/a.txt" 2> "$TMP/e3"
grep -q "^newsgraph: error: $TMP/bad/Bad.actors.txt:3:2: unclosed '\[' in an actor's code" "$TMP/e3" ||
  fail "malformed line: $(cat "$TMP/e3")"

SHARED="${NG_SHARED:-$top_srcdir/../shared}/petrarch2-dictionaries"
[ -f "$SHARED/CAMEO.2.0.txt" ] || skip "no $SHARED (the shared data is not in a user's clone)"
# George W. Bush is [USAELI 640101-010120] [USAGOV 010120-090120] [USAELI]
# there; the built-in lexicon does not name him
printf 'President George W. Bush criticised Iran on Monday.\n' > "$TMP/b.txt"
for d in 1995-03-01 2004-03-01 2012-03-01; do
  ng extract --quiet --no-store --format tsv --date $d --dictionaries "$SHARED" "$TMP/b.txt" > "$TMP/b.tsv"
  events "$TMP/b.tsv" > "$TMP/b-$d.tsv"
done
grep -qF "George W. Bush${T}USAELI${T}criticizes${T}111${T}Iran" "$TMP/b-1995-03-01.tsv" || fail "Bush in 1995: $(cat "$TMP/b-1995-03-01.tsv")"
grep -qF "George W. Bush${T}USAGOV${T}criticizes${T}111${T}Iran" "$TMP/b-2004-03-01.tsv" || fail "Bush in 2004: $(cat "$TMP/b-2004-03-01.tsv")"
grep -qF "George W. Bush${T}USAELI${T}" "$TMP/b-2012-03-01.tsv" || fail "Bush in 2012: $(cat "$TMP/b-2012-03-01.tsv")"
ng extract --no-store --format tsv --dictionaries "$SHARED" "$TMP/b.txt" 2> "$TMP/s.err" > /dev/null
grep -q "PETRARCH-2 dictionaries: [0-9]* actors" "$TMP/s.err" || fail "no note for the shared dictionaries: $(cat "$TMP/s.err")"
echo "dictionaries: fixtures and PETRARCH-2's own read; $(sed -n 's/.*PETRARCH-2 dictionaries: //p' "$TMP/s.err")"
