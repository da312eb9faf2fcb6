#!/bin/sh
# readme-commands.sh - every command README.md and the man page show is run
# here and gives what they show (issue 13).  The commands are read from the
# documents themselves: README's indented blocks ("$ COMMAND" transcripts,
# with the output below each, or plain command lines) and the EXAMPLES of
# doc/newsgraph.txt.  Each must be in the list below, as "run" or with the
# reason it cannot run in a test; a command of the documents missing from
# the list, or an entry no document has any more, fails the test - so the
# documents cannot drift from it.  Commands run in a fresh folder, in
# document order, with `newsgraph` on PATH and the store in ./newsgraph.db,
# as the README's tour says.  Where a document shows output, the output
# must be the same (stats' "bytes" only a number; "(tabs shown as |)" and a
# last line "..." as they say).
. "${top_srcdir:-.}/tests/e2e/common.sh"
command -v curl > /dev/null || skip "no curl"

TOUR="$TMP/tour"
mkdir -p "$TOUR" "$TMP/bin"
for d in examples ontology; do ln -s "$(cd "$top_srcdir" && pwd)/$d" "$TOUR/$d"; done
# "news.jsonl" stands for any JSON Lines file in the examples
cp "$EXAMPLES/articles/wire.jsonl" "$TOUR/news.jsonl"
NG_BIN="$NEWSGRAPH"
case "$NG_BIN" in /*) ;; *) NG_BIN="$(pwd)/$NG_BIN" ;; esac
printf '#!/bin/sh\nexec "%s" "$@"\n' "$NG_BIN" > "$TMP/bin/newsgraph"
chmod +x "$TMP/bin/newsgraph"
unset NEWSGRAPH_STORE

PATH="$TMP/bin:$PATH" "$PYTHON3" - "$top_srcdir/README.md" "$top_srcdir/doc/newsgraph.txt" "$TOUR" <<'PY'
import os, re, subprocess, sys

readme, manual, tour = sys.argv[1:4]

# Every command of the documents: "run", or why a test cannot run it.
VIRTUOSO = "needs a Virtuoso server (bench/ and tests/e2e/server-virtuoso.sh, which skips without one)"
LIST = {
    "tools/install-deps.sh && ./autogen.sh && ./configure && make -j2 && make example":
        "installs Debian packages and builds: what .ci/run does on a clean clone before this test",
    "make check": "runs this test",
    "European Union (IGOEUREEC) — sanctions (CAMEO 163) — Alexander Lukashenko (BLRGOV) — 2020-11-06":
        "an event as the text reads it, not a command",
    "newsgraph extract examples/articles/*": "run",
    "newsgraph import --graph https://w3id.org/newsgraph/id/graph/vocabulary ontology/*.ttl": "run",
    "newsgraph stats": "run",
    "newsgraph query -r table -f examples/queries/sanctions-since-october.rq": "run",
    "newsgraph query -r csv 'SELECT ?actor ?relation ?target WHERE { ?a ?rel ?t . ?a skos:prefLabel "
    "?actor . ?t skos:prefLabel ?target . FILTER(STRSTARTS(STR(?rel), STR(rel:))) "
    "BIND(STRAFTER(STR(?rel), STR(rel:)) AS ?relation) } ORDER BY ?actor LIMIT 4'": "run",
    "newsgraph extract --no-store --format tsv examples/articles/belarus-sanctions.txt | "
    "cut -f3,6,8,9,12": "run",
    "newsgraph export --format nquads > news.nq": "run",
    "printf '@prefix ng: <https://w3id.org/newsgraph/ns#> .\\nng:eu a ng:Actor\\n' > bad.ttl": "run",
    "newsgraph import bad.ttl": "run",
    "newsgraph query 'SELECT ?x WHERE { ?x ng:actor }'": "run",
    "./newsgraph serve --store examples.db": "serves in the foreground until stopped: "
        "tests/e2e/serve.sh and make check-browser start it on a free port",
    "curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?l WHERE { ?a a ng:Actor ; "
    "skos:prefLabel ?l } LIMIT 3' http://127.0.0.1:7878/sparql": "serve",
    "newsgraph extract --graph-store http://localhost:8890/sparql-graph-crud-auth news.jsonl": VIRTUOSO,
    "newsgraph query --endpoint http://localhost:8890/sparql -f examples/queries/"
    "sanctions-since-october.rq": VIRTUOSO,
    "newsgraph export --to http://localhost:8890/sparql-auth": VIRTUOSO,
    # the man page's EXAMPLES
    "newsgraph extract examples/articles/*.txt": "run",
    "newsgraph query 'SELECT ?a ?t WHERE { ?e ng:action cameo:163 ; ng:actor ?a ; ng:target ?t }'": "run",
    "newsgraph query -f examples/queries/sanctions-since-october.rq -r csv": "run",
    "newsgraph extract --no-store --format tsv news.jsonl > events.tsv": "run",
    "newsgraph export --format nquads -o graph.nq": "run",
    "newsgraph extract -j 4 --no-store --format nquads news.jsonl > news.nq": "run",
    "newsgraph query --endpoint http://localhost:8890/sparql -f query.rq": VIRTUOSO,
    "newsgraph serve --store examples.db": "serves in the foreground until stopped "
        "(the README's serve line, tested the same way)",
}

def norm(cmd):
    cmd = re.sub(r"\s+#\s[^'\"]*$", "", cmd)  # a trailing comment (outside quotes)
    return " ".join(cmd.split())

def readme_commands(path):
    """(command, expected output lines or None) of README's indented blocks."""
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks, block = [], []
    for line in lines + [""]:
        if line.startswith("    "):
            block.append(line[4:])
        elif block:
            blocks.append(block)
            block = []
    found = []
    for block in blocks:
        if any(l.startswith("$ ") for l in block):
            cmd = None
            for l in block:
                if l.startswith("$ "):
                    if cmd is not None:
                        found.append((cmd, out))
                    cmd, out = l[2:], []
                elif l.startswith("  ") and not out:
                    cmd += "\n" + l
                else:
                    out.append(l)
            found.append((cmd, out))
        else:
            joined = "\n".join(block).replace("\\\n", " ")
            found += [(l, None) for l in joined.split("\n") if l.strip()]
    return found

def manual_commands(path):
    found, inside = [], False
    for line in open(path, encoding="utf-8"):
        if line.startswith("@section"):
            inside = line.split()[1] == "EXAMPLES"
        elif inside and line.startswith("  "):
            found.append((line.strip(), None))
    return found

commands = readme_commands(readme) + manual_commands(manual)
errors = []
seen = set()
for cmd, _ in commands:
    key = norm(cmd)
    seen.add(key)
    if key not in LIST:
        errors.append("a command of the documents that this test does not know: %r" % key)
for key in LIST:
    if key not in seen:
        errors.append("listed here but in no document any more: %r" % key)

def compare(key, want, got):
    want = list(want)
    while want and not want[-1].strip():
        want.pop()
    if want and want[0] == "(tabs shown as |)":
        want = want[1:]
        got = got.replace("\t", " | ")
    got_lines = got.rstrip("\n").split("\n") if got else []
    if want and want[-1] == "...":
        want = want[:-1]
        got_lines = got_lines[:len(want)]
    if key == "newsgraph stats":  # the size on disk differs from machine to machine
        want = [l for l in want if not l.startswith("bytes\t")]
        sizes = [l for l in got_lines if l.startswith("bytes\t")]
        if len(sizes) != 1 or not sizes[0][6:].isdigit():
            return "no bytes line"
        got_lines = [l for l in got_lines if not l.startswith("bytes\t")]
    if got_lines != want:
        import difflib
        return "\n".join(difflib.unified_diff(want, got_lines, "document", "output", lineterm=""))
    return None

def with_server(cmd):
    """A command to the README's server: run against `serve` on a free port."""
    server = subprocess.Popen(["newsgraph", "serve", "--bind", "127.0.0.1:0"], cwd=tour,
                              stderr=subprocess.PIPE, text=True)
    try:
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", server.stderr.readline())
        if not m:
            return subprocess.CompletedProcess(cmd, 99, "", "serve did not start")
        return subprocess.run(cmd.replace(":7878/", ":%s/" % m.group(1)), shell=True, cwd=tour,
                              capture_output=True, text=True, timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)

ran = 0
for cmd, want in commands:
    key = norm(cmd)
    why = LIST.get(key)
    if why == "serve":
        p = with_server(key)
        ran += 1
        if p.returncode or len(p.stdout.strip().split("\n")) != 4:  # a header and three labels
            errors.append("%s: exit %d, %r %s" % (key, p.returncode, p.stdout, p.stderr))
        continue
    if why != "run":
        continue
    shown_error = bool(want) and want[0].startswith("newsgraph: error:")
    p = subprocess.run(cmd, shell=True, cwd=tour, capture_output=True, text=True, timeout=300)
    ran += 1
    if p.returncode != (1 if shown_error else 0):
        errors.append("%s: exit %d\n%s" % (key, p.returncode, p.stderr))
        continue
    if want:
        diff = compare(key, want, p.stderr if shown_error else p.stdout)
        if diff:
            errors.append("%s: not what the document shows:\n%s" % (key, diff))
print("%d commands in the documents, %d run, %d listed with a reason" %
      (len(commands), ran, len([k for k in LIST if LIST[k] not in ("run", "serve")])))
for e in errors:
    print("FAIL: " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
