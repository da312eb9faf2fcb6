#!/bin/sh
# precision: who may act, and how the article puts what they did
# (tests/data/precision.txt: each case an article and what is expected of
# some of its events).
. "${top_srcdir:-.}/tests/e2e/common.sh"

"$PYTHON3" - "$DATA/precision.txt" "$TMP" <<'PY'
import json, sys
cases, text, expects = [], [], []
def flush():
    if text:
        cases.append((" ".join(text), list(expects)))
    text.clear(); expects.clear()
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("#"):
        continue
    if not line.strip():
        flush(); continue
    if line.startswith("=> "):
        expects.append([f.strip() for f in line[3:].split("|")])
    else:
        text.append(line)
flush()
with open(sys.argv[2] + "/cases.jsonl", "w") as f:
    for i, (t, _) in enumerate(cases):
        f.write(json.dumps({"id": "case-%d" % i, "date": "2005-03-01", "text": t}) + "\n")
with open(sys.argv[2] + "/expect.json", "w") as f:
    json.dump([e for _, e in cases], f)
PY
ng extract --no-store --modality all --format tsv "$TMP/cases.jsonl" > "$TMP/out.tsv"
"$PYTHON3" - "$TMP/out.tsv" "$TMP/expect.json" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
col = {n: i for i, n in enumerate(lines[0].split("\t"))}
rows = {}
for l in lines[1:]:
    f = l.split("\t")
    rows.setdefault(f[col["article"]], []).append(f)
bad = checked = 0
for i, expects in enumerate(json.load(open(sys.argv[2]))):
    got = rows.get("case-%d" % i, [])
    for text, action, fact, *target in expects:
        checked += 1
        found = [r for r in got if r[col["actor_text"]] == text and r[col["action"]] == action]
        if fact == "-":
            if found:
                print("FAIL: case %d: %s %s: an event, want none" % (i, text, action))
                bad += 1
        elif not found or found[0][col["factuality"]] != fact:
            print("FAIL: case %d: %s %s: %s, want %s"
                  % (i, text, action, found[0][col["factuality"]] if found else "no event", fact))
            bad += 1
        elif target and target[0].startswith("[") and target[0].endswith("]"):
            # a thing acted on: no participant, its words in target_text
            words = target[0][1:-1]
            if found[0][col["target"]] != "" or words not in found[0][col["target_text"]]:
                print("FAIL: case %d: %s %s: target '%s' ('%s'), want none, words '%s'"
                      % (i, text, action, found[0][col["target"]], found[0][col["target_text"]], words))
                bad += 1
        elif target and found[0][col["target"]] != ("" if target[0] == '""' else target[0]):
            print("FAIL: case %d: %s %s: target '%s', want '%s'"
                  % (i, text, action, found[0][col["target"]], target[0]))
            bad += 1
print("precision: %d cases checked, %d wrong" % (checked, bad))
sys.exit(1 if bad else 0)
PY
