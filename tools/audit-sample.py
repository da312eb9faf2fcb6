#!/usr/bin/env python3
"""Prepare a blind precision audit (../shared/eval/audit/README.md has the protocol).

  tools/audit-sample.py --seed N --articles K --topics business,politics \
      --exclude ../shared/eval/audit/articles.jsonl CORPUS.jsonl NEWSGRAPH OUTDIR

picks K articles of CORPUS at random (seeded, so the choice can be repeated), none of
those in --exclude, extracts them with NEWSGRAPH (all modalities kept, so that the
judge sees the label the default run would drop), and writes into OUTDIR:
  articles.jsonl   the chosen articles (a scratch copy: news text is not committed)
  extracted.tsv    every event of the default run (asserted and negated only)
  sample.tsv       a uniform random sample of --events of them (all when fewer), each with
                   an id, its sentence, and the fields the judge rates
  sentences.tsv    --sentences random sentences for the recall half of the audit
The judge sees sample.tsv, sentences.tsv and articles.jsonl, never the code.
Only the standard library: it runs wherever the scorer runs.
"""
import argparse
import csv
import json
import re
import random
import subprocess
import sys
from pathlib import Path


def read_articles(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def choose_articles(corpus, exclude_ids, topics, count, rng):
    def topic_of(article):
        parts = article["id"].split("/")
        return parts[1] if len(parts) > 2 else ""

    pool = [a for a in corpus
            if a["id"] not in exclude_ids and (not topics or topic_of(a) in topics)]
    pool.sort(key=lambda a: a["id"])
    return rng.sample(pool, min(count, len(pool)))


def run_extract(newsgraph, articles_path, fmt):
    run = subprocess.run([newsgraph, "extract", "--no-store", "--format", fmt,
                          str(articles_path)], capture_output=True, text=True, check=True)
    return list(csv.DictReader(run.stdout.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


def extract(newsgraph, articles_path):
    """The events (one row each), each with also_told_in: the other sentences of
    its article that tell it (the extractor keeps them as the event's further
    mentions - a quotation that goes on, a headline that restates the lead),
    so that a recall reader finds the event from any sentence that tells it."""
    rows = run_extract(newsgraph, articles_path, "tsv")
    told = {}
    for m in run_extract(newsgraph, articles_path, "mentions"):
        told.setdefault((m["article"], m["event"]), []).append(m)
    seen = {}
    for r in rows:
        key = (r["article"], r["sentence"])
        k = seen.get(key, 0)
        seen[key] = k + 1
        others = [m for m in told.get((r["article"], f"{r['sentence']}-{k}"), [])
                  if m["sentence"] != r["sentence"]]
        r["also_told_in"] = " || ".join(m["text"].replace("\t", " ") for m in others)
    return rows


SAMPLE_FIELDS = ["event_id", "article", "sentence_no", "sentence", "actor", "actor_code",
                 "actor_text", "action", "action_text", "cameo", "target", "target_code",
                 "target_text", "date", "negated", "factuality"]


def write_sample(rows, out, count, rng):
    picked = sorted(rng.sample(range(len(rows)), min(count, len(rows))))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                       escapechar="\\")
        w.writerow(SAMPLE_FIELDS)
        for n, i in enumerate(picked):
            r = rows[i]
            w.writerow([f"e{n}", r["article"], r["sentence"], r["text"], r["actor"],
                        r["actor_code"], r["actor_text"], r["action"], r["action_text"],
                        r["cameo"], r["target"], r["target_code"], r["target_text"], r["date"],
                        r["negated"], r["factuality"]])
    return len(picked)


SENTENCE_END = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["\u201d\']))\s+(?=["\u201c\']?[A-Z])')


def write_sentences(articles, out, count, rng):
    """Random sentences for recall. The split is a plain one (end mark, space, capital):
    the judge matches expected events to extracted rows by reading them, so the
    extractor's own sentence numbers are not needed here."""
    sents = []
    for a in articles:
        for para in a["text"].split("\n"):
            for piece in SENTENCE_END.split(para.strip()):
                if len(piece.split()) >= 4:
                    sents.append((a["id"], piece))
    picked = sorted(rng.sample(range(len(sents)), min(count, len(sents))))
    with open(out, "w", encoding="utf-8") as f:
        f.write("sentence_id\tarticle\tsentence\n")
        for n, i in enumerate(picked):
            art, text = sents[i]
            f.write(f"s{n}\t{art}\t{text}\n")
    return len(picked)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--articles", type=int, default=24)
    ap.add_argument("--events", type=int, default=200)
    ap.add_argument("--sentences", type=int, default=40)
    ap.add_argument("--topics", default="")
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("corpus")
    ap.add_argument("newsgraph")
    ap.add_argument("outdir")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    exclude = set()
    for path in args.exclude:
        exclude.update(a["id"] for a in read_articles(path))
    topics = set(t for t in args.topics.split(",") if t)
    chosen = choose_articles(read_articles(args.corpus), exclude, topics, args.articles, rng)

    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    articles_path = outdir / "articles.jsonl"
    with open(articles_path, "w", encoding="utf-8") as f:
        for a in chosen:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    rows = extract(args.newsgraph, articles_path)
    with open(outdir / "extracted.tsv", "w", encoding="utf-8") as f:
        f.write("\t".join(rows[0].keys()) + "\n" if rows else "")
        for r in rows:
            f.write("\t".join(r[k] or "" for k in r.keys()) + "\n")
    sampled = write_sample(rows, outdir / "sample.tsv", args.events, rng)
    sentences = write_sentences(chosen, outdir / "sentences.tsv", args.sentences, rng)
    print(f"{len(chosen)} articles, {len(rows)} events, {sampled} sampled, "
          f"{sentences} sentences for recall -> {outdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
