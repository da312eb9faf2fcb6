#!/bin/sh
# input-sniff.sh - standard input and formats told by content (issue 13):
# JSON Lines and HTML piped to `extract -` are read as what they are, not as
# text; `import -` reads each RDF syntax from standard input, sniffed or
# forced with -i; files without a telling name are sniffed too; errors in
# standard input are told as <stdin>:LINE:COL.
. "${top_srcdir:-.}/tests/e2e/common.sh"

Q="$DATA/query"
ARTICLES="$EXAMPLES/articles"
tsv() { ng extract --no-store --format tsv "$@"; }

# ------------------------------------------------------- extract - (stdin)
# JSON Lines: the records' ids and dates, exactly as from the named file
tsv "$ARTICLES/wire.jsonl" > "$TMP/named.tsv"
tsv - < "$ARTICLES/wire.jsonl" > "$TMP/stdin.tsv"
cmp "$TMP/named.tsv" "$TMP/stdin.tsv" || fail "JSON Lines on stdin differ from the file"
grep -q 'example-conflict-1' "$TMP/stdin.tsv" || fail "stdin JSONL lost its ids"
grep -q '	stdin	' "$TMP/stdin.tsv" && fail "stdin JSONL read as one text article"
# the same without a telling name
cp "$ARTICLES/wire.jsonl" "$TMP/feed.out"
tsv "$TMP/feed.out" | cut -f2- > "$TMP/out.tsv"
cut -f2- "$TMP/named.tsv" | cmp - "$TMP/out.tsv" || fail "JSON Lines named feed.out"

# HTML: the page's markup is not read as words (its title, meta date)
tsv "$ARTICLES/diplomacy-summit.html" | cut -f2- > "$TMP/named.tsv"
tsv - < "$ARTICLES/diplomacy-summit.html" | cut -f2- > "$TMP/stdin.tsv"
[ "$(wc -l < "$TMP/named.tsv")" -gt 1 ] || fail "the HTML example gives no event"
# the article id is the file's name there and "stdin" here: compare the rest
sed 's/diplomacy-summit\.html/stdin/g' "$TMP/named.tsv" | cmp - "$TMP/stdin.tsv" \
  || fail "HTML on stdin differs from the file"
grep -q 'DOCTYPE\|<p>\|</' "$TMP/stdin.tsv" && fail "markup in the events of stdin HTML"

# text stays text; -i forces
tsv - < "$ARTICLES/protest-minsk.txt" > "$TMP/text.tsv"
[ "$(wc -l < "$TMP/text.tsv")" -gt 1 ] || fail "text on stdin gives no event"
printf '<p>The EU imposed sanctions on Belarus.</p>\n' > "$TMP/page"
tsv -d 2021-11-25 "$TMP/page" | grep -q '<p>' && fail "HTML without a name read as text"
tsv -d 2021-11-25 -i text - < "$TMP/page" | grep -q '<p>' || fail "-i text did not force text"
tsv -d 2021-11-25 --input text - < "$TMP/page" | grep -q '<p>' || fail "--input text"
# a JSONL error on stdin is placed
printf '{"id": "a", "text": "x"}\n{"id": "b" "text": 1}\n' | \
  { set +e; tsv - > /dev/null 2> "$TMP/err"; echo $? > "$TMP/rc"; }
[ "$(cat "$TMP/rc")" = 1 ] || fail "a bad JSONL line on stdin: exit $(cat "$TMP/rc")"
grep -q '<stdin>:2:' "$TMP/err" || fail "no <stdin>:2: in: $(cat "$TMP/err")"

# -------------------------------------------------------- import - (stdin)
count() { ng query -r csv "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }" | tail -1 | tr -d '\r'; }
graphs() { ng query -r tsv 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g'; }

for f in actors.ttl articles.nq edge.nt; do
  rm -rf "$NEWSGRAPH_STORE"
  ng import "$Q/$f"
  named=$(count)
  rm -rf "$NEWSGRAPH_STORE"
  ng import - < "$Q/$f" 2> "$TMP/err" || fail "import - < $f: $(cat "$TMP/err")"
  [ "$(count)" = "$named" ] || fail "import - < $f: $(count) quads, the file gives $named"
done
# triples from stdin go to the graph "stdin"
graphs | grep -qx '<https://w3id.org/newsgraph/id/graph/stdin>' || fail "no graph stdin: $(graphs)"
# quads keep their graphs
rm -rf "$NEWSGRAPH_STORE"
ng import - < "$Q/articles.nq"
graphs | grep -q 'article/minsk-1>' || fail "N-Quads from stdin lost their graphs"
graphs | grep -q 'graph/stdin>' && fail "N-Quads from stdin read as triples"

# RDF/XML and TriG, sniffed (Raptor 2.0.15 reads TriG without 1.1's GRAPH) from stdin and from names that say nothing
cat > "$TMP/doc.rdf" <<'XML'
<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>o</ex:p></rdf:Description>
</rdf:RDF>
XML
cat > "$TMP/doc.trig" <<'TRIG'
@prefix ex: <http://example.org/> .
ex:g1 { ex:s ex:p "one" }
ex:g2 { ex:s ex:p "two" . ex:s ex:p "three" }
TRIG
rm -rf "$NEWSGRAPH_STORE"
ng import - < "$TMP/doc.rdf"
[ "$(count)" = 1 ] || fail "RDF/XML from stdin: $(count) quads"
cp "$TMP/doc.trig" "$TMP/data"
rm -rf "$NEWSGRAPH_STORE"
ng import "$TMP/data" "$TMP/doc.trig"
[ "$(count)" = 3 ] || fail "TriG (sniffed, and by name): $(count) quads"
graphs | grep -q 'example.org/g2>' || fail "TriG lost its graphs: $(graphs)"
# Turtle content in a file named .nt: the content wins
cp "$Q/actors.ttl" "$TMP/mislabelled.nt"
ng import "$TMP/mislabelled.nt" || fail "Turtle named .nt"
# -i forces: Turtle forced on N-Triples works (a subset), N-Triples forced
# on Turtle is refused with the place, and nothing is added
before=$(count)
expect_status 1 ng import -i ntriples - < "$Q/actors.ttl" 2> "$TMP/err"
grep -q '^newsgraph: error: <stdin>:2:' "$TMP/err" || fail "forced N-Triples: $(cat "$TMP/err")"
[ "$(count)" = "$before" ] || fail "a refused stdin import added quads"
ng import -i turtle - < "$Q/edge.nt"
expect_status 2 ng import -i yaml - < "$Q/edge.nt" 2> /dev/null

# a syntax error in stdin Turtle is placed in <stdin>
expect_status 1 ng import - < "$Q/bad.ttl" 2> "$TMP/err"
grep -q '^newsgraph: error: <stdin>:[0-9]*:[0-9]*: ' "$TMP/err" || fail "bad stdin: $(cat "$TMP/err")"
# the spool of standard input goes into TMPDIR and leaves nothing there,
# after an import that worked and after one that failed
mkdir "$TMP/spool"
TMPDIR="$TMP/spool" ng import - < "$Q/edge.nt"
expect_status 1 env TMPDIR="$TMP/spool" "$NEWSGRAPH" import - < "$Q/bad.ttl" 2> /dev/null
[ -z "$(ls -A "$TMP/spool")" ] || fail "left in TMPDIR: $(ls -A "$TMP/spool")"
expect_status 1 env TMPDIR="$TMP/none" "$NEWSGRAPH" import - < "$Q/edge.nt" 2> "$TMP/err"
grep -q 'cannot make a temporary file' "$TMP/err" || fail "no TMPDIR: $(cat "$TMP/err")"
# export and extract write no TriG (nothing writes it)
expect_status 2 ng export --format trig 2> /dev/null
expect_status 2 ng extract --no-store --format trig "$ARTICLES/wire.jsonl" 2> /dev/null
exit 0
