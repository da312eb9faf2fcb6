#!/bin/sh
# Run a test program under valgrind memcheck; shell scripts run as they are
# (they wrap newsgraph themselves when NG_VALGRIND is set).
NG_SLOW=1
export NG_SLOW
case "$1" in
  *.sh) NG_VALGRIND="$VALGRIND --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" exec sh "$@" ;;
  *) exec "$VALGRIND" --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$@" ;;
esac
