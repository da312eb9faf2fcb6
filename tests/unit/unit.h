/* unit.h - shared helpers of the Check suites. */
#ifndef NG_UNIT_H
#define NG_UNIT_H

#include <check.h>
#include <stdlib.h>

/* Every suite file defines make_suite() and uses this main. */
#define NG_UNIT_MAIN(make_suite)                                               \
  int main(void) {                                                             \
    SRunner *runner = srunner_create(make_suite());                            \
    srunner_run_all(runner, CK_NORMAL);                                        \
    int failed = srunner_ntests_failed(runner);                                \
    srunner_free(runner);                                                      \
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;                               \
  }

#endif
