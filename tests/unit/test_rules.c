/*
 * Unit tests of the built-in rules: each rule runs over a small network
 * (tests/unit/data/rules/good.json, where everything is right) and over
 * copies of it with one deliberate problem, made in the test itself so
 * each case shows exactly what changed.
 *
 * One file over 600 lines: one case per rule, each a few lines against the
 * same fixture (rules_fixture.h); splitting by family would scatter the list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rule.h"
#include "engine.h"
#include "model.h"

#include "rules_fixture.h"

/* The network tests/unit/data/rules/NAME. */
static struct er_model *
load(const char *name)
{
    return fx_load(name);
}

/* Number of findings with status @p st whose message, seen or expected holds @p sub. */
static size_t
nfind(const struct findings *f, enum er_status st, const char *sub)
{
    size_t i, n = 0;

    for (i = 0; i < f->n; i++) {
        const struct finding *x = &f->v[i];

        n += x->status == st && (fx_has(x->message, sub) || fx_has(x->seen, sub) || fx_has(x->expected, sub));
    }
    return n;
}
/* Remove every instance of @p leaf (one leaf, or a whole leaf-list). */
static void
del(struct lyd_node *node, const char *leaf)
{
    struct lyd_node *c = model_child(node, leaf);

    assert_non_null(c);
    while ((c = model_child(node, leaf)))
        lyd_free_tree(c);
}

static struct lyd_node *
rib_path(struct er_model *m, const char *d, const char *prefix, const char *source)
{
    struct lyd_node *r = model_find(model_child(fx_dev(m, d), "rib"), "route", prefix), *p;

    assert_non_null(r);
    p = model_find(r, "path", source);
    assert_non_null(p);
    return p;
}

/* ---- the table ---- */

static void
test_table(void **state)
{
    static const char *const order[] = {"PEER-001", "PEER-002", "PEER-003", "PEER-004", "PEER-005", "PEER-006",
        "PEER-007", "PEER-008", "PEER-009", "PEER-010", "PEER-011", "PEER-012", "PEER-013", "PREF-001", "PREF-002",
        "PREF-003", "NAT-001", "NAT-002", "NAT-003", "NAT-004", "NAT-005", "ASYM-001", "ASYM-002", "ASYM-003",
        "SEC-001", "SEC-002", "SEC-003", "GEO-001", "GEO-002", "GEO-003", "GEO-004", "CLI-001", "CLI-002", "WAN-001"};
    struct er_err err = {0};
    const struct rule *r;
    size_t n, i;

    (void)state;
    r = rules_builtin(&n);
    assert_int_equal(n, sizeof order / sizeof order[0]);
    for (i = 0; i < n; i++) {
        assert_string_equal(r[i].id, order[i]);
        assert_non_null(r[i].title);
        assert_non_null(r[i].remediation);
        assert_non_null(r[i].paths);
        assert_non_null(r[i].paths[0]);
    }
    /* Every schema path a rule reads exists in the model. */
    if (engine_check_paths(ctx, r, n, &err))
        fail_msg("%s", err.msg);
}

/* ---- the good network: every rule passes with evidence ---- */

static void
test_good_network(void **state)
{
    static const char *const ids[] = {"PEER-001", "PEER-002", "PEER-005", "PEER-006", "PEER-008", "PREF-001",
        "PREF-002", "NAT-001", "NAT-002", "NAT-003", "NAT-004", "NAT-005", "ASYM-001", "SEC-001", "GEO-001"};
    struct er_model *m = load("good.json");
    struct findings f;
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        fx_run(ids[i], m, &f);
        if (fx_count(&f, ST_FAIL, NULL) || fx_count(&f, ST_NOT_EVALUATED, NULL))
            fail_msg("%s: %zu failures, %zu not evaluated on the good network (first: %s)", ids[i],
                    fx_count(&f, ST_FAIL, NULL), fx_count(&f, ST_NOT_EVALUATED, NULL), f.n ? f.v[0].message : "-");
        assert_true(fx_count(&f, ST_PASS, NULL) > 0);
        for (j = 0; j < f.n; j++) {
            /* A pass carries evidence too. */
            assert_non_null(f.v[j].seen);
            assert_non_null(f.v[j].expected);
            assert_string_equal(f.v[j].rule, ids[i]);
        }
        findings_clear(&f);
    }
    model_free(m);
}

/* ---- Peering ---- */

static void
test_peer001(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("PEER-001", m, &f);
    x = fx_find(&f, ST_PASS, "er1", "neighbor 91.198.1.2 AS 12076");
    assert_true(fx_has(x->seen, "on link interface xe0"));
    assert_int_equal(fx_count(&f, ST_PASS, NULL), 4);
    findings_clear(&f);

    /* er3 loses both Microsoft sessions. */
    set(fx_nb(m, "er3", "91.198.2.2"), "peer-as", "64999");
    set(fx_nb(m, "er3", "91.198.2.6"), "peer-as", "64999");
    fx_run("PEER-001", m, &f);
    x = fx_find(&f, ST_FAIL, "er3", "no BGP session with Microsoft");
    assert_true(fx_has(x->seen, "2 BGP neighbors, none with remote AS 12076"));
    assert_int_equal(x->sev, SEV_CRITICAL);
    assert_int_equal(x->source, SRC_CONFIG);
    assert_non_null(x->remediation);
    assert_int_equal(fx_count(&f, ST_PASS, "er3"), 0);
    assert_int_equal(fx_count(&f, ST_PASS, "er1"), 1);
    fx_done(m, &f);
}

static void
test_peer001_failed_device(void **state)
{
    struct er_model *m = load("good.json");
    struct lyd_node *col = NULL;
    struct er_err err = {0};
    struct findings f;

    (void)state;
    assert_int_equal(model_cont(fx_dev(m, "er2"), "collection", &col, &err), ER_OK);
    set(col, "status", "failed");
    set(col, "reason", "timeout");
    fx_run("PEER-001", m, &f);
    /* Never a pass for a device without data. */
    assert_int_equal(fx_count(&f, ST_PASS, "er2"), 0);
    assert_int_equal(fx_count(&f, ST_FAIL, "er2"), 0);
    assert_true(fx_has(fx_find(&f, ST_NOT_EVALUATED, "er2", "not collected")->message, "timeout"));
    fx_done(m, &f);
}

static void
test_peer002(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("PEER-002", m, &f);
    assert_int_equal(fx_count(&f, ST_PASS, NULL), 4);
    x = fx_find(&f, ST_PASS, "er2", "secondary session 91.198.1.6");
    assert_string_equal(x->circuit, "c1");
    findings_clear(&f);

    set(fx_nb(m, "er2", "91.198.1.6"), "state", "active");
    del(fx_nb(m, "er3", "91.198.2.6"), "state");
    fx_run("PEER-002", m, &f);
    x = fx_find(&f, ST_FAIL, "er2", "not established");
    assert_string_equal(x->seen, "secondary session 91.198.1.6: active");
    assert_string_equal(x->expected, "established");
    assert_int_equal(x->source, SRC_STATE);
    assert_true(fx_has(fx_find(&f, ST_NOT_EVALUATED, "er3", "no BGP session state")->message, "91.198.2.6"));
    assert_int_equal(fx_count(&f, ST_PASS, NULL), 2);
    findings_clear(&f);

    /* A circuit end that names a neighbor the device does not have. */
    set(model_child(model_find(m->net, "circuit", "c1"), "secondary"), "neighbor", "91.198.1.10");
    fx_run("PEER-002", m, &f);
    assert_true(fx_has(fx_find(&f, ST_FAIL, "er2", "not configured")->seen, "no BGP neighbor 91.198.1.10 on er2"));
    fx_done(m, &f);
}

static void
test_peer005(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;
    char p[32];
    int i;

    (void)state;
    /* 201 prefixes on er1: over the limit; 185 on er3's primary: early warning. */
    for (i = 0; i < 200; i++) {
        snprintf(p, sizeof p, "91.199.%d.0/24", i);
        fx_add(fx_nb(m, "er1", "91.198.1.2"), "advertised-prefix", p);
        if (i < 184)
            fx_add(fx_nb(m, "er3", "91.198.2.2"), "advertised-prefix", p);
    }
    /* Only a count on er2. */
    del(fx_nb(m, "er2", "91.198.1.6"), "advertised-prefix");
    set(fx_nb(m, "er2", "91.198.1.6"), "prefixes-advertised", "12");
    fx_run("PEER-005", m, &f);
    x = fx_find(&f, ST_FAIL, "er1", "over the limit");
    assert_int_equal(x->sev, SEV_CRITICAL);
    assert_string_equal(x->seen, "201 prefixes advertised to 91.198.1.2");
    x = fx_find(&f, ST_FAIL, "er3", "close to the limit");
    assert_int_equal(x->sev, SEV_MEDIUM);
    assert_string_equal(x->seen, "185 prefixes advertised to 91.198.2.2");
    fx_find(&f, ST_PASS, "er2", "12 prefixes advertised");
    fx_find(&f, ST_PASS, "er3", "1 prefix advertised to 91.198.2.6");
    findings_clear(&f);

    del(fx_nb(m, "er2", "91.198.1.6"), "prefixes-advertised");
    fx_run("PEER-005", m, &f);
    fx_find(&f, ST_NOT_EVALUATED, "er2", "no advertised prefixes collected");
    fx_done(m, &f);
}

static void
test_peer006(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_add(fx_nb(m, "er1", "91.198.1.2"), "advertised-prefix", "0.0.0.0/0");
    fx_add(fx_nb(m, "er1", "91.198.1.2"), "advertised-prefix", "10.1.0.0/24");
    fx_add(fx_nb(m, "er1", "91.198.1.2"), "advertised-prefix", "100.64.1.0/24");
    fx_add(fx_nb(m, "er1", "91.198.1.2"), "advertised-prefix", "91.198.1.0/30");
    fx_run("PEER-006", m, &f);
    assert_int_equal(fx_count(&f, ST_FAIL, "er1"), 4);
    assert_int_equal(fx_count(&f, ST_PASS, "er1"), 0);
    fx_find(&f, ST_FAIL, "er1", "0.0.0.0/0 advertised to 91.198.1.2: is a default route");
    fx_find(&f, ST_FAIL, "er1", "10.1.0.0/24 advertised to 91.198.1.2: is private");
    fx_find(&f, ST_FAIL, "er1", "100.64.1.0/24 advertised to 91.198.1.2: is private");
    x = fx_find(&f, ST_FAIL, "er1", "91.198.1.0/30 advertised to 91.198.1.2: overlaps a peering link subnet");
    assert_true(fx_has(x->path, "neighbor[address='91.198.1.2']"));
    fx_find(&f, ST_PASS, "er2", "1 prefix advertised to 91.198.1.6, public");
    fx_done(m, &f);
}

static void
test_peer008(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    set(fx_nb(m, "er3", "91.198.2.2"), "prefixes-received", "0");
    /* er1 has no count but a RIB with paths from its neighbor; er2 has neither. */
    del(fx_nb(m, "er1", "91.198.1.2"), "prefixes-received");
    del(fx_nb(m, "er2", "91.198.1.6"), "prefixes-received");
    set(fx_nb(m, "er3", "91.198.2.6"), "state", "idle");
    fx_run("PEER-008", m, &f);
    x = fx_find(&f, ST_FAIL, "er3", "receives no prefixes");
    assert_string_equal(x->seen, "established, 0 prefixes received from 91.198.2.2");
    fx_find(&f, ST_PASS, "er1", "routing table holds paths from 91.198.1.2");
    fx_find(&f, ST_NOT_EVALUATED, "er2", "neither a received-prefix count nor a routing table");
    fx_find(&f, ST_NOT_EVALUATED, "er3", "idle");
    findings_clear(&f);

    /* A RIB without any path from the Microsoft neighbor. */
    lyd_free_tree(model_find(model_child(fx_dev(m, "er1"), "rib"), "route", "40.64.0.0/16"));
    lyd_free_tree(model_find(model_child(fx_dev(m, "er1"), "rib"), "route", "52.96.0.0/14"));
    set(model_child(fx_dev(m, "er1"), "rib"), "routes-read", "5000");
    fx_run("PEER-008", m, &f);
    fx_find(&f, ST_FAIL, "er1", "no path from 91.198.1.2 in the routing table");
    fx_done(m, &f);
}

/* ---- BGP preferences ---- */

static void
test_pref001_state(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("PREF-001", m, &f);
    x = fx_find(&f, ST_PASS, "inet1", "routing table");
    assert_int_equal(x->source, SRC_STATE);
    assert_true(fx_has(x->seen, "2 routes toward Microsoft prefixes"));
    /* The configuration is judged too, per Microsoft prefix set. */
    x = fx_find(&f, ST_PASS, "er1", "PowerPlatformInfra.WestEurope: ExpressRoute (local-pref 200) beats the Internet (100) (config)");
    assert_int_equal(x->source, SRC_CONFIG);
    findings_clear(&f);

    /* The Internet path on inet1 gets local-pref 200: it ties with ExpressRoute. */
    set(rib_path(m, "inet1", "40.64.0.0/16", "198.18.0.1"), "local-preference", "200");
    /* wan1 prefers a path without Microsoft's AS. */
    set(rib_path(m, "wan1", "52.96.0.0/14", "10.0.0.1"), "as-path", "64600 8075");
    fx_run("PREF-001", m, &f);
    x = fx_find(&f, ST_FAIL, "inet1", "40.64.0.0/16");
    assert_true(fx_has(x->seen, "Internet path via 198.18.0.1 local-pref 200"));
    assert_string_equal(x->expected, "ExpressRoute path preferred (local-pref > 200)");
    assert_int_equal(x->source, SRC_STATE);
    assert_true(fx_has(x->path, "route[prefix='40.64.0.0/16']"));
    x = fx_find(&f, ST_FAIL, "wan1", "does not leave over ExpressRoute");
    assert_true(fx_has(x->seen, "best path via 10.0.0.1 (Internet)"));
    fx_find(&f, ST_PASS, "er1", "routing table");
    fx_done(m, &f);
}

static void
test_pref001_config(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    /* No RIB anywhere: the import policies decide. The Internet neighbor gets 200. */
    lyd_free_tree(model_child(fx_dev(m, "er1"), "rib"));
    lyd_free_tree(model_child(fx_dev(m, "inet1"), "rib"));
    lyd_free_tree(model_child(fx_dev(m, "wan1"), "rib"));
    set(fx_nb(m, "inet1", "198.18.0.1"), "local-preference", "200");
    fx_run("PREF-001", m, &f);
    /* er1's policy sets 200, the best ExpressRoute value: a tie is not a preference. */
    x = fx_find(&f, ST_FAIL, "er1", "PowerPlatformInfra.WestEurope: the Internet (local-pref 200)");
    assert_int_equal(x->source, SRC_CONFIG);
    assert_true(fx_has(x->seen, "ExpressRoute local-pref 200 via 91.198.1.2 on er1, from-ms/all"));
    assert_true(fx_has(x->seen, "Internet local-pref 200 via 198.18.0.1 on inet1"));
    assert_string_equal(x->expected, "ExpressRoute local-pref above 200");
    fx_find(&f, ST_FAIL, "er1", "AzureCloud.NorthEurope");
    assert_int_equal(fx_count(&f, ST_PASS, NULL), 0);
    fx_done(m, &f);
}

static void
test_pref002(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("PREF-002", m, &f);
    x = fx_find(&f, ST_PASS, "er2", "91.198.1.6");
    assert_true(fx_has(x->seen, "lowest local-pref 150"));
    assert_int_equal(x->source, SRC_CONFIG);
    findings_clear(&f);

    /* The backup session on er3 is tuned below the Internet's 120. */
    set(fx_nb(m, "er3", "91.198.2.6"), "local-preference", "110");
    set(fx_nb(m, "inet1", "198.18.0.1"), "local-preference", "120");
    fx_run("PREF-002", m, &f);
    x = fx_find(&f, ST_FAIL, "er3", "91.198.2.6");
    assert_string_equal(x->circuit, "c2");
    assert_true(fx_has(x->seen, "local-pref 110 via 91.198.2.6 on er3, local-preference set on the neighbor"));
    assert_string_equal(x->expected, "every ExpressRoute session's local-pref above 120");
    fx_find(&f, ST_PASS, "er3", "91.198.2.2");
    fx_done(m, &f);
}

/* ---- NAT and asymmetric routing ---- */

static void
test_nat001(void **state)
{
    struct er_model *m = load("good.json");
    struct lyd_node *pool;
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("NAT-001", m, &f);
    x = fx_find(&f, ST_PASS, "er1", "91.198.10.0/25");
    assert_true(fx_has(x->seen, "on xe0"));
    fx_find(&f, ST_PASS, "er3", "pool p2 translates to 91.198.11.0/24 on xe0");
    findings_clear(&f);

    /* er1 translates to a private range; er2's pool sits on another interface. */
    pool = model_find(model_child(fx_dev(m, "er1"), "nat"), "pool", "p1");
    del(pool, "prefix");
    fx_add(pool, "prefix", "172.16.5.0/24");
    set(model_find(model_child(fx_dev(m, "er2"), "nat"), "pool", "p1"), "interface", "ge9");
    fx_run("NAT-001", m, &f);
    x = fx_find(&f, ST_FAIL, "er1", "private 172.16.5.0/24");
    assert_true(fx_has(x->seen, "pool p1 translates to 172.16.5.0/24 on xe0"));
    assert_int_equal(fx_count(&f, ST_PASS, "er1"), 0);
    x = fx_find(&f, ST_FAIL, "er2", "not source-NATed");
    assert_string_equal(x->seen, "no source NAT rule or pool on xe0");
    fx_done(m, &f);
}

static void
test_nat002(void **state)
{
    struct er_model *m = load("good.json");
    struct lyd_node *pool;
    const struct finding *x;
    struct findings f;

    (void)state;
    /* The Internet edge reuses part of circuit c1's pool; c2's pool overlaps c1's. */
    pool = model_find(model_child(fx_dev(m, "inet1"), "nat"), "pool", "inet");
    fx_add(pool, "prefix", "91.198.10.64/26");
    pool = model_find(model_child(fx_dev(m, "er3"), "nat"), "pool", "p2");
    fx_add(pool, "prefix", "91.198.10.0/27");
    fx_run("NAT-002", m, &f);
    x = fx_find(&f, ST_FAIL, "er1", "Internet edge");
    assert_string_equal(x->seen, "pool p1 91.198.10.0/25 on er1 overlaps pool inet 91.198.10.64/26 on inet1 (Internet edge)");
    fx_find(&f, ST_FAIL, "er2", "overlaps pool inet 91.198.10.64/26");
    /* Cross-circuit overlap reported once per pair. */
    x = fx_find(&f, ST_FAIL, NULL, "of circuit");
    assert_true(fx_has(x->seen, "91.198.10.0/27"));
    assert_string_equal(x->expected, "a NAT pool of its own per circuit");
    assert_int_equal(nfind(&f, ST_FAIL, "of circuit c2"), 2);
    /* The other side of the pair gets no pass. */
    assert_int_equal(nfind(&f, ST_PASS, "91.198.10.0/27"), 0);
    fx_find(&f, ST_PASS, "er3", "91.198.11.0/24");
    fx_done(m, &f);
}

static void
test_nat003_nat004(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    /* The Internet gets an aggregate over c1's pool: NAT-003 fails, NAT-004 accepts (ER more specific). */
    fx_add(fx_nb(m, "inet1", "198.18.0.1"), "advertised-prefix", "91.198.10.0/24");
    fx_run("NAT-003", m, &f);
    x = fx_find(&f, ST_FAIL, "er1", "advertised to the Internet");
    assert_string_equal(x->seen, "NAT pool p1 91.198.10.0/25 of er1 overlaps 91.198.10.0/24 advertised to 198.18.0.1 on inet1");
    fx_find(&f, ST_PASS, "er3", "91.198.11.0/24");
    findings_clear(&f);
    fx_run("NAT-004", m, &f);
    assert_int_equal(fx_count(&f, ST_FAIL, NULL), 0);
    fx_find(&f, ST_PASS, "er1", "separate from the Internet");
    findings_clear(&f);

    /* The same prefix on both sides fails NAT-004. */
    fx_add(fx_nb(m, "inet1", "198.18.0.1"), "advertised-prefix", "91.198.11.0/24");
    fx_run("NAT-004", m, &f);
    x = fx_find(&f, ST_FAIL, "er3", "both to Microsoft and to the Internet");
    assert_true(fx_has(x->seen, "91.198.11.0/24 advertised to Microsoft 91.198.2.2 and 91.198.11.0/24 advertised to "
            "Internet neighbor 198.18.0.1 on inet1"));
    assert_int_equal(fx_count(&f, ST_FAIL, "er1"), 0);
    findings_clear(&f);

    /* Without Internet advertisements there is nothing to compare. */
    del(fx_nb(m, "inet1", "198.18.0.1"), "advertised-prefix");
    fx_run("NAT-003", m, &f);
    fx_find(&f, ST_NOT_EVALUATED, NULL, "no prefixes advertised to Internet neighbors");
    fx_done(m, &f);
}

static void
test_nat005(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("NAT-005", m, &f);
    fx_find(&f, ST_PASS, NULL, "circuit c1: 1 prefix,");
    fx_find(&f, ST_PASS, NULL, "circuit c2: 1 prefix,");
    findings_clear(&f);

    /* c2 also carries c1's prefix, prepended on the backup session, but er3's AS 65010 is private:
     * Microsoft strips it, so the prepend is no failover design. */
    fx_add(fx_nb(m, "er3", "91.198.2.6"), "advertised-prefix", "91.198.10.0/25");
    fx_run("NAT-005", m, &f);
    x = fx_find(&f, ST_FAIL, NULL, "91.198.10.0/25");
    assert_true(fx_has(x->seen, "private, which Microsoft strips"));
    findings_clear(&f);

    /* With a public AS the same prepend is accepted. */
    set(model_child(fx_dev(m, "er3"), "bgp"), "local-as", "201000");
    fx_run("NAT-005", m, &f);
    x = fx_find(&f, ST_PASS, NULL, "accepted failover design");
    assert_int_equal(x->sev, SEV_INFO);
    assert_int_equal(fx_count(&f, ST_FAIL, NULL), 0);
    findings_clear(&f);

    /* A more specific piece of c1's prefix on c2 is an overlap. */
    fx_add(fx_nb(m, "er3", "91.198.2.2"), "advertised-prefix", "91.198.10.0/26");
    fx_run("NAT-005", m, &f);
    x = fx_find(&f, ST_FAIL, NULL, "91.198.10.0/26");
    assert_true(fx_has(x->seen, "on circuit c1"));
    assert_true(fx_has(x->seen, "on circuit c2"));
    assert_string_equal(x->expected, "distinct public prefixes per circuit");
    fx_done(m, &f);
}

static void
test_asym001(void **state)
{
    struct er_model *m = load("good.json");
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("ASYM-001", m, &f);
    fx_find(&f, ST_PASS, "inet1", "not advertised over ExpressRoute");
    x = fx_find(&f, ST_PASS, "er1", "symmetric over ExpressRoute");
    assert_int_equal(x->source, SRC_STATE);
    x = fx_find(&f, ST_PASS, "er2", "preferred (config)");
    assert_int_equal(x->source, SRC_CONFIG);
    findings_clear(&f);

    /* The Internet pool is also advertised to Microsoft while inet1 routes Microsoft via its provider. */
    fx_add(fx_nb(m, "er1", "91.198.1.2"), "advertised-prefix", "91.198.20.0/24");
    set(rib_path(m, "inet1", "40.64.0.0/16", "10.0.0.1"), "best", "false");
    set(rib_path(m, "inet1", "40.64.0.0/16", "198.18.0.1"), "best", "true");
    fx_run("ASYM-001", m, &f);
    x = fx_find(&f, ST_FAIL, "inet1", "asymmetrically");
    assert_true(fx_has(x->seen, "91.198.20.0/24 (pool inet) advertised to Microsoft as 91.198.20.0/24 via 91.198.1.2 on er1"));
    assert_true(fx_has(x->seen, "best route 40.64.0.0/16 on the owner is via 198.18.0.1 (Internet"));
    assert_int_equal(x->sev, SEV_CRITICAL);
    findings_clear(&f);

    /* Config only (no RIB on er2): Internet local-pref 250 beats every ExpressRoute route, but er2's pool is
     * translated only on its Microsoft link xe0: what leaves through the Internet never carries it. */
    set(fx_nb(m, "inet1", "198.18.0.1"), "local-preference", "250");
    fx_run("ASYM-001", m, &f);
    x = fx_find(&f, ST_PASS, "er2", "translated only on egress toward Microsoft (xe0)");
    assert_true(fx_has(x->seen, "xe0 (Microsoft neighbor 91.198.1.6, circuit c1"));
    assert_int_equal(x->source, SRC_CONFIG);
    findings_clear(&f);

    /* Without an egress interface the pool may translate anything: the routing policy decides, and says so. */
    lyd_free_tree(model_child(model_find(model_child(fx_dev(m, "er2"), "nat"), "pool", "p1"), "interface"));
    fx_run("ASYM-001", m, &f);
    x = fx_find(&f, ST_FAIL, "er2", "(config)");
    assert_true(fx_has(x->seen, "ExpressRoute local-pref 200, Internet neighbor 198.18.0.1 on inet1 local-pref 250"));
    assert_true(fx_has(x->seen, "no egress interface for the pool in the model"));
    assert_int_equal(x->source, SRC_CONFIG);
    fx_done(m, &f);
}

/* ---- On-premises integration ---- */

static void
test_sec001(void **state)
{
    struct er_model *m = load("good.json");
    struct lyd_node *flt, *r = NULL;
    struct er_err err = {0};
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("SEC-001", m, &f);
    x = fx_find(&f, ST_PASS, "fw1", "as strict");
    assert_true(fx_has(x->seen, "first from-er"));
    findings_clear(&f);

    /* Judged per path: er1 admits SMB and tcp/8443 from ExpressRoute, and fw1's ExpressRoute zone lets them
     * through, while the Internet side refuses both (its catch-all deny counts). */
    flt = model_find(fx_dev(m, "er1"), "filter", "er-in");
    assert_int_equal(model_list(flt, "rule", "15", &r, &err), ER_OK);
    set(r, "action", "permit");
    set(r, "protocol", "tcp");
    set(r, "destination", "91.198.0.0/16");
    flt = model_find(fx_dev(m, "fw1"), "filter", "from-er");
    assert_int_equal(model_list(flt, "rule", "7", &r, &err), ER_OK);
    set(r, "action", "permit");
    set(r, "protocol", "tcp");
    set(r, "ports", "445");
    set(r, "destination", "91.198.10.20/32");
    assert_int_equal(model_list(flt, "rule", "8", &r, &err), ER_OK);
    set(r, "action", "permit");
    set(r, "protocol", "tcp");
    set(r, "ports", "8443");
    set(r, "destination", "91.198.30.5/32");
    /* A permit-any after the catch-all deny: dead, not a finding. */
    assert_int_equal(model_list(flt, "rule", "50", &r, &err), ER_OK);
    set(r, "action", "permit");
    fx_run("SEC-001", m, &f);
    x = fx_find(&f, ST_FAIL, "fw1", "filter from-er admits from ExpressRoute what the Internet side refuses (rule 7)");
    assert_string_equal(x->seen, "ExpressRoute filter from-er rule 7 admits tcp/445 on path er1 xe0, then fw1 eth1; no "
            "Internet path admits it (inet-in rule 20 denies it)");
    assert_true(fx_has(x->path, "filter[name='from-er']/rule[seq='7']"));
    fx_find(&f, ST_FAIL, "fw1", "(rule 8)");
    assert_int_equal(nfind(&f, ST_FAIL, "permits anything"), 0);
    assert_int_equal(fx_count(&f, ST_FAIL, "fw1"), 2);
    /* er2 and er3 filter their own paths: they pass; er1's path failed, so it gets no PASS. */
    assert_int_equal(fx_count(&f, ST_PASS, "er2"), 1);
    assert_int_equal(fx_count(&f, ST_PASS, "er1"), 0);
    findings_clear(&f);

    /* The same permit-any first: live, a FAIL whatever er1 admits. */
    assert_int_equal(model_list(flt, "rule", "5", &r, &err), ER_OK);
    set(r, "action", "permit");
    fx_run("SEC-001", m, &f);
    x = fx_find(&f, ST_FAIL, "fw1", "permits anything arriving from ExpressRoute (rule 5)");
    assert_true(fx_has(x->path, "rule[seq='5']"));
    findings_clear(&f);

    /* Nothing filters the path from er1 (er1's filter and the ExpressRoute zone's are gone) while the Internet
     * side is filtered: a FAIL on the path, reported where it enters the inside (fw1 eth1). */
    lyd_free_tree(flt);
    lyd_free_tree(model_find(fx_dev(m, "er1"), "filter", "er-in"));
    fx_run("SEC-001", m, &f);
    x = fx_find(&f, ST_FAIL, "fw1", "not filtered at all");
    assert_string_equal(x->seen, "path er1 xe0, then fw1 eth1: no filter on any hop; Internet side filtered by inet-in");
    assert_int_equal(fx_count(&f, ST_FAIL, NULL), 1);
    findings_clear(&f);

    /* Only the firewall's Internet zone filters (a zone policy, from-zone untrust); no ExpressRoute path is
     * filtered: judged per device the edges had nothing to compare, judged per path it is a FAIL. */
    lyd_free_tree(model_find(fx_dev(m, "er2"), "filter", "er-in"));
    lyd_free_tree(model_find(fx_dev(m, "er3"), "filter", "er-in"));
    lyd_free_tree(model_find(fx_dev(m, "inet1"), "filter", "inet-in"));
    fx_run("SEC-001", m, &f);
    x = fx_find(&f, ST_FAIL, "fw1", "not filtered at all");
    assert_true(fx_has(x->seen, "Internet side filtered by from-internet"));
    assert_int_equal(fx_count(&f, ST_PASS, NULL), 0);
    findings_clear(&f);

    /* No filter anywhere: the two sides cannot be compared (not evaluated, never a PASS). */
    lyd_free_tree(model_find(fx_dev(m, "fw1"), "filter", "from-internet"));
    fx_run("SEC-001", m, &f);
    fx_find(&f, ST_NOT_EVALUATED, NULL, "no filter collected on any path");
    assert_int_equal(fx_count(&f, ST_PASS, NULL) + fx_count(&f, ST_FAIL, NULL), 0);
    fx_done(m, &f);
}

/* ---- Geographical distribution ---- */

static void
test_geo001(void **state)
{
    struct er_model *m = load("good.json");
    struct lyd_node *c1, *c2;
    const struct finding *x;
    struct findings f;

    (void)state;
    fx_run("GEO-001", m, &f);
    x = fx_find(&f, ST_PASS, NULL, "circuit c1: the environment is in the circuit's geopolitical region");
    assert_int_equal(x->source, SRC_INVENTORY);
    fx_find(&f, ST_PASS, NULL, "circuit c2: Premium");
    findings_clear(&f);

    /* c2 in North America drops to Standard; c1 moves to an unknown location. */
    c1 = model_find(m->net, "circuit", "c1");
    c2 = model_find(m->net, "circuit", "c2");
    set(c2, "sku", "standard");
    set(c1, "peering-location", "Atlantis");
    fx_run("GEO-001", m, &f);
    x = fx_find(&f, ST_FAIL, NULL, "circuit c2");
    assert_string_equal(x->circuit, "c2");
    assert_true(fx_has(x->seen, "sku standard at Washington DC"));
    assert_true(fx_has(x->expected, "premium"));
    fx_find(&f, ST_NOT_EVALUATED, NULL, "'Atlantis' is not in the reference data");
    findings_clear(&f);

    /* A declared geo-region wins over the reference data. */
    set(c1, "geo-region", "Europe");
    fx_run("GEO-001", m, &f);
    fx_find(&f, ST_PASS, NULL, "circuit c1");
    fx_done(m, &f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_good_network),
        cmocka_unit_test(test_peer001),
        cmocka_unit_test(test_peer001_failed_device),
        cmocka_unit_test(test_peer002),
        cmocka_unit_test(test_peer005),
        cmocka_unit_test(test_peer006),
        cmocka_unit_test(test_peer008),
        cmocka_unit_test(test_pref001_state),
        cmocka_unit_test(test_pref001_config),
        cmocka_unit_test(test_pref002),
        cmocka_unit_test(test_nat001),
        cmocka_unit_test(test_nat002),
        cmocka_unit_test(test_nat003_nat004),
        cmocka_unit_test(test_nat005),
        cmocka_unit_test(test_asym001),
        cmocka_unit_test(test_sec001),
        cmocka_unit_test(test_geo001),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
