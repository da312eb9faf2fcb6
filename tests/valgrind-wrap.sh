#!/bin/sh
# Run a test program under valgrind memcheck; shell scripts run as they are
# (they wrap newsgraph themselves when NG_VALGRIND is set).  Defects of
# Debian's libraries are suppressed by tests/fuzz/valgrind.supp, what the
# store tests' children hold when they die on purpose by
# tests/valgrind-children.supp; a child's own log stays quiet, its exit
# status (which memcheck's errors would change) is checked by its test.
NG_SLOW=1
export NG_SLOW
opts="--quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --num-callers=40"
opts="$opts --child-silent-after-fork=yes --suppressions=${top_srcdir:-.}/tests/fuzz/valgrind.supp"
opts="$opts --suppressions=${top_srcdir:-.}/tests/valgrind-children.supp"
case "$1" in
  *.sh) NG_VALGRIND="$VALGRIND $opts" exec sh "$@" ;;
  *) exec "$VALGRIND" $opts "$@" ;;
esac
