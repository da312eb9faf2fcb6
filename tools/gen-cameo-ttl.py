#!/usr/bin/env python3
"""Generate the CAMEO SKOS concept scheme from lexicon/cameo.txt.

usage: gen-cameo-ttl.py lexicon/cameo.txt > ontology/cameo.ttl

Each line of cameo.txt, `CODE | name | goldstein | quad | label`, becomes a
skos:Concept cameo:CODE; each distinct label becomes the direct-edge property
rel:LABEL (spaces turned into hyphens) that the extractor writes between the
actor and the target of an event.  The output depends only on the content of
the input (sorted, no dates, no paths), so a test can check that the committed
ontology/cameo.ttl is in step with the lexicon.

Errors are reported as `gen-cameo-ttl: error: FILE:LINE:COL: message`, all of
them, and the exit status is then 1 with nothing written.
"""
import re
import sys

NS_BASE = "https://w3id.org/newsgraph/"
SCHEME = NS_BASE + "cameo"
PROG = "gen-cameo-ttl"

CODE_RE = re.compile(r"[0-9]{2,4}")
GOLDSTEIN_RE = re.compile(r"-?[0-9]{1,2}\.[0-9]")
# Labels name IRIs (rel:LABEL): keep them to characters a Turtle prefixed
# name takes without escaping, and to the lower-case style of the lexicon.
LABEL_RE = re.compile(r"[a-z0-9]+(?:[ -][a-z0-9]+)*")

PREFIXES = [
    ("cameo", NS_BASE + "cameo/"),
    ("dct", "http://purl.org/dc/terms/"),
    ("ng", NS_BASE + "ns#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("rel", NS_BASE + "rel/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
]

SCHEME_TITLE = "CAMEO event codes"
SCHEME_DESCRIPTION = (
    "The event codes of CAMEO (Conflict and Mediation Event Observations): 20 root "
    "categories, their three- and four-digit codes, each with its Goldstein scale value, "
    "its QuadClass and the short action label newsgraph gives events of that code.")
SCHEME_SOURCE = "http://eventdata.parusanalytics.com/data.dir/cameo.html"
SCHEME_CITATION = (
    "Schrodt, Philip A. et al. CAMEO: Conflict and Mediation Event Observations, Event and "
    "Actor Codebook, version 1.1b3. Pennsylvania State University, March 2012.")
SCHEME_RIGHTS = (
    "The codes, names and Goldstein values are facts from the public CAMEO codebook. The "
    "action labels and this encoding are part of newsgraph and are distributed under its "
    "licence.")


def quad_of_root(root):
    """The QuadClass CAMEO assigns to a root category (1..20)."""
    if root <= 5:
        return 1  # verbal cooperation
    if root <= 9:
        return 2  # material cooperation
    if root <= 14:
        return 3  # verbal conflict
    return 4  # material conflict


class Entry:
    def __init__(self, code, name, goldstein, quad, label, line):
        self.code = code
        self.name = name
        self.goldstein = goldstein
        self.quad = quad
        self.label = label
        self.line = line

    @property
    def parent(self):
        return self.code[:-1] if len(self.code) > 2 else None


class Reader:
    """Parses cameo.txt and collects every error with its position."""

    def __init__(self, path):
        self.path = path
        self.errors = []
        self.entries = {}
        self.last_code = None

    def error(self, line, col, message):
        """Record an error (line 0: not tied to a line); returns False."""
        where = "%s:%d:%d" % (self.path, line, col) if line else self.path
        self.errors.append("%s: error: %s: %s" % (PROG, where, message))
        return False

    def read(self, text):
        for number, raw in enumerate(text.split("\n"), 1):
            content = raw.split("#", 1)[0]
            if content.strip():
                self.parse_line(number, content)
        self.check_tree()

    def split_fields(self, content):
        """Fields with the 1-based column where each starts (spaces skipped)."""
        fields, start = [], 0
        for part in content.split("|"):
            lead = len(part) - len(part.lstrip())
            fields.append((part.strip(), start + lead + 1))
            start += len(part) + 1
        return fields

    def parse_line(self, line, content):
        fields = self.split_fields(content)
        if len(fields) != 5:
            self.error(line, 1, "expected 5 fields (CODE | name | goldstein | quad | label), "
                       "found %d" % len(fields))
            return
        (code, ccol), (name, ncol), (gold, gcol), (quad, qcol), (label, lcol) = fields
        ok = self.check_code(line, ccol, code)
        if ok:
            want = quad_of_root(int(code[:2]))
            if quad != str(want):
                ok = self.error(line, qcol, "quad '%s' does not match root %s (QuadClass %d)"
                                % (quad, code[:2], want))
        if not name:
            ok = self.error(line, ncol, "empty name")
        if not GOLDSTEIN_RE.fullmatch(gold) or abs(float(gold)) > 10.0:
            ok = self.error(line, gcol, "goldstein '%s' is not a value like -8.0 in "
                            "[-10.0, 10.0]" % gold)
        if not LABEL_RE.fullmatch(label):
            ok = self.error(line, lcol, "label '%s' must be lower-case words (a-z, 0-9) "
                            "separated by single spaces or hyphens" % label)
        if ok:
            self.entries[code] = Entry(code, name, gold, int(quad), label, line)

    def check_code(self, line, col, code):
        """Form, root range, uniqueness and order of a code; False if bad."""
        if not CODE_RE.fullmatch(code) or not 1 <= int(code[:2]) <= 20:
            return self.error(line, col, "code '%s' is not a CAMEO event code (01..20 "
                              "followed by up to two digits)" % code)
        if code in self.entries:
            return self.error(line, col, "code %s given twice (first on line %d)"
                              % (code, self.entries[code].line))
        # Out of order is worth fixing (the file is read by people, who look for
        # a code where it belongs) but the entry itself is still good.
        if self.last_code is not None and code < self.last_code:
            self.error(line, col, "code %s out of order (after %s)" % (code, self.last_code))
        self.last_code = max(code, self.last_code or code)
        return True

    def check_tree(self):
        for entry in self.entries.values():
            if entry.parent and entry.parent not in self.entries:
                self.error(entry.line, 1, "code %s has no parent %s"
                           % (entry.code, entry.parent))
        for root in range(1, 21):
            if "%02d" % root not in self.entries:
                self.error(0, 0, "root %02d is missing" % root)


def literal(text, lang=None):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"%s"%s' % (escaped, "@" + lang if lang else "")


def rel_name(label):
    return "rel:" + label.replace(" ", "-")


def objects(terms):
    """A list of objects: on one line when short, else one a line."""
    line = ", ".join(terms)
    return line if len(line) <= 60 else ",\n        ".join(terms)


def statement(subject, pairs):
    """One Turtle subject block: `s p1 o1 ;\\n    p2 o2 .`"""
    body = " ;\n    ".join("%s %s" % (p, o) for p, o in pairs)
    return "%s %s .\n" % (subject, body)


def scheme_block(roots):
    pairs = [
        ("a", "skos:ConceptScheme"),
        ("dct:title", literal(SCHEME_TITLE, "en")),
        ("dct:description", literal(SCHEME_DESCRIPTION, "en")),
        ("dct:source", "<%s>" % SCHEME_SOURCE),
        ("dct:bibliographicCitation", literal(SCHEME_CITATION, "en")),
        ("dct:rights", literal(SCHEME_RIGHTS, "en")),
        ("skos:hasTopConcept", objects(["cameo:" + r.code for r in roots])),
    ]
    return statement("<%s>" % SCHEME, pairs)


def concept_block(entry):
    pairs = [
        ("a", "skos:Concept"),
        ("skos:notation", literal(entry.code)),
        ("skos:prefLabel", literal(entry.name, "en")),
        ("skos:inScheme", "<%s>" % SCHEME),
    ]
    if entry.parent:
        pairs.append(("skos:broader", "cameo:" + entry.parent))
    else:
        pairs.append(("skos:topConceptOf", "<%s>" % SCHEME))
    pairs += [
        ("ng:goldstein", '"%s"^^xsd:decimal' % entry.goldstein),
        ("ng:quadClass", str(entry.quad)),
        ("ng:actionLabel", literal(entry.label)),
    ]
    return statement("cameo:" + entry.code, pairs)


def edge_block(label, codes):
    pairs = [
        ("a", "owl:ObjectProperty"),
        ("rdfs:subPropertyOf", "ng:relatedTo"),
        ("rdfs:label", literal(label, "en")),
        ("ng:cameoConcept", objects(["cameo:" + c for c in sorted(codes)])),
    ]
    return statement(rel_name(label), pairs)


def render(entries):
    ordered = [entries[c] for c in sorted(entries)]
    by_label = {}
    for entry in ordered:
        by_label.setdefault(entry.label, []).append(entry.code)
    out = ["# cameo.ttl - the CAMEO event codes as a SKOS concept scheme, and the\n"
           "# direct-edge properties rel:LABEL of their action labels.\n"
           "# Generated by tools/gen-cameo-ttl.py from lexicon/cameo.txt - do not edit;\n"
           "# change lexicon/cameo.txt and run `make ontology`.\n\n"]
    out += ["@prefix %s: <%s> .\n" % p for p in PREFIXES]
    out.append("\n" + scheme_block([e for e in ordered if not e.parent]))
    out.append("\n# ---------------------------------------------------------------- concepts\n")
    out += ["\n" + concept_block(e) for e in ordered]
    out.append("\n# ------------------------------------------------------ direct-edge properties\n")
    out += ["\n" + edge_block(label, by_label[label]) for label in sorted(by_label)]
    return "".join(out)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    path = argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        sys.stderr.write("%s: error: %s: %s\n" % (PROG, path, e))
        return 1
    reader = Reader(path)
    reader.read(text)
    if reader.errors:
        sys.stderr.write("\n".join(reader.errors) + "\n")
        return 1
    sys.stdout.buffer.write(render(reader.entries).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
