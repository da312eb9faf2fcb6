#!/usr/bin/env python3
"""What the parser makes of news: the roots of short wire sentences and of
reporting sentences, read from `newsgraph parse` output.

usage: news-probe.py patterns PARSED.conllu
       news-probe.py quotes PARSED.conllu

patterns: PARSED is the parse of tests/data/patterns.tsv's sentences (one
article each, see tools/eval-parser.sh). Prints how many sentences have a
verb as root, how many a noun, pronoun, name or number (a news sentence
that reports an event has a verb), and how many of those read the event's
past-tense verb as a participle modifying a noun before it ("Russian
police arrested dozens": acl of "police", "dozens" the root).

quotes: PARSED is a parse of news text (the BBC corpus). Of the sentences
that end in a reporting clause after a comma ('"...," the minister said.',
'..., he added.', '..., said Mr Smith.'), prints how many have the
reporting verb as root, as UD English EWT annotates them.
"""
import sys

NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
REPORTING = {"said", "says", "added", "adds", "told", "warned", "explained", "argued",
             "insisted", "admitted", "claimed", "stressed", "noted", "wrote"}


def sentences(path):
    sent = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if sent:
                    yield sent
                    sent = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if cols[0].isdigit():
                sent.append(cols)
    if sent:
        yield sent


def patterns(path):
    n = verb = nominal = participle = 0
    for s in sentences(path):
        n += 1
        root = next(w for w in s if w[6] == "0")
        if root[3] in ("VERB", "AUX"):
            verb += 1
        if root[3] not in NOMINAL:
            continue
        nominal += 1
        # a past form hanging as a plain acl on a noun to its left
        for w in s:
            if (w[3] == "VERB" and w[7] == "acl" and w[4] in ("VBN", "VBD")
                    and int(w[6]) < int(w[0]) and s[int(w[6]) - 1][3] in NOMINAL):
                participle += 1
                break
    print(f"news  verb root {100.0 * verb / n:.1f}%  nominal root {nominal}  "
          f"of them past verb as acl {participle}  ({n} sentences)")


def quotes(path):
    n = good = 0
    for s in sentences(path):
        forms = [w[1] for w in s]
        if len(forms) < 6 or forms[-1] not in (".", "!"):
            continue
        # "..., X said." / "..., said X." : a comma (and a closing quote), then
        # at most five words holding the reporting verb, then the full stop
        try:
            comma = max(i for i, f in enumerate(forms[:-1]) if f == ",")
        except ValueError:
            continue
        tail = s[comma + 1:-1]
        if tail and tail[0][1] in ('"', "\u201d", "'"):
            tail = tail[1:]
        if not 1 <= len(tail) <= 5 or comma < 3:
            continue
        verbs = [w for w in tail if w[1].lower() in REPORTING]
        if len(verbs) != 1:
            continue
        n += 1
        good += verbs[0][6] == "0"
    print(f"quote reporting verb as root {100.0 * good / max(n, 1):.1f}%  ({n} sentences)")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("patterns", "quotes"):
        sys.exit(__doc__)
    (patterns if sys.argv[1] == "patterns" else quotes)(sys.argv[2])
