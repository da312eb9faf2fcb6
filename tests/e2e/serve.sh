#!/bin/sh
# serve.sh - `newsgraph serve` spoken to with curl: the SPARQL 1.1 Protocol
# (GET, POST URL-encoded and direct), content negotiation, the Graph Store
# Protocol's read side, the service description, CORS; what it refuses
# (updates without the token, SERVICE, LOAD, a 1 MB query string, malformed
# percent-escapes, a query that would run for hours) while other requests
# still answer; a reader answering while `extract` writes; SIGTERM.
. "$top_srcdir/tests/e2e/common.sh"
command -v curl > /dev/null || skip "no curl"

ng extract "$EXAMPLES"/articles/* 2> /dev/null
ng import --graph https://w3id.org/newsgraph/id/graph/vocabulary "$top_srcdir"/ontology/newsgraph.ttl

# on failure, the servers' own words too
fail() {
  echo "FAIL: $*" >&2
  for f in "$TMP"/*.err; do [ -f "$f" ] && { echo "--- $f" >&2; tail -5 "$f" >&2; }; done
  exit 1
}
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT

# start NAME ARGS...: serve on a free loopback port; sets PORT and PID.
start() {
  name=$1; shift
  # the program itself, not a subshell running it: signals must reach it
  "$NEWSGRAPH" serve --bind 127.0.0.1:0 --web "$top_srcdir/web" "$@" 2> "$TMP/$name.err" &
  PID=$!
  PIDS="$PIDS $PID"
  for i in $(seq 100); do
    # (the background job may not have made its stderr file yet)
    PORT=$(sed -n 's|^newsgraph serve: http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/$name.err" 2> /dev/null || true)
    [ -n "$PORT" ] && return 0
    kill -0 "$PID" 2>/dev/null || fail "serve $name did not start: $(cat "$TMP/$name.err")"
    sleep 0.1
  done
  fail "serve $name did not say its port"
}
# code METHOD-AND-CURL-ARGS...: the HTTP status of a request (body in $TMP/body)
code() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
expect() { # expect CODE CURL-ARGS...
  want=$1; shift
  got=$(code "$@")
  [ "$got" = "$want" ] || fail "expected HTTP $want, got $got: $* -> $(head -c 300 "$TMP/body")"
}

start main --timeout 2 --threads 2
U="http://127.0.0.1:$PORT"
Q='SELECT ?actor ?target WHERE { ?e ng:cameoRoot "16" ; ng:actor ?a ; ng:target ?t . ?a rdfs:label ?actor . ?t rdfs:label ?target } ORDER BY ?actor ?target'

# ---------------------------------------------------------------- protocol
ng query -r csv "$Q" > "$TMP/want.csv"
[ "$(wc -l < "$TMP/want.csv")" -gt 2 ] || fail "the example store has no sanctions"
curl -s -G -H 'Accept: text/csv' --data-urlencode "query=$Q" "$U/sparql" > "$TMP/get.csv"
cmp -s "$TMP/want.csv" "$TMP/get.csv" || fail "GET CSV differs from query -r csv"
curl -s -H 'Accept: text/csv' --data-urlencode "query=$Q" "$U/sparql" > "$TMP/post.csv"
cmp -s "$TMP/want.csv" "$TMP/post.csv" || fail "POST form CSV differs"
curl -s -H 'Accept: text/csv' -H 'Content-Type: application/sparql-query' --data-binary "$Q" \
  "$U/sparql" > "$TMP/direct.csv"
cmp -s "$TMP/want.csv" "$TMP/direct.csv" || fail "POST direct CSV differs"
ng query -r json "$Q" > "$TMP/want.json"
curl -s -G --data-urlencode "query=$Q" "$U/query" > "$TMP/get.json"
cmp -s "$TMP/want.json" "$TMP/get.json" || fail "JSON (the default) differs"

# content negotiation: the Content-Type follows Accept (q values, format=)
ctype() { curl -s -o /dev/null -w '%{content_type}' "$@"; }
[ "$(ctype -G -H 'Accept: application/sparql-results+xml' --data-urlencode "query=$Q" "$U/sparql")" = application/sparql-results+xml ] || fail "XML"
[ "$(ctype -G -H 'Accept: text/tab-separated-values' --data-urlencode "query=$Q" "$U/sparql")" = 'text/tab-separated-values; charset=utf-8' ] || fail "TSV"
[ "$(ctype -G -H 'Accept: text/csv;q=0.5, application/sparql-results+xml' --data-urlencode "query=$Q" "$U/sparql")" = application/sparql-results+xml ] || fail "q values"
[ "$(ctype -G --data-urlencode "query=$Q" --data-urlencode format=tsv "$U/sparql")" = 'text/tab-separated-values; charset=utf-8' ] || fail "format=tsv"
expect 406 -G -H 'Accept: image/png' --data-urlencode "query=$Q" "$U/sparql"
C='CONSTRUCT { ?a rdfs:label ?l } WHERE { ?e ng:actor ?a . ?a rdfs:label ?l }'
for pair in 'text/turtle|text/turtle; charset=utf-8' 'application/n-triples|application/n-triples' \
    'application/n-quads|application/n-quads' 'application/rdf+xml|application/rdf+xml'; do
  accept=${pair%%|*}; want=${pair#*|}
  got=$(curl -s -o "$TMP/graph" -w '%{content_type}' -G -H "Accept: $accept" --data-urlencode "query=$C" "$U/sparql")
  [ "$got" = "$want" ] || fail "CONSTRUCT as $accept: $got"
  grep -q 'European Union' "$TMP/graph" || fail "CONSTRUCT as $accept: no European Union"
done
curl -s -G -H 'Accept: application/n-triples' --data-urlencode "query=$C" "$U/sparql" | sort > "$TMP/c.nt"
ng query "$C" > "$TMP/c.ttl"
grep -c 'rdfs:label' "$TMP/c.ttl" > /dev/null || fail "query CONSTRUCT gave nothing"
[ "$(wc -l < "$TMP/c.nt")" -ge 10 ] || fail "CONSTRUCT N-Triples: $(wc -l < "$TMP/c.nt") triples"
# ASK
[ "$(curl -s -G -H 'Accept: text/csv' --data-urlencode 'query=ASK { ?e ng:cameoRoot "16" }' "$U/sparql" | tail -1 | tr -d "\r")" = true ] || fail "ASK"

# service description, Graph Store Protocol, CORS, the page
expect 200 "$U/sparql"
grep -q 'sd:Service' "$TMP/body" || fail "no service description"
grep -q "sd:endpoint <http://127.0.0.1:$PORT/sparql>" "$TMP/body" || fail "no sd:endpoint"
expect 200 -G --data-urlencode graph=https://w3id.org/newsgraph/id/graph/vocabulary "$U/store"
grep -q 'ng:Event' "$TMP/body" || fail "GET ?graph= lacks the vocabulary"
expect 200 -H 'Accept: application/n-quads' "$U/store?default"
[ "$(wc -l < "$TMP/body")" = "$(sed -n 's/^triples	//p' "$(ng stats > "$TMP/stats"; echo "$TMP/stats")")" ] ||
  fail "GET ?default: $(wc -l < "$TMP/body") triples, stats says $(cat "$TMP/stats")"
expect 404 -G --data-urlencode graph=http://example.org/none "$U/store"
expect 400 "$U/store"
expect 405 -X PUT --data-binary 'x' "$U/store?default"
curl -s -D "$TMP/headers" -o /dev/null -X OPTIONS -H 'Origin: http://example.org' \
  -H 'Access-Control-Request-Method: POST' "$U/sparql"
grep -qi '^Access-Control-Allow-Origin: \*' "$TMP/headers" || fail "no CORS on OPTIONS"
grep -qi '^Access-Control-Allow-Methods:.*POST' "$TMP/headers" || fail "no allowed methods"
curl -s -D "$TMP/headers" -o /dev/null -G --data-urlencode "query=$Q" "$U/sparql"
grep -qi '^Access-Control-Allow-Origin: \*' "$TMP/headers" || fail "no CORS on an answer"
expect 200 "$U/"
grep -q '<html' "$TMP/body" || fail "/ is not the page"
expect 404 --path-as-is "$U/../../etc/passwd"
expect 404 "$U/%2e%2e%2fetc%2fpasswd"
expect 200 "$U/meta.json"
grep -q '"sanctions-since-october.rq"' "$TMP/body" || fail "meta.json lacks the examples"
expect 200 "$U/examples/sanctions-since-october.rq"
grep -q 'ng:cameoRoot "16"' "$TMP/body" || fail "example query"

# ----------------------------------------------------------------- refusals
expect 400 -G --data-urlencode 'query=SELECT * WHERE { ?s ?p }' "$U/sparql"
grep -q 'query:1:' "$TMP/body" || fail "a syntax error has no line:col: $(cat "$TMP/body")"
expect 400 -G --data-urlencode 'query=SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }' "$U/sparql"
grep -q 'SERVICE is refused' "$TMP/body" || fail "SERVICE: $(cat "$TMP/body")"
expect 403 -H 'Content-Type: application/sparql-update' --data-binary 'INSERT DATA { <a:s> <a:p> <a:o> }' "$U/update"
expect 403 --data-urlencode 'update=LOAD <file:///etc/passwd>' "$U/sparql"
expect 400 -G --data-urlencode 'update=CLEAR ALL' "$U/sparql"
expect 400 -G --data-urlencode 'query=INSERT DATA { <a:s> <a:p> <a:o> }' "$U/sparql"
expect 400 "$U/sparql?query=SELECT%ZZ"
expect 400 "$U/sparql?query=SELECT%2"
expect 400 "$U/sparql?query=%C3%28"
expect 400 "$U/sparql?query=%00"
expect 415 -H 'Content-Type: text/plain' --data-binary "$Q" "$U/sparql"
# a 1 MB query string: refused by the size of the request line
cat > "$TMP/rawget.py" <<'PY'
# rawget.py PORT PATH-LENGTH: a GET whose query string has that many bytes;
# prints the status code the server answers (or "closed").
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
line = b"GET /sparql?query=" + b"a" * int(sys.argv[2]) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
try:
    s.sendall(line)
except OSError:
    pass  # the server may answer and close before reading it all
try:
    status = s.recv(4096).split(b"\r\n")[0].split()
    print(status[1].decode() if len(status) > 1 else "closed")
except OSError:
    print("closed")
PY
got=$("$PYTHON3" "$TMP/rawget.py" "$PORT" 1048576)
case $got in 414|400|431) ;; *) fail "1 MB query string: HTTP $got" ;; esac
# a 2 MB body: 413
"$PYTHON3" -c "import sys; sys.stdout.write('query=' + 'a' * 2097152)" > "$TMP/big.body"
got=$(curl -s -o /dev/null -w '%{http_code}' --data-binary "@$TMP/big.body" "$U/sparql" || true)
[ "$got" = 413 ] || fail "2 MB body: HTTP $got"
# a query that would run for hours is cut off by --timeout 2 (503) while
# another request is answered meanwhile
HOURS='SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }'
curl -s -o "$TMP/hours.body" -w '%{http_code} %{time_total}' --data-urlencode "query=$HOURS" \
  "$U/sparql" > "$TMP/hours" &
H=$!
sleep 0.3
t0=$(date +%s.%N)
expect 200 -G -H 'Accept: text/csv' --data-urlencode "query=$Q" "$U/sparql"
t1=$(date +%s.%N)
cmp -s "$TMP/want.csv" "$TMP/body" || fail "the answer during a long query differs"
wait $H
read -r hcode htime < "$TMP/hours" || true
[ "$hcode" = 503 ] || fail "the query of hours: HTTP $hcode: $(cat "$TMP/hours.body")"
grep -q 'longer than' "$TMP/hours.body" || fail "timeout message: $(cat "$TMP/hours.body")"
"$PYTHON3" -c "import sys; sys.exit(not (float('$htime') < 10 and $t1 - $t0 < 1.5))" ||
  fail "timeout took $htime s, the other answer from $t0 to $t1"
# the server still answers
expect 200 -G --data-urlencode "query=$Q" "$U/sparql"

# ------------------------------------------------------------------ updates
set +e; ng serve --allow-update 2> "$TMP/usage.err"; rc=$?; set -e
[ $rc = 2 ] || fail "--allow-update without a token: exit $rc"
NEWSGRAPH_SERVE_TOKEN=secret-token-1 start upd --allow-update
UU="http://127.0.0.1:$PORT"
INS='INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> "served" } }'
expect 401 -H 'Content-Type: application/sparql-update' --data-binary "$INS" "$UU/update"
expect 401 -H 'Authorization: Bearer secret-token-2' -H 'Content-Type: application/sparql-update' --data-binary "$INS" "$UU/update"
expect 403 -H 'Authorization: Bearer secret-token-1' --data-urlencode 'update=LOAD <file:///etc/passwd> INTO GRAPH <http://example.org/x>' "$UU/update"
expect 204 -H 'Authorization: Bearer secret-token-1' -H 'Content-Type: application/sparql-update' --data-binary "$INS" "$UU/update"
[ "$(ng query -r csv 'SELECT ?o WHERE { <http://example.org/s> ?p ?o }' | tail -1 | tr -d "\r")" = served ] || fail "the update is not in the store"
expect 200 -G -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?o WHERE { <http://example.org/s> ?p ?o }' "$UU/sparql"
grep -q served "$TMP/body" || fail "the server does not see its update"
kill -TERM "$PID"
rc=0; wait "$PID" || rc=$?
[ $rc = 0 ] || fail "serve did not stop cleanly on SIGTERM: exit $rc"

# ------------------------------------------------ a reader while extract writes
"$PYTHON3" - > "$TMP/news.jsonl" <<'PY'
import json
for i in range(40):
    text = ("Country%d officials said on Monday that Russia attacked Ukraine near Kharkiv. "
            "The EU imposed sanctions on Belarus. " % i) * 40
    print(json.dumps({"id": "live-%d" % i, "date": "2022-03-01", "text": text}))
PY
cat > "$TMP/feed.py" <<'PY'
import sys, time
for line in open(sys.argv[1], "rb"):
    sys.stdout.buffer.write(line)
    sys.stdout.buffer.flush()
    time.sleep(0.05)
PY
COUNT='SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a ng:Article }'
"$PYTHON3" "$TMP/feed.py" "$TMP/news.jsonl" | ng extract -i jsonl - 2> "$TMP/extract.err" &
X=$!
last=0; seen=0
while kill -0 "$X" 2>/dev/null; do
  n=$(curl -s -f -G -H 'Accept: text/csv' --data-urlencode "query=$COUNT" "$U/sparql" | tail -1 | tr -d "\r") ||
    fail "a reader failed while extract wrote"
  [ "$n" -ge "$last" ] || fail "the article count went back from $last to $n"
  [ "$n" != "$last" ] && seen=$((seen + 1))
  last=$n
done
wait $X || fail "extract: $(cat "$TMP/extract.err")"
n=$(curl -s -G -H 'Accept: text/csv' --data-urlencode "query=$COUNT" "$U/sparql" | tail -1 | tr -d "\r")
[ "$n" = "$(ng query -r csv "$COUNT" | tail -1 | tr -d "\r")" ] || fail "after extract: $n articles served"
[ "$n" -ge 46 ] || fail "after extract: $n articles"
[ $seen -ge 2 ] || fail "the reader saw the count change only $seen times"

# ------------------------------------------------ SIGTERM with a query running
start long --timeout 0
HOURS_PORT=$PORT
curl -s -o /dev/null --data-urlencode "query=$HOURS" "http://127.0.0.1:$HOURS_PORT/sparql" &
sleep 0.5
t0=$(date +%s)
kill -TERM "$PID"
wait "$PID" || fail "serve did not stop cleanly with a query running: $(cat "$TMP/long.err")"
[ $(($(date +%s) - t0)) -le 5 ] || fail "serve took more than 5 s to stop"
grep -q stopped "$TMP/long.err" || fail "no 'stopped' line"

# a missing store is refused
set +e; ng serve --store "$TMP/nothing" --bind 127.0.0.1:0 2> "$TMP/none.err"; rc=$?; set -e
[ $rc = 1 ] || fail "serve of a missing store: exit $rc"
grep -q "no store at $TMP/nothing" "$TMP/none.err" || fail "missing store: $(cat "$TMP/none.err")"
set +e; ng serve --bind 127.0.0.1:99999 2> "$TMP/bind.err"; rc=$?; set -e
[ $rc = 1 ] || fail "bad --bind: exit $rc"
MAIN=$(echo $PIDS | cut -d' ' -f1)
kill -TERM "$MAIN"
wait "$MAIN" || fail "serve did not stop cleanly"
echo "serve: ok"
