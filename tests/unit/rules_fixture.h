/**
 * @file rules_fixture.h
 * @brief The one cmocka fixture of the rule tests: a schema context and the
 * shipped reference data made once per test file (setup/teardown), and
 * networks loaded from tests/unit/data/rules/ (fx_load). Included by each
 * test_rules*.c instead of copying these helpers into it.
 */
#ifndef ER_TEST_RULES_FIXTURE_H
#define ER_TEST_RULES_FIXTURE_H

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "refdata.h"
#include "model.h"
#include "rule.h"

static struct ly_ctx *ctx;
static struct refdata *ref;

/* cmocka group setup: the context and the reference data, or -1 with the reason on stderr. */
static int __attribute__((unused))
setup(void **state)
{
    struct er_err err = {0};

    (void)state;
    if (model_ctx_new(NULL, &ctx, &err) || refdata_load(NULL, &ref, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

/* cmocka group teardown: frees what setup made. */
static int __attribute__((unused))
teardown(void **state)
{
    (void)state;
    refdata_free(ref);
    ly_ctx_destroy(ctx);
    return 0;
}

/* The network tests/unit/data/rules/NAME (a model in JSON); the test fails when it cannot be read. */
__attribute__((unused)) static struct er_model *
fx_load(const char *name)
{
    struct er_model *m = NULL;
    struct er_err err = {0};
    char path[1024];

    snprintf(path, sizeof path, "%s/unit/data/rules/%s", TESTS_DIR, name);
    if (model_load_json(ctx, path, &m, &err))
        fail_msg("%s: %s", path, err.msg);
    return m;
}

/* Set leaf @p leaf of @p node to @p value; the test fails when the model refuses it. */
__attribute__((unused)) static void
set(struct lyd_node *node, const char *leaf, const char *value)
{
    struct er_err err = {0};

    assert_int_equal(model_leaf(node, leaf, value, &err), ER_OK);
}

/* The entry @p key of list @p name under @p parent, made when missing. */
__attribute__((unused)) static struct lyd_node *
list(struct lyd_node *parent, const char *name, const char *key)
{
    struct lyd_node *n;
    struct er_err err = {0};

    assert_int_equal(model_list(parent, name, key, &n, &err), ER_OK);
    return n;
}

/* Run built-in rule @p id on @p m; @p f gets its findings (printed when RULES_TEST_VERBOSE is set). */
__attribute__((unused)) static void
fx_run(const char *id, const struct er_model *m, struct findings *f)
{
    struct rule_ctx rc = {.rule = rules_builtin_find(id), .m = m, .ref = ref, .out = f};
    size_t i;

    if (!rc.rule)
        fail_msg("no rule %s", id);
    memset(f, 0, sizeof *f);
    rc.rule->check(&rc);
    assert_int_equal(rc.rc, ER_OK);
    for (i = 0; getenv("RULES_TEST_VERBOSE") && i < f->n; i++)
        fprintf(stderr, "%s %-13s %-8s %-5s %s | seen: %s | expected: %s | %s\n", id, status_name(f->v[i].status),
                sev_name(f->v[i].sev), f->v[i].device ? f->v[i].device : "-", f->v[i].message,
                f->v[i].seen ? f->v[i].seen : "-", f->v[i].expected ? f->v[i].expected : "-",
                f->v[i].path ? f->v[i].path : "-");
}

/* 1 when @p s holds @p sub (NULL holds nothing). */
__attribute__((unused)) static int
fx_has(const char *s, const char *sub)
{
    return s && strstr(s, sub);
}

/* The first finding with status @p st on @p dev (NULL: any device) whose message, seen or expected holds @p sub (NULL: any); fails if none. */
__attribute__((unused)) static const struct finding *
fx_find(const struct findings *f, enum er_status st, const char *dev, const char *sub)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        const struct finding *x = &f->v[i];

        if (x->status != st || (dev && (!x->device || strcmp(x->device, dev))))
            continue;
        if (!sub || fx_has(x->message, sub) || fx_has(x->seen, sub) || fx_has(x->expected, sub))
            return x;
    }
    fail_msg("no %s finding on %s mentioning '%s'", status_name(st), dev ? dev : "-", sub ? sub : "");
    return NULL;
}

/* How many findings have status @p st on @p dev (NULL: any device). */
__attribute__((unused)) static size_t
fx_count(const struct findings *f, enum er_status st, const char *dev)
{
    size_t i, n = 0;

    for (i = 0; i < f->n; i++)
        n += f->v[i].status == st && (!dev || (f->v[i].device && !strcmp(f->v[i].device, dev)));
    return n;
}

/* Device @p name of @p m; the test fails without it. */
__attribute__((unused)) static struct lyd_node *
fx_dev(struct er_model *m, const char *name)
{
    struct lyd_node *d = model_find_device(m, name);

    assert_non_null(d);
    return d;
}

/* BGP neighbor @p addr of device @p d; the test fails without it. */
__attribute__((unused)) static struct lyd_node *
fx_nb(struct er_model *m, const char *d, const char *addr)
{
    struct lyd_node *n = model_find(model_child(fx_dev(m, d), "bgp"), "neighbor", addr);

    assert_non_null(n);
    return n;
}

/* Add @p value to leaf-list @p leaf of @p node; the test fails when the model refuses it. */
__attribute__((unused)) static void
fx_add(struct lyd_node *node, const char *leaf, const char *value)
{
    struct er_err err = {0};

    assert_int_equal(model_leaflist(node, leaf, value, &err), ER_OK);
}

/* Free a test's findings and network. */
__attribute__((unused)) static void
fx_done(struct er_model *m, struct findings *f)
{
    findings_clear(f);
    model_free(m);
}

#endif
