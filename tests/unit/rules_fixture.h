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

#include "refdata.h"
#include "model.h"

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

#endif
