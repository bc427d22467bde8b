/**
 * @file prefix.c
 * @brief IPv4/IPv6 prefix parsing, formatting and set relations.
 *
 * Parsing is deliberately strict: device output and inventories are full of
 * near-misses ("1.2.3/24", "10.0.0.0/33", " 10.0.0.0/8") and accepting them
 * silently would hide a typo behind a wrong audit result.
 */
#include "prefix.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* A table entry for the special-purpose ranges below. */
struct pfx_range {
    uint8_t family;
    uint8_t len;
    uint8_t addr[16];
};

/* IANA special-purpose and other never-routed ranges. */
/*
 * Documentation ranges (RFC 5737 TEST-NET-1/2/3, RFC 3849 2001:db8::/32,
 * RFC 9637 3fff::/20) are left out on purpose: examples and tests use them as
 * stand-ins for public space. Advertising them for real fails PEER-007, as no
 * RIR registers them to anyone.
 */
static const struct pfx_range pfx_bogons[] = {
    { 4, 8, { 0 } },                         /* 0.0.0.0/8 "this network" */
    { 4, 8, { 10 } },                        /* RFC 1918 */
    { 4, 10, { 100, 64 } },                  /* RFC 6598 shared address space */
    { 4, 8, { 127 } },                       /* loopback */
    { 4, 16, { 169, 254 } },                 /* link-local */
    { 4, 12, { 172, 16 } },                  /* RFC 1918 */
    { 4, 24, { 192, 0, 0 } },                /* IETF protocol assignments */
    { 4, 16, { 192, 168 } },                 /* RFC 1918 */
    { 4, 15, { 198, 18 } },                  /* benchmarking */
    { 4, 4, { 224 } },                       /* multicast */
    { 4, 4, { 240 } },                       /* reserved, broadcast */
    { 6, 128, { 0 } },                       /* :: unspecified */
    { 6, 128, { [15] = 1 } },                /* ::1 loopback */
    { 6, 96, { [10] = 0xff, [11] = 0xff } }, /* ::ffff:0:0/96 IPv4-mapped */
    { 6, 64, { 0x01, 0x00 } },               /* 100::/64 discard */
    { 6, 7, { 0xfc } },                      /* unique local */
    { 6, 10, { 0xfe, 0x80 } },               /* link-local */
    { 6, 10, { 0xfe, 0xc0 } },               /* deprecated site-local */
    { 6, 8, { 0xff } },                      /* multicast */
};

/* Private source ranges that need NAT before reaching Microsoft peering. */
static const struct pfx_range pfx_privates[] = {
    { 4, 8, { 10 } },
    { 4, 12, { 172, 16 } },
    { 4, 16, { 192, 168 } },
    { 4, 10, { 100, 64 } },
    { 6, 7, { 0xfc } },
};

static unsigned
pfx_maxlen(uint8_t family)
{
    return family == 4 ? 32 : 128;
}

/* 1 when the first @p len bits of @p a and @p b agree. */
static int
pfx_bits_equal(const uint8_t *a, const uint8_t *b, unsigned len)
{
    unsigned full = len / 8, rest = len % 8;

    if (memcmp(a, b, full))
        return 0;
    if (rest) {
        uint8_t mask = (uint8_t)(0xff << (8 - rest));
        if ((a[full] ^ b[full]) & mask)
            return 0;
    }
    return 1;
}

/* 1 when any bit at or after @p len is set. */
static int
pfx_host_bits(const uint8_t *addr, unsigned len)
{
    unsigned i;

    if (len % 8 && (addr[len / 8] & (0xff >> (len % 8))))
        return 1;
    for (i = (len + 7) / 8; i < 16; i++)
        if (addr[i])
            return 1;
    return 0;
}

static void
pfx_mask(uint8_t *addr, unsigned len)
{
    unsigned i = len / 8;

    if (len % 8) {
        addr[i] &= (uint8_t)(0xff << (8 - len % 8));
        i++;
    }
    for (; i < 16; i++)
        addr[i] = 0;
}

/* Parse only an address; fills family and addr, returns -1 on junk. */
static int
pfx_parse_host(const char *s, size_t n, struct pfx *p)
{
    char buf[INET6_ADDRSTRLEN];

    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    memset(p, 0, sizeof *p);
    /* inet_pton refuses short forms ("1.2.3"), leading zeros, spaces and
     * scope ids, which is the strictness we want. */
    if (memchr(buf, ':', n)) {
        if (inet_pton(AF_INET6, buf, p->addr) != 1)
            return -1;
        p->family = 6;
    } else {
        if (inet_pton(AF_INET, buf, p->addr) != 1)
            return -1;
        p->family = 4;
    }
    return 0;
}

/* Decimal length of at most three digits, no sign, no leading zero. */
static int
pfx_parse_len(const char *s, unsigned *len)
{
    unsigned v = 0, n = 0;

    if (s[0] == '0' && s[1])
        return -1;
    for (; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n == 3)
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (n == 0)
        return -1;
    *len = v;
    return 0;
}

int
pfx_parse(const char *s, struct pfx *p, int strict)
{
    const char *slash;
    struct pfx tmp;
    unsigned len;

    if (!s || !p)
        return -1;
    slash = strchr(s, '/');
    if (pfx_parse_host(s, slash ? (size_t)(slash - s) : strlen(s), &tmp))
        return -1;
    len = pfx_maxlen(tmp.family);
    if (slash && (pfx_parse_len(slash + 1, &len) || len > pfx_maxlen(tmp.family)))
        return -1;
    if (strict && pfx_host_bits(tmp.addr, len))
        return -1;
    pfx_mask(tmp.addr, len);
    tmp.len = (uint8_t)len;
    *p = tmp;
    return 0;
}

/**
 * The address may carry host bits (an interface address with its
 * prefix-length); they are cleared, so the result is the subnet.
 */
int
pfx_parse_addr(const char *addr, unsigned len, struct pfx *p)
{
    struct pfx tmp;

    if (!addr || !p || pfx_parse_host(addr, strlen(addr), &tmp) || len > pfx_maxlen(tmp.family))
        return -1;
    pfx_mask(tmp.addr, len);
    tmp.len = (uint8_t)len;
    *p = tmp;
    return 0;
}

char *
pfx_format(const struct pfx *p, char *buf)
{
    char addr[INET6_ADDRSTRLEN];

    if (!p || (p->family != 4 && p->family != 6)
            || !inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, addr, sizeof addr)) {
        snprintf(buf, PFX_STRLEN, "(invalid)");
        return buf;
    }
    snprintf(buf, PFX_STRLEN, "%s/%u", addr, (unsigned)p->len);
    return buf;
}

int
pfx_contains(const struct pfx *outer, const struct pfx *inner)
{
    return outer->family == inner->family && outer->len <= inner->len
        && pfx_bits_equal(outer->addr, inner->addr, outer->len);
}

int
pfx_overlaps(const struct pfx *a, const struct pfx *b)
{
    return pfx_contains(a, b) || pfx_contains(b, a);
}

int
pfx_equal(const struct pfx *a, const struct pfx *b)
{
    return a->family == b->family && a->len == b->len && pfx_bits_equal(a->addr, b->addr, a->len);
}

int
pfx_bit(const struct pfx *p, unsigned i)
{
    if (i >= 128)
        return 0;
    return (p->addr[i / 8] >> (7 - i % 8)) & 1;
}

/* 1 when @p p lies inside one of the @p n ranges. */
static int
pfx_in_ranges(const struct pfx *p, const struct pfx_range *r, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (r[i].family == p->family && r[i].len <= p->len
                && pfx_bits_equal(r[i].addr, p->addr, r[i].len))
            return 1;
    return 0;
}

int
pfx_is_bogon(const struct pfx *p)
{
    return pfx_in_ranges(p, pfx_bogons, sizeof pfx_bogons / sizeof pfx_bogons[0]);
}

int
pfx_is_private(const struct pfx *p)
{
    return pfx_in_ranges(p, pfx_privates, sizeof pfx_privates / sizeof pfx_privates[0]);
}
