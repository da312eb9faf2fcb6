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
EXAMPLES="$top_srcdir/examples"
DATA="$top_srcdir/tests/data"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
ng() { "$NEWSGRAPH" "$@"; }
# expect_status N CMD...: run CMD, fail unless it exits with N.
expect_status() {
  want=$1; shift
  set +e; "$@"; got=$?; set -e
  [ "$got" -eq "$want" ] || fail "expected exit $want, got $got: $*"
}
