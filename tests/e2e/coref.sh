#!/bin/sh
# coref: pronouns, surnames and role phrases resolve to the actor a reader
# would name (tests/data/coref.txt: each case an article and the actor
# expected for some of its events).
. "${top_srcdir:-.}/tests/e2e/common.sh"

"$PYTHON3" - "$DATA/coref.txt" "$TMP" <<'PY'
import json, sys
cases, text, expects, date = [], [], [], ["2020-11-25"]
def flush():
    if text:
        cases.append((" ".join(text), list(expects), date[0]))
    text.clear(); expects.clear(); date[0] = "2020-11-25"
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("#"):
        continue
    if not line.strip():
        flush(); continue
    if line.startswith("@date "):  # the article's date, when not 2020-11-25
        date[0] = line[6:].strip()
    elif line.startswith("=> "):
        expects.append([f.strip() for f in line[3:].split("|")])
    else:
        text.append(line)
flush()
with open(sys.argv[2] + "/cases.jsonl", "w") as f:
    for i, (t, _, d) in enumerate(cases):
        f.write(json.dumps({"id": "case-%d" % i, "date": d, "text": t}) + "\n")
with open(sys.argv[2] + "/expect.json", "w") as f:
    json.dump([e for _, e, _ in cases], f)
PY
# (every mention: a pronoun's resolution shows in the mention that has it,
# when its statement is a further mention of the speaker's first)
ng extract --no-store --format mentions "$TMP/cases.jsonl" > "$TMP/out.tsv"
"$PYTHON3" - "$TMP/out.tsv" "$TMP/expect.json" <<'PY'
import json, sys
rows = {}
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = lines[0].split("\t")
col = {n: i for i, n in enumerate(head)}
for l in lines[1:]:
    f = l.split("\t")
    rows.setdefault(f[col["article"]], []).append(f)
bad = 0
for i, expects in enumerate(json.load(open(sys.argv[2]))):
    got = rows.get("case-%d" % i, [])
    for text, action, label, *target in expects:
        found = [r for r in got if r[col["actor_text"]] == text and r[col["action"]] == action]
        if label == "-":
            if found:
                print("FAIL: case %d: %s %s: an event, want none" % (i, text, action))
                bad += 1
            continue
        # "LABEL=CODE": the actor's code too ("=" alone: no code)
        label, has_code, code = label.partition("=")
        if not found or found[0][col["actor"]] != label:
            print("FAIL: case %d: %s %s: actor %s, want %s"
                  % (i, text, action, found[0][col["actor"]] if found else "no event", label))
            bad += 1
        elif has_code and found[0][col["actor_code"]] != code:
            print("FAIL: case %d: %s %s: actor code %s, want %s"
                  % (i, text, action, found[0][col["actor_code"]], code))
            bad += 1
        elif target and found[0][col["target"]] != target[0]:
            print("FAIL: case %d: %s %s: target %s, want %s"
                  % (i, text, action, found[0][col["target"]], target[0]))
            bad += 1
print("coref: %d cases checked, %d wrong" % (sum(len(e) for e in json.load(open(sys.argv[2]))), bad))
sys.exit(1 if bad else 0)
PY
