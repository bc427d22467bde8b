/**
 * @file test_ncskip.c
 * @brief NETCONF mapping degrades per element: one element that cannot be
 * read is skipped and named (file, line, path, why) and the rest of the
 * file is kept; every reply form servers send is read (no <data>, NMDA
 * <get-data>, any namespace prefixes, the top-level OpenConfig BGP model).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "ncmap_fixture.h"

/* Elements skipped under model part @p part, 0 if none. */
static unsigned
skipped(struct fx *f, const char *part)
{
    char path[256];
    const char *v;

    snprintf(path, sizeof path, "collection/skipped[part='%s']/count", part);
    v = val(f, path);
    return v ? (unsigned)strtoul(v, NULL, 10) : 0;
}

/* The first message recorded for @p part must hold every needle. */
static void
assert_skip_names(struct fx *f, const char *part, const char *const *needles)
{
    char path[256];
    const char *msg;

    snprintf(path, sizeof path, "collection/skipped[part='%s']/element", part);
    if (!(msg = val(f, path)))
        fail_msg("nothing skipped under %s", part);
    for (; *needles; needles++) {
        if (!strstr(msg, *needles))
            fail_msg("skipped %s: message '%s' lacks '%s'", part, msg, *needles);
    }
}

/* What used to fail the whole file now costs the one element. */
static void
test_bad_element_costs_itself(void **state)
{
    struct fx *f = *state;
    static const char *const plen[] = {"netconf/running.xml:15:",
        "/interfaces/interface[name='eth1']/subinterfaces/subinterface[index='0']/ipv4/addresses/"
        "address[ip='192.0.2.9']/config/prefix-length", "value '99' refused", NULL};
    static const char *const addr[] = {"netconf/running.xml:5:", "/ip", "192.0.2.300", NULL};
    static const char *const dflt[] = {"netconf/running.xml:8:", "default-import-policy 'NEXT_POLICY'",
        "expected ACCEPT_ROUTE or REJECT_ROUTE", NULL};
    static const char *const opt[] = {"netconf/running.xml:6:", "match-set-options 'ALL'", "expected ANY or INVERT",
        NULL};
    static const char *const speed[] = {"netconf/running.xml:8:", "port-speed", "value 'oc-eth:SPEED_-10GB' refused",
        NULL};

    map_ok(f, "bad-plen", 0);
    assert_int_equal(skipped(f, "interface/address"), 1);
    assert_skip_names(f, "interface/address", plen);
    assert_true(exists(f, "interface[name='eth1']"));
    assert_int_equal(count(f, "interface/address"), 0);

    assert_int_equal(fresh(state), 0);
    map_ok(f, "bad-addr", 0);
    assert_skip_names(f, "interface/address", addr);
    assert_true(exists(f, "interface[name='ge-0/0/0']"));
    assert_int_equal(count(f, "interface/address"), 0);

    /* The neighbor goes; the BGP global configuration stays. */
    assert_int_equal(fresh(state), 0);
    map_ok(f, "bad-default-policy", 0);
    assert_skip_names(f, "bgp/neighbor", dflt);
    assert_val(f, "bgp/local-as", "65010");
    assert_int_equal(count(f, "bgp/neighbor"), 0);

    /* The statement goes; its policy and the prefix set stay. */
    assert_int_equal(fresh(state), 0);
    map_ok(f, "bad-match-option", 0);
    assert_skip_names(f, "policy/term", opt);
    assert_true(exists(f, "policy[name='MS-IN']"));
    assert_true(exists(f, "prefix-set[name='P']"));
    assert_int_equal(count(f, "policy/term"), 0);

    /* The speed goes; the interface stays. */
    assert_int_equal(fresh(state), 0);
    map_ok(f, "bad-speed", 0);
    assert_int_equal(skipped(f, "interface/speed"), 1);
    assert_skip_names(f, "interface/speed", speed);
    assert_true(exists(f, "interface[name='eth1']"));
    assert_false(exists(f, "interface[name='eth1']/speed"));
}

/* Copy fixture @p name into a temporary device directory, @p from replaced by @p to in running.xml. */
static void
broken_copy(const char *name, const char *from, const char *to, char *dir, size_t size)
{
    static const char *const files[] = {"running.xml", "state.xml"};
    char path[600];
    size_t i;

    snprintf(dir, size, "/tmp/ncskip.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/netconf", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    for (i = 0; i < 2; i++) {
        FILE *in, *out;
        char *text = NULL, *hit;
        size_t len = 0;

        snprintf(path, sizeof path, "%s/%s/netconf/%s", DATA, name, files[i]);
        if (!(in = fopen(path, "r")))
            continue;
        assert_int_equal(getdelim(&text, &len, '\0', in) > 0, 1);
        fclose(in);
        snprintf(path, sizeof path, "%s/netconf/%s", dir, files[i]);
        assert_non_null(out = fopen(path, "w"));
        if (i == 0) {
            assert_non_null(hit = strstr(text, from));
            fprintf(out, "%.*s%s%s", (int)(hit - text), text, to, hit + strlen(from));
        } else {
            fputs(text, out);
        }
        fclose(out);
        free(text);
    }
}

static void
remove_copy(const char *dir)
{
    char path[600];

    snprintf(path, sizeof path, "%s/netconf/running.xml", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/netconf/state.xml", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/netconf", dir);
    rmdir(path);
    rmdir(dir);
}

/* Every node of the device outside its filters and its collection record. */
#define OUTSIDE "descendant::*[not(ancestor-or-self::filter) and not(ancestor-or-self::collection)]"

/*
 * One bad filter rule per model family: the audit loses exactly that rule.
 * Everything else is counted before and after.
 */
static void
one_bad_rule(void **state, const char *name, const char *from, const char *to, const char *lost,
        const char *const *needles)
{
    struct fx *f = *state;
    struct map_ctx mc;
    char dir[64];
    char gone_path[256];
    size_t outside, rules, filter_nodes, gone;
    er_code rc;

    map_ok(f, name, 0);
    outside = count(f, OUTSIDE);
    rules = count(f, "filter/rule");
    filter_nodes = count(f, "filter//*");
    snprintf(gone_path, sizeof gone_path, "%s/descendant-or-self::*", lost);
    gone = count(f, gone_path);
    assert_true(gone > 1);
    assert_int_equal(count(f, "collection/skipped"), 0);

    assert_int_equal(fresh(state), 0);
    broken_copy(name, from, to, dir, sizeof dir);
    mc = (struct map_ctx){.m = f->m, .dev = f->dev, .device = "r1", .err = &f->err};
    rc = nc_map_device(&mc, dir, 0);
    remove_copy(dir);
    if (rc)
        fail_msg("%s with one bad element: %s", name, f->err.msg);
    assert_int_equal(model_validate(f->m, &f->err), ER_OK);
    /* Exactly one rule, with its children, is gone; nothing else changed. */
    assert_int_equal(count(f, OUTSIDE), outside);
    assert_int_equal(count(f, "filter/rule"), rules - 1);
    assert_false(exists(f, lost));
    assert_int_equal(count(f, "filter//*"), filter_nodes - gone);
    assert_int_equal(skipped(f, "filter/rule"), 1);
    assert_int_equal(count(f, "collection/skipped"), 1);
    assert_skip_names(f, "filter/rule", needles);
}

static void
test_one_bad_element_openconfig(void **state)
{
    static const char *const why[] = {"netconf/running.xml:238:", "/acl/acl-sets/acl-set[name='ER-EDGE-IN']/acl-entries/"
        "acl-entry[sequence-id='20']", "acl-entry 20 without a forwarding-action", NULL};

    one_bad_rule(state, "oc", "<actions><config><forwarding-action>DROP</forwarding-action></config></actions>", "",
            "filter[name='ER-EDGE-IN']/rule[seq='20']", why);
}

static void
test_one_bad_element_ietf(void **state)
{
    static const char *const why[] = {"netconf/running.xml:79:", "/acls/acl[name='ER-IN']/aces/ace[name='allow-https']"
        "/actions/forwarding", "forwarding 'teleport': expected accept, drop or reject", NULL};

    one_bad_rule(state, "ietf", "<forwarding>accept</forwarding>", "<forwarding>teleport</forwarding>",
            "filter[name='ER-IN']/rule[seq='10']", why);
}

/* No <data>, prefixes of every spelling, NMDA <get-data>, top-level OpenConfig BGP with peer groups. */
static void
test_reply_forms_and_bgp_top(void **state)
{
    struct fx *f = *state;

    map_ok(f, "oc-bgp-top", 0);
    assert_int_equal(count(f, "collection/skipped"), 0);
    assert_true(exists(f, "source-model[.='openconfig']"));
    assert_val(f, "bgp/local-as", "65020");
    assert_val(f, "bgp/router-id", "192.0.2.254");
    assert_int_equal(count(f, "bgp/neighbor"), 3);
    /* Inherited from the peer group: AS, timers, limits, policies, default policy. */
    assert_val(f, "bgp/neighbor[address='192.0.2.10']/peer-as", "12076");
    assert_val(f, "bgp/neighbor[address='192.0.2.10']/description", "MSEE primary");
    assert_val(f, "bgp/neighbor[address='192.0.2.10']/hold-time", "30");
    assert_val(f, "bgp/neighbor[address='192.0.2.10']/max-prefix", "4000");
    assert_val(f, "bgp/neighbor[address='192.0.2.10']/import-policy", "MS-IN");
    assert_val(f, "bgp/neighbor[address='192.0.2.10']/export-policy", "MS-OUT");
    assert_val(f, "bgp/neighbor[address='192.0.2.10']/default-import", "reject");
    /* The neighbor's own import policy overrides the group's; export still comes from the group. */
    assert_val(f, "bgp/neighbor[address='192.0.2.14']/description", "Microsoft peering");
    assert_val(f, "bgp/neighbor[address='192.0.2.14']/import-policy", "MS-IN-BACKUP");
    assert_int_equal(count(f, "bgp/neighbor[address='192.0.2.14']/import-policy"), 1);
    assert_val(f, "bgp/neighbor[address='192.0.2.14']/export-policy", "MS-OUT");
    assert_val(f, "bgp/neighbor[address='198.51.100.1']/peer-as", "64500");
    assert_false(exists(f, "bgp/neighbor[address='198.51.100.1']/import-policy"));
    /* State from the NMDA reply. */
    assert_val(f, "bgp/neighbor[address='192.0.2.10']/state", "established");
    assert_val(f, "bgp/neighbor[address='192.0.2.10']/prefixes-received", "7");
    assert_val(f, "bgp/neighbor[address='192.0.2.14']/state", "active");
    assert_val(f, "policy[name='MS-IN']/term[name='10']/set-local-preference", "200");
}

/* A reply with nothing in it is not an empty device. */
static void
test_empty_reply_is_no_data(void **state)
{
    struct fx *f = *state;
    static const char *const cases[] = {"reply-ok-only", "reply-empty-data"};
    size_t i;

    for (i = 0; i < 2; i++) {
        assert_int_equal(fresh(state), 0);
        assert_int_equal(map_case(f, cases[i], 0), ER_EINVAL);
        if (!strstr(f->err.msg, "device r1: netconf/running.xml:") || !strstr(f->err.msg, ": the reply holds no data"))
            fail_msg("%s: %s", cases[i], f->err.msg);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_element_costs_itself, fresh, done),
        cmocka_unit_test_setup_teardown(test_one_bad_element_openconfig, fresh, done),
        cmocka_unit_test_setup_teardown(test_one_bad_element_ietf, fresh, done),
        cmocka_unit_test_setup_teardown(test_reply_forms_and_bgp_top, fresh, done),
        cmocka_unit_test_setup_teardown(test_empty_reply_is_no_data, fresh, done),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
