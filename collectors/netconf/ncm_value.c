/**
 * @file ncm_value.c
 * @brief Value conversions the NETCONF mappers share (conv callbacks for
 * ncm_copy()): identities, interface status, port speeds, protocols,
 * netmasks, decimals.
 */
#include "ncmap.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *
ncm_lower(const char *v, char *buf, size_t size)
{
    size_t i;

    v = xu_ident(v);
    for (i = 0; v[i] && i + 1 < size; i++)
        buf[i] = v[i] == '_' ? '-' : (char)tolower((unsigned char)v[i]);
    buf[i] = '\0';
    return buf;
}

const char *
ncm_oper_status(const char *v, char *buf, size_t size)
{
    char l[32];

    ncm_lower(v, l, sizeof l);
    if (!strcmp(l, "up"))
        return "up";
    if (!strcmp(l, "down") || !strcmp(l, "lower-layer-down") || !strcmp(l, "not-present"))
        return "down";
    return "other";
}

const char *
ncm_oc_speed(const char *v, char *buf, size_t size)
{
    static const struct { const char *unit; uint64_t mult; } units[] = {
        {"MB", 1000000ull}, {"GB", 1000000000ull}, {"TB", 1000000000000ull},
    };
    uint64_t whole = 0, frac = 0, fdiv = 1, mult = 0;
    const char *p;
    size_t i;

    v = xu_ident(v);
    if (strncmp(v, "SPEED_", 6))
        return NULL;
    /* Digits, an optional fraction, a unit: nothing negative, no exponent, no NaN. */
    for (p = v + 6; *p >= '0' && *p <= '9'; p++) {
        if (whole > 1000000000000000ull)
            return NULL;
        whole = whole * 10 + (uint64_t)(*p - '0');
    }
    if (p == v + 6)
        return NULL;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (fdiv < 1000000ull) {
                frac = frac * 10 + (uint64_t)(*p - '0');
                fdiv *= 10;
            }
        }
    }
    for (i = 0; i < sizeof units / sizeof *units; i++) {
        if (!strcmp(p, units[i].unit))
            mult = units[i].mult;
    }
    /* At most 1 Pb/s: far above any port, far below 2^64. */
    if (!mult || whole > 1000000000000000ull / mult)
        return NULL;
    snprintf(buf, size, "%" PRIu64, whole * mult + (frac * mult + fdiv / 2) / fdiv);
    return buf;
}

const char *
ncm_protocol(const char *v, char *buf, size_t size)
{
    static const struct { const char *in, *out; } names[] = {
        {"6", "tcp"}, {"17", "udp"}, {"1", "icmp"}, {"ip-tcp", "tcp"}, {"ip-udp", "udp"}, {"ip-icmp", "icmp"},
        {"ip-icmpv6", "icmp"}, {"icmpv6", "icmp"},
    };
    size_t i;

    ncm_lower(v, buf, size);
    for (i = 0; i < sizeof names / sizeof *names; i++) {
        if (!strcmp(buf, names[i].in))
            return names[i].out;
    }
    /* IP_PIM and friends: drop the "ip-" of the OpenConfig identity. */
    return !strncmp(buf, "ip-", 3) ? buf + 3 : buf;
}

const char *
ncm_netmask(const char *v, char *buf, size_t size)
{
    struct in_addr a;
    uint32_t m;
    int len = 0;

    if (inet_pton(AF_INET, v, &a) != 1)
        return NULL;
    m = ntohl(a.s_addr);
    while (m & 0x80000000u) {
        len++;
        m <<= 1;
    }
    if (m)
        return NULL;
    snprintf(buf, size, "%d", len);
    return buf;
}

const char *
ncm_int(const char *v, char *buf, size_t size)
{
    size_t i;

    for (i = 0; v[i] && v[i] != '.' && i + 1 < size; i++)
        buf[i] = v[i];
    buf[i] = '\0';
    return buf;
}

int
ncm_is_addr(const char *v)
{
    unsigned char b[16];

    return v && (inet_pton(AF_INET, v, b) == 1 || inet_pton(AF_INET6, v, b) == 1);
}

