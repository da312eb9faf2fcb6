#!/usr/bin/env python3
"""w3c.py - runs the W3C SPARQL 1.0/1.1 test suites (query, update, syntax)
and the RDF 1.1 N-Triples, N-Quads, Turtle and TriG suites through the
newsgraph command, and compares the answers as the specifications say:
solutions as multisets (as sequences under ORDER BY) with blank nodes
matched by isomorphism, graphs by isomorphism.

    w3c.py --newsgraph PATH --suites DIR [--engine native|redland]
           [--known FILE] [--only SUBSTRING] [--verbose] [--list-failures]

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


class Runner:
    def __init__(self, args):
        self.ng = args.newsgraph
        self.engine = args.engine
        self.verbose = args.verbose
        self.timeout = 60

    def run(self, argv, stdin=None):
        try:
            p = subprocess.run([self.ng] + argv, input=stdin, capture_output=True,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return 124, b"", b"timed out"
        if p.returncode < 0 or p.returncode >= 128 and p.returncode != 130:
            return p.returncode, p.stdout, p.stderr + b"\nCRASH"
        return p.returncode, p.stdout, p.stderr

    def check(self, query_path, update):
        if os.environ.get("NG_SQCHECK"):  # development: a parse-only driver
            p = subprocess.run([os.environ["NG_SQCHECK"]] + (["-u"] if update else []) +
                               [query_path, "file://" + query_path], capture_output=True)
            return p.returncode, p.stdout, p.stderr
        cmd = ["update" if update else "query", "--check", "--base", "file://" + query_path,
               "-f", query_path]
        return self.run(cmd)


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
        try:
            ok, why = fn(r, g, t, kind)
        except Exception as e:  # a harness problem is a failure to look at
            ok, why = False, "harness: %s: %s" % (type(e).__name__, e)
        suite = name.split("-")[0] + "-" + ("syntax" if fn is syntax_test else
                                            "update" if fn is update_eval_test else "query")
        results.append((suite, iri, ok, why, iri in known))
        if args.verbose and not ok:
            print("FAIL %s %s: %s" % (suite, iri, why))
    return handled


# ------------------------------------------------------------ evaluation


def query_eval_test(r, g, t, kind):
    raise NotImplementedError("evaluation tests are not wired yet")


def update_eval_test(r, g, t, kind):
    raise NotImplementedError("evaluation tests are not wired yet")


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
    ap.add_argument("--known")
    ap.add_argument("--only")
    ap.add_argument("--suite", action="append", help="run only these suites (names above)")
    ap.add_argument("--no-eval", dest="eval", action="store_false")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--list-failures", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(args.suites):
        print("w3c: no test suites at %s: skipped" % args.suites)
        return 77
    known = read_known(args.known)
    r = Runner(args)
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
