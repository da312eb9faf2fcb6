#!/bin/sh
# store-faults.sh - faults of the store never turn into silent loss (issue
# 9, cases 3 to 6, for the LMDB store of issue 12).  Each case is told by
# what the command-line user sees: the exit status, the message naming the
# file, what a later reader sees, and that nothing committed is lost once
# the fault is undone.
#  3. the data file missing (the old store's lost CURRENT: the file that
#     said where the data is): readers and writers refuse it (naming it);
#     no writer starts an empty store over it; put back, every article is
#     there;
#  4. damaged records (the old store's damaged journal record): an index
#     block or a dictionary entry changed in place is refused by what reads
#     it (query with either engine, export: exit 1, the data file named,
#     never an answer that looks complete; stats reads only the counters),
#     readers leave the file byte for byte as it was, writers (extract,
#     import) commit nothing over it; the meta pages damaged: refused at
#     open;
#  5. long terms: a 65,500-character article id, a 1.2 MB word and a
#     70,000-character IRI in an imported N-Triples file are stored and
#     come back whole (the old store refused them: Redland's terms end at
#     64 KiB); a term past the store's 64 MiB limit in an imported file is
#     told at its line, nothing of that file is added, and the store keeps
#     working;
#  6. the data file cut short: refused with its name by readers and
#     writers; a read-only store answers in full; a full disk (a file size
#     limit) or a full map fails the writer in a few lines, readers still
#     answer, and nothing committed is lost.
# Cases of the old store that no longer exist: a torn or damaged journal
# record and a checkpoint copying damage forward (no journal, no copies:
# a commit is one LMDB transaction, and kills at every point of it are
# tests/e2e/reliability-kill.sh's), a graph file of a generation missing
# or of another size (one data file: cases 3 and 6), a read-only store
# with a journal it cannot apply (readers never write), readers failing on
# a full disk (they write nothing, and here they answer).
# What cannot be detected (LMDB does not check its pages' contents): a
# damaged page layout (node offsets) or a damaged meta page whose magic
# number survived may be read as other bytes; see query/quadstore.c.
# The store's own files are touched only by the helpers just below.
. "${top_srcdir:-.}/tests/e2e/common.sh"
# NG_CASES="3 5" runs only those cases (each is a test of its own)
want() { case " ${NG_CASES:-3 4 5 6} " in *" $1 "*) return 0 ;; esac; return 1; }

# --------------------------------------- the store's files (the only place)
data_file() { echo "$1/data.mdb"; }
# flip_bytes FILE OFFSET COUNT: overwrite COUNT bytes at OFFSET (size kept)
flip_bytes() {
  "$PYTHON3" - "$1" "$2" "$3" <<'PY'
import sys
path, at, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    f.seek(at)
    old = f.read(n)
    f.seek(at)
    f.write(bytes((b ^ 0x5A) for b in old))
PY
}
# damage_record STORE DATABASE COUNT: flip COUNT bytes in the middle of the
# first value of one of the store's LMDB databases (mdb_dump gives its
# bytes), wherever they are in the data file: older copies of the page a
# commit replaced may still be there, and the live one is among them
damage_record() {
  mdb_dump -s "$2" "$1" > "$TMP/dump" || return 1
  "$PYTHON3" - "$TMP/dump" "$(data_file "$1")" "$3" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("HEADER=END\n", 1)[1].split("\n")
value = bytes.fromhex(lines[1].strip())  # key, value, key, value...
path, n = sys.argv[2], int(sys.argv[3])
data = bytearray(open(path, "rb").read())
at, hits = data.find(value), 0
while at >= 0:
    middle = at + len(value) // 2
    data[middle:middle + n] = bytes(b ^ 0x5A for b in data[middle:middle + n])
    hits += 1
    at = data.find(value, at + 1)
open(path, "r+b").write(data)
sys.exit(0 if hits else 1)
PY
}
size_of() { wc -c < "$1" | tr -d ' '; }

# ------------------------------------------------------------ the articles
# N articles in JSON Lines, ids PREFIX-1..N
articles() {
  "$PYTHON3" - "$1" "$2" "$3" <<'PY'
import json, sys
path, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "w") as f:
    for i in range(1, n + 1):
        f.write(json.dumps({"id": "%s-%d" % (prefix, i), "date": "2022-03-01",
                            "text": "Russia attacked Ukraine near Kharkiv on Monday, officials "
                                    "said. The EU imposed sanctions on Belarus (%s %d)."
                                    % (prefix, i)}) + "\n")
PY
}
count_articles() { ng stats --store "$1" | sed -n 's/^articles\t//p'; }
articles "$TMP/a.jsonl" a 16
articles "$TMP/b.jsonl" b 2
READS="stats|query -r tsv SELECT*{?s?p?o}|export --format nquads"

# every reader command on STORE: exit 1, MESSAGE said, nothing answered
readers_refuse() { # STORE MESSAGE CASE
  echo "$READS" | tr '|' '\n' > "$TMP/cmds"
  while read -r cmd; do
    set +e
    ng $cmd --store "$1" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    set -e
    [ "$rc" -eq 1 ] || fail "$3: $cmd: exit $rc"
    grep -q "$2" "$TMP/err" || { cat "$TMP/err" >&2; fail "$3: $cmd: not told '$2'"; }
    [ ! -s "$TMP/out" ] || fail "$3: $cmd answered"
  done < "$TMP/cmds"
}

# ------------------------------------------------------- 3: no data file
if want 3; then
S="$TMP/s3"
ng extract --store "$S" --quiet "$TMP/a.jsonl"
mv "$(data_file "$S")" "$TMP/data.saved"
readers_refuse "$S" "data.mdb is missing" 3
expect_status 1 ng extract --store "$S" --quiet "$TMP/b.jsonl" 2> "$TMP/err"
grep -q "data.mdb is missing" "$TMP/err" || fail "3: extract: no word of data.mdb"
[ ! -e "$(data_file "$S")" ] || fail "3: a writer started a new store over the lost one"
mv "$TMP/data.saved" "$(data_file "$S")"
[ "$(count_articles "$S")" = 16 ] || fail "3: articles lost"
ng extract --store "$S" --quiet "$TMP/b.jsonl"
[ "$(count_articles "$S")" = 18 ] || fail "3: the store does not go on"
fi

# --------------------------------------------------- 4: damaged records
if want 4; then
command -v mdb_dump > /dev/null || skip "4: mdb_dump (lmdb-utils) is not installed"
S="$TMP/s4"
ng extract --store "$S" --quiet "$TMP/a.jsonl"
FILE=$(data_file "$S")
cp "$FILE" "$TMP/data.good"
# an index block of SPOG and one of GSPO: a query of all the quads and
# the exports read them
for index in spog gspo; do
  damage_record "$S" $index 4 || fail "4: no block of $index found"
done
cp "$FILE" "$TMP/data.damaged"
for cmd in "query -r tsv SELECT*{?s?p?o}" "query --engine redland -r tsv SELECT*{?s?p?o}" \
  "export --format nquads" "export --format turtle"; do
  set +e
  ng $cmd --store "$S" > "$TMP/out" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "4: $cmd over a damaged block: exit $rc"
  grep -q "data.mdb: the data file is damaged" "$TMP/err" || { cat "$TMP/err" >&2; fail "4: $cmd: not told"; }
done
cmp -s "$FILE" "$TMP/data.damaged" || fail "4: a reader changed the damaged file"
expect_status 1 ng extract --store "$S" --quiet "$TMP/b.jsonl" 2> "$TMP/err"
grep -q "data.mdb: the data file is damaged" "$TMP/err" || { cat "$TMP/err" >&2; fail "4: extract: not told"; }
expect_status 1 ng import --store "$S" "$top_srcdir/ontology/newsgraph.ttl" 2> "$TMP/err"
grep -q "data.mdb: the data file is damaged" "$TMP/err" || { cat "$TMP/err" >&2; fail "4: import: not told"; }
cmp -s "$FILE" "$TMP/data.good" && fail "4: the damage went away by itself"
cp "$TMP/data.good" "$FILE"
# a dictionary entry: the term's check fails where it is read
damage_record "$S" id2term 2 || fail "4: no dictionary entry found"
expect_status 1 ng export --store "$S" --format nquads > /dev/null 2> "$TMP/err"
grep -q "data.mdb: the data file is damaged: a dictionary entry" "$TMP/err" ||
  { cat "$TMP/err" >&2; fail "4: a damaged term is not told"; }
cp "$TMP/data.good" "$FILE"
# both meta pages (the first two pages): refused at open
flip_bytes "$FILE" 16 16
flip_bytes "$FILE" 4112 16
readers_refuse "$S" "data.mdb" 4
cp "$TMP/data.good" "$FILE"
# undone: everything is there
[ "$(count_articles "$S")" = 16 ] || fail "4: articles lost: $(count_articles "$S")"
ng extract --store "$S" --quiet "$TMP/b.jsonl"
[ "$(count_articles "$S")" = 18 ] || fail "4: the store does not go on"
fi

# ------------------------------------------------------ 5: long terms
if want 5; then
S="$TMP/s5"
"$PYTHON3" - "$TMP/long.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    ok = "Russia attacked Ukraine near Kharkiv on Monday, officials said."
    f.write(json.dumps({"id": "good-1", "date": "2022-03-01", "text": ok}) + "\n")
    f.write(json.dumps({"id": "x" * 65500, "date": "2022-03-01", "text": ok}) + "\n")
    f.write(json.dumps({"id": "long-word", "date": "2022-03-01",
                        "text": "Z" + "q" * 1200000 + " attacked Ukraine near Kharkiv on Monday."}) + "\n")
    f.write(json.dumps({"id": "good-2", "date": "2022-03-01", "text": ok}) + "\n")
PY
ng extract --store "$S" --quiet "$TMP/long.jsonl" 2> "$TMP/err" || { cat "$TMP/err" >&2; fail "5: extract"; }
ng query --store "$S" -r tsv 'SELECT ?id WHERE { ?a a ng:Article ; dct:identifier ?id }' \
  > "$TMP/ids" 2> "$TMP/err" || { cat "$TMP/err" >&2; fail "5: the store does not open"; }
[ "$(wc -l < "$TMP/ids")" = 5 ] || { cat "$TMP/ids" >&2; fail "5: not all four articles"; }
"$PYTHON3" - "$TMP/ids" <<'PY' || fail "5: the long id did not come back whole"
import sys
ids = open(sys.argv[1]).read()
sys.exit(0 if '"' + "x" * 65500 + '"' in ids else 1)
PY
# the 1.2 MB word, whole, wherever the article's text is kept
ng export --store "$S" --format nquads > "$TMP/all.nq"
"$PYTHON3" - "$TMP/all.nq" <<'PY' || fail "5: the 1.2 MB word did not come back whole"
import sys
sys.exit(0 if "Z" + "q" * 1200000 + " " in open(sys.argv[1]).read() else 1)
PY
# a 70,000-character IRI in N-Triples: imported, whole
"$PYTHON3" -c "
print('<http://example.org/long> <http://example.org/p> \"1\" .')
print('<http://example.org/%s> <http://example.org/p> \"2\" .' % ('i' * 70000))" > "$TMP/long.nt"
ng import --store "$S" "$TMP/long.nt" 2> "$TMP/err" || { cat "$TMP/err" >&2; fail "5: the long IRI"; }
ng export --store "$S" --format ntriples > "$TMP/all.nt"
grep -q '^<http://example.org/long> ' "$TMP/all.nt" || fail "5: the file with a long IRI is not there"
"$PYTHON3" - "$TMP/all.nt" <<'PY' || fail "5: the long IRI did not come back whole"
import sys
line = '<http://example.org/%s> <http://example.org/p> "2" .' % ("i" * 70000)
sys.exit(0 if line in open(sys.argv[1]).read().split("\n") else 1)
PY
# a term past the store's limit, on line 2 of a file: nothing of the file
"$PYTHON3" -c "
import sys
out = sys.stdout
out.write('<http://example.org/ok> <http://example.org/p> \"1\" .\n')
out.write('<http://example.org/big> <http://example.org/p> \"')
for _ in range(65):
    out.write('q' * (1 << 20))
out.write('\" .\n')" > "$TMP/huge.nt"
expect_status 1 ng import --store "$S" "$TMP/huge.nt" 2> "$TMP/err"
grep -q "huge.nt:2:[0-9]*: a term longer than the store takes" "$TMP/err" ||
  { cat "$TMP/err" >&2; fail "5: the long term is not told where it is"; }
rm -f "$TMP/huge.nt"
ng query --store "$S" -r tsv 'ASK { <http://example.org/ok> ?p ?o }' > "$TMP/out"
grep -q false "$TMP/out" || fail "5: part of a refused file was imported"
# the store goes on: extract and import work
ng extract --store "$S" --quiet "$TMP/b.jsonl"
ng import --store "$S" "$top_srcdir/ontology/newsgraph.ttl"
[ "$(count_articles "$S")" = 6 ] || fail "5: the store did not go on: $(count_articles "$S")"
fi

# ------------------------------------------- 6: cut short, read-only, full
if want 6; then
S="$TMP/s6"
ng extract --store "$S" --quiet "$TMP/a.jsonl"
FILE=$(data_file "$S")
cp "$FILE" "$TMP/data.good"
truncate -s $(($(size_of "$FILE") / 2)) "$FILE"
readers_refuse "$S" "data.mdb: the data file is truncated" 6
expect_status 1 ng extract --store "$S" --quiet "$TMP/b.jsonl" 2> "$TMP/err"
grep -q "data.mdb: the data file is truncated" "$TMP/err" || fail "6: a writer went on from a cut file"
cp "$TMP/data.good" "$FILE"
[ "$(count_articles "$S")" = 16 ] || fail "6: articles lost"

# a read-only store answers in full (as another user where we are root)
if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
  chmod -R a+rX "$TMP"
  chmod -R a-w "$S"
  RO="setpriv --reuid=nobody --regid=nogroup --clear-groups"
  $RO "$NEWSGRAPH" stats --store "$S" > "$TMP/out" 2> "$TMP/err" ||
    { cat "$TMP/err" >&2; fail "6: a read-only store does not answer"; }
  grep -q "^articles	16$" "$TMP/out" || fail "6: a read-only store answers in part"
  $RO "$NEWSGRAPH" export --store "$S" --format nquads > "$TMP/ro.nq" 2> "$TMP/err" ||
    { cat "$TMP/err" >&2; fail "6: a read-only store does not export"; }
  ng export --store "$S" --format nquads > "$TMP/rw.nq"
  cmp -s "$TMP/ro.nq" "$TMP/rw.nq" || fail "6: a read-only store exports something else"
  set +e
  $RO "$NEWSGRAPH" extract --store "$S" --quiet "$TMP/b.jsonl" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "6: a write into a read-only store: exit $rc"
  grep -q "not writable" "$TMP/err" || { cat "$TMP/err" >&2; fail "6: read-only not told"; }
  chmod -R u+w "$S"
fi

# a full disk (a file size limit) and a full map: the writer fails in a
# few lines, readers still answer in full, nothing committed is lost
if command -v prlimit > /dev/null; then
  articles "$TMP/many.jsonl" m 400
  set +e
  prlimit --fsize="$(( $(size_of "$FILE") + 8192 ))" "$NEWSGRAPH" extract --store "$S" --quiet \
    "$TMP/many.jsonl" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "6: extract on a full disk: exit $rc"
  [ "$(wc -l < "$TMP/err")" -le 4 ] || { head "$TMP/err" >&2; fail "6: $(wc -l < "$TMP/err") lines"; }
  grep -q "data.mdb: cannot commit: .*file size limit" "$TMP/err" ||
    { cat "$TMP/err" >&2; fail "6: full disk not told"; }
  prlimit --fsize=65536 "$NEWSGRAPH" stats --store "$S" > "$TMP/out" ||
    fail "6: a reader on a full disk does not answer"
fi
set +e
NEWSGRAPH_MAP_SIZE=$(( $(size_of "$FILE") + 4096 )) "$NEWSGRAPH" extract --store "$S" --quiet \
  "$TMP/many.jsonl" 2> "$TMP/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "6: extract into a full map: exit $rc"
grep -q "reached its map size" "$TMP/err" || { cat "$TMP/err" >&2; fail "6: a full map not told"; }
[ "$(count_articles "$S")" -ge 16 ] || fail "6: a full disk lost articles: $(count_articles "$S")"
ng extract --store "$S" --quiet "$TMP/b.jsonl"
[ "$(count_articles "$S")" -ge 18 ] || fail "6: the store does not go on"
fi

echo "store-faults: ok"
