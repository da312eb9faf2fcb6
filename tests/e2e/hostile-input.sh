#!/bin/sh
# hostile-input.sh - extraction of hostile articles through
# `newsgraph extract --no-store --format tsv`: every case must end, in its
# time bound, with exit 0 or exit 1 and a diagnostic naming the file.
#  - article size limits (--max-article-size) for text, HTML, JSON Lines
#    and standard input, with a clear message;
#  - memory bounded on a large JSON Lines file (streaming): peak RSS far
#    below the file's size (NG_BIG_MB=1024 for the 1 GB case);
#  - no quadratic time: a 10 MB single line, a million tiny sentences,
#    deeply nested quotes and brackets, and texts that were quadratic once
#    (many pronouns, many names), timed at two sizes;
#  - invalid UTF-8 and NUL bytes in every format, and in a lexicon file.
# Under valgrind (NG_SLOW) the inputs are smaller and times and memory are
# not checked.
. "${top_srcdir:-.}/tests/e2e/common.sh"

# run.py TIMEOUT NAME CMD...: runs CMD (stdout to $TMP/NAME.out, stderr to
# $TMP/NAME.err) and prints "status cpu-seconds peak-rss-kb": CPU time, not
# wall time, so that a loaded machine does not fail the bounds.
cat > "$TMP/run.py" <<'PY'
import resource, subprocess, sys
timeout, name, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
with open(name + ".out", "wb") as out, open(name + ".err", "wb") as err:
    try:
        rc = subprocess.run(cmd, stdout=out, stderr=err, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(rc, "%.2f" % (ru.ru_utime + ru.ru_stime), ru.ru_maxrss)
PY

SLOW=${NG_SLOW:-}
# AddressSanitizer holds freed memory back (256 MB by default): a smaller
# quarantine lets peak RSS show what the program keeps.  (Ignored without it.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"
export ASAN_OPTIONS
# time bounds allow for AddressSanitizer (about 4x slower than -O2)
BOUND=${NG_TIME_BOUND:-120}

# extract NAME EXPECT FILE [OPTIONS...]: extract FILE; EXPECT is the exit
# status wanted; sets CPU and RSS (and x_* variables of its own).
extract() {
  x_name=$1 x_want=$2 x_file=$3
  shift 3
  if [ -n "$SLOW" ]; then
    set +e
    ng extract --no-store --format tsv "$@" "$x_file" > "$TMP/$x_name.out" 2> "$TMP/$x_name.err"
    x_got=$?
    set -e
    CPU=0 RSS=0
  else
    set -- $("$PYTHON3" "$TMP/run.py" "$BOUND" "$TMP/$x_name" "$NEWSGRAPH" extract --no-store \
      --format tsv "$@" "$x_file")
    x_got=$1 CPU=$2 RSS=$3
  fi
  [ "$x_got" != timeout ] || fail "$x_name: not finished in $BOUND s of CPU"
  [ "$x_got" -eq "$x_want" ] || { head -5 "$TMP/$x_name.err" >&2; fail "$x_name: exit $x_got, not $x_want"; }
  if [ "$x_want" -ne 0 ]; then
    grep -q "^newsgraph: error: $x_file" "$TMP/$x_name.err" ||
      { cat "$TMP/$x_name.err" >&2; fail "$x_name: no diagnostic naming $x_file"; }
  fi
  echo "$x_name: exit $x_got, ${CPU}s CPU, peak RSS ${RSS} KB" >&2
}
expect_message() { # NAME TEXT: the diagnostic of case NAME says TEXT
  grep -q -- "$2" "$TMP/$1.err" || { cat "$TMP/$1.err" >&2; fail "$1: no '$2'"; }
}
# gen FILE PYTHON-EXPRESSION: write the text the expression gives (n is
# the scale: 1, or 1/20 under valgrind)
gen() {
  "$PYTHON3" - "$1" "$2" "${SLOW:+slow}" <<'PY'
import sys
n = 0.05 if sys.argv[3] == "slow" else 1
open(sys.argv[1], "w", encoding="utf-8").write(eval(sys.argv[2]))
PY
}

# ------------------------------------------------------------ size limits
gen "$TMP/long.txt" "'Russia attacked Ukraine. ' * 400"
printf '<html><head><title>t</title></head><body><p>%s</p></body></html>\n' \
  "$(cat "$TMP/long.txt")" > "$TMP/long.html"
{
  echo '{"id": "a", "text": "Russia attacked Ukraine."}'
  printf '{"id": "b", "text": "%s"}\n' "$(cat "$TMP/long.txt")"
  echo '{"id": "c", "text": "Iran threatened Israel."}'
} > "$TMP/long.jsonl"
for f in long.txt long.html; do
  extract "limit-$f" 1 "$TMP/$f" --max-article-size 4k
  expect_message "limit-$f" "$TMP/$f: article of more than 4096 bytes; raise --max-article-size"
done
extract limit-jsonl 1 "$TMP/long.jsonl" --max-article-size 4k
expect_message limit-jsonl "$TMP/long.jsonl:2: article of more than 4096 bytes"
# the records around the long one are extracted
cut -f1 "$TMP/limit-jsonl.out" | sort -u | tr '\n' ' ' | grep -q '^a article c $' ||
  fail "limit-jsonl: records a and c not both extracted: $(cut -f1 "$TMP/limit-jsonl.out" | sort -u)"
set +e
ng extract --no-store --format tsv --max-article-size 4k - < "$TMP/long.txt" > /dev/null 2> "$TMP/stdin.err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "<stdin>: article of more than 4096 bytes" "$TMP/stdin.err" ||
  fail "limit on standard input: exit $rc: $(cat "$TMP/stdin.err")"
# the default limit (16 MiB) refuses a larger file before reading it all
if [ -z "$SLOW" ]; then
  gen "$TMP/17m.txt" "'Russia attacked Ukraine. ' * (17 * 2**20 // 25 + 1)"
  extract limit-default 1 "$TMP/17m.txt"
  expect_message limit-default "article of more than 16777216 bytes"
  rm -f "$TMP/17m.txt"
fi

# ------------------------------------------------- memory on a big JSONL
# Records with a long field the reader skips, and every 1000th a long text:
# memory must follow the longest record, not the file.
big_mb=${NG_BIG_MB:-256}
[ -z "$SLOW" ] || big_mb=4
"$PYTHON3" - "$TMP/big.jsonl" "$big_mb" <<'PY'
import json, sys
path, mb = sys.argv[1], int(sys.argv[2])
filler = "x" * 65000
text = ("MINSK, Nov 25 (Reuters) - Belarusian police detained dozens of protesters on Sunday, "
        "and the European Union said it would widen sanctions against officials in Minsk.")
long_text = " ".join("Russia accused Ukraine of shelling the town on Monday." for _ in range(4000))
with open(path, "w") as f:
    n = 0
    while f.tell() < mb << 20:
        record = {"id": "r%d" % n, "date": "2020-11-25", "body_html": filler,
                  "text": long_text if n % 1000 == 999 else text}
        f.write(json.dumps(record) + "\n")
        n += 1
PY
echo '{"id": "tiny", "text": "Russia attacked Ukraine."}' > "$TMP/tiny.jsonl"
extract tiny 0 "$TMP/tiny.jsonl"
base_rss=$RSS
extract big-jsonl 0 "$TMP/big.jsonl"
size_kb=$(($(wc -c < "$TMP/big.jsonl") / 1024))
records=$(wc -l < "$TMP/big.jsonl")
[ "$(cut -f1 "$TMP/big-jsonl.out" | sort -u | wc -l)" -eq $((records + 1)) ] ||
  fail "big-jsonl: not every record was extracted"
if [ -z "$SLOW" ]; then
  [ "$RSS" -lt $((size_kb / 2)) ] || fail "big-jsonl: peak RSS $RSS KB for a file of $size_kb KB"
  [ "$RSS" -lt $((base_rss + 65536)) ] ||
    fail "big-jsonl: peak RSS $RSS KB, $base_rss KB for one short record"
fi
rm -f "$TMP/big.jsonl" "$TMP/big-jsonl.out"

# ------------------------------------------------------ pathological text
# 10 MB on one line, no full stop: sentences are cut by length
gen "$TMP/line.txt" "''.join('Russia attacked Ukraine near Kharkiv while ' if i % 1000 == 0 else 'the committee of regional observers and the prices in the northern markets of the old town with ' for i in range(int(104000 * n)))"
extract one-line 0 "$TMP/line.txt"
# (the attacks told again are one event; its row is the first sentence's that
# is no headline, wherever the cut by length put "Russia")
grep -q "	Russia	RUS	[^	]*	attacks	" "$TMP/one-line.out" || fail "one-line: the events in it"
gen "$TMP/tiny-sentences.txt" "'Go. ' * int(1000000 * n)"
extract tiny-sentences 0 "$TMP/tiny-sentences.txt"
gen "$TMP/nested.txt" "'Russia said ' + '(\"[{\\'' * int(50000 * n) + 'sanctions' + '\\'}]\")' * int(50000 * n) + '.'"
extract nested 0 "$TMP/nested.txt"
gen "$TMP/quotes.txt" "'He said \"' * int(100000 * n) + 'no' + '\" .' * int(100000 * n)"
extract quotes 0 "$TMP/quotes.txt"
gen "$TMP/open.txt" "'(' * int(200000 * n) + '\"' * int(200000 * n) + '\u201c' * int(100000 * n)"
extract open-only 0 "$TMP/open.txt"

# Linear, not quadratic: 4 times the text may cost at most 8 times the
# CPU (quadratic work costs 16 times; both once did, see coref.c and
# actors.c).  The smaller size still takes a good part of a second, so that
# start-up (the lexicon) does not hide the growth.
if [ -z "$SLOW" ]; then
  for case in \
    "pronouns:'He said \"' * k + 'no' + '\" .' * k" \
    "names:'Lukashenko met Putin. Smith (ABC) said Mr. Jones told Jones. ' * k" \
    "definites:'The bloc said the government and the company met. ' * k" \
    "possessives:'Their forces and its army said their troops ' * k + '.'"; do
    name=${case%%:*} expr=${case#*:}
    gen "$TMP/$name-1.txt" "(lambda k: $expr)(20000)"
    gen "$TMP/$name-4.txt" "(lambda k: $expr)(80000)"
    extract "$name-1" 0 "$TMP/$name-1.txt"
    small=$CPU
    extract "$name-4" 0 "$TMP/$name-4.txt"
    "$PYTHON3" -c "import sys; sys.exit(0 if float(sys.argv[2]) <= 8 * max(float(sys.argv[1]), 0.05) else 1)" \
      "$small" "$CPU" || fail "$name: ${small}s of CPU for 1x, ${CPU}s for 4x: not linear"
  done
fi

# ------------------------------------------------- invalid UTF-8 and NUL
printf 'Russia attacked Ukraine.\nThen \303\050 and \377 here.\n' > "$TMP/bad-utf8.txt"
extract bad-utf8 1 "$TMP/bad-utf8.txt"
expect_message bad-utf8 "bad-utf8.txt:2:6: invalid UTF-8"
"$PYTHON3" -c "import sys; open(sys.argv[1], 'wb').write(bytes(range(256)) * 4096)" "$TMP/binary.txt"
extract binary 1 "$TMP/binary.txt"
expect_message binary "binary file (NUL bytes)"
# a NUL after the first 8 KiB: found by the UTF-8 check, with its place
"$PYTHON3" -c "import sys; open(sys.argv[1], 'wb').write(b'Russia attacked Ukraine.\n' * 1000 + b'x\0y')" "$TMP/late-nul.txt"
extract late-nul 1 "$TMP/late-nul.txt"
expect_message late-nul "late-nul.txt:1001:2: invalid UTF-8 (NUL byte)"
printf '<html><body><p>caf\351 \377\376</p></body></html>' > "$TMP/bad.html"
extract bad-html 1 "$TMP/bad.html"
expect_message bad-html "bad.html:1:19: invalid UTF-8"
# a charset libxml2 does not know: it passes bytes through undecoded; the
# page is refused, and a run into the store goes on with the next file
printf '<html><head><meta charset=bogus></head><body><p>Russia attacked Ukraine in caf&\351 on Monday.</p></body></html>' > "$TMP/charset.html"
extract bad-charset 1 "$TMP/charset.html"
expect_message bad-charset "charset.html: invalid UTF-8 in the page's text once decoded"
expect_status 1 ng extract --store "$TMP/store" "$TMP/charset.html" "$TMP/bad-utf8.txt" "$TMP/tiny.jsonl" 2> /dev/null
ng stats --store "$TMP/store" | grep -q '^articles	1$' || fail "bad-charset: the run into the store did not go on"
printf '<html><body><p>a\0b</p></body></html>' > "$TMP/nul.html"
extract nul-html 1 "$TMP/nul.html"
{
  echo '{"id": "ok1", "text": "Russia attacked Ukraine."}'
  printf '{"id": "bad", "text": "caf\351"}\n'
  echo '{"id": "nul", "text": "a\u0000b"}'
  echo '{"id": "ok2", "text": "Iran threatened Israel."}'
} > "$TMP/bad.jsonl"
extract bad-jsonl 1 "$TMP/bad.jsonl"
expect_message bad-jsonl "bad.jsonl:2:"
expect_message bad-jsonl "bad.jsonl:3:"
# a lexicon file (--lexicon) that is not UTF-8: refused with its place
mkdir "$TMP/lexicon"
printf 'BLRGOV | Alexander Lukash\237\237\237enko |\n' > "$TMP/lexicon/people.txt"
set +e
ng extract --no-store --format tsv --lexicon "$TMP/lexicon" "$TMP/tiny.jsonl" > /dev/null 2> "$TMP/lexicon.err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "people.txt:1:26: invalid UTF-8" "$TMP/lexicon.err" ||
  fail "lexicon with invalid UTF-8: exit $rc: $(cat "$TMP/lexicon.err")"
cut -f1 "$TMP/bad-jsonl.out" | sort -u | tr '\n' ' ' | grep -q '^article ok1 ok2 $' ||
  fail "bad-jsonl: the good records around the bad ones"
# a raw NUL in a record after the first 8 KiB (before, the file is binary)
"$PYTHON3" -c "import sys; open(sys.argv[1], 'wb').write(b'{\"text\": \"Russia attacked Ukraine.\"}\n' * 400 + b'{\"id\": \"raw\", \"text\": \"a\0b\"}\n{\"id\": \"last\", \"text\": \"Iran threatened Israel.\"}\n')" "$TMP/late-nul.jsonl"
extract late-nul-jsonl 1 "$TMP/late-nul.jsonl"
expect_message late-nul-jsonl "late-nul.jsonl:401:"
grep -q "^last	" "$TMP/late-nul-jsonl.out" || fail "late-nul-jsonl: the record after the bad one"
exit 0
