#!/usr/bin/env python3
"""Score a parser's CoNLL-U output against a treebank with the same words.

usage: score-conllu.py GOLD.conllu SYSTEM.conllu [--name NAME] [--last FILE]

Word lines only (multiword-token ranges and empty nodes are skipped), every
word counted, punctuation included, as in the CoNLL 2018 shared task with
given tokens. UPOS, XPOS and LEMMA are accuracies; UAS the share of words
with the right head; LAS with the right head and the right universal
relation (the part of DEPREL before ':'). Prints one line:

    NAME  UPOS 95.61  XPOS 95.10  LEMMA 97.20  UAS 88.12  LAS 85.40  (25148 words)

and with --last, the line of NAME in FILE (a file of such lines) beside it.
"""
import sys


def words(path):
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
            if len(cols) != 10:
                sys.exit(f"{path}: a token line without 10 fields: {line[:60]!r}")
            if not cols[0].isdigit():
                continue
            sent.append(cols)
    if sent:
        yield sent


def score(gold_path, sys_path):
    n = upos = xpos = lemma = uas = las = 0
    gold_sents, sys_sents = list(words(gold_path)), list(words(sys_path))
    if len(gold_sents) != len(sys_sents):
        sys.exit(f"{sys_path}: {len(sys_sents)} sentences, {gold_path} has {len(gold_sents)}")
    for k, (gs, ss) in enumerate(zip(gold_sents, sys_sents)):
        if [w[1] for w in gs] != [w[1] for w in ss]:
            sys.exit(f"{sys_path}: sentence {k + 1} has other words than {gold_path}")
        for g, s in zip(gs, ss):
            n += 1
            upos += g[3] == s[3]
            xpos += g[4] == s[4]
            lemma += g[2] == s[2]
            if g[6] == s[6]:
                uas += 1
                las += g[7].split(":")[0] == s[7].split(":")[0]
    pct = lambda x: 100.0 * x / max(n, 1)
    return n, {"UPOS": pct(upos), "XPOS": pct(xpos), "LEMMA": pct(lemma), "UAS": pct(uas),
               "LAS": pct(las)}


def main():
    args = sys.argv[1:]
    name, last = "", None
    while len(args) > 2:
        opt = args.pop(2)
        if opt == "--name" and len(args) > 2:
            name = args.pop(2)
        elif opt == "--last" and len(args) > 2:
            last = args.pop(2)
        else:
            sys.exit(__doc__)
    if len(args) != 2:
        sys.exit(__doc__)
    n, s = score(args[0], args[1])
    line = f"{name:5} " + "  ".join(f"{k} {v:.2f}" for k, v in s.items()) + f"  ({n} words)"
    print(line)
    if last:
        try:
            with open(last, encoding="utf-8") as f:
                before = [l.rstrip("\n") for l in f if l.split()[:1] == [name]]
        except OSError:
            before = []
        print(f"{'last':5} " + (before[0].split(None, 1)[1] if before else "(none recorded)"))


if __name__ == "__main__":
    main()
