#!/bin/sh
# query-service.sh - a query reads the store and nothing else (issue 9,
# cases 1 and 2), with the native engine and with --engine redland:
#  - SERVICE <file:...>, <gopher:...> and <http:...> are refused by
#    default, before anything runs, at the line:column of SERVICE; nothing
#    is read or sent (a listener on loopback sees no connection), and the
#    message is the same whether a file exists or not;
#  - LOAD is refused where it stands; FROM and FROM NAMED are refused by
#    Rasqal (which would ignore them), and name graphs of the store in the
#    native engine: FROM <file:...> reads no file, FROM NAMED <http:...>
#    asks no server, each is an empty graph;
#  - with --allow-service: file, gopher, dict and ftp IRIs are still
#    refused; an http service's answer is joined into the query; a
#    redirect to file:// or gopher:// is not followed; a service that
#    never answers is given up after --timeout (exit 124, within a
#    second of it), and SIGTERM stops the query within a second (130).
. "${top_srcdir:-.}/tests/e2e/common.sh"
"$PYTHON3" -c 'import http.server' 2>/dev/null || skip "no Python 3 for the mock servers"

ng extract --quiet "$EXAMPLES/articles/belarus-sanctions.txt"

# --------------------------------------------------------- the servers
# A SPARQL service on loopback: /ok answers one row (s = "from the
# service"), /redirect-file and /redirect-gopher redirect there, /hang
# never answers.  A plain TCP listener logs every connection it accepts
# (the gopher target).  Both write their port to a file.
cat > "$TMP/mock.py" <<'EOF'
import http.server, os, socket, sys, threading, time
TMP = sys.argv[1]
ROW = (b'{"head":{"vars":["s","n"]},"results":{"bindings":['
       b'{"s":{"type":"literal","value":"from the service"},'
       b'"n":{"type":"uri","value":"http://example.org/n1"}}]}}')
class Mock(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        with open(os.path.join(TMP, "http.log"), "a") as f:
            f.write(self.path + "\n")
        path = self.path.split("?")[0]
        if path == "/hang":
            time.sleep(600)
        elif path.startswith("/redirect-"):
            where = {"file": "file://" + TMP + "/secret.srj",
                     "gopher": "gopher://127.0.0.1:%s/_X" % sys.argv[2]}[path[10:]]
            self.send_response(302)
            self.send_header("Location", where)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(ROW)))
            self.end_headers()
            self.wfile.write(ROW)
    def log_message(self, *args):
        pass
class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
def listen_raw():
    s = socket.socket()
    s.bind(("127.0.0.1", int(sys.argv[2])))
    s.listen(5)
    while True:
        c, _ = s.accept()
        with open(os.path.join(TMP, "raw.log"), "a") as f:
            f.write("connection\n")
        c.close()
threading.Thread(target=listen_raw, daemon=True).start()
httpd = Server(("127.0.0.1", 0), Mock)
with open(os.path.join(TMP, "port"), "w") as f:
    f.write(str(httpd.server_address[1]))
threading.Thread(target=httpd.serve_forever, daemon=True).start()
time.sleep(300)  # never outlives a stuck test
EOF
RAW_PORT=$("$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$PYTHON3" "$TMP/mock.py" "$TMP" "$RAW_PORT" &
MOCK=$!
trap 'kill $MOCK 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 300); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || fail "the mock server did not start"
PORT=$(cat "$TMP/port")
BASE="http://127.0.0.1:$PORT"

# A results file a SERVICE <file:...> would have read (it did, exit 0).
cat > "$TMP/secret.srj" <<'EOF'
{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"SECRET"}}]}}
EOF
cp "$TMP/secret.srj" "$TMP/secret.xml"

# refused QUERY EXPECTED-LINE:COL [OPTIONS]: exit 1, the message at that
# place, nothing printed, nothing read.
refused() {
  q=$1 where=$2
  shift 2
  set +e
  ng query --engine "$ENGINE" "$@" "$q" > "$TMP/out" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || { cat "$TMP/err" >&2; fail "$ENGINE: exit $rc, not 1: $q"; }
  grep -q "^newsgraph: error: <query>:$where: " "$TMP/err" ||
    { cat "$TMP/err" >&2; fail "$ENGINE: no error at $where: $q"; }
  [ ! -s "$TMP/out" ] || fail "$ENGINE: output of a refused query: $q"
  ! grep -q SECRET "$TMP/out" "$TMP/err" || fail "$ENGINE: the file was read: $q"
}

# the same, as N-Triples: what FROM <file:...> would have read
echo '<http://example.org/secret> <http://example.org/p> "SECRET" .' > "$TMP/secret.nt"

for ENGINE in native redland; do
# ---------------------------------------------- refused by default
refused "SELECT * WHERE { SERVICE <file://$TMP/secret.xml> { ?s ?p ?o } }" 1:18
cp "$TMP/err" "$TMP/err.exists"
refused "SELECT * WHERE { SERVICE <file://$TMP/missing.xml> { ?s ?p ?o } }" 1:18
# the message says nothing about whether the file exists
sed "s|secret|missing|" "$TMP/err.exists" | cmp -s - "$TMP/err" || fail "the messages differ"
refused "SELECT * WHERE {
  ?a ?b ?c .
  SERVICE <gopher://127.0.0.1:$RAW_PORT/_SET%20pwned%201%0D%0A> { ?s ?p ?o } }" 3:3
refused "SELECT * WHERE { SERVICE SILENT <$BASE/ok> { ?s ?p ?o } }" 1:18
refused "PREFIX s: <$BASE/>
SELECT * WHERE { service s:ok { ?s ?p ?o } }" 2:18
if [ $ENGINE = redland ]; then
  refused "SELECT (COUNT(*) AS ?n) FROM <file:///etc/hostname> WHERE { ?s ?p ?o }" 1:25
  refused "SELECT * FROM NAMED <$BASE/ok> WHERE { GRAPH ?g { ?s ?p ?o } }" 1:10
else
  # graphs of the store: one it does not hold is empty, nothing is fetched
  ng query -r tsv "SELECT (COUNT(*) AS ?n) FROM <file://$TMP/secret.nt> WHERE { ?s ?p ?o }" \
    > "$TMP/out" 2> "$TMP/err"
  grep -q '^"0"' "$TMP/out" || { cat "$TMP/out" "$TMP/err" >&2; fail "FROM <file:...> is not empty"; }
  ng query -r tsv "SELECT * FROM NAMED <$BASE/ok> WHERE { GRAPH ?g { ?s ?p ?o } }" \
    > "$TMP/out" 2> "$TMP/err"
  [ "$(wc -l < "$TMP/out")" = 1 ] || { cat "$TMP/out" >&2; fail "FROM NAMED <http:...> is not empty"; }
  ! grep -q SECRET "$TMP/out" "$TMP/err" || fail "FROM read the file"
fi
refused "LOAD <file://$TMP/secret.xml>" 1:1
refused "LOAD <$BASE/ok> INTO GRAPH <http://example.org/g>" 1:1

# ------------------------------------------------ --allow-service
refused "SELECT * WHERE { SERVICE <file://$TMP/secret.xml> { ?s ?p ?o } }" 1:26 --allow-service
for iri in "gopher://127.0.0.1:$RAW_PORT/_SET%20pwned%201%0D%0A" "dict://127.0.0.1:$RAW_PORT/x" \
  "ftp://127.0.0.1:$RAW_PORT/x" "HTTPX://127.0.0.1:$RAW_PORT/"; do
  refused "SELECT * WHERE { SERVICE <$iri> { ?s ?p ?o } }" 1:26 --allow-service
done
refused "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }" 1:26 --allow-service
[ ! -e "$TMP/raw.log" ] || fail "a refused SERVICE reached the listener"
[ ! -e "$TMP/http.log" ] || fail "a refused query reached the HTTP server"

# an http service: its row joined with the store's
ng query --engine $ENGINE --allow-service -r tsv "SELECT ?s ?n ?label WHERE {
  SERVICE <$BASE/ok> { ?s ?n ?x }
  ?a rdfs:label ?label FILTER(?label = \"European Union\") }" > "$TMP/out"
grep -q '"from the service"	<http://example.org/n1>	"European Union"' "$TMP/out" ||
  { cat "$TMP/out" >&2; fail "the service's answer is not in the result"; }
grep -q '^/ok?query=' "$TMP/http.log" || fail "$ENGINE: the service was not asked"
rm "$TMP/http.log"

# redirects to file:// and gopher:// are not followed (SILENT: one empty solution)
for where in file gopher; do
  set +e
  ng query --engine $ENGINE --allow-service \
    "SELECT * WHERE { SERVICE <$BASE/redirect-$where> { ?s ?p ?o } }" > "$TMP/out" 2> "$TMP/err"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "redirect to $where: exit $rc"
  ! grep -q SECRET "$TMP/out" "$TMP/err" || fail "redirect to file:// was followed"
  ng query --engine $ENGINE --allow-service -r tsv \
    "SELECT (COUNT(*) AS ?n) WHERE { SERVICE SILENT <$BASE/redirect-$where> { ?s ?p ?o } }" \
    > "$TMP/out"
  grep -q '"1"' "$TMP/out" || { cat "$TMP/out" >&2; fail "SILENT: not one empty solution"; }
done
[ ! -e "$TMP/raw.log" ] || fail "$ENGINE: a redirect reached the gopher listener"
rm -f "$TMP/http.log"

# what a whole trivial query costs here (start, open the store, exit)
t0=$(date +%s.%N)
ng query -r tsv 'ASK {}' > /dev/null
TRIVIAL=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
# a service that never answers: --timeout gives up (124) within a second
t0=$(date +%s.%N)
expect_status 124 ng query --engine $ENGINE --allow-service --timeout 2 \
  "SELECT * WHERE { SERVICE <$BASE/hang> { ?s ?p ?o } }"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v base="$TRIVIAL" 'BEGIN { exit !(b - a < 3 + base) }' ||
  fail "$ENGINE: --timeout 2 took $t0 .. $t1 (a trivial query takes $TRIVIAL s)"

# SIGTERM while waiting for it: 130 within a second
# (SIGTERM once the service was asked: the query is at work by then)
: > "$TMP/http.log"
(exec "$NEWSGRAPH" query --engine $ENGINE --allow-service \
  "SELECT * WHERE { SERVICE <$BASE/hang> { ?s ?p ?o } }" > /dev/null 2>&1) &
pid=$!
for i in $(seq 300); do grep -q '^/hang' "$TMP/http.log" && break; sleep 0.1; done
kill -TERM $pid
t0=$(date +%s.%N)
for i in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && { kill -KILL $pid; fail "SIGTERM did not stop the query"; }
set +e
wait $pid
rc=$?
set -e
t1=$(date +%s.%N)
[ "$rc" -eq 130 ] || fail "$ENGINE: SIGTERM during SERVICE: exit $rc, not 130"
awk -v a="$t0" -v b="$t1" -v base="$TRIVIAL" 'BEGIN { exit !(b - a < 1 + base) }' ||
  fail "$ENGINE: SIGTERM took $t0 .. $t1 (a trivial query takes $TRIVIAL s)"
rm -f "$TMP/http.log"
done
echo "query-service: ok"
