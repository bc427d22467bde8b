/*
 * Unit tests of the rules added on top of the spine (PEER-003..013,
 * GEO-002..004, WAN-001, SEC-003, CLI-001): each runs over the good network
 * of tests/unit/data/rules/good.json and over copies with one deliberate
 * change made here, so each case shows what changed.
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

/* The good network of tests/unit/data/rules/good.json. */
static struct er_model *
load(void)
{
    return fx_load("good.json");
}

static void
test_peer003(void **state)
{
    struct er_model *m = load();
    struct lyd_node *ifc, *ad;
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("PEER-003", m, &f);
    assert_int_equal(fx_count(&f, ST_FAIL, NULL), 0);
    x = fx_find(&f, ST_PASS, NULL, "91.198.1.0/30 to 91.198.1.2");
    assert_string_equal(x->expected, "a public /30, 91.198.1.1 for you and 91.198.1.2 for Microsoft");
    findings_clear(&f);

    /* er1 takes the third address of its link; er3's secondary link becomes a /29. */
    ifc = model_find(fx_dev(m, "er1"), "interface", "xe0");
    lyd_free_tree(model_find(ifc, "address", "91.198.1.1"));
    ad = list(ifc, "address", "91.198.1.3");
    set(ad, "prefix-length", "30");
    set(model_find(model_find(fx_dev(m, "er3"), "interface", "xe1"), "address", "91.198.2.5"), "prefix-length", "29");
    fx_run("PEER-003", m, &f);
    x = fx_find(&f, ST_FAIL, NULL, "your address 91.198.1.3 is not the first usable one");
    assert_string_equal(x->device, "er1");
    assert_int_equal(x->source, SRC_CONFIG);
    fx_find(&f, ST_FAIL, NULL, "the subnet is a /29, not a /30");
    fx_done(m, &f);
}

static void
test_peer004(void **state)
{
    static const struct {
        const char *as, *msg;
        enum er_status st;
    } cases[] = {
        {"65516", "reserved by Microsoft", ST_FAIL}, {"64500", "reserved for documentation", ST_FAIL},
        {"23456", "is reserved", ST_FAIL}, {"3320", "public AS 3320", ST_PASS},
        {"4200000001", "private AS 4200000001 is accepted", ST_PASS},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct er_model *m = load();
        struct findings f;
        const struct finding *x;

        set(model_child(fx_dev(m, "er1"), "bgp"), "local-as", cases[i].as);
        fx_run("PEER-004", m, &f);
        x = fx_find(&f, cases[i].st, NULL, cases[i].msg);
        assert_string_equal(x->device, "er1");
        fx_done(m, &f);
    }
}

static void
test_peer007(void **state)
{
    struct er_model *m = load();
    struct lyd_node *c = model_find(m->net, "circuit", "c1"), *ap;
    struct er_err err = {0};
    struct findings f;

    (void)state;
    /* No registered prefixes in the inventory: nothing to compare with. */
    fx_run("PEER-007", m, &f);
    assert_int_equal(fx_count(&f, ST_PASS, NULL) + fx_count(&f, ST_FAIL, NULL), 0);
    findings_clear(&f);
    assert_int_equal(model_leaflist(c, "registered-prefix", "91.198.10.0/24", &err), ER_OK);
    ap = fx_nb(m, "er1", "91.198.1.2");
    if (!model_child(ap, "advertised-prefix"))
        assert_int_equal(model_leaflist(ap, "advertised-prefix", "91.198.10.0/24", &err), ER_OK);
    assert_int_equal(model_leaflist(ap, "advertised-prefix", "91.198.99.0/24", &err), ER_OK);
    fx_run("PEER-007", m, &f);
    fx_find(&f, ST_FAIL, NULL, "91.198.99.0/24 is advertised to Microsoft but not registered for circuit c1");
    fx_done(m, &f);
}

static void
test_peer010_011_012(void **state)
{
    struct er_model *m = load();
    struct findings f;
    const struct finding *x;

    (void)state;
    set(fx_nb(m, "er1", "91.198.1.2"), "bfd", "true");
    fx_run("PEER-010", m, &f);
    fx_find(&f, ST_PASS, NULL, "BFD protects the session with 91.198.1.2");
    x = fx_find(&f, ST_FAIL, NULL, "no BFD on the session with 91.198.2.6");
    assert_string_equal(x->circuit, "c2");
    findings_clear(&f);

    set(model_child(fx_dev(m, "er3"), "bgp"), "ignore-as-path-length", "true");
    fx_run("PEER-011", m, &f);
    x = fx_find(&f, ST_FAIL, NULL, "ignores AS-path length");
    assert_string_equal(x->device, "er3");
    fx_find(&f, ST_PASS, NULL, "er1: AS-path length counts");
    findings_clear(&f);

    set(fx_nb(m, "er3", "91.198.2.2"), "md5", "true");
    set(fx_nb(m, "er1", "91.198.1.2"), "keepalive", "2");
    set(fx_nb(m, "er1", "91.198.1.2"), "hold-time", "6");
    fx_run("PEER-012", m, &f);
    fx_find(&f, ST_FAIL, NULL, "MD5 is set on 91.198.2.2 but not on the other session");
    fx_find(&f, ST_FAIL, NULL, "MD5 is missing on 91.198.2.6 but set on the other session");
    x = fx_find(&f, ST_FAIL, NULL, "keepalive 2 s toward 91.198.1.2 is below 3 s");
    assert_int_equal(x->sev, SEV_INFO);
    fx_find(&f, ST_PASS, NULL, "timers and MD5 of 91.198.1.6 are consistent");
    fx_done(m, &f);
}

static void
test_geo(void **state)
{
    struct er_model *m = load();
    struct lyd_node *t, *s;
    struct findings f;
    const struct finding *x;

    (void)state;
    set(model_find(m->net, "circuit", "c1"), "sku", "local");
    fx_run("GEO-002", m, &f);
    x = fx_find(&f, ST_FAIL, NULL, "Local SKU at Amsterdam does not reach North Europe");
    assert_string_equal(x->circuit, "c1");
    fx_find(&f, ST_PASS, NULL, "circuit c2: premium SKU");
    findings_clear(&f);

    t = model_child(m->net, "tenant");
    set(t, "cloud", "china");
    fx_run("GEO-003", m, &f);
    fx_find(&f, ST_FAIL, NULL, "circuit c1: a china environment needs ExpressRoute of its own cloud (China)");
    assert_int_equal(fx_count(&f, ST_FAIL, NULL), 2);
    findings_clear(&f);

    /* c2 ends on er3 twice; users in Europe have one peering location there. */
    s = list(t, "user-site", "paris");
    set(s, "geo-region", "Europe");
    set(s, "users", "500");
    fx_run("GEO-004", m, &f);
    fx_find(&f, ST_PASS, NULL, "circuit c1: the sessions end on different devices (er1, er2)");
    fx_find(&f, ST_FAIL, NULL, "circuit c2: primary and secondary end on the same device er3");
    fx_find(&f, ST_FAIL, NULL, "users in Europe depend on Amsterdam");
    fx_done(m, &f);
}

static void
test_wan001(void **state)
{
    struct er_model *m = load();
    struct lyd_node *ifc, *s, *t;
    struct findings f;

    (void)state;
    fx_run("WAN-001", m, &f);
    assert_int_equal(fx_count(&f, ST_NOT_EVALUATED, NULL), 1);
    findings_clear(&f);

    ifc = list(fx_dev(m, "wan1"), "interface", "wan0");
    set(ifc, "speed", "1000000000");
    set(ifc, "in-utilization", "91");
    set(ifc, "out-utilization", "20");
    fx_run("WAN-001", m, &f);
    fx_find(&f, ST_FAIL, NULL, "WAN link wan0 is saturated (91% used)");
    findings_clear(&f);

    /* Not busy, but slower than the site's share: 10 Gb/s of circuits, half the users at ams. */
    set(ifc, "in-utilization", "10");
    set(model_find(m->net, "circuit", "c1"), "bandwidth-mbps", "10000");
    t = model_child(m->net, "tenant");
    s = list(t, "user-site", "ams");
    set(s, "users", "100");
    s = list(t, "user-site", "iad");
    set(s, "users", "100");
    fx_run("WAN-001", m, &f);
    fx_find(&f, ST_FAIL, NULL, "WAN link wan0 (1000 Mb/s) is slower than the site's share of the circuits (5000 Mb/s)");
    fx_done(m, &f);
}

static void
test_sec003_cli001(void **state)
{
    struct er_model *m = load();
    struct lyd_node *r, *route, *p;
    struct findings f;

    (void)state;
    fx_run("SEC-003", m, &f);
    assert_int_equal(fx_count(&f, ST_FAIL, NULL), 0);
    findings_clear(&f);
    r = list(model_find(fx_dev(m, "fw1"), "filter", "from-er"), "rule", "5");
    set(r, "source", "PowerPlatformPlex");
    set(r, "action", "permit");
    fx_run("SEC-003", m, &f);
    fx_find(&f, ST_FAIL, NULL, "from-er trusts PowerPlatformPlex");
    findings_clear(&f);
    /* A prefix inside a services set counts as the tag. */
    set(r, "source", "40.64.1.0/24");
    fx_run("SEC-003", m, &f);
    fx_find(&f, ST_FAIL, NULL, "from-er trusts PowerPlatformInfra.WestEurope");
    findings_clear(&f);

    /* A default route on wan1 that leads into ExpressRoute. */
    route = list(model_child(fx_dev(m, "wan1"), "rib"), "route", "0.0.0.0/0");
    p = list(route, "path", "10.0.0.1");
    set(p, "as-path", "12076");
    set(p, "best", "true");
    fx_run("CLI-001", m, &f);
    fx_find(&f, ST_FAIL, NULL, "wan1: the default route leads into ExpressRoute");
    fx_find(&f, ST_PASS, NULL, "Internet routes from 198.18.0.1");
    fx_done(m, &f);
}

/* PEER-013: good.json limits every Microsoft session to 1000 prefixes; the evidence is the limit's node. */
static void
test_peer013_pass(void **state)
{
    struct er_model *m = load();
    struct findings f;
    const struct finding *x;

    (void)state;
    fx_run("PEER-013", m, &f);
    assert_int_equal(fx_count(&f, ST_PASS, NULL), 4);
    assert_int_equal(fx_count(&f, ST_FAIL, NULL) + fx_count(&f, ST_NOT_EVALUATED, NULL), 0);
    x = fx_find(&f, ST_PASS, NULL, "limit 1000 prefixes on 91.198.1.2");
    assert_string_equal(x->device, "er1");
    assert_string_equal(x->path, "/eraudit-network:network/device[name='er1']/bgp/neighbor[address='91.198.1.2']"
            "/max-prefix");
    assert_int_equal(x->source, SRC_CONFIG);
    fx_done(m, &f);
}

/* PEER-013: a session without a limit fails on the neighbor, naming the statement of the device's source model. */
static void
test_peer013_missing(void **state)
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
        struct er_model *m = load();

        lyd_free_tree(model_child(fx_nb(m, "er3", "91.198.2.6"), "max-prefix"));
        assert_int_equal(model_leaflist(fx_dev(m, "er3"), "source-model", cases[i].model, &err), ER_OK);
        fx_run("PEER-013", m, &f);
        assert_int_equal(fx_count(&f, ST_FAIL, NULL), 1);
        x = fx_find(&f, ST_FAIL, NULL, "the session with 91.198.2.6 accepts any number of prefixes");
        assert_string_equal(x->device, "er3");
        assert_string_equal(x->circuit, "c2");
        assert_int_equal(x->sev, SEV_MEDIUM);
        assert_string_equal(x->path, "/eraudit-network:network/device[name='er3']/bgp/neighbor[address='91.198.2.6']");
        assert_string_equal(x->seen, "no prefix limit on 91.198.2.6");
        if (!strstr(x->expected, cases[i].needle))
            fail_msg("%s: expected '%s' names no '%s'", cases[i].model, x->expected, cases[i].needle);
        assert_non_null(x->remediation);
        /* The other session of the circuit keeps its pass. */
        fx_find(&f, ST_PASS, NULL, "limit 1000 prefixes on 91.198.2.2");
        fx_done(m, &f);
    }
}

/* PEER-013: a limit at or below what the session receives already leaves no headroom. */
static void
test_peer013_no_headroom(void **state)
{
    struct er_model *m = load();
    struct findings f;

    (void)state;
    set(fx_nb(m, "er1", "91.198.1.2"), "max-prefix", "150");
    set(fx_nb(m, "er2", "91.198.1.6"), "max-prefix", "151");
    fx_run("PEER-013", m, &f);
    fx_find(&f, ST_FAIL, NULL, "limit 150 on 91.198.1.2, 150 prefixes received");
    fx_find(&f, ST_PASS, NULL, "limit 151 prefixes on 91.198.1.6");
    fx_done(m, &f);
}

/* PEER-013 not evaluated: a device read over SNMP only, a limit that could not be read, a failed device. */
static void
test_peer013_not_evaluated(void **state)
{
    struct er_model *m = load();
    struct lyd_node *col, *sk;
    struct findings f;
    struct er_err err = {0};
    const struct finding *x;

    (void)state;
    /* er1 read over SNMP only: its limit is missing here, which says nothing about the device. */
    lyd_free_tree(model_child(fx_nb(m, "er1", "91.198.1.2"), "max-prefix"));
    assert_int_equal(model_leaflist(fx_dev(m, "er1"), "source-model", "bgp4-mib", &err), ER_OK);
    /* er3's limit on one neighbor was refused by the mapper: the part is recorded as skipped. */
    lyd_free_tree(model_child(fx_nb(m, "er3", "91.198.2.6"), "max-prefix"));
    assert_int_equal(model_cont(fx_dev(m, "er3"), "collection", &col, &err), ER_OK);
    set(col, "status", "partial");
    sk = list(col, "skipped", "bgp/neighbor/max-prefix");
    set(sk, "count", "1");
    assert_int_equal(model_leaflist(sk, "element", "netconf/running.xml:88: /configuration/protocols/bgp/group"
            "[name='ms']/neighbor[name='91.198.2.6']/family/inet/unicast/prefix-limit/maximum: value 'x' refused",
            &err), ER_OK);
    /* er2 not collected at all. */
    assert_int_equal(model_cont(fx_dev(m, "er2"), "collection", &col, &err), ER_OK);
    set(col, "status", "failed");
    set(col, "reason", "connection refused");
    fx_run("PEER-013", m, &f);
    assert_int_equal(fx_count(&f, ST_FAIL, NULL) + fx_count(&f, ST_PASS, NULL), 0);
    fx_find(&f, ST_NOT_EVALUATED, NULL, "er1: no configuration collected for 91.198.1.2");
    x = fx_find(&f, ST_NOT_EVALUATED, NULL, "of bgp/neighbor/max-prefix skipped (netconf/running.xml:88:");
    assert_string_equal(x->device, "er3");
    assert_null(x->path);
    fx_find(&f, ST_NOT_EVALUATED, NULL, "er2: not collected (connection refused)");
    /* er1's one Microsoft session, both of er3's (the hole is the device's), er2 once by name. */
    assert_int_equal(fx_count(&f, ST_NOT_EVALUATED, NULL), 4);
    fx_done(m, &f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peer003),
        cmocka_unit_test(test_peer004),
        cmocka_unit_test(test_peer007),
        cmocka_unit_test(test_peer010_011_012),
        cmocka_unit_test(test_peer013_pass),
        cmocka_unit_test(test_peer013_missing),
        cmocka_unit_test(test_peer013_no_headroom),
        cmocka_unit_test(test_peer013_not_evaluated),
        cmocka_unit_test(test_geo),
        cmocka_unit_test(test_wan001),
        cmocka_unit_test(test_sec003_cli001),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
