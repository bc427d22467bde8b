/**
 * @file test_names.c
 * @brief The name index (names_*): every name found at its record, absent
 * names find an empty slot, over enough names to collide and wrap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

struct rec {
    int other;
    char *name;
};

#define N 20000

static void
test_find_all(void **state)
{
    static struct rec v[N];
    struct name_index x;
    char buf[32];
    size_t i;
    uint32_t *s;

    (void)state;
    assert_int_equal(names_init(&x, N), 0);
    assert_true(x.cap >= 2 * N && !(x.cap & (x.cap - 1)));
    for (i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "dev%05zu", i);
        v[i].name = strdup(buf);
        s = names_slot(&x, v[i].name, v, sizeof *v, offsetof(struct rec, name));
        assert_int_equal(*s, 0);
        *s = (uint32_t)(i + 1);
    }
    for (i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "dev%05zu", i);   /* another copy of the text */
        s = names_slot(&x, buf, v, sizeof *v, offsetof(struct rec, name));
        assert_int_equal(*s, i + 1);
    }
    assert_int_equal(*names_slot(&x, "dev99999", v, sizeof *v, offsetof(struct rec, name)), 0);
    assert_int_equal(*names_slot(&x, "", v, sizeof *v, offsetof(struct rec, name)), 0);
    for (i = 0; i < N; i++)
        free(v[i].name);
    names_free(&x);
    assert_null(x.slot);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_all),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
