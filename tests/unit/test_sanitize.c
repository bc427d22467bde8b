/**
 * @file test_sanitize.c
 * @brief ER_ASAN agrees with the build: 1 exactly when the AddressSanitizer
 * runtime is linked in, whatever the compiler (clang 14 does not define
 * __SANITIZE_ADDRESS__, so a test on that macro alone takes the fast exit
 * and reports false leaks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sanitize.h"

/* Defined by the ASan runtime only. */
extern void __asan_init(void) __attribute__((weak));

static void
test_asan_detected_with_any_compiler(void **state)
{
    (void)state;
    print_message("ASan runtime %s, ER_ASAN %d\n", __asan_init ? "linked" : "absent", ER_ASAN);
    assert_int_equal(ER_ASAN, __asan_init != NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asan_detected_with_any_compiler),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
