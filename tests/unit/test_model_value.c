/**
 * @file test_model_value.c
 * @brief Values that reach libyang in binary or canonical form (model_value.c)
 * must end up exactly as libyang's own text path leaves them: the same
 * stored text, or a refusal for the same input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_int.h"

struct fx {
    struct ly_ctx *ctx;
    struct er_model *m;      /* built through model_leaf() and friends */
    struct er_model *ref;    /* built through libyang's text functions */
    struct lyd_node *dev, *rdev;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct er_err err = {0};

    if (!f || model_ctx_new(NULL, &f->ctx, &err) || model_new(f->ctx, &f->m, &err) ||
            model_new(f->ctx, &f->ref, &err) || model_device(f->m, "r1", "er-edge", &f->dev, &err) ||
            model_device(f->ref, "r1", "er-edge", &f->rdev, &err)) {
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

    model_free(f->m);
    model_free(f->ref);
    ly_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* A list entry of @p list keyed @p key under @p parent, by libyang's text path. */
static struct lyd_node *
ref_list(struct lyd_node *parent, const char *list, const char *key)
{
    struct lyd_node *n = NULL;

    if (lyd_new_list(parent, NULL, list, 0, &n, key))
        return NULL;
    return n;
}

static struct lyd_node *
ref_cont(struct lyd_node *parent, const char *name)
{
    struct lyd_node *n = NULL;

    if (!lyd_find_sibling_val(lyd_child(parent), lys_find_child(parent->schema, parent->schema->module, name, 0,
            LYS_CONTAINER, 0), NULL, 0, &n))
        return n;
    return lyd_new_inner(parent, NULL, name, 0, &n) ? NULL : n;
}

/* Leaf @p name = @p v through model_leaf() and through lyd_new_term(): both refuse, or both store the same. */
static void
same_leaf(struct lyd_node *mine, struct lyd_node *theirs, const char *name, const char *v)
{
    struct er_err err = {0};
    struct lyd_node *ref = NULL;
    er_code rc = model_leaf(mine, name, v, &err);
    LY_ERR r = lyd_new_term(theirs, NULL, name, v, 0, &ref);
    const char *got = model_str(mine, name);

    if ((rc != ER_OK) != (r != LY_SUCCESS))
        fail_msg("%s = '%s': model_leaf %s, libyang %s", name, v, rc ? "refused" : "took", r ? "refused" : "took");
    if (!rc && (!got || strcmp(got, lyd_get_value(ref))))
        fail_msg("%s = '%s': stored '%s', libyang stores '%s'", name, v, got ? got : "(none)", lyd_get_value(ref));
    if (!rc)
        lyd_free_tree((struct lyd_node *)model_child(mine, name));
    if (!r)
        lyd_free_tree(ref);
}

/* List @p list keyed @p key through model_list() and lyd_new_list(): the same outcome and key text. */
static void
same_key(struct lyd_node *mine, struct lyd_node *theirs, const char *list, const char *key)
{
    struct er_err err = {0};
    struct lyd_node *n = NULL, *ref = ref_list(theirs, list, key);
    er_code rc = model_list(mine, list, key, &n, &err);

    model_cache_reset();
    if ((rc != ER_OK) != !ref)
        fail_msg("%s key '%s': model_list %s, libyang %s", list, key, rc ? "refused" : "took", ref ? "took" : "refused");
    if (!rc && strcmp(lyd_get_value(lyd_child(n)), lyd_get_value(lyd_child(ref))))
        fail_msg("%s key '%s': stored '%s', libyang stores '%s'", list, key, lyd_get_value(lyd_child(n)),
                lyd_get_value(lyd_child(ref)));
    if (!rc)
        lyd_free_tree(n);
    lyd_free_tree(ref);
}

static const char *const addrs[] = {
    "10.1.2.3", "0.0.0.0", "255.255.255.255", "010.1.2.3", "1.2.3", "1.2.3.4.5", "256.1.1.1", " 10.1.2.3",
    "10.1.2.3 ", "", "10.1.2.3%eth0", "2001:db8::1", "2001:DB8::1", "2001:0db8::1", "::", "::1",
    "::ffff:1.2.3.4", "::FFFF:1.2.3.4", "1::2:3:4:5:6:7", "2001:db8:0:0:0:0:0:1", "2001:db8::1%eth0",
    "fe80::1", "2001:db8::g", "2001:db8:::1", "10.1.2.3/32", "x", NULL,
};

static const char *const prefixes[] = {
    "10.0.0.0/8", "10.1.2.0/24", "10.1.2.3/24", "0.0.0.0/0", "10.1.2.3/32", "10.1.2.3/33", "10.1.2.0/024",
    "10.1.2.0/", "10.1.2.0", "/24", "2001:db8::/32", "2001:DB8::/32", "2001:db8::1/32", "::/0", "::1/128",
    "2001:db8::/129", "2001:db8::/-1", "10.1.2.0/+24", "010.1.2.0/24", "10.1.2.0/24 ", "10.1.2.0 /24", NULL,
};

static const char *const numbers[] = {
    "0", "00", "007", "100", "128", "129", "255", "256", "-1", "+1", " 1", "1 ", "", "1e3", "0x10",
    "18446744073709551615", "18446744073709551616", "99999999999999999999999", NULL,
};

static void
test_leaves_match_libyang(void **state)
{
    struct fx *f = *state;
    struct er_err err = {0};
    struct lyd_node *bgp, *rbgp, *nb, *rnb, *ifc, *rifc, *ad, *rad;
    size_t i;

    assert_int_equal(model_cont(f->dev, "bgp", &bgp, &err), ER_OK);
    assert_non_null(rbgp = ref_cont(f->rdev, "bgp"));
    assert_int_equal(model_list(bgp, "neighbor", "192.0.2.1", &nb, &err), ER_OK);
    assert_non_null(rnb = ref_list(rbgp, "neighbor", "192.0.2.1"));
    assert_int_equal(model_list(f->dev, "interface", "e0", &ifc, &err), ER_OK);
    assert_non_null(rifc = ref_list(f->rdev, "interface", "e0"));
    assert_int_equal(model_list(ifc, "address", "192.0.2.9", &ad, &err), ER_OK);
    assert_non_null(rad = ref_list(rifc, "address", "192.0.2.9"));
    for (i = 0; addrs[i]; i++) {
        same_leaf(nb, rnb, "local-address", addrs[i]);      /* ip-address-no-zone */
        same_leaf(bgp, rbgp, "router-id", addrs[i]);        /* ipv4-address-no-zone */
    }
    for (i = 0; numbers[i]; i++) {
        same_leaf(ifc, rifc, "speed", numbers[i]);          /* uint64 */
        same_leaf(ifc, rifc, "in-utilization", numbers[i]); /* uint8, 0..100 */
        same_leaf(ad, rad, "prefix-length", numbers[i]);    /* uint8, 0..128 */
        same_leaf(nb, rnb, "peer-as", numbers[i]);          /* uint32 (inet:as-number) */
    }
    assert_false(mv_disabled(f->m->idx));
}

static void
test_keys_match_libyang(void **state)
{
    struct fx *f = *state;
    struct er_err err = {0};
    struct lyd_node *bgp, *rbgp, *rib, *rrib, *ifc, *rifc;
    size_t i;

    assert_int_equal(model_cont(f->dev, "bgp", &bgp, &err), ER_OK);
    assert_non_null(rbgp = ref_cont(f->rdev, "bgp"));
    assert_int_equal(model_cont(f->dev, "rib", &rib, &err), ER_OK);
    assert_non_null(rrib = ref_cont(f->rdev, "rib"));
    assert_int_equal(model_list(f->dev, "interface", "e1", &ifc, &err), ER_OK);
    assert_non_null(rifc = ref_list(f->rdev, "interface", "e1"));
    for (i = 0; addrs[i]; i++) {
        same_key(bgp, rbgp, "neighbor", addrs[i]);
        same_key(ifc, rifc, "address", addrs[i]);
    }
    for (i = 0; prefixes[i]; i++)
        same_key(rib, rrib, "route", prefixes[i]);
    assert_false(mv_disabled(f->m->idx));
}

/* Random IPv6 addresses in canonical and other spellings (case, zeros, no compression). */
static void
test_random_ipv6(void **state)
{
    struct fx *f = *state;
    struct er_err err = {0};
    struct lyd_node *bgp, *rbgp, *nb, *rnb, *rib, *rrib;
    uint64_t x = 0x2545f4914f6cdd1dull;
    char text[INET6_ADDRSTRLEN + 8], full[64];
    uint8_t a[16];
    size_t i, k;

    assert_int_equal(model_cont(f->dev, "bgp", &bgp, &err), ER_OK);
    assert_non_null(rbgp = ref_cont(f->rdev, "bgp"));
    assert_int_equal(model_list(bgp, "neighbor", "192.0.2.7", &nb, &err), ER_OK);
    assert_non_null(rnb = ref_list(rbgp, "neighbor", "192.0.2.7"));
    assert_int_equal(model_cont(f->dev, "rib", &rib, &err), ER_OK);
    assert_non_null(rrib = ref_cont(f->rdev, "rib"));
    for (i = 0; i < 3000; i++) {
        for (k = 0; k < 16; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* Runs of zero groups, so :: appears in its many places. */
            a[k] = (x & 3) ? 0 : (uint8_t)(x >> 24);
        }
        inet_ntop(AF_INET6, a, text, sizeof text);
        same_leaf(nb, rnb, "local-address", text);
        for (k = 0; text[k]; k++)
            text[k] = (char)((x >> (k % 60)) & 1 ? text[k] : (text[k] >= 'a' && text[k] <= 'f' ? text[k] - 32 : text[k]));
        same_leaf(nb, rnb, "local-address", text);
        snprintf(full, sizeof full, "%x:%x:%x:%x:%x:%x:%x:%x", a[0] << 8 | a[1], a[2] << 8 | a[3], a[4] << 8 | a[5],
                a[6] << 8 | a[7], a[8] << 8 | a[9], a[10] << 8 | a[11], a[12] << 8 | a[13], a[14] << 8 | a[15]);
        same_leaf(nb, rnb, "local-address", full);
        /* As a prefix: host bits, lengths past 128, the spellings above. */
        snprintf(full + strlen(full), sizeof full - strlen(full), "/%u", (unsigned)(x % 130));
        same_key(rib, rrib, "route", full);
        snprintf(text + strlen(text), sizeof text - strlen(text), "/%u", (unsigned)(x % 129));
        same_key(rib, rrib, "route", text);
    }
    assert_false(mv_disabled(f->m->idx));
}

/* The fast path is taken where it should be: a regression here is silent otherwise. */
static void
test_fast_path_taken(void **state)
{
    struct fx *f = *state;
    const struct lysc_node *ip = lys_find_path(f->ctx, NULL, "/eraudit-network:network/device/interface/address/ip", 0);
    const struct lysc_node *rid = lys_find_path(f->ctx, NULL, "/eraudit-network:network/device/bgp/router-id", 0);
    const struct lysc_node *pfx = lys_find_path(f->ctx, NULL, "/eraudit-network:network/device/rib/route/prefix", 0);
    const struct lysc_node *spd = lys_find_path(f->ctx, NULL, "/eraudit-network:network/device/interface/speed", 0);
    const struct lysc_node *dsc = lys_find_path(f->ctx, NULL,
            "/eraudit-network:network/device/interface/description", 0);
    struct mv v;

    assert_non_null(ip);
    assert_non_null(rid);
    assert_non_null(pfx);
    assert_non_null(spd);
    assert_non_null(dsc);
    assert_int_equal(mv_encode(f->m->idx, ip, "192.0.2.1", &v), MV_BIN);
    assert_int_equal(v.len, 8);
    assert_int_equal(mv_encode(f->m->idx, ip, "2001:db8::1", &v), MV_BIN);
    assert_int_equal(v.len, 20);
    assert_int_equal(mv_encode(f->m->idx, ip, "2001:DB8::1", &v), MV_TEXT);
    assert_int_equal(mv_encode(f->m->idx, rid, "192.0.2.1", &v), MV_BIN);
    assert_int_equal(v.len, 4);
    assert_int_equal(mv_encode(f->m->idx, pfx, "192.0.2.0/24", &v), MV_BIN);
    assert_int_equal(v.len, 9);
    assert_int_equal(mv_encode(f->m->idx, pfx, "192.0.2.1/24", &v), MV_TEXT);
    assert_int_equal(mv_encode(f->m->idx, spd, "1000", &v), MV_CANON);
    assert_int_equal(mv_encode(f->m->idx, spd, "01000", &v), MV_TEXT);
    assert_int_equal(mv_encode(f->m->idx, dsc, "uplink", &v), MV_TEXT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_path_taken),
        cmocka_unit_test(test_leaves_match_libyang),
        cmocka_unit_test(test_keys_match_libyang),
        cmocka_unit_test(test_random_ipv6),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
