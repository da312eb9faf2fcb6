#!/bin/sh
# query-export.sh - export in every syntax: rapper and rdflib read back
# exactly stats' quads (N-Quads) and triples (the others); escapes, blank
# nodes and odd IRIs survive import + store + export (edge cases and a
# random graph, compared with rdflib's isomorphism test).
. "$top_srcdir/tests/e2e/common.sh"
Q="$DATA/query"
command -v rapper > /dev/null || skip "rapper (raptor2-utils) is not installed"
RDFLIB=/usr/bin/python3
"$RDFLIB" -c 'import rdflib' 2> /dev/null || RDFLIB=

stat_of() { ng stats | awk -v k="$1" '$1 == k { print $2 }'; }
count() { rapper -i "$1" -c "$2" 2>&1 | awk '/returned/ { print $4 }'; }

# A random graph of awkward terms, as N-Triples (standard library only).
"$PYTHON3" - > "$TMP/random.nt" <<'PY'
import random
rnd = random.Random(20240601)
lit_parts = ['a', 'Z', '9', ' ', '"', '\\', '\n', '\r', '\t', '\x01', '\x1f', '\x7f', "'", "'''",
             '"""', '#', '@', '.', 'é', '日本', '😀', '^^', ';', ',', '<', '>', '{', '}']
iri_parts = ['a', 'Z', '0', '-', '_', '.x', '/y', '#', '%20', '~', 'é', '日', '(', ')', '!', '$',
             '&', "'", '*', '+', ',', ';', '=', ':', '@']
preds = ['http://ex.org/p', 'http://ex.org/ns#q', 'https://w3id.org/newsgraph/ns#actor',
         'http://www.w3.org/2000/01/rdf-schema#label']
def esc(s):
    out = []
    for c in s:
        o = ord(c)
        if c == '"': out.append('\\"')
        elif c == '\\': out.append('\\\\')
        elif c == '\n': out.append('\\n')
        elif c == '\r': out.append('\\r')
        elif o < 0x20 or o == 0x7f: out.append('\\u%04X' % o)
        elif o > 0xffff and o % 2: out.append('\\U%08X' % o)
        else: out.append(c)
    return ''.join(out)
def iri():
    base = rnd.choice(['http://ex.org/', 'https://w3id.org/newsgraph/id/actor/', 'urn:x:',
                       'https://w3id.org/newsgraph/id/event/'])
    return '<' + base + 'r' + ''.join(rnd.choice(iri_parts) for _ in range(rnd.randint(0, 8))) + '>'
def literal():
    text = ''.join(rnd.choice(lit_parts) for _ in range(rnd.randint(0, 10)))
    # rdflib 6 misreads an escaped backslash followed by "u": keep them apart
    text = text.replace('\\u', '\\ u').replace('\\U', '\\ U')
    kind = rnd.random()
    if kind < 0.2: return '"%s"@%s' % (esc(text), rnd.choice(['en', 'fr-be', 'zh-hant']))
    if kind < 0.4: return '"%s"^^<http://ex.org/dt#%s>' % (esc(text), rnd.choice(['a', 'b']))
    return '"%s"' % esc(text)
def subject(): return iri() if rnd.random() < 0.7 else '_:b%d' % rnd.randint(0, 40)
def obj():
    k = rnd.random()
    return iri() if k < 0.3 else '_:b%d' % rnd.randint(0, 40) if k < 0.4 else literal()
seen = set()  # one writing per term, so equal lines are equal triples
while len(seen) < 1500:
    line = '%s <%s> %s .' % (subject(), rnd.choice(preds), obj())
    if line not in seen:
        seen.add(line)
        print(line)
PY

ng import "$Q/actors.ttl" "$Q/articles.nq" "$Q/edge.nt"
ng import --graph http://ex.org/random "$TMP/random.nt"
QUADS=$(stat_of quads)
TRIPLES=$(stat_of triples)
[ "$QUADS" -gt "$TRIPLES" ] || fail "shared triples expected: quads $QUADS, triples $TRIPLES"

# ------------------------------------------------------- whole store
ng export --format nquads -o "$TMP/all.nq"
ng export --format ntriples > "$TMP/all.nt"
ng export > "$TMP/all.ttl"
[ "$(count nquads "$TMP/all.nq")" = "$QUADS" ] || fail "N-Quads: $(count nquads "$TMP/all.nq") != quads $QUADS"
[ "$(count ntriples "$TMP/all.nt")" = "$TRIPLES" ] || fail "N-Triples: $(count ntriples "$TMP/all.nt") != triples $TRIPLES"
[ "$(count turtle "$TMP/all.ttl")" = "$TRIPLES" ] || fail "Turtle: $(count turtle "$TMP/all.ttl") != triples $TRIPLES"
[ "$(wc -l < "$TMP/all.nq")" = "$QUADS" ] || fail "N-Quads lines"

if [ -n "$RDFLIB" ]; then
  "$RDFLIB" - "$TMP" "$QUADS" "$TRIPLES" <<'PY' 2> "$TMP/rdflib.err" || fail "rdflib: $(tail -n 3 "$TMP/rdflib.err")"
import sys, rdflib
from rdflib.compare import to_canonical_graph
tmp, quads, triples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ds = rdflib.Dataset()
ds.parse(tmp + "/all.nq", format="nquads")
n = sum(1 for _ in ds.quads((None, None, None, None)))
assert n == quads, ("nquads", n, quads)
nt = rdflib.Graph().parse(tmp + "/all.nt", format="nt")
ttl = rdflib.Graph().parse(tmp + "/all.ttl", format="turtle")
assert len(nt) == triples, ("ntriples", len(nt), triples)
assert len(ttl) == triples, ("turtle", len(ttl), triples)
assert set(to_canonical_graph(nt)) == set(to_canonical_graph(ttl)), "N-Triples and Turtle exports differ"
PY
fi

# --------------------------------------------- one graph, back as it was
for g in graph/edge:edge.nt random:random.nt; do
  iri=https://w3id.org/newsgraph/id/${g%%:*}
  src=$Q/${g#*:}
  [ "${g%%:*}" = random ] && iri=http://ex.org/random && src=$TMP/random.nt
  ng export --graph "$iri" --format ntriples > "$TMP/g.nt"
  ng export --graph "$iri" --format nquads > "$TMP/g.nq"
  ng export --graph "$iri" --format turtle > "$TMP/g.ttl"
  want=$(count ntriples "$src")
  [ "$(count ntriples "$TMP/g.nt")" = "$want" ] || fail "$iri: N-Triples count"
  [ "$(count nquads "$TMP/g.nq")" = "$want" ] || fail "$iri: N-Quads count"
  [ "$(count turtle "$TMP/g.ttl")" = "$want" ] || fail "$iri: Turtle count"
  grep -v "<$iri> \.\$" "$TMP/g.nq" && fail "$iri: a quad in another graph"
  if [ -n "$RDFLIB" ]; then
    "$RDFLIB" - "$src" "$TMP" <<'PY' 2> "$TMP/rdflib.err" || fail "$iri: rdflib: $(tail -n 3 "$TMP/rdflib.err")"
import sys, rdflib
from rdflib.compare import to_canonical_graph, graph_diff
# isomorphic() hashes language tags case-sensitively; RDF 1.1 (and the
# store) treat them case-insensitively: compare canonical graphs as sets.
def same(g1, g2):
    return set(to_canonical_graph(g1)) == set(to_canonical_graph(g2))
src = rdflib.Graph().parse(sys.argv[1], format="nt")
for name, fmt in (("g.nt", "nt"), ("g.ttl", "turtle"), ("g.nq", "nquads")):
    if fmt == "nquads":
        ds = rdflib.Dataset()
        ds.parse(sys.argv[2] + "/" + name, format=fmt)
        got = rdflib.Graph()
        for s, p, o, g in ds.quads((None, None, None, None)):
            got.add((s, p, o))
    else:
        got = rdflib.Graph().parse(sys.argv[2] + "/" + name, format=fmt)
    if not same(src, got):
        both, first, second = graph_diff(src, got)
        sys.exit("%s differs: only in source %s; only in export %s" % (
            name, sorted(first)[:2], sorted(second)[:2]))
PY
  fi
done

# RDF/XML (Raptor's serializer) for what XML 1.0 can hold...
ng export --graph https://w3id.org/newsgraph/id/graph/actors --format rdf > "$TMP/actors.rdf"
[ "$(count rdfxml "$TMP/actors.rdf")" = "$(count turtle "$Q/actors.ttl")" ] || fail "RDF/XML of graph:actors"
ng export --graph https://w3id.org/newsgraph/id/article/minsk-1 --format xml -o "$TMP/minsk.rdf"
ng export --graph https://w3id.org/newsgraph/id/article/minsk-1 --format nt -o "$TMP/minsk.nt"
[ "$(count rdfxml "$TMP/minsk.rdf")" = "$(count ntriples "$TMP/minsk.nt")" ] || fail "RDF/XML of minsk-1"
# ...and one clear error (exit 1) for control characters, which it cannot
expect_status 1 ng export --format rdfxml > "$TMP/all.rdf" 2> "$TMP/rdfxml.err"
[ "$(grep -c 'illegal XML 1.0 character' "$TMP/rdfxml.err")" = 1 ] || fail "RDF/XML errors: $(head -n 3 "$TMP/rdfxml.err")"

# a graph that is not there
expect_status 1 ng export --graph https://example.org/none > "$TMP/none" 2> "$TMP/none.err"
grep -q 'no graph <https://example.org/none>' "$TMP/none.err" || fail "missing graph: $(cat "$TMP/none.err")"
exit 0
