#!/usr/bin/env python3
"""table.py - bench/run's rows as the ratio table of bench/RESULTS.md.

Each input row is "section, size, measure, newsgraph value, peer, peer
value, unit" (tab-separated, "-" for a missing value).  The table adds the
ratio newsgraph/peer and says who is ahead: for times, memory and sizes
lower is better (a ratio below 1 favours newsgraph); for rates (units
ending in "/s") and speed-ups ("x") higher is better (a ratio above 1 favours newsgraph).
"""

import argparse
import sys


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def fmt(value):
    v = number(value)
    if v is None:
        return value or "-"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def verdict(ng, peer, unit):
    a, b = number(ng), number(peer)
    if a is None or b is None or b == 0:
        return "-", "-"
    ratio = a / b
    higher_better = unit.endswith("/s") or unit == "x"  # rates, speed-ups
    if abs(ratio - 1) < 0.05:
        who = "even"
    elif (ratio > 1) == higher_better:
        who = "newsgraph"
    else:
        who = "peer"
    return f"{ratio:.2f}", who


def read_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 7:
                rows.append(parts)
            elif line.strip():
                print(f"table.py: skipping a malformed row: {line.strip()}", file=sys.stderr)
    return rows


def render(rows, machine, notes):
    out = ["# newsgraph benchmark results", "",
           "Written by `make bench` (bench/run); do not edit by hand.", "",
           "## Machine and run", "", machine.rstrip(), "",
           "## Results", "",
           "ratio = newsgraph / peer. Times, memory and sizes: lower is better (ratio < 1 "
           "favours newsgraph). Rates (`/s`): higher is better (ratio > 1 favours newsgraph). "
           "\"ahead\" names the better of the two (within 5%: even). For extraction the "
           "\"peer\" is the goal the issues set. Query latencies of newsgraph are whole "
           "`newsgraph query` commands (process start, store open, query, output); "
           "Oxigraph's are in-process on its loaded store; roqet's include parsing the "
           "data file.", "",
           "| section | size | measure | unit | newsgraph | peer | peer value | ratio | ahead |",
           "|---|---|---|---|---:|---|---:|---:|---|"]
    for section, size, measure, ng, peer, peer_value, unit in rows:
        ratio, who = verdict(ng, peer_value, unit)
        size_text = fmt(size) if number(size) is not None else size
        out.append(f"| {section} | {size_text} | {measure} | {unit} | {fmt(ng)} | {peer} | "
                   f"{fmt(peer_value)} | {ratio} | {who} |")
    if notes.strip():
        out += ["", "## Notes from the run", ""]
        out += [f"- {line}" for line in notes.splitlines() if line.strip()]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", required=True)
    ap.add_argument("--machine", required=True)
    ap.add_argument("--notes", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rows = read_rows(args.rows)
    with open(args.machine, encoding="utf-8") as f:
        machine = f.read()
    with open(args.notes, encoding="utf-8") as f:
        notes = f.read()
    text = render(rows, machine, notes)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
