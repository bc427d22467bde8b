/** @file test_ptrie.c @brief Unit tests of the ptrie_* module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefix.h"
#include "ptrie.h"

static struct pfx
P(const char *s)
{
    struct pfx p;

    if (pfx_parse(s, &p, 1))
        fail_msg("could not parse %s", s);
    return p;
}

/* Collects the text of every prefix a callback sees. */
struct seen {
    char text[64][PFX_STRLEN];
    size_t n;
    size_t stop_after;   /* 0: never stop */
};

static int
collect(const struct pfx *found, void *value, void *arg)
{
    struct seen *s = arg;

    if (s->n < 64)
        pfx_format(found, s->text[s->n]);
    s->n++;
    return s->stop_after && s->n >= s->stop_after;
}

static void
test_empty(void **state)
{
    struct ptrie *t = ptrie_new();
    struct pfx p = P("10.0.0.0/8"), m;
    struct seen s = { .n = 0 };
    void *v = NULL;
    int found = 7;

    assert_non_null(t);
    assert_int_equal(ptrie_count(t), 0);
    assert_null(ptrie_get(t, &p, &found));
    assert_int_equal(found, 0);
    assert_int_equal(ptrie_lookup(t, &p, &m, &v), 0);
    assert_int_equal(ptrie_overlaps(t, &p, collect, &s), 0);
    ptrie_walk(t, collect, &s);
    assert_int_equal(s.n, 0);
    ptrie_free(t);
    ptrie_free(NULL);
}

static void
test_lpm_nested(void **state)
{
    static const char *const pfxs[] = {
        "0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3/32",
        "::/0", "2001:db8::/32", "2001:db8:1::/48", "2001:db8:1::1/128",
    };
    struct ptrie *t = ptrie_new();
    char buf[PFX_STRLEN];
    struct pfx p, m;
    void *v;
    size_t i;

    for (i = 0; i < sizeof pfxs / sizeof pfxs[0]; i++) {
        p = P(pfxs[i]);
        assert_int_equal(ptrie_insert(t, &p, (void *)pfxs[i]), 0);
    }
    assert_int_equal(ptrie_count(t), 9);

    static const struct { const char *q, *want; } cases[] = {
        { "10.1.2.3", "10.1.2.3/32" },
        { "10.1.2.4", "10.1.2.0/24" },
        { "10.1.2.0/25", "10.1.2.0/24" },
        { "10.1.2.0/24", "10.1.2.0/24" },
        { "10.1.3.0/24", "10.1.0.0/16" },
        { "10.2.0.0/16", "10.0.0.0/8" },
        { "10.0.0.0/7", "0.0.0.0/0" },
        { "11.0.0.1", "0.0.0.0/0" },
        { "0.0.0.0/0", "0.0.0.0/0" },
        { "2001:db8:1::1", "2001:db8:1::1/128" },
        { "2001:db8:1::2", "2001:db8:1::/48" },
        { "2001:db8:2::/48", "2001:db8::/32" },
        { "2001:db9::/32", "::/0" },
        { "::ffff:10.1.2.3", "::/0" },  /* mapped: IPv6, not the IPv4 /32 */
    };
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        p = P(cases[i].q);
        v = NULL;
        assert_int_equal(ptrie_lookup(t, &p, &m, &v), 1);
        assert_string_equal(pfx_format(&m, buf), cases[i].want);
        assert_string_equal((const char *)v, cases[i].want);
    }
    ptrie_free(t);

    /* Without the defaults, misses are misses. */
    t = ptrie_new();
    p = P("10.1.0.0/16");
    ptrie_insert(t, &p, NULL);
    p = P("10.2.0.0/16");
    assert_int_equal(ptrie_lookup(t, &p, &m, &v), 0);
    p = P("10.0.0.0/8");
    assert_int_equal(ptrie_lookup(t, &p, &m, &v), 0);
    p = P("::/0");
    assert_int_equal(ptrie_lookup(t, &p, &m, &v), 0);
    p = P("10.1.255.255");
    assert_int_equal(ptrie_lookup(t, &p, NULL, NULL), 1);
    ptrie_free(t);
}

static void
test_get_replace(void **state)
{
    struct ptrie *t = ptrie_new();
    struct pfx a = P("192.0.2.0/24"), b = P("192.0.2.0/25"), c = P("192.0.2.128/25");
    int x = 1, y = 2, z = 3, found;

    assert_int_equal(ptrie_insert(t, &b, &x), 0);
    assert_int_equal(ptrie_insert(t, &c, &y), 0);
    /* /24 is now a glue node: not stored. */
    assert_null(ptrie_get(t, &a, &found));
    assert_int_equal(found, 0);
    assert_int_equal(ptrie_count(t), 2);
    assert_int_equal(ptrie_insert(t, &a, &z), 0);
    assert_int_equal(ptrie_count(t), 3);
    assert_ptr_equal(ptrie_get(t, &a, &found), &z);
    assert_int_equal(found, 1);
    /* Re-insert replaces the value, count unchanged. */
    assert_int_equal(ptrie_insert(t, &b, &z), 0);
    assert_int_equal(ptrie_count(t), 3);
    assert_ptr_equal(ptrie_get(t, &b, NULL), &z);
    assert_ptr_equal(ptrie_get(t, &c, NULL), &y);
    /* A NULL value is still a stored prefix. */
    assert_int_equal(ptrie_insert(t, &c, NULL), 0);
    assert_null(ptrie_get(t, &c, &found));
    assert_int_equal(found, 1);
    /* Same bytes, other family: absent. */
    struct pfx a6 = a;
    a6.family = 6;
    assert_null(ptrie_get(t, &a6, &found));
    assert_int_equal(found, 0);
    /* Invalid lengths are refused. */
    struct pfx bad = a;
    bad.len = 33;
    assert_int_equal(ptrie_insert(t, &bad, NULL), -1);
    bad.family = 5;
    bad.len = 8;
    assert_int_equal(ptrie_insert(t, &bad, NULL), -1);
    assert_int_equal(ptrie_count(t), 3);
    ptrie_free(t);
}

static void
test_overlaps_query(void **state)
{
    static const char *const pfxs[] = {
        "0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.128.0/17",
        "10.1.2.3/32", "10.2.0.0/16", "11.0.0.0/8", "::/0", "::ffff:10.1.0.0/112",
    };
    struct ptrie *t = ptrie_new();
    struct seen s;
    struct pfx p;
    size_t i, n;

    for (i = 0; i < sizeof pfxs / sizeof pfxs[0]; i++) {
        p = P(pfxs[i]);
        ptrie_insert(t, &p, NULL);
    }
    /* Covering first (shortest first, itself included), then covered in order. */
    memset(&s, 0, sizeof s);
    p = P("10.1.0.0/16");
    n = ptrie_overlaps(t, &p, collect, &s);
    assert_int_equal(n, 6);
    assert_int_equal(s.n, 6);
    assert_string_equal(s.text[0], "0.0.0.0/0");
    assert_string_equal(s.text[1], "10.0.0.0/8");
    assert_string_equal(s.text[2], "10.1.0.0/16");
    assert_string_equal(s.text[3], "10.1.2.0/24");
    assert_string_equal(s.text[4], "10.1.2.3/32");
    assert_string_equal(s.text[5], "10.1.128.0/17");

    /* A query that is not stored, sitting above a glue node. */
    memset(&s, 0, sizeof s);
    p = P("10.0.0.0/14");
    n = ptrie_overlaps(t, &p, collect, &s);
    assert_int_equal(n, 7);
    assert_string_equal(s.text[0], "0.0.0.0/0");
    assert_string_equal(s.text[1], "10.0.0.0/8");
    assert_string_equal(s.text[2], "10.1.0.0/16");
    assert_string_equal(s.text[6], "10.2.0.0/16");

    /* A host query sees only its covering prefixes. */
    memset(&s, 0, sizeof s);
    p = P("10.1.2.3");
    assert_int_equal(ptrie_overlaps(t, &p, collect, &s), 5);
    assert_string_equal(s.text[4], "10.1.2.3/32");

    /* Disjoint from everything but the default. */
    memset(&s, 0, sizeof s);
    p = P("12.0.0.0/8");
    assert_int_equal(ptrie_overlaps(t, &p, collect, &s), 1);

    /* The IPv4 /0 sees all IPv4, never IPv6. */
    memset(&s, 0, sizeof s);
    p = P("0.0.0.0/0");
    assert_int_equal(ptrie_overlaps(t, &p, collect, &s), 8);
    memset(&s, 0, sizeof s);
    p = P("::/0");
    assert_int_equal(ptrie_overlaps(t, &p, collect, &s), 2);
    assert_string_equal(s.text[1], "::ffff:10.1.0.0/112");

    /* Stopping early. */
    memset(&s, 0, sizeof s);
    s.stop_after = 3;
    p = P("10.1.0.0/16");
    assert_int_equal(ptrie_overlaps(t, &p, collect, &s), 3);
    assert_int_equal(s.n, 3);
    memset(&s, 0, sizeof s);
    s.stop_after = 4;
    assert_int_equal(ptrie_overlaps(t, &p, collect, &s), 4);

    /* A NULL callback just counts. */
    assert_int_equal(ptrie_overlaps(t, &p, NULL, NULL), 6);
    ptrie_free(t);
}

static void
test_walk_order_and_extremes(void **state)
{
    static const char *const pfxs[] = {
        "255.255.255.255/32", "0.0.0.0/32", "128.0.0.0/1", "0.0.0.0/0", "0.0.0.0/1",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "::/128", "::/0", "8000::/1",
    };
    static const char *const want[] = {
        "0.0.0.0/0", "0.0.0.0/1", "0.0.0.0/32", "128.0.0.0/1", "255.255.255.255/32",
        "::/0", "::/128", "8000::/1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
    };
    struct ptrie *t = ptrie_new();
    struct seen s;
    struct pfx p, m;
    size_t i;

    for (i = 0; i < sizeof pfxs / sizeof pfxs[0]; i++) {
        p = P(pfxs[i]);
        assert_int_equal(ptrie_insert(t, &p, NULL), 0);
    }
    memset(&s, 0, sizeof s);
    ptrie_walk(t, collect, &s);
    assert_int_equal(s.n, 9);
    for (i = 0; i < 9; i++)
        assert_string_equal(s.text[i], want[i]);
    memset(&s, 0, sizeof s);
    s.stop_after = 2;
    ptrie_walk(t, collect, &s);
    assert_int_equal(s.n, 2);

    p = P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_int_equal(ptrie_lookup(t, &p, &m, NULL), 1);
    assert_int_equal(m.len, 128);
    p = P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
    assert_int_equal(ptrie_lookup(t, &p, &m, NULL), 1);
    assert_int_equal(m.len, 1);
    p = P("0.0.0.1");
    assert_int_equal(ptrie_lookup(t, &p, &m, NULL), 1);
    assert_int_equal(m.len, 1);
    ptrie_free(t);
}

/* Deterministic generator, so a failure reproduces. */
static uint64_t rng_state;

static uint32_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/*
 * A random prefix. Stored ones (@p query 0) are at least /16 (IPv4) or /40
 * (IPv6) in a space where about half of the short ones exist, so queries
 * (any length) see hits, misses and many nested levels.
 */
static void
random_pfx(struct pfx *p, int query)
{
    char text[PFX_STRLEN];
    unsigned len;

    memset(p, 0, sizeof *p);
    if (rng() % 4) {
        len = query ? rng() % 33 : 16 + rng() % 17;
        snprintf(text, sizeof text, "10.%u.%u.%u", rng() % 256, rng() % 256, rng() % 256);
    } else {
        len = query ? rng() % 129 : 40 + rng() % 89;
        snprintf(text, sizeof text, "2001:db8:%x::%x:%x", (rng() % 256) << 8, rng() % 4,
                rng() % 65536);
    }
    if (pfx_parse_addr(text, len, p))
        fail_msg("bad generated prefix %s/%u", text, len);
}

/* Enough to move a family from its flat trie to buckets (PTRIE_FLAT_MAX). */
#define NSTORED 14000
#define NQUERY 3000

static int
count_cb(const struct pfx *found, void *value, void *arg)
{
    (*(size_t *)arg)++;
    return 0;
}

/* Walk callback: prefixes must come out in (family, address, length) order. */
struct order_arg {
    struct pfx last;
    size_t n, bad;
};

static int
order_cb(const struct pfx *found, void *value, void *arg)
{
    struct order_arg *o = arg;
    int c = 0;

    (void)value;
    if (o->n) {
        c = (int)o->last.family - (int)found->family;
        if (!c)
            c = memcmp(o->last.addr, found->addr, sizeof found->addr);
        if (!c)
            c = (int)o->last.len - (int)found->len;
    }
    o->bad += o->n && c >= 0;
    o->last = *found;
    o->n++;
    return 0;
}

/* Every query of @p t against a linear scan of the @p n prefixes it holds. */
static void
check_vs_linear(struct ptrie *t, const struct pfx *stored, const size_t *value, size_t n)
{
    size_t i, j, best, overl, seen, hits = 0, multi = 0;
    struct order_arg o = {0};
    struct pfx p, m;
    void *v;
    int found;

    for (i = 0; i < n; i++) {
        assert_ptr_equal(ptrie_get(t, &stored[i], &found), &value[i]);
        assert_int_equal(found, 1);
    }
    ptrie_walk(t, order_cb, &o);
    assert_int_equal(o.n, n);
    assert_int_equal(o.bad, 0);

    for (i = 0; i < NQUERY; i++) {
        random_pfx(&p, 1);
        best = n;
        overl = 0;
        for (j = 0; j < n; j++) {
            if (pfx_contains(&stored[j], &p) && (best == n || stored[j].len > stored[best].len))
                best = j;
            if (pfx_overlaps(&stored[j], &p))
                overl++;
        }
        hits += best != n;
        multi += overl > 2;
        v = NULL;
        if (best == n) {
            assert_int_equal(ptrie_lookup(t, &p, &m, &v), 0);
        } else {
            assert_int_equal(ptrie_lookup(t, &p, &m, &v), 1);
            assert_true(pfx_equal(&m, &stored[best]));
            assert_memory_equal(m.addr, stored[best].addr, 16);
            assert_ptr_equal(v, &value[best]);
        }
        seen = 0;
        assert_int_equal(ptrie_overlaps(t, &p, count_cb, &seen), overl);
        assert_int_equal(seen, overl);
        ptrie_get(t, &p, &found);
        for (j = 0; j < n && !pfx_equal(&stored[j], &p); j++)
            ;
        assert_int_equal(found, j < n);
    }
    /* The draw must exercise hits, misses and multi-level overlaps. */
    assert_true(hits > NQUERY / 10 && hits < NQUERY);
    assert_true(multi > NQUERY / 10);
}

static void
test_random_vs_linear(void **state)
{
    static struct pfx stored[NSTORED];
    static size_t value[NSTORED];
    struct ptrie *t = ptrie_new();
    size_t n = 0, n4 = 0, i, j;
    struct pfx p;

    rng_state = 0x9e3779b97f4a7c15ull;
    for (i = 0; i < NSTORED; i++) {
        random_pfx(&p, 0);
        /* Linear model: replace on duplicate. */
        for (j = 0; j < n && !pfx_equal(&stored[j], &p); j++)
            ;
        if (j == n) {
            stored[n++] = p;
            n4 += p.family == 4;
        }
        value[j] = i;
        assert_int_equal(ptrie_insert(t, &p, &value[j]), 0);
        assert_int_equal(ptrie_count(t), n);
        /* Once while both families are in one trie each... */
        if (n == 1500 && j == n - 1)
            check_vs_linear(t, stored, value, n);
    }
    assert_true(n > NSTORED / 3);   /* the space is small but not that small */
    /* ...and once IPv4 has moved to buckets (IPv6 is still flat). */
    assert_true(n4 > 4096 && n - n4 < 4096);
    check_vs_linear(t, stored, value, n);
    ptrie_free(t);
}

/* A routing-table-sized load: every /24 of 1.0.0.0/8..16.0.0.0/8 plus covering /16s. */
static void
test_large(void **state)
{
    struct ptrie *t = ptrie_new();
    struct pfx p, m;
    uint32_t a, n = 0;

    for (a = 0x01000000; a < 0x11000000; a += 0x100) {
        memset(&p, 0, sizeof p);
        p.family = 4;
        p.len = (a & 0xffff) ? 24 : 16;
        p.addr[0] = (uint8_t)(a >> 24);
        p.addr[1] = (uint8_t)(a >> 16);
        p.addr[2] = (uint8_t)(a >> 8);
        assert_int_equal(ptrie_insert(t, &p, NULL), 0);
        n++;
    }
    assert_int_equal(ptrie_count(t), n);
    p = P("9.9.0.77");
    assert_int_equal(ptrie_lookup(t, &p, &m, NULL), 1);
    assert_int_equal(m.len, 16);
    p = P("9.9.1.77");
    assert_int_equal(ptrie_lookup(t, &p, &m, NULL), 1);
    assert_int_equal(m.len, 24);
    assert_int_equal(m.addr[2], 1);
    p = P("17.0.0.1");
    assert_int_equal(ptrie_lookup(t, &p, &m, NULL), 0);
    p = P("5.0.0.0/8");
    assert_int_equal(ptrie_overlaps(t, &p, NULL, NULL), 65536);
    ptrie_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_lpm_nested),
        cmocka_unit_test(test_get_replace),
        cmocka_unit_test(test_overlaps_query),
        cmocka_unit_test(test_walk_order_and_extremes),
        cmocka_unit_test(test_random_vs_linear),
        cmocka_unit_test(test_large),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
