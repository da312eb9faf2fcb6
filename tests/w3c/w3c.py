#!/usr/bin/env python3
"""w3c.py - runs the W3C SPARQL 1.0/1.1 test suites (query, update, syntax)
and the RDF 1.1 N-Triples, N-Quads, Turtle and TriG suites through the
newsgraph command, and compares the answers as the specifications say:
solutions as multisets (as sequences under ORDER BY) with blank nodes
matched by isomorphism, graphs by isomorphism.

    w3c.py --newsgraph PATH --suites DIR [--engine native|redland] [--oxigraph]
           [--known FILE] [--only SUBSTRING] [--verbose] [--list-failures]

--oxigraph runs the same tests through Oxigraph instead (tests/w3c/oxigraph-run.js,
the npm package of `make bench` in bench/node_modules): its column of the
conformance table in README.md, measured with this harness.

Every test runs in a fresh temporary store: qt:data is imported into a graph
of its own which the query gets as its default graph (--default-graph), each
qt:graphData into the graph of its name (--named-graph), as the SPARQL
Protocol's default-graph-uri and named-graph-uri would give them.  Graphs a
query names in FROM / FROM NAMED are imported under their IRIs.

Exit status: 0 when every test passes or is in the known-failures list, 1
when one that is not listed fails, 77 when the suites or rdflib are absent.
The known-failures list holds one test IRI a line followed by the reason.

Needs rdflib (Debian's python3-rdflib) for manifests and expected answers.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import urllib.parse

try:
    import rdflib
    from rdflib import BNode, Literal, URIRef, Graph, Namespace
    from rdflib.collection import Collection
    from rdflib.compare import isomorphic
    from rdflib.query import Result
except ImportError:  # pragma: no cover
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("w3c: rdflib not found (python3-rdflib): skipped")
    sys.exit(77)

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
RDFT = Namespace("http://www.w3.org/ns/rdftest#")
RDF = rdflib.RDF
RDFS = rdflib.RDFS
XSD = "http://www.w3.org/2001/XMLSchema#"

SUITES = [
    ("sparql10-syntax", "sparql/sparql10/manifest-syntax.ttl"),
    ("sparql10-query", "sparql/sparql10/manifest-evaluation.ttl"),
    ("sparql11-query", "sparql/sparql11/manifest-sparql11-query.ttl"),
    ("sparql11-update", "sparql/sparql11/manifest-sparql11-update.ttl"),
    ("rdf11-ntriples", "rdf/rdf11/rdf-n-triples/manifest.ttl"),
    ("rdf11-nquads", "rdf/rdf11/rdf-n-quads/manifest.ttl"),
    ("rdf11-turtle", "rdf/rdf11/rdf-turtle/manifest.ttl"),
    ("rdf11-trig", "rdf/rdf11/rdf-trig/manifest.ttl"),
]

# ------------------------------------------------------------- manifests


def file_path(iri):
    return urllib.parse.unquote(urllib.parse.urlparse(str(iri)).path)


def load_graph(path, fmt="turtle"):
    g = Graph()
    g.parse(path, format=fmt, publicID=URIRef("file://" + path))
    return g


def manifest_tests(path, seen=None):
    """(test node, graph) of a manifest and those it includes, in order."""
    seen = seen if seen is not None else set()
    if path in seen:
        return
    seen.add(path)
    g = load_graph(path)
    for m in g.subjects(RDF.type, MF.Manifest):
        for inc in g.objects(m, MF.include):
            for item in Collection(g, inc):
                yield from manifest_tests(file_path(item), seen)
        for entries in g.objects(m, MF.entries):
            for t in Collection(g, entries):
                yield t, g


def kind_of(g, t):
    types = {str(o) for o in g.objects(t, RDF.type)}
    for ty in types:
        name = ty.rsplit("#", 1)[-1]
        if name:
            return name
    return ""


def approved(g, t):
    for a in g.objects(t, DAWGT.approval):
        return str(a).endswith("Approved") and not str(a).endswith("NotApproved")
    # RDF 1.1 manifests use rdft:approval
    for a in g.objects(t, RDFT.approval):
        return str(a).endswith("Approved")
    return True


# ------------------------------------------------------------- running



def dataset_flags(defaults, named):
    """-d/-n flags of a test's dataset for the one-process runners (sqrun,
    the Oxigraph script): an empty default graph given on purpose, with no
    named graphs, is the graph nobody has ("urn:x-none")."""
    argv = []
    for d in defaults or []:
        argv += ["-d", d]
    for n in named or []:
        argv += ["-n", n]
    if defaults is not None and not defaults and not named:
        argv += ["-d", "urn:x-none"]
    return argv

class Runner:
    def __init__(self, args):
        self.ng = args.newsgraph
        self.engine = args.engine
        self.verbose = args.verbose
        self.timeout = 60
        self.second_opinion = getattr(args, "second_opinion", False)

    def run(self, argv, stdin=None):
        try:
            p = subprocess.run([self.ng] + argv, input=stdin, capture_output=True,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return 124, b"", b"timed out"
        if p.returncode < 0 or p.returncode >= 128 and p.returncode != 130:
            return p.returncode, p.stdout, p.stderr + b"\nCRASH"
        return p.returncode, p.stdout, p.stderr

    def load(self, store, graph, path):
        ext = path.rsplit(".", 1)[-1]
        syntax = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "rdf": "rdfxml",
                  "trig": "trig"}.get(ext, "turtle")
        if os.environ.get("NG_SQRUN"):
            p = subprocess.run([os.environ["NG_SQRUN"], store, "load", graph, path,
                                {"rdfxml": "rdfxml"}.get(syntax, syntax)], capture_output=True)
            return p.returncode == 0
        rc, out, err = self.run(["import", "--store", store, "--graph", graph, "-i",
                                 syntax, path])
        return rc == 0

    def query(self, store, qfile, defaults, named, fmt):
        if os.environ.get("NG_SQRUN"):
            argv = [os.environ["NG_SQRUN"], store, "query", qfile, fmt] + dataset_flags(defaults, named)
            try:
                p = subprocess.run(argv, capture_output=True, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                return 124, b"", b"timed out"
            return p.returncode, p.stdout, p.stderr
        argv = ["query", "--store", store, "--engine", self.engine, "-r", fmt,
                "--base", "file://" + qfile, "-f", qfile]
        for d in defaults or []:
            argv += ["--default-graph", d]
        for n in named or []:
            argv += ["--named-graph", n]
        return self.run(argv)

    def update(self, store, request):
        return self.run(["update", "--store", store, "--default-graph", DEFAULT,
                         "--base", "file://" + request, "-f", request])

    def export(self, store):
        return self.run(["export", "--store", store, "--format", "nquads"])

    def check(self, query_path, update):
        if os.environ.get("NG_SQCHECK"):  # development: a parse-only driver
            p = subprocess.run([os.environ["NG_SQCHECK"]] + (["-u"] if update else []) +
                               [query_path, "file://" + query_path], capture_output=True)
            return p.returncode, p.stdout, p.stderr
        cmd = ["update" if update else "query", "--check", "--base", "file://" + query_path,
               "-f", query_path]
        return self.run(cmd)


class OxigraphRunner(Runner):
    """The same tests through Oxigraph (tests/w3c/oxigraph-run.js)."""

    def __init__(self, args):
        super().__init__(args)
        self.script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oxigraph-run.js")

    def node(self, argv):
        try:
            p = subprocess.run(["node", self.script] + argv, capture_output=True,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return 124, b"", b"timed out"
        return p.returncode, p.stdout, p.stderr

    def load(self, store, graph, path):
        ext = path.rsplit(".", 1)[-1]
        syntax = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "rdf": "rdfxml",
                  "trig": "trig"}.get(ext, "turtle")
        return self.node(["load", store, graph, path, syntax])[0] == 0

    def query(self, store, qfile, defaults, named, fmt):
        argv = ["query", store, qfile, "file://" + qfile] + dataset_flags(defaults, named)
        return self.node(argv)

    def update(self, store, request):
        return self.node(["update", store, request, "file://" + request])

    def export(self, store):
        return self.node(["export", store])

    def check(self, query_path, update):
        return self.node(["check"] + (["-u"] if update else []) +
                         [query_path, "file://" + query_path])


def crashed(rc):
    return rc < 0 or (rc >= 128 and rc != 130)


def syntax_test(r, g, t, kind):
    action = file_path(g.value(t, MF.action))
    update = "Update" in kind
    positive = "Positive" in kind
    rc, out, err = r.check(action, update)
    if crashed(rc):
        return False, "crashed: " + err.decode(errors="replace")[-300:]
    if positive and rc != 0:
        return False, "refused: " + err.decode(errors="replace").strip()[:300]
    if not positive and rc == 0:
        return False, "accepted a bad query"
    return True, ""


def run_suite(r, name, manifest, args, known, results):
    handled = 0
    jobs = []
    for t, g in manifest_tests(manifest):
        kind = kind_of(g, t)
        iri = str(t)
        if args.only and args.only not in iri:
            continue
        if not approved(g, t):
            continue
        if "Syntax" in kind and ("Query" in kind or "Update" in kind or kind.endswith("11")
                                 or kind in ("PositiveSyntaxTest", "NegativeSyntaxTest")) \
                and name.startswith("sparql"):
            fn = syntax_test
        elif name.startswith("sparql") and kind == "QueryEvaluationTest" and args.eval:
            fn = query_eval_test
        elif name.startswith("sparql") and kind == "UpdateEvaluationTest" and args.eval:
            fn = update_eval_test
        else:
            continue
        handled += 1
        suite = name.split("-")[0] + "-" + ("syntax" if fn is syntax_test else
                                            "update" if fn is update_eval_test else "query")
        jobs.append((suite, iri, fn, g, t, kind))

    def one(job):
        suite, iri, fn, g, t, kind = job
        try:
            ok, why = fn(r, g, t, kind)
        except Exception as e:  # a harness problem is a failure to look at
            ok, why = False, "harness: %s: %s" % (type(e).__name__, e)
        if not ok and r.second_opinion and fn is not syntax_test:
            # Rasqal on the same store: where it is right and we are not, it is our bug
            other = Runner(args)
            other.engine = "redland"
            try:
                rok, _ = fn(other, g, t, kind)
            except Exception:
                rok = False
            if rok:
                why += " [Rasqal (--engine redland) passes this test]"
        return (suite, iri, ok, why, iri in known)

    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for res in ex.map(one, jobs):
            results.append(res)
            if args.verbose and not res[2]:
                print("FAIL %s %s: %s" % (res[0], res[1], res[3]))
    return handled


# ------------------------------------------------------------ evaluation


RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
NUMERIC = {XSD + n for n in ("integer", "decimal", "double", "float", "int", "long", "short",
                              "byte", "nonNegativeInteger", "positiveInteger",
                              "negativeInteger", "nonPositiveInteger", "unsignedInt",
                              "unsignedLong", "unsignedShort", "unsignedByte", "dateTime",
                              "boolean")}


def norm(term):
    """RDF 1.1: "x"^^xsd:string is the plain literal "x"."""
    if isinstance(term, Literal) and term.datatype and str(term.datatype) == XSD + "string":
        return Literal(str(term))
    return term


def term_eq(a, b):
    a, b = norm(a), norm(b)
    if a == b:
        return True
    # numbers and times: the same value in another lexical form (1.0E0 / 1.0e0)
    if isinstance(a, Literal) and isinstance(b, Literal) and a.datatype and \
            a.datatype == b.datatype and str(a.datatype) in NUMERIC:
        try:
            return a.value is not None and a.value == b.value
        except Exception:
            return False
    return False


class Answer:
    """A SPARQL answer: a boolean, bindings (vars, rows) or a graph."""

    def __init__(self, boolean=None, vars=None, rows=None, graph=None):
        self.boolean, self.vars, self.rows, self.graph = boolean, vars, rows, graph


def answer_from_result(res):
    if res.type == "ASK":
        return Answer(boolean=bool(res.askAnswer))
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        return Answer(graph=res.graph)
    rows = []
    for row in res.bindings:
        rows.append({str(k): norm(v) for k, v in row.items() if v is not None})
    return Answer(vars=[str(v) for v in res.vars or []], rows=rows)


def answer_from_rdf_results(g):
    """The result-set vocabulary some SPARQL 1.0 tests use in Turtle."""
    for rs in g.subjects(RDF.type, RS.ResultSet):
        b = g.value(rs, RS.boolean)
        if b is not None:
            return Answer(boolean=str(b) == "true")
        vars = [str(v) for v in g.objects(rs, RS.resultVariable)]
        rows = []
        indexed = []
        for sol in g.objects(rs, RS.solution):
            row = {}
            for binding in g.objects(sol, RS.binding):
                row[str(g.value(binding, RS.variable))] = norm(g.value(binding, RS.value))
            idx = g.value(sol, RS["index"])
            indexed.append((int(idx) if idx is not None else 0, row))
        indexed.sort(key=lambda x: x[0])
        rows = [r for _, r in indexed]
        return Answer(vars=vars, rows=rows)
    return None


def read_expected(path):
    ext = path.rsplit(".", 1)[-1]
    if ext in ("srx", "srj", "tsv", "csv"):
        fmt = {"srx": "xml", "srj": "json", "tsv": "tsv", "csv": "csv"}[ext]
        with open(path, "rb") as f:
            return answer_from_result(Result.parse(f, format=fmt)), fmt
    fmt = "xml" if ext in ("rdf", "xml") else "turtle"
    g = load_graph(path, fmt)
    a = answer_from_rdf_results(g)
    return (a or Answer(graph=g)), "graph"


def rows_match(a, b, ordered):
    """Multisets (or sequences) of rows equal up to a renaming of blank nodes."""
    if len(a) != len(b):
        return False

    def shape(row):
        return tuple(sorted((k, "_" if isinstance(v, BNode) else v) for k, v in row.items()))

    if ordered:
        pairs = list(zip(a, b))
        return match_pairs(pairs, {}, {})
    # quick check without blank nodes, then a search for a consistent renaming
    if sorted(map(shape, a), key=repr) != sorted(map(shape, b), key=repr) and \
            not any(isinstance(v, Literal) for r in a for v in r.values()):
        return False
    return search(list(a), list(b), {}, {})


def row_eq(x, y, m, inv):
    if set(x) != set(y):
        return None
    m2, inv2 = dict(m), dict(inv)
    for k, v in x.items():
        w = y[k]
        if isinstance(v, BNode) or isinstance(w, BNode):
            if not (isinstance(v, BNode) and isinstance(w, BNode)):
                return None
            if m2.get(v, w) != w or inv2.get(w, v) != v:
                return None
            m2[v], inv2[w] = w, v
        elif not term_eq(v, w):
            return None
    return m2, inv2


def match_pairs(pairs, m, inv):
    for x, y in pairs:
        r = row_eq(x, y, m, inv)
        if r is None:
            return False
        m, inv = r
    return True


def search(a, b, m, inv, depth=0):
    if not a:
        return True
    x = a[0]
    for i, y in enumerate(b):
        r = row_eq(x, y, m, inv)
        if r is not None and search(a[1:], b[:i] + b[i + 1:], r[0], r[1], depth + 1):
            return True
        if depth > 2000:
            return False
    return False


def graphs_match(a, b):
    ga, gb = Graph(), Graph()
    for s, p, o in a:
        ga.add((s, p, norm(o)))
    for s, p, o in b:
        gb.add((s, p, norm(o)))
    return isomorphic(ga, gb)


def order_vars(query_text):
    import re
    m = re.search(r"ORDER\s+BY(.*?)(LIMIT|OFFSET|$)", query_text, re.S | re.I)
    return re.findall(r"[?$](\w+)", m.group(1)) if m else []


def compare(expected, got, query_text, lower_bound=False):
    if expected.boolean is not None or got.boolean is not None:
        return expected.boolean == got.boolean, "expected %s, got %s" % (expected.boolean,
                                                                         got.boolean)
    if expected.graph is not None or got.graph is not None:
        if expected.graph is None or got.graph is None:
            return False, "a graph against bindings"
        return graphs_match(expected.graph, got.graph), "graphs differ"
    exp, res = expected.rows, got.rows
    if lower_bound:  # REDUCED: any count between the distinct rows and all of them
        exp = [dict(t) for t in {tuple(sorted(r.items())) for r in exp}]
        res = [dict(t) for t in {tuple(sorted(r.items())) for r in res}]
    if not rows_match(exp, res, False):
        return False, "rows differ: expected %d, got %d%s" % (
            len(exp), len(res), "" if len(exp) > 6 else ": %s / %s" % (exp, res[:6]))
    keys = order_vars(query_text)
    if keys and not lower_bound:
        proj_e = [{k: v for k, v in r.items() if k in keys} for r in exp]
        proj_g = [{k: v for k, v in r.items() if k in keys} for r in res]
        if not rows_match(proj_e, proj_g, True):
            return False, "rows in another order"
    return True, ""


def dataset_of(g, action):
    data = [file_path(d) for d in g.objects(action, QT.data)]
    named = [file_path(d) for d in g.objects(action, QT.graphData)]
    return data, named


FROM_RE = None


def from_clauses(text, base):
    import re
    out = []
    for named, iri in re.findall(r"FROM\s+(NAMED\s+)?<([^>]*)>", text, re.I):
        out.append((bool(named), urllib.parse.urljoin(base, iri)))
    return out


def query_eval_test(r, g, t, kind):
    action = g.value(t, MF.action)
    qfile = file_path(g.value(action, QT.query))
    with open(qfile, encoding="utf-8", errors="replace") as f:
        text = f.read()
    data, named = dataset_of(g, action)
    result = g.value(t, MF.result)
    lower = (t, MF.resultCardinality, MF.LowerBound) in g or \
        (t, MF.resultCardinality, MF.LaxCardinality) in g
    with tempfile.TemporaryDirectory(prefix="ng-w3c-") as tmp:
        store = os.path.join(tmp, "db")
        defaults, nameds = [], []
        for d in data:
            iri = "file://" + d
            if not r.load(store, iri, d):
                return False, "could not load %s" % d
            defaults.append(iri)
        for d in named:
            iri = "file://" + d
            if not r.load(store, iri, d):
                return False, "could not load %s" % d
            nameds.append(iri)
        # graphs the query names itself: loaded under their IRIs
        for is_named, iri in from_clauses(text, "file://" + qfile):
            path = file_path(iri)
            if os.path.exists(path) and path not in data and path not in named:
                if not r.load(store, iri, path):
                    return False, "could not load %s" % path
        explicit = bool(data or named) and not from_clauses(text, "file://" + qfile)
        if not os.path.exists(store):
            os.makedirs(store)
        fmt = "json"
        rc, out, err = r.query(store, qfile, defaults if explicit else None,
                               nameds if explicit else None, fmt)
        if crashed(rc):
            return False, "crashed: " + err.decode(errors="replace")[-300:]
        if result is None:  # a test that only needs to run
            return rc == 0, err.decode(errors="replace")[:300]
        expected, efmt = read_expected(file_path(result))
        if rc != 0:
            return False, "failed: " + err.decode(errors="replace").strip()[:300]
        try:
            if expected.graph is not None:
                gg = Graph()
                gg.parse(data=out.decode("utf-8"), format="turtle")
                got = Answer(graph=gg)
            else:
                got = answer_from_result(Result.parse(source=__import__("io").BytesIO(out),
                                                      format="json"))
        except Exception as e:
            return False, "unreadable answer: %s: %s" % (e, out[:200])
        if efmt == "csv":  # CSV keeps no types: compare the text
            for row in got.rows or []:
                for k, v in row.items():
                    row[k] = Literal(str(v)) if isinstance(v, Literal) else v
            for row in expected.rows or []:
                for k, v in row.items():
                    row[k] = Literal(str(v)) if isinstance(v, Literal) else v
        return compare(expected, got, text, lower)


DEFAULT = "urn:x-newsgraph-test:default"


def update_state(g, node):
    """(default graph file or None, {graph IRI: file}) of an ut:data block."""
    data = [file_path(d) for d in g.objects(node, UT.data)]
    named = {}
    for gd in g.objects(node, UT.graphData):
        named[str(g.value(gd, RDFS.label))] = file_path(g.value(gd, UT.graph))
    return (data[0] if data else None), named


def update_eval_test(r, g, t, kind):
    action = g.value(t, MF.action)
    request = file_path(g.value(action, UT.request))
    before_default, before_named = update_state(g, action)
    after_default, after_named = update_state(g, g.value(t, MF.result))
    with tempfile.TemporaryDirectory(prefix="ng-w3c-") as tmp:
        store = os.path.join(tmp, "db")
        os.makedirs(store)
        if before_default and not r.load(store, DEFAULT, before_default):
            return False, "could not load %s" % before_default
        for iri, path in before_named.items():
            if not r.load(store, iri, path):
                return False, "could not load %s" % path
        rc, out, err = r.update(store, request)
        if crashed(rc):
            return False, "crashed: " + err.decode(errors="replace")[-300:]
        if rc != 0:
            return False, "failed: " + err.decode(errors="replace").strip()[:300]
        rc, out, err = r.export(store)
        if rc != 0:
            return False, "export failed: " + err.decode(errors="replace")[:200]
        ds = rdflib.ConjunctiveGraph()
        ds.parse(data=out.decode("utf-8"), format="nquads")
        got = {}
        for s_, p_, o_, c in ds.quads((None, None, None, None)):
            got.setdefault(str(c.identifier), Graph()).add((s_, p_, o_))
        want = {DEFAULT: load_graph(after_default) if after_default else Graph()}
        for iri, path in after_named.items():
            want[iri] = load_graph(path)
        for iri in set(got) | set(want):
            a, b = want.get(iri, Graph()), got.get(iri, Graph())
            if not graphs_match(a, b):
                return False, "graph <%s>: expected %d triples, got %d" % (iri, len(a), len(b))
    return True, ""


# ------------------------------------------------------------------ main


def read_known(path):
    known = {}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                iri, _, reason = line.partition(" ")
                if not reason.strip():
                    sys.exit("w3c: known failure without a reason: " + iri)
                known[iri] = reason.strip()
    return known


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--newsgraph", required=True)
    ap.add_argument("--suites", required=True, help="the w3c-rdf-tests folder")
    ap.add_argument("--engine", default="native")
    ap.add_argument("--oxigraph", action="store_true",
                    help="run the tests through Oxigraph (tests/w3c/oxigraph-run.js)")
    ap.add_argument("--known")
    ap.add_argument("--only")
    ap.add_argument("--suite", action="append", help="run only these suites (names above)")
    ap.add_argument("--no-eval", dest="eval", action="store_false")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--second-opinion", action="store_true",
                    help="run Rasqal (--engine redland) on every test the engine fails")
    ap.add_argument("--list-failures", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(args.suites):
        print("w3c: no test suites at %s: skipped" % args.suites)
        return 77
    known = read_known(args.known)
    r = OxigraphRunner(args) if args.oxigraph else Runner(args)
    results = []
    for name, rel in SUITES:
        if args.suite and name not in args.suite:
            continue
        path = os.path.join(os.path.abspath(args.suites), rel)
        if os.path.exists(path):
            run_suite(r, name, path, args, known, results)
    bad = 0
    suites = sorted({s for s, *_ in results})
    for s in suites:
        rows = [x for x in results if x[0] == s]
        passed = sum(1 for x in rows if x[2])
        print("%-16s %4d / %4d passed (%.1f%%), %d known failures" %
              (s, passed, len(rows), 100.0 * passed / max(1, len(rows)),
               sum(1 for x in rows if not x[2] and x[4])))
    for s, iri, ok, why, is_known in results:
        if not ok and not is_known:
            bad += 1
            print("FAIL %s: %s" % (iri, why))
        elif ok and is_known:
            print("note: known failure now passes: %s" % iri)
        elif not ok and args.list_failures:
            print("known %s: %s" % (iri, why))
    total = len(results)
    passed = sum(1 for x in results if x[2])
    print("%d passed, %d failed" % (passed, total - passed))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
