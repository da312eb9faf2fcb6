#!/bin/sh
# patterns.sh - data-driven test of the verb patterns (lexicon/verbs.txt).
#
# Every line of tests/data/patterns.tsv is one case:
#   sentence <TAB> article date <TAB> cameo <TAB> actor_code prefix <TAB> target_code prefix
# Each sentence becomes an article of its own; a case passes when some event of that article has
# a CAMEO code starting with the expected digits and actor/target codes starting with the
# expected prefixes ("*" = any).  An empty cameo column means no coded event may come out.
#
# The extractor is rule-based and its engine improves independently of the patterns, so the test
# does not demand every case: it prints each failure, then "N/M cases pass", and fails when the
# pass rate falls below PATTERNS_MIN_PERCENT (the rate reached when the cases were written, minus
# two points), which guards against regressions.
. "${top_srcdir:-.}/tests/e2e/common.sh"

PATTERNS_MIN_PERCENT=${PATTERNS_MIN_PERCENT:-90.2}
cases="$DATA/patterns.tsv"
[ -r "$cases" ] || fail "cannot read $cases"

# One JSONL article per case, numbered by line so that failures point at the file.
awk -F '\t' '
  function json(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
  /^#/ || NF == 0 { next }
  NF < 5 { printf "%s:%d: expected 5 tab-separated fields, found %d\n", FILENAME, NR, NF > "/dev/stderr"; bad = 1; next }
  { printf "{\"id\":\"L%d\",\"date\":%s,\"title\":\"\",\"text\":%s}\n", NR, json($2), json($1) }
  END { exit bad }
' "$cases" > "$TMP/cases.jsonl" || fail "malformed $cases"
[ -s "$TMP/cases.jsonl" ] || fail "no cases in $cases"

ng extract --no-store --quiet --format tsv "$TMP/cases.jsonl" > "$TMP/events.tsv" ||
  fail "newsgraph extract failed"

# Columns of the event table: 1 article, 4 actor_code, 8 cameo, 10 target_code.
awk -F '\t' -v min="$PATTERNS_MIN_PERCENT" -v file="$cases" '
  function prefix(want, got) { return want == "*" || substr(got, 1, length(want)) == want }
  FNR == NR {
    if (FNR == 1) next
    n = ++count[$1]
    code[$1, n] = $8; actor[$1, n] = $4; target[$1, n] = $10
    if ($8 != "") seen[$1] = seen[$1] " " $8 ":" $4 ">" $10
    next
  }
  /^#/ || NF == 0 { next }
  {
    id = "L" FNR; total++; ok = 0
    if ($3 == "") {
      ok = (seen[id] == "")
    } else {
      for (i = 1; i <= count[id] && !ok; i++)
        ok = code[id, i] != "" && prefix($3, code[id, i]) && prefix($4, actor[id, i]) && prefix($5, target[id, i])
    }
    if (ok) { pass++; next }
    want = ($3 == "" ? "no coded event" : $3 " " $4 ">" $5)
    printf "FAIL %s:%d: want %s; got%s\n  %s\n", file, FNR, want, (seen[id] == "" ? " nothing coded" : seen[id]), $1
  }
  END {
    printf "%d/%d cases pass (%.1f%%; minimum %s%%)\n", pass, total, total ? 100 * pass / total : 0, min
    exit (total == 0 || pass * 100 < min * total)
  }
' "$TMP/events.tsv" "$cases" || fail "verb patterns: pass rate below ${PATTERNS_MIN_PERCENT}%"
