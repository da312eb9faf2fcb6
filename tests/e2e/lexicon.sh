#!/bin/sh
# lexicon.sh - the lexicon's data and its two tools:
#   1. tools/gen-countries.py applies its naming rules (on a small iso-codes
#      file made here) and fails with FILE:LINE:COL on bad alias lines;
#   2. tools/check-lexicon.py reports each kind of mistake at its place, and
#      accepts what the formats allow;
#   3. the real lexicon/ passes the checker, covers every ISO 3166-1 entry,
#      and reaches its coverage floors.
. "${top_srcdir:-.}/tests/e2e/common.sh"

GEN="$top_srcdir/tools/gen-countries.py"
CHECK="$top_srcdir/tools/check-lexicon.py"
LEX="$top_srcdir/lexicon"
# The iso-codes folder configure was given (--with-iso-codes), else Debian's.
ISO_DIR=${ISO_CODES_DIR:-$(sed -n 's/^ISO_CODES_DIR = //p' "${top_builddir:-.}/Makefile" \
  2>/dev/null || true)}
ISO_DIR=${ISO_DIR:-/usr/share/iso-codes/json}
[ -f "$ISO_DIR/iso_3166-1.json" ] || skip "no iso-codes in $ISO_DIR"

# expect_line FILE TEXT: fail unless FILE has a line that is exactly TEXT.
expect_line() {
  grep -qxF -- "$2" "$1" || { cat "$1" >&2; fail "$1: no line '$2'"; }
}

# ------------------------------------------------------------ 1. the generator's rules
mkdir -p "$TMP/iso"
cat > "$TMP/iso/iso_3166-1.json" <<'EOF'
{"3166-1": [
 {"alpha_2": "AA", "alpha_3": "AAA", "name": "Alpha, Republic of",
  "official_name": "the Republic of Alpha"},
 {"alpha_2": "BB", "alpha_3": "BBB", "name": "Bravo, Charlie and Delta", "common_name": "Bravo"},
 {"alpha_2": "CC", "alpha_3": "CCC", "name": "Côte Écho (Foxtrot)"},
 {"alpha_2": "DD", "alpha_3": "DDD", "name": "Saint Golf", "official_name": "Golf"},
 {"alpha_2": "EE", "alpha_3": "EEE", "name": "Islands, British"}
]}
EOF
cat > "$TMP/aliases.txt" <<'EOF'
# a comment, then a blank line

AAA | Alpha; Alphaland | Alphan; Alphans | Alpha City; the Palace>GOV   # trailing comment
CCC | | Échoan |
DDD | | | Saint Hotel
EEE | Golf | |
EOF
"$PYTHON3" "$GEN" "$TMP/iso" "$TMP/aliases.txt" > "$TMP/gen.txt" || fail "gen-countries.py failed"
# Inverted names are turned round, "the" dropped, our forms follow the iso ones.
expect_line "$TMP/gen.txt" \
  "AAA | Republic of Alpha; Alpha; Alphaland | Alphan; Alphans | Alpha City; the Palace>GOV"
# A list-comma name is dropped; the common name stays; a country we do not list keeps iso names.
expect_line "$TMP/gen.txt" "BBB | Bravo |  |"
# Parentheses removed; accents also given folded.
expect_line "$TMP/gen.txt" "CCC | Côte Écho; Cote Echo | Échoan; Echoan |"
# "Saint" also as "St." and "St"; "Golf" is taken by our EEE line, so DDD loses it.
expect_line "$TMP/gen.txt" \
  "DDD | Saint Golf; St. Golf; St Golf |  | Saint Hotel; St. Hotel; St Hotel"
expect_line "$TMP/gen.txt" "EEE | British Islands; Golf |  |"
[ "$(grep -vc '^#' "$TMP/gen.txt")" -eq 5 ] || fail "expected 5 country lines"
"$PYTHON3" "$GEN" "$TMP/iso" "$TMP/aliases.txt" | cmp -s - "$TMP/gen.txt" ||
  fail "output is not deterministic"

# gen_fails LINE EXPECTED: an alias file whose 2nd line is LINE must fail with EXPECTED on stderr.
gen_fails() {
  printf 'AAA | Alpha | |\n%s\n' "$1" > "$TMP/bad.txt"
  set +e; "$PYTHON3" "$GEN" "$TMP/iso" "$TMP/bad.txt" > /dev/null 2> "$TMP/err"; rc=$?; set -e
  [ "$rc" -eq 1 ] || fail "gen-countries.py exited $rc on '$1'"
  grep -qF -- "$TMP/bad.txt:$2" "$TMP/err" || { cat "$TMP/err" >&2; fail "no '$2' for '$1'"; }
}
gen_fails "BBB | Bravo | Bravan" "2:1: error: expected 4 fields"
gen_fails "XYZ | Xylo | |" "2:1: error: 'XYZ' is not an ISO 3166-1 alpha-3 code"
gen_fails "AAA | Again | |" "2:1: error: AAA already has a line (line 1)"
gen_fails "BBB | Bravo;; B | |" "2:13: error: empty list item"
gen_fails "BBB | Bravo | | HQ>FOO" "2:17: error: 'HQ>FOO': expected FORM>ROLE"
gen_fails "BBB | Bravo>GOV | |" "2:7: error: a '>ROLE' suffix is only allowed"
gen_fails "BBB | the alpha | |" "2:7: error: 'the alpha' already names AAA"
expect_status 2 "$PYTHON3" "$GEN" "$TMP/iso" 2> /dev/null

# ------------------------------------------------------------ 2. the checker
BAD="$TMP/badlex"
mkdir -p "$BAD"
cat > "$BAD/actors.txt" <<'EOF'
XYZGOV | Unknown Land Government | |
RUSFOO | Russian Foo | |
USABUS | Acme | | kind=media
RUSGOV | Rusgov Agency | | from=2020-13-01
RUSGOV | Rusgov Bureau | | from=2021-01-01 to=2020-01-01
RUSGOV | Rusgov Office | | colour=red
RUSBUS | Gazprom | |
UKRBUS | Gazprom | |
IGOUNO | United Nations | UN; U.N.; UN |
IGOUNO | Naïve Body | |
AFGREB | Taliban | | kind=group to=2021-08-15
AFGGOV | Taliban | | kind=group from=2021-08-15
IGO | Nameless | |
MNCACME | Acme Global | Acme Worldwide | kind=company
EOF
cat > "$BAD/people.txt" <<'EOF'
USAGOV | Jane Doe | | from=2001-01-01 to=2005-01-01
USALEG | Jane Doe | | from=2004-01-01 to=2006-01-01
USAGOV | John Roe Jr. | |
USAGOV | Ann Poe | | from=2001-01-01 to=2005-01-01
USAOPP | Ann Poe | | from=2005-01-01
USAGOV | Bob Moe | | kind=company
EOF
cat > "$BAD/roles.txt" <<'EOF'
GOV | government; officials |
FOO | things |
MIL | army; officials |
COP | police | hat
EOF
cat > "$BAD/abbreviations.txt" <<'EOF'
Gen.
Gen
U.S. | initial
Inc. | maybe
Gen.
vol.
Vol.
EOF
cat > "$BAD/function-words.txt" <<'EOF'
DET | the; that; the
REL | that
FOO | bar
EOF
set +e; "$PYTHON3" "$CHECK" --iso-dir "$ISO_DIR" "$BAD" > "$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" -eq 1 ] || { cat "$TMP/out" >&2; fail "check-lexicon.py exited $rc on bad files"; }
# Every expected place, and nothing else.
cat > "$TMP/want" <<EOF
$BAD/actors.txt:1:1
$BAD/actors.txt:2:1
$BAD/actors.txt:3:19
$BAD/actors.txt:4:28
$BAD/actors.txt:5:28
$BAD/actors.txt:6:28
$BAD/actors.txt:8:10
$BAD/actors.txt:9:37
$BAD/actors.txt:10:10
$BAD/actors.txt:13:1
$BAD/people.txt:2:10
$BAD/people.txt:3:10
$BAD/people.txt:6:22
$BAD/roles.txt:2:1
$BAD/roles.txt:3:13
$BAD/roles.txt:4:16
$BAD/abbreviations.txt:2:1
$BAD/abbreviations.txt:4:1
$BAD/abbreviations.txt:5:1
$BAD/abbreviations.txt:7:1
$BAD/function-words.txt:1:18
$BAD/function-words.txt:3:1
EOF
sed -n 's/^\(.*:[0-9]*:[0-9]*\): error: .*/\1/p' "$TMP/out" | sort -u > "$TMP/got"
sort "$TMP/want" | diff -u - "$TMP/got" || { cat "$TMP/out" >&2; fail "checker errors differ"; }
grep -qF "'Gazprom' names UKRBUS here but RUSBUS at $BAD/actors.txt:7" "$TMP/out" ||
  fail "no clash message for Gazprom"
grep -qF "'Naïve Body' has accents; also list 'Naive Body'" "$TMP/out" || fail "no accent message"
grep -qF "'Jane Doe' already has a line for an overlapping period (line 1)" "$TMP/out" ||
  fail "no overlapping period message"

# A country-aliases.txt with a missing country: an error unless --partial.
printf 'RUS | Russia | Russian | Moscow; the Kremlin>GOV\n' > "$TMP/country-aliases.txt"
expect_status 1 "$PYTHON3" "$CHECK" --iso-dir "$ISO_DIR" "$TMP/country-aliases.txt" > /dev/null
"$PYTHON3" "$CHECK" --iso-dir "$ISO_DIR" --partial "$TMP/country-aliases.txt" ||
  fail "--partial country-aliases.txt rejected"
expect_status 2 "$PYTHON3" "$CHECK" "$TMP/iso/iso_3166-1.json" 2> /dev/null

# ------------------------------------------------------------ 3. the real lexicon
"$PYTHON3" "$GEN" "$ISO_DIR" "$LEX/country-aliases.txt" > "$TMP/countries.gen.txt" ||
  fail "gen-countries.py failed on lexicon/country-aliases.txt"
"$PYTHON3" "$CHECK" --iso-dir "$ISO_DIR" --stats "$LEX" "$TMP/countries.gen.txt" > "$TMP/stats" ||
  { cat "$TMP/stats" >&2; fail "lexicon/ does not pass check-lexicon.py"; }
cat "$TMP/stats"
# One generated line per iso-codes entry, each code once.
"$PYTHON3" -c 'import json, sys
for e in json.load(open(sys.argv[1]))["3166-1"]: print(e["alpha_3"])' \
  "$ISO_DIR/iso_3166-1.json" | sort > "$TMP/iso-codes"
grep -v '^#' "$TMP/countries.gen.txt" | cut -d' ' -f1 | sort > "$TMP/gen-codes"
diff -u "$TMP/iso-codes" "$TMP/gen-codes" || fail "countries.gen.txt does not match iso-codes"
# The build's copy (when built) is the same file.
if [ -f "${top_builddir:-.}/lexicon/countries.gen.txt" ]; then
  cmp -s "$TMP/countries.gen.txt" "$top_builddir/lexicon/countries.gen.txt" ||
    fail "lexicon/countries.gen.txt in the build differs from a fresh run"
fi
# Coverage floors of the task: labels, not lines (a person may have several periods).
count() { sed -n "s/^$1: .* \([0-9]*\) $2.*/\1/p" "$TMP/stats"; }
[ "$(count actors.txt labels)" -ge 250 ] || fail "fewer than 250 actors"
[ "$(count people.txt labels)" -ge 300 ] || fail "fewer than 300 people"
[ "$(sed -n 's/^abbreviations.txt: \([0-9]*\) entries.*/\1/p' "$TMP/stats")" -ge 150 ] ||
  fail "fewer than 150 abbreviations"
# A few facts the extractor relies on, as the loader will read them.
grep -q '^RUS | .*; the Kremlin>GOV' "$TMP/countries.gen.txt" || fail "RUS: no Kremlin"
grep -q '^USA | .*the Pentagon>MIL' "$TMP/countries.gen.txt" || fail "USA: no Pentagon"
grep -q '^TUR | Turkey; Türkiye; Turkiye' "$TMP/countries.gen.txt" || fail "TUR names (the '=' label first)"
echo "lexicon: all checks passed"
