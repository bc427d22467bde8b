/**
 * @file test_rules_holes.c
 * @brief No verdict rests on a hole: when a device lost elements of a part
 * of the model (collection/skipped), every rule that reads that part
 * reports the device as not evaluated, naming what was skipped; rules that
 * read other parts, and other devices, keep their verdicts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rule.h"
#include "model.h"

#include "rules_fixture.h"

/* Findings of @p f about @p dev (by device or by the message's "DEV:" start), by status. */
static void
tally(const struct findings *f, const char *dev, size_t by_status[5])
{
    size_t i, l = strlen(dev);

    memset(by_status, 0, 5 * sizeof *by_status);
    for (i = 0; i < f->n; i++) {
        const struct finding *x = &f->v[i];

        if ((x->device && !strcmp(x->device, dev)) || (!strncmp(x->message, dev, l) && x->message[l] == ':'))
            by_status[x->status]++;
    }
}

/* Mark @p dev as having lost @p n elements of model part @p part. */
static void
hole(struct er_model *m, const char *dev, const char *part, const char *why)
{
    struct lyd_node *d = model_find_device(m, dev), *col, *sk;
    struct er_err err = {0};

    assert_non_null(d);
    assert_int_equal(model_cont(d, "collection", &col, &err), ER_OK);
    set(col, "status", "partial");
    sk = list(col, "skipped", part);
    set(sk, "count", "1");
    assert_int_equal(model_leaflist(sk, "element", why, &err), ER_OK);
}

static void
test_hole_makes_reading_rules_not_evaluated(void **state)
{
    static const char *const why = "netconf/running.xml:40: /acls/acl[name='er-in']/aces/ace[name='a']: broken";
    struct er_model *clean = fx_load("good.json"), *holed = fx_load("good.json");
    struct findings a, b;
    size_t before[5], after[5], other_before[5], other_after[5];
    size_t i;

    (void)state;
    hole(holed, "fw1", "filter/rule", why);

    /* SEC-001 reads filter/rule: fw1's verdicts become N/E, naming the part and the element. */
    fx_run("SEC-001", clean, &a);
    fx_run("SEC-001", holed, &b);
    tally(&a, "fw1", before);
    tally(&b, "fw1", after);
    assert_true(before[ST_PASS] + before[ST_FAIL] > 0);
    assert_int_equal(after[ST_PASS] + after[ST_FAIL], 0);
    assert_int_equal(after[ST_NOT_EVALUATED], before[ST_NOT_EVALUATED] + before[ST_PASS] + before[ST_FAIL]);
    for (i = 0; i < b.n; i++) {
        if (b.v[i].status == ST_NOT_EVALUATED && strstr(b.v[i].message, "fw1: not evaluated, 1 unreadable element"))
            break;
    }
    assert_true(i < b.n);
    assert_non_null(strstr(b.v[i].message, "of filter/rule skipped (netconf/running.xml:40:"));
    assert_null(b.v[i].path);
    /* Other devices keep their verdicts. */
    tally(&a, "er1", other_before);
    tally(&b, "er1", other_after);
    assert_memory_equal(other_before, other_after, sizeof other_before);
    findings_clear(&a);
    findings_clear(&b);

    /* PEER-003 reads neighbors and interface addresses, not filters: unchanged. */
    fx_run("PEER-003", clean, &a);
    fx_run("PEER-003", holed, &b);
    assert_int_equal(a.n, b.n);
    for (i = 0; i < a.n; i++)
        assert_int_equal(a.v[i].status, b.v[i].status);
    findings_clear(&a);
    findings_clear(&b);
    model_free(clean);
    model_free(holed);
}

/* A part above what a rule reads ("bgp/neighbor" under "bgp/neighbor/peer-as"), and "*", count too. */
static void
test_hole_above_and_anywhere(void **state)
{
    struct er_model *clean = fx_load("good.json"), *holed = fx_load("good.json"), *all = fx_load("good.json");
    struct findings a, b, c;
    size_t before[5], after[5], any[5];

    (void)state;
    hole(holed, "er1", "bgp/neighbor", "netconf/running.xml:9: /bgp/neighbors/neighbor: broken");
    hole(all, "er1", "*", "netconf/running.xml:2: /bgp: broken");
    fx_run("PEER-003", clean, &a);
    fx_run("PEER-003", holed, &b);
    fx_run("PEER-003", all, &c);
    tally(&a, "er1", before);
    tally(&b, "er1", after);
    tally(&c, "er1", any);
    assert_true(before[ST_PASS] + before[ST_FAIL] > 0);
    assert_int_equal(after[ST_PASS] + after[ST_FAIL], 0);
    assert_int_equal(any[ST_PASS] + any[ST_FAIL], 0);
    findings_clear(&a);
    findings_clear(&b);
    findings_clear(&c);
    model_free(clean);
    model_free(holed);
    model_free(all);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hole_makes_reading_rules_not_evaluated),
        cmocka_unit_test(test_hole_above_and_anywhere),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
