/**
 * @file mib_fixture.h
 * @brief The fixture of the MIB decoder tests (test_mib.c, test_mib_vendor.c):
 * a model with one device "dev1", walk directories under tests/unit/data/snmp
 * mapped into it, and lookups that fail the test when a node is missing.
 * Included by one test file each (static functions).
 */
#ifndef ER_TEST_MIB_FIXTURE_H
#define ER_TEST_MIB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper.h"
#include "mib.h"
#include "model.h"

#ifndef DATA
#define DATA TESTS_DIR "/unit/data/snmp"
#endif

struct fx {
    struct ly_ctx *ctx;
    struct er_model *m;
    struct lyd_node *dev;
    struct er_err err;
    struct map_ctx mc;
};

static inline int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    if (!f || model_ctx_new(NULL, &f->ctx, &f->err) || model_new(f->ctx, &f->m, &f->err)
            || model_device(f->m, "dev1", "er-edge", &f->dev, &f->err)) {
        fprintf(stderr, "setup: %s\n", f ? f->err.msg : "out of memory");
        return -1;
    }
    f->mc = (struct map_ctx){.m = f->m, .dev = f->dev, .device = "dev1", .err = &f->err, .source = MAP_STATE};
    *state = f;
    return 0;
}

static inline int
teardown(void **state)
{
    struct fx *f = *state;

    free(f->mc.skipped);
    model_free(f->m);
    ly_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

static inline er_code
map_dir(struct fx *f, const char *name)
{
    char dir[512];
    er_code rc;

    snprintf(dir, sizeof dir, "%s/%s", DATA, name);
    rc = snmp_map_device(&f->mc, dir);
    if (rc)
        print_message("map %s: %s\n", name, f->err.msg);
    return rc;
}

static inline void
validate(struct fx *f)
{
    if (model_validate(f->m, &f->err))
        fail_msg("model_validate: %s", f->err.msg);
}

static inline struct lyd_node *
find2(const struct lyd_node *parent, const char *list, const char *key)
{
    struct lyd_node *n = model_find(parent, list, key);

    if (!n)
        fail_msg("no %s[%s] under %s", list, key, model_path(parent));
    return n;
}

static inline uint64_t
u64(const struct lyd_node *n, const char *leaf)
{
    uint64_t v;

    if (!model_u64(n, leaf, &v))
        fail_msg("no %s under %s", leaf, model_path(n));
    return v;
}

static inline int
has_leaflist(const struct lyd_node *parent, const char *name, const char *value)
{
    struct lyd_node *it;

    MODEL_FOR(parent, name, it)
        if (!strcmp(model_value(it), value))
            return 1;
    return 0;
}

#endif
