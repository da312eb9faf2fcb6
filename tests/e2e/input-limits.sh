#!/bin/sh
# input-limits.sh - limits on input say what they cut (issue 9, cases 8
# to 11):
#  8. HTML nested deeper than 256 elements: the deep text is read (100,000
#     levels here), and the text after it (were the parser to give up, a
#     warning would say where: tests/fuzz/fuzz_html.c checks that);
#  9. RDF/XML whose 100 KB entity is used 50,000 times (250 KB of file,
#     5 GB expanded): the import is stopped at its memory bound, told,
#     and nothing is imported;
# 10. `extract --endpoint` keeps at most a little of a server's answer
#     (a 300 MB body: memory stays small) and gives up on a failing
#     server within --timeout, not for ever; `query -r table` holds
#     10,000 rows at most and says so;
# 11. a 16 MB one-line article (the default limit) is read in bounded time
#     and memory; SIGINT during `extract` stops it within a second, and
#     the articles committed before are there.
. "${top_srcdir:-.}/tests/e2e/common.sh"
# NG_CASES="3 5" runs only those cases (each is a test of its own)
want() { case " ${NG_CASES:-8 9 10 11} " in *" $1 "*) return 0 ;; esac; return 1; }

# peak_rss OUT CMD...: run CMD, write its peak resident memory (KB) to OUT
peak_rss() {
  out=$1
  shift
  "$PYTHON3" - "$out" "$@" <<'PY'
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL)
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)
PY
}
SENTENCE="Russia attacked Ukraine near Kharkiv on Monday, officials said."

# ---------------------------------------------------- 8: deep HTML
if want 8; then
deep_html() {
  "$PYTHON3" -c "
import sys
n = int(sys.argv[1])
print('<html><body>' + '<div>' * n + sys.argv[2] + '</div>' * n +
      '<p>The EU imposed sanctions on Belarus.</p></body></html>')" \
    "$1" "$SENTENCE" > "$2"
}
deep_html 300 "$TMP/deep300.html"
ng extract --no-store --format tsv "$TMP/deep300.html" > "$TMP/out" 2> "$TMP/err"
grep -q "Russia	" "$TMP/out" || { cat "$TMP/err" >&2; fail "8: the text 300 levels deep is lost"; }
grep -q "European Union	" "$TMP/out" || fail "8: the text after 300 levels is lost"
deep_html 100000 "$TMP/deep100k.html"
ng extract --no-store --format tsv "$TMP/deep100k.html" > "$TMP/out" 2> "$TMP/err"
grep -q "Russia	" "$TMP/out" || { cat "$TMP/err" >&2; fail "8: the text 100,000 levels deep is lost"; }
grep -q "European Union	" "$TMP/out" || fail "8: the text after the nest is lost"
fi

# ------------------------------------------- 9: entity expansion in RDF/XML
if want 9; then
"$PYTHON3" - "$TMP/bomb.rdf" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY big "%s">\n]>\n' % ("x" * 100000))
    f.write('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/s">\n'
            '<ex:p>')
    f.write("&big;" * 50000)
    f.write('</ex:p>\n</rdf:Description>\n</rdf:RDF>\n')
PY
ng import "$EXAMPLES/../ontology/newsgraph.ttl"
ng export --format nquads | sort > "$TMP/before.nq"
T0=$(date +%s)
set +e
peak_rss "$TMP/rss" "$NEWSGRAPH" import "$TMP/bomb.rdf" 2> "$TMP/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { cat "$TMP/err" >&2; fail "9: entity bomb: exit $rc"; }
grep -q "bomb.rdf: the RDF parser grew past" "$TMP/err" || { cat "$TMP/err" >&2; fail "9: not told"; }
[ $(($(date +%s) - T0)) -lt 120 ] || fail "9: the import took $(($(date +%s) - T0)) s"
ng export --format nquads | sort | cmp -s - "$TMP/before.nq" || fail "9: the store changed"
# the same bomb through LOAD of an update (the same child and memory
# watch): told where, exit 1, and the request's other operation undone
T0=$(date +%s)
set +e
"$NEWSGRAPH" update \
  "INSERT DATA { <http://example.org/before> <http://example.org/p> 1 } ;
   LOAD <file://$TMP/bomb.rdf> INTO GRAPH <http://example.org/g>" 2> "$TMP/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { cat "$TMP/err" >&2; fail "9: entity bomb by LOAD: exit $rc"; }
grep -q "bomb.rdf: the RDF parser grew past" "$TMP/err" || { cat "$TMP/err" >&2; fail "9: LOAD: not told"; }
grep -q "<update>:2:4: LOAD <file://$TMP/bomb.rdf> failed" "$TMP/err" ||
  { cat "$TMP/err" >&2; fail "9: LOAD: not told where"; }
[ $(($(date +%s) - T0)) -lt 120 ] || fail "9: the LOAD took $(($(date +%s) - T0)) s"
ng export --format nquads | sort | cmp -s - "$TMP/before.nq" || fail "9: LOAD changed the store"
# a device or a pipe is no file to load (/dev/zero would be read for ever)
set +e
ng update "LOAD <file:///dev/zero>" 2> "$TMP/err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "/dev/zero: not a regular file" "$TMP/err" ||
  { cat "$TMP/err" >&2; fail "9: LOAD of /dev/zero: exit $rc"; }
# SILENT: the request goes on without the file
ng update "LOAD SILENT <file://$TMP/bomb.rdf> ; INSERT DATA { <http://example.org/after> <http://example.org/p> 2 }" 2> "$TMP/err" ||
  { cat "$TMP/err" >&2; fail "9: LOAD SILENT failed"; }
[ ! -s "$TMP/err" ] || { cat "$TMP/err" >&2; fail "9: LOAD SILENT said something"; }
[ "$(ng export --format nquads | wc -l)" -eq $(($(wc -l < "$TMP/before.nq") + 1)) ] ||
  fail "9: LOAD SILENT: not just the one triple added"
# external entities, parameter entities and XInclude are never read
echo "TOPSECRET" > "$TMP/secret.txt"
cat > "$TMP/xxe.rdf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
<!ENTITY e SYSTEM "file://$TMP/secret.txt">
<!ENTITY % p SYSTEM "file://$TMP/secret.txt">
%p;
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"
         xmlns:xi="http://www.w3.org/2001/XInclude">
<rdf:Description rdf:about="http://example.org/s"><ex:p>[&e;]</ex:p></rdf:Description>
<xi:include href="file://$TMP/secret.txt" parse="text"/>
</rdf:RDF>
EOF
if command -v strace > /dev/null; then
  strace -f -e trace=open,openat -o "$TMP/trace" "$NEWSGRAPH" import "$TMP/xxe.rdf" > /dev/null 2>&1 || true
  ! grep -q 'secret.txt' "$TMP/trace" || fail "9: an external entity was read"
fi
ng import "$TMP/xxe.rdf" > "$TMP/out" 2>&1 || true
! grep -q TOPSECRET "$TMP/out" || fail "9: an external entity's text was shown"
! ng export --format nquads | grep -q TOPSECRET || fail "9: an external entity's text was stored"
fi

# ------------------------------------------------------ 10: servers
if want 10; then
"$PYTHON3" -c 'import http.server' 2>/dev/null || skip "no Python 3 for the mock server"
cat > "$TMP/mock.py" <<'EOF'
import http.server, os, sys, time
class Mock(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(n)
        if self.path.startswith("/down"):
            body = b"busy"
            self.send_response(503)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        # /big: a 300 MB answer to every update
        chunk = b"ok " * 21846 + b"\n"
        count = 300 * 1024 * 1024 // len(chunk)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(chunk) * count))
        self.end_headers()
        try:
            for _ in range(count):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
    def log_message(self, *args):
        pass
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mock)
httpd.daemon_threads = True
with open(os.path.join(sys.argv[1], "port"), "w") as f:
    f.write(str(httpd.server_address[1]))
httpd.timeout = 1
deadline = time.time() + 300 # never outlives a stuck test
while time.time() < deadline:
    httpd.handle_request()
EOF
"$PYTHON3" "$TMP/mock.py" "$TMP" &
MOCK=$!
trap 'kill $MOCK 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 300); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || fail "10: the mock server did not start"
PORT=$(cat "$TMP/port")
printf '{"id": "e1", "date": "2022-03-01", "text": "%s"}\n' "$SENTENCE" > "$TMP/one.jsonl"
peak_rss "$TMP/rss" "$NEWSGRAPH" extract --quiet --endpoint "http://127.0.0.1:$PORT/big" \
  "$TMP/one.jsonl" 2> "$TMP/err" || { cat "$TMP/err" >&2; fail "10: the push failed"; }
[ "$(cat "$TMP/rss")" -lt 200000 ] || fail "10: a 300 MB answer took $(cat "$TMP/rss") KB"
T0=$(date +%s)
expect_status 1 ng extract --quiet --endpoint "http://127.0.0.1:$PORT/down" --timeout 2 \
  "$TMP/one.jsonl" 2> "$TMP/err"
[ $(($(date +%s) - T0)) -le 8 ] || fail "10: a failing server held the run $(($(date +%s) - T0)) s"
grep -q "not sent: e1" "$TMP/err" || fail "10: the unsent article is not told"
# a table holds 10,000 rows at most, and says so
ng extract --quiet "$EXAMPLES/articles/belarus-sanctions.txt"
ng query -r table 'SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y } LIMIT 12000' > "$TMP/out" 2> "$TMP/err"
grep -q "the table shows the first 10000 rows of 12000" "$TMP/err" || { cat "$TMP/err" >&2; fail "10: table"; }
[ "$(grep -c '^│' "$TMP/out")" -eq 10001 ] || fail "10: the table does not hold 10,000 rows"
fi

# ------------------------------------------------ 11: a 16 MB one-line article
if want 11; then
"$PYTHON3" - "$TMP/huge.txt" "$EXAMPLES/articles/belarus-sanctions.txt" <<'PY'
import sys
text = open(sys.argv[2]).read().replace("\n", " ")
n = 16 * 1024 * 1024 - 1
with open(sys.argv[1], "w") as f:
    f.write((text * (n // len(text) + 1))[:n])
PY
T0=$(date +%s)
peak_rss "$TMP/rss" "$NEWSGRAPH" extract --no-store --format tsv "$TMP/huge.txt" 2> "$TMP/err" ||
  { tail -3 "$TMP/err" >&2; fail "11: the 16 MB article failed"; }
SECS=$(($(date +%s) - T0))
echo "input-limits: 16 MB article: $SECS s, $(cat "$TMP/rss") KB" >&2
[ "$SECS" -lt 240 ] || fail "11: the 16 MB article took $SECS s"
[ "$(cat "$TMP/rss")" -lt 2000000 ] || fail "11: the 16 MB article took $(cat "$TMP/rss") KB"

# SIGINT during extract: out within a second, the committed articles kept
"$PYTHON3" - "$TMP/slow.jsonl" "$SENTENCE" <<'PY'
import json, sys
# articles of 64 KiB: standard input is read in pieces of that size
filler = " ".join(["The committee of regional observers met in the old town."] * 1150)
with open(sys.argv[1], "w") as f:
    for i in range(100):
        f.write(json.dumps({"id": "s%d" % i, "date": "2022-03-01",
                            "text": sys.argv[2] + " " + filler}) + "\n")
PY
S="$TMP/slow-store"
"$PYTHON3" -c "
import sys, time
for line in open(sys.argv[1]):
    sys.stdout.write(line); sys.stdout.flush(); time.sleep(0.05)" "$TMP/slow.jsonl" 2>/dev/null |
  (exec "$NEWSGRAPH" extract --store "$S" --verbose --input-format jsonl - 2> "$TMP/err" > /dev/null) &
PID=$!
# (once articles are committed and its handlers in place)
for i in $(seq 300); do grep -q '^committed ' "$TMP/err" 2>/dev/null && break; sleep 0.1; done
wait_for_handlers $PID || fail "11: extract did not start"
kill -INT $PID
T0=$(date +%s.%N)
for i in $(seq 100); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done
kill -0 $PID 2>/dev/null && { kill -KILL $PID; fail "11: SIGINT did not stop extract"; }
set +e
wait $PID
rc=$?
set -e
T1=$(date +%s.%N)
[ "$rc" -eq 130 ] || fail "11: SIGINT: exit $rc"
# (what extract's start and end cost on this machine, in a sanitizer build)
printf '{"id": "e1", "date": "2022-03-01", "text": "%s"}\n' "$SENTENCE" > "$TMP/one11.jsonl"
T2=$(date +%s.%N)
ng extract --no-store --format tsv "$TMP/one11.jsonl" > /dev/null 2>&1 || true
BASE=$(awk -v a="$T2" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
awk -v a="$T0" -v b="$T1" -v base="$BASE" 'BEGIN { exit !(b - a < 1 + base) }' ||
  fail "11: SIGINT took $T0 .. $T1 (a one-article run takes $BASE s)"
COMMITTED=$(grep -c '^committed ' "$TMP/err" || true)
[ "$COMMITTED" -gt 0 ] || fail "11: nothing was committed before SIGINT"
[ "$(ng stats --store "$S" | sed -n 's/^articles\t//p')" -ge "$COMMITTED" ] ||
  fail "11: committed articles are missing after SIGINT"
fi

echo "input-limits: ok"
