/**
 * @file test_findings.c
 * @brief Findings (findings_*): repeats of one finding are dropped, the
 * first of each kept in order; findings that differ in any part of their
 * identity all stay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "findings.h"

static void
add(struct findings *f, const char *rule, enum er_status st, const char *dev, const char *circuit, const char *path,
        const char *msg)
{
    struct finding fd = {.rule = rule, .sev = SEV_HIGH, .status = st, .device = (char *)dev,
        .circuit = (char *)circuit, .path = (char *)path, .message = (char *)msg};

    assert_int_equal(findings_add(f, &fd), ER_OK);
}

/* Four identical NAT-002 findings on one device (one per NAT rule) become one. */
static void
test_repeats_dropped(void **state)
{
    struct findings f = {0};
    size_t i;

    (void)state;
    add(&f, "NAT-001", ST_PASS, "er1", NULL, NULL, "before the range");
    for (i = 0; i < 4; i++) {
        add(&f, "NAT-002", ST_FAIL, "er1", "c1", "/n/device[name='er1']/nat/pool[name='1']", "pool overlaps");
        add(&f, "NAT-002", ST_FAIL, "er2", "c2", "/n/device[name='er2']/nat/pool[name='1']", "pool overlaps");
    }
    assert_int_equal(findings_dedup(&f, 1), ER_OK);
    assert_int_equal(f.n, 3);
    assert_string_equal(f.v[0].message, "before the range");
    assert_string_equal(f.v[1].device, "er1");
    assert_string_equal(f.v[2].device, "er2");
    findings_clear(&f);
}

/* Device, circuit, path, message and status each make a finding distinct. */
static void
test_distinct_kept(void **state)
{
    struct findings f = {0};

    (void)state;
    add(&f, "NAT-002", ST_FAIL, "er1", "c1", "/p", "m");
    add(&f, "NAT-002", ST_FAIL, "er2", "c1", "/p", "m");
    add(&f, "NAT-002", ST_FAIL, "er1", "c2", "/p", "m");
    add(&f, "NAT-002", ST_FAIL, "er1", "c1", "/q", "m");
    add(&f, "NAT-002", ST_FAIL, "er1", "c1", "/p", "n");
    add(&f, "NAT-002", ST_PASS, "er1", "c1", "/p", "m");
    add(&f, "NAT-002", ST_FAIL, "er1", NULL, "/p", "m");
    add(&f, "NAT-002", ST_FAIL, "er1", NULL, NULL, "m");
    assert_int_equal(findings_dedup(&f, 0), ER_OK);
    assert_int_equal(f.n, 8);
    /* Only findings from the given index on are looked at. */
    add(&f, "NAT-002", ST_FAIL, "er1", "c1", "/p", "m");
    assert_int_equal(findings_dedup(&f, 8), ER_OK);
    assert_int_equal(f.n, 9);
    findings_clear(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeats_dropped),
        cmocka_unit_test(test_distinct_kept),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
