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
run(const char *id, const struct er_model *m, struct findings *f)
{
    const struct rule *r;
    size_t n, i;
    struct rule_ctx rc = {.m = m, .ref = ref, .out = f};

    r = rules_builtin(&n);
    for (i = 0; i < n && strcmp(r[i].id, id); i++)
        ;
    assert_true(i < n);
    rc.rule = &r[i];
    memset(f, 0, sizeof *f);
    rc.rule->check(&rc);
    assert_int_equal(rc.rc, ER_OK);
    if (getenv("RULES_TEST_VERBOSE")) {
        for (i = 0; i < f->n; i++)
            fprintf(stderr, "%s %s %s | %s\n", id, status_name(f->v[i].status), f->v[i].message,
                    f->v[i].seen ? f->v[i].seen : "-");
    }
}

static int
has(const char *s, const char *sub)
{
    return s && strstr(s, sub);
}

static const struct finding *
find(const struct findings *f, enum er_status st, const char *sub)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (f->v[i].status == st && (has(f->v[i].message, sub) || has(f->v[i].seen, sub)))
            return &f->v[i];
    }
    fail_msg("no %s finding mentioning '%s'", status_name(st), sub);
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
dev(struct er_model *m, const char *name)
{
    struct lyd_node *d = model_find_device(m, name);

    assert_non_null(d);
    return d;
}

static struct lyd_node *
nb(struct er_model *m, const char *d, const char *addr)
{
    struct lyd_node *n = model_find(model_child(dev(m, d), "bgp"), "neighbor", addr);

    assert_non_null(n);
    return n;
}

static void
done(struct er_model *m, struct findings *f)
{
    findings_clear(f);
    model_free(m);
}

static void
test_peer003(void **state)
{
    struct er_model *m = load();
    struct lyd_node *ifc, *ad;
    const struct finding *x;
    struct findings f;

    (void)state;
    run("PEER-003", m, &f);
    assert_int_equal(count(&f, ST_FAIL), 0);
    x = find(&f, ST_PASS, "91.198.1.0/30 to 91.198.1.2");
    assert_string_equal(x->expected, "a public /30, 91.198.1.1 for you and 91.198.1.2 for Microsoft");
    findings_clear(&f);

    /* er1 takes the third address of its link; er3's secondary link becomes a /29. */
    ifc = model_find(dev(m, "er1"), "interface", "xe0");
    lyd_free_tree(model_find(ifc, "address", "91.198.1.1"));
    ad = list(ifc, "address", "91.198.1.3");
    set(ad, "prefix-length", "30");
    set(model_find(model_find(dev(m, "er3"), "interface", "xe1"), "address", "91.198.2.5"), "prefix-length", "29");
    run("PEER-003", m, &f);
    x = find(&f, ST_FAIL, "your address 91.198.1.3 is not the first usable one");
    assert_string_equal(x->device, "er1");
    assert_int_equal(x->source, SRC_CONFIG);
    find(&f, ST_FAIL, "the subnet is a /29, not a /30");
    done(m, &f);
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

        set(model_child(dev(m, "er1"), "bgp"), "local-as", cases[i].as);
        run("PEER-004", m, &f);
        x = find(&f, cases[i].st, cases[i].msg);
        assert_string_equal(x->device, "er1");
        done(m, &f);
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
    run("PEER-007", m, &f);
    assert_int_equal(count(&f, ST_PASS) + count(&f, ST_FAIL), 0);
    findings_clear(&f);
    assert_int_equal(model_leaflist(c, "registered-prefix", "91.198.10.0/24", &err), ER_OK);
    ap = nb(m, "er1", "91.198.1.2");
    if (!model_child(ap, "advertised-prefix"))
        assert_int_equal(model_leaflist(ap, "advertised-prefix", "91.198.10.0/24", &err), ER_OK);
    assert_int_equal(model_leaflist(ap, "advertised-prefix", "91.198.99.0/24", &err), ER_OK);
    run("PEER-007", m, &f);
    find(&f, ST_FAIL, "91.198.99.0/24 is advertised to Microsoft but not registered for circuit c1");
    done(m, &f);
}

static void
test_peer010_011_012(void **state)
{
    struct er_model *m = load();
    struct findings f;
    const struct finding *x;

    (void)state;
    set(nb(m, "er1", "91.198.1.2"), "bfd", "true");
    run("PEER-010", m, &f);
    find(&f, ST_PASS, "BFD protects the session with 91.198.1.2");
    x = find(&f, ST_FAIL, "no BFD on the session with 91.198.2.6");
    assert_string_equal(x->circuit, "c2");
    findings_clear(&f);

    set(model_child(dev(m, "er3"), "bgp"), "ignore-as-path-length", "true");
    run("PEER-011", m, &f);
    x = find(&f, ST_FAIL, "ignores AS-path length");
    assert_string_equal(x->device, "er3");
    find(&f, ST_PASS, "er1: AS-path length counts");
    findings_clear(&f);

    set(nb(m, "er3", "91.198.2.2"), "md5", "true");
    set(nb(m, "er1", "91.198.1.2"), "keepalive", "2");
    set(nb(m, "er1", "91.198.1.2"), "hold-time", "6");
    run("PEER-012", m, &f);
    find(&f, ST_FAIL, "MD5 is set on 91.198.2.2 but not on the other session");
    find(&f, ST_FAIL, "MD5 is missing on 91.198.2.6 but set on the other session");
    x = find(&f, ST_FAIL, "keepalive 2 s toward 91.198.1.2 is below 3 s");
    assert_int_equal(x->sev, SEV_INFO);
    find(&f, ST_PASS, "timers and MD5 of 91.198.1.6 are consistent");
    done(m, &f);
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
    run("GEO-002", m, &f);
    x = find(&f, ST_FAIL, "Local SKU at Amsterdam does not reach North Europe");
    assert_string_equal(x->circuit, "c1");
    find(&f, ST_PASS, "circuit c2: premium SKU");
    findings_clear(&f);

    t = model_child(m->net, "tenant");
    set(t, "cloud", "china");
    run("GEO-003", m, &f);
    find(&f, ST_FAIL, "circuit c1: a china environment needs ExpressRoute of its own cloud (China)");
    assert_int_equal(count(&f, ST_FAIL), 2);
    findings_clear(&f);

    /* c2 ends on er3 twice; users in Europe have one peering location there. */
    s = list(t, "user-site", "paris");
    set(s, "geo-region", "Europe");
    set(s, "users", "500");
    run("GEO-004", m, &f);
    find(&f, ST_PASS, "circuit c1: the sessions end on different devices (er1, er2)");
    find(&f, ST_FAIL, "circuit c2: primary and secondary end on the same device er3");
    find(&f, ST_FAIL, "users in Europe depend on Amsterdam");
    done(m, &f);
}

static void
test_wan001(void **state)
{
    struct er_model *m = load();
    struct lyd_node *ifc, *s, *t;
    struct findings f;

    (void)state;
    run("WAN-001", m, &f);
    assert_int_equal(count(&f, ST_NOT_EVALUATED), 1);
    findings_clear(&f);

    ifc = list(dev(m, "wan1"), "interface", "wan0");
    set(ifc, "speed", "1000000000");
    set(ifc, "in-utilization", "91");
    set(ifc, "out-utilization", "20");
    run("WAN-001", m, &f);
    find(&f, ST_FAIL, "WAN link wan0 is saturated (91% used)");
    findings_clear(&f);

    /* Not busy, but slower than the site's share: 10 Gb/s of circuits, half the users at ams. */
    set(ifc, "in-utilization", "10");
    set(model_find(m->net, "circuit", "c1"), "bandwidth-mbps", "10000");
    t = model_child(m->net, "tenant");
    s = list(t, "user-site", "ams");
    set(s, "users", "100");
    s = list(t, "user-site", "iad");
    set(s, "users", "100");
    run("WAN-001", m, &f);
    find(&f, ST_FAIL, "WAN link wan0 (1000 Mb/s) is slower than the site's share of the circuits (5000 Mb/s)");
    done(m, &f);
}

static void
test_sec003_cli001(void **state)
{
    struct er_model *m = load();
    struct lyd_node *r, *route, *p;
    struct findings f;

    (void)state;
    run("SEC-003", m, &f);
    assert_int_equal(count(&f, ST_FAIL), 0);
    findings_clear(&f);
    r = list(model_find(dev(m, "fw1"), "filter", "from-er"), "rule", "5");
    set(r, "source", "PowerPlatformPlex");
    set(r, "action", "permit");
    run("SEC-003", m, &f);
    find(&f, ST_FAIL, "from-er trusts PowerPlatformPlex");
    findings_clear(&f);
    /* A prefix inside a services set counts as the tag. */
    set(r, "source", "40.64.1.0/24");
    run("SEC-003", m, &f);
    find(&f, ST_FAIL, "from-er trusts PowerPlatformInfra.WestEurope");
    findings_clear(&f);

    /* A default route on wan1 that leads into ExpressRoute. */
    route = list(model_child(dev(m, "wan1"), "rib"), "route", "0.0.0.0/0");
    p = list(route, "path", "10.0.0.1");
    set(p, "as-path", "12076");
    set(p, "best", "true");
    run("CLI-001", m, &f);
    find(&f, ST_FAIL, "wan1: the default route leads into ExpressRoute");
    find(&f, ST_PASS, "Internet routes from 198.18.0.1");
    done(m, &f);
}

/* PEER-013: good.json limits every Microsoft session to 1000 prefixes; the evidence is the limit's node. */
static void
test_peer013_pass(void **state)
{
    struct er_model *m = load();
    struct findings f;
    const struct finding *x;

    (void)state;
    run("PEER-013", m, &f);
    assert_int_equal(count(&f, ST_PASS), 4);
    assert_int_equal(count(&f, ST_FAIL) + count(&f, ST_NOT_EVALUATED), 0);
    x = find(&f, ST_PASS, "limit 1000 prefixes on 91.198.1.2");
    assert_string_equal(x->device, "er1");
    assert_string_equal(x->path, "/eraudit-network:network/device[name='er1']/bgp/neighbor[address='91.198.1.2']"
            "/max-prefix");
    assert_int_equal(x->source, SRC_CONFIG);
    done(m, &f);
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

        lyd_free_tree(model_child(nb(m, "er3", "91.198.2.6"), "max-prefix"));
        assert_int_equal(model_leaflist(dev(m, "er3"), "source-model", cases[i].model, &err), ER_OK);
        run("PEER-013", m, &f);
        assert_int_equal(count(&f, ST_FAIL), 1);
        x = find(&f, ST_FAIL, "the session with 91.198.2.6 accepts any number of prefixes");
        assert_string_equal(x->device, "er3");
        assert_string_equal(x->circuit, "c2");
        assert_int_equal(x->sev, SEV_MEDIUM);
        assert_string_equal(x->path, "/eraudit-network:network/device[name='er3']/bgp/neighbor[address='91.198.2.6']");
        assert_string_equal(x->seen, "no prefix limit on 91.198.2.6");
        if (!strstr(x->expected, cases[i].needle))
            fail_msg("%s: expected '%s' names no '%s'", cases[i].model, x->expected, cases[i].needle);
        assert_non_null(x->remediation);
        /* The other session of the circuit keeps its pass. */
        find(&f, ST_PASS, "limit 1000 prefixes on 91.198.2.2");
        done(m, &f);
    }
}

/* PEER-013: a limit at or below what the session receives already leaves no headroom. */
static void
test_peer013_no_headroom(void **state)
{
    struct er_model *m = load();
    struct findings f;

    (void)state;
    set(nb(m, "er1", "91.198.1.2"), "max-prefix", "150");
    set(nb(m, "er2", "91.198.1.6"), "max-prefix", "151");
    run("PEER-013", m, &f);
    find(&f, ST_FAIL, "limit 150 on 91.198.1.2, 150 prefixes received");
    find(&f, ST_PASS, "limit 151 prefixes on 91.198.1.6");
    done(m, &f);
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
    lyd_free_tree(model_child(nb(m, "er1", "91.198.1.2"), "max-prefix"));
    assert_int_equal(model_leaflist(dev(m, "er1"), "source-model", "bgp4-mib", &err), ER_OK);
    /* er3's limit on one neighbor was refused by the mapper: the part is recorded as skipped. */
    lyd_free_tree(model_child(nb(m, "er3", "91.198.2.6"), "max-prefix"));
    assert_int_equal(model_cont(dev(m, "er3"), "collection", &col, &err), ER_OK);
    set(col, "status", "partial");
    sk = list(col, "skipped", "bgp/neighbor/max-prefix");
    set(sk, "count", "1");
    assert_int_equal(model_leaflist(sk, "element", "netconf/running.xml:88: /configuration/protocols/bgp/group"
            "[name='ms']/neighbor[name='91.198.2.6']/family/inet/unicast/prefix-limit/maximum: value 'x' refused",
            &err), ER_OK);
    /* er2 not collected at all. */
    assert_int_equal(model_cont(dev(m, "er2"), "collection", &col, &err), ER_OK);
    set(col, "status", "failed");
    set(col, "reason", "connection refused");
    run("PEER-013", m, &f);
    assert_int_equal(count(&f, ST_FAIL) + count(&f, ST_PASS), 0);
    find(&f, ST_NOT_EVALUATED, "er1: no configuration collected for 91.198.1.2");
    x = find(&f, ST_NOT_EVALUATED, "of bgp/neighbor/max-prefix skipped (netconf/running.xml:88:");
    assert_string_equal(x->device, "er3");
    assert_null(x->path);
    find(&f, ST_NOT_EVALUATED, "er2: not collected (connection refused)");
    /* er1's one Microsoft session, both of er3's (the hole is the device's), er2 once by name. */
    assert_int_equal(count(&f, ST_NOT_EVALUATED), 4);
    done(m, &f);
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
