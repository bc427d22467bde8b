/*
 * Unit tests of the NAT pool scope (rules/natscope.c) over the good network
 * of tests/unit/data/rules/good.json: where each pool translates (egress
 * interface, zone, link, circuit, NAT rule and its match) and what the
 * scope amounts to, with one deliberate change per case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "natscope.h"
#include "rule.h"
#include "model.h"

#include "rules_fixture.h"

/* The good network of tests/unit/data/rules/good.json. */
static struct er_model *
load(void)
{
    return fx_load("good.json");
}

static struct lyd_node *
nat(struct er_model *m, const char *dev)
{
    struct lyd_node *d = model_find_device(m, dev), *n;

    assert_non_null(d);
    n = model_child(d, "nat");
    assert_non_null(n);
    return n;
}

/* The scope of pool @p pool of @p dev, and its text in @p text. */
static void
scope(struct er_model *m, const char *dev, const char *pool, struct ru_nat_scope *s, char *text, size_t size)
{
    struct rule_ctx rc = {.m = m};
    struct ru_net n;
    struct lyd_node *p = model_find(nat(m, dev), "pool", pool);

    assert_non_null(p);
    assert_int_equal(ru_net_build(&rc, &n), 0);
    ru_nat_scope(&n, model_find_device(m, dev), p, s);
    ru_nat_scope_text(s, text, size);
    if (getenv("RULES_TEST_VERBOSE"))
        fprintf(stderr, "%s/%s: %d %s\n", dev, pool, (int)s->kind, text);
    ru_net_free(&n);
}

static int
has(const char *s, const char *sub)
{
    if (!strstr(s, sub)) {
        print_error("'%s' does not contain '%s'\n", s, sub);
        return 0;
    }
    return 1;
}

/* A pool with a source rule on the Microsoft link: one use, the rule, its match, the link's circuit. */
static void
test_scope_er_by_rule(void **state)
{
    struct er_model *m = load();
    struct ru_nat_scope s;
    char t[640];

    (void)state;
    scope(m, "er1", "p1", &s, t, sizeof t);
    assert_int_equal(s.kind, RU_SCOPE_ER);
    assert_int_equal(s.n_use, 1);
    assert_string_equal(s.use[0].ifname, "xe0");
    assert_string_equal(s.use[0].rule, "r1");
    assert_string_equal(s.use[0].match, "10.0.0.0/8");
    assert_string_equal(s.use[0].peer, "91.198.1.2");
    assert_string_equal(s.use[0].zone, "er");
    assert_string_equal(s.circuit, "c1");
    assert_true(has(t, "translated only on egress toward Microsoft: xe0 (Microsoft neighbor 91.198.1.2, circuit c1; "
            "zone er) by NAT rule r1 for 10.0.0.0/8"));
    model_free(m);
}

/* The pool's interface and a rule's egress on two links of one circuit: both uses, one circuit. */
static void
test_scope_er_two_links(void **state)
{
    struct er_model *m = load();
    struct ru_nat_scope s;
    char t[640];

    (void)state;
    scope(m, "er3", "p2", &s, t, sizeof t);
    assert_int_equal(s.kind, RU_SCOPE_ER);
    assert_int_equal(s.n_use, 2);
    assert_string_equal(s.use[0].ifname, "xe1");
    assert_string_equal(s.use[1].ifname, "xe0");
    assert_null(s.use[1].rule);
    assert_string_equal(s.circuit, "c2");
    assert_true(has(t, "as the pool's interface"));
    model_free(m);
}

/* The Internet edge's pool on its provider link. */
static void
test_scope_inet(void **state)
{
    struct er_model *m = load();
    struct ru_nat_scope s;
    char t[640];

    (void)state;
    scope(m, "inet1", "inet", &s, t, sizeof t);
    assert_int_equal(s.kind, RU_SCOPE_INET);
    assert_string_equal(s.use[0].peer, "198.18.0.1");
    assert_null(s.circuit);
    assert_true(has(t, "translated only on egress toward the Internet: ge0 (Internet neighbor 198.18.0.1; zone untrust)"));
    model_free(m);
}

/* A link known only by its expressroute zone still faces Microsoft, on the device's only circuit. */
static void
test_scope_er_by_zone(void **state)
{
    struct er_model *m = load();
    struct lyd_node *d, *ifc;
    struct ru_nat_scope s;
    char t[640];

    (void)state;
    d = model_find_device(m, "er2");
    ifc = list(d, "interface", "xe9");
    set(ifc, "zone", "er");
    set(model_find(nat(m, "er2"), "pool", "p1"), "interface", "xe9");
    scope(m, "er2", "p1", &s, t, sizeof t);
    assert_int_equal(s.kind, RU_SCOPE_ER);
    assert_null(s.use[0].peer);
    assert_string_equal(s.use[0].circuit, "c1");
    assert_true(has(t, "xe9 (expressroute zone, circuit c1; zone er)"));
    model_free(m);
}

/* What keeps today's judgement: no interface, a rule on every egress, a link facing neither side, a missing one. */
static void
test_scope_unknown(void **state)
{
    struct er_model *m = load();
    struct lyd_node *p, *r;
    struct ru_nat_scope s;
    char t[640];

    (void)state;
    p = model_find(nat(m, "er2"), "pool", "p1");
    lyd_free_tree(model_child(p, "interface"));
    scope(m, "er2", "p1", &s, t, sizeof t);
    assert_int_equal(s.kind, RU_SCOPE_NONE);
    assert_true(has(t, "no egress interface for the pool in the model"));

    /* A destination rule naming the pool gives it no egress. */
    r = list(nat(m, "er2"), "rule", "d1");
    set(r, "type", "destination");
    set(r, "pool", "p1");
    set(r, "egress-interface", "xe0");
    scope(m, "er2", "p1", &s, t, sizeof t);
    assert_int_equal(s.kind, RU_SCOPE_NONE);

    /* A source rule without an egress interface translates on every egress. */
    r = list(nat(m, "er2"), "rule", "any");
    set(r, "pool", "p1");
    scope(m, "er2", "p1", &s, t, sizeof t);
    assert_int_equal(s.kind, RU_SCOPE_ANY);
    assert_true(has(t, "NAT rule any uses the pool on every egress"));
    model_free(m);

    m = load();
    r = list(nat(m, "er1"), "rule", "r9");
    set(r, "pool", "p1");
    set(r, "egress-interface", "ge1");
    scope(m, "er1", "p1", &s, t, sizeof t);
    assert_int_equal(s.kind, RU_SCOPE_MIXED);
    assert_true(has(t, "ge1 (toward neither Microsoft nor the Internet alone; zone inside) by NAT rule r9"));
    set(r, "egress-interface", "nosuch");
    scope(m, "er1", "p1", &s, t, sizeof t);
    assert_int_equal(s.kind, RU_SCOPE_MIXED);
    assert_true(has(t, "nosuch (not an interface of the device)"));
    model_free(m);
}

/* Pools of one device with one prefix are one group, judged once; one unscoped pool unscopes the group. */
static void
test_scope_group(void **state)
{
    struct er_model *m = load();
    struct rule_ctx rc = {.m = m};
    struct ru_pool *v = NULL;
    struct ru_nat_scope s;
    struct ru_net n;
    struct lyd_node *p2;
    struct er_err err = {0};
    size_t np = 0, i, same, first = 0, groups = 0;

    (void)state;
    p2 = list(nat(m, "er1"), "pool", "p1b");
    assert_int_equal(model_leaflist(p2, "prefix", "91.198.10.0/25", &err), ER_OK);
    set(p2, "interface", "xe0");
    assert_int_equal(ru_net_build(&rc, &n), 0);
    assert_int_equal(ru_nat_pools(&rc, "er-edge", &v, &np), 0);
    for (i = 0; i < np; i++) {
        if (strcmp(ru_name(v[i].dev), "er1"))
            continue;
        if (ru_nat_scope_group(&n, v, np, i, &s, &same)) {
            groups++;
            first = i;
            assert_int_equal(same, 2);
            assert_int_equal(s.kind, RU_SCOPE_ER);
        }
    }
    assert_int_equal(groups, 1);
    free(v);

    lyd_free_tree(model_child(p2, "interface"));
    assert_int_equal(ru_nat_pools(&rc, "er-edge", &v, &np), 0);
    assert_int_equal(ru_nat_scope_group(&n, v, np, first, &s, &same), 1);
    assert_int_equal(s.kind, RU_SCOPE_NONE);
    free(v);
    ru_net_free(&n);
    model_free(m);
}

/* The text never overruns a small buffer. */
static void
test_scope_text_truncates(void **state)
{
    struct er_model *m = load();
    struct ru_nat_scope s;
    char t[640], small[24];

    (void)state;
    scope(m, "er3", "p2", &s, t, sizeof t);
    memset(small, 'x', sizeof small);
    ru_nat_scope_text(&s, small, 16);
    assert_int_equal(strlen(small), 15);
    assert_int_equal(small[20], 'x');
    assert_int_equal(strncmp(small, t, 15), 0);
    model_free(m);
}
/* The only finding of @p dev with status @p st whose message or evidence holds @p sub. */
static const struct finding *
find(const struct findings *f, enum er_status st, const char *dev, const char *sub)
{
    const struct finding *hit = NULL;
    size_t i, n = 0;

    for (i = 0; i < f->n; i++) {
        const struct finding *x = &f->v[i];

        if (x->status != st || !x->device || strcmp(x->device, dev))
            continue;
        if (strstr(x->message, sub) || (x->seen && strstr(x->seen, sub))) {
            hit = x;
            n++;
        }
    }
    if (n != 1)
        fail_msg("%zu %s findings on %s mentioning '%s', expected 1", n, status_name(st), dev, sub);
    return hit;
}

/* A new interface of @p dev in a new zone facing @p faces. */
static void
side_iface(struct er_model *m, const char *dev, const char *ifname, const char *faces)
{
    struct lyd_node *d = model_find_device(m, dev), *z;
    struct er_err err = {0};
    char zn[64];

    snprintf(zn, sizeof zn, "z-%s", ifname);
    z = list(d, "zone", zn);
    set(z, "faces", faces);
    assert_int_equal(model_leaflist(z, "interface", ifname, &err), ER_OK);
    list(d, "interface", ifname);
}

/* NAT-003 judges a pool as an ExpressRoute pool by where it translates, not by its device's role. */
static void
test_nat003_scope(void **state)
{
    struct er_model *m = load();
    struct findings f;
    const struct finding *x;
    struct er_err err = {0};

    (void)state;
    /* The Internet gets an aggregate over c1's pool: an ER edge's pool on its Microsoft link fails. */
    assert_int_equal(model_leaflist(model_find(model_child(model_find_device(m, "inet1"), "bgp"), "neighbor",
            "198.18.0.1"), "advertised-prefix", "91.198.10.0/24", &err), ER_OK);
    fx_run("NAT-003", m, &f);
    find(&f, ST_FAIL, "er1", "advertised to the Internet");
    findings_clear(&f);

    /* er1 translates into it only on an Internet-facing link: an Internet pool, so being advertised there is right. */
    side_iface(m, "er1", "ge9", "internet");
    set(model_find(nat(m, "er1"), "pool", "p1"), "interface", "ge9");
    set(model_find(nat(m, "er1"), "rule", "r1"), "egress-interface", "ge9");
    fx_run("NAT-003", m, &f);
    x = find(&f, ST_PASS, "er1", "not an ExpressRoute pool");
    assert_non_null(strstr(x->seen, "translated only on egress toward the Internet: ge9 (internet zone; zone z-ge9)"));
    find(&f, ST_FAIL, "er2", "advertised to the Internet");
    findings_clear(&f);

    /* The Internet edge's pool used toward Microsoft is an ExpressRoute pool, and it is advertised to the Internet. */
    side_iface(m, "inet1", "er0", "expressroute");
    set(model_find(nat(m, "inet1"), "pool", "inet"), "interface", "er0");
    fx_run("NAT-003", m, &f);
    x = find(&f, ST_FAIL, "inet1", "advertised to the Internet");
    assert_non_null(strstr(x->seen, "translated only on egress toward Microsoft: er0"));
    findings_clear(&f);
    model_free(m);
}

/* ASYM-002: a pool translated only on one circuit's links leaves there, whatever the routing table says. */
static void
test_asym002_scope(void **state)
{
    struct er_model *m = load();
    struct findings f;
    const struct finding *x;
    struct lyd_node *p;
    struct er_err err = {0};
    size_t i;

    (void)state;
    /* er1 translates into c2's prefix on its c1 link xe0: the replies come back on c2. */
    p = list(nat(m, "er1"), "pool", "px");
    assert_int_equal(model_leaflist(p, "prefix", "91.198.11.0/24", &err), ER_OK);
    set(p, "interface", "xe0");
    fx_run("ASYM-002", m, &f);
    x = find(&f, ST_FAIL, "er1", "(NAT egress)");
    assert_string_equal(x->circuit, "c1");
    assert_non_null(strstr(x->seen, "xe0 (Microsoft neighbor 91.198.1.2, circuit c1"));
    for (i = 0; i < f.n; i++)
        assert_false(f.v[i].status == ST_FAIL && !strcmp(f.v[i].device, "er3"));
    findings_clear(&f);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope_er_by_rule),
        cmocka_unit_test(test_scope_er_two_links),
        cmocka_unit_test(test_scope_inet),
        cmocka_unit_test(test_scope_er_by_zone),
        cmocka_unit_test(test_scope_unknown),
        cmocka_unit_test(test_scope_group),
        cmocka_unit_test(test_scope_text_truncates),
        cmocka_unit_test(test_nat003_scope),
        cmocka_unit_test(test_asym002_scope),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
