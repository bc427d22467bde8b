/*
 * Unit tests of the filter evaluator (rules/filter_eval.c): first-match
 * order by seq, the implicit deny, protocol and port wildcards, port forms,
 * named addresses, and dead (shadowed) rules found on witness packets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "filter_eval.h"
#include "model.h"

#include "rules_fixture.h"

/* One rule: "seq action protocol source destination ports" ("-" leaves a field out). */
struct r {
    const char *seq, *action, *proto, *src, *dst, *ports;
};

static void
ok(er_code rc, const struct er_err *err)
{
    if (rc)
        fail_msg("%s", err->msg);
}

/* A model with one device holding one filter made of @p rules. */
static struct er_model *
filter(const struct r *rules, size_t n, struct lyd_node **f)
{
    struct er_model *m = NULL;
    struct er_err err = {0};
    struct lyd_node *dev, *x;
    size_t i;

    ok(model_new(ctx, &m, &err), &err);
    ok(model_device(m, "fw1", "firewall", &dev, &err), &err);
    ok(model_list(dev, "filter", "F", f, &err), &err);
    for (i = 0; i < n; i++) {
        ok(model_list(*f, "rule", rules[i].seq, &x, &err), &err);
        ok(model_leaf(x, "action", rules[i].action, &err), &err);
        if (strcmp(rules[i].proto, "-"))
            ok(model_leaf(x, "protocol", rules[i].proto, &err), &err);
        if (strcmp(rules[i].src, "-"))
            ok(model_leaf(x, "source", rules[i].src, &err), &err);
        if (strcmp(rules[i].dst, "-"))
            ok(model_leaf(x, "destination", rules[i].dst, &err), &err);
        if (strcmp(rules[i].ports, "-"))
            ok(model_leaf(x, "ports", rules[i].ports, &err), &err);
    }
    return m;
}

static struct fe_pkt
pkt(const char *src, const char *dst, int proto, long port)
{
    struct fe_pkt p;

    memset(&p, 0, sizeof p);
    p.src.kind = p.dst.kind = FE_A_PFX;
    if (pfx_parse(src, &p.src.p, 0)) {
        p.src.kind = FE_A_NAME;
        p.src.name = src;
    }
    assert_int_equal(pfx_parse(dst, &p.dst.p, 0), 0);
    p.proto = proto;
    p.port = port;
    return p;
}

/* The rule deciding @p p: its seq, or 0 for the implicit default. */
static unsigned
decides(const struct fe_filter *f, struct fe_pkt p)
{
    const struct fe_rule *r = fe_match(f, &p);

    return r ? r->seq : 0;
}

static const struct fe_rule *
rule(const struct fe_filter *f, unsigned seq)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (f->rules[i].seq == seq)
            return &f->rules[i];
    }
    fail_msg("no rule %u", seq);
    return NULL;
}

static void
test_first_match_in_seq_order(void **state)
{
    /* Listed out of order on purpose: the model's order is not the devices'. */
    static const struct r rs[] = {
        {"30", "permit", "ip", "any", "any", "-"},
        {"10", "permit", "tcp", "any", "10.0.0.0/8", "443"},
        {"20", "deny", "ip", "any", "any", "-"},
    };
    struct lyd_node *n;
    struct er_model *m = filter(rs, 3, &n);
    struct fe_filter f;
    struct fe_space sp = {0};
    char why[128];

    (void)state;
    assert_int_equal(fe_load(n, &f, why, sizeof why), 0);
    assert_int_equal(f.rules[0].seq, 10);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.1.2.3", 6, 443)), 10);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.1.2.3", 6, 22)), 20);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "172.16.0.1", 17, 53)), 20);
    assert_int_equal(fe_admits(&f, &(struct fe_pkt){.src = {.kind = FE_A_ANY}, .dst = {.kind = FE_A_ANY}, .proto = 1,
            .port = -1}, NULL), 0);
    /* The permit-any after the catch-all deny is dead; the others are live. */
    assert_int_equal(fe_space_add(&sp, &f), 0);
    assert_true(fe_live(&f, rule(&f, 10), &sp));
    assert_true(fe_live(&f, rule(&f, 20), &sp));
    assert_false(fe_live(&f, rule(&f, 30), &sp));
    fe_space_free(&sp);
    fe_free(&f);
    model_free(m);
}

static void
test_implicit_deny(void **state)
{
    static const struct r rs[] = {{"10", "permit", "tcp", "any", "198.51.100.10/32", "443"}};
    struct lyd_node *n;
    struct er_model *m = filter(rs, 1, &n);
    struct fe_filter f;
    const struct fe_rule *by = (const struct fe_rule *)1;
    struct fe_pkt p = pkt("192.0.2.1", "198.51.100.11", 6, 443);
    char why[128];

    (void)state;
    assert_int_equal(fe_load(n, &f, why, sizeof why), 0);
    assert_int_equal(f.default_permit, 0);
    assert_int_equal(fe_admits(&f, &p, &by), 0);
    assert_null(by);
    p = pkt("192.0.2.1", "198.51.100.10", 6, 443);
    assert_int_equal(fe_admits(&f, &p, &by), 1);
    assert_int_equal(by->seq, 10);
    fe_free(&f);
    model_free(m);
}

/* permit tcp any any + permit udp any any: every TCP and UDP port is open, nothing else. */
static void
test_tcp_udp_wildcards(void **state)
{
    static const struct r rs[] = {
        {"10", "permit", "tcp", "any", "any", "-"},
        {"20", "permit", "udp", "any", "any", "any"},
        {"30", "deny", "ip", "any", "any", "-"},
    };
    struct lyd_node *n;
    struct er_model *m = filter(rs, 3, &n);
    struct fe_filter f;
    struct fe_pkt p;
    char why[128];

    (void)state;
    assert_int_equal(fe_load(n, &f, why, sizeof why), 0);
    p = pkt("192.0.2.1", "10.0.0.1", 6, 22);
    assert_int_equal(fe_admits(&f, &p, NULL), 1);
    p = pkt("192.0.2.1", "10.0.0.1", 6, 65535);
    assert_int_equal(fe_admits(&f, &p, NULL), 1);
    p = pkt("192.0.2.1", "10.0.0.1", 17, 0);
    assert_int_equal(fe_admits(&f, &p, NULL), 1);
    p = pkt("192.0.2.1", "10.0.0.1", 1, -1);
    assert_int_equal(fe_admits(&f, &p, NULL), 0);
    p = pkt("192.0.2.1", "10.0.0.1", 47, -1);
    assert_int_equal(fe_admits(&f, &p, NULL), 0);
    fe_free(&f);
    model_free(m);
}

static void
test_ports_and_protocols(void **state)
{
    static const struct r rs[] = {
        {"10", "deny", "tcp", "any", "any", "!443"},
        {"20", "permit", "6", "any", "any", "443"},
        {"30", "permit", "udp", "any", "any", "8000..8100"},
        {"40", "permit", "ip", "any", "any", "5000-5001"},
        {"50", "permit", "esp", "any", "any", "-"},
    };
    static const struct r bad[] = {{"10", "permit", "tcp", "any", "any", "http"}};
    struct lyd_node *n;
    struct er_model *m = filter(rs, 5, &n);
    struct fe_filter f;
    char why[128];

    (void)state;
    assert_int_equal(fe_load(n, &f, why, sizeof why), 0);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.0.0.1", 6, 442)), 10);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.0.0.1", 6, 444)), 10);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.0.0.1", 6, 443)), 20);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.0.0.1", 17, 8100)), 30);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.0.0.1", 17, 8101)), 0);
    /* Ports on protocol ip restrict TCP/UDP; a protocol without ports never matches them. */
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.0.0.1", 17, 5001)), 40);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.0.0.1", 1, -1)), 0);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "10.0.0.1", 50, -1)), 50);
    fe_free(&f);
    model_free(m);

    m = filter(bad, 1, &n);
    assert_int_equal(fe_load(n, &f, why, sizeof why), -1);
    assert_string_equal(why, "filter F rule 10: ports \"http\" not understood");
    model_free(m);
}

/* Prefix holes and named objects: witnesses find what the nesting leaves over, or that nothing is left. */
static void
test_shadowing_by_prefixes(void **state)
{
    static const struct r rs[] = {
        {"10", "deny", "ip", "any", "10.1.0.0/16", "-"},
        {"20", "permit", "ip", "any", "10.0.0.0/8", "-"},
        {"30", "deny", "ip", "any", "10.0.0.0/9", "-"},
        {"40", "deny", "ip", "any", "10.128.0.0/9", "-"},
        {"50", "permit", "tcp", "AzureConnectors", "10.0.0.0/8", "443"},
        {"60", "permit", "tcp", "AzureConnectors", "any", "443"},
        {"70", "deny", "ip", "any", "any", "-"},
    };
    struct lyd_node *n;
    struct er_model *m = filter(rs, 7, &n);
    struct fe_filter f;
    struct fe_space sp = {0};
    char why[128], buf[64];

    (void)state;
    assert_int_equal(fe_load(n, &f, why, sizeof why), 0);
    assert_int_equal(fe_space_add(&sp, &f), 0);
    assert_true(fe_live(&f, rule(&f, 20), &sp));    /* 10/8 outside 10.1/16 */
    assert_false(fe_live(&f, rule(&f, 30), &sp));   /* all of 10/9 already decided by 10 and 20 */
    assert_false(fe_live(&f, rule(&f, 40), &sp));
    assert_false(fe_live(&f, rule(&f, 50), &sp));
    assert_true(fe_live(&f, rule(&f, 60), &sp));    /* the tag toward addresses outside 10/8 */
    assert_true(fe_live(&f, rule(&f, 70), &sp));
    assert_int_equal(decides(&f, pkt("AzureConnectors", "192.0.2.9", 6, 443)), 60);
    assert_int_equal(decides(&f, pkt("192.0.2.1", "192.0.2.9", 6, 443)), 70);
    assert_true(fe_space_size(&sp) > 0);
    assert_string_equal(fe_class_str(6, 0, 442, buf, sizeof buf), "tcp/0-442");
    assert_string_equal(fe_class_str(17, 0, 65535, buf, sizeof buf), "udp, every port");
    assert_string_equal(fe_class_str(47, -1, -1, buf, sizeof buf), "gre");
    assert_string_equal(fe_class_str(99, -1, -1, buf, sizeof buf), "protocol 99");
    fe_space_free(&sp);
    fe_free(&f);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_match_in_seq_order),
        cmocka_unit_test(test_implicit_deny),
        cmocka_unit_test(test_tcp_udp_wildcards),
        cmocka_unit_test(test_ports_and_protocols),
        cmocka_unit_test(test_shadowing_by_prefixes),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
