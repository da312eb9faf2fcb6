#!/bin/sh
# query-concurrent.sh - two imports into one store at the same time: the
# second waits for the first (the writer lock), both complete, nothing is
# lost; a reader meanwhile is never blocked.  And a reader keeps answering
# while `extract` writes: each answer holds whole articles only, and the
# answers grow as the commits come.
. "$top_srcdir/tests/e2e/common.sh"

for name in a b; do
  "$PYTHON3" - "$name" > "$TMP/$name.nt" <<'PY'
import sys
name = sys.argv[1]
for i in range(30000):
    print('<http://ex.org/%s/s%d> <http://ex.org/p%d> "value %s %d" .' % (name, i // 7, i % 7, name, i))
PY
done

ng import "$TMP/a.nt" 2> "$TMP/a.err" &
A=$!
ng import "$TMP/b.nt" 2> "$TMP/b.err" &
B=$!
# a reader while they run: answers from the last commit, at once (once a
# writer has made the store: before, there is none to read, "no store at")
while [ ! -d "$NEWSGRAPH_STORE" ] && { kill -0 $A || kill -0 $B; } 2>/dev/null; do sleep 0.05; done
ng stats > "$TMP/during" || fail "stats while importing"
set +e
wait $A; RA=$?
wait $B; RB=$?
set -e
[ $RA = 0 ] || fail "first import: exit $RA: $(cat "$TMP/a.err")"
[ $RB = 0 ] || fail "second import: exit $RB: $(cat "$TMP/b.err")"

ng stats > "$TMP/after"
grep -q '^quads	60000$' "$TMP/after" || fail "quads: $(cat "$TMP/after")"
grep -q '^triples	60000$' "$TMP/after" || fail "triples: $(cat "$TMP/after")"
grep -q '^graphs	2$' "$TMP/after" || fail "graphs: $(cat "$TMP/after")"
ng export --format nquads > "$TMP/all.nq"
[ "$(wc -l < "$TMP/all.nq")" = 60000 ] || fail "export: $(wc -l < "$TMP/all.nq") quads"
for name in a b; do
  [ "$(grep -c "<https://w3id.org/newsgraph/id/graph/$name> \.\$" "$TMP/all.nq")" = 30000 ] ||
    fail "graph $name is incomplete"
done

# ------------------------------------------- a reader while extract writes
# articles of 64 KiB: the reader takes standard input in chunks of that size
"$PYTHON3" - > "$TMP/news.jsonl" <<'PY'
import json
filler = " ".join(["the committee of regional observers and the prices in the northern "
                   "markets of the old town with the rest."] * 620)
for i in range(60):
    text = ("Country%d officials said on Monday that Russia attacked Ukraine near Kharkiv. "
            "%s The EU imposed sanctions on Belarus." % (i, filler))
    print(json.dumps({"id": "n-%d" % i, "date": "2022-03-01", "text": text}))
PY
cat > "$TMP/feed.py" <<'PY'
import sys, time
for line in open(sys.argv[1], "rb"):
    sys.stdout.buffer.write(line)
    sys.stdout.buffer.flush()
    time.sleep(0.05)
PY
W="$TMP/live"
"$PYTHON3" "$TMP/feed.py" "$TMP/news.jsonl" |
  ng extract --store "$W" --input-format jsonl - > /dev/null 2> "$TMP/live.err" &
X=$!
Q='SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g'
answers=0 seen=""
# until the writer has made the store there is none to read ("no store at")
while [ ! -d "$W" ] && kill -0 "$X" 2>/dev/null; do sleep 0.05; done
while kill -0 "$X" 2>/dev/null; do
  ng query --store "$W" -r tsv "$Q" > "$TMP/answer" 2> "$TMP/answer.err" ||
    fail "a query while extract writes: $(cat "$TMP/answer.err")"
  # every article graph holds the same number of quads: whole articles only
  n=$(sed -n 's|^<[^>]*/id/article/[^>]*>	"\([0-9]*\)".*|\1|p' "$TMP/answer" | sort -u | wc -l)
  [ "$n" -le 1 ] || fail "an article in part while extract writes: $(cat "$TMP/answer")"
  articles=$(grep -c '/id/article/' "$TMP/answer" || true)
  case " $seen " in *" $articles "*) ;; *) seen="$seen $articles" ;; esac
  answers=$((answers + 1))
done
wait "$X" || fail "extract while read: $(cat "$TMP/live.err")"
[ "$(ng stats --store "$W" | sed -n 's/^articles	//p')" = 60 ] || fail "extract: not all articles"
# several different answers: the reader saw the commits as they came
[ "$(echo $seen | wc -w)" -ge 3 ] || fail "$answers answers saw only these article counts:$seen"
exit 0
