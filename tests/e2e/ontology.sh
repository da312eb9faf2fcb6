#!/bin/sh
# ontology.sh - the vocabulary: lexicon/cameo.txt is a complete CAMEO tree,
# ontology/cameo.ttl is exactly what tools/gen-cameo-ttl.py makes of it, both
# .ttl files parse, every ng: term used (by cameo.ttl, by the README's worked
# example) is declared in newsgraph.ttl with the type its values have, and
# the README's queries give the right answers on Rasqal.
. "$top_srcdir/tests/e2e/common.sh"

LEXICON="$top_srcdir/lexicon/cameo.txt"
ONTO="$top_srcdir/ontology"
GEN="$top_srcdir/tools/gen-cameo-ttl.py"

# --- cameo.ttl is in step with cameo.txt -----------------------------------
"$PYTHON3" "$GEN" "$LEXICON" > "$TMP/cameo.ttl" || fail "gen-cameo-ttl.py failed on cameo.txt"
cmp -s "$TMP/cameo.ttl" "$ONTO/cameo.ttl" ||
  fail "ontology/cameo.ttl is not what tools/gen-cameo-ttl.py makes of lexicon/cameo.txt (run make ontology)"
# Same input, same bytes: nothing depends on the run (order, time, path).
cp "$LEXICON" "$TMP/moved-cameo.txt"
"$PYTHON3" "$GEN" "$TMP/moved-cameo.txt" | cmp -s - "$TMP/cameo.ttl" ||
  fail "gen-cameo-ttl.py output depends on the input's path"

# --- the generator refuses a broken table, saying where ---------------------
cat > "$TMP/broken.txt" <<'EOF'
# a wrong QuadClass, a bad label, a bad value, a missing parent, a code out of order
01   | Make public statement | 0.0 | 1 | makes statement
010  | Make statement, not specified below | 0.0 | 3 | makes statement
011  | Decline comment | -0.1 | 1 | Declines_Comment
012  | Make pessimistic comment | -11.5 | 1 | makes pessimistic comment
0211 | Appeal for economic cooperation | 3.4 | 1 | appeals for economic cooperation
014  | Consider policy option | 0.0 | 1 | considers policy option
EOF
expect_status 1 "$PYTHON3" "$GEN" "$TMP/broken.txt" > "$TMP/broken.out" 2> "$TMP/broken.err"
[ ! -s "$TMP/broken.out" ] || fail "gen-cameo-ttl.py wrote output for a broken table"
for want in "broken.txt:3:52: quad '3' does not match root 01" \
            "broken.txt:4:37: label 'Declines_Comment'" \
            "broken.txt:5:35: goldstein '-11.5'" \
            "broken.txt:6:1: code 0211 has no parent 021" \
            "broken.txt:7:1: code 014 out of order" \
            "broken.txt: root 20 is missing"; do
  grep -qF "$want" "$TMP/broken.err" || fail "no diagnostic '$want' in: $(cat "$TMP/broken.err")"
done

# --- both files parse with Raptor ---------------------------------------------
command -v rapper > /dev/null 2>&1 || skip "rapper (raptor2-utils) is not installed"
for f in newsgraph cameo; do
  rapper -q -i turtle -c "$ONTO/$f.ttl" 2> "$TMP/$f.err" || fail "$f.ttl does not parse: $(cat "$TMP/$f.err")"
  [ ! -s "$TMP/$f.err" ] || fail "rapper warns about $f.ttl: $(cat "$TMP/$f.err")"
  rapper -q -i turtle -o ntriples "$ONTO/$f.ttl" > "$TMP/$f.nt"
done

# --- the README's worked example, and more events for the queries to tell apart
awk '/^```turtle$/ { on = 1; next } /^```$/ { on = 0 } on' "$ONTO/README.md" > "$TMP/example.ttl"
[ -s "$TMP/example.ttl" ] || fail "no \`\`\`turtle worked example in ontology/README.md"
rapper -q -i turtle -o ntriples "$TMP/example.ttl" > "$TMP/example.nt" 2> "$TMP/example.err" ||
  fail "the README's worked example does not parse: $(cat "$TMP/example.err")"
cat > "$TMP/more.ttl" <<'EOF'
@prefix ng: <https://w3id.org/newsgraph/ns#> .
@prefix cameo: <https://w3id.org/newsgraph/cameo/> .
@prefix rel: <https://w3id.org/newsgraph/rel/> .
@prefix ev: <https://w3id.org/newsgraph/id/event/t/> .
@prefix mn: <https://w3id.org/newsgraph/id/mention/t/> .
@prefix article: <https://w3id.org/newsgraph/id/article/> .
@prefix actor: <https://w3id.org/newsgraph/id/actor/> .
@prefix action: <https://w3id.org/newsgraph/id/action/> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# EU threatens Russia, dated by month: begins 1 November, first in time order.
ev:0-0 a ng:Event ; ng:actor actor:european-union ; ng:target actor:russia ;
    ng:action cameo:1312 ; ng:actionLabel "threatens sanctions" ; ng:cameoCode "1312" ; ng:cameoRoot "13" ;
    ng:date "2020-11"^^xsd:gYearMonth ; sem:hasBeginTimeStamp "2020-11-01"^^xsd:date ;
    sem:hasEndTimeStamp "2020-11-30"^^xsd:date ; ng:dateSource "text" ; ng:modality "threat" ;
    ng:confidence 0.9 ; ng:negated false ; ng:article article:t ; ng:mention mn:0-0 .
mn:0-0 a ng:Mention ; ng:article article:t ; ng:sentenceIndex 0 ; ng:sentenceText "S0." ;
    ng:beginIndex 0 ; ng:endIndex 3 ; ng:actorText "EU" ; ng:actionText "threatened" ; ng:rule "threaten#1" .
# EU did not sanction Lukashenko in December: negated, outside November.
ev:1-0 a ng:Event ; ng:actor actor:european-union ; ng:target actor:alexander-lukashenko ;
    ng:action cameo:163 ; ng:actionLabel "sanctions" ; ng:cameoCode "163" ; ng:cameoRoot "16" ;
    ng:date "2020-12-01"^^xsd:date ; sem:hasBeginTimeStamp "2020-12-01"^^xsd:date ;
    sem:hasEndTimeStamp "2020-12-01"^^xsd:date ; ng:dateSource "article" ;
    ng:confidence 0.7 ; ng:negated true ; ng:article article:t ; ng:mention mn:1-0 .
mn:1-0 a ng:Mention ; ng:article article:t ; ng:sentenceText "S1." .
# Lukashenko releases someone, an open action dated by ISO week (begins in October).
ev:2-0 a ng:Event ; ng:actor actor:alexander-lukashenko ; ng:action action:release ;
    ng:actionLabel "releases" ; ng:date "2020-W44"^^ng:isoWeek ;
    sem:hasBeginTimeStamp "2020-10-26"^^xsd:date ; sem:hasEndTimeStamp "2020-11-01"^^xsd:date ;
    ng:negated false ; ng:article article:t ; ng:mention mn:2-0 .
mn:2-0 a ng:Mention ; ng:article article:t ; ng:sentenceText "S2." .
action:release a ng:OpenAction ; skos:prefLabel "releases"@en .
# Russia criticizes the EU on the last day of November.
ev:3-0 a ng:Event ; ng:actor actor:russia ; ng:target actor:european-union ;
    ng:action cameo:111 ; ng:actionLabel "criticizes" ; ng:cameoCode "111" ; ng:cameoRoot "11" ;
    ng:date "2020-11-30"^^xsd:date ; sem:hasBeginTimeStamp "2020-11-30"^^xsd:date ;
    sem:hasEndTimeStamp "2020-11-30"^^xsd:date ; ng:negated false ; ng:article article:t ; ng:mention mn:3-0 .
mn:3-0 a ng:Mention ; ng:article article:t ; ng:sentenceText "S3." .
actor:russia a ng:Actor ; rdfs:label "Russia" ; ng:actorCode "RUS" ; ng:countryCode "RUS" ;
    ng:actorKind "country" .
actor:european-union rel:threatens-sanctions actor:russia .
actor:russia rel:criticizes actor:european-union .
EOF
rapper -q -i turtle -o ntriples "$TMP/more.ttl" > "$TMP/more.nt"

# --- cameo.txt, cameo.ttl and newsgraph.ttl agree (Python, standard library) -
"$PYTHON3" - "$LEXICON" "$TMP/cameo.nt" "$TMP/newsgraph.nt" "$TMP/example.nt" "$TMP/more.nt" <<'EOF' ||
import re
import sys

NG = "https://w3id.org/newsgraph/ns#"
CAMEO = "https://w3id.org/newsgraph/cameo/"
REL = "https://w3id.org/newsgraph/rel/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
# Codes per root in the CAMEO 1.1b3 codebook (the root itself included).
CODEBOOK = {1: 11, 2: 28, 3: 29, 4: 8, 5: 9, 6: 6, 7: 7, 8: 26, 9: 6, 10: 28, 11: 13, 12: 27,
            13: 23, 14: 27, 15: 7, 16: 14, 17: 14, 18: 15, 19: 10, 20: 8}
errors = []
TERM = r'(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z-]+|\^\^<[^>]*>)?)'
LINE = re.compile(r"%s %s %s \.$" % (TERM, TERM, TERM))


def read_nt(path):
    triples = []
    for line in open(path, encoding="utf-8"):
        m = LINE.match(line.strip())
        if not m:
            raise SystemExit("cannot read N-Triples line: " + line)
        triples.append(m.groups())
    return triples


def iri(t):
    return t[1:-1] if t.startswith("<") else None


def lexical(t):
    """(lexical form, datatype IRI or None, language or None) of a literal."""
    m = re.match(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z-]+)|\^\^<([^>]*)>)?$', t)
    return (m.group(1), m.group(3), m.group(2)) if m else None


def read_lexicon(path):
    rows = []
    for number, raw in enumerate(open(path, encoding="utf-8"), 1):
        content = raw.split("#", 1)[0].strip()
        if content:
            fields = [f.strip() for f in content.split("|")]
            if len(fields) != 5:
                errors.append("cameo.txt:%d: %d fields" % (number, len(fields)))
                continue
            rows.append(fields)
    return rows


def check_lexicon(rows):
    codes = [r[0] for r in rows]
    if codes != sorted(codes) or len(set(codes)) != len(codes):
        errors.append("cameo.txt: codes are not unique and ordered")
    known = set(codes)
    per_root = {}
    for code, name, gold, quad, label in rows:
        root = int(code[:2])
        per_root[root] = per_root.get(root, 0) + 1
        if len(code) > 2 and code[:-1] not in known:
            errors.append("cameo.txt: %s has no parent %s" % (code, code[:-1]))
        want = 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4
        if quad != str(want):
            errors.append("cameo.txt: %s has quad %s, root %02d is QuadClass %d"
                          % (code, quad, root, want))
        if not -10.0 <= float(gold) <= 10.0:
            errors.append("cameo.txt: %s goldstein %s out of range" % (code, gold))
    for root in range(1, 21):
        if "%02d" % root not in known:
            errors.append("cameo.txt: root %02d missing" % root)
    if per_root != CODEBOOK:
        errors.append("cameo.txt: codes per root %s, the codebook has %s" % (per_root, CODEBOOK))


def index(triples):
    by_sp = {}
    for s, p, o in triples:
        by_sp.setdefault((s, p), []).append(o)
    return by_sp


def one(by_sp, s, p):
    values = by_sp.get(("<%s>" % s, "<%s>" % p), [])
    return values[0] if len(values) == 1 else None


def check_scheme(rows, triples):
    """Each line of cameo.txt is a concept with exactly its facts."""
    by_sp = index(triples)
    concepts = {s for s, p, o in triples if p == "<%stype>" % RDF and o == "<%sConcept>" % SKOS}
    if len(concepts) != len(rows):
        errors.append("cameo.ttl has %d concepts for %d codes" % (len(concepts), len(rows)))
    for code, name, gold, quad, label in rows:
        c = CAMEO + code
        expect = {SKOS + "notation": '"%s"' % code, SKOS + "prefLabel": '"%s"@en' % name,
                  NG + "goldstein": '"%s"^^<%sdecimal>' % (gold, XSD),
                  NG + "quadClass": '"%s"^^<%sinteger>' % (quad, XSD),
                  NG + "actionLabel": '"%s"' % label,
                  SKOS + ("broader" if len(code) > 2 else "topConceptOf"):
                      "<%s>" % (CAMEO + code[:-1] if len(code) > 2 else CAMEO[:-1])}
        for p, o in expect.items():
            if one(by_sp, c, p) != o:
                errors.append("cameo.ttl: %s %s is %s, want %s" % (code, p, one(by_sp, c, p), o))
        edge = REL + label.replace(" ", "-")
        if "<%s>" % c not in by_sp.get(("<%s>" % edge, "<%scameoConcept>" % NG), []):
            errors.append("cameo.ttl: %s does not list %s" % (edge, code))
        if one(by_sp, edge, RDFS + "subPropertyOf") != "<%srelatedTo>" % NG:
            errors.append("cameo.ttl: %s is not a sub-property of ng:relatedTo" % edge)


def ng_terms(triples):
    used = set()
    for t in triples:
        for term in t:
            if (iri(term) or "").startswith(NG):
                used.add(iri(term))
    return used


def check_declarations(onto, others):
    by_sp = index(onto)
    declared = {iri(s) for s, p, o in onto if p == "<%stype>" % RDF and (iri(s) or "").startswith(NG)}
    for term in sorted(ng_terms(onto) - declared):
        errors.append("newsgraph.ttl uses %s without declaring it" % term)
    for name, triples in others:
        for term in sorted(ng_terms(triples) - declared):
            errors.append("%s uses %s, not declared in newsgraph.ttl" % (name, term))
    for term in sorted(declared):
        for p in ("label", "comment"):
            values = [lexical(o) for o in by_sp.get(("<%s>" % term, "<%s%s>" % (RDFS, p)), [])]
            if not any(v and v[2] == "en" for v in values):
                errors.append("newsgraph.ttl: %s has no rdfs:%s@en" % (term, p))


def check_alignments(onto):
    present = set(onto)
    want = [("Article", "subClassOf", SCHEMA + "NewsArticle"), ("Article", "subClassOf", PROV + "Entity"),
            ("Event", "subClassOf", SEM + "Event"), ("Mention", "subClassOf", PROV + "Entity"),
            ("Actor", "subClassOf", SEM + "Actor"), ("OpenAction", "subClassOf", SKOS + "Concept"),
            ("actor", "subPropertyOf", SEM + "hasActor"), ("target", "subPropertyOf", SEM + "hasActor"),
            ("date", "subPropertyOf", SEM + "hasTimeStamp"),
            ("article", "subPropertyOf", PROV + "wasDerivedFrom"),
            ("actor", "range", NG + "Actor"), ("target", "range", NG + "Actor"),
            ("action", "range", SKOS + "Concept")]
    for s, p, o in want:
        if ("<%s%s>" % (NG, s), "<%s%s>" % (RDFS, p), "<%s>" % o) not in present:
            errors.append("newsgraph.ttl lacks ng:%s rdfs:%s <%s>" % (s, p, o))
    if ("<%sisoWeek>" % NG, "<%stype>" % RDF, "<%sDatatype>" % RDFS) not in present:
        errors.append("newsgraph.ttl: ng:isoWeek is not an rdfs:Datatype")


def declared_ranges(onto):
    """Property -> set of datatype IRIs allowed (unions unfolded)."""
    by_sp = index(onto)

    def members(node):
        union = (by_sp.get((node, "<%sunionOf>" % OWL)) or [None])[0]
        if union is None:
            return {iri(node)}
        out, cell = set(), union
        while cell != "<%snil>" % RDF:
            out.add(iri(by_sp[(cell, "<%sfirst>" % RDF)][0]))
            cell = by_sp[(cell, "<%srest>" % RDF)][0]
        return out

    ranges = {}
    for s, p, o in onto:
        if p == "<%srange>" % RDFS and (iri(s) or "").startswith(NG):
            ranges[iri(s)] = members(o)
    return ranges


def check_data(name, triples, onto):
    """Every ng: value in the example data has the type its property's range says."""
    kinds = {iri(s): iri(o) for s, p, o in onto if p == "<%stype>" % RDF}
    ranges = declared_ranges(onto)
    types = {(s, iri(o)) for s, p, o in triples if p == "<%stype>" % RDF}
    for s, p, o in triples:
        prop = iri(p)
        if not prop.startswith(NG):
            continue
        lit = lexical(o)
        allowed = ranges.get(prop, set())
        if kinds.get(prop) == OWL + "DatatypeProperty":
            dt = lit and (lit[1] or (RDF + "langString" if lit[2] else XSD + "string"))
            if not lit or (allowed and dt not in allowed):
                errors.append("%s: %s %s is not of %s" % (name, prop, o, sorted(allowed)))
        elif kinds.get(prop) == OWL + "ObjectProperty":
            if lit:
                errors.append("%s: %s takes a resource, not %s" % (name, prop, o))
            elif allowed and NG + "Actor" in allowed and (o, NG + "Actor") not in types:
                errors.append("%s: %s %s is not typed ng:Actor" % (name, prop, o))
        else:
            errors.append("%s: %s is neither a datatype nor an object property" % (name, prop))


rows = read_lexicon(sys.argv[1])
check_lexicon(rows)
cameo, onto = read_nt(sys.argv[2]), read_nt(sys.argv[3])
data = [("example", read_nt(sys.argv[4])), ("more", read_nt(sys.argv[5]))]
check_scheme(rows, cameo)
check_declarations(onto, [("cameo.ttl", cameo)] + data)
check_alignments(onto)
check_data("the README example and more events", data[0][1] + data[1][1], onto)
for e in errors:
    print("FAIL:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
  fail "cameo.txt, cameo.ttl, newsgraph.ttl and the README example disagree (above)"

# --- the README's queries on Rasqal -------------------------------------------
awk -v dir="$TMP" '/^```sparql$/ { n++; on = 1; next } /^```$/ { on = 0 }
  on { print > (dir "/q" n ".rq") }' "$ONTO/README.md"
[ -s "$TMP/q3.rq" ] || fail "ontology/README.md has fewer than three \`\`\`sparql queries"
if command -v roqet > /dev/null 2>&1; then
  # roqet exits 2 on warnings: Rasqal 0.9.33 warns about its own internal
  # variable ($$agg$$0) for every aggregate, so 2 is a success here.
  run_query() {
    set +e
    roqet -q -i sparql -r csv -D "$TMP/example.ttl" -D "$TMP/more.ttl" "$TMP/$1.rq" > "$TMP/$1.csv"
    rc=$?
    set -e
    [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || fail "roqet cannot run README query $1 (exit $rc)"
    tr -d '\r' < "$TMP/$1.csv" > "$TMP/$1.out"
  }
  for q in q1 q2 q3; do run_query $q; done
  E=https://w3id.org/newsgraph/id/event
  got=$(cut -d, -f1-4 "$TMP/q1.out")
  want=$(printf '%s\n' "event,begin,action,target" "$E/t/0-0,2020-11-01,threatens sanctions,Russia" \
    "$E/bel-2020-11-25/1-0,2020-11-06,sanctions,Alexander Lukashenko")
  [ "$got" = "$want" ] || fail "query 1 (events of one actor) gave:
$got"
  grep -qF "The EU on November 6 expanded its list of sanctioned individuals to include Lukashenko." \
    "$TMP/q1.out" || fail "query 1 does not give the mention's sentence"
  got=$(cat "$TMP/q2.out")
  want=$(printf '%s\n' "root,events" "16,2" "11,1" "13,1")
  [ "$got" = "$want" ] || fail "query 2 (events per root) gave:
$got"
  got=$(cut -d, -f1-2 "$TMP/q3.out")
  want=$(printf '%s\n' "event,date" "$E/t/0-0,2020-11" "$E/bel-2020-11-25/1-0,2020-11-06" \
    "$E/t/3-0,2020-11-30")
  [ "$got" = "$want" ] || fail "query 3 (events in a date range) gave:
$got"
else
  echo "roqet (rasqal-utils) is not installed: the README queries were not run" >&2
fi

# --- both files, and the example, parse with rdflib too -------------------------
if /usr/bin/python3 -c "import rdflib" > /dev/null 2>&1; then
  /usr/bin/python3 - "$ONTO/newsgraph.ttl" "$ONTO/cameo.ttl" "$TMP/example.ttl" <<'EOF' ||
import sys
import rdflib

for path in sys.argv[1:]:
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    if len(graph) == 0:
        sys.exit("%s: no triples" % path)
EOF
    fail "rdflib cannot parse the ontology"
else
  echo "rdflib is not importable by /usr/bin/python3: the rdflib parse was skipped" >&2
fi
exit 0
