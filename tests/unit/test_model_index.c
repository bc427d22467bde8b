/**
 * @file test_model_index.c
 * @brief What the model layer keeps beside a tree lives in the model's own
 * index (struct model_index): two models in one process do not see each
 * other's frozen tables, value encoding or path buffers, and a part built
 * apart brings its settled tables into the whole model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_int.h"

struct fx {
    struct ly_ctx *ctx;
    struct er_model *a, *b;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct lyd_node *dev, *ifc;
    struct er_err err = {0};

    if (!f || model_ctx_new(NULL, &f->ctx, &err) || model_new(f->ctx, &f->a, &err) ||
            model_new(f->ctx, &f->b, &err) || model_device(f->a, "r1", "er-edge", &dev, &err) ||
            model_list(dev, "interface", "eth0", &ifc, &err) || model_leaf(ifc, "description", "a", &err) ||
            model_device(f->b, "r1", "er-edge", &dev, &err) || model_list(dev, "interface", "eth0", &ifc, &err) ||
            model_leaf(ifc, "description", "b", &err)) {
        print_error("%s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    model_free(f->a);
    model_free(f->b);
    ly_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

static const char *
descr(const struct er_model *m)
{
    return model_str(model_find(model_find_device(m, "r1"), "interface", "eth0"), "description");
}

/* Every node of a model finds the model's index; a tree of no model finds none. */
static void
test_index_of(void **state)
{
    struct fx *f = *state;
    struct lyd_node *ifc = model_find(model_find_device(f->a, "r1"), "interface", "eth0"), *dup = NULL;

    assert_non_null(f->a->idx);
    assert_ptr_not_equal(f->a->idx, f->b->idx);
    assert_ptr_equal(model_index_of(f->a->net), f->a->idx);
    assert_ptr_equal(model_index_of(ifc), f->a->idx);
    assert_ptr_equal(model_index_of(model_child(ifc, "description")), f->a->idx);
    assert_int_not_equal(f->a->idx->id, f->b->idx->id);
    /* A copy of a device stands alone: no model, and its path says so. */
    assert_int_equal(lyd_dup_single(ifc, NULL, LYD_DUP_RECURSIVE, &dup), LY_SUCCESS);
    assert_null(model_index_of(dup));
    assert_string_equal(model_path(dup), "(no model)");
    assert_string_equal(model_str(dup, "description"), "a");
    lyd_free_tree(dup);
}

/* Freezing one model leaves the other as it was, and thawing it drops only its own tables. */
static void
test_freeze_is_per_model(void **state)
{
    struct fx *f = *state;
    struct lyd_node *dev;
    struct er_err err = {0};

    model_freeze(f->a);
    assert_true(f->a->idx->frozen);
    assert_false(f->b->idx->frozen);
    assert_string_equal(descr(f->a), "a");
    assert_string_equal(descr(f->b), "b");
    assert_non_null(f->a->idx->root_table);
    assert_non_null(f->a->idx->chunks);
    assert_null(f->b->idx->chunks);
    /* The unfrozen model still builds, and reads what it built. */
    assert_int_equal(model_device(f->b, "r2", "er-edge", &dev, &err), ER_OK);
    assert_non_null(model_find_device(f->b, "r2"));
    model_thaw(f->b);
    assert_true(f->a->idx->frozen);
    assert_string_equal(descr(f->a), "a");
    model_thaw(f->a);
    assert_false(f->a->idx->frozen);
    assert_null(f->a->idx->chunks);
    assert_null(f->a->idx->root_table);
    /* Thawed: no node keeps a table, the root keeps its index. */
    assert_null(model_find_device(f->a, "r1")->priv);
    assert_ptr_equal(f->a->net->priv, f->a->idx);
    assert_string_equal(descr(f->a), "a");
}

/* Paths come from each model's own buffer, valid until the next call on this thread. */
static void
test_path_buffers(void **state)
{
    struct fx *f = *state;
    const char *pa = model_path(model_find_device(f->a, "r1"));
    const char *pb = model_path(model_find(model_find_device(f->b, "r1"), "interface", "eth0"));

    assert_string_equal(pa, "/eraudit-network:network/device[name='r1']");
    assert_string_equal(pb, "/eraudit-network:network/device[name='r1']/interface[name='eth0']");
    assert_ptr_not_equal(pa, pb);
}

/* A binary value refused in one model sends that model's values as text; the other's keep their way. */
static void
test_value_encoding_per_model(void **state)
{
    struct fx *f = *state;
    const struct lysc_node *ip = lys_find_path(f->ctx, NULL, "/eraudit-network:network/device/interface/address/ip", 0);
    struct mv v;

    assert_non_null(ip);
    assert_int_equal(mv_encode(f->a->idx, ip, "192.0.2.1", &v), MV_BIN);
    assert_int_equal(mv_confirm(f->a->idx, NULL, "192.0.2.1"), 0);
    assert_true(mv_disabled(f->a->idx));
    assert_int_equal(mv_encode(f->a->idx, ip, "192.0.2.1", &v), MV_TEXT);
    assert_false(mv_disabled(f->b->idx));
    assert_int_equal(mv_encode(f->b->idx, ip, "192.0.2.1", &v), MV_BIN);
    /* A tree of no model takes text. */
    assert_int_equal(mv_encode(NULL, ip, "192.0.2.1", &v), MV_TEXT);
}

/* A device built in a part and settled there brings its tables into the whole model. */
static void
test_part_settles_into_model(void **state)
{
    struct fx *f = *state;
    struct er_model part;
    struct lyd_node *dev, *ifc;
    struct er_err err = {0};

    assert_int_equal(model_part_new(f->a, &part, &err), ER_OK);
    assert_ptr_equal(part.idx, f->a->idx);
    assert_ptr_equal(model_index_of(part.net), f->a->idx);
    assert_int_equal(model_device(&part, "p1", "er-edge", &dev, &err), ER_OK);
    assert_int_equal(model_list(dev, "interface", "eth1", &ifc, &err), ER_OK);
    assert_int_equal(model_leaf(ifc, "description", "moved", &err), ER_OK);
    model_settle(dev);
    assert_non_null(dev->priv);
    /* Nodes of few children pack their lookups into priv and are listed for the thaw. */
    assert_non_null(f->a->idx->packs);
    lyd_unlink_tree(dev);
    assert_int_equal(lyd_insert_child(f->a->net, dev), LY_SUCCESS);
    model_part_free(&part);
    model_part_free(&part);   /* twice is fine */
    assert_string_equal(model_str(model_find(model_find_device(f->a, "p1"), "interface", "eth1"), "description"),
            "moved");
    /* model_free() thaws it; ASan sees nothing left behind. */
}

/* A frozen model finds list entries by key as libyang does (the key index is made once, shared). */
static void
test_frozen_find_by_key(void **state)
{
    struct fx *f = *state;
    struct lyd_node *dev = model_find_device(f->a, "r1"), *ifc, *nb, *bgp;
    struct er_err err = {0};
    char name[32];
    int i;

    for (i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "et-0/0/%d", i);
        assert_int_equal(model_list(dev, "interface", name, &ifc, &err), ER_OK);
    }
    assert_int_equal(model_cont(dev, "bgp", &bgp, &err), ER_OK);
    assert_int_equal(model_list(bgp, "neighbor", "2001:db8::1", &nb, &err), ER_OK);
    model_cache_reset();
    model_freeze(f->a);
    for (i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "et-0/0/%d", i);
        ifc = model_find(dev, "interface", name);
        assert_non_null(ifc);
        assert_string_equal(model_str(ifc, "name"), name);
    }
    assert_non_null(model_find(dev, "interface", "eth0"));
    assert_null(model_find(dev, "interface", "et-0/0/100"));
    assert_null(model_find(dev, "interface", NULL));
    /* An address key is compared in its canonical text, as libyang compares it. */
    assert_ptr_equal(model_find(bgp, "neighbor", "2001:DB8:0::1"), nb);
    assert_null(model_find(bgp, "neighbor", "2001:db8::2"));
    model_thaw(f->a);
    assert_ptr_equal(model_find(bgp, "neighbor", "2001:DB8:0::1"), nb);
    assert_non_null(model_find(dev, "interface", "et-0/0/99"));
}

/*
 * A node of few children packs where each child is into its priv (no
 * table); lookups give what libyang's order gives, an absent child is
 * absent, and the thaw clears the packing, so a child added later is found.
 */
static void
test_packed_children(void **state)
{
    static const char *const leaf[] = {"description", "enabled", "oper-status", "speed", "in-octets", "out-octets"};
    static const char *const val[] = {"uplink", "true", "up", "10000", "1", "2"};
    static const char *const ip[] = {"192.0.2.1", "192.0.2.5", "192.0.2.9"};
    struct fx *f = *state;
    struct lyd_node *dev = model_find_device(f->a, "r1"), *ifc, *a, *big;
    struct er_err err = {0};
    char name[32];
    size_t i, n;

    assert_int_equal(model_list(dev, "interface", "ge-1", &ifc, &err), ER_OK);
    for (i = 0; i < sizeof leaf / sizeof *leaf; i++)
        assert_int_equal(model_leaf(ifc, leaf[i], val[i], &err), ER_OK);
    for (i = 0; i < 3; i++) {
        assert_int_equal(model_list(ifc, "address", ip[i], &a, &err), ER_OK);
        assert_int_equal(model_leaf(a, "prefix-length", "30", &err), ER_OK);
    }
    /* A device of many interfaces takes a table. */
    for (i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "xe-%zu", i);
        assert_int_equal(model_list(dev, "interface", name, &big, &err), ER_OK);
    }
    model_cache_reset();
    model_freeze(f->a);
    assert_string_equal(model_str(ifc, "name"), "ge-1");
    for (i = 0; i < sizeof leaf / sizeof *leaf; i++)
        assert_string_equal(model_str(ifc, leaf[i]), val[i]);
    assert_true((uintptr_t)ifc->priv & 1);
    assert_false((uintptr_t)dev->priv & 1);
    assert_null(model_child(ifc, "zone"));
    assert_null(model_child(ifc, "in-utilization"));
    for (n = 0, a = model_child(ifc, "address"); a; a = model_next(a), n++)
        assert_string_equal(model_str(a, "ip"), ip[n]);
    assert_int_equal(n, 3);
    assert_ptr_equal(model_find(ifc, "address", "192.0.2.5"), model_next(model_child(ifc, "address")));
    assert_null(model_find(ifc, "address", "192.0.2.2"));
    assert_string_equal(model_str(model_find(ifc, "address", "192.0.2.9"), "prefix-length"), "30");
    model_thaw(f->a);
    assert_null(ifc->priv);
    assert_int_equal(model_leaf(ifc, "zone", "inside", &err), ER_OK);
    model_freeze(f->a);
    assert_string_equal(model_str(ifc, "zone"), "inside");
    assert_string_equal(model_str(ifc, "out-octets"), "2");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_index_of, setup, teardown),
        cmocka_unit_test_setup_teardown(test_freeze_is_per_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_encoding_per_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_part_settles_into_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frozen_find_by_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_packed_children, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
