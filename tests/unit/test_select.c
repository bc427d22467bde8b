/**
 * @file test_select.c
 * @brief A poller's selection (select.c): shards that never move, options
 * parsed strictly, sites/roles/patterns combined as documented.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "inventory.h"
#include "select.h"

/*
 * A device's shard is part of every deployed poller's configuration: these
 * values are fixed forever (a change of hash would move devices between
 * pollers, and a merge would see them collected twice or by nobody).
 */
static void
test_shard_values(void **state)
{
    assert_int_equal(select_shard_of("er1", 3), 2);
    assert_int_equal(select_shard_of("inet1", 3), 2);
    assert_int_equal(select_shard_of("fw1", 3), 1);
    assert_int_equal(select_shard_of("wan1", 3), 0);
    assert_int_equal(select_shard_of("er-ams", 1000), 228);
    assert_int_equal(select_shard_of("anything", 1), 0);
}

static void
test_parse_shard(void **state)
{
    static const char *const bad[] = {"3/3", "1", "/3", "1/", "-1/3", "1/0", "a/b", "1/3x", "0/65537", ""};
    struct select s = {0};
    struct er_err err = {0};
    size_t i;

    assert_int_equal(select_parse_shard(&s, "2/5", &err), ER_OK);
    assert_int_equal(s.shard_i, 2);
    assert_int_equal(s.shard_n, 5);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct select t = {0};

        assert_int_equal(select_parse_shard(&t, bad[i], &err), ER_EINVAL);
        assert_non_null(strstr(err.msg, "0 <= I < N"));
        assert_int_equal(t.shard_n, 0);
    }
}

static const char inv_yaml[] =
    "devices:\n"
    "  - {name: er-ams, host: h, role: er-edge, site: ams}\n"
    "  - {name: er-chi, host: h, role: er-edge, site: chi}\n"
    "  - {name: inet-ams, host: h, role: internet-edge, site: ams}\n"
    "  - {name: fw-ams, host: h, role: firewall, site: ams}\n";

/* The names a selection keeps, space-separated, into @p buf. */
static const char *
names(const struct select *sel, char *buf, size_t size, er_code *rc, struct er_err *err)
{
    struct inventory *inv = NULL, sub;
    size_t i, o = 0;

    buf[0] = '\0';
    assert_int_equal(inv_load_mem("t.yaml", inv_yaml, strlen(inv_yaml), &inv, err), ER_OK);
    if (!(*rc = select_view(inv, sel, &sub, err))) {
        for (i = 0; i < sub.n_devices; i++)
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? " " : "", sub.devices[i].name);
        /* A view looks devices up in itself, not in the whole inventory's index. */
        if (sub.n_devices)
            assert_ptr_equal(inv_device_find(&sub, sub.devices[0].name), &sub.devices[0]);
        assert_null(inv_device_find(&sub, "not-there"));
        select_view_free(&sub);
    }
    inv_free(inv);
    return buf;
}

static void
test_view(void **state)
{
    struct select s = {0};
    struct er_err err = {0};
    char buf[256], what[256];
    er_code rc;

    assert_string_equal(names(&s, buf, sizeof buf, &rc, &err), "er-ams er-chi inet-ams fw-ams");
    assert_false(select_partial(&s));
    assert_int_equal(select_add(&s, "site", "ams", &err), ER_OK);
    assert_string_equal(names(&s, buf, sizeof buf, &rc, &err), "er-ams inet-ams fw-ams");
    assert_int_equal(select_add(&s, "role", "er-edge", &err), ER_OK);
    assert_int_equal(select_add(&s, "role", "firewall", &err), ER_OK);
    assert_string_equal(names(&s, buf, sizeof buf, &rc, &err), "er-ams fw-ams");   /* site AND (role OR role) */
    assert_int_equal(select_add(&s, "device", "fw-*", &err), ER_OK);
    assert_string_equal(names(&s, buf, sizeof buf, &rc, &err), "fw-ams");
    assert_true(select_partial(&s));
    assert_string_equal(select_describe(&s, what, sizeof what),
            "--site ams --role er-edge --role firewall --device fw-*");

    memset(&s, 0, sizeof s);
    assert_int_equal(select_add(&s, "site", "nowhere", &err), ER_OK);
    names(&s, buf, sizeof buf, &rc, &err);
    assert_int_equal(rc, ER_EINVAL);
    assert_string_equal(err.msg, "t.yaml: no device has site 'nowhere' (--site)");

    memset(&s, 0, sizeof s);
    assert_int_equal(select_add(&s, "device", "zz*", &err), ER_OK);
    assert_string_equal(names(&s, buf, sizeof buf, &rc, &err), "");   /* no match is no error */
    assert_int_equal(rc, ER_OK);
}

/* Every device in exactly one shard of N, for several N. */
static void
test_shards_partition(void **state)
{
    struct er_err err = {0};
    char buf[256], all[512];
    unsigned n, i;
    er_code rc;

    for (n = 1; n <= 5; n++) {
        size_t o = 0, count = 0;

        all[0] = '\0';
        for (i = 0; i < n; i++) {
            struct select s = {.shard_i = i, .shard_n = n};
            const char *p;

            names(&s, buf, sizeof buf, &rc, &err);
            assert_int_equal(rc, ER_OK);
            o += (size_t)snprintf(all + o, sizeof all - o, "%s ", buf);
            for (p = buf; *p; p++)
                count += *p == ' ';
            count += *buf != '\0';
        }
        assert_int_equal(count, 4);
        assert_non_null(strstr(all, "er-ams"));
        assert_non_null(strstr(all, "er-chi"));
        assert_non_null(strstr(all, "inet-ams"));
        assert_non_null(strstr(all, "fw-ams"));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shard_values),
        cmocka_unit_test(test_parse_shard),
        cmocka_unit_test(test_view),
        cmocka_unit_test(test_shards_partition),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
