#!/usr/bin/env python3
"""Check the parser's output on the parse fixtures.

usage: check-parse-fixtures.py FIXTURES.conllu PARSED.conllu

FIXTURES holds sentences with their expected trees and, in '# check = '
comments, the arcs (DEP>HEAD:RELATION) that extraction relies on.  For
every sentence not marked '# status = known-wrong', each checked arc must
be in the parse: a missing one fails the check (exit 1).  Known-wrong
sentences are reported with what the parser got instead, and a known-wrong
sentence the parser now gets right is reported too (so that the mark can
go).  Prints the fixtures' UAS and LAS over all words, for information.
"""
import sys


def sentences(path):
    sent, meta = [], {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if sent:
                    yield meta, sent
                sent, meta = [], {}
            elif line.startswith("#"):
                key, _, value = line[1:].partition("=")
                meta[key.strip()] = value.strip()
            else:
                cols = line.split("\t")
                if cols[0].isdigit():
                    sent.append(cols)
    if sent:
        yield meta, sent


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    gold, parsed = list(sentences(sys.argv[1])), list(sentences(sys.argv[2]))
    if len(gold) != len(parsed):
        sys.exit(f"{len(parsed)} parsed sentences for {len(gold)} fixtures")
    failures = words = uas = las = checked = 0
    for (meta, g), (_, p) in zip(gold, parsed):
        sid, known = meta.get("sent_id", "?"), meta.get("status") == "known-wrong"
        for a, b in zip(g, p):
            words += 1
            uas += a[6] == b[6]
            las += a[6] == b[6] and a[7] == b[7]
        wrong = []
        for check in meta.get("check", "").split():
            dep, rest = check.split(">")
            head, rel = rest.split(":", 1)
            got = p[int(dep) - 1]
            checked += 1
            if got[6] != head or got[7] != rel:
                wrong.append(f"{check} (parsed {dep}>{got[6]}:{got[7]})")
        if wrong and not known:
            failures += len(wrong)
            print(f"FAIL {sid}: {meta.get('text', '')}\n     " + "; ".join(wrong))
        elif wrong:
            print(f"known-wrong {sid}: " + "; ".join(wrong))
        elif known:
            print(f"now right {sid}: its checks pass; drop its known-wrong mark")
    print(f"{len(gold)} fixtures, {checked} checked arcs, {failures} failed; "
          f"UAS {100.0 * uas / words:.1f} LAS {100.0 * las / words:.1f} over {words} words")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
