#!/bin/sh
# store-faults.sh - faults of the store never turn into silent loss
# (issue 9, cases 3 to 6).  Each case is told by what the command-line
# user sees: the exit status, the message, what a later reader sees, and
# that nothing committed is lost once the fault is undone.
#  3. a lost CURRENT: readers and writers refuse it (naming the file);
#     nothing is replaced; put back, every article is there;
#  4. one damaged record in the middle of the journal: refused by readers
#     and writers alike, the journal left byte for byte as it was (a torn
#     last record, a crash's leftover, is still taken as one);
#  5. terms over the store's 64 KiB: a JSON Lines id of 65,500 characters,
#     a 1.2 MB word taken as an actor, one long IRI in an imported
#     N-Triples file: that article or file is refused, everything else is
#     stored, and the store keeps working;
#  6. a graph file cut short or damaged, or missing: refused with its
#     name, never copied forward; a read-only store answers in full, and
#     a full disk (a file size limit) is an error, not an empty answer,
#     told in a few lines, not thousands.
# The store's own files are touched only by the helpers just below: a new
# store needs only these pointed at its files.
. "${top_srcdir:-.}/tests/e2e/common.sh"
# NG_CASES="3 5" runs only those cases (each is a test of its own)
want() { case " ${NG_CASES:-3 4 5 6} " in *" $1 "*) return 0 ;; esac; return 1; }

# --------------------------------------- the store's files (the only place)
# the live generation's directory
live_dir() { echo "$1/$(cat "$1/CURRENT")"; }
# lose_current STORE / restore_current STORE
lose_current() { mv "$1/CURRENT" "$TMP/CURRENT.saved"; }
restore_current() { mv "$TMP/CURRENT.saved" "$1/CURRENT"; }
# the file of committed records not yet applied (empty: none)
log_file() { echo "$1/journal"; }
# leave_in_log STORE FILE: extract FILE so that its articles stay in the
# log, committed but not applied (the writer dies as its checkpoint starts)
leave_in_log() {
  set +e
  NG_TEST_CRASH=after-copy "$NEWSGRAPH" extract --store "$1" --quiet "$2" 2>/dev/null
  rc=$?
  set -e
  [ "$rc" -eq 70 ] || fail "the crash point did not fire ($rc)"
}
# the graph files of the live generation, largest first
data_files() { ls -S "$(live_dir "$1")"/*.db; }
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

# ---------------------------------------------------------- 3: no CURRENT
if want 3; then
S="$TMP/s3"
ng extract --store "$S" --quiet "$TMP/a.jsonl"
lose_current "$S"
for cmd in "stats" "query -r tsv SELECT*{?s?p?o}" "export --format nquads"; do
  set +e
  ng $cmd --store "$S" > "$TMP/out" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "3: $cmd without CURRENT: exit $rc"
  grep -q "CURRENT is missing" "$TMP/err" || { cat "$TMP/err" >&2; fail "3: $cmd: no word of CURRENT"; }
  [ ! -s "$TMP/out" ] || fail "3: $cmd answered from a store without CURRENT"
done
expect_status 1 ng extract --store "$S" --quiet "$TMP/b.jsonl" 2> "$TMP/err"
grep -q "CURRENT is missing" "$TMP/err" || fail "3: extract: no word of CURRENT"
[ ! -e "$S/CURRENT" ] || fail "3: extract made a new CURRENT"
restore_current "$S"
[ "$(count_articles "$S")" = 16 ] || fail "3: articles lost"
ng extract --store "$S" --quiet "$TMP/b.jsonl"
[ "$(count_articles "$S")" = 18 ] || fail "3: the store does not go on"
fi

# ----------------------------------------- 4: damage in the middle of the log
if want 4; then
S="$TMP/s4"
ng extract --store "$S" --quiet "$TMP/b.jsonl"
leave_in_log "$S" "$TMP/a.jsonl"
LOG=$(log_file "$S")
SIZE=$(size_of "$LOG")
[ "$SIZE" -gt 1000 ] || fail "4: the articles are not in the log"
cp "$LOG" "$TMP/log.good"
flip_bytes "$LOG" $((SIZE / 3)) 4
cp "$LOG" "$TMP/log.damaged"
for cmd in "stats" "query -r tsv ASK{}" "export"; do
  set +e
  ng $cmd --store "$S" > "$TMP/out" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "4: $cmd on a damaged log: exit $rc"
  grep -q "damaged record at byte" "$TMP/err" || { cat "$TMP/err" >&2; fail "4: $cmd: not told"; }
  ! grep -q "crash" "$TMP/err" || fail "4: damage told as a crash"
  cmp -s "$LOG" "$TMP/log.damaged" || fail "4: $cmd changed the log"
done
expect_status 1 ng extract --store "$S" --quiet "$TMP/b.jsonl" 2> /dev/null
expect_status 1 ng import --store "$S" "$top_srcdir/ontology/newsgraph.ttl" 2> /dev/null
cmp -s "$LOG" "$TMP/log.damaged" || fail "4: a writer changed the damaged log"
# undone: all 16 + 2 articles are there
cp "$TMP/log.good" "$LOG"
[ "$(count_articles "$S")" = 18 ] || fail "4: committed articles lost: $(count_articles "$S")"
# a torn last record (a crash's) is still cut off, with the rest kept
S="$TMP/s4t"
leave_in_log "$S" "$TMP/a.jsonl"
LOG=$(log_file "$S")
truncate -s $(($(size_of "$LOG") - 20)) "$LOG"
[ "$(count_articles "$S")" = 15 ] || fail "4: a torn last record: not 15 articles"
fi

# ------------------------------------------------ 5: terms over 64 KiB
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
expect_status 1 ng extract --store "$S" --quiet "$TMP/long.jsonl" 2> "$TMP/err"
[ "$(grep -c "article '.*' not stored" "$TMP/err")" -eq 2 ] ||
  { cat "$TMP/err" >&2; fail "5: the long id and the long word are not told"; }
ng query --store "$S" -r tsv 'SELECT ?id WHERE { ?a a ng:Article ; dct:identifier ?id }' \
  > "$TMP/ids" 2> "$TMP/err" || { cat "$TMP/err" >&2; fail "5: the store does not open"; }
grep -q '"good-1"' "$TMP/ids" && grep -q '"good-2"' "$TMP/ids" ||
  { cat "$TMP/ids" >&2; fail "5: the good articles of the run are not there"; }
! grep -q '"xxxxxxxxxx' "$TMP/ids" || fail "5: the long id was stored"
# one long IRI in N-Triples: the file is refused where the term is, nothing of it added
"$PYTHON3" -c "
print('<http://example.org/ok> <http://example.org/p> \"1\" .')
print('<http://example.org/%s> <http://example.org/p> \"2\" .' % ('i' * 70000))" > "$TMP/long.nt"
expect_status 1 ng import --store "$S" "$TMP/long.nt" 2> "$TMP/err"
grep -q "long.nt:2:[0-9]*: a term longer than the store holds" "$TMP/err" ||
  { cat "$TMP/err" >&2; fail "5: the long IRI is not told where it is"; }
ng query --store "$S" -r tsv 'ASK { <http://example.org/ok> ?p ?o }' > "$TMP/out"
grep -q false "$TMP/out" || fail "5: part of a refused file was imported"
# the store goes on: extract and import work
ng extract --store "$S" --quiet "$TMP/b.jsonl"
ng import --store "$S" "$top_srcdir/ontology/newsgraph.ttl"
[ "$(count_articles "$S")" = 4 ] || fail "5: the store did not go on: $(count_articles "$S")"
fi

# --------------------------------------------- 6: damaged graph files
if want 6; then
S="$TMP/s6"
ng extract --store "$S" --quiet "$TMP/a.jsonl"
GEN=$(cat "$S/CURRENT")
ng export --store "$S" --format nquads | sort > "$TMP/good.nq"
FILE=$(data_files "$S" | head -1)
cp "$FILE" "$TMP/file.good"
# cut short
truncate -s $(($(size_of "$FILE") / 2)) "$FILE"
for cmd in "stats" "query -r tsv SELECT*{?s?p?o}" "export --format nquads"; do
  set +e
  ng $cmd --store "$S" > "$TMP/out" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "6: $cmd on a cut file: exit $rc"
  grep -q "$(basename "$FILE")" "$TMP/err" || { cat "$TMP/err" >&2; fail "6: $cmd: the file is not named"; }
  [ ! -s "$TMP/out" ] || fail "6: $cmd gave a partial answer"
done
expect_status 1 ng extract --store "$S" --quiet "$TMP/b.jsonl" 2> /dev/null
[ "$(cat "$S/CURRENT")" = "$GEN" ] || fail "6: a writer went on from a cut file"
cp "$TMP/file.good" "$FILE"
# damaged in place (same size): a writer refuses to copy it forward
flip_bytes "$FILE" $(($(size_of "$FILE") / 2)) 64
expect_status 1 ng extract --store "$S" --quiet "$TMP/b.jsonl" 2> "$TMP/err"
grep -q "$(basename "$FILE").*damaged" "$TMP/err" || { cat "$TMP/err" >&2; fail "6: damage not found"; }
[ "$(cat "$S/CURRENT")" = "$GEN" ] || fail "6: damage was copied forward"
[ "$(ls -d "$S"/gen-* | wc -l)" -le 2 ] || fail "6: a generation was left behind"
cp "$TMP/file.good" "$FILE"
# missing
mv "$FILE" "$TMP/file.moved"
expect_status 1 ng stats --store "$S" > /dev/null 2> "$TMP/err"
grep -q "$(basename "$FILE"): missing graph file" "$TMP/err" || { cat "$TMP/err" >&2; fail "6: missing file"; }
mv "$TMP/file.moved" "$FILE"
# undone, nothing lost: the 16 articles and the 2 the writers were refused
ng extract --store "$S" --quiet "$TMP/b.jsonl"
[ "$(count_articles "$S")" = 18 ] || fail "6: articles lost"

# a read-only store answers in full (as another user where we are root)
S="$TMP/s6"
if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
  chmod -R a+rX "$TMP"
  RO="setpriv --reuid=nobody --regid=nogroup --clear-groups"
  $RO "$NEWSGRAPH" stats --store "$S" > "$TMP/out" 2> "$TMP/err" ||
    { cat "$TMP/err" >&2; fail "6: a read-only store does not answer"; }
  grep -q "^articles	18$" "$TMP/out" || fail "6: a read-only store answers in part"
  # with committed records in the journal it cannot apply: an error, not a short answer
  leave_in_log "$S" "$TMP/a.jsonl"
  chmod -R a+rX "$TMP"
  set +e
  $RO "$NEWSGRAPH" stats --store "$S" > "$TMP/out" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "6: read-only store with a journal: exit $rc"
  grep -q "read-only store cannot apply" "$TMP/err" || { cat "$TMP/err" >&2; fail "6: not told"; }
fi

# a full disk (a file size limit): an error, in a few lines; then nothing lost
S="$TMP/s6f"
ng extract --store "$S" --quiet "$TMP/b.jsonl"
leave_in_log "$S" "$TMP/a.jsonl"
if command -v prlimit > /dev/null; then
  for cmd in "stats" "query -r tsv SELECT*{?s?p?o}" "export"; do
    set +e
    prlimit --fsize=65536 "$NEWSGRAPH" $cmd --store "$S" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    set -e
    [ "$rc" -eq 1 ] || fail "6: $cmd on a full disk: exit $rc"
    [ "$(wc -l < "$TMP/err")" -le 6 ] || { head "$TMP/err" >&2; fail "6: $cmd: $(wc -l < "$TMP/err") lines"; }
  done
  set +e
  prlimit --fsize=65536 "$NEWSGRAPH" extract --store "$S" --quiet "$TMP/b.jsonl" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "6: extract on a full disk: exit $rc"
fi
[ "$(count_articles "$S")" = 18 ] || fail "6: a full disk lost articles: $(count_articles "$S")"
fi

echo "store-faults: ok"
