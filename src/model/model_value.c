/**
 * @file model_value.c
 * @brief How a leaf value reaches libyang: as text, canonical text or binary.
 *
 * libyang checks an inet address or prefix against the patterns of
 * ietf-inet-types, about 1.5 us a value and the largest single cost of
 * building a device. Given the value in its binary (LYB) form it skips
 * them, and given a number already in canonical decimal it skips printing
 * it back. So a value whose text we can show to be canonical goes in that
 * way; anything else (a zone, upper-case hex, host bits, junk) takes the
 * ordinary text path, where libyang still judges it and words the error.
 *
 * The binary layouts are those of the libyang 2 plugins named below; a type
 * served by any other plugin, or another version, takes the text path. A
 * node made from binary is read back once: if libyang refuses it or does
 * not print the text we started from, the node is made again from text and
 * no value of that model goes in binary again (mv_disabled(), kept in the
 * model's index).
 */
#include "model_int.h"

#include <arpa/inet.h>
#include <libyang/plugins_types.h>
#include <string.h>

#define PLUGIN_ADDR4 "libyang 2 - ipv4-address-no-zone, version 1"
#define PLUGIN_ADDR6 "libyang 2 - ipv6-address-no-zone, version 1"
#define PLUGIN_PFX4 "libyang 2 - ipv4-prefix, version 1"
#define PLUGIN_PFX6 "libyang 2 - ipv6-prefix, version 1"
#define PLUGIN_INT "libyang 2 - integers, version 1"

enum mv_kind { K_TEXT, K_UINT, K_ADDR4, K_ADDR, K_PREFIX };

struct mv_type {
    enum mv_kind kind;
    uint32_t idx[2];    /* a union's member for IPv4, IPv6 */
};

static int
plugin_is(const struct lysc_type *t, const char *id)
{
    return t->plugin && t->plugin->id && !strcmp(t->plugin->id, id);
}

/* A union of exactly an IPv4 and an IPv6 member of the given plugins. */
static int
union_of(const struct lysc_type *t, const char *p4, const char *p6, struct mv_type *out)
{
    const struct lysc_type_union *u = (const struct lysc_type_union *)t;
    LY_ARRAY_COUNT_TYPE i;
    int seen = 0;

    if (LY_ARRAY_COUNT(u->types) != 2)
        return 0;
    LY_ARRAY_FOR(u->types, i) {
        if (plugin_is(u->types[i], p4)) {
            out->idx[0] = (uint32_t)i;
            seen |= 1;
        } else if (plugin_is(u->types[i], p6)) {
            out->idx[1] = (uint32_t)i;
            seen |= 2;
        }
    }
    return seen == 3;
}

static struct mv_type
classify(const struct lysc_node *s)
{
    struct mv_type m = {K_TEXT, {0, 0}};
    const struct lysc_type *t;

    if (s->nodetype == LYS_LEAF)
        t = ((const struct lysc_node_leaf *)s)->type;
    else if (s->nodetype == LYS_LEAFLIST)
        t = ((const struct lysc_node_leaflist *)s)->type;
    else
        return m;
    switch (t->basetype) {
    case LY_TYPE_UINT8:
    case LY_TYPE_UINT16:
    case LY_TYPE_UINT32:
    case LY_TYPE_UINT64:
        if (plugin_is(t, PLUGIN_INT))
            m.kind = K_UINT;
        break;
    case LY_TYPE_STRING:
        if (plugin_is(t, PLUGIN_ADDR4))
            m.kind = K_ADDR4;
        break;
    case LY_TYPE_UNION:
        if (union_of(t, PLUGIN_ADDR4, PLUGIN_ADDR6, &m))
            m.kind = K_ADDR;
        else if (union_of(t, PLUGIN_PFX4, PLUGIN_PFX6, &m))
            m.kind = K_PREFIX;
        break;
    default:
        break;
    }
    return m;
}

/* The kind of @p s, remembered per thread for the model @p id: a device asks for the same few dozen. */
static struct mv_type
type_of(unsigned long id, const struct lysc_node *s)
{
    static __thread struct {
        const struct lysc_node *s;
        unsigned long id;
        struct mv_type t;
    } memo[256];
    size_t i = ((uintptr_t)s >> 4) & 255;

    if (memo[i].s != s || memo[i].id != id) {
        memo[i].t = classify(s);
        memo[i].s = s;
        memo[i].id = id;
    }
    return memo[i].t;
}

/* Canonical decimal: digits, no sign, no leading zero, short enough for 64 bits. */
static int
canon_uint(const char *v)
{
    size_t n = strspn(v, "0123456789");

    return n && !v[n] && n <= 20 && (v[0] != '0' || n == 1);
}

/*
 * Address @p v (of @p n bytes) into @p out (4 or 16 bytes) when it is
 * exactly what inet_ntop() prints for it, libyang's canonical form. Returns
 * the family (4 or 6), 0 otherwise.
 */
static int
canon_addr(const char *v, size_t n, uint8_t *out)
{
    char buf[INET6_ADDRSTRLEN], back[INET6_ADDRSTRLEN];

    if (!n || n >= sizeof buf)
        return 0;
    memcpy(buf, v, n);
    buf[n] = '\0';
    if (!memchr(buf, ':', n)) {
        /* inet_pton takes only dotted quads without leading zeros: canonical. */
        return inet_pton(AF_INET, buf, out) == 1 ? 4 : 0;
    }
    if (inet_pton(AF_INET6, buf, out) != 1 || !inet_ntop(AF_INET6, out, back, sizeof back) || strcmp(back, buf))
        return 0;
    return 6;
}

/* Host bits beyond @p len in @p a (@p size bytes) are all zero. */
static int
no_host_bits(const uint8_t *a, size_t size, unsigned len)
{
    size_t i = len / 8;

    if (len % 8 && (a[i++] & (0xff >> (len % 8))))
        return 0;
    for (; i < size; i++)
        if (a[i])
            return 0;
    return 1;
}

/* A union's binary value: the member's index, then the address (4 or 16 bytes); returns the bytes written. */
static size_t
put_addr(uint8_t *out, const struct mv_type *t, int fam, const uint8_t *a)
{
    memcpy(out, &t->idx[fam == 6], 4);
    memcpy(out + 4, a, fam == 6 ? 16 : 4);
    return fam == 6 ? 20 : 8;
}

enum mv_how
mv_encode(const struct model_index *ix, const struct lysc_node *s, const char *v, struct mv *out)
{
    struct mv_type t;
    uint8_t a[16];
    const char *slash;
    unsigned len = 0;
    size_t i;
    int fam;

    out->len = 0;
    if (mv_disabled(ix) || !s || !v)
        return MV_TEXT;
    t = type_of(ix->id, s);
    switch (t.kind) {
    case K_UINT:
        return canon_uint(v) ? MV_CANON : MV_TEXT;
    case K_ADDR4:
        if (canon_addr(v, strlen(v), a) != 4)
            return MV_TEXT;
        memcpy(out->bin, a, 4);
        out->len = 4;
        return MV_BIN;
    case K_ADDR:
        if (!(fam = canon_addr(v, strlen(v), a)))
            return MV_TEXT;
        out->len = put_addr(out->bin, &t, fam, a);
        return MV_BIN;
    case K_PREFIX:
        if (!(slash = strchr(v, '/')) || !(fam = canon_addr(v, (size_t)(slash - v), a)) ||
                !canon_uint(slash + 1) || strlen(slash + 1) > 3)
            return MV_TEXT;
        for (i = 1; slash[i]; i++)
            len = len * 10 + (unsigned)(slash[i] - '0');
        if (len > (fam == 6 ? 128u : 32u) || !no_host_bits(a, fam == 6 ? 16 : 4, len))
            return MV_TEXT;
        out->len = put_addr(out->bin, &t, fam, a);
        out->bin[out->len++] = (uint8_t)len;
        return MV_BIN;
    default:
        return MV_TEXT;
    }
}

int
mv_confirm(struct model_index *ix, const struct lyd_node *term, const char *v)
{
    const char *got = term ? lyd_get_value(term) : NULL;

    if (got && !strcmp(got, v))
        return 1;
    if (ix)
        __atomic_store_n(&ix->mv_off, 1, __ATOMIC_RELAXED);
    return 0;
}

int
mv_disabled(const struct model_index *ix)
{
    return !ix || __atomic_load_n(&ix->mv_off, __ATOMIC_RELAXED);
}
