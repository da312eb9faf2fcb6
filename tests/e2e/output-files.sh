#!/bin/sh
# output-files.sh - a file named on the command line is written whole or
# not at all (issue 9, case 7): `export -o FILE` over an existing FILE,
# killed (SIGKILL) or stopped (SIGTERM, SIGINT) at random moments, leaves
# FILE either as it was or complete, never cut short; SIGTERM exits 130
# as the README says; an export that fails half-way (RDF/XML cannot hold
# U+0001, a full disk) leaves FILE as it was and exits 1.
. "${top_srcdir:-.}/tests/e2e/common.sh"

"$PYTHON3" - "$TMP/many.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(300):
        f.write(json.dumps({"id": "n%d" % i, "date": "2022-03-01",
                            "text": "Russia attacked Ukraine near Kharkiv on Monday, officials said. "
                                    "The EU imposed sanctions on Belarus %d." % i}) + "\n")
PY
ng extract --quiet "$TMP/many.jsonl"
OUT="$TMP/out.nq"
echo "the old contents" > "$OUT"
cp "$OUT" "$TMP/old"
ng export --format nquads -o "$TMP/new"
[ "$(wc -l < "$TMP/new")" -gt 1000 ] || fail "the export is too small to be stopped half-way"

# FILE is the old one or the new one, whole
whole() { cmp -s "$OUT" "$TMP/old" || cmp -s "$OUT" "$TMP/new"; }
T=$(date +%s.%N)
ng export --format nquads -o "$OUT"
SPAN=$(awk -v a="$T" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
cmp -s "$OUT" "$TMP/new" || fail "export -o wrote something else than to standard output"
for sig in KILL TERM INT; do
  for i in 1 2 3 4 5 6; do
    cp "$TMP/old" "$OUT"
    (exec "$NEWSGRAPH" export --format nquads -o "$OUT" 2> /dev/null) &
    pid=$!
    sleep "$(awk -v s="$SPAN" -v i="$i" 'BEGIN { printf "%.3f", s * (i - 1) / 5 }')"
    kill -"$sig" $pid 2> /dev/null || true
    set +e
    wait $pid
    rc=$?
    set -e
    whole || fail "SIG$sig after $i/5 of a run: the file is cut short"
    # (143: SIGTERM before the handlers were in place, the default action)
    case $sig:$rc in
      KILL:0|KILL:137|TERM:0|TERM:130|TERM:143|INT:0|INT:130) ;;
      *) fail "SIG$sig: exit $rc" ;;
    esac
    if [ "$rc" -eq 130 ]; then cmp -s "$OUT" "$TMP/old" || fail "SIG$sig: 130 but the file changed"; fi
  done
done
# no temporary is left by an export that ended (killed ones may leave theirs)
rm -f "$TMP"/.out.nq.tmp-*
ng export --format nquads -o "$OUT"
[ -z "$(ls -A "$TMP" | grep '^\.out\.nq\.tmp-' || true)" ] || fail "a temporary file was left"

# RDF/XML cannot hold U+0001: the export fails, FILE stays as it was
printf '{"id": "ctl", "date": "2022-03-01", "text": "Russia attacked Ukraine near Kharkiv on Monday \\u0001 officials said."}\n' \
  > "$TMP/ctl.jsonl"
ng extract --quiet "$TMP/ctl.jsonl"
cp "$TMP/old" "$OUT"
expect_status 1 ng export --format rdfxml -o "$OUT" 2> "$TMP/err"
cmp -s "$OUT" "$TMP/old" || fail "a failed RDF/XML export changed the file"
[ -s "$TMP/err" ] || fail "the failed RDF/XML export said nothing"

# a full disk (a file size limit) half-way: FILE stays as it was
if command -v prlimit > /dev/null; then
  set +e
  prlimit --fsize=20000 "$NEWSGRAPH" export --format nquads -o "$OUT" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "full disk: exit $rc"
  cmp -s "$OUT" "$TMP/old" || fail "full disk: the file changed"
fi
echo "output-files: ok"
