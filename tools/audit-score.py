#!/usr/bin/env python3
"""Summarise a blind audit prepared by tools/audit-sample.py and judged by a reader.

  tools/audit-score.py AUDITDIR [--keep OUT.tsv]

reads AUDITDIR/sample.tsv (the events shown to the judge), AUDITDIR/judgements.tsv
(the verdicts) and, when present, AUDITDIR/recall.tsv, and prints GOOD / PARTIAL / JUNK
overall and for CAMEO-coded and open events, the causes, the date accuracy of real
events, and recall.  With --keep it also writes the judgements in the held-out form
that ../shared/eval/audit/regress.py reads (each sentence kept only as the length and
SHA-1 of its first 60 characters: the news text stays out of the repository).
"""
import argparse
import collections
import csv
import hashlib
import sys

csv.field_size_limit(1 << 30)


def rows(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def share(counts, total):
    return " ".join(f"{v} {counts[v]} ({100 * counts[v] / total:.0f}%)" if total else f"{v} 0"
                    for v in ("GOOD", "PARTIAL", "JUNK"))


def unescape(text):
    return text.replace('\\"', '"').replace("\\\\", "\\")


def write_held_out(sample, judged, out):
    cols = ["corpus", "article", "event_id", "sentence_no", "excerpt_len", "excerpt_sha1",
            "actor(norm|code|text)", "action(norm|text)", "target(norm|code|text)", "date", "cameo",
            "negated", "verdict", "cause"]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\t".join(cols) + "\n")
        for j in judged:
            s = sample[j["event_id"]]
            excerpt = unescape(s["sentence"])[:60]
            f.write("\t".join([
                s["article"].split("/")[0], s["article"], j["event_id"], s["sentence_no"],
                str(len(excerpt)), hashlib.sha1(excerpt.encode()).hexdigest(),
                "|".join([s["actor"], s["actor_code"], s["actor_text"]]),
                "|".join([s["action"], s["action_text"]]),
                "|".join([s["target"], s["target_code"], s["target_text"]]),
                s["date"], s["cameo"], s["negated"], j["verdict"], j["cause"]]) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("auditdir")
    ap.add_argument("--keep")
    args = ap.parse_args()
    sample = {r["event_id"]: r for r in rows(f"{args.auditdir}/sample.tsv")}
    judged = [j for j in rows(f"{args.auditdir}/judgements.tsv") if j.get("event_id") in sample]
    missing = set(sample) - {j["event_id"] for j in judged}
    if missing:
        sys.exit(f"audit-score: {len(missing)} sampled events have no judgement")
    overall, coded, open_ = (collections.Counter() for _ in range(3))
    causes = collections.Counter()
    dates_ok = dates_known = 0
    for j in judged:
        v = j["verdict"].strip().upper()
        overall[v] += 1
        (coded if sample[j["event_id"]]["cameo"] else open_)[v] += 1
        for c in filter(None, (c.strip() for c in j["cause"].split(";"))):
            causes[c] += 1
        if v in ("GOOD", "PARTIAL") and j["date_ok"] in ("Y", "N"):
            dates_known += 1
            dates_ok += j["date_ok"] == "Y"
    print(f"events judged {len(judged)}: {share(overall, len(judged))}")
    print(f"  CAMEO-coded {sum(coded.values())}: {share(coded, sum(coded.values()))}")
    print(f"  open {sum(open_.values())}: {share(open_, sum(open_.values()))}")
    print(f"dates of real events right: {dates_ok}/{dates_known}")
    print("causes: " + ", ".join(f"{c} {n}" for c, n in causes.most_common(12)))
    try:
        recall = [r for r in rows(f"{args.auditdir}/recall.tsv") if r["found"].strip() != "-"]
    except FileNotFoundError:
        recall = []
    if recall:
        found = collections.Counter(r["found"].strip().upper() for r in recall)
        n = len(recall)
        print(f"recall: {found['Y']}/{n} found right ({100 * found['Y'] / n:.0f}%), "
              f"{found['Y'] + found['PARTIAL']}/{n} with PARTIAL "
              f"({100 * (found['Y'] + found['PARTIAL']) / n:.0f}%)")
    if args.keep:
        write_held_out(sample, judged, args.keep)


if __name__ == "__main__":
    main()
