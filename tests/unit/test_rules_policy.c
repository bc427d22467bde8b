/*
 * Unit tests of the pieces behind the rules: the route-policy evaluator
 * (pe_*), user rules (urules_*), the checklist
 * (checklist_*), and the engine's policy: waivers before and after their
 * expiry, severity overrides and the fail-on exit code.
 *
 * Over 600 lines: the policy evaluator's cases read best side by side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "checklist.h"
#include "policy_eval.h"
#include "userrules.h"
#include "engine.h"
#include "model.h"

static struct ly_ctx *ctx;
static struct refdata *ref;
static char tmpdir[] = "/tmp/er-rpol-XXXXXX";

static int
setup(void **state)
{
    struct er_err err = {0};

    (void)state;
    if (model_ctx_new(NULL, &ctx, &err) || refdata_load(NULL, &ref, &err) || !mkdtemp(tmpdir)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int
teardown(void **state)
{
    char cmd[128];

    (void)state;
    refdata_free(ref);
    ly_ctx_destroy(ctx);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *
write_tmp(const char *name, const char *text)
{
    static char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void
ok(er_code rc, const struct er_err *err)
{
    if (rc)
        fail_msg("%s", err->msg);
}

/* A device with one neighbor and the usual Microsoft import policy, built in the test. */
static struct er_model *
policy_net(struct lyd_node **dev, struct lyd_node **nb)
{
    struct er_model *m = NULL;
    struct er_err err = {0};
    struct lyd_node *bgp, *ps, *e, *cs, *pol, *t;

    ok(model_new(ctx, &m, &err), &err);
    ok(model_device(m, "er1", "er-edge", dev, &err), &err);
    ok(model_cont(*dev, "bgp", &bgp, &err), &err);
    ok(model_list(bgp, "neighbor", "203.0.113.2", nb, &err), &err);
    ok(model_leaf(*nb, "peer-as", "12076", &err), &err);
    ok(model_leaflist(*nb, "import-policy", "MS-IN", &err), &err);
    ok(model_list(*dev, "prefix-set", "BLOCKED", &ps, &err), &err);
    ok(model_list2(ps, "entry", "20.38.96.0/20", "20..24", &e, &err), &err);
    ok(model_list(*dev, "community-set", "EU", &cs, &err), &err);
    ok(model_leaflist(cs, "member", "12076:5100[23]", &err), &err);
    ok(model_list(*dev, "policy", "MS-IN", &pol, &err), &err);
    ok(model_list(pol, "term", "drop-blocked", &t, &err), &err);
    ok(model_leaflist(t, "match-prefix-set", "BLOCKED", &err), &err);
    ok(model_leaf(t, "action", "reject", &err), &err);
    ok(model_list(pol, "term", "eu", &t, &err), &err);
    ok(model_leaflist(t, "match-community-set", "EU", &err), &err);
    ok(model_leaf(t, "match-as-path", "^12076$", &err), &err);
    ok(model_leaf(t, "set-local-preference", "200", &err), &err);
    ok(model_leaf(t, "action", "accept", &err), &err);
    ok(model_leaf(pol, "default-action", "reject", &err), &err);
    return m;
}

static void
test_policy_eval(void **state)
{
    struct lyd_node *dev, *nb;
    struct er_model *m = policy_net(&dev, &nb);
    struct pe_route r;
    struct pe_result res;
    struct pfx p;

    (void)state;
    /* A West Europe route (12076:51002 matches the regular expression) gets 200. */
    assert_int_equal(pfx_parse("20.38.80.0/24", &p, 1), 0);
    pe_ms_route(ref, "PowerPlatformInfra.WestEurope", &p, &r);
    assert_string_equal(r.comm[0], "12076:51002");
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);
    assert_int_equal(res.local_pref, 200);
    assert_string_equal(res.term, "eu");
    assert_false(res.uncertain);

    /* East US (51004) is outside the set: the default action rejects it. */
    pe_ms_route(ref, "PowerPlatformInfra.EastUS", &p, &r);
    pe_eval(dev, nb, 1, &r, &res);
    assert_false(res.accepted);
    assert_string_equal(res.term, "default-action");

    /* Inside the blocked range and within 20..24: the first term rejects; a /25 is outside the range. */
    assert_int_equal(pfx_parse("20.38.97.0/24", &p, 1), 0);
    pe_ms_route(ref, "PowerPlatformInfra.WestEurope", &p, &r);
    pe_eval(dev, nb, 1, &r, &res);
    assert_false(res.accepted);
    assert_string_equal(res.term, "drop-blocked");
    assert_int_equal(pfx_parse("20.38.97.0/25", &p, 1), 0);
    pe_ms_route(ref, "PowerPlatformInfra.WestEurope", &p, &r);
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);

    /* A path through another AS fails ^12076$. */
    r.as_path = "64600 12076";
    pe_eval(dev, nb, 1, &r, &res);
    assert_false(res.accepted);

    /* Unknown communities: the condition is assumed to match and the result says so. */
    pe_ms_route(ref, "PowerBI", &p, &r);
    assert_false(r.comm_known);
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);
    assert_true(res.uncertain);
    assert_non_null(res.why_uncertain);

    /* Microsoft 365 sets carry their service community. */
    pe_ms_route(ref, "M365.SharePoint.31", &p, &r);
    assert_string_equal(r.comm[0], "12076:5020");

    /* A local preference set on the neighbor counts when no term sets one; no policy accepts. */
    lyd_free_tree(model_child(nb, "import-policy"));
    {
        struct er_err err = {0};

        ok(model_leaf(nb, "local-preference", "120", &err), &err);
    }
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);
    assert_true(res.no_policy);
    assert_int_equal(res.local_pref, 120);
    model_free(m);
}

static void
test_policy_chain(void **state)
{
    struct lyd_node *dev, *nb, *pol, *t;
    struct er_model *m = policy_net(&dev, &nb);
    struct er_err err = {0};
    struct pe_route r;
    struct pe_result res;

    (void)state;
    /* A first policy that only prepends and goes on; the second decides. Export direction. */
    ok(model_leaflist(nb, "export-policy", "PREPEND", &err), &err);
    ok(model_leaflist(nb, "export-policy", "OUT", &err), &err);
    ok(model_list(dev, "policy", "PREPEND", &pol, &err), &err);
    ok(model_list(pol, "term", "all", &t, &err), &err);
    ok(model_leaf(t, "set-prepend-count", "2", &err), &err);
    ok(model_list(dev, "policy", "OUT", &pol, &err), &err);
    ok(model_list(pol, "term", "asset", &t, &err), &err);
    ok(model_leaf(t, "match-as-path", "MY-AS-PATHS", &err), &err);
    ok(model_leaf(t, "action", "reject", &err), &err);
    ok(model_leaf(pol, "default-action", "accept", &err), &err);
    pe_inet_route(NULL, &r);
    pe_eval(dev, nb, 0, &r, &res);
    assert_true(res.accepted);
    assert_int_equal(res.prepend, 2);
    assert_string_equal(res.policy, "OUT");
    /* The AS-path set known only by name could not be judged. */
    assert_true(res.uncertain);
    assert_true(pe_comm_match("12076:510..", "12076:51044"));
    assert_false(pe_comm_match("12076:5100", "12076:51002"));
    model_free(m);
}

/* A route with prefix @p prefix (NULL: unknown) and up to two communities. */
static void
mk_route(struct pe_route *r, const char *prefix, const char *c1, const char *c2)
{
    memset(r, 0, sizeof *r);
    r->as_path = "12076";
    if (prefix) {
        assert_int_equal(pfx_parse(prefix, &r->prefix, 0), 0);
        r->prefix_known = 1;
    }
    r->comm_known = 1;
    if (c1)
        r->comm[r->n_comm++] = c1;
    if (c2)
        r->comm[r->n_comm++] = c2;
}

/* A device with neighbor @p addr importing through @p policy (created empty) with default @p dflt (NULL: none). */
static struct er_model *
bare_net(const char *dflt, struct lyd_node **dev, struct lyd_node **nb, struct lyd_node **pol)
{
    struct er_model *m = NULL;
    struct er_err err = {0};
    struct lyd_node *bgp;

    ok(model_new(ctx, &m, &err), &err);
    ok(model_device(m, "er1", "er-edge", dev, &err), &err);
    ok(model_cont(*dev, "bgp", &bgp, &err), &err);
    ok(model_list(bgp, "neighbor", "203.0.113.2", nb, &err), &err);
    ok(model_leaf(*nb, "peer-as", "12076", &err), &err);
    ok(model_leaflist(*nb, "import-policy", "MS-IN", &err), &err);
    if (dflt) {
        ok(model_leaf(*nb, "default-import", dflt, &err), &err);
        ok(model_leaf(*nb, "default-origin", "openconfig", &err), &err);
    }
    ok(model_list(*dev, "policy", "MS-IN", pol, &err), &err);
    return m;
}

/* A policy whose only term admits East US: what falls through gets the neighbor's default. */
static void
test_policy_default_import(void **state)
{
    static const char *const dflt[] = {"reject", "accept", NULL};
    struct lyd_node *dev, *nb, *pol, *t, *cs;
    struct er_err err = {0};
    struct pe_route r;
    struct pe_result res;
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        struct er_model *m = bare_net(dflt[i], &dev, &nb, &pol);

        ok(model_list(dev, "community-set", "EASTUS", &cs, &err), &err);
        ok(model_leaflist(cs, "member", "12076:51004", &err), &err);
        ok(model_list(pol, "term", "eastus", &t, &err), &err);
        ok(model_leaflist(t, "match-community-set", "EASTUS", &err), &err);
        ok(model_leaf(t, "action", "accept", &err), &err);
        mk_route(&r, NULL, "12076:51004", NULL);
        pe_eval(dev, nb, 1, &r, &res);
        assert_true(res.accepted);
        assert_false(res.by_default);
        assert_string_equal(res.term, "eastus");
        mk_route(&r, NULL, "12076:51002", NULL);
        pe_eval(dev, nb, 1, &r, &res);
        assert_true(res.by_default);
        assert_int_equal(res.default_known, dflt[i] != NULL);
        /* REJECT_ROUTE drops West Europe; ACCEPT_ROUTE or an unrecorded default lets it in. */
        assert_int_equal(res.accepted, i != 0);
        assert_null(res.policy);
        /* The policy's own default-action (route-map implicit deny) ends the chain before the neighbor's. */
        ok(model_leaf(pol, "default-action", "reject", &err), &err);
        pe_eval(dev, nb, 1, &r, &res);
        assert_false(res.accepted);
        assert_false(res.by_default);
        assert_string_equal(res.term, "default-action");
        model_free(m);
    }
}

/* "Reject what is not in MS-EUROPE, accept the rest with local-preference 200" (INVERT). */
static void
test_policy_invert_community(void **state)
{
    struct lyd_node *dev, *nb, *pol, *t, *cs;
    struct er_model *m = bare_net("reject", &dev, &nb, &pol);
    struct er_err err = {0};
    struct pe_route r;
    struct pe_result res;

    (void)state;
    ok(model_list(dev, "community-set", "MS-EUROPE", &cs, &err), &err);
    ok(model_leaflist(cs, "member", "12076:51002", &err), &err);
    ok(model_leaflist(cs, "member", "12076:51003", &err), &err);
    ok(model_list(pol, "term", "not-europe", &t, &err), &err);
    ok(model_leaflist(t, "match-community-set", "MS-EUROPE", &err), &err);
    ok(model_leaf(t, "match-community-set-options", "invert", &err), &err);
    ok(model_leaf(t, "action", "reject", &err), &err);
    ok(model_list(pol, "term", "rest", &t, &err), &err);
    ok(model_leaf(t, "set-local-preference", "200", &err), &err);
    ok(model_leaf(t, "action", "accept", &err), &err);
    mk_route(&r, NULL, "12076:51003", NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);
    assert_int_equal(res.local_pref, 200);
    assert_string_equal(res.term, "rest");
    mk_route(&r, NULL, "12076:51004", "65000:1");
    pe_eval(dev, nb, 1, &r, &res);
    assert_false(res.accepted);
    assert_string_equal(res.term, "not-europe");
    /* A route without communities is in none of the set: INVERT matches it. */
    mk_route(&r, NULL, NULL, NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_false(res.accepted);
    /* Unknown communities: not judged, marked uncertain. */
    mk_route(&r, NULL, NULL, NULL);
    r.comm_known = 0;
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.uncertain);
    model_free(m);
}

/* ALL needs every member of the set on the route; the term's option overrides the set's. */
static void
test_policy_all_any(void **state)
{
    struct lyd_node *dev, *nb, *pol, *t, *cs;
    struct er_model *m = bare_net("reject", &dev, &nb, &pol);
    struct er_err err = {0};
    struct pe_route r;
    struct pe_result res;

    (void)state;
    ok(model_list(dev, "community-set", "MS-EUROPE", &cs, &err), &err);
    ok(model_leaflist(cs, "member", "12076:51002", &err), &err);
    ok(model_leaflist(cs, "member", "12076:5100[0-9]", &err), &err);
    ok(model_leaf(cs, "match-set-options", "all", &err), &err);
    ok(model_list(pol, "term", "europe", &t, &err), &err);
    ok(model_leaflist(t, "match-community-set", "MS-EUROPE", &err), &err);
    ok(model_leaf(t, "action", "accept", &err), &err);
    /* 12076:51003 alone: the exact member 12076:51002 is missing. */
    mk_route(&r, NULL, "12076:51003", NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_false(res.accepted);
    assert_true(res.by_default);
    /* 12076:51002 alone matches both members (the second is a regular expression). */
    mk_route(&r, NULL, "12076:51002", NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);
    mk_route(&r, NULL, "65000:7", "12076:51002");
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);
    /* The term says ANY: 12076:51003 matches the regular expression. */
    ok(model_leaf(t, "match-community-set-options", "any", &err), &err);
    mk_route(&r, NULL, "12076:51003", NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);
    model_free(m);
}

/* Prefix sets with mask-length ranges, INVERT, and terms without an action going on to the next. */
static void
test_policy_prefix_invert_next(void **state)
{
    struct lyd_node *dev, *nb, *pol, *t, *ps, *e;
    struct er_model *m = bare_net("reject", &dev, &nb, &pol);
    struct er_err err = {0};
    struct pe_route r;
    struct pe_result res;

    (void)state;
    ok(model_list(dev, "prefix-set", "MS", &ps, &err), &err);
    ok(model_list2(ps, "entry", "20.38.0.0/16", "16..24", &e, &err), &err);
    ok(model_list(pol, "term", "lp", &t, &err), &err);
    ok(model_leaf(t, "set-local-preference", "150", &err), &err);
    ok(model_list(pol, "term", "not-ms", &t, &err), &err);
    ok(model_leaflist(t, "match-prefix-set", "MS", &err), &err);
    ok(model_leaf(t, "match-prefix-set-options", "invert", &err), &err);
    ok(model_leaf(t, "action", "reject", &err), &err);
    ok(model_list(pol, "term", "ms", &t, &err), &err);
    ok(model_leaf(t, "action", "accept", &err), &err);
    mk_route(&r, "20.38.80.0/20", NULL, NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);
    assert_int_equal(res.local_pref, 150);   /* set by the term that went on */
    assert_string_equal(res.term, "ms");
    /* Longer than the range allows, or outside: not in the set, so INVERT rejects. */
    mk_route(&r, "20.38.80.0/25", NULL, NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_false(res.accepted);
    assert_string_equal(res.term, "not-ms");
    mk_route(&r, "20.39.0.0/24", NULL, NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_false(res.accepted);
    model_free(m);
}

/* Chains: a policy that decides nothing hands the route to the next; the last undecided gets the default. */
static void
test_policy_chain_default(void **state)
{
    struct lyd_node *dev, *nb, *pol, *t, *cs;
    struct er_model *m = bare_net("accept", &dev, &nb, &pol);
    struct er_err err = {0};
    struct pe_route r;
    struct pe_result res;

    (void)state;
    ok(model_list(pol, "term", "mark", &t, &err), &err);
    ok(model_leaf(t, "set-local-preference", "120", &err), &err);
    ok(model_leaflist(nb, "import-policy", "DROP-US", &err), &err);
    ok(model_list(dev, "community-set", "US", &cs, &err), &err);
    ok(model_leaflist(cs, "member", "^12076:5100[4-9]$", &err), &err);
    ok(model_list(dev, "policy", "DROP-US", &pol, &err), &err);
    ok(model_list(pol, "term", "us", &t, &err), &err);
    ok(model_leaflist(t, "match-community-set", "US", &err), &err);
    ok(model_leaf(t, "action", "reject", &err), &err);
    mk_route(&r, NULL, "12076:51004", NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_false(res.accepted);
    assert_string_equal(res.policy, "DROP-US");
    mk_route(&r, NULL, "12076:51002", NULL);
    pe_eval(dev, nb, 1, &r, &res);
    assert_true(res.accepted);
    assert_true(res.by_default);
    assert_true(res.default_known);
    assert_int_equal(res.local_pref, 120);
    model_free(m);
}

static void
test_user_rules_errors(void **state)
{
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"rules:\n  - id: U1\n    title: t\n    section: peering\n    severity: low\n    message: m\n"
         "    select: /eraudit-network:network/device/bgpp\n", ":7:13: select is not a valid path"},
        {"rules:\n  - id: U1\n    title: t\n    section: peering\n    severity: low\n    message: m\n"
         "    select: /eraudit-network:network/device\n    assert: \"rolee = 'wan'\"\n", ":8:13: assert is not a valid path"},
        {"rules:\n  - id: U1\n    title: t\n    section: peering\n    severity: urgent\n    message: m\n"
         "    select: /eraudit-network:network/device\n", ":5:15: expected a severity"},
        {"rules:\n  - id: U1\n    title: t\n    section: routing\n    severity: low\n    message: m\n"
         "    select: /eraudit-network:network/device\n", "expected a checklist section"},
        {"rules:\n  - id: PEER-001\n    title: t\n    section: peering\n    severity: low\n    message: m\n"
         "    select: /eraudit-network:network/device\n", "rule id 'PEER-001' is used already"},
        {"rules:\n  - id: U1\n    title: t\n    section: peering\n    severity: low\n    message: m\n"
         "    select: /eraudit-network:network/device\n    colour: red\n", ":8:5: unknown key 'colour'"},
        {"rules:\n  - id: U1\n    title: t\n", "expected key 'section'"},
        {"rules: [\n", "did not find expected node content"},
        {"checks: []\n", "unknown key 'checks'"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct urules *u = NULL;
        struct er_err err = {0};
        const char *path = write_tmp("rules.yaml", bad[i].text);

        assert_int_equal(urules_load(ctx, path, &u, &err), ER_EINVAL);
        assert_null(u);
        if (!strstr(err.msg, bad[i].msg) || !strstr(err.msg, path))
            fail_msg("case %zu: got '%s', expected '%s'", i, err.msg, bad[i].msg);
    }
}

/*
 * Selects libyang 2.1's schema XPath crashes on (a*b[c or d], found by fuzzing) and other shapes
 * outside the subset user rules allow: each is a named error with the file and line, never a crash.
 */
static void
test_user_rule_xpath_crash_shape_is_named_error(void **state)
{
    static const char *const sel[] = {
        "a*b[c or d]",
        "/eraudit-network:network/device*bgp[peer-as or bfd]",
        "/eraudit-network:network/device[name='a'",
        "/eraudit-network:network/device[name=\\\"a]",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof sel / sizeof *sel; i++) {
        struct urules *u = NULL;
        struct er_err err = {0};
        char text[512];
        const char *path;

        snprintf(text, sizeof text, "rules:\n  - id: U1\n    title: t\n    section: peering\n    severity: low\n"
                "    message: m\n    select: \"%s\"\n", sel[i]);
        path = write_tmp("rules.yaml", text);
        assert_int_equal(urules_load(ctx, path, &u, &err), ER_EINVAL);
        assert_null(u);
        print_message("%s\n", err.msg);
        if (!strstr(err.msg, path) || !strstr(err.msg, ":7:") || !strstr(err.msg, "select"))
            fail_msg("case %zu: got '%s'", i, err.msg);
    }
}

/* A user rule runs like a built-in one, and the table keeps the built-in rules first. */
static void
test_user_rules_run(void **state)
{
    struct urules *u = NULL;
    struct er_err err = {0};
    struct er_model *m;
    struct lyd_node *dev, *nb;
    struct findings f = {0};
    const struct rule *t;
    size_t n, nb_builtin;

    (void)state;
    ok(urules_load(ctx, write_tmp("rules.yaml",
            "rules:\n"
            "  - id: U-BFD\n    title: BFD everywhere\n    section: peering\n    severity: high\n"
            "    question: PEERING-1\n"
            "    select: \"/eraudit-network:network/device/bgp/neighbor\"\n"
            "    assert: \"bfd = 'true'\"\n    message: \"{device}: {value} lacks BFD\"\n"), &u, &err), &err);
    rules_builtin(&nb_builtin);
    t = urules_table(u, &n);
    assert_int_equal(n, nb_builtin + 1);
    assert_string_equal(t[n - 1].id, "U-BFD");
    assert_string_equal(urules_question(&t[n - 1]), "PEERING-1");
    assert_null(urules_question(&t[0]));
    ok(engine_check_paths(ctx, t, n, &err), &err);

    m = policy_net(&dev, &nb);
    ok(engine_run(m, ref, &t[n - 1], 1, NULL, "2026-11-22", &f, &err), &err);
    assert_int_equal(f.n_rules, 1);
    assert_int_equal(f.rules[0].outcome, OUT_FAIL);
    assert_string_equal(f.v[0].message, "er1: 203.0.113.2 lacks BFD");
    assert_string_equal(f.v[0].device, "er1");
    /* The checklist counts it for its question. */
    assert_non_null(strstr(f.questions[5].rules, "U-BFD"));
    assert_string_equal(f.questions[5].id, "PEERING-1");
    assert_int_equal(f.questions[5].status, Q_FAIL);
    findings_clear(&f);
    {
        ok(model_leaf(nb, "bfd", "true", &err), &err);
    }
    ok(engine_run(m, ref, &t[n - 1], 1, NULL, "2026-11-22", &f, &err), &err);
    assert_int_equal(f.rules[0].outcome, OUT_PASS);
    findings_clear(&f);
    model_free(m);
    urules_free(u);
}

/* Waivers before and after their date, severity overrides, fail-on, and attestations. */
static void
test_policy_waivers(void **state)
{
    struct inventory *inv = NULL;
    struct er_err err = {0};
    struct er_model *m;
    struct lyd_node *dev, *nb;
    struct findings f = {0};
    const struct rule *t;
    size_t n, i;
    struct urules *u = NULL;
    static const char inv_text[] =
        "devices:\n  - {name: er1, host: 127.0.0.1, role: er-edge, collectors: [netconf]}\n"
        "policy:\n  severity-overrides: {U-BFD: critical}\n"
        "  waivers:\n    - {rule: U-BFD, device: er1, owner: ops, reason: \"lab router\", expires: 2026-12-31}\n"
        "attestations:\n  - {question: WAN-1, answer: sized, by: me, date: 2026-01-02}\n"
        "  - {question: PEERING-1, answer: fine, by: me, date: 2026-01-02}\n";

    (void)state;
    ok(inv_load_mem("inv.yaml", inv_text, sizeof inv_text - 1, &inv, &err), &err);
    ok(checklist_check_inventory(inv, &err), &err);
    ok(urules_load(ctx, write_tmp("rules.yaml",
            "rules:\n  - id: U-BFD\n    title: t\n    section: peering\n    severity: low\n    question: PEERING-1\n"
            "    select: \"/eraudit-network:network/device/bgp/neighbor\"\n    assert: \"bfd = 'true'\"\n"
            "    message: no bfd\n"), &u, &err), &err);
    t = urules_table(u, &n);
    m = policy_net(&dev, &nb);

    /* Before the date: waived, the rule passes, and nothing fails. */
    ok(engine_run(m, ref, &t[n - 1], 1, inv, "2026-12-31", &f, &err), &err);
    assert_int_equal(f.v[0].status, ST_WAIVED);
    assert_int_equal(f.v[0].sev, SEV_CRITICAL);
    assert_non_null(strstr(f.v[0].waiver, "ops: lab router (until 2026-12-31)"));
    assert_int_equal(f.rules[0].outcome, OUT_PASS);
    assert_int_equal(engine_exit_code(&f, SEV_INFO), EXIT_OK);
    findings_clear(&f);

    /* After it: a failure again, at the overridden severity, saying whose waiver ran out. */
    ok(engine_run(m, ref, &t[n - 1], 1, inv, "2027-01-01", &f, &err), &err);
    assert_int_equal(f.v[0].status, ST_FAIL);
    assert_int_equal(f.v[0].sev, SEV_CRITICAL);
    assert_non_null(strstr(f.v[0].message, "waiver by ops expired on 2026-12-31"));
    assert_int_equal(f.rules[0].sev, SEV_CRITICAL);
    assert_int_equal(engine_exit_code(&f, SEV_CRITICAL), EXIT_FINDINGS);
    assert_int_equal(engine_exit_code(&f, SEV_HIGH), EXIT_FINDINGS);

    /* Attestations: WAN-1 has no rule run here, so it is attested; PEERING-1 failed, and stays failed. */
    for (i = 0; i < f.n_questions; i++) {
        if (!strcmp(f.questions[i].id, "WAN-1")) {
            assert_int_equal(f.questions[i].status, Q_ATTESTED);
            assert_string_equal(f.questions[i].answer, "sized");
        } else if (!strcmp(f.questions[i].id, "PEERING-1")) {
            assert_int_equal(f.questions[i].status, Q_FAIL);
        } else if (!strcmp(f.questions[i].id, "GEO-2")) {
            assert_int_equal(f.questions[i].status, Q_NOT_ANSWERED);
        }
    }
    for (i = 0; i < f.n; i++)
        assert_true(f.v[i].status != ST_PASS || strcmp(f.v[i].rule, "WAN-1"));
    assert_int_equal(f.v[f.n - 1].status, ST_ATTESTED);
    findings_clear(&f);
    model_free(m);
    urules_free(u);
    inv_free(inv);

    /* An attestation for a question that does not exist is an error naming the line. */
    {
        static const char badq[] = "devices:\n  - {name: er1, host: h, role: er-edge, collectors: [netconf]}\n"
            "attestations:\n  - {question: WAN-9, answer: a, by: b, date: 2026-01-01}\n";

        ok(inv_load_mem("inv.yaml", badq, sizeof badq - 1, &inv, &err), &err);
        assert_int_equal(checklist_check_inventory(inv, &err), ER_EINVAL);
        assert_non_null(strstr(err.msg, "inv.yaml:4: expected a checklist question id"));
        inv_free(inv);
    }
}

static void
test_checklist_table(void **state)
{
    const struct checklist_q *q;
    const struct rule *r;
    size_t n, nr, i;
    char buf[128];

    (void)state;
    q = checklist_questions(&n);
    r = rules_builtin(&nr);
    /* Every built-in rule answers at least one question, every question a rule names exists,
     * and every question is answered by some rule. */
    for (i = 0; i < nr; i++) {
        const char *p = r[i].questions;

        if (!*checklist_of_rule(r[i].id, NULL, buf, sizeof buf))
            fail_msg("rule %s answers no checklist question", r[i].id);
        while (*p) {
            size_t l = strcspn(p, " "), k;

            for (k = 0; k < n && (strlen(q[k].id) != l || strncmp(q[k].id, p, l)); k++)
                ;
            if (k == n)
                fail_msg("rule %s names an unknown question %.*s", r[i].id, (int)l, p);
            p += l + (p[l] == ' ');
        }
    }
    for (i = 0; i < n; i++) {
        size_t k;

        for (k = 0; k < nr && !strstr(r[k].questions, q[i].id); k++)
            ;
        if (k == nr)
            fail_msg("no rule answers question %s", q[i].id);
    }
    assert_string_equal(checklist_of_rule("PREF-003", NULL, buf, sizeof buf), "CLIENT-1,ROUTING-1");
    assert_string_equal(checklist_of_rule("U-1", "GEO-2", buf, sizeof buf), "GEO-2");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_eval),
        cmocka_unit_test(test_policy_chain),
        cmocka_unit_test(test_policy_default_import),
        cmocka_unit_test(test_policy_invert_community),
        cmocka_unit_test(test_policy_all_any),
        cmocka_unit_test(test_policy_prefix_invert_next),
        cmocka_unit_test(test_policy_chain_default),
        cmocka_unit_test(test_user_rules_errors),
        cmocka_unit_test(test_user_rule_xpath_crash_shape_is_named_error),
        cmocka_unit_test(test_user_rules_run),
        cmocka_unit_test(test_policy_waivers),
        cmocka_unit_test(test_checklist_table),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
