/**
 * @file test_model_reads.c
 * @brief What a reader of the tree is recorded to have read, and where two
 * device entries are found to differ (model_reads.c): the incremental check
 * reruns a rule exactly when the two meet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "model.h"
#include "model_reads.h"

#define DEV "/eraudit-network:network/device"

struct fx {
    struct ly_ctx *ctx;
    struct er_model *a, *b;
    struct lyd_node *da, *db;
    struct model_reads *changed;
};

static void
build(struct er_model *m, struct lyd_node **dev, int variant)
{
    struct er_err err = {0};
    struct lyd_node *ifc, *z;
    const char *order[2] = {"eth0", "eth1"};
    int i;

    if (variant == 3) {
        order[0] = "eth1";
        order[1] = "eth0";
    }
    assert_int_equal(model_device(m, "r1", "er-edge", dev, &err), ER_OK);
    assert_int_equal(model_leaf(*dev, "site", variant == 1 ? "ams" : "chi", &err), ER_OK);
    for (i = 0; i < 2; i++) {
        assert_int_equal(model_list(*dev, "interface", order[i], &ifc, &err), ER_OK);
        assert_int_equal(model_leaf(ifc, "description", "uplink", &err), ER_OK);
    }
    if (variant == 2)
        assert_int_equal(model_list(*dev, "interface", "eth2", &ifc, &err), ER_OK);
    assert_int_equal(model_list(*dev, "zone", "er", &z, &err), ER_OK);
    assert_int_equal(model_leaflist(z, "interface", variant == 4 ? "eth1" : "eth0", &err), ER_OK);
    assert_int_equal(model_leaflist(z, "interface", variant == 4 ? "eth0" : "eth1", &err), ER_OK);
}

/* Running (variant 0) against candidate variant @p v: where they differ lands in f->changed. */
static struct fx *
pair(void **state, int v)
{
    struct fx *f = *state;
    struct er_err err = {0};

    model_free(f->a);
    model_free(f->b);
    model_reads_free(f->changed);
    assert_int_equal(model_new(f->ctx, &f->a, &err), ER_OK);
    assert_int_equal(model_new(f->ctx, &f->b, &err), ER_OK);
    build(f->a, &f->da, 0);
    build(f->b, &f->db, v);
    assert_non_null(f->changed = model_reads_new());
    model_reads_diff(f->da, f->db, f->changed);
    return f;
}

/* 1 when @p r holds the schema node at @p path. */
static int
has(const struct fx *f, const struct model_reads *r, const char *path)
{
    struct model_reads *one = model_reads_new();
    const struct lysc_node *s = lys_find_path(f->ctx, NULL, path, 0);
    int yes;

    assert_non_null(s);
    model_reads_add(one, s);
    yes = model_reads_meet(one, r);
    model_reads_free(one);
    return yes;
}

static void
test_same_tree_differs_nowhere(void **state)
{
    struct fx *f = pair(state, 0);

    assert_int_equal(model_reads_count(f->changed), 0);
}

static void
test_a_value_is_its_leaf(void **state)
{
    struct fx *f = pair(state, 1);

    assert_int_equal(model_reads_count(f->changed), 1);
    assert_true(has(f, f->changed, DEV "/site"));
    assert_false(has(f, f->changed, DEV "/interface"));
}

static void
test_an_entry_added_is_its_list(void **state)
{
    struct fx *f = pair(state, 2);

    assert_true(has(f, f->changed, DEV "/interface"));
    assert_true(has(f, f->changed, DEV "/interface/name"));
    assert_false(has(f, f->changed, DEV "/site"));
}

static void
test_order_counts(void **state)
{
    struct fx *f = pair(state, 3);

    /* Entries in another order: a loop over them sees another sequence. */
    assert_true(has(f, f->changed, DEV "/interface"));
    f = pair(state, 4);
    assert_true(has(f, f->changed, DEV "/zone/interface"));
    assert_false(has(f, f->changed, DEV "/interface"));
}

static void
test_reads_are_recorded_and_meet(void **state)
{
    struct fx *f = pair(state, 1);
    struct model_reads *r = model_reads_new(), *none = model_reads_new();
    struct lyd_node *ifc;

    /* Not recording: nothing noted. */
    (void)model_str(f->da, "site");
    assert_int_equal(model_reads_count(r), 0);
    model_reads_start(r);
    MODEL_FOR(f->da, "interface", ifc)
        (void)model_str(ifc, "description");
    model_reads_start(NULL);
    assert_true(has(f, r, DEV "/interface"));
    assert_true(has(f, r, DEV "/interface/description"));
    assert_false(has(f, r, DEV "/site"));
    /* A site changed: a reader of interfaces is not concerned... */
    assert_false(model_reads_meet(r, f->changed));
    /* ...one that asked for the site is, even when it found none. */
    model_reads_start(r);
    (void)model_child(f->da, "site");
    model_reads_start(NULL);
    assert_true(model_reads_meet(r, f->changed));
    /* A reader that cannot be traced reads everything; a change nowhere concerns no one. */
    model_reads_everything(none);
    assert_true(model_reads_meet(none, f->changed));
    f = pair(state, 0);
    assert_false(model_reads_meet(none, f->changed));
    model_reads_free(r);
    model_reads_free(none);
}

/*
 * A tree cut down to what was read (closed with its ancestors and keys)
 * keeps those nodes and their values and nothing else; a later reader that
 * stays within the cut is told so, one that reads beyond it is not.
 */
static void
test_cut_to_what_was_read(void **state)
{
    struct fx *f = pair(state, 0);
    struct model_reads *r = model_reads_new(), *later = model_reads_new(), *beyond = model_reads_new();
    struct lyd_node *ifc, *z;
    int n = 0;

    /* What a rule read: the zones' interface names only. */
    model_reads_start(r);
    MODEL_FOR(f->da, "zone", z)
        (void)model_child(z, "interface");
    model_reads_start(NULL);
    assert_false(has(f, r, DEV));
    model_reads_close(r);
    /* Ancestors and the keys of every list on the way are kept. */
    assert_true(has(f, r, DEV));
    assert_true(has(f, r, DEV "/name"));
    assert_true(has(f, r, DEV "/zone/name"));
    assert_false(has(f, r, DEV "/interface"));
    model_reads_prune(f->a->net, r);
    /* Interfaces, their descriptions and the site are gone; the zone and its members stay, in order. */
    assert_null(model_child(f->da, "interface"));
    assert_null(model_child(f->da, "site"));
    assert_string_equal(model_str(f->da, "name"), "r1");
    z = model_child(f->da, "zone");
    assert_non_null(z);
    assert_string_equal(model_str(z, "name"), "er");
    for (ifc = model_child(z, "interface"); ifc; ifc = model_next(ifc))
        assert_string_equal(model_value(ifc), n++ ? "eth1" : "eth0");
    assert_int_equal(n, 2);
    /* A reader within the cut, and one that went beyond it (a description). */
    model_reads_add(later, lys_find_path(f->ctx, NULL, DEV "/zone/interface", 0));
    assert_true(model_reads_within(later, r));
    model_reads_add(beyond, lys_find_path(f->ctx, NULL, DEV "/interface/description", 0));
    assert_false(model_reads_within(beyond, r));
    /* Everything is within a set of everything, and prunes nothing; nothing is within anything. */
    model_reads_everything(r);
    assert_true(model_reads_within(beyond, r));
    model_reads_free(later);
    later = model_reads_new();
    assert_true(model_reads_within(later, beyond));
    model_reads_everything(later);
    assert_false(model_reads_within(later, beyond));
    model_reads_free(r);
    model_reads_free(later);
    model_reads_free(beyond);
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct er_err err = {0};

    if (!f || model_ctx_new(NULL, &f->ctx, &err))
        return -1;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    model_free(f->a);
    model_free(f->b);
    model_reads_free(f->changed);
    ly_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_tree_differs_nowhere),
        cmocka_unit_test(test_a_value_is_its_leaf),
        cmocka_unit_test(test_an_entry_added_is_its_list),
        cmocka_unit_test(test_order_counts),
        cmocka_unit_test(test_reads_are_recorded_and_meet),
        cmocka_unit_test(test_cut_to_what_was_read),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
