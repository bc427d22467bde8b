/**
 * @file ncmap_fixture.h
 * @brief The fixture the NETCONF mapper tests share: a context, a fresh
 * tree with device r1 for every test, a case directory mapped into it,
 * and XPath reads relative to the device. Include after cmocka.h.
 */
#ifndef ER_TEST_NCMAP_FIXTURE_H
#define ER_TEST_NCMAP_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper.h"
#include "ncmap.h"
#include "model.h"

#define DATA TESTS_DIR "/unit/data/netconf"

struct fx {
    struct ly_ctx *ctx;
    struct er_model *m;
    struct lyd_node *dev;
    struct er_err err;
};

static int __attribute__((unused))
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct er_err err = {0};

    if (!f || model_ctx_new(NULL, &f->ctx, &err)) {
        print_error("%s\n", err.msg);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int __attribute__((unused))
teardown(void **state)
{
    struct fx *f = *state;

    ly_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* A fresh tree and device for every test. */
static int __attribute__((unused))
fresh(void **state)
{
    struct fx *f = *state;

    model_free(f->m);
    f->m = NULL;
    er_clear(&f->err);
    if (model_new(f->ctx, &f->m, &f->err) || model_device(f->m, "r1", "er-edge", &f->dev, &f->err))
        return -1;
    return 0;
}

static int __attribute__((unused))
done(void **state)
{
    struct fx *f = *state;

    model_free(f->m);
    f->m = NULL;
    return 0;
}

static er_code __attribute__((unused))
map_case(struct fx *f, const char *name, int candidate)
{
    char dir[512];
    struct map_ctx mc = {.m = f->m, .dev = f->dev, .device = "r1", .err = &f->err};

    snprintf(dir, sizeof dir, "%s/%s", DATA, name);
    return nc_map_device(&mc, dir, candidate);
}

static void __attribute__((unused))
map_ok(struct fx *f, const char *name, int candidate)
{
    er_code rc = map_case(f, name, candidate);

    if (rc)
        print_error("%s\n", f->err.msg);
    assert_int_equal(rc, ER_OK);
    rc = model_validate(f->m, &f->err);
    if (rc)
        print_error("%s\n", f->err.msg);
    assert_int_equal(rc, ER_OK);
}

/* Value of the first node at @path (relative to the device), NULL if absent. */
static const char * __attribute__((unused))
val(struct fx *f, const char *path)
{
    struct ly_set *set = NULL;
    const char *v = NULL;

    if (!lyd_find_xpath(f->dev, path, &set) && set->count)
        v = lyd_get_value(set->dnodes[0]);
    ly_set_free(set, NULL);
    return v;
}

static int __attribute__((unused))
exists(struct fx *f, const char *path)
{
    struct ly_set *set = NULL;
    int n = 0;

    if (!lyd_find_xpath(f->dev, path, &set))
        n = set->count > 0;
    ly_set_free(set, NULL);
    return n;
}

static size_t __attribute__((unused))
count(struct fx *f, const char *xpath)
{
    struct ly_set *set = NULL;
    size_t n;

    assert_int_equal(lyd_find_xpath(f->dev, xpath, &set), LY_SUCCESS);
    n = set->count;
    ly_set_free(set, NULL);
    return n;
}

static void __attribute__((unused))
assert_val(struct fx *f, const char *path, const char *want)
{
    const char *got = val(f, path);

    if (!got || strcmp(got, want))
        fail_msg("%s: got '%s', want '%s'", path, got ? got : "(absent)", want);
}

#endif
