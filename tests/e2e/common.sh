# common.sh - sourced by every end-to-end test: strict mode, a private
# temporary directory, and helpers.  Exit 77 means "skipped" to automake.
set -eu
export LC_ALL=C.UTF-8
: "${top_srcdir:=.}"
: "${NEWSGRAPH:=./newsgraph}"
: "${PYTHON3:=python3}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ng-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NEWSGRAPH_STORE="$TMP/store"
# tables are fitted to COLUMNS when it is set (query-table.sh sets it itself)
unset COLUMNS
EXAMPLES="$top_srcdir/examples"
DATA="$top_srcdir/tests/data"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
# Under --enable-valgrind, tests/valgrind-wrap.sh sets NG_VALGRIND: run the
# real binary (not libtool's wrapper script) under it.
if [ -n "${NG_VALGRIND:-}" ] && [ -x "${top_builddir:-.}/libtool" ]; then
  ng() { "${top_builddir:-.}/libtool" --mode=execute $NG_VALGRIND "$NEWSGRAPH" "$@"; }
else
  ng() { "$NEWSGRAPH" "$@"; }
fi
# rdflib lives in Debian's Python (python3-rdflib)
RDFLIB_PYTHON=/usr/bin/python3
have_rdflib() { "$RDFLIB_PYTHON" -c 'import rdflib' 2>/dev/null; }
# expect_status N CMD...: run CMD, fail unless it exits with N.
expect_status() {
  want=$1; shift
  set +e; "$@"; got=$?; set -e
  [ "$got" -eq "$want" ] || fail "expected exit $want, got $got: $*"
}
# wait_for_handlers PID: wait (30 s at most) until process PID catches
# SIGINT and SIGTERM.  A background job of a script starts with SIGINT
# ignored: a signal sent before the program's handlers are in place would
# be lost (or kill it), which says nothing about how the program stops.
wait_for_handlers() {
  for i in $(seq 300); do
    mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null || true)
    [ -n "$mask" ] && [ $((0x$mask & 0x4002)) -eq $((0x4002)) ] && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
