/**
 * @file ncc_xe_xr.c
 * @brief Cisco platform recognition and operational subtree filters (see ncc_xe_xr.h).
 */
#define _GNU_SOURCE
#include "ncc_xe_xr.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_XE "http://cisco.com/ns/yang/Cisco-IOS-XE-"
#define NS_XR "http://cisco.com/ns/yang/Cisco-IOS-XR-"

/* Route keys asked for at most: Microsoft's service prefixes run to a few hundred per region. */
#define NCC_CISCO_MAX_ROUTES 1024

enum ncc_family
ncc_cisco_family(const char *const *cpblts)
{
    size_t i;

    for (i = 0; cpblts && cpblts[i]; i++) {
        if (strstr(cpblts[i], NS_XE "native"))
            return NCC_FAMILY_IOS_XE;
        if (!strncmp(cpblts[i], NS_XR, strlen(NS_XR)))
            return NCC_FAMILY_IOS_XR;
    }
    return NCC_FAMILY_OTHER;
}

const char *
ncc_cisco_family_name(enum ncc_family f)
{
    return f == NCC_FAMILY_IOS_XE ? "ios-xe" : f == NCC_FAMILY_IOS_XR ? "ios-xr" : NULL;
}

/* A growing string; @p ok drops to 0 when memory runs out. */
struct sbuf {
    char *s;
    size_t len, cap;
    int ok;
};

static void
sb_add(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!b->ok)
        return;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->ok = 0;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        char *s = realloc(b->s, b->cap * 2 + (size_t)n + 1);

        if (!s) {
            b->ok = 0;
            return;
        }
        b->s = s;
        b->cap = b->cap * 2 + (size_t)n + 1;
    }
}

/* One RIB route key of the IPv4 unicast default table. */
static void
xr_route_key(struct sbuf *b, const uint8_t addr[4], unsigned len)
{
    char ip[INET_ADDRSTRLEN];

    inet_ntop(AF_INET, addr, ip, sizeof ip);
    sb_add(b, "<route><address>%s</address><prefix-length>%u</prefix-length></route>", ip, len);
}

char *
ncc_cisco_filter(enum ncc_family f, const char *base, const struct pfx *keep, size_t n_keep)
{
    static const uint8_t zero[4] = {0};
    struct sbuf b = {.ok = 1};
    size_t i, n = 0;

    if (f == NCC_FAMILY_OTHER || !(b.s = malloc(b.cap = 4096)))
        return NULL;
    b.s[0] = '\0';
    sb_add(&b, "%s", base);
    if (f == NCC_FAMILY_IOS_XE) {
        sb_add(&b, "<bgp-state-data xmlns=\"" NS_XE "bgp-oper\"><neighbors/></bgp-state-data>"
                "<interfaces xmlns=\"" NS_XE "interfaces-oper\"/>");
    } else {
        sb_add(&b, "<bgp xmlns=\"" NS_XR "ipv4-bgp-oper\"><instances><instance><instance-active><default-vrf>"
                "<neighbors/></default-vrf></instance-active></instance></instances></bgp>");
        /* Interface line state only: the whole interface-xr entry carries counters and more. */
        sb_add(&b, "<interfaces xmlns=\"" NS_XR "pfi-im-cmd-oper\"><interface-xr><interface><interface-name/>"
                "<line-state/></interface></interface-xr></interfaces>");
        sb_add(&b, "<rib xmlns=\"" NS_XR "ip-rib-ipv4-oper\"><vrfs><vrf><vrf-name>default</vrf-name><afs><af>"
                "<af-name>IPv4</af-name><safs><saf><saf-name>Unicast</saf-name><ip-rib-route-table-names>"
                "<ip-rib-route-table-name><route-table-name>default</route-table-name><routes>");
        /* The default route always matters; then the prefixes of interest, exactly. */
        xr_route_key(&b, zero, 0);
        for (i = 0; i < n_keep && n < NCC_CISCO_MAX_ROUTES; i++) {
            if (keep[i].family != 4 || !keep[i].len)
                continue;
            xr_route_key(&b, keep[i].addr, keep[i].len);
            n++;
        }
        sb_add(&b, "</routes></ip-rib-route-table-name></ip-rib-route-table-names></saf></safs></af></afs></vrf>"
                "</vrfs></rib>");
    }
    if (!b.ok) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
