#!/usr/bin/env python3
"""gen.py - deterministic benchmark data for `make bench` (standard library only).

    gen.py corpus --lexicon DIR --mb N [--seed S] > corpus.jsonl
        wire-style news articles (JSON Lines, as `newsgraph extract` reads
        them) made of template sentences and the lexicon's names, until the
        article texts add up to N megabytes.

    gen.py events --lexicon DIR --events N [--seed S] [--key-prefix P] --meta FILE > events.nq
        N events in the project's vocabulary as N-Quads: one named graph per
        article (10 events each, 8 triples per event, 2 per article) and the
        actors in the shared actors graph, as `newsgraph extract` would store
        them.  FILE receives facts the queries need (an actor with about 1%
        of the events, the counts), one "key value" pair a line.

The same arguments always give the same bytes: a seeded random generator,
no clock, no hash order.
"""

import argparse
import json
import random
import re
import sys

NS = "https://w3id.org/newsgraph/"
ONTO = NS + "ns#"
ACTOR = NS + "id/actor/"
ARTICLE = NS + "id/article/"
EVENT = NS + "id/event/"
CAMEO = NS + "cameo/"
SHARED_GRAPH = NS + "id/graph/actors"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SEM_BEGIN = "http://semanticweb.cs.vu.nl/2009/11/sem/hasBeginTimeStamp"
DCT_DATE = "http://purl.org/dc/terms/date"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

EVENTS_PER_ARTICLE = 10
FIRST_DAY = 10957  # 2000-01-01 as days since 1970-01-01
DAYS = 7305        # twenty years


def fields(line):
    line = line.split("#", 1)[0].strip()
    return [f.strip() for f in line.split("|")] if line else None


def slug(label):
    """As ng_slug_new: lower-case ASCII letters and digits, other runs '-'."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def load_actors(lexdir):
    """(label, code) of organisations, people and countries."""
    actors = []
    for name in ("actors.txt", "people.txt"):
        with open(f"{lexdir}/{name}", encoding="utf-8") as f:
            for line in f:
                parts = fields(line)
                if parts and len(parts) >= 2 and parts[1].isascii():
                    actors.append((parts[1], parts[0]))
    with open(f"{lexdir}/country-aliases.txt", encoding="utf-8") as f:
        for line in f:
            parts = fields(line)
            if parts and len(parts) >= 2:
                label = parts[1].split(";")[0].strip().lstrip("=")
                if label.isascii():
                    actors.append((label, parts[0]))
    seen, unique = set(), []
    for label, code in actors:
        if slug(label) and slug(label) not in seen:
            seen.add(slug(label))
            unique.append((label, code))
    return unique


def load_cameo(lexdir):
    codes = []
    with open(f"{lexdir}/cameo.txt", encoding="utf-8") as f:
        for line in f:
            parts = fields(line)
            if parts and len(parts[0]) >= 3 and parts[0].isdigit():
                codes.append(parts[0])
    return codes


def zipf_weights(n):
    """A few actors are in most of the news, as in real wires."""
    return [1.0 / (i + 1) for i in range(n)]


def iso_date(days):
    # proleptic Gregorian from days since 1970-01-01 (civil_from_days)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return f"{y + (m <= 2):04d}-{m:02d}-{d:02d}"


def nq_literal(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ------------------------------------------------------------------ events

def write_actors(out, actors):
    g = f"<{SHARED_GRAPH}>"
    for label, code in actors:
        s = f"<{ACTOR}{slug(label)}>"
        out.write(f"{s} <{RDF_TYPE}> <{ONTO}Actor> {g} .\n")
        out.write(f"{s} <{RDFS_LABEL}> {nq_literal(label)} {g} .\n")
        out.write(f"{s} <{ONTO}actorCode> {nq_literal(code)} {g} .\n")


def write_article(out, rng, prefix, n, count, actors, weights, cameo):
    key = f"{prefix}-{n:07d}"
    art = f"<{ARTICLE}{key}>"
    day = FIRST_DAY + rng.randrange(DAYS)
    lines = [f"{art} <{RDF_TYPE}> <{ONTO}Article> {art} .",
             f'{art} <{DCT_DATE}> "{iso_date(day)}"^^<{XSD_DATE}> {art} .']
    picks = rng.choices(range(len(actors)), weights, k=2 * count)
    for i in range(count):
        ev = f"<{EVENT}{key}/{i // 3}-{i % 3}>"
        actor, target = slug(actors[picks[2 * i]][0]), slug(actors[picks[2 * i + 1]][0])
        code = rng.choice(cameo)
        date = iso_date(day - rng.randrange(7))  # events of the last week
        lines += [f"{ev} <{RDF_TYPE}> <{ONTO}Event> {art} .",
                  f"{ev} <{ONTO}actor> <{ACTOR}{actor}> {art} .",
                  f"{ev} <{ONTO}target> <{ACTOR}{target}> {art} .",
                  f"{ev} <{ONTO}action> <{CAMEO}{code}> {art} .",
                  f'{ev} <{ONTO}cameoCode> "{code}" {art} .',
                  f'{ev} <{ONTO}cameoRoot> "{code[:2]}" {art} .',
                  f'{ev} <{SEM_BEGIN}> "{date}"^^<{XSD_DATE}> {art} .',
                  f"{ev} <{ONTO}article> {art} {art} ."]
    out.write("\n".join(lines))
    out.write("\n")


def cmd_events(args):
    rng = random.Random(args.seed)
    actors = load_actors(args.lexicon)
    rng.shuffle(actors)  # who is busiest: any kind of actor, not the file's first
    cameo = load_cameo(args.lexicon)
    weights = zipf_weights(len(actors))
    out = sys.stdout
    write_actors(out, actors)
    articles = (args.events + EVENTS_PER_ARTICLE - 1) // EVENTS_PER_ARTICLE
    for n in range(articles):
        count = min(EVENTS_PER_ARTICLE, args.events - n * EVENTS_PER_ARTICLE)
        write_article(out, rng, args.key_prefix, n, count, actors, weights, cameo)
    triples = 3 * len(actors) + 2 * articles + 8 * args.events
    with open(args.meta, "w", encoding="utf-8") as meta:
        # the tenth busiest: about 1% of the events, a typical actor query
        meta.write(f"actor {ACTOR}{slug(actors[9][0])}\n")
        meta.write(f"events {args.events}\narticles {articles}\nquads {triples}\n")


# ------------------------------------------------------------------ corpus

# Sentence templates: {A} and {B} actors, {C} a capital, {D} a weekday.
TEMPLATES = [
    "{A} imposed sanctions on {B} on {D}, officials said.",
    "{A} accused {B} of violating the ceasefire agreement.",
    "{A} met {B} in {C} on {D} to discuss trade and security.",
    "{A} condemned the attack and called on {B} to show restraint.",
    "{A} threatened to expel diplomats from {B} if the talks failed.",
    "{A} signed an agreement with {B} on energy cooperation.",
    "{A} praised {B} for its help after the floods.",
    "{A} rejected the proposal made by {B} last week.",
    "{A} urged {B} to release the detained journalists.",
    "{A} said on {D} it would send humanitarian aid to {B}.",
    "Police arrested dozens of protesters in {C} on {D}.",
    "{A} criticised {B} over its handling of the crisis.",
    "{A} visited {C} on {D} for talks with {B}.",
    "{A} offered to mediate between the government and {B}.",
    "{A} denied the allegations made by {B}.",
]
FILLER = [
    "The talks are expected to resume next month.",
    "Markets were little changed after the announcement.",
    "The statement gave no further details.",
    "Analysts said the move could raise tensions in the region.",
    "Thousands of people gathered in the main square.",
    "The decision follows weeks of negotiations.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct",
          "Nov", "Dec"]


def load_capitals(lexdir):
    capitals = []
    with open(f"{lexdir}/country-aliases.txt", encoding="utf-8") as f:
        for line in f:
            parts = fields(line)
            if parts and len(parts) >= 4 and parts[3]:
                cap = parts[3].split(";")[0].strip()
                if cap and ">" not in cap and cap.isascii():
                    capitals.append(cap)
    return capitals


def article_text(rng, actors, weights, capitals, date):
    y, m, d = (int(x) for x in date.split("-"))
    city = rng.choice(capitals).upper()
    paras = []
    for p in range(rng.randrange(3, 7)):
        sentences = []
        for _ in range(rng.randrange(2, 5)):
            if rng.random() < 0.25:
                sentences.append(rng.choice(FILLER))
                continue
            a, b = rng.choices(actors, weights, k=2)
            sentences.append(rng.choice(TEMPLATES).format(
                A=a[0], B=b[0], C=rng.choice(capitals), D=rng.choice(WEEKDAYS)))
        paras.append(" ".join(sentences))
    paras[0] = f"{city}, {MONTHS[m - 1]} {d} (Wire) - " + paras[0]
    return "\n\n".join(paras)


def cmd_corpus(args):
    rng = random.Random(args.seed)
    actors = load_actors(args.lexicon)
    weights = zipf_weights(len(actors))
    capitals = load_capitals(args.lexicon)
    target = int(args.mb * 1e6)
    total, n = 0, 0
    out = sys.stdout
    while total < target:
        date = iso_date(FIRST_DAY + rng.randrange(DAYS))
        text = article_text(rng, actors, weights, capitals, date)
        title = text.split(" - ", 1)[-1].split(".")[0][:80]
        rec = {"id": f"synthetic-{n:07d}", "date": date, "title": title, "text": text}
        out.write(json.dumps(rec, ensure_ascii=False))
        out.write("\n")
        total += len(text.encode("utf-8"))
        n += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--lexicon", required=True)
    c.add_argument("--mb", type=float, required=True)
    c.add_argument("--seed", type=int, default=1)
    e = sub.add_parser("events")
    e.add_argument("--lexicon", required=True)
    e.add_argument("--events", type=int, required=True)
    e.add_argument("--seed", type=int, default=1)
    e.add_argument("--meta", required=True)
    e.add_argument("--key-prefix", default="bench", help="article keys are PREFIX-NNNNNNN")
    args = ap.parse_args()
    sys.stdout.reconfigure(newline="\n")
    (cmd_corpus if args.cmd == "corpus" else cmd_events)(args)


if __name__ == "__main__":
    main()
