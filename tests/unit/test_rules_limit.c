/**
 * @file test_rules_limit.c
 * @brief PEER-013 (rules/peer_limit.c): an inbound maximum-prefix limit on
 * every Microsoft session. Runs over the good network of
 * tests/unit/data/rules/good.json (a limit of 1000 on each Microsoft
 * session) and over copies with one change: a limit removed, a limit with no
 * headroom, a device read only over SNMP, a neighbor whose limit could not
 * be read, each named source model's own statement in the evidence.
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

static void
run(const struct er_model *m, struct findings *f)
{
    struct rule_ctx rc = {.rule = rules_builtin_find("PEER-013"), .m = m, .ref = ref, .out = f};

    assert_non_null(rc.rule);
    memset(f, 0, sizeof *f);
    rc.rule->check(&rc);
    assert_int_equal(rc.rc, ER_OK);
}

/* The finding of @p f about neighbor @p addr (its message names it); the test fails when there is none. */
static const struct finding *
about(const struct findings *f, const char *addr)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (strstr(f->v[i].message, addr))
            return &f->v[i];
    }
    fail_msg("no PEER-013 finding about %s", addr);
    return NULL;
}

static size_t
count(const struct findings *f, enum er_status st)
{
    size_t i, n = 0;

    for (i = 0; i < f->n; i++)
        n += f->v[i].status == st;
    return n;
}

static struct lyd_node *
nb(struct er_model *m, const char *dev, const char *addr)
{
    struct lyd_node *n = model_find(model_child(model_find_device(m, dev), "bgp"), "neighbor", addr);

    assert_non_null(n);
    return n;
}

/* The good network passes on every Microsoft session, with the limit as evidence. */
static void
test_pass(void **state)
{
    struct er_model *m = fx_load("good.json");
    struct findings f;
    const struct finding *x;

    (void)state;
    run(m, &f);
    assert_int_equal(count(&f, ST_PASS), 4);
    assert_int_equal(count(&f, ST_FAIL) + count(&f, ST_NOT_EVALUATED), 0);
    x = about(&f, "91.198.1.2");
    assert_string_equal(x->device, "er1");
    assert_string_equal(x->seen, "limit 1000 prefixes on 91.198.1.2");
    assert_string_equal(x->path, "/eraudit-network:network/device[name='er1']/bgp/neighbor[address='91.198.1.2']"
            "/max-prefix");
    assert_int_equal(x->source, SRC_CONFIG);
    findings_clear(&f);
    model_free(m);
}

/* A session without a limit fails, pointing at the neighbor and at the statement of its source model. */
static void
test_fail_missing_and_native(void **state)
{
    static const struct {
        const char *model, *needle;
    } cases[] = {
        {"junos", "neighbor 91.198.2.6 family inet unicast prefix-limit maximum"},
        {"ios-xe", "neighbor 91.198.2.6 maximum-prefix"},
        {"ios-xr", "neighbor 91.198.2.6 address-family ipv4 unicast maximum-prefix"},
        {"openconfig", "ipv4-unicast/prefix-limit/config/max-prefixes"},
    };
    struct findings f;
    const struct finding *x;
    struct er_err err = {0};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct er_model *m = fx_load("good.json");
        struct lyd_node *n = nb(m, "er3", "91.198.2.6");

        lyd_free_tree(model_child(n, "max-prefix"));
        assert_int_equal(model_leaflist(model_find_device(m, "er3"), "source-model", cases[i].model, &err), ER_OK);
        run(m, &f);
        assert_int_equal(count(&f, ST_FAIL), 1);
        x = about(&f, "91.198.2.6");
        assert_int_equal(x->status, ST_FAIL);
        assert_string_equal(x->device, "er3");
        assert_string_equal(x->circuit, "c2");
        assert_int_equal(x->sev, SEV_MEDIUM);
        assert_non_null(strstr(x->message, "accepts any number of prefixes"));
        assert_string_equal(x->path, "/eraudit-network:network/device[name='er3']/bgp/neighbor[address='91.198.2.6']");
        assert_string_equal(x->seen, "no prefix limit on 91.198.2.6");
        if (!strstr(x->expected, cases[i].needle))
            fail_msg("%s: expected '%s' names no '%s'", cases[i].model, x->expected, cases[i].needle);
        assert_non_null(x->remediation);
        /* The other session of the circuit keeps its pass. */
        assert_int_equal(about(&f, "91.198.2.2")->status, ST_PASS);
        findings_clear(&f);
        model_free(m);
    }
}

/* A limit at or below what the session receives already fails: the next update tears it down. */
static void
test_fail_no_headroom(void **state)
{
    struct er_model *m = fx_load("good.json");
    struct findings f;
    const struct finding *x;

    (void)state;
    set(nb(m, "er1", "91.198.1.2"), "max-prefix", "150");
    set(nb(m, "er2", "91.198.1.6"), "max-prefix", "151");
    run(m, &f);
    x = about(&f, "91.198.1.2");
    assert_int_equal(x->status, ST_FAIL);
    assert_string_equal(x->seen, "limit 150 on 91.198.1.2, 150 prefixes received");
    assert_int_equal(about(&f, "91.198.1.6")->status, ST_PASS);
    findings_clear(&f);
    model_free(m);
}

/* Not evaluated: a device read only over SNMP, a limit that could not be read, a failed device. */
static void
test_not_evaluated(void **state)
{
    struct er_model *m = fx_load("good.json");
    struct lyd_node *col, *sk;
    struct findings f;
    struct er_err err = {0};
    const struct finding *x;

    (void)state;
    /* er1 read over SNMP only: no configuration, so no verdict on its limit (it is missing here). */
    lyd_free_tree(model_child(nb(m, "er1", "91.198.1.2"), "max-prefix"));
    assert_int_equal(model_leaflist(model_find_device(m, "er1"), "source-model", "bgp4-mib", &err), ER_OK);
    /* er3's limit on one neighbor was refused by the mapper: the part is recorded as skipped. */
    lyd_free_tree(model_child(nb(m, "er3", "91.198.2.6"), "max-prefix"));
    assert_int_equal(model_cont(model_find_device(m, "er3"), "collection", &col, &err), ER_OK);
    set(col, "status", "partial");
    sk = list(col, "skipped", "bgp/neighbor/max-prefix");
    set(sk, "count", "1");
    assert_int_equal(model_leaflist(sk, "element", "netconf/running.xml:88: /configuration/protocols/bgp/group"
            "[name='ms']/neighbor[name='91.198.2.6']/family/inet/unicast/prefix-limit/maximum: value 'x' refused",
            &err), ER_OK);
    /* er2 not collected at all. */
    assert_int_equal(model_cont(model_find_device(m, "er2"), "collection", &col, &err), ER_OK);
    set(col, "status", "failed");
    set(col, "reason", "connection refused");
    run(m, &f);
    assert_int_equal(count(&f, ST_FAIL), 0);
    x = about(&f, "91.198.1.2");
    assert_int_equal(x->status, ST_NOT_EVALUATED);
    assert_non_null(strstr(x->message, "no configuration collected"));
    x = about(&f, "91.198.2.6");
    assert_int_equal(x->status, ST_NOT_EVALUATED);
    assert_non_null(strstr(x->message, "of bgp/neighbor/max-prefix skipped (netconf/running.xml:88:"));
    assert_null(x->path);
    /* The hole is the device's: its other neighbor is not judged either. */
    assert_int_equal(about(&f, "91.198.2.2")->status, ST_NOT_EVALUATED);
    x = about(&f, "er2: not collected");
    assert_int_equal(x->status, ST_NOT_EVALUATED);
    findings_clear(&f);
    model_free(m);
}

/* No Microsoft session in the network: the rule says so instead of passing. */
static void
test_no_sessions(void **state)
{
    struct er_model *m = fx_load("good.json");
    struct lyd_node *d;
    struct findings f;

    (void)state;
    MODEL_FOR(m->net, "device", d) {
        struct lyd_node *n, *next;

        for (n = model_child(model_child(d, "bgp"), "neighbor"); n; n = next) {
            next = model_next(n);
            lyd_free_tree(n);
        }
    }
    model_cache_reset();
    run(m, &f);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.v[0].status, ST_NOT_EVALUATED);
    assert_non_null(strstr(f.v[0].message, "no Microsoft BGP neighbor"));
    findings_clear(&f);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pass),
        cmocka_unit_test(test_fail_missing_and_native),
        cmocka_unit_test(test_fail_no_headroom),
        cmocka_unit_test(test_not_evaluated),
        cmocka_unit_test(test_no_sessions),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
