/** @file test_prefix.c @brief Unit tests of the pfx_* module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "prefix.h"

static struct pfx
P(const char *s)
{
    struct pfx p;

    if (pfx_parse(s, &p, 1))
        fail_msg("could not parse %s", s);
    return p;
}

/* Parse non-strictly and format; the text must be @p want. */
static void
check_canon(const char *in, const char *want)
{
    char buf[PFX_STRLEN];
    struct pfx p, q;

    assert_int_equal(pfx_parse(in, &p, 0), 0);
    assert_string_equal(pfx_format(&p, buf), want);
    /* The canonical text parses back strictly to the same prefix. */
    assert_int_equal(pfx_parse(buf, &q, 1), 0);
    assert_true(pfx_equal(&p, &q));
    assert_memory_equal(p.addr, q.addr, 16);
}

static void
test_round_trip(void **state)
{
    check_canon("10.0.0.0/8", "10.0.0.0/8");
    check_canon("0.0.0.0/0", "0.0.0.0/0");
    check_canon("192.0.2.1", "192.0.2.1/32");
    check_canon("255.255.255.255/32", "255.255.255.255/32");
    check_canon("10.1.2.3/8", "10.0.0.0/8");
    check_canon("10.1.2.3/0", "0.0.0.0/0");
    check_canon("::/0", "::/0");
    check_canon("::", "::/128");
    check_canon("::1", "::1/128");
    check_canon("2001:0DB8:0000:0000:0000:0000:0000:0001/128", "2001:db8::1/128");
    check_canon("2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128");
    check_canon("2001:db8::/32", "2001:db8::/32");
    check_canon("2001:db8:1:2:3:4:5:6/48", "2001:db8:1::/48");
    check_canon("fe80::1:2/10", "fe80::/10");
    check_canon("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
    check_canon("2001:db8::a:0:0:0/128", "2001:db8:0:0:a::/128");
    check_canon("2001:db8:0:1:1:1:1:1/128", "2001:db8:0:1:1:1:1:1/128");
}

static void
test_mapped_stays_v6(void **state)
{
    char buf[PFX_STRLEN];
    struct pfx m = P("::ffff:192.0.2.1"), v4 = P("192.0.2.1");

    assert_int_equal(m.family, 6);
    assert_int_equal(m.len, 128);
    assert_int_equal(m.addr[10], 0xff);
    assert_int_equal(m.addr[12], 192);
    assert_string_equal(pfx_format(&m, buf), "::ffff:192.0.2.1/128");
    assert_false(pfx_equal(&m, &v4));
    assert_false(pfx_overlaps(&m, &v4));
    assert_false(pfx_contains(&m, &v4));
    /* ::/0 covers the mapped address, 0.0.0.0/0 does not. */
    struct pfx all6 = P("::/0"), all4 = P("0.0.0.0/0");
    assert_true(pfx_contains(&all6, &m));
    assert_false(pfx_contains(&all4, &m));
    assert_true(pfx_contains(&all4, &v4));
}

static void
test_bad_strings(void **state)
{
    static const char *const bad[] = {
        "", "/", "/24", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8",
        "+10.0.0.0/8", "1.2.3/24", "1.2.3.4.5/32", "256.0.0.0/8", "10.0.0.0/8 ",
        " 10.0.0.0/8", "10.0.0.0/8x", "10.0.0.0/08x", "10.0.0.0/0008", "10.0.0.0/08", "10.0.0.0//8",
        "10.0.0.0/8/8", "010.0.0.0/8", "10.0.0.0 /8", "::/129", "::/1280", ":::/0",
        "2001:db8::1::/64", "fe80::1%eth0", "fe80::1%eth0/64", "gggg::/16",
        "12345::/16", "abc", "10.0.0.0\n", "1:2:3:4:5:6:7:8:9/128",
        "0x0a.0.0.0/8", "10.0.0.0/1e1",
    };
    struct pfx p;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (pfx_parse(bad[i], &p, 0) == 0)
            fail_msg("accepted bad prefix \"%s\"", bad[i]);
    assert_int_equal(pfx_parse(NULL, &p, 0), -1);
    /* A long but otherwise fine-looking string must not overflow anything. */
    char longs[300];
    memset(longs, '1', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    assert_int_equal(pfx_parse(longs, &p, 0), -1);
}

static void
test_strict(void **state)
{
    struct pfx p;

    assert_int_equal(pfx_parse("10.0.0.1/8", &p, 1), -1);
    assert_int_equal(pfx_parse("10.0.0.1/8", &p, 0), 0);
    assert_int_equal(p.addr[3], 0);
    assert_int_equal(pfx_parse("10.128.0.0/9", &p, 1), 0);
    assert_int_equal(pfx_parse("10.128.0.0/8", &p, 1), -1);
    assert_int_equal(pfx_parse("2001:db8::1/64", &p, 1), -1);
    assert_int_equal(pfx_parse("2001:db8::1/128", &p, 1), 0);
    assert_int_equal(pfx_parse("2001:db8:0:0:8000::/65", &p, 1), 0);
    assert_int_equal(pfx_parse("2001:db8:0:0:8000::/64", &p, 1), -1);
    assert_int_equal(pfx_parse("0.0.0.1/0", &p, 1), -1);
    assert_int_equal(pfx_parse("::1/0", &p, 1), -1);
}

static void
test_parse_addr(void **state)
{
    char buf[PFX_STRLEN];
    struct pfx p;

    assert_int_equal(pfx_parse_addr("192.0.2.77", 30, &p), 0);
    assert_string_equal(pfx_format(&p, buf), "192.0.2.76/30");
    assert_int_equal(pfx_parse_addr("2001:db8::1", 64, &p), 0);
    assert_string_equal(pfx_format(&p, buf), "2001:db8::/64");
    assert_int_equal(pfx_parse_addr("192.0.2.77", 33, &p), -1);
    assert_int_equal(pfx_parse_addr("2001:db8::1", 129, &p), -1);
    assert_int_equal(pfx_parse_addr("192.0.2.77/30", 30, &p), -1);
    assert_int_equal(pfx_parse_addr("", 0, &p), -1);
}

static void
test_contains_overlaps(void **state)
{
    struct pfx all4 = P("0.0.0.0/0"), ten = P("10.0.0.0/8"), ten1 = P("10.1.0.0/16");
    struct pfx eleven = P("11.0.0.0/8"), host = P("10.1.2.3/32"), host2 = P("10.1.2.4/32");
    struct pfx all6 = P("::/0"), doc = P("2001:db8::/32"), doc1 = P("2001:db8:1::/48");
    struct pfx h6 = P("2001:db8:1::1/128"), h6b = P("2001:db8:1::2/128");
    struct pfx v6zero = P("::/96");

    assert_true(pfx_contains(&all4, &ten));
    assert_true(pfx_contains(&all4, &all4));
    assert_true(pfx_contains(&ten, &ten1));
    assert_false(pfx_contains(&ten1, &ten));
    assert_true(pfx_contains(&ten1, &host));
    assert_true(pfx_contains(&host, &host));
    assert_false(pfx_contains(&host, &host2));
    assert_false(pfx_overlaps(&host, &host2));
    assert_false(pfx_contains(&ten, &eleven));
    assert_false(pfx_overlaps(&ten, &eleven));
    assert_true(pfx_overlaps(&ten1, &ten));
    assert_true(pfx_overlaps(&ten, &ten1));
    assert_true(pfx_overlaps(&all4, &host));

    assert_true(pfx_contains(&all6, &h6));
    assert_true(pfx_contains(&doc, &doc1));
    assert_true(pfx_contains(&doc1, &h6));
    assert_false(pfx_overlaps(&h6, &h6b));
    assert_true(pfx_overlaps(&h6, &h6));

    /* Different families never overlap, even with equal bytes. */
    assert_false(pfx_overlaps(&all4, &all6));
    assert_false(pfx_contains(&all6, &ten));
    assert_false(pfx_contains(&all4, &doc));
    assert_false(pfx_overlaps(&v6zero, &ten));
    struct pfx z4 = P("0.0.0.0/8"), z6 = P("::/8");
    assert_false(pfx_equal(&z4, &z6));
    assert_false(pfx_overlaps(&z4, &z6));

    assert_true(pfx_equal(&ten, &ten));
    assert_false(pfx_equal(&ten, &ten1));
}

static void
test_bits(void **state)
{
    struct pfx p = P("128.0.0.1/32"), q = P("::1");
    unsigned i;

    assert_int_equal(pfx_bit(&p, 0), 1);
    assert_int_equal(pfx_bit(&p, 1), 0);
    assert_int_equal(pfx_bit(&p, 31), 1);
    assert_int_equal(pfx_bit(&p, 30), 0);
    for (i = 0; i < 127; i++)
        assert_int_equal(pfx_bit(&q, i), 0);
    assert_int_equal(pfx_bit(&q, 127), 1);
}

static void
test_bogon_private(void **state)
{
    static const char *const bogon[] = {
        "10.1.0.0/16", "172.16.0.0/12", "172.31.255.0/24", "192.168.1.0/24", "100.64.0.0/10",
        "100.127.0.1", "127.0.0.1", "169.254.1.0/24", "0.0.0.0/8",
        "224.0.0.5", "239.0.0.0/8", "255.255.255.255",
        "fc00::/7", "fd12:3456::/32", "fe80::1", "ff02::1", "::1", "::",
        "::ffff:10.0.0.1",
    };
    static const char *const clean[] = {
        "8.8.8.0/24", "0.0.0.0/0", "172.32.0.0/16", "100.128.0.0/10", "13.107.6.152/31",
        "52.96.0.0/14", "20.190.128.0/18", "2603:1000::/24", "2620:1ec::/36", "::/0",
        "10.0.0.0/7",
        /* documentation ranges stand in for public space in examples */
        "192.0.2.0/24", "198.51.100.7", "203.0.113.0/25", "2001:db8::/32",
    };
    static const char *const priv[] = {
        "10.0.0.0/8", "10.255.255.255", "172.16.5.0/24", "192.168.0.0/16", "100.64.1.0/24",
        "fd00::/8", "fc00::/7",
    };
    static const char *const notpriv[] = {
        "127.0.0.1", "169.254.0.0/16", "8.8.8.8", "fe80::/10", "2001:db8::/32", "0.0.0.0/0",
        "192.169.0.0/16",
    };
    size_t i;
    struct pfx p;

    for (i = 0; i < sizeof bogon / sizeof bogon[0]; i++) {
        assert_int_equal(pfx_parse(bogon[i], &p, 1), 0);
        if (!pfx_is_bogon(&p))
            fail_msg("%s should be a bogon", bogon[i]);
    }
    for (i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        assert_int_equal(pfx_parse(clean[i], &p, 1), 0);
        if (pfx_is_bogon(&p))
            fail_msg("%s should not be a bogon", clean[i]);
    }
    for (i = 0; i < sizeof priv / sizeof priv[0]; i++) {
        assert_int_equal(pfx_parse(priv[i], &p, 1), 0);
        if (!pfx_is_private(&p))
            fail_msg("%s should be private", priv[i]);
    }
    for (i = 0; i < sizeof notpriv / sizeof notpriv[0]; i++) {
        assert_int_equal(pfx_parse(notpriv[i], &p, 1), 0);
        if (pfx_is_private(&p))
            fail_msg("%s should not be private", notpriv[i]);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_mapped_stays_v6),
        cmocka_unit_test(test_bad_strings),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_parse_addr),
        cmocka_unit_test(test_contains_overlaps),
        cmocka_unit_test(test_bits),
        cmocka_unit_test(test_bogon_private),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
