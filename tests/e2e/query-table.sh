#!/bin/sh
# query-table.sh - tables fitted to the terminal (issue 13): with COLUMNS
# set (or on a terminal) a table's cells are cut with "…", the widest
# columns first, so that each line fits; widths count wide characters as
# two and combining marks as none, and a cut never splits a character.
# TSV (and a table on a pipe without COLUMNS) keeps every value whole.
. "${top_srcdir:-.}/tests/e2e/common.sh"

cat > "$TMP/data.ttl" <<'TTL'
@prefix ex: <https://w3id.org/newsgraph/id/actor/> .
@prefix p: <http://example.org/> .
ex:a p:name "Short" ; p:note "A long note that goes on and on past any narrow terminal width" .
ex:b p:name "日本語の名前はとても長いです" ; p:note "emoji 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀" .
ex:c p:name "Cafe\u0301 cre\u0300me bru\u0302le\u0301e with combining marks" ; p:note "x" .
TTL
ng import "$TMP/data.ttl"
Q='SELECT ?s ?name ?note WHERE { ?s <http://example.org/name> ?name ; <http://example.org/note> ?note } ORDER BY ?s'

# check WIDTH FILE: every line at most WIDTH columns, valid UTF-8, and what
# each cut cell shows is the start of the full value
check() {
  "$PYTHON3" - "$1" "$2" "$TMP/full.tsv" <<'PY' || fail "table at COLUMNS=$1"
import sys, unicodedata
width, path, full = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def cols(s):
    n = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n
text = open(path, "rb").read().decode("utf-8")      # strict: no split character
values = [line.split("\t") for line in open(full, encoding="utf-8").read().splitlines()[1:]]
rows = [l for l in text.splitlines() if l.startswith("│")][1:]
assert len(rows) == len(values), (len(rows), len(values))
cut = 0
for line in text.splitlines():
    assert cols(line) <= width, (width, cols(line), line)
for row, want in zip(rows, values):
    cells = [c.strip() for c in row.split("│")[1:-1]]
    for cell, value in zip(cells, want):
        value = value.strip('<>"')
        if cell.endswith("…"):
            cut += 1
            assert value.startswith(cell[:-1]) or value.endswith(cell[6:-1]), (cell, value)
        else:
            assert cell in value or value.endswith(cell.split(":")[-1]), (cell, value)
assert cut > 0 or width >= 200, "nothing was cut"
print("COLUMNS=%d: %d lines, %d cells cut" % (width, len(text.splitlines()), cut))
PY
}
ng query -r tsv "$Q" > "$TMP/full.tsv"
grep -q 'past any narrow terminal width"' "$TMP/full.tsv" || fail "TSV lost a full value"
for w in 40 60 80 100; do
  COLUMNS=$w ng query -r table "$Q" > "$TMP/t$w"
  check "$w" "$TMP/t$w"
done
# wide enough: nothing cut, the same as an unfitted table
COLUMNS=500 ng query -r table "$Q" > "$TMP/wide"
env -u COLUMNS "$NEWSGRAPH" query -r table "$Q" > "$TMP/nocolumns"
cmp "$TMP/wide" "$TMP/nocolumns" || fail "a table that fits was changed"
grep -q '…' "$TMP/nocolumns" && fail "a table on a pipe without COLUMNS was cut"
# the widest column gives first: at 80 the short ?s column stays whole
grep -q '│ actor:a *│' "$TMP/t80" || fail "the narrow column was cut at 80: $(cat "$TMP/t80")"
# TSV, CSV, JSON never cut, whatever COLUMNS says
COLUMNS=40 ng query "$Q" | cmp - "$TMP/full.tsv" || fail "piped TSV changed under COLUMNS"
COLUMNS=40 ng query -r csv "$Q" | grep -q 'past any narrow terminal width' || fail "CSV cut"
COLUMNS=40 ng query -r json "$Q" | grep -q 'past any narrow terminal width' || fail "JSON cut"
# too narrow for the columns: they stop at four columns each, nothing breaks
COLUMNS=10 ng query -r table "$Q" > "$TMP/t10"
"$PYTHON3" -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$TMP/t10"
grep -q '│ act… │' "$TMP/t10" || fail "narrowest table: $(cat "$TMP/t10")"
# a COLUMNS that is not a number is ignored
COLUMNS=wide ng query -r table "$Q" | cmp - "$TMP/nocolumns" || fail "COLUMNS=wide"
exit 0
